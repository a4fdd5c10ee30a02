// log.flush.interval.messages costs produce latency, as in Kafka: the leader fsyncs inside the
// append before it answers (UnifiedLog.append), and for acks=all each follower fsyncs before its
// next fetch reports the records, so the median acks=all produce takes about two fsyncs longer and
// acks=1 about one. An fsync that takes no time (storage.fsyncMs 0) leaves the run as it was
// without a flush policy; a flush policy that never triggers costs nothing.

import { describe, expect, it } from 'vitest';
import { runScenario } from '../models/kafka/testing/scenario-run.ts';

const FSYNC_MS = 2;

function p50Ms(acks: 'all' | '1', flushMessages: number | null, fsyncMs = FSYNC_MS): { p50: number; traceHash: string } {
  const config: Record<string, unknown> = { acks, 'min.insync.replicas': 2 };
  if (flushMessages !== null) config['log.flush.interval.messages'] = flushMessages;
  const { report } = runScenario({
    model: 'kafka',
    preset: 'apache',
    seed: '3',
    durationMs: 8000,
    cluster: { storage: { type: 'ebs', fsyncMs } },
    config,
    topics: [{ name: 't', partitions: 3, 'replication.factor': 3 }],
    producers: [{ name: 'p1', az: 'use1-az1', topic: 't', ratePerSec: 100, keys: 9 }],
  });
  const rows = (report.analysis as Record<string, { produceLatency: { latencyMsP50: number }[] }>)['kafka-summary'].produceLatency;
  return { p50: rows[0].latencyMsP50, traceHash: report.traceHash };
}

describe('the fsync of log.flush.interval.messages in produce latency', () => {
  it('acks=all pays the leader fsync and a follower fsync; acks=1 the leader fsync only', () => {
    const allBase = p50Ms('all', null).p50;
    const allFlushed = p50Ms('all', 1).p50;
    expect(allFlushed - allBase).toBeGreaterThan(1.75 * FSYNC_MS);
    expect(allFlushed - allBase).toBeLessThan(3 * FSYNC_MS);
    const oneBase = p50Ms('1', null).p50;
    const oneFlushed = p50Ms('1', 1).p50;
    expect(oneFlushed - oneBase).toBeGreaterThan(0.75 * FSYNC_MS);
    expect(oneFlushed - oneBase).toBeLessThan(1.5 * FSYNC_MS);
  });

  it('an fsync taking no time, or a flush policy never reached, leaves the run unchanged', () => {
    const base = p50Ms('all', null);
    expect(p50Ms('all', 1, 0).traceHash).toBe(base.traceHash);
    expect(p50Ms('all', 1_000_000).traceHash).toBe(base.traceHash);
  });
});
