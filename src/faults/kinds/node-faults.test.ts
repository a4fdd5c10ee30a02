// The node fault kinds, observed end to end through the kernel with a probe model.
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

describe('node faults', () => {
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
