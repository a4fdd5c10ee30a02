// The simulator's event queue: an array-backed binary min-heap ordered by (timeUs, seq).
// seq is a global insertion counter, so events at the same virtual time pop in the order they
// were scheduled: the order never depends on object identity or on the heap's internal layout.

import type { TimeUs } from './time.ts';

/** What the kernel dispatches. Every field is always set so V8 keeps one hidden class. */
export interface SimEvent {
  timeUs: TimeUs;
  seq: number;
  /** One of EventKind. */
  kind: number;
  /** Target node index (or -1 for kernel-level events such as faults). */
  node: number;
  /** Sender node index for messages, -1 otherwise. */
  from: number;
  /** Target node's incarnation when scheduled (timers die with their process). */
  incarnation: number;
  payload: unknown;
  /** What the kernel attaches to some events (the connection stream a message travels on), else null. */
  ref: unknown;
}

export class EventQueue {
  private heap: SimEvent[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
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

  peekTimeUs(): TimeUs {
    return this.heap.length > 0 ? this.heap[0].timeUs : Infinity;
  }

  pop(): SimEvent | undefined {
    const heap = this.heap;
    const n = heap.length;
    if (n === 0) return undefined;
    const top = heap[0];
    const last = heap.pop()!;
    if (n > 1) {
      // sift down
      const size = n - 1;
      let i = 0;
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
        if (last.timeUs < child.timeUs || (last.timeUs === child.timeUs && last.seq < child.seq)) break;
        heap[i] = child;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }
}
