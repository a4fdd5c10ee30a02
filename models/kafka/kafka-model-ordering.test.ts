// Ordering behaviour of the Kafka model's producer: retries with several requests in flight
// reorder records unless the producer is idempotent. Over TCP a request is not lost on its own:
// what reorders is a request stuck on the connection to an old leader while later records go to
// the new one, then retried after request.timeout.ms.

import { describe, expect, it } from 'vitest';
import { runKafka } from './testing/kafka-test-cluster.ts';

describe('kafka model: producer ordering', () => {
  const run = (idempotent: boolean, maxInFlight = 5) =>
    runKafka({
      brokerConfig: { 'broker.session.timeout.ms': 2000, 'broker.heartbeat.interval.ms': 500 },
      producers: [
        {
          name: 'p1',
          config: {
            acks: 'all',
            'enable.idempotence': idempotent,
            'max.in.flight.requests.per.connection': maxInFlight,
            'request.timeout.ms': 10_000,
            'metadata.max.age.ms': 1000,
          },
          sends: [
            [500, 'a'],
            [1000, 'a'],
            [5000, 'a'],
            [5100, 'a'],
          ],
        },
      ],
      // The leader b1 is cut off just before the second record: its request is stuck on the
      // producer's connection to b1 until request.timeout.ms, while b1 is fenced, b2 elected and
      // the producer learns it; the next records go to b2.
      faults: [{ atMs: 999, kind: 'isolate-node', node: 'b1', durationMs: 30_000 }],
      durationMs: 20_000,
    });

  it('non-idempotent retries with max.in.flight > 1 reorder records', () => {
    const r = run(false);
    expect(r.acked().sort()).toEqual([0, 1, 2, 3]);
    expect(r.leaderRecords('orders-0')).toEqual([0, 2, 3, 1]);
    expect(r.of('produce-error').map((e) => e.error)).toEqual(['NETWORK_TIMEOUT']);
  });

  it('idempotence keeps send order with up to 5 in flight', () => {
    const r = run(true);
    expect(r.of('produce-error').some((e) => e.error === 'OUT_OF_ORDER_SEQUENCE_NUMBER')).toBe(true);
    expect(r.leaderRecords('orders-0')).toEqual([0, 1, 2, 3]);
  });

  it('max.in.flight=1 keeps order without idempotence', () => {
    expect(run(false, 1).leaderRecords('orders-0')).toEqual([0, 1, 2, 3]);
  });

  it('idempotence drops a duplicate retry of a batch that was appended', () => {
    // The first record opens the connection; the second's response is held up past
    // request.timeout.ms: the client closes the connection and retries a batch the leader has.
    const sends: [number, string][] = [
      [500, 'a'],
      [1000, 'a'],
    ];
    const faults = [{ atMs: 1000, kind: 'partition-one-way' as const, from: ['b1'], to: ['p1'], durationMs: 3000 }];
    const r = runKafka({
      producers: [{ name: 'p1', config: { acks: 'all', 'enable.idempotence': true, 'request.timeout.ms': 2000 }, sends }],
      faults,
      durationMs: 10000,
    });
    expect(r.acked()).toEqual([0, 1]);
    expect(r.leaderRecords('orders-0')).toEqual([0, 1]);
    expect(r.of('produce-error').map((e) => e.error)).toEqual(['NETWORK_TIMEOUT']);
    const plain = runKafka({ producers: [{ name: 'p1', config: { acks: 'all', 'request.timeout.ms': 2000 }, sends }], faults, durationMs: 10000 });
    expect(plain.leaderRecords('orders-0')).toEqual([0, 1, 1]);
  });
});
