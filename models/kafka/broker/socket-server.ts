// The part of Kafka's SocketServer (its Processor) that orders requests: a broker reads one
// request at a time from each client connection. Processor.processCompletedReceives mutes the
// channel once it has read a request, and only processCompletedSends (or a NoOpResponse, which
// acks=0 produce gets) unmutes it, so the next request a client pipelined (up to
// max.in.flight.requests.per.connection) waits in the socket until the previous one is answered
// (docs/protocol.html: "only a single in-flight request per connection"). An acks=all produce
// parked in DelayedProduce therefore holds back every request behind it on that connection: a
// slow commit costs each queued request its own wait.
//
// Simplifications: only producer connections are modelled (produce and metadata requests);
// consumers send one fetch per broker at a time and their coordinator requests go on a
// connection of their own in Kafka, which ksim's single connection per node pair cannot tell
// apart. A client's older connection is known to be closed when a request comes on a newer one
// (a client keeps one connection per broker): what it had queued goes with it, and the answer to
// its request in progress no longer unmutes anything. The acceptor is not told of a reset, so a
// crashed client's queued requests are read once its request in progress is answered.

import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaMessage } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** What the broker does with a request the socket server lets through. */
export interface RequestHandler {
  handleClientRequest(ctx: Ctx, from: number, msg: KafkaMessage, connection: number): void;
}

/** One client's channel: its current connection, whether a request is in progress, what waits. */
interface Channel {
  connection: number;
  muted: boolean;
  queued: KafkaMessage[];
}

export class SocketServer {
  private readonly channels = new Map<number, Channel>();
  /** Clients whose channel was unmuted with requests queued: read after the current dispatch. */
  private readonly ready: number[] = [];

  /** Whether msg is a request on a client connection the socket server orders. */
  static orders(msg: KafkaMessage): boolean {
    return msg.type === 'produce' || msg.type === 'metadata-request';
  }

  /** A request came from `from` on `connection`: true to handle it now (the channel mutes), false when it waits its turn. */
  receive(from: number, connection: number, msg: KafkaMessage): boolean {
    let ch = this.channels.get(from);
    if (ch === undefined) this.channels.set(from, (ch = { connection, muted: false, queued: [] }));
    else if (ch.connection !== connection) {
      ch.connection = connection; // the client's previous connection is closed: its queue went with it
      ch.muted = false;
      ch.queued.length = 0;
    }
    if (ch.muted) {
      ch.queued.push(msg);
      return false;
    }
    ch.muted = true;
    return true;
  }

  /** The response to the request in progress on `connection` was sent (or a NoOpResponse): the channel unmutes. */
  responseSent(to: number, connection: number): void {
    const ch = this.channels.get(to);
    if (ch === undefined || ch.connection !== connection || !ch.muted) return;
    ch.muted = false;
    if (ch.queued.length > 0) this.ready.push(to);
  }

  /** The broker closed `from`'s channel on `connection` (an acks=0 produce with an error): what it had queued goes with it. */
  closed(from: number, connection: number): void {
    const ch = this.channels.get(from);
    if (ch !== undefined && ch.connection === connection) this.channels.delete(from);
  }

  /** After a dispatch: reads the next request of every channel unmuted meanwhile (each handled request may unmute more). */
  processReady(ctx: Ctx, handler: RequestHandler): void {
    while (this.ready.length > 0) {
      const from = this.ready.shift()!;
      const ch = this.channels.get(from)!;
      if (ch.muted || ch.queued.length === 0) continue;
      ch.muted = true;
      handler.handleClientRequest(ctx, from, ch.queued.shift()!, ch.connection);
    }
  }

  /** The process stops or starts: no connection survives it. */
  reset(): void {
    this.channels.clear();
    this.ready.length = 0;
  }
}
