// The kernel's pending timers, by id, so that cancelling one costs O(1) and leaves nothing behind.
// A timer's id is the seq it was first queued with (kept in SimEvent.ref, so it survives the
// re-queueing of a timer parked by a pause). A fired, cancelled or dropped timer leaves the table:
// the table holds only timers that can still fire, and a stale or repeated cancel finds nothing.
// Cancelled timers are marked in the queue (EventQueue.cancel), which never hands them out.
//
// The table is a ring indexed by the id's low bits, with a Map for the few timers a younger one
// pushed out of their slot: a model may set and cancel a timer per request (the Kafka model no
// longer does: one request timeout per connection), and a slot write costs a fraction of a Map
// insertion and deletion. Few timers are pending at once (hundreds), so a younger timer rarely
// lands on a live one's slot.

import { CANCELLED, type EventQueue, type SimEvent } from '../sim/event-queue.ts';
import type { TimeUs } from '../sim/time.ts';
import { TIMER } from './event-kinds.ts';

/**
 * Slots of the ring (a power of two). 8,192: a table is built per run, and at 16,384 slots (128 KiB
 * of pointers) V8 allocates the array in large-object space, 0.68 ms against 0.02 ms measured, 2%
 * of a check-small run; a default run holds at most a few hundred pending timers, so few spill.
 */
const RING_SLOTS = 1 << 13;
const RING_MASK = RING_SLOTS - 1;

export class TimerTable {
  /** ring[id & RING_MASK]: the pending timer with that id (its ref), else null or another id's timer. */
  private readonly ring = new Array<SimEvent | null>(RING_SLOTS).fill(null);
  /** Pending timers whose slot a younger timer took, by id. */
  private readonly spilled = new Map<number, SimEvent>();
  /** Timers popped while their node was paused, waiting in the kernel's parked list (not in the queue). */
  private readonly parked = new Set<SimEvent>();
  /** Timers cancelled before they fired, or dropped with their process. */
  cancelled = 0;

  constructor(private readonly queue: EventQueue) {}

  /** Queues a timer for node at atUs; returns its id. */
  set(node: number, atUs: TimeUs, incarnation: number, timer: unknown): number {
    const id = this.queue.seqNext;
    this.put(id, this.queue.push(atUs, TIMER, node, -1, incarnation, timer, id));
    return id;
  }

  /** The queue handed out this timer event and it fires now. */
  fired(ev: SimEvent): void {
    this.take(ev.ref as number);
  }

  /** The queue handed out this timer event while its node is paused: it waits for the resume. */
  park(ev: SimEvent): void {
    this.parked.add(ev);
  }

  /** A parked timer was queued again at the resume as `again`: its id now names that event. */
  requeued(ev: SimEvent, again: SimEvent): void {
    if (!this.parked.delete(ev)) return;
    const id = ev.ref as number;
    this.take(id);
    this.put(id, again);
  }

  /** Cancels a pending timer; an id that already fired, was cancelled or never existed is ignored. */
  cancel(id: number): void {
    const ev = this.take(id);
    if (ev !== undefined) this.discard(ev);
  }

  /** A process went down: its timers can never fire (they belong to its incarnation), so they go now. */
  dropNode(node: number): void {
    const ring = this.ring;
    for (let slot = 0; slot < RING_SLOTS; slot++) {
      const ev = ring[slot];
      if (ev !== null && ev.node === node) {
        ring[slot] = null;
        this.discard(ev);
      }
    }
    for (const [id, ev] of this.spilled)
      if (ev.node === node) {
        this.spilled.delete(id);
        this.discard(ev);
      }
  }

  private put(id: number, ev: SimEvent): void {
    const slot = id & RING_MASK;
    const older = this.ring[slot];
    if (older !== null) this.spilled.set(older.ref as number, older);
    this.ring[slot] = ev;
  }

  /** Removes the pending timer `id` from the table and returns it; undefined when there is none. */
  private take(id: number): SimEvent | undefined {
    const slot = id & RING_MASK;
    const ev = this.ring[slot];
    if (ev !== null && ev.ref === id) {
      this.ring[slot] = null;
      return ev;
    }
    if (this.spilled.size === 0) return undefined;
    const older = this.spilled.get(id);
    if (older !== undefined) this.spilled.delete(id);
    return older;
  }

  private discard(ev: SimEvent): void {
    this.cancelled++;
    // a parked event is out of the queue: marking it is enough (the resume skips it)
    if (this.parked.delete(ev)) ev.kind = CANCELLED;
    else this.queue.cancel(ev);
  }
}
