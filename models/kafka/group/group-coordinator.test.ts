// GroupCoordinator on its own, against a fake __consumer_offsets replica: the join / sync
// generation protocol, offset commit validation, answers only once the group or offset record is
// replicated, session expiry, and loading a group on becoming coordinator.
import { describe, expect, it } from 'vitest';
import { Topology } from '../../../src/net/topology.ts';
import type { ModelEvent, NodeContext } from '../../../src/sim/model.ts';
import { ClusterLayout } from '../cluster-layout.ts';
import { KafkaWorld } from '../kafka-world.ts';
import type { JoinGroupResponse, KafkaMessage, OffsetCommitRequest } from '../messages.ts';
import type { PartitionLog } from '../storage/partition-log.ts';
import { buildScenario, scenarioNodes } from '../testing/kafka-test-cluster.ts';
import type { KafkaTimer } from '../timers.ts';
import type { CoordinatorReplicaAccess } from './coordinator-replica-access.ts';
import { GroupCoordinator } from './group-coordinator.ts';

const SESSION_US = 10_000_000;
const INITIAL_DELAY_US = 3_000_000;

class RecordingContext implements NodeContext<KafkaMessage, KafkaTimer> {
  nowUs = 0;
  readonly node = 0;
  readonly connection = -1;
  sent: { to: number; msg: KafkaMessage }[] = [];
  readonly emitted: ModelEvent[] = [];
  readonly timers = new Map<number, KafkaTimer>();
  /** When each armed timer is due. */
  readonly dueUs = new Map<number, number>();
  private nextTimerId = 1;
  send(to: number, msg: KafkaMessage): void {
    this.sent.push({ to, msg });
  }
  sendBounded(to: number, msg: KafkaMessage): boolean {
    this.sent.push({ to, msg });
    return true;
  }
  reply(to: number, msg: KafkaMessage): void {
    this.sent.push({ to, msg });
  }
  connect(): void {}
  disconnect(): void {}
  closeAccepted(): void {}
  setListening(): void {}
  setTimer(delayUs: number, timer: KafkaTimer): number {
    this.timers.set(this.nextTimerId, timer);
    this.dueUs.set(this.nextTimerId, this.nowUs + delayUs);
    return this.nextTimerId++;
  }
  cancelTimer(id: number): void {
    this.timers.delete(id);
    this.dueUs.delete(id);
  }
  /** Removes and returns the earliest timer due by now (ties: first armed), or null. */
  nextDue(): KafkaTimer | null {
    let best = -1;
    for (const [id, at] of this.dueUs) if (at <= this.nowUs && (best < 0 || at < this.dueUs.get(best)!)) best = id;
    if (best < 0) return null;
    const timer = this.timers.get(best)!;
    this.cancelTimer(best);
    return timer;
  }
  emit(event: ModelEvent): void {
    this.emitted.push(event);
  }
  /** The messages sent since the last call. */
  take(): { to: number; msg: KafkaMessage }[] {
    const out = this.sent;
    this.sent = [];
    return out;
  }
}

/** The offsets partition's leader replica, as far as the coordinator reads it. */
class FakeOffsetsReplica implements CoordinatorReplicaAccess {
  leading = true;
  isrSize = 3;
  readonly log = {
    logStartOffset: 0,
    highWatermark: 0,
    records: [] as { id: number }[],
    get logEndOffset() {
      return this.records.length;
    },
    idAt(offset: number) {
      return this.records[offset].id;
    },
  };
  leads(): boolean {
    return this.leading;
  }
  leaderEpochOf(): number {
    return this.leading ? 1 : -1;
  }
  isrSizeOf(): number {
    return this.leading ? this.isrSize : 0;
  }
  localLog(): PartitionLog {
    return this.log as unknown as PartitionLog;
  }
  appendAsLeader(_ctx: unknown, _partition: number, recordIds: number[]): void {
    for (const id of recordIds) this.log.records.push({ id });
  }
  maybeAdvanceHighWatermark(): void {}
}

function setup() {
  const scenario = buildScenario({
    durationMs: 1000,
    brokerConfig: { 'group.initial.rebalance.delay.ms': INITIAL_DELAY_US / 1000 },
    consumerGroups: [{ groupId: 'g', members: [{ name: 'm1' }, { name: 'm2' }] }],
  });
  const world = new KafkaWorld(scenario, new ClusterLayout(scenario, new Topology(scenarioNodes(scenario))), Infinity);
  const replica = new FakeOffsetsReplica();
  const coordinator = new GroupCoordinator(world, replica);
  const ctx = new RecordingContext();
  coordinator.onStart(ctx);
  const op = coordinator.offsetsPartitionOf('g');
  /** Replicates everything appended so far. */
  const replicate = () => {
    replica.log.highWatermark = replica.log.logEndOffset;
    coordinator.onHighWatermark(ctx, op, replica.log.highWatermark);
  };
  /** Fires, in time order, every group timer due by ctx.nowUs (as the broker routes them). */
  const fireDue = () => {
    for (let t = ctx.nextDue(); t !== null; t = ctx.nextDue()) {
      if (t.type === 'member-session-expiry') coordinator.onMemberSessionExpiry(ctx, t);
      else if (t.type === 'group-join-deadline') coordinator.onJoinDeadline(ctx, t.group);
    }
  };
  return { world, replica, coordinator, ctx, op, replicate, fireDue };
}

const join = (requestId: number, memberId = '', clientId = 'c') => ({
  type: 'join-group' as const,
  requestId,
  group: 'g',
  clientId,
  memberId,
  instanceId: null,
  sessionTimeoutUs: SESSION_US,
  rebalanceTimeoutUs: 60_000_000,
  protocol: 'range',
  topics: ['orders'],
  owned: [],
});

const commit = (requestId: number, memberId: string, generation: number, offset = 5): OffsetCommitRequest => ({
  type: 'offset-commit',
  requestId,
  group: 'g',
  generation,
  memberId,
  instanceId: null,
  partitions: [0],
  offsets: [offset],
  leaderEpochs: [1],
});

/** Two members joined and synced: generation 1, c-1 leads with partition 0, c-2 has none. */
function stableGroup() {
  const s = setup();
  s.coordinator.onJoinGroup(s.ctx, 11, join(1, '', 'c'));
  s.coordinator.onJoinGroup(s.ctx, 12, join(2, '', 'c'));
  s.ctx.nowUs = INITIAL_DELAY_US;
  s.fireDue();
  const joined = s.ctx.take().map((x) => x.msg as JoinGroupResponse);
  const [leader, follower] = joined;
  s.coordinator.onSyncGroup(s.ctx, 11, {
    type: 'sync-group',
    requestId: 3,
    group: 'g',
    generation: 1,
    memberId: leader.memberId,
    assignedMembers: [leader.memberId, follower.memberId],
    assignedPartitions: [[0], []],
  });
  s.replicate();
  s.ctx.take();
  return { ...s, leaderId: leader.memberId, followerId: follower.memberId, joined };
}

describe('GroupCoordinator join and sync', () => {
  it('waits group.initial.rebalance.delay.ms for members, then answers every join; only the leader gets the members', () => {
    const { joined, ctx } = stableGroup();
    expect(joined.map((r) => [r.error, r.generation, r.memberId, r.leaderId, r.members?.map((m) => m.memberId) ?? null])).toEqual([
      [null, 1, 'c-1', 'c-1', ['c-1', 'c-2']],
      [null, 1, 'c-2', 'c-1', null],
    ]);
    const kinds = ctx.emitted.map((e) => `${e.type}:${String(e.generation)}`);
    expect(kinds).toEqual(['rebalance-start:0', 'rebalance-end:1']);
  });

  it('answers the leader’s SyncGroup only once the group record is replicated', () => {
    const s = setup();
    s.coordinator.onJoinGroup(s.ctx, 11, join(1));
    s.ctx.nowUs = INITIAL_DELAY_US;
    s.fireDue();
    s.ctx.take();
    s.coordinator.onSyncGroup(s.ctx, 11, { type: 'sync-group', requestId: 2, group: 'g', generation: 1, memberId: 'c-1', assignedMembers: ['c-1'], assignedPartitions: [[0, 1]] });
    expect(s.ctx.take()).toEqual([]);
    expect(s.replica.log.records).toHaveLength(1);
    s.replicate();
    expect(s.ctx.take()).toEqual([{ to: 11, msg: { type: 'sync-group-response', requestId: 2, error: null, assignment: [0, 1] } }]);
  });

  it('refuses everything with NOT_COORDINATOR when it does not lead the group’s offsets partition', () => {
    const s = setup();
    s.replica.leading = false;
    s.coordinator.onJoinGroup(s.ctx, 11, join(1));
    s.coordinator.onHeartbeat(s.ctx, 11, { type: 'heartbeat', requestId: 2, group: 'g', generation: 1, memberId: 'c-1' });
    s.coordinator.onOffsetCommit(s.ctx, 11, commit(3, 'c-1', 1));
    s.coordinator.onOffsetFetch(s.ctx, 11, { type: 'offset-fetch', requestId: 4, group: 'g', partitions: [0] });
    expect(s.ctx.take().map((x) => (x.msg as { error: string | null }).error)).toEqual(['NOT_COORDINATOR', 'NOT_COORDINATOR', 'NOT_COORDINATOR', 'NOT_COORDINATOR']);
  });
});

describe('GroupCoordinator offset commits', () => {
  it('validates commits as validateOffsetCommit does', () => {
    const s = stableGroup();
    s.coordinator.onOffsetCommit(s.ctx, 11, commit(5, 'nobody', 1));
    s.coordinator.onOffsetCommit(s.ctx, 11, commit(6, s.leaderId, 0));
    s.coordinator.onOffsetCommit(s.ctx, 11, commit(7, s.leaderId, 1));
    expect(s.ctx.take().map((x) => (x.msg as { error: string | null }).error)).toEqual(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION']);
    s.replicate();
    expect(s.ctx.take().map((x) => x.msg)).toEqual([{ type: 'offset-commit-response', requestId: 7, error: null }]);
    s.coordinator.onOffsetFetch(s.ctx, 11, { type: 'offset-fetch', requestId: 8, group: 'g', partitions: [0, 1] });
    expect(s.ctx.take().map((x) => x.msg)).toEqual([{ type: 'offset-fetch-response', requestId: 8, error: null, offsets: [5, -1], leaderEpochs: [1, -1] }]);
  });

  it('fails a commit COORDINATOR_NOT_AVAILABLE while the offsets partition is below min.insync.replicas', () => {
    const s = stableGroup();
    s.replica.isrSize = 0;
    s.coordinator.onOffsetCommit(s.ctx, 11, commit(5, s.leaderId, 1));
    expect(s.ctx.take().map((x) => x.msg)).toEqual([{ type: 'offset-commit-response', requestId: 5, error: 'COORDINATOR_NOT_AVAILABLE' }]);
  });

  it('fails a commit COORDINATOR_NOT_AVAILABLE when it is not replicated within offsets.commit.timeout.ms', () => {
    const s = stableGroup();
    s.coordinator.onOffsetCommit(s.ctx, 11, commit(5, s.leaderId, 1));
    expect([...s.ctx.timers.values()].filter((t) => t.type === 'offsets-append-timeout')).toHaveLength(1);
    s.coordinator.onAppendTimeout(s.ctx); // fired early (armed for an earlier append): nothing is due
    expect(s.ctx.take()).toEqual([]);
    s.ctx.nowUs += 5_000_000; // offsets.commit.timeout.ms
    s.coordinator.onAppendTimeout(s.ctx);
    expect(s.ctx.take().map((x) => x.msg)).toEqual([{ type: 'offset-commit-response', requestId: 5, error: 'COORDINATOR_NOT_AVAILABLE' }]);
  });
});

describe('GroupCoordinator membership', () => {
  it('expires a member at exactly its session deadline (DelayedHeartbeat) and rebalances the rest', () => {
    const s = stableGroup();
    s.ctx.emitted.length = 0;
    s.ctx.nowUs += SESSION_US / 2;
    s.coordinator.onHeartbeat(s.ctx, 12, { type: 'heartbeat', requestId: 9, group: 'g', generation: 1, memberId: s.followerId });
    s.ctx.nowUs += SESSION_US / 2 - 1;
    s.fireDue();
    expect(s.ctx.emitted).toEqual([]);
    s.ctx.nowUs += 1; // the leader's last heartbeat was the join's completion, SESSION_US ago
    s.fireDue();
    expect(s.ctx.emitted.map((e) => [e.type, e.memberId ?? e.reason])).toEqual([
      ['member-expired', s.leaderId],
      ['rebalance-start', 'session-timeout'],
    ]);
    s.ctx.take();
    s.coordinator.onHeartbeat(s.ctx, 12, { type: 'heartbeat', requestId: 10, group: 'g', generation: 1, memberId: s.followerId });
    expect(s.ctx.take().map((x) => (x.msg as { error: string | null }).error)).toEqual(['REBALANCE_IN_PROGRESS']);
  });

  it('keeps a member awaiting its JoinGroup response alive past its session deadline (hasSatisfiedHeartbeat), until the rebalance timeout', () => {
    const s = stableGroup();
    const t0 = s.ctx.nowUs;
    s.ctx.emitted.length = 0;
    s.ctx.nowUs = t0 + 1_000_000;
    s.coordinator.onJoinGroup(s.ctx, 11, join(20, s.leaderId));
    // The follower heartbeats but never rejoins: the join waits for the rebalance timeout (60 s).
    for (let t = t0 + 3_000_000; t <= t0 + 61_000_000; t += 2_000_000) {
      s.ctx.nowUs = t;
      s.coordinator.onHeartbeat(s.ctx, 12, { type: 'heartbeat', requestId: 21, group: 'g', generation: 1, memberId: s.followerId });
      s.fireDue();
    }
    expect(s.ctx.emitted.map((e) => e.type)).toEqual(['rebalance-start']);
    const joined = s.ctx.take().filter((x) => x.msg.type === 'join-group-response').map((x) => x.msg as JoinGroupResponse);
    expect(joined.map((r) => [r.requestId, r.error, r.generation, r.members?.map((m) => m.memberId)])).toEqual([[20, null, 2, [s.leaderId]]]);
  });

  it('a new coordinator loads the group and its offsets from the log; the old one fails waiting requests', () => {
    const s = stableGroup();
    s.coordinator.onOffsetCommit(s.ctx, 11, commit(5, s.leaderId, 1, 42));
    s.replicate();
    s.coordinator.onOffsetCommit(s.ctx, 11, commit(6, s.leaderId, 1, 43)); // never replicated
    s.ctx.take();
    s.coordinator.onResign(s.ctx, s.op);
    expect(s.ctx.take().map((x) => x.msg)).toEqual([{ type: 'offset-commit-response', requestId: 6, error: 'NOT_COORDINATOR' }]);
    const successor = new GroupCoordinator(s.world, s.replica);
    successor.onStart(s.ctx);
    successor.onBecomeLeader(s.ctx, s.op);
    expect(s.ctx.emitted.at(-1)).toMatchObject({ type: 'coordinator-load', groups: 1 });
    successor.onOffsetFetch(s.ctx, 11, { type: 'offset-fetch', requestId: 7, group: 'g', partitions: [0] });
    successor.onHeartbeat(s.ctx, 12, { type: 'heartbeat', requestId: 8, group: 'g', generation: 1, memberId: s.followerId });
    // The unreplicated commit is in the log too: loading reads the log to its end (a simplification).
    expect(s.ctx.take().map((x) => x.msg)).toEqual([
      { type: 'offset-fetch-response', requestId: 7, error: null, offsets: [43], leaderEpochs: [1] },
      { type: 'heartbeat-response', requestId: 8, error: null },
    ]);
  });
});
