// Fetch sessions (KIP-227, Kafka 1.1+) in whole runs: followers and consumers open a session with a
// full fetch and then send incremental ones, which the leaders answer with only the partitions
// that changed; before 1.1 every fetch stays full. Either way every acknowledged record is
// replicated and consumed (the sessions change what travels, not what happens).

import { afterEach, describe, expect, it, vi } from 'vitest';
import { DelayedFetchPurgatory } from './broker/delayed-fetch.ts';
import type { ConsumerFetchRequest, FetchRequest } from './messages.ts';
import { runKafka } from './testing/kafka-test-cluster.ts';

const SIX_PARTITIONS = [0, 1, 2, 3, 4, 5].map((i) => ['b1', 'b2', 'b3'].map((_, k) => `b${((i + k) % 3) + 1}`));

/** Runs six partitions with one consumer group on `era`, recording the fetch requests the leaders get. */
function runRecordingFetches(era: 'kip-101' | 'current') {
  const follower: FetchRequest[] = [];
  const consumer: ConsumerFetchRequest[] = [];
  const openFetchSession = DelayedFetchPurgatory.prototype.openFetchSession;
  const fetchForConsumer = DelayedFetchPurgatory.prototype.fetchForConsumer;
  vi.spyOn(DelayedFetchPurgatory.prototype, 'openFetchSession').mockImplementation(function (this: DelayedFetchPurgatory, ctx, req) {
    follower.push(req);
    return openFetchSession.call(this, ctx, req);
  });
  vi.spyOn(DelayedFetchPurgatory.prototype, 'fetchForConsumer').mockImplementation(function (this: DelayedFetchPurgatory, ctx, from, req) {
    consumer.push(req);
    return fetchForConsumer.call(this, ctx, from, req);
  });
  const run = runKafka({
    era,
    metadataMode: 'zookeeper',
    topics: [{ name: 'orders', replicas: SIX_PARTITIONS }],
    producers: [{ name: 'p1', ratePerSec: 20, keys: 30, stopMs: 8000 }],
    consumerGroups: [{ groupId: 'g', members: [{ name: 'm1', az: 'az1' }], processingMs: 1, commit: 'after-processing', config: { 'auto.offset.reset': 'earliest' } }],
    durationMs: 15000,
  });
  return { run, follower, consumer };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('kafka model: fetch sessions', () => {
  it('from 1.1 followers and consumers fetch incrementally, listing only what changed', () => {
    const { run, follower, consumer } = runRecordingFetches('current');
    for (const fetches of [follower, consumer]) {
      const incremental = fetches.filter((req) => (req.sessionEpoch ?? 0) > 0);
      expect(incremental.length).toBeGreaterThan(fetches.length / 2);
      // A full fetch lists every partition fetched from that leader (two each); most incremental ones list fewer.
      expect(incremental.filter((req) => req.parts.length < 2).length).toBeGreaterThan(incremental.length / 2);
    }
    expect(run.acked().length).toBeGreaterThan(100);
    expect(run.neverProcessed()).toEqual([]);
  });

  it('before 1.1 every fetch is full and sessionless', () => {
    const { run, follower, consumer } = runRecordingFetches('kip-101');
    expect(follower.length).toBeGreaterThan(0);
    expect(consumer.length).toBeGreaterThan(0);
    expect([...follower, ...consumer].every((req) => req.sessionEpoch === undefined && req.sessionId === undefined)).toBe(true);
    expect(run.acked().length).toBeGreaterThan(100);
    expect(run.neverProcessed()).toEqual([]);
  });
});
