// Every network and node fault kind, observed end to end through the kernel with a probe model.
import { describe, expect, it } from 'vitest';
import { runProbe, type ProbeSend } from '../kernel/testing/probe-model.ts';
import type { Fault } from '../faults/fault.ts';

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
});

describe('node faults', () => {
  it('an AZ outage takes every node in the AZ down (power loss) and az-restore starts them again', () => {
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
    );
    expect(model.downs.map((d) => [d.node, d.failure.kind, d.atUs])).toEqual([
      ['a', 'power-loss', 10_000],
      ['b', 'power-loss', 10_000],
    ]);
    expect(model.starts.filter((s) => s.atUs > 0).map((s) => [s.node, s.atUs])).toEqual([
      ['a', 50_000],
      ['b', 50_000],
    ]);
    expect([0, 1, 2].map((i) => model.got(i))).toEqual([false, false, true]);
    expect(sim.isUp(0) && sim.isUp(1)).toBe(true);
  });

  it('a crash kills the process timers; restart runs onStart again; crash and power loss are told apart', () => {
    const { model } = run(
      [{ atMs: 20, from: 'a', to: 'c' }],
      [
        { atMs: 10, kind: 'crash', node: 'a' },
        { atMs: 30, kind: 'restart', node: 'a' },
        { atMs: 40, kind: 'power-loss', node: 'b', durationMs: 10 },
        { atMs: 45, kind: 'disk-loss', node: 'b' },
      ],
    );
    expect(model.got(0)).toBe(false); // the timer that would have sent it died with the process
    expect(model.downs.map((d) => [d.node, d.failure.kind, d.failure.wasUp])).toEqual([
      ['a', 'crash', true],
      ['b', 'power-loss', true],
      ['b', 'disk-loss', false], // a further failure while already down is still reported
    ]);
    // b comes back only when both faults holding it down have ended: the power loss at 50 ms,
    // the disk loss never (no duration): so b is started once, at time 0
    expect(model.starts.filter((s) => s.node === 'b').length).toBe(1);
    expect(model.starts.filter((s) => s.node === 'a').map((s) => s.atUs)).toEqual([0, 30_000]);
  });

  it('restarting a running node is a crash followed by a start at the same time', () => {
    const { model } = run([], [{ atMs: 10, kind: 'restart', node: 'd' }]);
    expect(model.downs.map((d) => [d.node, d.failure.kind, d.atUs])).toEqual([['d', 'crash', 10_000]]);
    expect(model.starts.filter((s) => s.node === 'd').map((s) => s.atUs)).toEqual([0, 10_000]);
  });

  it('a paused node handles nothing until it resumes, then acts on what queued up, in order', () => {
    const { model } = run(
      [
        { atMs: 20, from: 'a', to: 'b' },
        { atMs: 25, from: 'c', to: 'b' },
      ],
      [{ atMs: 10, kind: 'pause', node: 'b', durationMs: 40 }],
      { ticks: [{ atMs: 30, node: 'b', label: 'stale' }] },
    );
    const atB = model.received.filter((r) => r.to === 'b');
    expect(atB.map((r) => [r.id, r.atUs])).toEqual([
      [0, 50_000],
      [1, 50_000],
    ]);
    expect(model.ticks).toEqual([{ atUs: 50_000, node: 'b', label: 'stale' }]);
    expect(model.downs).toEqual([]); // a pause is not a failure: the process keeps its state
  });
});

describe('link behaviour', () => {
  const many = (n: number, from: string, to: string): ProbeSend[] =>
    Array.from({ length: n }, (_, i) => ({ atMs: 1 + i * 0.01, from, to }));

  it('same-AZ latency is lower than cross-AZ latency and both stay within bounds', () => {
    const sends = [...many(300, 'a', 'b'), ...many(300, 'a', 'c')];
    const { model } = runProbe({ nodes, sends, durationMs: 1000 });
    const lat = (to: string) =>
      model.received.filter((r) => r.to === to).map((r) => r.atUs - Math.round(sends[r.id].atMs * 1000));
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(lat('b'))).toBeLessThan(mean(lat('c')));
    expect(Math.min(...lat('b'))).toBeGreaterThanOrEqual(100);
    expect(Math.min(...lat('c'))).toBeGreaterThanOrEqual(500);
  });

  it('links are FIFO unless reordering is enabled', () => {
    const fifo = runProbe({ nodes, sends: many(200, 'a', 'c'), durationMs: 1000 }).model;
    expect(fifo.received.map((r) => r.id)).toEqual([...Array(200).keys()]);
    const { model, outcome } = runProbe({ nodes, sends: many(200, 'a', 'c'), durationMs: 1000, network: { reorderRate: 1 } });
    expect(outcome.kernel.messagesReordered).toBeGreaterThan(0);
    expect(model.received.map((r) => r.id)).not.toEqual([...Array(200).keys()]);
  });

  it('loss drops and duplication delivers twice', () => {
    const lost = runProbe({ nodes, sends: many(100, 'a', 'c'), durationMs: 1000, network: { lossRate: 1 } });
    expect(lost.model.received.length).toBe(0);
    expect(lost.outcome.kernel.messagesDroppedLoss).toBe(100);
    const dup = runProbe({ nodes, sends: many(100, 'a', 'c'), durationMs: 1000, network: { duplicateRate: 1 } });
    expect(dup.model.received.length).toBe(200);
  });
});
