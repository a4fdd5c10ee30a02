// ../shared/cases/sticky-partitioner-spread: records without a key are spread about evenly over
// the topic's partitions (KIP-794 moves on every batch.size bytes), not ~99% on one.
import { describe, expect, it } from 'vitest';
import { MODELS } from '../../index.ts';
import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import { runResolved } from '../../../src/scenario/run-scenario.ts';
import { readSharedCase } from '../testing/shared-cases.ts';

describe('sticky-partitioner-spread', () => {
  it('spreads null-key records about evenly over the partitions', () => {
    const sends = new Map<string, number>();
    const sink = {
      line: (_i: number, text: string) => {
        if (!text.includes('"send"')) return;
        const [, kind, , ev] = JSON.parse(text) as [number, string, string, { type: string; key?: unknown; partition?: string }];
        if (kind === 'ev' && ev.type === 'send' && ev.key === null) sends.set(ev.partition!, (sends.get(ev.partition!) ?? 0) + 1);
      },
    };
    const report = runResolved(resolveScenario(readSharedCase('sticky-partitioner-spread'), MODELS, { settings: [] }), { lineSink: sink });
    const counts = [...sends.values()];
    const total = counts.reduce((a, b) => a + b, 0);
    expect(counts.length).toBe(3);
    expect(total).toBeGreaterThan(1000);
    for (const c of counts) expect(Math.abs(c / total - 1 / 3)).toBeLessThan(0.05);
    expect(report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
  });
});
