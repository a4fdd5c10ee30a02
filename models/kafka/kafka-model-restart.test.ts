// A broker that loses power and restarts at once (a 1 ms AZ power blip) must not lead again in
// its old epoch: in KRaft it registers its new incarnation first, the controller fences it and
// moves its leaderships, and only then does it act on metadata. Otherwise it would overwrite, in
// the same leader epoch, acknowledged records its followers hold (found by `ksim check`).
import { describe, expect, it } from 'vitest';
import { runKafka } from './testing/kafka-test-cluster.ts';

const every = (fromMs: number, toMs: number, stepMs: number): [number, null][] => {
  const out: [number, null][] = [];
  for (let t = fromMs; t <= toMs; t += stepMs) out.push([t, null]);
  return out;
};

describe('kafka model: a broker restarted at once', () => {
  for (const kind of ['power-loss', 'crash'] as const) {
    it(`does not lead again in its old epoch after a ${kind} (no acknowledged record lost)`, () => {
      const r = runKafka({
        producers: [{ name: 'p1', config: { acks: 'all' }, sends: every(500, 3000, 20) }],
        faults: [{ atMs: 1500, kind, node: 'b1', durationMs: 1 }],
        durationMs: 20_000,
      });
      expect(r.acked().length).toBeGreaterThan(20);
      expect(r.lostAcked('orders-0')).toEqual([]);
      // leadership moved off the restarted broker with a new epoch
      const moved = r.of('election').find((e) => e.previousLeader === 'b1');
      expect(moved?.leader).not.toBe('b1');
      expect(moved!.leaderEpoch).toBeGreaterThan(0);
    });
  }
});
