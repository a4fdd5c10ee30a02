// The simulator's event queue: an array-backed binary min-heap ordered by (timeUs, seq).
// seq is a global insertion counter, so events at the same virtual time pop in the order they
// were scheduled: the order never depends on object identity or on the heap's internal layout.
//
// Cancellation is lazy and costs nothing at pop time: a cancelled event is marked in place
// (kind CANCELLED, payload dropped), pop and peek skip it, and once the cancelled entries
// outnumber the live ones the heap is compacted (filtered and rebuilt in O(n), amortised O(1) per
// cancel). A timeout that is set and cancelled for every request therefore neither
// reaches the dispatch loop nor lets the heap grow with the run. Compaction only removes entries:
// the live events keep their (timeUs, seq), so the pop order is the same as without it.

import type { TimeUs } from './time.ts';

/** SimEvent.kind of an event cancelled while queued: never returned by pop. */
export const CANCELLED = -1;

/** Cancelled entries tolerated before a compaction is worth its O(n) pass. */
const COMPACT_MIN = 256;

/** What the kernel dispatches. Every field is always set so V8 keeps one hidden class. */
export interface SimEvent {
  timeUs: TimeUs;
  seq: number;
  /** One of EventKind, or CANCELLED. */
  kind: number;
  /** Target node index (or -1 for kernel-level events such as faults). */
  node: number;
  /** Sender node index for messages, -1 otherwise. */
  from: number;
  /** Target node's incarnation when scheduled (timers die with their process). */
  incarnation: number;
  payload: unknown;
  /** What the kernel attaches to some events (the connection stream a message travels on, a timer's id), else null. */
  ref: unknown;
}

/** Counters of the queue's own work, for `npm run bench` and the run's kernel stats. */
interface QueueStats {
  /** Events cancelled while queued. */
  cancelled: number;
  /** Cancelled entries that reached the top of the heap before a compaction removed them. */
  cancelledPopped: number;
  /** Compactions run (each an O(heap length) pass). */
  compactions: number;
  /** Largest heap length seen, cancelled entries included. */
  lengthMax: number;
}

export class EventQueue {
  private heap: SimEvent[] = [];
  private nextSeq = 0;
  /** Cancelled entries still in the heap. */
  private dead = 0;
  readonly stats: QueueStats = { cancelled: 0, cancelledPopped: 0, compactions: 0, lengthMax: 0 };

  /** @param compactMin cancelled entries tolerated before a compaction (tests lower it to exercise compaction). */
  constructor(private readonly compactMin = COMPACT_MIN) {}

  /** Live (not cancelled) events queued. */
  get size(): number {
    return this.heap.length - this.dead;
  }

  /** Sequence number the next scheduled event will get. */
  get seqNext(): number {
    return this.nextSeq;
  }

  push(timeUs: TimeUs, kind: number, node: number, from: number, incarnation: number, payload: unknown, ref: unknown = null): SimEvent {
    const ev: SimEvent = { timeUs, seq: this.nextSeq++, kind, node, from, incarnation, payload, ref };
    const heap = this.heap;
    let i = heap.length;
    heap.push(ev);
    if (i >= this.stats.lengthMax) this.stats.lengthMax = i + 1;
    // sift up
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent];
      if (p.timeUs < timeUs || (p.timeUs === timeUs && p.seq < ev.seq)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = ev;
    return ev;
  }

  /**
   * Cancels an event this queue returned from push and has not popped yet (the caller keeps that
   * promise: an event already popped is not in the heap, and cancelling it would corrupt the
   * count). Cancelling twice is harmless.
   */
  cancel(ev: SimEvent): void {
    if (ev.kind === CANCELLED) return;
    ev.kind = CANCELLED;
    ev.payload = null;
    ev.ref = null;
    this.dead++;
    this.stats.cancelled++;
    if (this.dead > this.compactMin && this.dead * 2 > this.heap.length) this.compact();
  }

  peekTimeUs(): TimeUs {
    const heap = this.heap;
    while (heap.length > 0 && heap[0].kind === CANCELLED) this.dropTop();
    return heap.length > 0 ? heap[0].timeUs : Infinity;
  }

  pop(): SimEvent | undefined {
    for (;;) {
      const top = this.popTop();
      if (top === undefined || top.kind !== CANCELLED) return top;
      this.dead--;
      this.stats.cancelledPopped++;
    }
  }

  private dropTop(): void {
    this.popTop();
    this.dead--;
    this.stats.cancelledPopped++;
  }

  private popTop(): SimEvent | undefined {
    const heap = this.heap;
    const n = heap.length;
    if (n === 0) return undefined;
    const top = heap[0];
    const last = heap.pop()!;
    if (n > 1) this.siftDown(0, last, n - 1);
    return top;
  }

  /** Places ev at or below slot i of a heap of `size` entries whose children of i are heaps. */
  private siftDown(i: number, ev: SimEvent, size: number): void {
    const heap = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const r = l + 1;
      let c = l;
      let child = heap[l];
      if (r < size) {
        const rc = heap[r];
        if (rc.timeUs < child.timeUs || (rc.timeUs === child.timeUs && rc.seq < child.seq)) {
          c = r;
          child = rc;
        }
      }
      if (ev.timeUs < child.timeUs || (ev.timeUs === child.timeUs && ev.seq < child.seq)) break;
      heap[i] = child;
      i = c;
    }
    heap[i] = ev;
  }

  /** Drops every cancelled entry and rebuilds the heap bottom-up (Floyd): O(heap length). */
  private compact(): void {
    const heap = this.heap;
    let n = 0;
    for (let i = 0; i < heap.length; i++) if (heap[i].kind !== CANCELLED) heap[n++] = heap[i];
    heap.length = n;
    this.dead = 0;
    this.stats.compactions++;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.siftDown(i, heap[i], n);
  }
}
