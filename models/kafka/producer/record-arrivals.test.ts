// RecordArrivals: materialising a producer's generated records lazily, with one timer at the next
// arrival that matters, drains the same batches at the same times as a producer that runs its
// Sender at every arrival; keys are drawn in the same order; the last arrival is never left behind.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Choice } from '../../../src/sim/choice.ts';
import { SeededChoices } from '../../../src/sim/seeded-choices.ts';
import { RecordAccumulator } from './record-accumulator.ts';
import { RecordArrivals, type ArrivalRouting } from './record-arrivals.ts';

interface Workload {
  seed: number;
  partitions: number;
  keys: number;
  perBatch: number;
  lingerUs: number;
  intervalUs: number;
  endUs: number;
}

const choiceOf = (seed: number): Choice => new SeededChoices(String(seed)).stream('kafka.producer.p1');

function routingOf(w: Workload): ArrivalRouting {
  return { keyed: true, partitionOfKey: (k) => k % w.partitions, stickyPartition: () => -1, stickyRecordsBeforeSwitch: () => 0 };
}

/** Round trip of a stub produce request: its partition is muted until the response (max.in.flight = 1). */
const RTT_US = 3000;

/**
 * A stub Sender: drains the first batch of every partition that is ready and not muted; returns
 * its next wakeup (a response counts as one: the producer acts then).
 */
function drain(acc: RecordAccumulator, mutedUntil: number[], nowUs: number, drained: string[]): number {
  let wakeUs = Infinity;
  for (let tp = 0; tp < acc.queues.length; tp++) {
    if ((mutedUntil[tp] ?? 0) > nowUs) {
      wakeUs = Math.min(wakeUs, mutedUntil[tp]);
      continue;
    }
    if (acc.queues[tp].length === 0) continue;
    const readyUs = acc.firstBatchReadyAtUs(tp);
    if (readyUs > nowUs) {
      wakeUs = Math.min(wakeUs, readyUs);
      continue;
    }
    drained.push(`${nowUs} p${tp} [${acc.pollFirst(tp).recordIds.join(',')}]`);
    mutedUntil[tp] = nowUs + RTT_US;
    wakeUs = Math.min(wakeUs, mutedUntil[tp]);
  }
  return wakeUs;
}

/** The Sender run at every arrival and at its own wakeups. */
function eager(w: Workload): string[] {
  const acc = new RecordAccumulator(w.partitions, w.perBatch, w.lingerUs, 1e12);
  const choice = choiceOf(w.seed);
  const drained: string[] = [];
  const muted: number[] = [];
  let wakeUs = Infinity;
  for (let n = 0, record = 1; ; n++) {
    const atUs = Math.round(n * w.intervalUs);
    while (wakeUs < atUs && wakeUs < w.endUs) wakeUs = drain(acc, muted, wakeUs, drained);
    if (atUs >= w.endUs) return drained;
    acc.append(choice.below(w.keys) % w.partitions, record++, atUs);
    wakeUs = drain(acc, muted, atUs, drained);
  }
}

/** One timer at min(Sender wakeup, next arrival that matters); records materialised when it fires. */
function lazy(w: Workload): { drained: string[]; timers: number } {
  const acc = new RecordAccumulator(w.partitions, w.perBatch, w.lingerUs, 1e12);
  const arrivals = new RecordArrivals(w.intervalUs, 0, w.endUs, w.keys, choiceOf(w.seed), acc, w.lingerUs);
  const routing = routingOf(w);
  const drained: string[] = [];
  const muted: number[] = [];
  let wakeUs = Infinity;
  let timers = 0;
  let record = 1;
  for (let nowUs = arrivals.nextMatteringUs(wakeUs, routing, false); nowUs < w.endUs; nowUs = arrivals.nextMatteringUs(wakeUs, routing, false)) {
    timers++;
    for (let atUs = arrivals.dueUs(nowUs); atUs >= 0; atUs = arrivals.dueUs(nowUs)) acc.append(arrivals.take() % w.partitions, record++, atUs);
    wakeUs = drain(acc, muted, nowUs, drained);
  }
  return { drained, timers };
}

const workloads = fc.record({
  seed: fc.integer({ min: 1, max: 1000 }),
  partitions: fc.integer({ min: 1, max: 6 }),
  keys: fc.integer({ min: 1, max: 20 }),
  perBatch: fc.integer({ min: 1, max: 8 }),
  lingerUs: fc.constantFrom(0, 1000, 5000, 20_000),
  intervalUs: fc.constantFrom(333.3333333333333, 1000, 5000, 50),
  endUs: fc.integer({ min: 1, max: 200_000 }),
});

describe('RecordArrivals', () => {
  it('drains the same batches at the same times as a Sender run at every arrival', () => {
    fc.assert(
      fc.property(workloads, (w) => {
        expect(lazy(w).drained).toEqual(eager(w));
      }),
      { numRuns: 300 },
    );
  });

  it('needs far fewer timers than arrivals when batches take many records', () => {
    const w: Workload = { seed: 3, partitions: 4, keys: 50, perBatch: 100, lingerUs: 5000, intervalUs: 50, endUs: 1_000_000 };
    const { drained, timers } = lazy(w);
    expect(drained).toEqual(eager(w));
    expect(timers).toBeLessThan(1_000_000 / 50 / 10);
  });

  it('takes keys in draw order whether or not it looked ahead', () => {
    const acc = new RecordAccumulator(3, 4, 5000, 1e12);
    const arrivals = new RecordArrivals(1000, 0, 1e9, 7, choiceOf(5), acc, 5000);
    const direct = choiceOf(5);
    const routing: ArrivalRouting = { keyed: true, partitionOfKey: (k) => k % 3, stickyPartition: () => -1, stickyRecordsBeforeSwitch: () => 0 };
    arrivals.nextMatteringUs(Infinity, routing, false); // draws ahead
    const taken: number[] = [];
    for (let i = 0; i < 40; i++) {
      if (i % 7 === 3) arrivals.nextMatteringUs(Infinity, routing, false);
      taken.push(arrivals.take());
    }
    expect(taken).toEqual(Array.from({ length: 40 }, () => direct.below(7)));
  });

  it('stops at the last arrival before the end, at every arrival when asked, and at a sticky switch', () => {
    const acc = new RecordAccumulator(2, 1000, 1e9, 1e12);
    const keyed: ArrivalRouting = { keyed: true, partitionOfKey: () => 0, stickyPartition: () => -1, stickyRecordsBeforeSwitch: () => 0 };
    const arrivals = new RecordArrivals(1000, 0, 10_500, 3, choiceOf(1), acc, 1e9);
    expect(arrivals.nextMatteringUs(Infinity, keyed, false)).toBe(10_000);
    expect(arrivals.nextMatteringUs(Infinity, keyed, true)).toBe(0);
    const sticky = (left: number): ArrivalRouting => ({ keyed: false, partitionOfKey: () => 0, stickyPartition: () => 1, stickyRecordsBeforeSwitch: () => left });
    expect(arrivals.nextMatteringUs(Infinity, sticky(4), false)).toBe(4000);
    expect(arrivals.nextMatteringUs(Infinity, { ...sticky(4), stickyPartition: () => -1 }, false)).toBe(0);
  });
});
