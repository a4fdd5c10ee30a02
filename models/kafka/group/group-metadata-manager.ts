// Kafka's GroupMetadataManager (classic groups): the groups a coordinator owns, loaded from and
// written to __consumer_offsets. On becoming leader of an offsets partition it loads every group
// from its log (loadGroupsAndOffsets), so a failover keeps exactly what the new leader's log holds:
// an unclean election can roll committed offsets back. Offset commits and group metadata are
// appended as leader and answered once replicated (storeOffsets / storeGroup, as
// offsets.commit.required.acks=-1 does), or failed after offsets.commit.timeout.ms.
//
// Simplifications: loading a partition's groups is instantaneous (no COORDINATOR_LOAD_IN_PROGRESS)
// and reads the log to its end; offsets never expire (offsets.retention.minutes).

import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import { COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR, type KafkaMessage, type OffsetCommitRequest } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';
import { RequestDeadlineTimers } from '../clients/request-deadline-timers.ts';
import type { CoordinatorReplicaAccess } from './coordinator-replica-access.ts';
import { GroupMetadata, type CommittedOffset } from './group-metadata.ts';
import { MemberMetadata } from './member-metadata.ts';
import { partitionForGroup, type GroupMetadataRecord, type OffsetsRecord, type PersistedMember } from './offsets-topic.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** The coordinator's response callbacks for appends and unloads. */
export interface GroupStoreCallbacks {
  /** storeGroup finished: the group record is replicated (error null), or it failed. */
  onStoreGroupComplete(ctx: Ctx, group: GroupMetadata, error: string | null): void;
  /** storeOffsets finished: answer the OffsetCommit. */
  onStoreOffsetsComplete(ctx: Ctx, commit: OffsetCommitRequest, from: number, error: string | null): void;
  /** The group was unloaded: its members' waiting requests fail. */
  onGroupUnloaded(ctx: Ctx, group: GroupMetadata): void;
}

/** An append to __consumer_offsets waiting for the high watermark. */
interface PendingAppend {
  key: number;
  partition: number;
  requiredOffset: number;
  leaderEpoch: number;
  group: GroupMetadata;
  /** An offset commit (answered to `from`) or a group-metadata store (answers every pending sync). */
  commit: OffsetCommitRequest | null;
  from: number;
  /** When offsets.commit.timeout.ms ends for it. */
  deadlineUs: number;
}

/** The one key of the appends' timeout timer. */
const APPENDS = 0;
const OFFSETS_APPEND_TIMEOUT: readonly KafkaTimer[] = [{ type: 'offsets-append-timeout' }];

export class GroupMetadataManager {
  private readonly groups = new Map<string, GroupMetadata>();
  private pending: PendingAppend[] = [];
  /** One timer for the pending appends, armed at the earliest deadline (clients/request-deadline-timers.ts). */
  private readonly timer = new RequestDeadlineTimers(1, OFFSETS_APPEND_TIMEOUT);
  private nextKey = 1;
  private readonly numPartitions: number;
  private readonly commitTimeoutUs: number;

  constructor(
    private readonly world: KafkaWorld,
    private readonly replicas: CoordinatorReplicaAccess,
    private readonly callbacks: GroupStoreCallbacks,
  ) {
    this.numPartitions = world.layout.offsetsPartitions.length;
    this.commitTimeoutUs = world.scenario.brokerConfig['offsets.commit.timeout.ms'] * 1000;
  }

  /** Process start: nothing is loaded until the broker leads an offsets partition. */
  clear(): void {
    this.groups.clear();
    this.pending = [];
    this.timer.clear();
  }

  /** Global index of the __consumer_offsets partition that coordinates `groupId`. */
  partitionFor(groupId: string): number {
    return this.world.layout.offsetsPartitions[partitionForGroup(groupId, this.numPartitions)];
  }

  /** Whether this broker coordinates groups of `partition` now. */
  isPartitionOwned(partition: number): boolean {
    return this.replicas.leads(partition);
  }

  getGroup(groupId: string): GroupMetadata | undefined {
    return this.groups.get(groupId);
  }

  addGroup(group: GroupMetadata): GroupMetadata {
    this.groups.set(group.groupId, group);
    return group;
  }

  allGroups(): IterableIterator<GroupMetadata> {
    return this.groups.values();
  }

  // ---- load / unload ----

  /** loadGroupsAndOffsets: the broker became leader of `partition`; read its groups from the log. */
  loadGroupsForPartition(ctx: Ctx, partition: number): void {
    this.removeGroupsForPartition(ctx, partition);
    const log = this.replicas.localLog(partition);
    const offsetsRecords = this.world.offsetsRecords;
    const metadata = new Map<string, GroupMetadataRecord>();
    const offsets = new Map<string, Map<number, CommittedOffset>>();
    for (let o = log.logStartOffset; o < log.logEndOffset; o++) {
      const id = log.idAt(o);
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
      const g = loadGroup(name, partition, metadata.get(name), ctx.nowUs);
      const committed = offsets.get(name);
      if (committed !== undefined) for (const [p, v] of committed) g.committed.set(p, v);
      this.groups.set(name, g);
    }
    ctx.emit({ type: 'coordinator-load', partition: this.world.layout.partitions[partition].name, groups: names.size });
  }

  /** The broker no longer leads `partition`: its groups go, waiting appends fail NOT_COORDINATOR. */
  removeGroupsForPartition(ctx: Ctx, partition: number): void {
    let kept = 0;
    for (const pa of this.pending) {
      if (pa.partition !== partition) {
        this.pending[kept++] = pa;
        continue;
      }
      this.failAppend(ctx, pa, NOT_COORDINATOR);
    }
    this.pending.length = kept;
    for (const [name, g] of this.groups) {
      if (g.partition !== partition) continue;
      this.callbacks.onGroupUnloaded(ctx, g);
      this.groups.delete(name);
    }
  }

  // ---- appends ----

  /** storeGroup: the group's metadata record (written when a rebalance completes or empties it). */
  storeGroup(ctx: Ctx, g: GroupMetadata): void {
    this.append(ctx, g, [groupMetadataValue(g)], null, -1);
  }

  /** storeOffsets: one offset-commit record per committed partition. */
  storeOffsets(ctx: Ctx, g: GroupMetadata, commit: OffsetCommitRequest, from: number): void {
    const records: OffsetsRecord[] = new Array(commit.partitions.length);
    for (let i = 0; i < commit.partitions.length; i++)
      records[i] = {
        kind: 'offset',
        group: commit.group,
        partition: commit.partitions[i],
        offset: commit.offsets[i],
        leaderEpoch: commit.leaderEpochs[i],
        key: `${commit.group}\u0000${commit.partitions[i]}`,
      };
    this.append(ctx, g, records, commit, from);
  }

  private append(ctx: Ctx, g: GroupMetadata, records: OffsetsRecord[], commit: OffsetCommitRequest | null, from: number): void {
    const replicas = this.replicas;
    const leaderEpoch = replicas.leaderEpochOf(g.partition);
    if (leaderEpoch < 0) throw new Error(`group ${g.groupId}: append to ${g.partition} without leading it`);
    // Kafka maps NOT_ENOUGH_REPLICAS on the offsets topic to COORDINATOR_NOT_AVAILABLE.
    if (replicas.isrSizeOf(g.partition) < this.world.layout.partitions[g.partition].minInsyncReplicas) {
      const pa: PendingAppend = { key: 0, partition: g.partition, requiredOffset: 0, leaderEpoch, group: g, commit, from, deadlineUs: Infinity };
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
      deadlineUs: ctx.nowUs + this.commitTimeoutUs,
    };
    if (replicas.localLog(g.partition).highWatermark >= pa.requiredOffset) return this.completeAppend(ctx, pa);
    this.timer.arm(ctx, APPENDS, pa.deadlineUs);
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
    if (kept !== this.pending.length) this.pending.length = kept; // a length set is a runtime call, even to the same length
    for (const pa of done) {
      if (this.replicas.leaderEpochOf(partition) >= 0 && this.replicas.isrSizeOf(partition) < this.world.layout.partitions[partition].minInsyncReplicas) this.failAppend(ctx, pa, COORDINATOR_NOT_AVAILABLE);
      else this.completeAppend(ctx, pa);
    }
  }

  /** The appends' timer: those past offsets.commit.timeout.ms fail, earliest first; it waits for the next deadline. */
  onAppendTimeout(ctx: Ctx): void {
    const due = this.timer.takeDue(ctx, APPENDS, this.pending);
    // REQUEST_TIMED_OUT maps to COORDINATOR_NOT_AVAILABLE; the records stay in the log and may
    // still be replicated (a later coordinator would load them).
    for (const pa of due) this.failAppend(ctx, pa, COORDINATOR_NOT_AVAILABLE);
  }

  private completeAppend(ctx: Ctx, pa: PendingAppend): void {
    const c = pa.commit;
    if (c === null) return this.callbacks.onStoreGroupComplete(ctx, pa.group, null);
    for (let i = 0; i < c.partitions.length; i++) pa.group.committed.set(c.partitions[i], { offset: c.offsets[i], leaderEpoch: c.leaderEpochs[i] });
    this.callbacks.onStoreOffsetsComplete(ctx, c, pa.from, null);
  }

  private failAppend(ctx: Ctx, pa: PendingAppend, error: string): void {
    if (pa.commit !== null) return this.callbacks.onStoreOffsetsComplete(ctx, pa.commit, pa.from, error);
    this.callbacks.onStoreGroupComplete(ctx, pa.group, error);
  }
}

/** GroupMetadata.loadGroup: a group as its last metadata record left it (Stable with members, else Empty). */
function loadGroup(groupId: string, partition: number, md: GroupMetadataRecord | undefined, nowUs: number): GroupMetadata {
  if (md === undefined) return new GroupMetadata(groupId, partition);
  const g = new GroupMetadata(groupId, partition, md.members.length > 0 ? 'Stable' : 'Empty');
  g.generation = md.generation;
  g.protocol = md.protocol;
  g.leaderId = md.leaderId;
  for (const pm of md.members) {
    const m = new MemberMetadata(pm.memberId, pm.instanceId, pm.node, pm.sessionTimeoutUs, pm.rebalanceTimeoutUs, md.protocol, pm.topics, pm.assignment, nowUs);
    m.assignment = pm.assignment;
    g.add(m);
  }
  return g;
}

/** GroupMetadataManager.groupMetadataValue: the group record as written to __consumer_offsets. */
function groupMetadataValue(g: GroupMetadata): GroupMetadataRecord {
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
