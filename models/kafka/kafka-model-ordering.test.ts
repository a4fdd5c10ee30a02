// Ordering behaviour of the Kafka model's producer: retries with several requests in flight
// reorder records unless the producer is idempotent.

import { describe, expect, it } from 'vitest';
import { runKafka } from './testing/kafka-test-cluster.ts';

describe('kafka model: producer ordering', () => {
  const run = (idempotent: boolean, maxInFlight = 5) =>
    runKafka({
      producers: [
        {
          name: 'p1',
          config: { acks: 'all', 'enable.idempotence': idempotent, 'max.in.flight.requests.per.connection': maxInFlight, 'request.timeout.ms': 2000 },
          sends: [
            [1000, 'a'],
            [1100, 'a'],
            [1200, 'a'],
          ],
        },
      ],
      // The first produce request is lost on the way; the next ones get through.
      faults: [{ atMs: 999, kind: 'partition-one-way', from: ['p1'], to: ['b1'], durationMs: 20 }],
      durationMs: 10000,
    });

  it('non-idempotent retries with max.in.flight > 1 reorder records', () => {
    const r = run(false);
    expect(r.acked().sort()).toEqual([0, 1, 2]);
    expect(r.leaderRecords('orders-0')).toEqual([1, 2, 0]);
  });

  it('idempotence keeps send order with up to 5 in flight', () => {
    const r = run(true);
    expect(r.of('produce-error').some((e) => e.error === 'OUT_OF_ORDER_SEQUENCE_NUMBER')).toBe(true);
    expect(r.leaderRecords('orders-0')).toEqual([0, 1, 2]);
  });

  it('max.in.flight=1 keeps order without idempotence', () => {
    expect(run(false, 1).leaderRecords('orders-0')).toEqual([0, 1, 2]);
  });

  it('idempotence drops a duplicate retry of a batch that was appended', () => {
    const r = runKafka({
      producers: [{ name: 'p1', config: { acks: 'all', 'enable.idempotence': true, 'request.timeout.ms': 2000 }, sends: [[1000, 'a']] }],
      // The response is lost: the client retries a batch the leader already has.
      faults: [{ atMs: 1000, kind: 'partition-one-way', from: ['b1'], to: ['p1'], durationMs: 1500 }],
      durationMs: 10000,
    });
    expect(r.acked()).toEqual([0]);
    expect(r.leaderRecords('orders-0')).toEqual([0]);
    const plain = runKafka({
      producers: [{ name: 'p1', config: { acks: 'all', 'request.timeout.ms': 2000 }, sends: [[1000, 'a']] }],
      faults: [{ atMs: 1000, kind: 'partition-one-way', from: ['b1'], to: ['p1'], durationMs: 1500 }],
      durationMs: 10000,
    });
    expect(plain.leaderRecords('orders-0')).toEqual([0, 0]);
  });
});
