// NetworkClient on its own: produce requests in flight per broker, connections (ready() starts a
// connect once; the setup timeout; the reconnect backoff after a disconnect), a closed connection
// failing exactly that broker's requests in send order, and leastLoadedNode's choice.

import { describe, expect, it } from 'vitest';
import { SeededChoices } from '../../../src/sim/seeded-choices.ts';
import { RecordingContext } from '../testing/recording-context.ts';
import { NetworkClient, NO_NODE } from './network-client.ts';
import { ProducerBatch } from './producer-batch.ts';

const NODES = [10, 11, 12, 13];
const CONFIG = { 'reconnect.backoff.ms': 50, 'reconnect.backoff.max.ms': 1000, 'socket.connection.setup.timeout.ms': 10_000, 'socket.connection.setup.timeout.max.ms': 30_000 };
const batch = (id: number) => new ProducerBatch(id, 0, 0, 1_000_000);
const client = (brokers = 3) => new NetworkClient(NODES.slice(0, brokers), CONFIG, new SeededChoices('net').stream('test'));

/** Brings the connection to each broker up. */
function connectAll(net: NetworkClient, ctx: RecordingContext, brokers: number[]): void {
  for (const b of brokers) {
    net.ready(ctx, b);
    net.onConnect(ctx, b);
  }
}

describe('NetworkClient', () => {
  it('counts requests in flight per broker until answered', () => {
    const net = client();
    const ctx = new RecordingContext();
    const [r1, r2, r3] = [net.newCorrelationId(), net.newCorrelationId(), net.newCorrelationId()];
    expect([r1, r2, r3]).toEqual([1, 2, 3]);
    net.add(ctx, r1, { broker: 1, batches: [batch(1)], deadlineUs: 11 });
    net.add(ctx, r2, { broker: 1, batches: [batch(2)], deadlineUs: 12 });
    net.add(ctx, r3, { broker: 2, batches: [batch(3)], deadlineUs: 13 });
    expect([0, 1, 2].map((b) => net.inFlightRequestCount(b))).toEqual([0, 2, 1]);
    expect(net.complete(r1)?.deadlineUs).toBe(11);
    expect(net.complete(r1)).toBeUndefined(); // answered twice: the second finds nothing
    expect(net.inFlightRequestCount(1)).toBe(1);
  });

  it('arms one request.timeout.ms timer per broker, at the earliest deadline, and times a request out at its own deadline', () => {
    const net = client();
    const ctx = new RecordingContext();
    net.add(ctx, 1, { broker: 1, batches: [batch(1)], deadlineUs: 30_000_000 });
    ctx.nowUs = 2_000_000;
    net.add(ctx, 2, { broker: 1, batches: [batch(2)], deadlineUs: 32_000_000 });
    net.add(ctx, 3, { broker: 2, batches: [batch(3)], deadlineUs: 32_000_000 });
    // one timer per broker, not one per request; no timer is cancelled when a response comes
    expect(ctx.timers.map((t) => [t.timer, t.atUs])).toEqual([
      [{ type: 'request-timeout', broker: 1 }, 30_000_000],
      [{ type: 'request-timeout', broker: 2 }, 32_000_000],
    ]);
    net.complete(1);
    expect(ctx.cancelled.size).toBe(0);
    // broker 1's timer fires at the answered request's deadline: request 2 is not late yet; armed again for it
    ctx.nowUs = 30_000_000;
    expect(net.hasTimedOutRequest(ctx, 1)).toBe(false);
    expect(ctx.timers.slice(2).map((t) => [t.timer, t.atUs])).toEqual([[{ type: 'request-timeout', broker: 1 }, 32_000_000]]);
    ctx.nowUs = 32_000_000;
    expect(net.hasTimedOutRequest(ctx, 1)).toBe(true);
    // nothing left in flight to broker 1 once closed: its timer stays unarmed
    net.close(ctx, 1);
    expect(net.hasTimedOutRequest(ctx, 1)).toBe(false);
    expect(ctx.timers).toHaveLength(3);
    // an earlier deadline than the armed one re-arms it (a request with a shorter timeout)
    net.add(ctx, 4, { broker: 2, batches: [batch(4)], deadlineUs: 31_000_000 });
    expect([...ctx.cancelled]).toEqual([2]);
    expect(ctx.timers.at(-1)!.atUs).toBe(31_000_000);
  });

  it('starts one connect per broker (bounded by socket.connection.setup.timeout.ms) and is ready once it is up', () => {
    const net = client();
    const ctx = new RecordingContext();
    expect(net.ready(ctx, 1)).toBe(false);
    expect(net.ready(ctx, 1)).toBe(false);
    expect(ctx.connects).toEqual([11]);
    const [setup] = ctx.pendingTimersOf('connection-setup-timeout');
    expect(setup).toEqual({ type: 'connection-setup-timeout', broker: 1, attempt: 1 });
    expect(ctx.timers[0].atUs).toBeGreaterThanOrEqual(8_000_000); // 10 s with 20% jitter
    expect(ctx.timers[0].atUs).toBeLessThanOrEqual(12_000_000);
    expect(net.isSetupTimeout(1, 1)).toBe(true);
    net.onConnect(ctx, 1);
    expect(net.ready(ctx, 1)).toBe(true);
    expect(net.isSetupTimeout(1, 1)).toBe(false);
    expect(ctx.pendingTimersOf('connection-setup-timeout')).toEqual([]);
  });

  it('fails every request of a closed connection, in send order, and only those; then backs off before reconnecting', () => {
    const net = client(2);
    const ctx = new RecordingContext();
    connectAll(net, ctx, [0, 1]);
    net.add(ctx, 5, { broker: 0, batches: [batch(1)], deadlineUs: 1 });
    net.add(ctx, 6, { broker: 1, batches: [batch(2)], deadlineUs: 2 });
    net.add(ctx, 7, { broker: 0, batches: [batch(3)], deadlineUs: 3 });
    ctx.nowUs = 1_000_000;
    expect(net.close(ctx, 0).map((r) => r.deadlineUs)).toEqual([1, 3]);
    expect(ctx.disconnects).toEqual([10]);
    expect(net.inFlightRequestCount(0)).toBe(0);
    expect([...net.inFlightRequests()].map((r) => r.deadlineUs)).toEqual([2]);
    // reconnect.backoff.ms: 50 ms with 20% jitter
    expect(net.ready(ctx, 0)).toBe(false);
    expect(ctx.connects).toEqual([10, 11]);
    const delay = net.connectionDelayUs(0, ctx.nowUs);
    expect(delay).toBeGreaterThanOrEqual(40_000);
    expect(delay).toBeLessThanOrEqual(60_000);
    ctx.nowUs += delay;
    expect(net.ready(ctx, 0)).toBe(false);
    expect(ctx.connects).toEqual([10, 11, 10]);
  });

  it('doubles the reconnect backoff per consecutive failure, up to reconnect.backoff.max.ms, and resets it once connected', () => {
    const net = client(1);
    const ctx = new RecordingContext();
    const backoffs: number[] = [];
    for (let i = 0; i < 7; i++) {
      net.ready(ctx, 0);
      net.disconnected(ctx, 0); // refused
      backoffs.push(net.connectionDelayUs(0, ctx.nowUs));
      ctx.nowUs += backoffs.at(-1)!;
    }
    const mid = [50, 100, 200, 400, 800, 1000, 1000].map((ms) => ms * 1000);
    backoffs.forEach((b, i) => {
      expect(b).toBeGreaterThanOrEqual(Math.min(mid[i] * 0.8, 1_000_000));
      expect(b).toBeLessThanOrEqual(Math.min(mid[i] * 1.2, 1_000_000));
    });
    net.ready(ctx, 0);
    net.onConnect(ctx, 0);
    net.disconnected(ctx, 0);
    expect(net.connectionDelayUs(0, ctx.nowUs)).toBeLessThanOrEqual(60_000);
  });

  it('picks a ready broker with no request in flight, else the least loaded, else one connecting, else one it may connect to', () => {
    const net = client(4);
    const ctx = new RecordingContext();
    // nothing connected: one it may connect to
    expect(net.leastLoadedNode(0)).not.toBe(NO_NODE);
    connectAll(net, ctx, [1, 2]);
    net.add(ctx, 1, { broker: 1, batches: [], deadlineUs: 1 });
    expect(net.leastLoadedNode(0)).toBe(2);
    net.add(ctx, 2, { broker: 2, batches: [], deadlineUs: 2 });
    net.add(ctx, 3, { broker: 2, batches: [], deadlineUs: 3 });
    expect(net.leastLoadedNode(0)).toBe(1); // loads 1 and 2: broker 1, before unconnected ones
    net.close(ctx, 1);
    net.close(ctx, 2);
    net.ready(ctx, 3); // connecting
    expect(net.leastLoadedNode(0)).toBe(3);
    net.disconnected(ctx, 3);
    expect(net.leastLoadedNode(0)).toBe(0); // the only one not in its backoff
    net.ready(ctx, 0);
    net.disconnected(ctx, 0);
    expect(net.leastLoadedNode(0)).toBe(NO_NODE);
    expect(net.nextConnectableUs(0)).toBeGreaterThan(0);
  });
});
