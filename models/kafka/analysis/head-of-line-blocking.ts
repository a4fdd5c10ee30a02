// When an acks=all writer's produce connection to a leader is held by a partition that is itself
// unserved: the writes it carries for healthy partitions of that leader cannot be acknowledged.
//
// Kafka's producer sends one produce request per leader broker, carrying a batch of every ready
// partition that broker leads (Sender.sendProducerData, RecordAccumulator.drain by node). The
// leader answers an acks=all request only when no partition in it has acks pending
// (DelayedProduce.tryComplete: the high watermark reached the batch, an error, or the request's
// timeout); a request whose every append failed (NOT_ENOUGH_REPLICAS) is answered at once
// (ReplicaManager.delayedProduceRequestRequired). And the leader reads one request at a time from
// each connection (SocketServer's Processor mutes the channel on REQUEST_RECEIVED and unmutes it
// on RESPONSE_SENT, since 0.9; broker/socket-server.ts), so the producer's next requests queue
// behind it, or wait in the producer once max.in.flight.requests.per.connection is reached (with
// 1, the drained partitions are muted too). While a batch of partition Q waits at leader B, the
// writer's whole connection to B waits with it; when Q cannot commit (unserved to acks=all
// writers: high watermark stalled, a deposed leader, the ISR below min.insync.replicas), every
// other partition B leads is out of that writer's reach though B serves it.
//
// Read from the model's events, no request event needed: a leader's append of an acks=all
// producer's records is the batch of the request B read then (all of a request's batches are
// appended when it is read), and the only request in progress on that connection. The batch waits
// from its append until B's high watermark of Q reaches its end (an `hw` event of B), B stops
// leading Q (resign-leader, its process down: failPartition answers NOT_LEADER_OR_FOLLOWER), the
// producer's request.timeout.ms passes (the request's timeout, REQUEST_TIMED_OUT), or the producer
// goes down (its connection goes, a restarted one reads on a new channel). Of that wait, the time
// Q was unserved to acks=all writers holds the connection (ProduceWaits below); ClientAvailability
// then counts a partition head-of-line blocked while every connection that would serve it is held.
//
// Simplifications: a batch the leader recognises as a duplicate (an idempotent retry) appends
// nothing and is not seen waiting; a connection the producer replaced before the leader answered
// (a network timeout) is taken as held until then. Both are retries after a failure, rare.

import type { TimeUs } from '../../../src/sim/time.ts';
import { NumberQueue } from './number-queue.ts';

/** Receives one batch's wait: the client's connection to leader waited on the partition from startUs to endUs. */
type WaitListener = (client: number, leader: number, startUs: TimeUs, endUs: TimeUs) => void;

const FIELDS = 4; // client, end offset, start µs, deadline µs

/** Key of one client's connection to one leader (node indices). */
export function connectionKey(client: number, leader: number): number {
  return client * 65536 + leader;
}

/** The acks=all batches of one partition waiting at each broker that leads it, and when each stopped waiting. */
export class ProduceWaits {
  /** Per leader node, in first-append order: flat [client, endOffset, startUs, deadlineUs] in append order. */
  private readonly queues = new Map<number, NumberQueue>();

  constructor(private readonly onWait: WaitListener) {}

  /** The leader appended a batch of `client`'s request ending at endOffset; the request times out at deadlineUs. */
  onAppend(timeUs: TimeUs, leader: number, client: number, endOffset: number, deadlineUs: TimeUs): void {
    let q = this.queues.get(leader);
    if (q === undefined) this.queues.set(leader, (q = new NumberQueue()));
    q.push4(client, endOffset, timeUs, deadlineUs);
  }

  /** The leader's high watermark reached hw: batches ending at or below it are answered. */
  onHighWatermark(timeUs: TimeUs, leader: number, hw: number): void {
    const q = this.queues.get(leader);
    if (q === undefined) return;
    const { items, end } = q;
    let head = q.head;
    while (head < end && items[head + 1] <= hw) {
      this.answer(leader, items, head, timeUs);
      head += FIELDS;
    }
    q.consumedTo(head);
  }

  /** The broker on `leader` stopped leading (or went down): what waited there is answered now. */
  onLeadershipEnd(timeUs: TimeUs, leader: number): void {
    const q = this.queues.get(leader);
    if (q === undefined) return;
    for (let i = q.head; i < q.end; i += FIELDS) this.answer(leader, q.items, i, timeUs);
    q.clear();
  }

  /** The client's process went down: its connections went with it. */
  onClientDown(timeUs: TimeUs, client: number): void {
    for (const q of this.queues.values()) {
      const items = q.items;
      for (let i = q.head; i < q.end; i += FIELDS) if (items[i] === client && items[i + 3] > timeUs) items[i + 3] = timeUs;
    }
  }

  /** The run ended: what still waits counts until endUs. */
  close(endUs: TimeUs): void {
    for (const leader of [...this.queues.keys()]) this.onLeadershipEnd(endUs, leader);
  }

  private answer(leader: number, q: readonly number[], i: number, timeUs: TimeUs): void {
    const endUs = Math.min(timeUs, q[i + 3]);
    if (endUs > q[i + 2]) this.onWait(q[i], leader, q[i + 2], endUs);
  }
}

/** Per client connection to a leader: the times it was held by a partition unserved to its kind, as flat [start, end] pairs. */
export class HeldConnections {
  private readonly held = new Map<number, number[]>();

  add(client: number, leader: number, pairs: readonly number[]): void {
    const key = connectionKey(client, leader);
    const list = this.held.get(key);
    if (list === undefined) this.held.set(key, [...pairs]);
    else list.push(...pairs);
  }

  /** The held time of a connection (connectionKey), in any order, possibly overlapping; [] if never held. */
  of(key: number): readonly number[] {
    return this.held.get(key) ?? [];
  }
}
