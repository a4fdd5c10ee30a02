import { describe, expect, it } from 'vitest';
import { EARLIEST_OFFSET, NOT_LEADER_OR_FOLLOWER, OFFSET_OUT_OF_RANGE, type ConsumerFetchRequest } from '../messages.ts';
import { PartitionLog } from '../storage/partition-log.ts';
import { RecordingContext } from '../testing/recording-context.ts';
import { DelayedFetchPurgatory } from './delayed-fetch.ts';
import { Partition } from './partition.ts';

const RECORD_BYTES = 100;

/** Broker 0 leads partition 0 (log of `n` records, HW `hw`); it hosts no partition 1. */
function purgatory(n: number, hw: number) {
  const log = new PartitionLog();
  for (let id = 0; id < n; id++) log.appendAsLeader({ id, epoch: 0, producerId: -1, producerEpoch: -1, sequence: -1, batchSize: 1, appendUs: 0 });
  log.maybeIncrementHighWatermark(hw);
  const leader = new Partition(0, 0, [0, 1], 0, 0, [0, 1], 0, 2, 0);
  const replicas = { leaderPartition: (p: number) => (p === 0 ? leader : null), localLog: (p: number) => (p === 0 ? log : null) };
  const setup = { brokerNode: [10, 11], fetchMaxRecords: 2, maxRecordBytes: RECORD_BYTES, fetchCarriesLeaderEpoch: true, stats: { consumerFetchRequests: 0 } };
  return { fetches: new DelayedFetchPurgatory(setup, replicas), log, ctx: new RecordingContext(10) };
}

function consumerFetch(fetchOffset: number, minBytes: number, partition = 0): ConsumerFetchRequest {
  return { type: 'consumer-fetch', requestId: 1, parts: [{ partition, fetchOffset, currentLeaderEpoch: 0 }], minBytes, maxWaitUs: 500_000, maxRecordsPerPartition: 10 };
}

describe('DelayedFetchPurgatory', () => {
  it('serves consumers only up to the HW and parks them until fetch.min.bytes is there', () => {
    const { fetches, log, ctx } = purgatory(5, 2);
    fetches.fetchForConsumer(ctx, 30, consumerFetch(0, 3 * RECORD_BYTES));
    expect(ctx.sent).toEqual([]);
    log.maybeIncrementHighWatermark(3);
    fetches.tryCompleteConsumerFetches(ctx, 0);
    const [response] = ctx.sentOf('consumer-fetch-response');
    expect(response.parts[0]).toMatchObject({ error: null, fetchOffset: 0, highWatermark: 3 });
    expect(response.parts[0].records.toArray().map((r) => r.id)).toEqual([0, 1, 2]);
    // its wait timer, left armed, finds nothing to answer when it fires
    ctx.nowUs = 500_000;
    fetches.onConsumerFetchWait(ctx);
    expect(ctx.sent).toHaveLength(1);
  });

  it('answers at once with OFFSET_OUT_OF_RANGE below the log start, and resolves EARLIEST to it', () => {
    const { fetches, log, ctx } = purgatory(5, 4);
    log.maybeIncrementLogStartOffset(2);
    fetches.fetchForConsumer(ctx, 30, consumerFetch(1, 1_000_000));
    expect(ctx.sentOf('consumer-fetch-response')[0].parts[0].error).toBe(OFFSET_OUT_OF_RANGE);
    fetches.fetchForConsumer(ctx, 30, consumerFetch(EARLIEST_OFFSET, 1));
    expect(ctx.sentOf('consumer-fetch-response')[1].parts[0]).toMatchObject({ error: null, fetchOffset: 2, logStartOffset: 2 });
  });

  it('tells a consumer fetching from a non-leader to look elsewhere', () => {
    const { fetches, ctx } = purgatory(1, 1);
    fetches.fetchForConsumer(ctx, 30, consumerFetch(0, 1, 1));
    expect(ctx.sentOf('consumer-fetch-response')[0].parts[0]).toMatchObject({ error: NOT_LEADER_OR_FOLLOWER, highWatermark: -1 });
  });

  it('parks a caught-up follower and wakes it on the next append, reading at most fetchMaxRecords', () => {
    const { fetches, log, ctx } = purgatory(3, 3);
    fetches.completeOrWatchFollowerFetch(ctx, { type: 'fetch', requestId: 7, broker: 1, parts: [{ partition: 0, fetchOffset: 3, currentLeaderEpoch: 0 }] }, false, 500_000);
    expect(ctx.pendingTimersOf('fetch-wait')).toEqual([{ type: 'fetch-wait', follower: 1 }]);
    for (const id of [3, 4, 5]) log.appendAsLeader({ id, epoch: 0, producerId: -1, producerEpoch: -1, sequence: -1, batchSize: 1, appendUs: 0 });
    fetches.tryCompleteFollowerFetches(ctx, 0, [0, 1]);
    expect(ctx.sent[0].to).toBe(11);
    const [response] = ctx.sentOf('fetch-response');
    expect(response.parts[0].records.toArray().map((r) => r.id)).toEqual([3, 4]);
    // The wait timer is not cancelled (one per follower, not one per fetch): firing later, it finds nothing parked.
    expect(ctx.cancelled.size).toBe(0);
    ctx.nowUs = 500_000;
    fetches.onFollowerFetchWait(ctx, 1);
    expect(ctx.sentOf('fetch-response')).toHaveLength(1);
    expect(ctx.timers).toHaveLength(1); // and is not armed again
  });

  it('one wait timer per follower: armed at the first parked fetch’s end, it waits for the end of the fetch parked since', () => {
    const { fetches, log, ctx } = purgatory(3, 3);
    const fetch = (requestId: number, fetchOffset: number) => ({ type: 'fetch' as const, requestId, broker: 1, parts: [{ partition: 0, fetchOffset, currentLeaderEpoch: 0 }] });
    fetches.completeOrWatchFollowerFetch(ctx, fetch(7, 3), false, 500_000);
    log.appendAsLeader({ id: 3, epoch: 0, producerId: -1, producerEpoch: -1, sequence: -1, batchSize: 1, appendUs: 0 });
    ctx.nowUs = 100_000;
    fetches.tryCompleteFollowerFetches(ctx, 0, [1]);
    fetches.completeOrWatchFollowerFetch(ctx, fetch(8, 4), false, 500_000); // parked until 600 ms
    expect(ctx.timers.map((t) => t.atUs)).toEqual([500_000]);
    ctx.nowUs = 500_000;
    fetches.onFollowerFetchWait(ctx, 1);
    expect(ctx.sentOf('fetch-response')).toHaveLength(1); // fetch 8 still waits
    expect(ctx.timers.map((t) => t.atUs)).toEqual([500_000, 600_000]);
    ctx.nowUs = 600_000;
    fetches.onFollowerFetchWait(ctx, 1);
    expect(ctx.sentOf('fetch-response').map((r) => r.requestId)).toEqual([7, 8]);
  });

  it('one wait timer for the consumer fetches: each is answered when its own fetch.max.wait.ms ends', () => {
    const { fetches, ctx } = purgatory(3, 3);
    fetches.fetchForConsumer(ctx, 30, consumerFetch(3, 1_000_000));
    ctx.nowUs = 200_000;
    fetches.fetchForConsumer(ctx, 31, consumerFetch(3, 1_000_000));
    expect(ctx.timers.map((t) => [t.timer, t.atUs])).toEqual([[{ type: 'consumer-fetch-wait' }, 500_000]]);
    ctx.nowUs = 500_000;
    fetches.onConsumerFetchWait(ctx);
    expect(ctx.sent.map((s) => s.to)).toEqual([30]);
    expect(ctx.timers.map((t) => t.atUs)).toEqual([500_000, 700_000]);
    ctx.nowUs = 700_000;
    fetches.onConsumerFetchWait(ctx);
    expect(ctx.sent.map((s) => s.to)).toEqual([30, 31]);
  });

  it('answers what is parked at once when leadership moves, and everything at a clean shutdown, on the requesters\' connections', () => {
    const { fetches, ctx } = purgatory(3, 3);
    const follower = { type: 'fetch' as const, requestId: 7, broker: 1, parts: [{ partition: 0, fetchOffset: 3, currentLeaderEpoch: 0 }] };
    fetches.completeOrWatchFollowerFetch(ctx, follower, false, 500_000);
    fetches.fetchForConsumer(ctx, 30, consumerFetch(3, 1_000_000));
    expect(ctx.sent).toEqual([]);
    fetches.completeFetchesOf(ctx, 1); // a partition these fetches do not read: nothing
    expect(ctx.sent).toEqual([]);
    fetches.completeFetchesOf(ctx, 0);
    expect(ctx.sent.map((s) => [s.msg.type, s.to, s.how])).toEqual([
      ['fetch-response', 11, 'reply'],
      ['consumer-fetch-response', 30, 'reply'],
    ]);
    ctx.clear();
    fetches.completeOrWatchFollowerFetch(ctx, { ...follower, requestId: 8 }, false, 500_000);
    fetches.fetchForConsumer(ctx, 31, consumerFetch(3, 1_000_000));
    fetches.completeAll(ctx);
    expect(ctx.sent.map((s) => [s.msg.type, s.to])).toEqual([
      ['fetch-response', 11],
      ['consumer-fetch-response', 31],
    ]);
    fetches.completeAll(ctx); // nothing parked any more
    expect(ctx.sent).toHaveLength(2);
  });
});
