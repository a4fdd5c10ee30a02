// What a connection stream does while a segment on it cannot get through (transport.ts): the
// stream stalls, everything behind the segment waits in its backlog (head-of-line blocking), and
// the stream is registered on what it waits for: a blocked or held link, or a silent (powered-off)
// host. When that clears, the first retransmission from now on carries the backlog over: on the
// RTO schedule (TCP_RTO_MIN 200 ms, doubling up to TCP_RTO_MAX 120 s, from when the segment was
// lost) when a blocked link or a silent host lost it, at once when a held link buffered it. The
// retransmission time is computed when the cause clears, not simulated one timer at a time; if the
// link is cut again before the retransmission arrives, the backoff goes on.

import type { Network } from '../net/network.ts';
import { RTO_MAX_US, RTO_MIN_US } from '../net/network.ts';
import type { EventQueue } from '../sim/event-queue.ts';
import type { Tagged } from '../sim/model.ts';
import type { TimeUs } from '../sim/time.ts';
import type { Stream } from './connection.ts';
import { RETRANSMIT } from './event-kinds.ts';

/** The counters a stall touches. */
interface StallStats {
  retransmissions: number;
  stalled: number;
  held: number;
}

export class Retransmission {
  /** Stalled streams waiting for a link (by link index) or a host to come back. */
  private readonly waitingOnLink = new Map<number, Stream[]>();
  private readonly waitingOnHost = new Map<number, Stream[]>();

  constructor(
    private readonly network: Network,
    private readonly queue: EventQueue,
    private readonly clock: { readonly now: TimeUs },
    /** 1 while a node's host is down (silent). */
    private readonly hostDown: Uint8Array,
    private readonly stats: StallStats,
    /** Hands a segment that got through to the receiving side (transport.ts). */
    private readonly arrive: (s: Stream, payload: Tagged) => void,
  ) {}

  /** A link came clear of a fault (another may still hold it): what waited for it may go on. */
  linkCleared(link: number): void {
    const waiting = this.waitingOnLink.get(link);
    if (waiting === undefined) return;
    this.waitingOnLink.delete(link);
    for (const s of waiting) this.tryResume(s);
  }

  /** A host is back: what waited for it is retransmitted (and meets the new process). */
  hostUp(node: number): void {
    const waiting = this.waitingOnHost.get(node);
    if (waiting === undefined) return;
    this.waitingOnHost.delete(node);
    for (const s of waiting) this.tryResume(s);
  }

  /** The first segment meets a blocked or held link or a silent host: the stream waits, in order. */
  stall(s: Stream, payload: Tagged): void {
    s.backlog = [payload];
    this.startBackoffIfCut(s);
    if (s.backoff) this.stats.stalled++;
    else this.stats.held++;
    this.waitForClear(s);
  }

  /** A blocked link or a silent host loses the segment: its retransmissions start from RTO_MIN. */
  private startBackoffIfCut(s: Stream): void {
    if (s.backoff || !(this.network.isBlocked(s.from, s.to) || this.hostDown[s.to] === 1)) return;
    s.backoff = true;
    s.rtoUs = RTO_MIN_US;
    s.nextRetransmitUs = this.clock.now + RTO_MIN_US;
  }

  private waitForClear(s: Stream): void {
    if (this.network.isImpaired(s.from, s.to)) {
      const waiting = this.waitingOnLink.get(s.link);
      if (waiting === undefined) this.waitingOnLink.set(s.link, [s]);
      else waiting.push(s);
    } else {
      const waiting = this.waitingOnHost.get(s.to);
      if (waiting === undefined) this.waitingOnHost.set(s.to, [s]);
      else waiting.push(s);
    }
  }

  /** The cause of a stall cleared: the first retransmission from now on carries the backlog over. */
  private tryResume(s: Stream): void {
    if (s.backlog === null || s.retransmitting) return;
    const net = this.network;
    if (net.isImpaired(s.from, s.to) || this.hostDown[s.to] === 1) {
      this.startBackoffIfCut(s);
      return this.waitForClear(s);
    }
    const now = this.clock.now;
    let sendUs = now;
    if (s.backoff) {
      // The retransmissions before now went into the block; count them, then take the next one.
      while (s.nextRetransmitUs < now) this.nextRetransmission(s);
      sendUs = s.nextRetransmitUs;
      this.nextRetransmission(s);
    }
    s.retransmitting = true;
    const at = sendUs + net.latencyUs(s.from, s.to);
    if (at > s.lastArrivalUs) s.lastArrivalUs = at;
    this.queue.push(at, RETRANSMIT, s.to, s.from, 0, null, s);
  }

  private nextRetransmission(s: Stream): void {
    this.stats.retransmissions++;
    s.rtoUs = Math.min(2 * s.rtoUs, RTO_MAX_US);
    s.nextRetransmitUs += s.rtoUs;
  }

  onRetransmit(s: Stream): void {
    s.retransmitting = false;
    if (s.backlog === null) return; // the sender's host went down meanwhile
    if (this.network.isImpaired(s.from, s.to) || this.hostDown[s.to] === 1) {
      // cut again before it got through: the backoff goes on
      this.startBackoffIfCut(s);
      return this.waitForClear(s);
    }
    const backlog = s.backlog;
    s.backlog = null;
    s.backoff = false;
    for (const payload of backlog) this.arrive(s, payload);
  }
}
