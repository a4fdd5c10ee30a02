// The kernel's pending timers, by id, so that cancelling one costs O(1) and leaves nothing behind.
// A timer's id is the seq it was first queued with (kept in SimEvent.ref, so it survives the
// re-queueing of a timer parked by a pause). A fired, cancelled or dropped timer leaves the table:
// the table holds only timers that can still fire, and a stale or repeated cancel finds nothing.
// Cancelled timers are marked in the queue (EventQueue.cancel), which never hands them out.

import { CANCELLED, type EventQueue, type SimEvent } from '../sim/event-queue.ts';
import type { TimeUs } from '../sim/time.ts';
import { TIMER } from './event-kinds.ts';

export class TimerTable {
  private readonly pending = new Map<number, SimEvent>();
  /** Timers popped while their node was paused, waiting in the kernel's parked list (not in the queue). */
  private readonly parked = new Set<SimEvent>();
  /** Timers cancelled before they fired, or dropped with their process. */
  cancelled = 0;

  constructor(private readonly queue: EventQueue) {}

  /** Queues a timer for node at atUs; returns its id. */
  set(node: number, atUs: TimeUs, incarnation: number, timer: unknown): number {
    const id = this.queue.seqNext;
    this.pending.set(id, this.queue.push(atUs, TIMER, node, -1, incarnation, timer, id));
    return id;
  }

  /** The queue handed out this timer event and it fires now. */
  fired(ev: SimEvent): void {
    this.pending.delete(ev.ref as number);
  }

  /** The queue handed out this timer event while its node is paused: it waits for the resume. */
  park(ev: SimEvent): void {
    this.parked.add(ev);
  }

  /** A parked timer was queued again at the resume as `again`: its id now names that event. */
  requeued(ev: SimEvent, again: SimEvent): void {
    if (this.parked.delete(ev)) this.pending.set(ev.ref as number, again);
  }

  /** Cancels a pending timer; an id that already fired, was cancelled or never existed is ignored. */
  cancel(id: number): void {
    const ev = this.pending.get(id);
    if (ev === undefined) return;
    this.pending.delete(id);
    this.discard(ev);
  }

  /** A process went down: its timers can never fire (they belong to its incarnation), so they go now. */
  dropNode(node: number): void {
    for (const [id, ev] of this.pending)
      if (ev.node === node) {
        this.pending.delete(id);
        this.discard(ev);
      }
  }

  private discard(ev: SimEvent): void {
    this.cancelled++;
    // a parked event is out of the queue: marking it is enough (the resume skips it)
    if (this.parked.delete(ev)) ev.kind = CANCELLED;
    else this.queue.cancel(ev);
  }
}
