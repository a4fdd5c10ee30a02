// NetworkClient on its own: produce requests in flight per broker, a closed connection failing
// exactly that broker's requests in send order, and leastLoadedNode's choice.

import { describe, expect, it } from 'vitest';
import { NetworkClient } from './network-client.ts';
import { ProducerBatch } from './producer-batch.ts';

const batch = (id: number) => new ProducerBatch(id, 0, 0, 1_000_000);

describe('NetworkClient', () => {
  it('counts requests in flight per broker until answered', () => {
    const net = new NetworkClient(3);
    const [r1, r2, r3] = [net.newCorrelationId(), net.newCorrelationId(), net.newCorrelationId()];
    expect([r1, r2, r3]).toEqual([1, 2, 3]);
    net.add(r1, { broker: 1, batches: [batch(1)], timerId: 11 });
    net.add(r2, { broker: 1, batches: [batch(2)], timerId: 12 });
    net.add(r3, { broker: 2, batches: [batch(3)], timerId: 13 });
    expect([0, 1, 2].map((b) => net.inFlightRequestCount(b))).toEqual([0, 2, 1]);
    expect(net.complete(r1)?.timerId).toBe(11);
    expect(net.complete(r1)).toBeUndefined(); // answered twice: the second finds nothing
    expect(net.inFlightRequestCount(1)).toBe(1);
    expect(net.brokerAwaited(r3)).toBe(2);
    expect(net.brokerAwaited(r1)).toBeUndefined();
  });

  it('fails every request of a closed connection, in send order, and only those', () => {
    const net = new NetworkClient(2);
    net.add(5, { broker: 0, batches: [batch(1)], timerId: 1 });
    net.add(6, { broker: 1, batches: [batch(2)], timerId: 2 });
    net.add(7, { broker: 0, batches: [batch(3)], timerId: 3 });
    expect(net.disconnect(0).map((r) => r.timerId)).toEqual([1, 3]);
    expect(net.inFlightRequestCount(0)).toBe(0);
    expect([...net.inFlightRequests()].map((r) => r.timerId)).toEqual([2]);
  });

  it('picks the least-loaded broker, ties going to the first at or after the start', () => {
    const net = new NetworkClient(4);
    expect(net.leastLoadedNode(2)).toBe(2);
    net.add(1, { broker: 2, batches: [], timerId: 1 });
    expect(net.leastLoadedNode(2)).toBe(3);
    net.add(2, { broker: 3, batches: [], timerId: 2 });
    expect(net.leastLoadedNode(2)).toBe(0); // wraps around
    net.add(3, { broker: 0, batches: [], timerId: 3 });
    net.add(4, { broker: 1, batches: [], timerId: 4 });
    net.add(5, { broker: 0, batches: [], timerId: 5 });
    expect(net.leastLoadedNode(0)).toBe(1); // loads 2,1,1,1: broker 1 comes first after 0
    net.clear();
    expect(net.leastLoadedNode(3)).toBe(3);
  });
});
