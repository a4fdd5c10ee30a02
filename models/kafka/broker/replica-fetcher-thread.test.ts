import { describe, expect, it } from 'vitest';
import { FENCED_LEADER_EPOCH, OFFSET_OUT_OF_RANGE, type OffsetsForLeaderEpochRequest } from '../messages.ts';
import { MemoryRecords } from '../storage/log-record-store.ts';
import { PartitionLog } from '../storage/partition-log.ts';
import { RecordingContext } from '../testing/recording-context.ts';
import { PROTOCOL_FEATURES } from '../version/protocol-features.ts';
import type { ProtocolEra } from '../version/protocol-features.ts';
import { featuresOfVersion, type KafkaVersion } from '../version/kafka-versions.ts';
import { ReplicaFetcherThread } from './replica-fetcher-thread.ts';
import type { FetcherReplicaAccess, TruncationReason } from './fetcher-replica-access.ts';
import { FETCHING, TRUNCATING } from './partition-fetch-state.ts';

const LEADER = 0;
const FOLLOWER = 1;
const BROKER_NODE = [10, 11, 12];

function logOf(epochs: number[]): PartitionLog {
  const log = new PartitionLog();
  epochs.forEach((epoch, id) => log.appendAsLeader({ id, epoch, producerId: -1, producerEpoch: -1, sequence: -1, batchSize: 1, appendUs: 0 }));
  return log;
}

/** The follower's replica of partition 0, truncated and appended through the fetcher's calls. */
class FollowerReplica implements FetcherReplicaAccess {
  readonly truncations: { offset: number; reason: TruncationReason }[] = [];
  constructor(readonly log: PartitionLog) {}
  localLog(): PartitionLog {
    return this.log;
  }
  brokerEpoch(): number {
    return 1;
  }
  truncate(_ctx: unknown, _p: number, offset: number, reason: TruncationReason): void {
    this.truncations.push({ offset, reason });
    this.log.truncateTo(offset);
  }
  processPartitionData(_ctx: unknown, _p: number, fetchOffset: number, records: MemoryRecords, hw: number): number {
    this.log.appendAsFollower(fetchOffset, records, 0, records.length, 0);
    this.log.maybeIncrementHighWatermark(Math.min(hw, this.log.logEndOffset));
    return 0;
  }
}

function fetcherFor(era: ProtocolEra | KafkaVersion, replica: FollowerReplica): ReplicaFetcherThread {
  const setup = {
    brokerIndex: FOLLOWER,
    hostedPartitions: [0],
    brokerNode: BROKER_NODE,
    partitionCount: 1,
    protocol: era in PROTOCOL_FEATURES ? PROTOCOL_FEATURES[era as ProtocolEra] : featuresOfVersion(era as KafkaVersion),
    backoffUs: 1_000_000,
    connectTimeoutUs: 30_000_000,
    requestTimeoutUs: 30_000_000,
    stats: { fetchRequests: 0, epochRequests: 0 },
  };
  return new ReplicaFetcherThread(setup, replica);
}

/** The first kick opens the connection to the leader; the requests go once it is up. */
function connectAndKick(fetcher: ReplicaFetcherThread, ctx: RecordingContext): void {
  fetcher.kick(ctx, LEADER);
  expect(ctx.connects).toEqual([BROKER_NODE[LEADER]]);
  expect(ctx.sent).toEqual([]);
  fetcher.onConnect(ctx, LEADER);
}

/**
 * The leader answers the follower's latest fetch from its own log as Partition.readRecords does
 * (KAFKA-10554): diverging when its largest epoch at or below the fetch's last fetched epoch is
 * older or ends before the fetch offset. Returns that fetch's last fetched epoch, or null when the
 * fetch does not diverge (it is left unanswered).
 */
function answerDivergingFetch(ctx: RecordingContext, fetcher: ReplicaFetcherThread, leaderLog: PartitionLog): number | null {
  const req = ctx.sentOf('fetch').at(-1)!;
  const part = req.parts[0];
  const r = leaderLog.endOffsetForEpoch(part.lastFetchedEpoch!);
  if (part.lastFetchedEpoch! < 0 || (r.epoch === part.lastFetchedEpoch && r.endOffset >= part.fetchOffset)) return null;
  ctx.clear();
  const diverging = { partition: 0, error: null, fetchOffset: part.fetchOffset, highWatermark: 0, logEndOffset: leaderLog.logEndOffset, records: MemoryRecords.EMPTY, divergingEpoch: r };
  fetcher.onFetchResponse(ctx, LEADER, { type: 'fetch-response', requestId: req.requestId, parts: [diverging] });
  return part.lastFetchedEpoch!;
}

/** The leader answers the follower's latest OffsetsForLeaderEpoch from its own log. */
function answerEpochRequest(ctx: RecordingContext, fetcher: ReplicaFetcherThread, leaderLog: PartitionLog): OffsetsForLeaderEpochRequest {
  const req = ctx.sentOf('offsets-for-leader-epoch').at(-1)!;
  const r = leaderLog.endOffsetForEpoch(req.leaderEpoch);
  ctx.clear();
  fetcher.onEpochResponse(ctx, { type: 'offsets-for-leader-epoch-response', requestId: req.requestId, partition: 0, error: null, leaderEpoch: r.epoch, endOffset: r.endOffset });
  return req;
}

// The follower led epochs 1 and 3 with records the leader never had; the leader (epoch 4) has
// epoch 2 records over the same offsets. Follower: [0 0 0 1 1 3 3 3 3], leader: [0 0 0 2 2 2 2 4].
const FOLLOWER_EPOCHS = [0, 0, 0, 1, 1, 3, 3, 3, 3];
const LEADER_EPOCHS = [0, 0, 0, 2, 2, 2, 2, 4];

function reconcile(
  era: ProtocolEra | KafkaVersion,
  followerEpochs = FOLLOWER_EPOCHS,
  leaderEpochs = LEADER_EPOCHS,
): { replica: FollowerReplica; ctx: RecordingContext; fetcher: ReplicaFetcherThread; asked: number[]; epochRequests: number } {
  const replica = new FollowerReplica(logOf(followerEpochs));
  const fetcher = fetcherFor(era, replica);
  const ctx = new RecordingContext(BROKER_NODE[FOLLOWER]);
  fetcher.addPartition(0, LEADER, 4, TRUNCATING);
  connectAndKick(fetcher, ctx);
  const firstRequest = ctx.sent[0].msg.type;
  // The epochs the follower named where its log may diverge: in OffsetsForLeaderEpoch requests, or in fetches (KAFKA-10554).
  const asked: number[] = [];
  let epochRequests = 0;
  for (;;) {
    if (ctx.sentOf('offsets-for-leader-epoch').length > 0) {
      asked.push(answerEpochRequest(ctx, fetcher, logOf(leaderEpochs)).leaderEpoch);
      epochRequests++;
      continue;
    }
    const diverged = answerDivergingFetch(ctx, fetcher, logOf(leaderEpochs));
    if (diverged === null) break;
    asked.push(diverged);
  }
  expect(firstRequest).toBe(epochRequests > 0 ? 'offsets-for-leader-epoch' : 'fetch');
  return { replica, ctx, fetcher, asked, epochRequests };
}

describe('ReplicaFetcherThread truncation, by protocol feature row', () => {
  it('kip-101: trusts the first OffsetsForLeaderEpoch answer and keeps a diverged prefix', () => {
    const { replica, ctx, asked } = reconcile('kip-101');
    expect(asked).toEqual([3]);
    expect(replica.truncations).toEqual([{ offset: 7, reason: 'leader-epoch' }]);
    expect(replica.log.readAll().map((r) => r.epoch)).toEqual([0, 0, 0, 1, 1, 3, 3]);
    // Before KIP-320 (Fetch v10, 2.1) a fetch names no leader epoch.
    expect(ctx.sentOf('fetch')[0].parts).toEqual([{ partition: 0, fetchOffset: 7, currentLeaderEpoch: -1, lastFetchedEpoch: -1 }]);
  });

  for (const era of ['kip-279', 'current'] as const) {
    it(`${era}: walks back epoch by epoch to the true divergence point (KIP-279)`, () => {
      const { replica, ctx, asked } = reconcile(era);
      expect(asked).toEqual([3, 1]);
      expect(replica.truncations).toEqual([
        { offset: 5, reason: 'diverging-epoch' },
        { offset: 3, reason: 'leader-epoch' },
      ]);
      expect(replica.log.readAll().map((r) => r.epoch)).toEqual([0, 0, 0]);
      const lastFetchedEpoch = era === 'current' ? 0 : -1;
      expect(ctx.sentOf('fetch').at(-1)!.parts).toEqual([{ partition: 0, fetchOffset: 3, currentLeaderEpoch: era === 'current' ? 4 : -1, lastFetchedEpoch }]);
      expect(ctx.sent[0].to).toBe(BROKER_NODE[LEADER]);
    });
  }

  it('2.7 asks with OffsetsForLeaderEpoch before it fetches; 2.8 (KAFKA-10554) fetches at once and truncates on divergingEpoch, to the same offset', () => {
    const before = reconcile('2.7');
    expect(before.epochRequests).toBe(2);
    const after = reconcile('2.8');
    expect(after.epochRequests).toBe(0);
    expect(after.asked).toEqual(before.asked);
    expect(after.replica.truncations).toEqual(before.replica.truncations);
    expect(after.fetcher.fetchState(0)!.state).toBe(FETCHING);
  });

  it('current: a follower that led an epoch without appending drops its entry when told the logs diverge (KAFKA-10706), then fetches from its end', () => {
    const log = logOf([0, 0, 0]);
    log.maybeAssignEpochStartOffset(5, 3); // it led epoch 5 and appended nothing
    const replica = new FollowerReplica(log);
    const fetcher = fetcherFor('current', replica);
    const ctx = new RecordingContext(BROKER_NODE[FOLLOWER]);
    fetcher.addPartition(0, LEADER, 6, TRUNCATING);
    connectAndKick(fetcher, ctx);
    expect(ctx.sentOf('fetch')[0].parts[0]).toMatchObject({ fetchOffset: 3, lastFetchedEpoch: 5 });
    expect(answerDivergingFetch(ctx, fetcher, logOf([0, 0, 0, 6]))).toBe(5);
    expect(replica.truncations).toEqual([]); // nothing to cut: the records of epoch 0 end where the leader's do
    expect(ctx.sentOf('fetch')[0].parts[0]).toMatchObject({ fetchOffset: 3, lastFetchedEpoch: 0 });
    expect(answerDivergingFetch(ctx, fetcher, logOf([0, 0, 0, 6]))).toBeNull();
  });

  // Fast failover with leadership moving back: the follower led epoch 1 briefly (offsets 1-2);
  // the new leader never saw epoch 1 and holds longer epoch-0 records (it had not truncated), then
  // led epoch 2. It answers (epoch 0, ends at 4), past the follower's LEO of 3.
  const LED_BRIEFLY = [0, 1, 1];
  const KEPT_OLD_EPOCH = [0, 0, 0, 0, 2];

  it('kip-101: an answer past its LEO leaves the follower untruncated, diverged (KAFKA-6361)', () => {
    const { replica, asked } = reconcile('kip-101', LED_BRIEFLY, KEPT_OLD_EPOCH);
    expect(asked).toEqual([1]);
    expect(replica.truncations).toEqual([]);
    expect(replica.log.readAll().map((r) => r.epoch)).toEqual([0, 1, 1]);
  });

  for (const era of ['kip-279', 'current'] as const) {
    it(`${era}: truncates to its own end of the leader's epoch even when the answer is past its LEO`, () => {
      const { replica, ctx, asked } = reconcile(era, LED_BRIEFLY, KEPT_OLD_EPOCH);
      expect(asked).toEqual([1]);
      expect(replica.truncations).toEqual([{ offset: 1, reason: 'leader-epoch' }]);
      expect(replica.log.readAll().map((r) => r.epoch)).toEqual([0]);
      expect(ctx.sentOf('fetch').at(-1)!.parts).toEqual([{ partition: 0, fetchOffset: 1, currentLeaderEpoch: era === 'current' ? 4 : -1, lastFetchedEpoch: era === 'current' ? 0 : -1 }]);
    });
  }

  it('hw-truncation: asks nothing; a fetch past the leader LEO truncates to that LEO', () => {
    const replica = new FollowerReplica(logOf(FOLLOWER_EPOCHS));
    const fetcher = fetcherFor('hw-truncation', replica);
    const ctx = new RecordingContext();
    fetcher.addPartition(0, LEADER, 4, FETCHING);
    connectAndKick(fetcher, ctx);
    expect(ctx.sentOf('offsets-for-leader-epoch')).toEqual([]);
    const fetch = ctx.sentOf('fetch')[0];
    expect(fetch.parts[0].fetchOffset).toBe(9);
    ctx.clear();
    fetcher.onFetchResponse(ctx, LEADER, {
      type: 'fetch-response',
      requestId: fetch.requestId,
      parts: [{ partition: 0, error: OFFSET_OUT_OF_RANGE, fetchOffset: 9, highWatermark: 6, logEndOffset: 8, records: MemoryRecords.EMPTY }],
    });
    expect(replica.truncations).toEqual([{ offset: 8, reason: 'high-watermark' }]);
    expect(ctx.sentOf('fetch')[0].parts[0].fetchOffset).toBe(8);
  });

  it('with leader epochs, a fetch past the leader LEO sends the follower back to truncating', () => {
    const replica = new FollowerReplica(logOf([0, 0, 0]));
    const fetcher = fetcherFor('current', replica);
    const ctx = new RecordingContext();
    fetcher.addPartition(0, LEADER, 4, FETCHING);
    connectAndKick(fetcher, ctx);
    const fetch = ctx.sentOf('fetch')[0];
    ctx.clear();
    fetcher.onFetchResponse(ctx, LEADER, {
      type: 'fetch-response',
      requestId: fetch.requestId,
      parts: [{ partition: 0, error: OFFSET_OUT_OF_RANGE, fetchOffset: 3, highWatermark: 2, logEndOffset: 2, records: MemoryRecords.EMPTY }],
    });
    expect(replica.truncations).toEqual([]);
    expect(fetcher.fetchState(0)!.state).toBe(TRUNCATING);
    expect(ctx.sentOf('offsets-for-leader-epoch')[0].leaderEpoch).toBe(0);
  });

  it('appends fetched records, adopts the HW up to its LEO and fetches again', () => {
    const replica = new FollowerReplica(logOf([0, 0]));
    const fetcher = fetcherFor('current', replica);
    const ctx = new RecordingContext();
    fetcher.addPartition(0, LEADER, 0, FETCHING);
    connectAndKick(fetcher, ctx);
    const fetch = ctx.sentOf('fetch')[0];
    ctx.clear();
    const leaderRecords = logOf([0, 0, 0, 0]).read(2, 4);
    fetcher.onFetchResponse(ctx, LEADER, {
      type: 'fetch-response',
      requestId: fetch.requestId,
      parts: [{ partition: 0, error: null, fetchOffset: 2, highWatermark: 9, logEndOffset: 4, records: leaderRecords }],
    });
    expect(replica.log.logEndOffset).toBe(4);
    expect(replica.log.highWatermark).toBe(4);
    expect(ctx.sentOf('fetch')[0].parts[0].fetchOffset).toBe(4);
    // A response to a request no longer in flight is ignored.
    ctx.clear();
    fetcher.onFetchResponse(ctx, LEADER, { type: 'fetch-response', requestId: fetch.requestId, parts: [] });
    expect(ctx.sent).toEqual([]);
  });

  it('backs off after a fenced epoch request and asks again after replica.fetch.backoff.ms (2.7: before KAFKA-10554)', () => {
    const replica = new FollowerReplica(logOf([0, 0, 1]));
    const fetcher = fetcherFor('2.7', replica);
    const ctx = new RecordingContext();
    fetcher.addPartition(0, LEADER, 2, TRUNCATING);
    connectAndKick(fetcher, ctx);
    const req = ctx.sentOf('offsets-for-leader-epoch')[0];
    ctx.clear();
    fetcher.onEpochResponse(ctx, { type: 'offsets-for-leader-epoch-response', requestId: req.requestId, partition: 0, error: FENCED_LEADER_EPOCH, leaderEpoch: -1, endOffset: -1 });
    expect(ctx.sent).toEqual([]);
    expect(ctx.pendingTimersOf('fetch-backoff')).toEqual([{ type: 'fetch-backoff', leader: LEADER }]);
    fetcher.kick(ctx, LEADER); // still backing off
    expect(ctx.sent).toEqual([]);
    ctx.nowUs = 1_000_000; // the backoff timer fires
    fetcher.onBackoff(ctx, LEADER);
    expect(ctx.sentOf('offsets-for-leader-epoch').map((r) => r.leaderEpoch)).toEqual([1]);
  });

  it('an empty log has nothing to reconcile and fetches at once', () => {
    const replica = new FollowerReplica(new PartitionLog());
    const fetcher = fetcherFor('current', replica);
    const ctx = new RecordingContext();
    fetcher.addPartition(0, LEADER, 3, TRUNCATING);
    connectAndKick(fetcher, ctx);
    expect(ctx.sentOf('offsets-for-leader-epoch')).toEqual([]);
    expect(ctx.sentOf('fetch')[0].parts).toEqual([{ partition: 0, fetchOffset: 0, currentLeaderEpoch: 3, lastFetchedEpoch: -1 }]);
  });
});

// A leader whose epoch cache holds no entry at or before the epoch the follower asks about (it
// led from an empty log, or its log begins with a later epoch): before Kafka 2.1 its
// LeaderEpochFileCache.endOffsetFor answers UNDEFINED_EPOCH_OFFSET, and the follower truncates to
// its high watermark (0.11-1.1 ReplicaFetcherThread.maybeTruncate, 2.0
// AbstractFetcherThread.getOffsetTruncationState); from 2.1 (KAFKA-7415) it answers where its
// first epoch starts, and the follower truncates there.
describe('ReplicaFetcherThread on an OffsetsForLeaderEpoch answer with no epoch end offset', () => {
  function reconcileWithEmptyLeader(era: ProtocolEra | KafkaVersion): FollowerReplica {
    const replica = new FollowerReplica(logOf([0, 0, 1, 1, 1]));
    replica.log.maybeIncrementHighWatermark(3);
    const fetcher = fetcherFor(era, replica);
    const ctx = new RecordingContext(BROKER_NODE[FOLLOWER]);
    fetcher.addPartition(0, LEADER, 2, TRUNCATING);
    connectAndKick(fetcher, ctx);
    // The leader, elected with an empty log, caches only its own epoch 2, from offset 0.
    const leaderLog = new PartitionLog();
    leaderLog.maybeAssignEpochStartOffset(2, 0);
    const req = ctx.sentOf('offsets-for-leader-epoch').at(-1)!;
    expect(req.leaderEpoch).toBe(1);
    const features = era in PROTOCOL_FEATURES ? PROTOCOL_FEATURES[era as ProtocolEra] : featuresOfVersion(era as KafkaVersion);
    const r = leaderLog.endOffsetForEpoch(req.leaderEpoch, features.epochCacheAnswersOlderEpochs);
    fetcher.onEpochResponse(ctx, { type: 'offsets-for-leader-epoch-response', requestId: req.requestId, partition: 0, error: null, leaderEpoch: r.epoch, endOffset: r.endOffset });
    return replica;
  }

  for (const era of ['kip-101', 'kip-279'] as const) {
    it(`${era}: the leader answers UNDEFINED_EPOCH_OFFSET and the follower truncates to its high watermark`, () => {
      const replica = reconcileWithEmptyLeader(era);
      expect(replica.truncations).toEqual([{ offset: 3, reason: 'high-watermark' }]);
      expect(replica.log.logEndOffset).toBe(3);
    });
  }

  it('2.7 (KAFKA-7415, 2.1; asking before it fetches, before KAFKA-10554): the leader answers where its first epoch starts, and the follower truncates there', () => {
    const replica = reconcileWithEmptyLeader('2.7');
    expect(replica.truncations).toEqual([{ offset: 0, reason: 'leader-epoch' }]);
    expect(replica.log.logEndOffset).toBe(0);
  });
});

describe('ReplicaFetcherThread connections (BrokerBlockingSender)', () => {
  function fetching() {
    const fetcher = fetcherFor('current', new FollowerReplica(logOf([0, 0])));
    const ctx = new RecordingContext();
    fetcher.addPartition(0, LEADER, 0, FETCHING);
    connectAndKick(fetcher, ctx);
    return { fetcher, ctx, fetch: ctx.sentOf('fetch')[0] };
  }

  it('a request timeout (request.timeout.ms) closes the connection and backs off replica.fetch.backoff.ms', () => {
    const { fetcher, ctx } = fetching();
    expect(ctx.pendingTimersOf('fetch-timeout')).toEqual([{ type: 'fetch-timeout', leader: LEADER }]);
    ctx.clear();
    ctx.nowUs = 30_000_000;
    fetcher.onFetchTimeout(ctx, LEADER);
    expect(ctx.disconnects).toEqual([BROKER_NODE[LEADER]]);
    expect(ctx.pendingTimersOf('fetch-backoff')).toEqual([{ type: 'fetch-backoff', leader: LEADER }]);
    expect(ctx.timers.find((t) => t.timer.type === 'fetch-backoff')!.atUs).toBe(31_000_000);
    // after the backoff it connects again, then fetches
    fetcher.onBackoff(ctx, LEADER);
    expect(ctx.connects).toEqual([BROKER_NODE[LEADER]]);
    fetcher.onConnect(ctx, LEADER);
    expect(ctx.sentOf('fetch')).toHaveLength(1);
  });

  it('one timer per leader: a fetch answered in time leaves it armed; it fires at that deadline and waits for the next fetch’s', () => {
    const { fetcher, ctx, fetch } = fetching();
    ctx.nowUs = 1_000_000;
    fetcher.onFetchResponse(ctx, LEADER, { type: 'fetch-response', requestId: fetch.requestId, parts: [] });
    expect(ctx.sentOf('fetch')).toHaveLength(2); // the next fetch, sent at 1 s
    expect(ctx.pendingTimersOf('fetch-timeout')).toHaveLength(1); // not cancelled
    expect(ctx.timers.filter((t) => t.timer.type === 'fetch-timeout').map((t) => t.atUs)).toEqual([30_000_000]);
    ctx.nowUs = 30_000_000;
    fetcher.onFetchTimeout(ctx, LEADER);
    expect(ctx.disconnects).toEqual([]); // the fetch in flight is not late: the timer waits for its deadline
    expect(ctx.timers.filter((t) => t.timer.type === 'fetch-timeout').map((t) => t.atUs)).toEqual([30_000_000, 31_000_000]);
    ctx.nowUs = 31_000_000;
    fetcher.onFetchTimeout(ctx, LEADER);
    expect(ctx.disconnects).toEqual([BROKER_NODE[LEADER]]);
  });

  it('a reset by the leader fails the fetch in flight at once: back off, and a late answer is ignored', () => {
    const { fetcher, ctx, fetch } = fetching();
    ctx.clear();
    fetcher.onDisconnect(ctx, LEADER);
    expect(ctx.disconnects).toEqual([]); // the network closed it, not the fetcher
    expect(ctx.pendingTimersOf('fetch-backoff')).toHaveLength(1);
    expect(ctx.pendingTimersOf('fetch-timeout')).toEqual([]);
    fetcher.onFetchResponse(ctx, LEADER, { type: 'fetch-response', requestId: fetch.requestId, parts: [] });
    expect(ctx.sent).toEqual([]);
  });

  it('a connect not up within replica.socket.timeout.ms is given up on and retried after the backoff', () => {
    const fetcher = fetcherFor('current', new FollowerReplica(logOf([0])));
    const ctx = new RecordingContext();
    fetcher.addPartition(0, LEADER, 0, FETCHING);
    fetcher.kick(ctx, LEADER);
    expect(ctx.pendingTimersOf('fetch-connect-timeout')).toEqual([{ type: 'fetch-connect-timeout', leader: LEADER }]);
    ctx.nowUs = 30_000_000;
    fetcher.onConnectTimeout(ctx, LEADER);
    expect(ctx.disconnects).toEqual([BROKER_NODE[LEADER]]);
    expect(ctx.pendingTimersOf('fetch-backoff')).toHaveLength(1);
    fetcher.onConnect(ctx, LEADER); // a stale handshake completing changes nothing
    expect(ctx.sent).toEqual([]);
  });

  it('a fetch to a leader names the hosted partitions followed from it, ascending, as leaders move', () => {
    const setup = {
      brokerIndex: FOLLOWER,
      hostedPartitions: [1, 2, 3, 5],
      brokerNode: BROKER_NODE,
      partitionCount: 7,
      protocol: PROTOCOL_FEATURES.current,
      backoffUs: 1_000_000,
      connectTimeoutUs: 30_000_000,
      requestTimeoutUs: 30_000_000,
      stats: { fetchRequests: 0, epochRequests: 0 },
    };
    const fetcher = new ReplicaFetcherThread(setup, new FollowerReplica(logOf([0])));
    const ctx = new RecordingContext();
    for (const [p, leader] of [[5, LEADER], [1, LEADER], [3, LEADER], [2, 2], [6, LEADER]]) fetcher.addPartition(p, leader, 0, FETCHING);
    fetcher.addPartition(3, 2, 1, FETCHING); // 3's leader moved to broker 2
    fetcher.removePartition(1);
    fetcher.addPartition(1, LEADER, 1, FETCHING);
    const partsTo = (leader: number) => {
      ctx.clear();
      fetcher.kick(ctx, leader);
      fetcher.onConnect(ctx, leader);
      return ctx.sentOf('fetch').map((f) => f.parts.map((part) => part.partition));
    };
    // 6 is not hosted here (a stale call): never fetched
    expect(partsTo(LEADER)).toEqual([[1, 5]]);
    expect(partsTo(2)).toEqual([[2, 3]]);
    fetcher.reset();
    expect(partsTo(LEADER)).toEqual([]);
  });
});
