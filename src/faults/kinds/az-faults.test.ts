// The AZ fault kinds, observed end to end through the kernel with a probe model.
import { describe, expect, it } from 'vitest';
import { runProbe, type ProbeSend } from '../../kernel/testing/probe-model.ts';
import type { Fault } from '../fault.ts';

const nodes = [
  { name: 'a', az: 'az1' },
  { name: 'b', az: 'az1' },
  { name: 'c', az: 'az2' },
  { name: 'd', az: 'az3' },
];

function run(sends: ProbeSend[], faults: Fault[], extra: Parameters<typeof runProbe>[0] extends infer R ? Partial<R> : never = {}) {
  return runProbe({ nodes, sends, faults, durationMs: 1000, ...extra });
}

describe('AZ faults', () => {
  it('an AZ outage takes every node in the AZ down (power loss) and az-restore starts them again', () => {
    // c's connects meet silent hosts: their SYNs go again at 1 s, after the restore, and get through
    const { model, sim } = run(
      [
        { atMs: 20, from: 'c', to: 'a' },
        { atMs: 20, from: 'c', to: 'b' },
        { atMs: 60, from: 'c', to: 'a' },
      ],
      [
        { atMs: 10, kind: 'az-outage', az: 'az1' },
        { atMs: 50, kind: 'az-restore', az: 'az1' },
      ],
      { durationMs: 2000 },
    );
    expect(model.downs.map((d) => [d.node, d.failure.kind, d.atUs])).toEqual([
      ['a', 'power-loss', 10_000],
      ['b', 'power-loss', 10_000],
    ]);
    expect(model.starts.filter((s) => s.atUs > 0).map((s) => [s.node, s.atUs])).toEqual([
      ['a', 50_000],
      ['b', 50_000],
    ]);
    expect([0, 1, 2].map((i) => model.arrivalUs(i)! >= 1_020_000 && model.arrivalUs(i)! < 1_100_000)).toEqual([true, true, true]);
    expect(sim.isUp(0) && sim.isUp(1)).toBe(true);
  });

  it('az-restore ends only the outage of its own AZ', () => {
    const { model } = run(
      [],
      [
        { atMs: 10, kind: 'az-outage', az: 'az1' },
        { atMs: 10, kind: 'az-outage', az: 'az2' },
        { atMs: 50, kind: 'az-restore', az: 'az2' },
      ],
    );
    expect(model.starts.filter((s) => s.atUs > 0).map((s) => [s.node, s.atUs])).toEqual([['c', 50_000]]);
  });
});
