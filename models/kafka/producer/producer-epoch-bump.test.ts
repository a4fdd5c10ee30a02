// An idempotent producer whose batches time out while their first attempt did reach the log (the
// responses were lost) must not resend those batches under a bumped producer epoch: the broker
// would take them as new and write them twice. Like the Java client (KIP-360), an expired batch
// leaves its sequence unresolved and the epoch is bumped only once nothing of the partition is in
// flight, so no attempt that may be in the log is resent under it (found by `ksim check` as a
// duplicate breach).
import { describe, expect, it } from 'vitest';
import { runKafka } from '../testing/kafka-test-cluster.ts';

const every = (fromMs: number, toMs: number, stepMs: number): [number, null][] => {
  const out: [number, null][] = [];
  for (let t = fromMs; t <= toMs; t += stepMs) out.push([t, null]);
  return out;
};

describe('kafka model: idempotent producer epoch bump', () => {
  it('never writes a record twice when responses are lost and batches expire', () => {
    const r = runKafka({
      producers: [
        {
          name: 'p1',
          config: { acks: 'all', 'enable.idempotence': true, 'request.timeout.ms': 1000, 'delivery.timeout.ms': 1500, 'linger.ms': 0 },
          sends: every(1000, 6000, 25),
        },
      ],
      // requests reach the leader, its responses never come back
      faults: [{ atMs: 2000, kind: 'partition-one-way', from: ['b1'], to: ['p1'], durationMs: 2000 }],
      durationMs: 15_000,
    });
    const log = r.log('orders-0', 'b1').records;
    const seen = new Set<number>();
    const twice = log.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
    expect(r.of('send-fail').length).toBeGreaterThan(0); // the scenario does expire batches
    expect(twice).toEqual([]);
  });
});
