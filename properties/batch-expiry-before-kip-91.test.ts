// Producer batch expiry by Kafka version. Before 2.1 there was no delivery.timeout.ms (KIP-91): a
// batch waiting in the accumulator expired request.timeout.ms after it was ready
// (RecordAccumulator.expiredBatches); from 2.1 it waits up to delivery.timeout.ms (120 s) from its
// creation. A producer cut off from every broker for 60 s shows the difference: on 1.1 its queued
// batches fail about 30 s after they were ready, on 2.1 none fails before the cut heals.
import { describe, expect, it } from 'vitest';
import { runScenario, type Ev } from '../models/kafka/testing/scenario-run.ts';

const scenario = (kafkaVersion: string) => ({
  model: 'kafka',
  seed: '1',
  durationMs: 80000,
  preset: 'apache',
  kafkaVersion,
  cluster: { brokers: 3 },
  topics: [{ name: 'orders', partitions: 2, 'replication.factor': 3 }],
  producers: [{ name: 'p1', az: 'use1-az1', topic: 'orders', ratePerSec: 50, keys: 4, config: { acks: '1' } }],
  faults: [{ atMs: 10000, kind: 'isolate-node', node: 'p1', durationMs: 60000 }],
});

/** The send-fail events of a run, by error, with their times (µs). */
function failures(kafkaVersion: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const [t, , ev] of runScenario(scenario(kafkaVersion)).events) {
    if (ev.type !== 'send-fail') continue;
    const error = (ev as Ev & { error: string }).error;
    out.set(error, [...(out.get(error) ?? []), t]);
  }
  return out;
}

describe('batch expiry before and after KIP-91', () => {
  it('Kafka 1.1: queued batches expire request.timeout.ms (30 s) after they were ready, while the producer is cut off', () => {
    const f = failures('1.1');
    const expired = f.get('BATCH_EXPIRED') ?? [];
    expect(expired.length).toBeGreaterThan(0);
    // The first records queued after the cut (10 s) are ready within linger.ms=0: they expire just after 40 s.
    expect(Math.min(...expired)).toBeGreaterThan(40_000_000);
    expect(Math.min(...expired)).toBeLessThan(41_000_000);
    // Every expiry happens during the cut (batches ready after it heals are sent).
    expect(Math.max(...expired)).toBeLessThan(72_000_000);
    expect(f.get('DELIVERY_TIMEOUT')).toBeUndefined();
  });

  it('Kafka 2.1: delivery.timeout.ms (120 s) outlasts the 60 s cut: no batch expires', () => {
    const f = failures('2.1');
    expect(f.get('BATCH_EXPIRED')).toBeUndefined();
    expect(f.get('DELIVERY_TIMEOUT')).toBeUndefined();
  });
});
