// The network fault kinds, observed end to end through the kernel with a probe model.
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

describe('partitions', () => {
  it('drop traffic both ways between groups, keep it inside a group, and heal restores it', () => {
    const { model } = run(
      [
        { atMs: 20, from: 'a', to: 'c' },
        { atMs: 20, from: 'c', to: 'a' },
        { atMs: 20, from: 'a', to: 'b' },
        { atMs: 20, from: 'd', to: 'c' },
        { atMs: 40, from: 'a', to: 'c' },
        { atMs: 40, from: 'c', to: 'a' },
      ],
      [
        { atMs: 10, kind: 'partition', groups: [['a', 'b'], ['c', 'd']] },
        { atMs: 30, kind: 'heal' },
      ],
    );
    expect([0, 1, 2, 3, 4, 5].map((i) => model.got(i))).toEqual([false, false, true, true, true, true]);
  });

  it('end by themselves after durationMs', () => {
    const { model } = run(
      [
        { atMs: 20, from: 'a', to: 'c' },
        { atMs: 60, from: 'a', to: 'c' },
      ],
      [{ atMs: 10, kind: 'partition', groups: [['a'], ['c']], durationMs: 40 }],
    );
    expect([model.got(0), model.got(1)]).toEqual([false, true]);
  });

  it('leave nodes named in no group untouched', () => {
    const { model } = run(
      [
        { atMs: 20, from: 'd', to: 'a' },
        { atMs: 20, from: 'c', to: 'd' },
      ],
      [{ atMs: 10, kind: 'partition', groups: [['a'], ['c']] }],
    );
    expect([model.got(0), model.got(1)]).toEqual([true, true]);
  });

  it('drop messages already in flight when the partition starts', () => {
    // cross-AZ latency is at least 500 µs: a message sent at 10 ms is still in flight at 10.1 ms
    const { model } = runProbe({
      nodes,
      sends: [{ atMs: 10, from: 'a', to: 'c' }],
      faults: [{ atMs: 10.1, kind: 'partition', groups: [['a'], ['c']] }],
      durationMs: 100,
    });
    expect(model.got(0)).toBe(false);
  });

  it('one-way partitions drop only one direction', () => {
    const { model } = run(
      [
        { atMs: 20, from: 'a', to: 'c' },
        { atMs: 20, from: 'c', to: 'a' },
      ],
      [{ atMs: 10, kind: 'partition-one-way', from: ['a'], to: ['c'] }],
    );
    expect([model.got(0), model.got(1)]).toEqual([false, true]);
  });

  it('isolating a node cuts it from everyone, both ways', () => {
    const { model } = run(
      [
        { atMs: 20, from: 'c', to: 'a' },
        { atMs: 20, from: 'd', to: 'c' },
        { atMs: 20, from: 'a', to: 'd' },
      ],
      [{ atMs: 10, kind: 'isolate-node', node: 'c' }],
    );
    expect([0, 1, 2].map((i) => model.got(i))).toEqual([false, false, true]);
  });

  it('isolating an AZ cuts its nodes from other AZs but not from each other', () => {
    const { model } = run(
      [
        { atMs: 20, from: 'a', to: 'b' },
        { atMs: 20, from: 'b', to: 'c' },
        { atMs: 20, from: 'd', to: 'a' },
        { atMs: 20, from: 'c', to: 'd' },
      ],
      [{ atMs: 10, kind: 'isolate-az', az: 'az1' }],
    );
    expect([0, 1, 2, 3].map((i) => model.got(i))).toEqual([true, false, false, true]);
  });
});

describe('held links', () => {
  it('buffer traffic until released, then deliver it in order; the other direction flows', () => {
    const { model } = run(
      [
        { atMs: 20, from: 'a', to: 'c' },
        { atMs: 21, from: 'a', to: 'c' },
        { atMs: 22, from: 'c', to: 'a' },
      ],
      [
        { atMs: 10, kind: 'hold', from: 'a', to: 'c' },
        { atMs: 100, kind: 'release', from: 'a', to: 'c' },
      ],
    );
    const toC = model.received.filter((r) => r.to === 'c');
    expect(toC.map((r) => r.id)).toEqual([0, 1]);
    expect(toC.every((r) => r.atUs >= 100_000)).toBe(true);
    expect(model.received.find((r) => r.id === 2)!.atUs).toBeLessThan(30_000);
  });

  it('a release ends only the hold of its own link; a heal ends holds too', () => {
    const { model } = run(
      [
        { atMs: 20, from: 'a', to: 'c' },
        { atMs: 20, from: 'b', to: 'd' },
      ],
      [
        { atMs: 10, kind: 'hold', from: 'a', to: 'c' },
        { atMs: 10, kind: 'hold', from: 'b', to: 'd' },
        { atMs: 30, kind: 'release', from: 'a', to: 'c' },
        { atMs: 60, kind: 'heal' },
      ],
    );
    expect(model.received.map((r) => [r.id, Math.floor(r.atUs / 10_000)])).toEqual([
      [0, 3],
      [1, 6],
    ]);
  });
});
