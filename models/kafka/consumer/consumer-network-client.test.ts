// ConsumerNetworkClient on its own: a request opens the connection it needs; closing a connection
// fails exactly that broker's requests; a request to a broker in its reconnect backoff is not sent
// and fails when the backoff ends; the consumer's own request.timeout.ms.

import { describe, expect, it } from 'vitest';
import { SeededChoices } from '../../../src/sim/seeded-choices.ts';
import { CONSUMER_DEFAULTS } from '../config/consumer-configs.ts';
import { RecordingContext } from '../testing/recording-context.ts';
import { ConsumerNetworkClient, REQ_FETCH, REQ_HEARTBEAT, REQ_METADATA } from './consumer-network-client.ts';

const NODES = [10, 11, 12];

function setUp(config = {}) {
  const network = new ConsumerNetworkClient(NODES, { ...CONSUMER_DEFAULTS, ...config }, new SeededChoices('1').stream('test'));
  const ctx = new RecordingContext();
  const send = (broker: number, kind: number) => {
    const requestId = network.newRequestId();
    network.send(ctx, broker, kind, { type: 'consumer-metadata', requestId, partitions: [] });
    return requestId;
  };
  return { network, ctx, send };
}

describe('ConsumerNetworkClient', () => {
  it('opens the connection a request needs, once, with the consumer’s own request.timeout.ms', () => {
    const { network, ctx, send } = setUp({ 'request.timeout.ms': 12_000 });
    const a = send(1, REQ_METADATA);
    send(1, REQ_FETCH);
    expect(ctx.connects).toEqual([11]);
    expect(ctx.sent.map((s) => s.to)).toEqual([11, 11]);
    expect(ctx.timers.find((t) => t.timer.type === 'consumer-request-timeout')!.atUs).toBe(12_000_000);
    network.onConnect(ctx, 1);
    expect(ctx.pendingTimersOf('connection-setup-timeout')).toEqual([]);
    expect(network.complete(a)?.kind).toBe(REQ_METADATA);
    expect(network.complete(a)).toBeUndefined();
  });

  it('a closed connection fails exactly its broker’s requests, in send order', () => {
    const { network, ctx, send } = setUp();
    const a = send(1, REQ_METADATA);
    send(2, REQ_FETCH);
    const c = send(1, REQ_HEARTBEAT);
    const failed = network.close(ctx, 1);
    expect(failed.map((r) => r.kind)).toEqual([REQ_METADATA, REQ_HEARTBEAT]);
    expect(ctx.disconnects).toEqual([11]);
    expect(network.complete(a)).toBeUndefined();
    expect(network.complete(c)).toBeUndefined();
    expect(network.hasInFlight(REQ_FETCH, () => true)).toBe(true);
  });

  it('does not send to a broker in its reconnect backoff: the request fails when the backoff ends', () => {
    const { network, ctx, send } = setUp();
    send(0, REQ_METADATA);
    network.disconnected(ctx, 0); // refused
    ctx.clear();
    ctx.nowUs = 1000;
    const id = send(0, REQ_HEARTBEAT);
    expect(ctx.sent).toEqual([]);
    const [timer] = ctx.timers;
    expect(timer.atUs).toBeGreaterThan(1000);
    expect(timer.atUs).toBeLessThanOrEqual(60_000); // reconnect.backoff.ms 50 with 20% jitter
    expect(network.disconnected(ctx, 0)).toEqual([]); // an unsent request is not failed by the connection
    ctx.nowUs = timer.atUs;
    network.deadlineTimerFired(0);
    expect(network.nextTimedOut(ctx, 0)?.unsent).toBe(true); // it fails alone, taken out
    expect(network.complete(id)).toBeUndefined();
  });

  it('one request.timeout.ms timer per connection: armed at the earliest deadline, re-armed when it fires for what is left', () => {
    const { network, ctx, send } = setUp({ 'request.timeout.ms': 10_000 });
    const a = send(1, REQ_METADATA);
    ctx.nowUs = 4_000_000;
    send(1, REQ_FETCH);
    const timersOf = () => ctx.timers.filter((t) => t.timer.type === 'consumer-request-timeout').map((t) => [t.timer, t.atUs]);
    expect(timersOf()).toEqual([[{ type: 'consumer-request-timeout', broker: 1 }, 10_000_000]]);
    network.complete(a); // answered: its deadline no longer counts, the timer is not cancelled
    expect(ctx.cancelled.size).toBe(0);
    ctx.nowUs = 10_000_000;
    network.deadlineTimerFired(1);
    expect(network.nextTimedOut(ctx, 1)).toBeUndefined();
    network.rearm(ctx, 1);
    expect(timersOf().at(-1)).toEqual([{ type: 'consumer-request-timeout', broker: 1 }, 14_000_000]);
    ctx.nowUs = 14_000_000;
    network.deadlineTimerFired(1);
    expect(network.nextTimedOut(ctx, 1)?.kind).toBe(REQ_FETCH); // sent: it stays for close to fail with the rest
    expect(network.close(ctx, 1).map((r) => r.kind)).toEqual([REQ_FETCH]);
  });
});
