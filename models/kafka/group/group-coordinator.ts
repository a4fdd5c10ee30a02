// The broker-side group coordinator of Kafka's classic group protocol (core GroupCoordinator and
// GroupMetadataManager, apache/kafka core/src/main/scala/kafka/coordinator/group/): a broker
// coordinates the groups whose __consumer_offsets partition it leads. It runs JoinGroup /
// SyncGroup / Heartbeat / LeaveGroup with generations, expires members whose session lapses,
// stores committed offsets and group metadata as records of that partition (appended as leader,
// answered once replicated, as offsets.commit.required.acks=-1 does), and on becoming leader of an
// offsets partition loads every group from its log, so a failover keeps exactly what the new
// leader's log holds: an unclean election can roll committed offsets back.
//
// Group states follow GroupMetadata: Empty, PreparingRebalance, CompletingRebalance, Stable.
// Offset commits are validated as GroupCoordinator.validateOffsetCommit does: unknown member
// (UNKNOWN_MEMBER_ID), other generation (ILLEGAL_GENERATION), CompletingRebalance
// (REBALANCE_IN_PROGRESS); a static member replaced by a newer instance is FENCED_INSTANCE_ID
// (KIP-345). Commits during PreparingRebalance from the current generation are accepted, so a
// member can commit in onPartitionsRevoked before it rejoins.
//
// Simplifications: a new member gets its member id at once (no MEMBER_ID_REQUIRED round trip,
// KIP-394); the group uses the protocol of its first member instead of negotiating one all
// members support; sessions and the rebalance timeout are checked every GROUP_TICK_US (100 ms);
// loading a partition's groups is instantaneous (no COORDINATOR_LOAD_IN_PROGRESS) and reads the
// log to its end; a static member's replacement is not written to the log; offsets never expire
// (offsets.retention.minutes); there is no pending-sync timeout.

import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import type { CoordinatorReplicaAccess } from './coordinator-replica-access.ts';
import {
  COORDINATOR_NOT_AVAILABLE,
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
import { partitionForGroup, type GroupMetadataRecord, type OffsetsRecord, type PersistedMember } from './offsets-topic.ts';
import { GROUP_TICK, type KafkaTimer } from '../timers.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

export const GROUP_TICK_US = 100_000;

const EMPTY = 0;
const PREPARING_REBALANCE = 1;
const COMPLETING_REBALANCE = 2;
const STABLE = 3;

class GroupMember {
  /** Request id of a JoinGroup awaiting its response (-1: none). */
  joinRequestId = -1;
  syncRequestId = -1;
  assignment: readonly number[] = [];
  constructor(
    public memberId: string,
    readonly instanceId: string | null,
    public node: number,
    public sessionTimeoutUs: number,
    public rebalanceTimeoutUs: number,
    public protocol: string,
    public topics: readonly string[],
    public owned: readonly number[],
    public lastHeartbeatUs: number,
  ) {}
}

class Group {
  state = EMPTY;
  generation = 0;
  protocol = '';
  leaderId = '';
  readonly members = new Map<string, GroupMember>();
  /** group.instance.id -> current member id. */
  readonly staticMembers = new Map<string, string>();
  /** PreparingRebalance: complete the join at joinDeadlineUs at the earliest, rebalanceDeadlineUs at the latest. */
  joinDeadlineUs = 0;
  rebalanceDeadlineUs = 0;
  /** Committed offset and its leader epoch per global partition index. */
  readonly committed = new Map<number, { offset: number; leaderEpoch: number }>();
  constructor(
    readonly groupId: string,
    /** Global index of its __consumer_offsets partition. */
    readonly partition: number,
  ) {}
}

/** An append to __consumer_offsets waiting for the high watermark. */
interface PendingAppend {
  key: number;
  partition: number;
  requiredOffset: number;
  leaderEpoch: number;
  group: Group;
  /** An offset commit (answered to `from`) or a group-metadata store (answers every pending sync). */
  commit: OffsetCommitRequest | null;
  from: number;
  timerId: number;
}

export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();
  private pending: PendingAppend[] = [];
  private nextKey = 1;
  private readonly numPartitions: number;
  private readonly initialDelayUs: number;
  private readonly commitTimeoutUs: number;

  constructor(
    private readonly world: KafkaWorld,
    private readonly replicas: CoordinatorReplicaAccess,
  ) {
    const bc = world.scenario.brokerConfig;
    this.numPartitions = world.layout.offsetsPartitions.length;
    this.initialDelayUs = (bc['group.initial.rebalance.delay.ms'] ?? 3000) * 1000;
    this.commitTimeoutUs = (bc['offsets.commit.timeout.ms'] ?? 5000) * 1000;
  }

  /** Process start: nothing is loaded until the broker leads an offsets partition. */
  onStart(ctx: Ctx): void {
    this.groups.clear();
    this.pending = [];
    ctx.setTimer(GROUP_TICK_US, GROUP_TICK);
  }

  offsetsPartitionOf(groupId: string): number {
    return this.world.layout.offsetsPartitions[partitionForGroup(groupId, this.numPartitions)];
  }

  private owns(partition: number): boolean {
    return this.replicas.leads(partition);
  }

  // ---- load / unload (GroupMetadataManager.loadGroupsAndOffsets / removeGroupsForPartition) ----

  onBecomeLeader(ctx: Ctx, partition: number): void {
    this.unload(ctx, partition);
    const log = this.replicas.localLog(partition);
    const offsetsRecords = this.world.offsetsRecords;
    const metadata = new Map<string, GroupMetadataRecord>();
    const offsets = new Map<string, Map<number, { offset: number; leaderEpoch: number }>>();
    for (let o = log.logStartOffset; o < log.logEndOffset; o++) {
      const id = log.records[o].id;
      if (id < 0) continue; // compacted away
      const rec = offsetsRecords.get(id);
      if (rec === undefined) throw new Error(`__consumer_offsets record ${id} has no payload`);
      if (rec.kind === 'group') metadata.set(rec.group, rec);
      else {
        let m = offsets.get(rec.group);
        if (m === undefined) offsets.set(rec.group, (m = new Map()));
        m.set(rec.partition, { offset: rec.offset, leaderEpoch: rec.leaderEpoch });
      }
    }
    const names = new Set<string>([...metadata.keys(), ...offsets.keys()]);
    for (const name of names) {
      const g = new Group(name, partition);
      const md = metadata.get(name);
      if (md !== undefined) {
        g.generation = md.generation;
        g.protocol = md.protocol;
        g.leaderId = md.leaderId;
        for (const pm of md.members) {
          const m = new GroupMember(pm.memberId, pm.instanceId, pm.node, pm.sessionTimeoutUs, pm.rebalanceTimeoutUs, md.protocol, pm.topics, pm.assignment, ctx.nowUs);
          m.assignment = pm.assignment;
          g.members.set(pm.memberId, m);
          if (pm.instanceId !== null) g.staticMembers.set(pm.instanceId, pm.memberId);
        }
        g.state = g.members.size > 0 ? STABLE : EMPTY;
      }
      const committed = offsets.get(name);
      if (committed !== undefined) for (const [p, v] of committed) g.committed.set(p, v);
      this.groups.set(name, g);
    }
    ctx.emit({ type: 'coordinator-load', partition: this.world.layout.partitions[partition].name, groups: names.size });
  }

  /** The broker no longer leads `partition`: its groups go, waiting requests fail NOT_COORDINATOR. */
  onResign(ctx: Ctx, partition: number): void {
    this.unload(ctx, partition);
  }

  private unload(ctx: Ctx, partition: number): void {
    let kept = 0;
    for (const pa of this.pending) {
      if (pa.partition !== partition) {
        this.pending[kept++] = pa;
        continue;
      }
      ctx.cancelTimer(pa.timerId);
      this.failAppend(ctx, pa, NOT_COORDINATOR);
    }
    this.pending.length = kept;
    for (const [name, g] of this.groups) {
      if (g.partition !== partition) continue;
      for (const m of g.members.values()) this.failPendingRequests(ctx, g, m, NOT_COORDINATOR);
      this.groups.delete(name);
    }
  }

  // ---- requests ----

  onJoinGroup(ctx: Ctx, from: number, req: JoinGroupRequest): void {
    const partition = this.offsetsPartitionOf(req.group);
    if (!this.owns(partition)) return this.joinError(ctx, from, req.requestId, NOT_COORDINATOR);
    let g = this.groups.get(req.group);
    if (g === undefined) this.groups.set(req.group, (g = new Group(req.group, partition)));
    let m: GroupMember | undefined;
    if (req.memberId === '') {
      const memberId = `${req.clientId}-${this.world.nextMemberSeq++}`;
      const oldId = req.instanceId === null ? undefined : g.staticMembers.get(req.instanceId);
      const old = oldId === undefined ? undefined : g.members.get(oldId);
      if (old !== undefined && oldId !== undefined) {
        // KIP-345: a known static member rejoining takes over its old identity; the old member
        // id is fenced. With unchanged subscriptions in a stable group it gets its assignment
        // back without a rebalance.
        g.members.delete(oldId);
        this.failPendingRequests(ctx, g, old, FENCED_INSTANCE_ID);
        old.memberId = memberId;
        old.node = from;
        old.lastHeartbeatUs = ctx.nowUs;
        g.members.set(memberId, old);
        g.staticMembers.set(req.instanceId!, memberId);
        if (g.leaderId === oldId) g.leaderId = memberId;
        m = old;
        if (g.state === STABLE && sameTopics(old.topics, req.topics)) {
          ctx.send(from, joinResponse(req.requestId, null, g.generation, memberId, g.leaderId, g.protocol, null));
          return;
        }
      } else {
        m = new GroupMember(memberId, req.instanceId, from, req.sessionTimeoutUs, req.rebalanceTimeoutUs, req.protocol, req.topics, req.owned, ctx.nowUs);
        g.members.set(memberId, m);
        if (req.instanceId !== null) g.staticMembers.set(req.instanceId, memberId);
        if (g.state === PREPARING_REBALANCE && g.generation === 0) g.joinDeadlineUs = Math.min(ctx.nowUs + this.initialDelayUs, g.rebalanceDeadlineUs);
      }
    } else {
      m = g.members.get(req.memberId);
      if (m === undefined) return this.joinError(ctx, from, req.requestId, UNKNOWN_MEMBER_ID);
      if (req.instanceId !== null && g.staticMembers.get(req.instanceId) !== req.memberId)
        return this.joinError(ctx, from, req.requestId, FENCED_INSTANCE_ID);
      const unchanged = sameTopics(m.topics, req.topics) && m.protocol === req.protocol;
      m.node = from;
      m.topics = req.topics;
      m.owned = req.owned;
      m.protocol = req.protocol;
      m.lastHeartbeatUs = ctx.nowUs;
      if (g.state === STABLE && unchanged && req.memberId !== g.leaderId) {
        ctx.send(from, joinResponse(req.requestId, null, g.generation, m.memberId, g.leaderId, g.protocol, null));
        return;
      }
    }
    if (m.joinRequestId >= 0) this.joinError(ctx, m.node, m.joinRequestId, REBALANCE_IN_PROGRESS);
    m.joinRequestId = req.requestId;
    m.node = from;
    if (g.state !== PREPARING_REBALANCE) this.prepareRebalance(ctx, g, 'join');
    this.maybeCompleteJoin(ctx, g);
  }

  onSyncGroup(ctx: Ctx, from: number, req: SyncGroupRequest): void {
    const partition = this.offsetsPartitionOf(req.group);
    if (!this.owns(partition)) return this.syncError(ctx, from, req.requestId, NOT_COORDINATOR);
    const g = this.groups.get(req.group);
    const m = g?.members.get(req.memberId);
    if (g === undefined || m === undefined || g.state === EMPTY) return this.syncError(ctx, from, req.requestId, UNKNOWN_MEMBER_ID);
    if (req.generation !== g.generation) return this.syncError(ctx, from, req.requestId, ILLEGAL_GENERATION);
    if (g.state === PREPARING_REBALANCE) return this.syncError(ctx, from, req.requestId, REBALANCE_IN_PROGRESS);
    m.lastHeartbeatUs = ctx.nowUs;
    m.node = from;
    if (g.state === STABLE) {
      ctx.send(from, { type: 'sync-group-response', requestId: req.requestId, error: null, assignment: m.assignment });
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
    this.appendToOffsetsTopic(ctx, g, [this.groupRecord(g)], null, from);
  }

  onHeartbeat(ctx: Ctx, from: number, req: HeartbeatRequest): void {
    let error: string | null = null;
    const partition = this.offsetsPartitionOf(req.group);
    const g = this.groups.get(req.group);
    const m = g?.members.get(req.memberId);
    if (!this.owns(partition)) error = NOT_COORDINATOR;
    else if (g === undefined || m === undefined || g.state === EMPTY) error = UNKNOWN_MEMBER_ID;
    else if (req.generation !== g.generation) error = ILLEGAL_GENERATION;
    else {
      m.lastHeartbeatUs = ctx.nowUs;
      if (g.state === PREPARING_REBALANCE) error = REBALANCE_IN_PROGRESS;
    }
    ctx.send(from, { type: 'heartbeat-response', requestId: req.requestId, error });
  }

  onLeaveGroup(ctx: Ctx, req: LeaveGroupRequest): void {
    if (!this.owns(this.offsetsPartitionOf(req.group))) return;
    const g = this.groups.get(req.group);
    const m = g?.members.get(req.memberId);
    if (g === undefined || m === undefined) return;
    this.removeMember(ctx, g, m, 'leave');
  }

  onOffsetCommit(ctx: Ctx, from: number, req: OffsetCommitRequest): void {
    const partition = this.offsetsPartitionOf(req.group);
    if (!this.owns(partition)) return this.commitResponse(ctx, from, req.requestId, NOT_COORDINATOR);
    let g = this.groups.get(req.group);
    let error: string | null = null;
    if (g === undefined) {
      // A group the coordinator does not know accepts only commits outside group management.
      if (req.generation >= 0) error = ILLEGAL_GENERATION;
      else this.groups.set(req.group, (g = new Group(req.group, partition)));
    } else if (req.generation >= 0 || g.state !== EMPTY) {
      const m = g.members.get(req.memberId);
      if (this.world.bugs.acceptStaleGenerationCommit && req.generation >= 0 && req.generation < g.generation) error = null; // bug zoo
      else if (req.instanceId !== null && g.staticMembers.has(req.instanceId) && g.staticMembers.get(req.instanceId) !== req.memberId) error = FENCED_INSTANCE_ID;
      else if (m === undefined) error = UNKNOWN_MEMBER_ID;
      else if (req.generation !== g.generation) error = ILLEGAL_GENERATION;
      else if (g.state === COMPLETING_REBALANCE) error = REBALANCE_IN_PROGRESS;
      else m.lastHeartbeatUs = ctx.nowUs;
    }
    if (error !== null || g === undefined) return this.commitResponse(ctx, from, req.requestId, error);
    const records: OffsetsRecord[] = new Array(req.partitions.length);
    for (let i = 0; i < req.partitions.length; i++)
      records[i] = {
        kind: 'offset',
        group: req.group,
        partition: req.partitions[i],
        offset: req.offsets[i],
        leaderEpoch: req.leaderEpochs[i],
        key: `${req.group}\u0000${req.partitions[i]}`,
      };
    this.appendToOffsetsTopic(ctx, g, records, req, from);
  }

  onOffsetFetch(ctx: Ctx, from: number, req: OffsetFetchRequest): void {
    const partition = this.offsetsPartitionOf(req.group);
    const offsets = new Array<number>(req.partitions.length).fill(-1);
    const leaderEpochs = new Array<number>(req.partitions.length).fill(-1);
    if (!this.owns(partition)) {
      ctx.send(from, { type: 'offset-fetch-response', requestId: req.requestId, error: NOT_COORDINATOR, offsets, leaderEpochs });
      return;
    }
    const g = this.groups.get(req.group);
    if (g !== undefined)
      for (let i = 0; i < req.partitions.length; i++) {
        const c = g.committed.get(req.partitions[i]);
        if (c === undefined) continue;
        offsets[i] = c.offset;
        leaderEpochs[i] = c.leaderEpoch;
      }
    ctx.send(from, { type: 'offset-fetch-response', requestId: req.requestId, error: null, offsets, leaderEpochs });
  }

  // ---- periodic: sessions and rebalance deadlines ----

  onTick(ctx: Ctx): void {
    ctx.setTimer(GROUP_TICK_US, GROUP_TICK);
    const now = ctx.nowUs;
    for (const g of this.groups.values()) {
      for (const m of g.members.values()) {
        // A member waiting for its JoinGroup response is kept alive (MemberMetadata.shouldKeepAlive).
        if (m.joinRequestId >= 0 && g.state === PREPARING_REBALANCE) continue;
        if (now - m.lastHeartbeatUs > m.sessionTimeoutUs) {
          ctx.emit({ type: 'member-expired', group: g.groupId, memberId: m.memberId, generation: g.generation });
          this.removeMember(ctx, g, m, 'session-timeout');
        }
      }
      if (g.state === PREPARING_REBALANCE) this.maybeCompleteJoin(ctx, g);
    }
  }

  // ---- rebalance ----

  private prepareRebalance(ctx: Ctx, g: Group, reason: string): void {
    if (g.state === COMPLETING_REBALANCE) for (const m of g.members.values()) this.failSync(ctx, m, REBALANCE_IN_PROGRESS);
    const wasEmpty = g.state === EMPTY;
    g.state = PREPARING_REBALANCE;
    let timeoutUs = 0;
    for (const m of g.members.values()) if (m.rebalanceTimeoutUs > timeoutUs) timeoutUs = m.rebalanceTimeoutUs;
    g.rebalanceDeadlineUs = ctx.nowUs + timeoutUs;
    // InitialDelayedJoin: a new group waits group.initial.rebalance.delay.ms for more members.
    g.joinDeadlineUs = wasEmpty && g.generation === 0 ? Math.min(ctx.nowUs + this.initialDelayUs, g.rebalanceDeadlineUs) : ctx.nowUs;
    this.world.stats.rebalances++;
    ctx.emit({ type: 'rebalance-start', group: g.groupId, generation: g.generation, reason });
  }

  private maybeCompleteJoin(ctx: Ctx, g: Group): void {
    if (g.state !== PREPARING_REBALANCE || ctx.nowUs < g.joinDeadlineUs) return;
    let allJoined = true;
    for (const m of g.members.values()) if (m.joinRequestId < 0 && m.instanceId === null) allJoined = false;
    if (!allJoined && ctx.nowUs < g.rebalanceDeadlineUs) return;
    // Dynamic members that did not rejoin in time are removed; static ones stay (KIP-345).
    for (const m of [...g.members.values()]) if (m.joinRequestId < 0 && m.instanceId === null) g.members.delete(m.memberId);
    g.generation++;
    if (g.members.size === 0) {
      g.state = EMPTY;
      g.leaderId = '';
      g.protocol = '';
      ctx.emit({ type: 'rebalance-end', group: g.groupId, generation: g.generation, members: 0 });
      this.appendToOffsetsTopic(ctx, g, [this.groupRecord(g)], null, -1);
      return;
    }
    const first = g.members.values().next().value!;
    if (!g.members.has(g.leaderId)) g.leaderId = first.memberId;
    g.protocol = first.protocol;
    g.state = COMPLETING_REBALANCE;
    const list: JoinGroupMember[] = [];
    for (const m of g.members.values()) list.push({ memberId: m.memberId, topics: m.topics, owned: m.owned });
    for (const m of g.members.values()) {
      m.lastHeartbeatUs = ctx.nowUs;
      if (m.joinRequestId < 0) continue;
      ctx.send(m.node, joinResponse(m.joinRequestId, null, g.generation, m.memberId, g.leaderId, g.protocol, m.memberId === g.leaderId ? list : null));
      m.joinRequestId = -1;
    }
  }

  private removeMember(ctx: Ctx, g: Group, m: GroupMember, reason: string): void {
    this.failPendingRequests(ctx, g, m, UNKNOWN_MEMBER_ID);
    g.members.delete(m.memberId);
    if (m.instanceId !== null && g.staticMembers.get(m.instanceId) === m.memberId) g.staticMembers.delete(m.instanceId);
    if (g.state === STABLE || g.state === COMPLETING_REBALANCE) this.prepareRebalance(ctx, g, reason);
    if (g.state === PREPARING_REBALANCE) this.maybeCompleteJoin(ctx, g);
  }

  private groupRecord(g: Group): GroupMetadataRecord {
    const members: PersistedMember[] = [];
    for (const m of g.members.values())
      members.push({
        memberId: m.memberId,
        instanceId: m.instanceId,
        node: m.node,
        sessionTimeoutUs: m.sessionTimeoutUs,
        rebalanceTimeoutUs: m.rebalanceTimeoutUs,
        topics: m.topics,
        assignment: m.assignment,
      });
    return { kind: 'group', group: g.groupId, generation: g.generation, protocol: g.protocol, leaderId: g.leaderId, members, key: g.groupId };
  }

  // ---- __consumer_offsets appends ----

  private appendToOffsetsTopic(ctx: Ctx, g: Group, records: OffsetsRecord[], commit: OffsetCommitRequest | null, from: number): void {
    const replicas = this.replicas;
    const leaderEpoch = replicas.leaderEpochOf(g.partition);
    if (leaderEpoch < 0) throw new Error(`group ${g.groupId}: append to ${g.partition} without leading it`);
    // Kafka maps NOT_ENOUGH_REPLICAS on the offsets topic to COORDINATOR_NOT_AVAILABLE.
    if (replicas.isrSizeOf(g.partition) < this.world.layout.partitions[g.partition].minInsyncReplicas) {
      const pa: PendingAppend = { key: 0, partition: g.partition, requiredOffset: 0, leaderEpoch, group: g, commit, from, timerId: -1 };
      return this.failAppend(ctx, pa, COORDINATOR_NOT_AVAILABLE);
    }
    const ids = new Array<number>(records.length);
    const world = this.world;
    for (let i = 0; i < records.length; i++) {
      ids[i] = world.nextRecordId++;
      world.offsetsRecords.set(ids[i], records[i]);
    }
    replicas.appendAsLeader(ctx, g.partition, ids);
    const key = this.nextKey++;
    const pa: PendingAppend = {
      key,
      partition: g.partition,
      requiredOffset: replicas.localLog(g.partition).logEndOffset,
      leaderEpoch,
      group: g,
      commit,
      from,
      timerId: -1,
    };
    if (replicas.localLog(g.partition).highWatermark >= pa.requiredOffset) return this.completeAppend(ctx, pa);
    pa.timerId = ctx.setTimer(this.commitTimeoutUs, { type: 'offsets-append-timeout', key });
    this.pending.push(pa);
    replicas.maybeAdvanceHighWatermark(ctx, g.partition);
  }

  /** The leader's high watermark of an offsets partition moved: complete replicated appends. */
  onHighWatermark(ctx: Ctx, partition: number, hw: number): void {
    if (this.pending.length === 0) return;
    let kept = 0;
    const done: PendingAppend[] = [];
    for (const pa of this.pending) {
      if (pa.partition === partition && pa.requiredOffset <= hw) done.push(pa);
      else this.pending[kept++] = pa;
    }
    this.pending.length = kept;
    for (const pa of done) {
      ctx.cancelTimer(pa.timerId);
      if (this.replicas.leaderEpochOf(partition) >= 0 && this.replicas.isrSizeOf(partition) < this.world.layout.partitions[partition].minInsyncReplicas) this.failAppend(ctx, pa, COORDINATOR_NOT_AVAILABLE);
      else this.completeAppend(ctx, pa);
    }
  }

  onAppendTimeout(ctx: Ctx, key: number): void {
    const i = this.pending.findIndex((pa) => pa.key === key);
    if (i < 0) return;
    const pa = this.pending[i];
    this.pending.splice(i, 1);
    // REQUEST_TIMED_OUT maps to COORDINATOR_NOT_AVAILABLE; the records stay in the log and may
    // still be replicated (a later coordinator would load them).
    this.failAppend(ctx, pa, COORDINATOR_NOT_AVAILABLE);
  }

  private completeAppend(ctx: Ctx, pa: PendingAppend): void {
    const g = pa.group;
    if (pa.commit !== null) {
      const c = pa.commit;
      for (let i = 0; i < c.partitions.length; i++) g.committed.set(c.partitions[i], { offset: c.offsets[i], leaderEpoch: c.leaderEpochs[i] });
      return this.commitResponse(ctx, pa.from, c.requestId, null);
    }
    if (g.state !== COMPLETING_REBALANCE) return; // an Empty group's record, or overtaken by a new rebalance
    g.state = STABLE;
    const assignment: string[] = [];
    for (const m of g.members.values()) {
      assignment.push(`${m.memberId}=${m.assignment.map((p) => this.world.layout.partitions[p].name).join(',')}`);
      if (m.syncRequestId < 0) continue;
      ctx.send(m.node, { type: 'sync-group-response', requestId: m.syncRequestId, error: null, assignment: m.assignment });
      m.syncRequestId = -1;
    }
    ctx.emit({ type: 'rebalance-end', group: g.groupId, generation: g.generation, members: g.members.size, assignment });
  }

  private failAppend(ctx: Ctx, pa: PendingAppend, error: string): void {
    if (pa.commit !== null) return this.commitResponse(ctx, pa.from, pa.commit.requestId, error);
    const g = pa.group;
    if (g.state !== COMPLETING_REBALANCE) return;
    // storeGroup failed: members get the error and the group rebalances again.
    for (const m of g.members.values()) this.failSync(ctx, m, error);
    if (error !== NOT_COORDINATOR) this.prepareRebalance(ctx, g, 'store-failed');
  }

  // ---- responses ----

  private failPendingRequests(ctx: Ctx, g: Group, m: GroupMember, error: string): void {
    if (m.joinRequestId >= 0) {
      this.joinError(ctx, m.node, m.joinRequestId, error);
      m.joinRequestId = -1;
    }
    this.failSync(ctx, m, error);
    void g;
  }

  private failSync(ctx: Ctx, m: GroupMember, error: string): void {
    if (m.syncRequestId < 0) return;
    this.syncError(ctx, m.node, m.syncRequestId, error);
    m.syncRequestId = -1;
  }

  private joinError(ctx: Ctx, to: number, requestId: number, error: string): void {
    ctx.send(to, joinResponse(requestId, error, -1, '', '', '', null));
  }

  private syncError(ctx: Ctx, to: number, requestId: number, error: string): void {
    ctx.send(to, { type: 'sync-group-response', requestId, error, assignment: EMPTY_ASSIGNMENT });
  }

  private commitResponse(ctx: Ctx, to: number, requestId: number, error: string | null): void {
    if (to < 0) return;
    ctx.send(to, { type: 'offset-commit-response', requestId, error });
  }
}

const EMPTY_ASSIGNMENT: readonly number[] = [];

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
