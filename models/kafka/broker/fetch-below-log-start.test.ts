// Fetches at the edges of a leader's log: below its log start (OFFSET_OUT_OF_RANGE, the follower
// starting its log again at the leader's log start), from a log start inside a batch (KAFKA-6975),
// and over empty offsets (gap entries a truncation left) that Kafka's log has no batch for.
import { describe, expect, it } from 'vitest';
import type { FetcherFailedEvent } from '../kafka-events.ts';
import { OFFSET_OUT_OF_RANGE, type FetchPartitionData, type FetchRequest } from '../messages.ts';
import { GAP_RECORD_ID } from '../storage/log-record-store.ts';
import { PartitionLog } from '../storage/partition-log.ts';
import { RecordingContext } from '../testing/recording-context.ts';
import { featuresOfVersion, type KafkaVersion } from '../version/kafka-versions.ts';
import { DelayedFetchPurgatory } from './delayed-fetch.ts';
import { FetcherAppendFailure } from './fetcher-append-failure.ts';
import type { FetcherReplicaAccess } from './fetcher-replica-access.ts';
import { Partition } from './partition.ts';
import { FETCHING } from './partition-fetch-state.ts';
import { ReplicaFetcherThread } from './replica-fetcher-thread.ts';

const rec = (id: number, batchSize: number) => ({ id, epoch: 0, producerId: -1, producerEpoch: -1, sequence: -1, batchSize, appendUs: 0 });

/** Appends batches of these sizes (ids from `firstId`) as the leader does. */
function appendBatches(log: PartitionLog, sizes: number[], firstId = 0): void {
  let id = firstId;
  for (const n of sizes) for (let j = 0; j < n; j++) log.appendAsLeader(rec(id++, j === 0 ? n : 0));
}

/** Broker 0 leads partition 0, whose log holds batches of `sizes`, all committed. */
function leader(sizes: number[]) {
  const log = new PartitionLog();
  appendBatches(log, sizes);
  log.maybeIncrementHighWatermark(log.logEndOffset);
  const partition = new Partition(0, 0, [0, 1], 0, 0, [0, 1], 0, 2, 0);
  const replicas = { leaderPartition: (p: number) => (p === 0 ? partition : null), localLog: (p: number) => (p === 0 ? log : null) };
  const setup = { brokerNode: [10, 11], fetchMaxRecords: 100, maxRecordBytes: 100, stats: { consumerFetchRequests: 0 } };
  return { fetches: new DelayedFetchPurgatory(setup, replicas), log, ctx: new RecordingContext(10) };
}

/** The leader's answer to broker 1 fetching partition 0 at fetchOffset. */
function followerFetch(l: ReturnType<typeof leader>, fetchOffset: number): FetchPartitionData {
  l.ctx.clear();
  const req: FetchRequest = { type: 'fetch', requestId: 1, broker: 1, parts: [{ partition: 0, fetchOffset, currentLeaderEpoch: -1 }] };
  l.fetches.completeOrWatchFollowerFetch(l.ctx, req, true, 0);
  return l.ctx.sentOf('fetch-response')[0].parts[0];
}

describe('a follower fetch below the leader\'s log start', () => {
  it('is answered OFFSET_OUT_OF_RANGE with the log start (Log.read), not the deleted records', () => {
    const l = leader([2, 2, 2]);
    l.log.maybeIncrementLogStartOffset(4);
    const data = followerFetch(l, 2);
    expect(data).toMatchObject({ error: OFFSET_OUT_OF_RANGE, logStartOffset: 4 });
    expect(data.records.length).toBe(0);
    expect(l.fetches.outOfRange(0, 2)).toBe(true);
  });

  it('decoy: a fetch at the log start is served', () => {
    const l = leader([2, 2, 2]);
    l.log.maybeIncrementLogStartOffset(4);
    const data = followerFetch(l, 4);
    expect(data.error).toBeNull();
    expect(data.records.toArray().map((r) => r.id)).toEqual([4, 5]);
    expect(l.fetches.outOfRange(0, 4)).toBe(false);
  });

  it('from a log start inside a batch (DeleteRecords) serves that whole batch, from its base (LogSegment.read)', () => {
    const l = leader([3, 3]);
    l.log.maybeIncrementLogStartOffset(4);
    const data = followerFetch(l, 4);
    expect(data).toMatchObject({ error: null, recordsBaseOffset: 3 });
    expect(data.records.toArray().map((r) => r.id)).toEqual([3, 4, 5]);
    // decoy: a log start at a batch's base serves from there
    const aligned = leader([3, 3]);
    aligned.log.maybeIncrementLogStartOffset(3);
    expect(followerFetch(aligned, 3).recordsBaseOffset).toBeUndefined();
  });
});

/** Broker 1 follows partition 0 from broker 0 with a log of `sizes`, at `version`; its fetch is out. */
function follower(version: KafkaVersion, sizes: number[]) {
  const log = new PartitionLog();
  appendBatches(log, sizes);
  const restarts: number[] = [];
  const replicas: FetcherReplicaAccess = {
    localLog: (p) => (p === 0 ? log : null),
    brokerEpoch: () => 1,
    truncate: () => {},
    processPartitionData: (_ctx, _p, fetchOffset, records) => (log.appendAsFollower(fetchOffset, records, 0, records.length, 0), 0),
    truncateFullyAndStartAt: (_ctx, _p, offset) => (restarts.push(offset), log.truncateFullyAndStartAt(offset, 0)),
  };
  const protocol = featuresOfVersion(version);
  const setup = { brokerIndex: 1, hostedPartitions: [0], brokerNode: [10, 11], partitionCount: 1, protocol, backoffUs: 1000, connectTimeoutUs: 30_000_000, requestTimeoutUs: 30_000_000, stats: { fetchRequests: 0, epochRequests: 0 } };
  const fetcher = new ReplicaFetcherThread(setup, replicas);
  fetcher.appendFailure = new FetcherAppendFailure(['t-0'], ['b0', 'b1'], () => protocol.fetcherFailsPartitionAlone);
  const ctx = new RecordingContext(11);
  fetcher.addPartition(0, 0, 1, FETCHING);
  fetcher.kick(ctx, 0);
  fetcher.onConnect(ctx, 0);
  /** The leader answers the last fetch with data (fetchOffset: the fetch's). */
  const answer = (data: Omit<FetchPartitionData, 'partition' | 'fetchOffset'>) => {
    const req = ctx.sentOf('fetch').at(-1)!;
    ctx.clear();
    fetcher.onFetchResponse(ctx, 0, { type: 'fetch-response', requestId: req.requestId, parts: [{ partition: 0, fetchOffset: req.parts[0].fetchOffset, ...data }] });
  };
  return { log, fetcher, ctx, answer, restarts };
}

const NONE = { records: new PartitionLog().read(0, 0) };

describe('the follower handed OFFSET_OUT_OF_RANGE (ReplicaFetcherThread.handleOffsetOutOfRange)', () => {
  it('behind the leader\'s log start, starts its log again there and fetches from it at once', () => {
    const f = follower('3.7', [2]);
    f.answer({ error: OFFSET_OUT_OF_RANGE, highWatermark: 6, logEndOffset: 6, logStartOffset: 4, ...NONE });
    expect(f.restarts).toEqual([4]);
    expect([f.log.logStartOffset, f.log.highWatermark, f.log.logEndOffset]).toEqual([4, 4, 4]);
    expect(f.ctx.sentOf('fetch').map((r) => r.parts[0].fetchOffset)).toEqual([4]);
  });

  it('decoy: not behind the leader\'s log start, keeps its log and retries after the backoff', () => {
    const f = follower('3.7', [2, 2]);
    f.answer({ error: OFFSET_OUT_OF_RANGE, highWatermark: 6, logEndOffset: 6, logStartOffset: 3, ...NONE });
    expect(f.restarts).toEqual([]);
    expect(f.log.logEndOffset).toBe(4);
    expect(f.fetcher.fetchState(0)!.delayedUntilUs).toBeGreaterThan(0);
  });
});

describe('KAFKA-6975: a follower whose empty log starts inside the leader\'s batch', () => {
  /** The follower started at the leader's log start 4, inside the batch [3, 6); the leader serves that batch. */
  function startedInsideBatch(version: KafkaVersion) {
    const f = follower(version, [2]);
    f.answer({ error: OFFSET_OUT_OF_RANGE, highWatermark: 6, logEndOffset: 6, logStartOffset: 4, ...NONE });
    const l = leader([3, 3]);
    l.log.maybeIncrementLogStartOffset(4);
    const { error, highWatermark, logEndOffset, records, recordsBaseOffset } = followerFetch(l, 4);
    f.answer({ error, highWatermark, logEndOffset, records, recordsBaseOffset });
    return f;
  }

  it('from 2.0 (1.0.2, 1.1.1) restarts its log at the batch base and appends the batch', () => {
    const f = startedInsideBatch('2.0');
    expect(f.ctx.eventsOf('fetcher-failed')).toEqual([]);
    expect(f.restarts).toEqual([4, 3]);
    expect([f.log.logStartOffset, f.log.logEndOffset]).toEqual([3, 6]);
    expect(f.log.read(3, 6).toArray().map((r) => r.id)).toEqual([3, 4, 5]);
  });

  it('in 1.1.0 fails its fetcher ("Out of order offsets"): the thread ends', () => {
    const f = startedInsideBatch('1.1');
    expect(f.ctx.eventsOf('fetcher-failed').map((e) => (e as unknown as FetcherFailedEvent).batchBaseOffset)).toEqual([3]);
    expect(f.log.logEndOffset).toBe(4);
    f.fetcher.kick(f.ctx, 0);
    expect(f.ctx.sentOf('fetch')).toEqual([]);
  });

  it('decoy: from 2.0 a log that holds records (LEO past its start) still fails on a batch below its end', () => {
    const f = follower('2.3', [2, 2]);
    const l = leader([3, 3]);
    const { error, highWatermark, logEndOffset, records, recordsBaseOffset } = followerFetch(l, 4);
    f.answer({ error, highWatermark, logEndOffset, records, recordsBaseOffset });
    expect(f.ctx.eventsOf('fetcher-failed')).toHaveLength(1);
    expect(f.restarts).toEqual([]);
  });
});

describe('empty offsets (gap entries: a truncation cut their batch)', () => {
  /** A leader whose log is batch [0, 3), then offsets 3 and 4 left empty by a truncation to 5 inside batch [3, 6). */
  function gapped() {
    const l = leader([3, 3]);
    l.log.truncateTo(5, 3);
    expect([l.log.idAt(3), l.log.idAt(4)]).toEqual([GAP_RECORD_ID, GAP_RECORD_ID]);
    return l;
  }

  it('are not served at the end of a read: Kafka\'s log has no batch there', () => {
    const l = gapped();
    expect(followerFetch(l, 0).records.toArray().map((r) => r.id)).toEqual([0, 1, 2]);
    expect(followerFetch(l, 3).records.length).toBe(0);
  });

  it('decoy: with a batch past them a read carries them, up to the batch (the follower\'s offsets jump as Kafka\'s do)', () => {
    const l = gapped();
    appendBatches(l.log, [2], 10);
    expect(followerFetch(l, 3).records.toArray().map((r) => r.id)).toEqual([GAP_RECORD_ID, GAP_RECORD_ID, 10, 11]);
  });

  /** A consumer's fetch at offset 3, answered at once. */
  const consumerRecords = (l: ReturnType<typeof leader>) => {
    l.fetches.fetchForConsumer(l.ctx, 30, { type: 'consumer-fetch', requestId: 1, parts: [{ partition: 0, fetchOffset: 3, currentLeaderEpoch: 0 }], minBytes: 1, maxWaitUs: 0, maxRecordsPerPartition: 10 });
    return l.ctx.sentOf('consumer-fetch-response').at(-1)!.parts[0].records.toArray().map((r) => r.id);
  };

  it('give a consumer at them nothing until a batch past them is committed: its position does not pass them, as Kafka\'s does not', () => {
    const l = gapped();
    l.log.maybeIncrementHighWatermark(5);
    expect(consumerRecords(l)).toEqual([]);
    // decoy: once a batch past them is committed, the consumer gets them with it (poll skips them; the position epoch is the batch's)
    appendBatches(l.log, [2], 10);
    l.log.maybeIncrementHighWatermark(7);
    expect(consumerRecords(l)).toEqual([GAP_RECORD_ID, GAP_RECORD_ID, 10, 11]);
  });
});
