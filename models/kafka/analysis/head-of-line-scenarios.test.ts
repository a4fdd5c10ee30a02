// Head-of-line blocking on whole runs of the Kafka model (head-of-line-blocking.ts): orders-0's
// follower b2 is cut off from the leader b1 at 3 s, so orders-0's high watermark stalls until b1
// drops b2 from the ISR (replica.lag.time.max.ms, 3 s). orders-1 is healthy (its followers b3 and
// b4 fetch throughout). p1 writes both with acks=all, p2 with acks=1. When b1 leads both, p1's
// produce requests to b1 carry a batch of each, b1 answers one only when orders-0's batch commits,
// and reads p1's next request only then: orders-1's acks=all writes wait as long as orders-0 is
// stalled. Decoys: orders-1 led by another broker, acks=1 writers, a merely slow follower.
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import { runResolved } from '../../../src/scenario/run-scenario.ts';
import { kafkaDefinition } from '../kafka-definition.ts';
import { readKafkaRunSummary } from '../checkers/run-summary-checker.ts';
import type { KafkaRunSummary } from './run-summary.ts';
import type { PartitionUnavailabilityRow } from './availability-summary.ts';

const AZ2 = 'use1-az2';
const CUT_FOLLOWER = { atMs: 3000, kind: 'partition', groups: [['b1'], ['b2']], durationMs: 10_000 };

interface Run {
  summary: KafkaRunSummary;
  /** The longest time between two acknowledgements of p1's writes to orders-1, ms. */
  orders1AckGapMs: number;
}

function run(orders1Replicas: string[], faults: unknown[], acks: { p1: string; p2: string } = { p1: 'all', p2: '1' }): Run {
  const raw = {
    model: 'kafka',
    seed: '1',
    durationMs: 20_000,
    cluster: { brokers: 4, controllers: 3 },
    config: { 'replica.lag.time.max.ms': 3000 },
    topics: [{ name: 'orders', replicas: [['b1', 'b2', 'b3'], orders1Replicas] }],
    producers: [
      { name: 'p1', az: AZ2, topic: 'orders', ratePerSec: 100, keys: 20, config: { acks: acks.p1 } },
      { name: 'p2', az: AZ2, topic: 'orders', ratePerSec: 100, keys: 20, config: { acks: acks.p2 } },
    ],
    faults,
  };
  let lastAckUs = -1;
  let gapUs = 0;
  const report = runResolved(resolveScenario(raw, [kafkaDefinition]), {
    checkers: [
      {
        name: 'orders-1 acks',
        onEvent: (timeUs, _node, ev) => {
          if (ev.type !== 'send-ok' || ev.partition !== 'orders-1' || ev.producer !== 'p1') return;
          if (lastAckUs >= 0) gapUs = Math.max(gapUs, timeUs - lastAckUs);
          lastAckUs = timeUs;
        },
        finish: () => [],
      },
    ],
  });
  return { summary: readKafkaRunSummary(report)!, orders1AckGapMs: gapUs / 1000 };
}

function row(summary: KafkaRunSummary, partition: string, clients: PartitionUnavailabilityRow['clients']): PartitionUnavailabilityRow | undefined {
  return summary.unavailablePartitions.find((r) => r.partition === partition && r.clients === clients);
}

describe('head-of-line blocking on whole runs', () => {
  it('a healthy partition sharing its leader and its acks=all writer with a stalled one is unavailable as long, and counts it apart', () => {
    const { summary, orders1AckGapMs } = run(['b1', 'b3', 'b4'], [CUT_FOLLOWER]);
    const stalled = row(summary, 'orders-0', 'acks=all')!;
    expect(stalled.hwStalledMs).toBeGreaterThan(2500);
    const blocked = row(summary, 'orders-1', 'acks=all')!;
    expect(blocked).toMatchObject({ isrBelowMinMs: 0, hwStalledMs: 0, spells: 1, unavailableAtEnd: false });
    expect(blocked.headOfLineBlockedMs).toBe(blocked.unavailableMs);
    // From p1's first request after the cut to the stall's end: within a request's gap of orders-0's stall.
    expect(blocked.headOfLineBlockedMs).toBeGreaterThan(stalled.hwStalledMs - 50);
    expect(blocked.headOfLineBlockedMs).toBeLessThanOrEqual(stalled.hwStalledMs);
    // The writer saw it: no acknowledgement of orders-1 for at least as long.
    expect(orders1AckGapMs).toBeGreaterThanOrEqual(blocked.headOfLineBlockedMs);
    // acks=1 writers wait on no high watermark: neither partition is unavailable to them.
    expect(row(summary, 'orders-0', 'acks=0/1')).toBeUndefined();
    expect(row(summary, 'orders-1', 'acks=0/1')).toBeUndefined();
    const acksAll = summary.unavailabilityByClients.find((t) => t.clients === 'acks=all')!;
    expect(acksAll.headOfLineBlockedMs).toBe(blocked.headOfLineBlockedMs);
  });

  it('decoy: the same stall with orders-1 led by another broker blocks nothing (p1 sends it in requests of its own)', () => {
    const { summary, orders1AckGapMs } = run(['b3', 'b1', 'b4'], [CUT_FOLLOWER]);
    expect(row(summary, 'orders-0', 'acks=all')!.hwStalledMs).toBeGreaterThan(2500);
    expect(row(summary, 'orders-1', 'acks=all')).toBeUndefined();
    expect(orders1AckGapMs).toBeLessThan(500);
  });

  it('decoy: acks=1 writers only: the stall holds no request, nothing is unavailable', () => {
    const { summary } = run(['b1', 'b3', 'b4'], [CUT_FOLLOWER], { p1: '1', p2: '1' });
    expect(summary.unavailablePartitions).toEqual([]);
  });

  it('decoy: a follower link slowed by a second slows orders-0 commits, and orders-1 acknowledgements with them, but stalls and blocks nothing', () => {
    const slow = { atMs: 3000, kind: 'slow-link', from: 'b1', to: 'b2', latencyMsAdded: 1000, durationMs: 8000 };
    const { summary, orders1AckGapMs } = run(['b1', 'b3', 'b4'], [slow]);
    expect(orders1AckGapMs).toBeGreaterThan(900); // slow: p1's requests wait for orders-0's commits
    expect(summary.unavailablePartitions).toEqual([]);
  });
});
