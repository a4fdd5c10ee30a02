// Fetch sessions (KIP-227): the fetching side's FetchSessionHandler, the leader's FetchSessionCache
// and the incremental responses DelayedFetchPurgatory sends in a session, to followers and consumers.
import { describe, expect, it } from 'vitest';
import { FETCH_SESSION_ID_NOT_FOUND, INVALID_FETCH_SESSION_EPOCH, LATEST_OFFSET, type ConsumerFetchRequest, type FetchPartition, type FetchRequest } from '../messages.ts';
import { PartitionLog } from '../storage/partition-log.ts';
import { RecordingContext } from '../testing/recording-context.ts';
import { DelayedFetchPurgatory } from './delayed-fetch.ts';
import { FetchSessionCache } from './fetch-session-cache.ts';
import { FetchSessionHandler } from '../clients/fetch-session-handler.ts';
import { Partition } from './partition.ts';

const at = (partition: number, fetchOffset: number, currentLeaderEpoch = 0): FetchPartition => ({ partition, fetchOffset, currentLeaderEpoch });
const fetch = (fields: Partial<FetchRequest>): FetchRequest => ({ type: 'fetch', requestId: 1, broker: 1, parts: [], ...fields });

describe('FetchSessionHandler', () => {
  it('sends everything to open a session, then only what changed and what it drops', () => {
    const h = new FetchSessionHandler(4);
    expect(h.build([at(0, 5), at(1, 7), at(2, 9)])).toEqual({ sessionId: 0, sessionEpoch: 0, parts: [at(0, 5), at(1, 7), at(2, 9)], forgotten: [] });
    expect(h.handleResponse(42, undefined)).toBe(true);
    expect(h.build([at(0, 5), at(1, 7), at(2, 9)])).toEqual({ sessionId: 42, sessionEpoch: 1, parts: [], forgotten: [] });
    h.handleResponse(42, undefined);
    // Partition 1 moved on, partition 2 has a new leader epoch, partition 0 is no longer fetched.
    expect(h.build([at(1, 8), at(2, 9, 3)])).toEqual({ sessionId: 42, sessionEpoch: 2, parts: [at(1, 8), at(2, 9, 3)], forgotten: [0] });
    h.handleResponse(42, undefined);
    // Fetched again, partition 0 is sent again.
    expect(h.build([at(0, 5), at(1, 8), at(2, 9, 3)]).parts).toEqual([at(0, 5)]);
  });

  it('forgets exactly the partitions the last request listed and this one leaves out, as the list shrinks and grows', () => {
    const h = new FetchSessionHandler(4);
    h.build([at(0, 1), at(1, 1), at(2, 1)]);
    h.handleResponse(42, undefined);
    expect(h.build([at(2, 1)]).forgotten).toEqual([0, 1]);
    h.handleResponse(42, undefined);
    expect(h.build([at(0, 1), at(1, 1), at(2, 2)])).toMatchObject({ parts: [at(0, 1), at(1, 1), at(2, 2)], forgotten: [] });
    h.handleResponse(42, undefined);
    expect(h.build([at(1, 1)]).forgotten).toEqual([0, 2]);
    h.handleResponse(42, undefined);
    expect(h.build([at(3, 1)]).forgotten).toEqual([1]);
    h.handleResponse(42, undefined);
    expect(h.build([at(3, 1)])).toMatchObject({ parts: [], forgotten: [] });
  });

  it('starts over with a full request after a session error, a failed fetch, or a leader without sessions', () => {
    const h = new FetchSessionHandler(2);
    h.build([at(0, 5)]);
    h.handleResponse(42, undefined);
    h.build([at(0, 5)]);
    expect(h.handleResponse(42, FETCH_SESSION_ID_NOT_FOUND)).toBe(false);
    expect(h.build([at(0, 5)])).toEqual({ sessionId: 0, sessionEpoch: 0, parts: [at(0, 5)], forgotten: [] });
    h.handleResponse(43, undefined);
    h.build([at(0, 5)]);
    h.handleError();
    expect(h.build([at(0, 5)]).sessionEpoch).toBe(0);
    // A leader before 1.1 answers without a session id: the requests stay full.
    h.handleResponse(undefined, undefined);
    expect(h.build([at(0, 5)])).toEqual({ sessionId: 0, sessionEpoch: 0, parts: [at(0, 5)], forgotten: [] });
  });
});

describe('FetchSessionCache', () => {
  it('opens a session on a full request and serves an incremental one over all its partitions', () => {
    const cache = new FetchSessionCache(4, null);
    const opened = cache.newContext(11, fetch({ sessionId: 0, sessionEpoch: 0, parts: [at(0, 5), at(2, 9)] })) as FetchRequest;
    expect(opened.sessionId).toBe(1);
    const served = cache.newContext(11, fetch({ sessionId: 1, sessionEpoch: 1, parts: [at(1, 3), at(2, 10)], forgotten: [0] })) as FetchRequest;
    // Partition 2 keeps its place, partition 1 joins at the end (Kafka's order).
    expect(served.parts).toEqual([at(2, 10), at(1, 3)]);
    expect(served.sessionId).toBe(1);
    // The epoch moved on: replaying epoch 1 is refused.
    expect(cache.newContext(11, fetch({ sessionId: 1, sessionEpoch: 1, parts: [] }))).toBe(INVALID_FETCH_SESSION_EPOCH);
    expect(cache.newContext(11, fetch({ sessionId: 1, sessionEpoch: 2, parts: [] }))).not.toBeTypeOf('string');
    // A restart loses the cache.
    cache.reset();
    expect(cache.newContext(11, fetch({ sessionId: 1, sessionEpoch: 3, parts: [] }))).toBe(FETCH_SESSION_ID_NOT_FOUND);
  });

  it("closes a follower's previous session when it opens another", () => {
    const cache = new FetchSessionCache(4, null);
    cache.newContext(11, fetch({ sessionId: 0, sessionEpoch: 0, parts: [at(0, 5)] }));
    cache.newContext(11, fetch({ sessionId: 0, sessionEpoch: 0, parts: [at(0, 5)] }));
    expect(cache.newContext(11, fetch({ sessionId: 1, sessionEpoch: 1, parts: [] }))).toBe(FETCH_SESSION_ID_NOT_FOUND);
    expect(cache.newContext(11, fetch({ sessionId: 2, sessionEpoch: 1, parts: [] }))).not.toBeTypeOf('string');
    // Sessions are per fetching node: another node's full request leaves this one open.
    cache.newContext(12, fetch({ sessionId: 0, sessionEpoch: 0, parts: [at(0, 5)] }));
    expect(cache.newContext(11, fetch({ sessionId: 2, sessionEpoch: 2, parts: [] }))).not.toBeTypeOf('string');
  });

  it('updates a partition in place whatever order the session lists its partitions in', () => {
    // A consumer lists its partitions in assignment order, a follower in the order it began following them.
    const cache = new FetchSessionCache(4, null);
    cache.newContext(11, fetch({ sessionId: 0, sessionEpoch: 0, parts: [at(3, 1), at(0, 1), at(2, 1)] }));
    const served = cache.newContext(11, fetch({ sessionId: 1, sessionEpoch: 1, parts: [at(3, 4), at(2, 7)] })) as FetchRequest;
    expect(served.parts).toEqual([at(3, 4), at(0, 1), at(2, 7)]);
  });
});

/** Broker 0 leads partitions 0 and 1 (3 records each, HW 3) and keeps fetch sessions. */
function leader(keepsSessions = true) {
  const logs = [new PartitionLog(), new PartitionLog()];
  for (const log of logs) {
    for (let id = 0; id < 3; id++) log.appendAsLeader({ id, epoch: 0, producerId: -1, producerEpoch: -1, sequence: -1, batchSize: 1, appendUs: 0 });
    log.maybeIncrementHighWatermark(3);
  }
  const partitions = [0, 1].map((p) => new Partition(p, 0, [0, 1], 0, 0, [0, 1], 0, 2, 0));
  const replicas = { leaderPartition: (p: number) => partitions[p] ?? null, localLog: (p: number) => logs[p] ?? null };
  const setup = { brokerNode: [10, 11], fetchMaxRecords: 10, maxRecordBytes: 100, stats: { consumerFetchRequests: 0 }, keepsFetchSessions: () => keepsSessions, partitionCount: 2 };
  return { fetches: new DelayedFetchPurgatory(setup, replicas), logs, ctx: new RecordingContext(10) };
}

describe('incremental fetch responses', () => {
  it('lists every partition in the full response, then only those with records or a moved HW', () => {
    const { fetches, logs, ctx } = leader();
    const full = fetches.openFetchSession(ctx, fetch({ requestId: 1, sessionId: 0, sessionEpoch: 0, parts: [at(0, 3), at(1, 3)] }))!;
    fetches.completeOrWatchFollowerFetch(ctx, full, true, 0);
    const [first] = ctx.sentOf('fetch-response');
    expect(first.sessionId).toBe(1);
    expect(first.parts.map((d) => d.partition)).toEqual([0, 1]);
    logs[1].appendAsLeader({ id: 3, epoch: 0, producerId: -1, producerEpoch: -1, sequence: -1, batchSize: 1, appendUs: 0 });
    const incremental = fetches.openFetchSession(ctx, fetch({ requestId: 2, sessionId: 1, sessionEpoch: 1, parts: [] }))!;
    expect(incremental.parts).toEqual([at(0, 3), at(1, 3)]);
    fetches.completeOrWatchFollowerFetch(ctx, incremental, true, 0);
    const second = ctx.sentOf('fetch-response')[1];
    expect(second.parts.map((d) => d.partition)).toEqual([1]);
    expect(second.parts[0].records.toArray().map((r) => r.id)).toEqual([3]);
  });

  it('answers an unknown session at once with FETCH_SESSION_ID_NOT_FOUND', () => {
    const { fetches, ctx } = leader();
    expect(fetches.openFetchSession(ctx, fetch({ requestId: 5, sessionId: 9, sessionEpoch: 4, parts: [] }))).toBeNull();
    expect(ctx.sentOf('fetch-response')[0]).toMatchObject({ requestId: 5, error: FETCH_SESSION_ID_NOT_FOUND, parts: [] });
  });
});

describe('consumer fetch sessions', () => {
  const consumerFetch = (fields: Partial<ConsumerFetchRequest>): ConsumerFetchRequest => ({ type: 'consumer-fetch', requestId: 1, parts: [], minBytes: 1, maxWaitUs: 0, maxRecordsPerPartition: 10, ...fields });

  it('answers an incremental consumer fetch with the partitions whose HW moved, and an offset reset always', () => {
    const { fetches, logs, ctx } = leader();
    fetches.fetchForConsumer(ctx, 20, consumerFetch({ requestId: 1, sessionId: 0, sessionEpoch: 0, parts: [at(0, 3), at(1, 3)] }));
    const [first] = ctx.sentOf('consumer-fetch-response');
    expect(first.sessionId).toBe(1);
    expect(first.parts.map((d) => d.partition)).toEqual([0, 1]);
    logs[1].appendAsLeader({ id: 3, epoch: 0, producerId: -1, producerEpoch: -1, sequence: -1, batchSize: 1, appendUs: 0 });
    logs[1].maybeIncrementHighWatermark(4);
    fetches.fetchForConsumer(ctx, 20, consumerFetch({ requestId: 2, sessionId: 1, sessionEpoch: 1, parts: [] }));
    const second = ctx.sentOf('consumer-fetch-response')[1];
    expect(second.parts.map((d) => d.partition)).toEqual([1]);
    expect(second.parts[0].records.toArray().map((r) => r.id)).toEqual([3]);
    // A reset to the latest offset finds no records and no moved HW, yet is answered: it carries the resolved offset.
    fetches.fetchForConsumer(ctx, 20, consumerFetch({ requestId: 3, sessionId: 1, sessionEpoch: 2, parts: [at(0, LATEST_OFFSET), at(1, 4)] }));
    expect(ctx.sentOf('consumer-fetch-response')[2].parts).toMatchObject([{ partition: 0, fetchOffset: 3, error: null }]);
    expect(fetches.fetchForConsumer(ctx, 20, consumerFetch({ requestId: 4, sessionId: 1, sessionEpoch: 2, parts: [] }))).toBeUndefined();
    expect(ctx.sentOf('consumer-fetch-response')[3]).toMatchObject({ requestId: 4, error: INVALID_FETCH_SESSION_EPOCH, parts: [] });
  });

  it('serves a consumer in full when the broker keeps no sessions (before 1.1)', () => {
    const { fetches, ctx } = leader(false);
    fetches.fetchForConsumer(ctx, 20, consumerFetch({ sessionId: 0, sessionEpoch: 0, parts: [at(0, 3), at(1, 3)] }));
    fetches.fetchForConsumer(ctx, 20, consumerFetch({ sessionId: 0, sessionEpoch: 0, parts: [at(0, 3), at(1, 3)] }));
    const responses = ctx.sentOf('consumer-fetch-response');
    expect(responses.map((r) => [r.sessionId, r.parts.length])).toEqual([
      [undefined, 2],
      [undefined, 2],
    ]);
  });
});
