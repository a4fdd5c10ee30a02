// Unavailability as clients feel it, on whole runs of the Kafka model through the scenario path
// (resolveScenario, runResolved: the kernel's node and fault changes reach the summary there).
// orders has one partition on b1, b2, b3 with b1 the preferred leader; p1 writes with acks=all,
// p2 with acks=1, from the AZ of b2 (so cutting b1 off from both producers leaves the rest alone).
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import { runResolved } from '../../../src/scenario/run-scenario.ts';
import { kafkaDefinition } from '../kafka-definition.ts';
import { readKafkaRunSummary } from '../checkers/run-summary-checker.ts';
import type { KafkaRunSummary } from './run-summary.ts';
import type { ClientKind } from './partition-availability.ts';

const AZ2 = 'use1-az2';

interface AvailabilityRun {
  summary: KafkaRunSummary;
  /** Elections of orders-0 after the first, ms. */
  electionsMs: number[];
  /** ISR shrinks of orders-0: when, and the ISR left. */
  isrShrinks: { atMs: number; isr: string[] }[];
}

function run(faults: unknown[], extra: Record<string, unknown> = {}): AvailabilityRun {
  const raw = {
    model: 'kafka',
    seed: '1',
    durationMs: 30_000,
    cluster: { brokers: 3, controllers: 3 },
    config: { 'replica.lag.time.max.ms': 3000 },
    topics: [{ name: 'orders', replicas: [['b1', 'b2', 'b3']] }],
    producers: [
      { name: 'p1', az: AZ2, topic: 'orders', ratePerSec: 50, config: { acks: 'all' } },
      { name: 'p2', az: AZ2, topic: 'orders', ratePerSec: 50, config: { acks: '1' } },
    ],
    faults,
    ...extra,
  };
  const electionsMs: number[] = [];
  const isrShrinks: AvailabilityRun['isrShrinks'] = [];
  const report = runResolved(resolveScenario(raw, [kafkaDefinition]), {
    checkers: [
      {
        name: 'elections',
        onEvent: (timeUs, _node, ev) => {
          if (ev.partition !== 'orders-0') return;
          if (ev.type === 'election' && ev.kind !== 'initial') electionsMs.push(timeUs / 1000);
          if (ev.type === 'isr-shrink') isrShrinks.push({ atMs: timeUs / 1000, isr: ev.isr as string[] });
        },
        finish: () => [],
      },
    ],
  });
  return { summary: readKafkaRunSummary(report)!, electionsMs, isrShrinks };
}

function unavailableMs(summary: KafkaRunSummary, clients: ClientKind): number {
  return summary.unavailablePartitions.find((r) => r.partition === 'orders-0' && r.clients === clients)?.unavailableMs ?? 0;
}

describe('unavailability on whole runs', () => {
  it('every replica powered off for 5 s: at least 5 s for both kinds of writers', () => {
    const { summary } = run(['b1', 'b2', 'b3'].map((node) => ({ atMs: 5000, kind: 'power-loss', node, durationMs: 5000 })));
    for (const kind of ['acks=all', 'acks=0/1'] as const) {
      expect(unavailableMs(summary, kind)).toBeGreaterThanOrEqual(5000);
      expect(unavailableMs(summary, kind)).toBeLessThan(8000);
    }
  });

  it('a leader crash counts from the crash, not from the election that follows the session timeout', () => {
    const { summary, electionsMs } = run([{ atMs: 5000, kind: 'crash', node: 'b1', durationMs: 20_000 }]);
    // The controller fenced b1 after broker.session.timeout.ms (9 s) and elected b2 then.
    expect(electionsMs[0]).toBeGreaterThan(13_000);
    for (const kind of ['acks=all', 'acks=0/1'] as const) {
      expect(unavailableMs(summary, kind)).toBeGreaterThanOrEqual(electionsMs[0] - 5000);
      expect(unavailableMs(summary, kind)).toBeLessThan(electionsMs[0] - 5000 + 500);
    }
  });

  it('followers down for long enough to leave the ISR: acks=all writers stalled, then refused; acks=1 writers served', () => {
    const { summary, isrShrinks } = run([
      { atMs: 2000, kind: 'crash', node: 'b2', durationMs: 10_000 },
      { atMs: 2000, kind: 'crash', node: 'b3', durationMs: 10_000 },
    ]);
    expect(unavailableMs(summary, 'acks=0/1')).toBe(0);
    const acksAll = summary.unavailablePartitions.find((r) => r.clients === 'acks=all')!;
    // From the crashes the high watermark waits on both dead followers (stalled) until the leader
    // drops them once replica.lag.time.max.ms has passed (b1 checks every 1.5 s); then ISR [b1]
    // refuses acks=all writes until a follower is back in sync after 12 s.
    const belowMinAtMs = isrShrinks.find((s) => s.isr.length === 1)!.atMs;
    expect(belowMinAtMs).toBeGreaterThan(5000);
    expect(acksAll.hwStalledMs).toBeGreaterThanOrEqual(belowMinAtMs - 2000 - 50);
    expect(acksAll.hwStalledMs).toBeLessThanOrEqual(belowMinAtMs - 2000);
    expect(acksAll.isrBelowMinMs).toBeGreaterThan(5500);
    expect(acksAll.isrBelowMinMs).toBeLessThan(7500);
    expect(acksAll.unavailableMs).toBeCloseTo(acksAll.isrBelowMinMs + acksAll.hwStalledMs, 6);
    expect(acksAll.spells).toBe(1);
  });

  it('the leader cut off from its producers but not from the controller: unavailable while cut off', () => {
    const { summary, electionsMs } = run([{ atMs: 5000, kind: 'partition', groups: [['b1'], ['p1', 'p2']], durationMs: 4000 }]);
    expect(electionsMs).toEqual([]); // the controller saw nothing wrong
    expect(unavailableMs(summary, 'acks=all')).toBe(4000);
    expect(unavailableMs(summary, 'acks=0/1')).toBe(4000);
  });

  it('a leader cut off with its acks=1 producer keeps serving it; the acks=all producer waits for the new leader', () => {
    // b1 and p2 on one side, everyone else (controllers, b2, b3, p1) on the other, for 15 s.
    const { summary, electionsMs } = run([{ atMs: 5000, kind: 'partition', groups: [['b1', 'p2'], ['b2', 'b3', 'c1', 'c2', 'c3', 'p1']], durationMs: 15_000 }]);
    expect(unavailableMs(summary, 'acks=0/1')).toBe(0);
    expect(unavailableMs(summary, 'acks=all')).toBeGreaterThanOrEqual(electionsMs[0] - 5000);
    expect(unavailableMs(summary, 'acks=all')).toBeLessThan(electionsMs[0] - 5000 + 100);
  });

  it('a follower crashed, a follower isolated: acks=all writers stall until the leader drops it from the ISR, acks=1 writers never notice', () => {
    const { summary, isrShrinks } = run([
      { atMs: 3000, kind: 'crash', node: 'b3', durationMs: 5000 },
      { atMs: 12_000, kind: 'isolate-node', node: 'b2', durationMs: 5000 },
    ]);
    // Partition.maybeShrinkIsr drops each once replica.lag.time.max.ms (3 s) has passed.
    const dropped = (atMs: number) => isrShrinks.find((s) => s.atMs > atMs)!.atMs;
    const stalledMs = dropped(3000) - 3000 + (dropped(12_000) - 12_000);
    expect(stalledMs).toBeGreaterThan(6000);
    expect(unavailableMs(summary, 'acks=0/1')).toBe(0);
    const acksAll = summary.unavailablePartitions.find((r) => r.clients === 'acks=all')!;
    // Each stall counts from the first record appended after the fault: p1 writes every 20 ms.
    expect(acksAll.unavailableMs).toBeGreaterThan(stalledMs - 2 * 40);
    expect(acksAll.unavailableMs).toBeLessThanOrEqual(stalledMs);
    expect(acksAll).toMatchObject({ hwStalledMs: acksAll.unavailableMs, isrBelowMinMs: 0, spells: 2, unavailableAtEnd: false });
  });

  it('decoys: a link to a follower slowed by up to a second (the most ksim check draws) slows commits down but never stalls them', () => {
    const { summary } = run([
      { atMs: 3000, kind: 'slow-link', from: 'b1', to: 'b2', latencyMsAdded: 1000, durationMs: 8000 },
      { atMs: 14_000, kind: 'slow-link', from: 'b3', to: 'b1', latencyMsAdded: 700, durationMs: 8000 },
    ]);
    expect(summary.unavailablePartitions).toEqual([]);
    expect(summary.unavailabilityByClients.map((t) => [t.clients, t.partitions, t.unavailableMs])).toEqual([
      ['acks=all', 1, 0],
      ['acks=0/1', 1, 0],
    ]);
  });
});
