// Writes bounded by a socket's send buffer (send-buffer.ts, NodeContext.sendBounded), end to end
// with the probe model: complete at once while the peer acknowledges; toward a cut link, a cut
// acknowledgement path, a silent host or a paused process, complete only when the bytes before
// them are acknowledged; never after the connection closed.
import { describe, expect, it } from 'vitest';
import { runProbe, type ProbeSend } from './testing/probe-model.ts';
import type { Fault } from '../faults/fault.ts';

// a -> c crosses AZs at exactly 1 ms each way; the connection opens with the first send at 5 ms (up at 7 ms).
const nodes = [
  { name: 'a', az: 'az1' },
  { name: 'c', az: 'az2' },
];
const network = {
  sameAz: { latencyUsMin: 200, latencyUsMean: 200, latencyUsMax: 200 },
  crossAz: { latencyUsMin: 1000, latencyUsMean: 1000, latencyUsMax: 1000 },
};
const KB = 1024;
const socket = (wireBytes: number) => ({ wireBytes, sendBufferBytes: 128 * KB, peerReceiveBufferBytes: 100 * KB });

/** A bounded write of `kb` KB from a to c at each time. */
function writes(atMs: number[], kb = 50, bounded = true): ProbeSend[] {
  return [{ atMs: 5, from: 'a', to: 'c' }, ...atMs.map((t) => ({ atMs: t, from: 'a', to: 'c', bounded: bounded ? socket(kb * KB) : undefined }))];
}

function writtenMs(atMs: number[], faults: Fault[], kb = 50) {
  const { model } = runProbe({ nodes, sends: writes(atMs, kb), faults, durationMs: 5_000, network });
  return atMs.map((_, i) => {
    const us = model.writtenUs.get(i + 1);
    return us === undefined ? null : us / 1000;
  });
}

describe('a bounded write', () => {
  it('is complete at once while the peer acknowledges what came before', () => {
    expect(writtenMs([100, 110, 120, 130], [])).toEqual([100, 110, 120, 130]);
  });

  it('toward a cut link, completes once what was written before is acknowledged after the heal', () => {
    // 50 KB each: the first two fit in 128 KB, the third waits. The link heals at 1,050 ms; the
    // first write, lost at 101 ms, is retransmitted at 301, 701 and 1,501 ms (RTO 200 ms
    // doubling), arrives at 1,502 ms with the rest behind it, and its acknowledgement is back at
    // 1,503 ms.
    const cut: Fault[] = [{ atMs: 50, kind: 'partition', groups: [['a'], ['c']], durationMs: 1000 }];
    expect(writtenMs([100, 110, 120, 130], cut)).toEqual([100, 110, 1503, 1503]);
  });

  it('is held by a cut of the acknowledgements alone (data gets through, acknowledgements do not)', () => {
    const ackCut: Fault[] = [{ atMs: 50, kind: 'partition-one-way', from: ['c'], to: ['a'], durationMs: 1000 }];
    const written = writtenMs([100, 110, 120], ackCut);
    expect(written.slice(0, 2)).toEqual([100, 110]);
    expect(written[2]).toBeGreaterThan(1050);
  });

  it('toward a paused process, completes while its receive buffer takes the data, then when it reads', () => {
    // c is paused 100-1,000 ms; 40 KB writes: c's host takes two (80 of its 100 KB), the third
    // waits unacknowledged; the fourth and fifth still fit in a's 128 KB (120 KB unacknowledged
    // with the fifth), the sixth waits until c reads at 1,000 ms (its acknowledgement at 1,001 ms).
    const pause: Fault[] = [{ atMs: 100, kind: 'pause', node: 'c', durationMs: 900 }];
    expect(writtenMs([200, 210, 220, 230, 240, 250], pause, 40)).toEqual([200, 210, 220, 230, 240, 1001]);
  });

  it('larger than the send buffer, completes when it is acknowledged (there at 101 ms, acknowledged back at 102 ms)', () => {
    expect(writtenMs([100], [], 200)).toEqual([102]);
  });

  it('is never complete after its connection closed (the peer process died: reset)', () => {
    const { model } = runProbe({
      nodes,
      sends: writes([100, 110, 120]),
      faults: [
        { atMs: 50, kind: 'partition', groups: [['a'], ['c']], durationMs: 1000 },
        { atMs: 60, kind: 'crash', node: 'c' },
      ],
      durationMs: 5_000,
      network,
    });
    expect(model.writtenUs.get(3)).toBeUndefined();
    expect(model.connections.map((e) => e.what)).toEqual(['connect', 'reset']);
  });

  it('changes nothing for plain sends: the same arrivals with and without the bound', () => {
    const cut: Fault[] = [{ atMs: 50, kind: 'partition', groups: [['a'], ['c']], durationMs: 1000 }];
    const arrivals = (bounded: boolean) => {
      const { model } = runProbe({ nodes, sends: writes([100, 110, 120, 130], 50, bounded), faults: cut, durationMs: 5_000, network });
      return [1, 2, 3, 4].map((i) => model.arrivalUs(i));
    };
    expect(arrivals(true)).toEqual(arrivals(false));
  });
});
