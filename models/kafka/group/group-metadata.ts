// Kafka's GroupMetadata (classic group protocol): a group's members, generation, leader and
// protocol, its committed offsets, and the state machine a rebalance walks through:
//
//   Empty -> PreparingRebalance -> CompletingRebalance -> Stable -> PreparingRebalance ...
//
// PreparingRebalance waits for the members to (re)join; CompletingRebalance waits for the leader's
// assignment to be stored; Stable answers heartbeats normally. transitionTo asserts the previous
// state as GroupMetadata.assertValidTransition does. (Kafka's Dead state is the model's removal of
// the group from the coordinator.)

import { MemberMetadata } from './member-metadata.ts';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable';

const VALID_PREVIOUS_STATES: Readonly<Record<GroupState, readonly GroupState[]>> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
};

export interface CommittedOffset {
  offset: number;
  /** Leader epoch of the last consumed record (KIP-320), -1 unknown. */
  leaderEpoch: number;
}

export class GroupMetadata {
  private currentState: GroupState;
  generation = 0;
  /** The assignor the group uses ('' while it has no members). */
  protocol = '';
  leaderId = '';
  /** Members in join order (the first one leads a group without a leader). */
  readonly members = new Map<string, MemberMetadata>();
  /** group.instance.id -> current member id. */
  readonly staticMembers = new Map<string, string>();
  /** PreparingRebalance: complete the join at joinDeadlineUs at the earliest, rebalanceDeadlineUs at the latest. */
  joinDeadlineUs = 0;
  rebalanceDeadlineUs = 0;
  /** Committed offset and its leader epoch per global partition index. */
  readonly committed = new Map<number, CommittedOffset>();

  constructor(
    readonly groupId: string,
    /** Global index of its __consumer_offsets partition. */
    readonly partition: number,
    initialState: GroupState = 'Empty',
  ) {
    this.currentState = initialState;
  }

  get state(): GroupState {
    return this.currentState;
  }

  is(state: GroupState): boolean {
    return this.currentState === state;
  }

  transitionTo(state: GroupState): void {
    if (!VALID_PREVIOUS_STATES[state].includes(this.currentState))
      throw new Error(`group ${this.groupId}: invalid transition from ${this.currentState} to ${state}`);
    this.currentState = state;
  }

  add(member: MemberMetadata): void {
    this.members.set(member.memberId, member);
    if (member.instanceId !== null) this.staticMembers.set(member.instanceId, member.memberId);
  }

  /** Removes a member; a static member's instance id goes too unless a newer member took it over. */
  remove(member: MemberMetadata): void {
    this.members.delete(member.memberId);
    if (member.instanceId !== null && this.staticMembers.get(member.instanceId) === member.memberId) this.staticMembers.delete(member.instanceId);
  }

  /** The member a static member's instance id maps to now, if any. */
  staticMember(instanceId: string | null): MemberMetadata | undefined {
    const memberId = instanceId === null ? undefined : this.staticMembers.get(instanceId);
    return memberId === undefined ? undefined : this.members.get(memberId);
  }

  /**
   * GroupMetadata.replaceStaticMember (KIP-345): a known static member rejoining without a member
   * id takes over its old identity under a new member id; the old member id is fenced.
   */
  replaceStaticMember(old: MemberMetadata, newMemberId: string): void {
    const oldMemberId = old.memberId;
    this.members.delete(oldMemberId);
    old.memberId = newMemberId;
    this.members.set(newMemberId, old);
    this.staticMembers.set(old.instanceId!, newMemberId);
    if (this.leaderId === oldMemberId) this.leaderId = newMemberId;
  }

  /** The longest rebalance timeout (max.poll.interval.ms) of any member: how long a join may wait. */
  maxRebalanceTimeoutUs(): number {
    let timeoutUs = 0;
    for (const m of this.members.values()) if (m.rebalanceTimeoutUs > timeoutUs) timeoutUs = m.rebalanceTimeoutUs;
    return timeoutUs;
  }

  /** Every dynamic member has rejoined (static members are waited for only until the deadline, KIP-345). */
  hasAllMembersJoined(): boolean {
    for (const m of this.members.values()) if (!m.isAwaitingJoin && !m.isStaticMember) return false;
    return true;
  }

  /** Dynamic members that did not rejoin in time leave the group; static ones stay (KIP-345). */
  removeNotYetRejoinedDynamicMembers(): void {
    for (const m of [...this.members.values()]) if (!m.isAwaitingJoin && !m.isStaticMember) this.members.delete(m.memberId);
  }

  /**
   * GroupMetadata.initNextGeneration: the next generation, led by the old leader if it rejoined,
   * else by the first member, using that member's protocol; Empty when nobody rejoined.
   */
  initNextGeneration(): void {
    this.generation++;
    if (this.members.size === 0) {
      this.transitionTo('Empty');
      this.leaderId = '';
      this.protocol = '';
      return;
    }
    const first = this.members.values().next().value!;
    if (!this.members.has(this.leaderId)) this.leaderId = first.memberId;
    this.protocol = first.protocol;
    this.transitionTo('CompletingRebalance');
  }
}
