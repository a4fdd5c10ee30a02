// The network's link behaviour (latency, FIFO, random loss as TCP sees it), observed end to end
// through the kernel with a probe model. Link faults are tested with their kinds (src/faults/kinds),
// connections with the transport (src/kernel/transport.test.ts).
import { describe, expect, it } from 'vitest';
import { runProbe, type ProbeSend } from '../kernel/testing/probe-model.ts';

const nodes = [
  { name: 'a', az: 'az1' },
  { name: 'b', az: 'az1' },
  { name: 'c', az: 'az2' },
  { name: 'd', az: 'az3' },
];

describe('link behaviour', () => {
  // The first message to a peer opens the connection; the rest go on it (one latency each).
  const many = (n: number, from: string, to: string): ProbeSend[] =>
    Array.from({ length: n }, (_, i) => ({ atMs: 10 + i * 0.01, from, to }));

  it('same-AZ latency is lower than cross-AZ latency and both stay within bounds', () => {
    const sends = [...many(300, 'a', 'b'), ...many(300, 'a', 'c')];
    const { model } = runProbe({ nodes, sends, durationMs: 1000 });
    const lat = (to: string) =>
      model.received.filter((r) => r.to === to && r.id % 300 > 10).map((r) => r.atUs - Math.round(sends[r.id].atMs * 1000));
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(lat('b'))).toBeLessThan(mean(lat('c')));
    expect(Math.min(...lat('b'))).toBeGreaterThanOrEqual(100);
    expect(Math.min(...lat('c'))).toBeGreaterThanOrEqual(500);
  });

  it('links are FIFO: a connection delivers in send order', () => {
    const { model } = runProbe({ nodes, sends: many(200, 'a', 'c'), durationMs: 1000 });
    expect(model.received.map((r) => r.id)).toEqual([...Array(200).keys()]);
  });

  it('random loss delays segments by their retransmission timeouts, in order, and loses none', () => {
    const sends = many(200, 'a', 'c');
    const { model, outcome } = runProbe({ nodes, sends, durationMs: 600_000, network: { lossRate: 0.3 } });
    expect(model.received.map((r) => r.id)).toEqual([...Array(200).keys()]);
    expect(outcome.kernel.retransmissions).toBeGreaterThan(20);
    expect(outcome.kernel.messagesDropped).toBe(0);
    // a lost segment waits at least TCP_RTO_MIN (200 ms), and holds back what follows it
    const delays = model.received.map((r) => r.atUs - Math.round(sends[r.id].atMs * 1000));
    expect(delays.filter((d) => d >= 200_000).length).toBeGreaterThan(20);
    expect(Math.max(...delays)).toBeLessThan(600_000_000);
  });

  it('a loss rate of 1 still ends: the connect gives up after tcp_syn_retries', () => {
    const { model, outcome } = runProbe({ nodes, sends: [{ atMs: 10, from: 'a', to: 'b' }], durationMs: 200_000, network: { lossRate: 1 } });
    expect(outcome.kernel.retransmissions).toBe(6);
    expect(model.connections).toEqual([{ atUs: 127_010_000, node: 'a', peer: 'b', what: 'timeout' }]);
    expect(model.got(0)).toBe(false);
  });
});
