import { describe, expect, it } from 'vitest';
import { runProbe } from '../kernel/testing/probe-model.ts';

const nodes = ['a', 'b', 'c', 'd'].map((name, i) => ({ name, az: `az${(i % 3) + 1}` }));

describe('background noise', () => {
  it('injects faults of the configured kinds inside its window, each ending by itself', () => {
    const lines: string[] = [];
    const { outcome, sim } = runProbe({
      nodes,
      durationMs: 60_000,
      noise: { intervalMsMean: 1000, durationMsMean: 300, kinds: ['crash', 'isolate-node'], startMs: 5000, stopMs: 40_000 },
      lineSink: { line: (_i, t) => lines.push(t) },
    });
    const faults = lines.map((l) => JSON.parse(l)).filter((l) => l[1] === 'fault');
    expect(faults.length).toBeGreaterThan(15);
    for (const f of faults) {
      expect(f[3]).toBe('noise');
      expect(['crash', 'isolate-node']).toContain(f[4].kind);
      expect(f[0]).toBeGreaterThanOrEqual(5_000_000);
      expect(f[0]).toBeLessThanOrEqual(40_000_000);
      expect(f[4].durationMs).toBeGreaterThan(0);
    }
    expect(Object.keys(outcome.kernel.faultsApplied).sort()).toEqual(['crash', 'isolate-node']);
    // every noise fault ended long before the end of the run: all nodes are back
    expect(sim.faultsActive).toBe(false);
    expect([0, 1, 2, 3].every((n) => sim.isUp(n))).toBe(true);
  });

  it('is driven by its own stream: the same seed gives the same noise, another seed other noise', () => {
    const noise = { intervalMsMean: 500, durationMsMean: 100, kinds: ['partition' as const] };
    const hash = (seed: string) => runProbe({ nodes, durationMs: 10_000, noise, seed }).outcome.traceHash;
    expect(hash('5')).toBe(hash('5'));
    expect(hash('5')).not.toBe(hash('6'));
  });
});
