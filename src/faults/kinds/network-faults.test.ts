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

// Times are exact: latencies are fixed (0.2 ms inside an AZ, 1 ms across). A message that meets a
// cut link waits for TCP's next retransmission after the cut ends (RTO 200 ms, doubling): the
// connection layer itself is tested in src/kernel/transport.test.ts.
const network = {
  sameAz: { latencyUsMin: 200, latencyUsMean: 200, latencyUsMax: 200 },
  crossAz: { latencyUsMin: 1000, latencyUsMean: 1000, latencyUsMax: 1000 },
};
const at = (model: { arrivalUs(i: number): number | undefined }, ids: number[]) => ids.map((i) => (model.arrivalUs(i) ?? -1_000) / 1000);

describe('partitions', () => {
  it('cut traffic both ways between groups until the heal, keep it inside a group', () => {
    const { model } = run(
      [
        { atMs: 1, from: 'a', to: 'c' }, // opens a -> c before the cut
        { atMs: 1, from: 'c', to: 'a' },
        { atMs: 20, from: 'a', to: 'c' },
        { atMs: 20, from: 'c', to: 'a' },
        { atMs: 20, from: 'a', to: 'b' },
        { atMs: 20, from: 'd', to: 'c' },
      ],
      [
        { atMs: 10, kind: 'partition', groups: [['a', 'b'], ['c', 'd']] },
        { atMs: 300, kind: 'heal' },
      ],
      { network },
    );
    // 2 and 3 stall at 21 ms; the retransmission at 221 ms is cut too, the one at 621 ms gets through
    expect(at(model, [2, 3, 4, 5])).toEqual([622, 622, 20.6, 23]);
  });

  it('end by themselves after durationMs', () => {
    const { model } = run(
      [
        { atMs: 1, from: 'a', to: 'c' },
        { atMs: 20, from: 'a', to: 'c' },
        { atMs: 60, from: 'a', to: 'c' },
      ],
      [{ atMs: 10, kind: 'partition', groups: [['a'], ['c']], durationMs: 40 }],
      { network },
    );
    expect(at(model, [1, 2])).toEqual([222, 222]); // 2 waits behind 1 on the connection
  });

  it('leave nodes named in no group untouched', () => {
    const { model } = run(
      [
        { atMs: 20, from: 'd', to: 'a' },
        { atMs: 20, from: 'c', to: 'd' },
      ],
      [{ atMs: 10, kind: 'partition', groups: [['a'], ['c']] }],
      { network },
    );
    expect(at(model, [0, 1])).toEqual([23, 23]);
  });

  it('stall what is in flight when the partition starts', () => {
    const { model } = run(
      [
        { atMs: 1, from: 'a', to: 'c' },
        { atMs: 10, from: 'a', to: 'c' }, // arrives at 11 ms: the cut began at 10.5 ms
      ],
      [{ atMs: 10.5, kind: 'partition', groups: [['a'], ['c']], durationMs: 100 }],
      { network },
    );
    expect(at(model, [1])).toEqual([212]);
  });

  it('one-way partitions cut only one direction', () => {
    const { model } = run(
      [
        { atMs: 1, from: 'a', to: 'c' },
        { atMs: 1, from: 'c', to: 'a' },
        { atMs: 20, from: 'a', to: 'c' },
        { atMs: 20, from: 'c', to: 'a' },
      ],
      [{ atMs: 10, kind: 'partition-one-way', from: ['a'], to: ['c'] }],
      { network },
    );
    expect(at(model, [2, 3])).toEqual([-1, 21]);
  });

  it('isolating a node cuts it from everyone, both ways', () => {
    const { model } = run(
      [
        { atMs: 20, from: 'c', to: 'a' },
        { atMs: 20, from: 'd', to: 'c' },
        { atMs: 20, from: 'a', to: 'd' },
      ],
      [{ atMs: 10, kind: 'isolate-node', node: 'c' }],
      { network },
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
      { network },
    );
    expect([0, 1, 2, 3].map((i) => model.got(i))).toEqual([true, false, false, true]);
  });
});

describe('held links', () => {
  it('buffer traffic until released, then deliver it in order; the other direction flows', () => {
    const { model } = run(
      [
        { atMs: 1, from: 'a', to: 'c' },
        { atMs: 1, from: 'c', to: 'a' },
        { atMs: 20, from: 'a', to: 'c' },
        { atMs: 21, from: 'a', to: 'c' },
        { atMs: 22, from: 'c', to: 'a' },
      ],
      [
        { atMs: 10, kind: 'hold', from: 'a', to: 'c' },
        { atMs: 100, kind: 'release', from: 'a', to: 'c' },
      ],
      { network },
    );
    expect(model.received.filter((r) => r.to === 'c').map((r) => r.id)).toEqual([0, 2, 3]);
    expect(at(model, [2, 3, 4])).toEqual([101, 101, 23]);
  });

  it('a release ends only the hold of its own link; a heal ends holds too', () => {
    const { model } = run(
      [
        { atMs: 1, from: 'a', to: 'c' },
        { atMs: 1, from: 'b', to: 'd' },
        { atMs: 20, from: 'a', to: 'c' },
        { atMs: 20, from: 'b', to: 'd' },
      ],
      [
        { atMs: 10, kind: 'hold', from: 'a', to: 'c' },
        { atMs: 10, kind: 'hold', from: 'b', to: 'd' },
        { atMs: 30, kind: 'release', from: 'a', to: 'c' },
        { atMs: 60, kind: 'heal' },
      ],
      { network },
    );
    expect(at(model, [2, 3])).toEqual([31, 61]);
  });

  it('a slow link delivers late while the fault lasts, in order, and a heal ends it', () => {
    const { model } = run(
      [
        { atMs: 1, from: 'a', to: 'b' },
        { atMs: 1, from: 'b', to: 'a' },
        { atMs: 20, from: 'a', to: 'b' },
        { atMs: 21, from: 'a', to: 'b' },
        { atMs: 20, from: 'b', to: 'a' },
        { atMs: 70, from: 'a', to: 'b' },
      ],
      [
        { atMs: 10, kind: 'slow-link', from: 'a', to: 'b', latencyMsAdded: 30 },
        { atMs: 60, kind: 'heal' },
      ],
      { network },
    );
    expect(at(model, [2, 3, 4, 5])).toEqual([50.2, 51.2, 20.2, 70.2]);
  });
});
