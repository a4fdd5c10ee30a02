// The network's link behaviour (latency, FIFO, reordering, loss, duplication), observed end to end
// through the kernel with a probe model. Link faults are tested with their kinds (src/faults/kinds).
import { describe, expect, it } from 'vitest';
import { runProbe, type ProbeSend } from '../kernel/testing/probe-model.ts';

const nodes = [
  { name: 'a', az: 'az1' },
  { name: 'b', az: 'az1' },
  { name: 'c', az: 'az2' },
  { name: 'd', az: 'az3' },
];

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
