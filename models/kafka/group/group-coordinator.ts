// Kafka's GroupCoordinator for the classic group protocol (core/src/main/scala/kafka/coordinator/
// group/GroupCoordinator.scala): a broker coordinates the groups whose __consumer_offsets
// partition it leads (GroupMetadataManager keeps them, loads them and stores their records). It
// runs JoinGroup / SyncGroup / Heartbeat / LeaveGroup with generations and expires members whose
// session lapses; the group's state machine is GroupMetadata's.
//
// Deadlines are timers, as Kafka's purgatories hold them: each member has one session-expiry timer
// (DelayedHeartbeat: it expires at exactly last heartbeat + session.timeout.ms); a heartbeat does
// not re-arm it, the timer re-arms itself at the member's current deadline when it fires early, so a
// member costs one event per session timeout rather than one per heartbeat or commit. A rebalance
// arms timers at its join deadline (InitialDelayedJoin's group.initial.rebalance.delay.ms) and its
// rebalance deadline (DelayedJoin); each fire just tries to complete the join, as
// DelayedJoin.tryComplete does, so a stale one is harmless.
//
// Offset commits are validated as GroupCoordinator.validateOffsetCommit does: unknown member
// (UNKNOWN_MEMBER_ID), other generation (ILLEGAL_GENERATION), CompletingRebalance
// (REBALANCE_IN_PROGRESS); a static member replaced by a newer instance is FENCED_INSTANCE_ID
// (KIP-345). Commits during PreparingRebalance from the current generation are accepted, so a
// member can commit in onPartitionsRevoked before it rejoins.
//
// Simplifications: a new member gets its member id at once (no MEMBER_ID_REQUIRED round trip,
// KIP-394); the group uses the protocol of its first member instead of negotiating one all
// members support; a static member's replacement is not written to the log; there is no pending-sync timeout.

import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import type { CoordinatorReplicaAccess } from './coordinator-replica-access.ts';
import {
  FENCED_INSTANCE_ID,
  ILLEGAL_GENERATION,
  NOT_COORDINATOR,
  REBALANCE_IN_PROGRESS,
  UNKNOWN_MEMBER_ID,
  type HeartbeatRequest,
  type JoinGroupMember,
  type JoinGroupRequest,
  type KafkaMessage,
  type LeaveGroupRequest,
  type OffsetCommitRequest,
  type OffsetFetchRequest,
  type SyncGroupRequest,
} from '../messages.ts';
import { GroupMetadata } from './group-metadata.ts';
import { GroupMetadataManager, type GroupStoreCallbacks } from './group-metadata-manager.ts';
import { MemberMetadata } from './member-metadata.ts';
import type { KafkaTimer } from '../timers.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

type MemberSessionExpiry = Extract<KafkaTimer, { type: 'member-session-expiry' }>;
const EMPTY_ASSIGNMENT: readonly number[] = [];

export class GroupCoordinator implements GroupStoreCallbacks {
  private readonly groupManager: GroupMetadataManager;
  private readonly initialDelayUs: number;

  constructor(
    private readonly world: KafkaWorld,
    replicas: CoordinatorReplicaAccess,
  ) {
    this.groupManager = new GroupMetadataManager(world, replicas, this);
    this.initialDelayUs = world.scenario.brokerConfig['group.initial.rebalance.delay.ms'] * 1000;
  }

  /** Process start: nothing is loaded until the broker leads an offsets partition. */
  onStart(ctx: Ctx): void {
    this.groupManager.clear();
  }

  offsetsPartitionOf(groupId: string): number {
    return this.groupManager.partitionFor(groupId);
  }

  onBecomeLeader(ctx: Ctx, partition: number): void {
    this.groupManager.loadGroupsForPartition(ctx, partition);
    // Loaded members start a session now (GroupMetadataManager.loadGroup then onGroupLoaded).
    for (const g of this.groupManager.allGroups()) if (g.partition === partition) for (const m of g.members.values()) this.armSessionExpiry(ctx, g, m);
  }

  /** The broker no longer leads `partition`: its groups go, waiting requests fail NOT_COORDINATOR. */
  onResign(ctx: Ctx, partition: number): void {
    this.groupManager.removeGroupsForPartition(ctx, partition);
  }

  /** The leader's high watermark of an offsets partition moved: complete replicated appends. */
  onHighWatermark(ctx: Ctx, partition: number, hw: number): void {
    this.groupManager.onHighWatermark(ctx, partition, hw);
  }

  onAppendTimeout(ctx: Ctx): void {
    this.groupManager.onAppendTimeout(ctx);
  }

  // ---- JoinGroup ----

  onJoinGroup(ctx: Ctx, from: number, req: JoinGroupRequest): void {
    const partition = this.offsetsPartitionOf(req.group);
    if (!this.groupManager.isPartitionOwned(partition)) return this.joinError(ctx, from, req.requestId, NOT_COORDINATOR);
    const g = this.groupManager.getGroup(req.group) ?? this.groupManager.addGroup(new GroupMetadata(req.group, partition));
    const m = req.memberId === '' ? this.doNewMemberJoinGroup(ctx, g, from, req) : this.doCurrentMemberJoinGroup(ctx, g, from, req);
    if (m === null) return;
    if (m.isAwaitingJoin) this.joinError(ctx, m.node, m.joinRequestId, REBALANCE_IN_PROGRESS);
    m.joinRequestId = req.requestId;
    m.node = from;
    if (!g.is('PreparingRebalance')) this.prepareRebalance(ctx, g, 'join');
    this.maybeCompleteJoin(ctx, g);
  }

  /** A member joining without a member id; null when it was answered at once. */
  private doNewMemberJoinGroup(ctx: Ctx, g: GroupMetadata, from: number, req: JoinGroupRequest): MemberMetadata | null {
    const memberId = `${req.clientId}-${this.world.nextMemberSeq++}`;
    const old = g.staticMember(req.instanceId);
    if (old !== undefined) {
      // KIP-345: a known static member rejoining takes over its old identity. With unchanged
      // subscriptions in a stable group it gets its assignment back without a rebalance.
      this.failPendingRequests(ctx, old, FENCED_INSTANCE_ID);
      g.replaceStaticMember(old, memberId);
      old.node = from;
      old.lastHeartbeatUs = ctx.nowUs;
      this.armSessionExpiry(ctx, g, old); // the old member id's timer is now stale
      if (g.is('Stable') && sameTopics(old.topics, req.topics)) {
        ctx.reply(from, joinResponse(req.requestId, null, g.generation, memberId, g.leaderId, g.protocol, null));
        return null;
      }
      return old;
    }
    const m = new MemberMetadata(memberId, req.instanceId, from, req.sessionTimeoutUs, req.rebalanceTimeoutUs, req.protocol, req.topics, req.owned, ctx.nowUs);
    g.add(m);
    this.armSessionExpiry(ctx, g, m);
    if (g.is('PreparingRebalance') && g.generation === 0) {
      g.joinDeadlineUs = Math.min(ctx.nowUs + this.initialDelayUs, g.rebalanceDeadlineUs);
      this.armJoinDeadline(ctx, g, g.joinDeadlineUs);
    }
    return m;
  }

  /** A known member rejoining; null when it was answered at once (or refused). */
  private doCurrentMemberJoinGroup(ctx: Ctx, g: GroupMetadata, from: number, req: JoinGroupRequest): MemberMetadata | null {
    const m = g.members.get(req.memberId);
    if (m === undefined) {
      this.joinError(ctx, from, req.requestId, UNKNOWN_MEMBER_ID);
      return null;
    }
    if (req.instanceId !== null && g.staticMembers.get(req.instanceId) !== req.memberId) {
      this.joinError(ctx, from, req.requestId, FENCED_INSTANCE_ID);
      return null;
    }
    const unchanged = sameTopics(m.topics, req.topics) && m.protocol === req.protocol;
    m.node = from;
    m.topics = req.topics;
    m.owned = req.owned;
    m.protocol = req.protocol;
    m.lastHeartbeatUs = ctx.nowUs;
    // A follower rejoining a stable group with unchanged metadata gets the current generation back.
    if (g.is('Stable') && unchanged && req.memberId !== g.leaderId) {
      ctx.reply(from, joinResponse(req.requestId, null, g.generation, m.memberId, g.leaderId, g.protocol, null));
      return null;
    }
    return m;
  }

  // ---- SyncGroup, Heartbeat, LeaveGroup ----

  onSyncGroup(ctx: Ctx, from: number, req: SyncGroupRequest): void {
    const partition = this.offsetsPartitionOf(req.group);
    if (!this.groupManager.isPartitionOwned(partition)) return this.syncError(ctx, from, req.requestId, NOT_COORDINATOR);
    const g = this.groupManager.getGroup(req.group);
    const m = g?.members.get(req.memberId);
    if (g === undefined || m === undefined || g.is('Empty')) return this.syncError(ctx, from, req.requestId, UNKNOWN_MEMBER_ID);
    if (req.generation !== g.generation) return this.syncError(ctx, from, req.requestId, ILLEGAL_GENERATION);
    if (g.is('PreparingRebalance')) return this.syncError(ctx, from, req.requestId, REBALANCE_IN_PROGRESS);
    m.lastHeartbeatUs = ctx.nowUs;
    m.node = from;
    if (g.is('Stable')) {
      ctx.reply(from, { type: 'sync-group-response', requestId: req.requestId, error: null, assignment: m.assignment });
      return;
    }
    m.syncRequestId = req.requestId;
    if (req.memberId !== g.leaderId || req.assignedMembers === null || req.assignedPartitions === null) return;
    for (const member of g.members.values()) member.assignment = EMPTY_ASSIGNMENT;
    for (let i = 0; i < req.assignedMembers.length; i++) {
      const target = g.members.get(req.assignedMembers[i]);
      if (target !== undefined) target.assignment = req.assignedPartitions[i];
    }
    // GroupMetadataManager.storeGroup: the assignment is answered once the group record is replicated.
    this.groupManager.storeGroup(ctx, g);
  }

  onHeartbeat(ctx: Ctx, from: number, req: HeartbeatRequest): void {
    let error: string | null = null;
    const partition = this.offsetsPartitionOf(req.group);
    const g = this.groupManager.getGroup(req.group);
    const m = g?.members.get(req.memberId);
    if (!this.groupManager.isPartitionOwned(partition)) error = NOT_COORDINATOR;
    else if (g === undefined || m === undefined || g.is('Empty')) error = UNKNOWN_MEMBER_ID;
    else if (req.generation !== g.generation) error = ILLEGAL_GENERATION;
    else {
      m.lastHeartbeatUs = ctx.nowUs;
      if (g.is('PreparingRebalance')) error = REBALANCE_IN_PROGRESS;
    }
    ctx.reply(from, { type: 'heartbeat-response', requestId: req.requestId, error });
  }

  onLeaveGroup(ctx: Ctx, req: LeaveGroupRequest): void {
    if (!this.groupManager.isPartitionOwned(this.offsetsPartitionOf(req.group))) return;
    const g = this.groupManager.getGroup(req.group);
    const m = g?.members.get(req.memberId);
    if (g === undefined || m === undefined) return;
    this.removeMember(ctx, g, m, 'leave');
  }

  // ---- OffsetCommit, OffsetFetch ----

  onOffsetCommit(ctx: Ctx, from: number, req: OffsetCommitRequest): void {
    const partition = this.offsetsPartitionOf(req.group);
    if (!this.groupManager.isPartitionOwned(partition)) return this.commitResponse(ctx, from, req.requestId, NOT_COORDINATOR);
    let g = this.groupManager.getGroup(req.group);
    let error: string | null = null;
    if (g === undefined) {
      // A group the coordinator does not know accepts only commits outside group management.
      if (req.generation >= 0) error = ILLEGAL_GENERATION;
      else g = this.groupManager.addGroup(new GroupMetadata(req.group, partition));
    } else if (req.generation >= 0 || !g.is('Empty')) error = this.validateOffsetCommit(ctx, g, req);
    if (error !== null || g === undefined) return this.commitResponse(ctx, from, req.requestId, error);
    this.groupManager.storeOffsets(ctx, g, req, from);
  }

  private validateOffsetCommit(ctx: Ctx, g: GroupMetadata, req: OffsetCommitRequest): string | null {
    const m = g.members.get(req.memberId);
    if (this.world.bugs.acceptStaleGenerationCommit && req.generation >= 0 && req.generation < g.generation) return null; // bug zoo
    if (req.instanceId !== null && g.staticMembers.has(req.instanceId) && g.staticMembers.get(req.instanceId) !== req.memberId) return FENCED_INSTANCE_ID;
    if (m === undefined) return UNKNOWN_MEMBER_ID;
    if (req.generation !== g.generation) return ILLEGAL_GENERATION;
    if (g.is('CompletingRebalance')) return REBALANCE_IN_PROGRESS;
    m.lastHeartbeatUs = ctx.nowUs;
    return null;
  }

  onOffsetFetch(ctx: Ctx, from: number, req: OffsetFetchRequest): void {
    const partition = this.offsetsPartitionOf(req.group);
    const offsets = new Array<number>(req.partitions.length).fill(-1);
    const leaderEpochs = new Array<number>(req.partitions.length).fill(-1);
    if (!this.groupManager.isPartitionOwned(partition)) {
      ctx.reply(from, { type: 'offset-fetch-response', requestId: req.requestId, error: NOT_COORDINATOR, offsets, leaderEpochs });
      return;
    }
    const g = this.groupManager.getGroup(req.group);
    if (g !== undefined)
      for (let i = 0; i < req.partitions.length; i++) {
        const c = g.committed.get(req.partitions[i]);
        if (c === undefined) continue;
        offsets[i] = c.offset;
        leaderEpochs[i] = c.leaderEpoch;
      }
    ctx.reply(from, { type: 'offset-fetch-response', requestId: req.requestId, error: null, offsets, leaderEpochs });
  }

  // ---- deadlines: sessions (DelayedHeartbeat) and joins (DelayedJoin) ----

  private armSessionExpiry(ctx: Ctx, g: GroupMetadata, m: MemberMetadata): void {
    const timer: MemberSessionExpiry = { type: 'member-session-expiry', group: g.groupId, memberId: m.memberId };
    m.sessionTimer = timer;
    ctx.setTimer(m.lastHeartbeatUs + m.sessionTimeoutUs - ctx.nowUs, timer);
  }

  /** GroupCoordinator.onExpireHeartbeat: the member's session deadline came (or a stale timer fired). */
  onMemberSessionExpiry(ctx: Ctx, timer: MemberSessionExpiry): void {
    const g = this.groupManager.getGroup(timer.group);
    const m = g?.members.get(timer.memberId);
    if (g === undefined || m === undefined || m.sessionTimer !== timer) return;
    const now = ctx.nowUs;
    // A member waiting for its JoinGroup response satisfies its heartbeats (MemberMetadata.hasSatisfiedHeartbeat);
    // the join's completion restarts its session.
    if (m.isAwaitingJoin && g.is('PreparingRebalance')) ctx.setTimer(m.sessionTimeoutUs, timer);
    else if (!m.sessionExpired(now)) ctx.setTimer(m.lastHeartbeatUs + m.sessionTimeoutUs - now, timer);
    else {
      ctx.emit({ type: 'member-expired', group: g.groupId, memberId: m.memberId, generation: g.generation });
      this.removeMember(ctx, g, m, 'session-timeout');
    }
  }

  private armJoinDeadline(ctx: Ctx, g: GroupMetadata, atUs: number): void {
    ctx.setTimer(Math.max(0, atUs - ctx.nowUs), { type: 'group-join-deadline', group: g.groupId });
  }

  /** DelayedJoin's expiry: try to complete the group's join (a no-op unless it is due). */
  onJoinDeadline(ctx: Ctx, groupId: string): void {
    const g = this.groupManager.getGroup(groupId);
    if (g !== undefined) this.maybeCompleteJoin(ctx, g);
  }

  // ---- rebalance ----

  private prepareRebalance(ctx: Ctx, g: GroupMetadata, reason: string): void {
    if (g.is('CompletingRebalance')) for (const m of g.members.values()) this.failSync(ctx, m, REBALANCE_IN_PROGRESS);
    const wasEmpty = g.is('Empty');
    g.transitionTo('PreparingRebalance');
    g.rebalanceDeadlineUs = ctx.nowUs + g.maxRebalanceTimeoutUs();
    // InitialDelayedJoin: a new group waits group.initial.rebalance.delay.ms for more members.
    g.joinDeadlineUs = wasEmpty && g.generation === 0 ? Math.min(ctx.nowUs + this.initialDelayUs, g.rebalanceDeadlineUs) : ctx.nowUs;
    if (g.joinDeadlineUs > ctx.nowUs) this.armJoinDeadline(ctx, g, g.joinDeadlineUs);
    this.armJoinDeadline(ctx, g, g.rebalanceDeadlineUs);
    this.world.stats.rebalances++;
    ctx.emit({ type: 'rebalance-start', group: g.groupId, generation: g.generation, reason });
  }

  private maybeCompleteJoin(ctx: Ctx, g: GroupMetadata): void {
    if (!g.is('PreparingRebalance') || ctx.nowUs < g.joinDeadlineUs) return;
    if (!g.hasAllMembersJoined() && ctx.nowUs < g.rebalanceDeadlineUs) return;
    g.removeNotYetRejoinedDynamicMembers();
    g.initNextGeneration();
    if (g.is('Empty')) {
      ctx.emit({ type: 'rebalance-end', group: g.groupId, generation: g.generation, members: 0 });
      this.groupManager.storeGroup(ctx, g);
      return;
    }
    const list: JoinGroupMember[] = [];
    for (const m of g.members.values()) list.push({ memberId: m.memberId, topics: m.topics, owned: m.owned });
    for (const m of g.members.values()) {
      m.lastHeartbeatUs = ctx.nowUs;
      if (!m.isAwaitingJoin) continue;
      ctx.reply(m.node, joinResponse(m.joinRequestId, null, g.generation, m.memberId, g.leaderId, g.protocol, m.memberId === g.leaderId ? list : null));
      m.joinRequestId = -1;
    }
  }

  private removeMember(ctx: Ctx, g: GroupMetadata, m: MemberMetadata, reason: string): void {
    this.failPendingRequests(ctx, m, UNKNOWN_MEMBER_ID);
    g.remove(m);
    if (g.is('Stable') || g.is('CompletingRebalance')) this.prepareRebalance(ctx, g, reason);
    if (g.is('PreparingRebalance')) this.maybeCompleteJoin(ctx, g);
  }

  // ---- GroupMetadataManager callbacks ----

  onStoreGroupComplete(ctx: Ctx, g: GroupMetadata, error: string | null): void {
    if (!g.is('CompletingRebalance')) return; // an Empty group's record, or overtaken by a new rebalance
    if (error !== null) {
      // storeGroup failed: members get the error and the group rebalances again.
      for (const m of g.members.values()) this.failSync(ctx, m, error);
      if (error !== NOT_COORDINATOR) {
        this.prepareRebalance(ctx, g, 'store-failed');
        this.maybeCompleteJoin(ctx, g); // DelayedJoin: tryCompleteElseWatch
      }
      return;
    }
    g.transitionTo('Stable');
    const assignment: string[] = [];
    for (const m of g.members.values()) {
      assignment.push(`${m.memberId}=${m.assignment.map((p) => this.world.layout.partitions[p].name).join(',')}`);
      if (m.syncRequestId < 0) continue;
      ctx.reply(m.node, { type: 'sync-group-response', requestId: m.syncRequestId, error: null, assignment: m.assignment });
      m.syncRequestId = -1;
    }
    ctx.emit({ type: 'rebalance-end', group: g.groupId, generation: g.generation, members: g.members.size, assignment });
  }

  onStoreOffsetsComplete(ctx: Ctx, commit: OffsetCommitRequest, from: number, error: string | null): void {
    this.commitResponse(ctx, from, commit.requestId, error);
  }

  onGroupUnloaded(ctx: Ctx, g: GroupMetadata): void {
    for (const m of g.members.values()) this.failPendingRequests(ctx, m, NOT_COORDINATOR);
  }

  // ---- responses ----

  private failPendingRequests(ctx: Ctx, m: MemberMetadata, error: string): void {
    if (m.isAwaitingJoin) {
      this.joinError(ctx, m.node, m.joinRequestId, error);
      m.joinRequestId = -1;
    }
    this.failSync(ctx, m, error);
  }

  private failSync(ctx: Ctx, m: MemberMetadata, error: string): void {
    if (m.syncRequestId < 0) return;
    this.syncError(ctx, m.node, m.syncRequestId, error);
    m.syncRequestId = -1;
  }

  private joinError(ctx: Ctx, to: number, requestId: number, error: string): void {
    ctx.reply(to, joinResponse(requestId, error, -1, '', '', '', null));
  }

  private syncError(ctx: Ctx, to: number, requestId: number, error: string): void {
    ctx.reply(to, { type: 'sync-group-response', requestId, error, assignment: EMPTY_ASSIGNMENT });
  }

  private commitResponse(ctx: Ctx, to: number, requestId: number, error: string | null): void {
    if (to < 0) return;
    ctx.reply(to, { type: 'offset-commit-response', requestId, error });
  }
}

function joinResponse(
  requestId: number,
  error: string | null,
  generation: number,
  memberId: string,
  leaderId: string,
  protocol: string,
  members: JoinGroupMember[] | null,
): KafkaMessage {
  return { type: 'join-group-response', requestId, error, generation, memberId, leaderId, protocol, members };
}

function sameTopics(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
