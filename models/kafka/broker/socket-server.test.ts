// SocketServer: one request at a time per client connection, the next read once the response is sent.
import { describe, expect, it } from 'vitest';
import type { KafkaMessage } from '../messages.ts';
import { RecordingContext } from '../testing/recording-context.ts';
import { SocketServer } from './socket-server.ts';

const P1 = 7;
const produce = (requestId: number): KafkaMessage => ({ type: 'produce', requestId, producer: 0, acks: -1, timeoutUs: 30_000_000, batches: [] });

/** A socket server with a handler that records what it was handed, in order. */
function server() {
  const ss = new SocketServer();
  const handled: [number, number][] = [];
  const handler = {
    handleClientRequest: (_ctx: RecordingContext, _from: number, msg: KafkaMessage, connection: number) => {
      handled.push([(msg as { requestId: number }).requestId, connection]);
    },
  };
  return { ss, handled, read: (ctx: RecordingContext) => ss.processReady(ctx, handler) };
}

describe('SocketServer', () => {
  it('orders produce and metadata requests only', () => {
    expect(SocketServer.orders(produce(1))).toBe(true);
    expect(SocketServer.orders({ type: 'metadata-request', requestId: 1, topic: 't' })).toBe(true);
    expect(SocketServer.orders({ type: 'fetch', requestId: 1, broker: 1, brokerEpoch: 1, parts: [] })).toBe(false);
  });

  it('holds a pipelined request until the response to the one before is sent', () => {
    const ctx = new RecordingContext();
    const { ss, handled, read } = server();
    expect(ss.receive(P1, 1, produce(1))).toBe(true);
    expect(ss.receive(P1, 1, produce(2))).toBe(false);
    expect(ss.receive(P1, 1, produce(3))).toBe(false);
    read(ctx);
    expect(handled).toEqual([]);
    ss.responseSent(P1, 1);
    read(ctx);
    expect(handled).toEqual([[2, 1]]); // one at a time: 3 waits for 2's response
    ss.responseSent(P1, 1);
    read(ctx);
    expect(handled).toEqual([[2, 1], [3, 1]]);
    ss.responseSent(P1, 1);
    expect(ss.receive(P1, 1, produce(4))).toBe(true); // nothing in progress: read at once
  });

  it('keeps clients apart', () => {
    const { ss } = server();
    expect(ss.receive(P1, 1, produce(1))).toBe(true);
    expect(ss.receive(P1 + 1, 2, produce(1))).toBe(true);
  });

  it("drops a closed connection's queue; its late response unmutes nothing", () => {
    const ctx = new RecordingContext();
    const { ss, handled, read } = server();
    ss.receive(P1, 1, produce(1));
    ss.receive(P1, 1, produce(2));
    expect(ss.receive(P1, 5, produce(9))).toBe(true); // the client reconnected: connection 1 is gone
    expect(ss.receive(P1, 5, produce(10))).toBe(false);
    ss.responseSent(P1, 1); // request 1 of the old connection answered at last
    read(ctx);
    expect(handled).toEqual([]);
    ss.responseSent(P1, 5);
    read(ctx);
    expect(handled).toEqual([[10, 5]]);
  });

  it('forgets every channel on reset (process start)', () => {
    const { ss } = server();
    ss.receive(P1, 1, produce(1));
    ss.reset();
    expect(ss.receive(P1, 1, produce(2))).toBe(true);
  });
});
