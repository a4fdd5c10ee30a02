// A first-in first-out queue of numbers in one flat array, for the analysis's per-partition waits
// (high-watermark-stall.ts, head-of-line-blocking.ts): rows of a fixed width are pushed at `end`
// and consumed from `head`. Emptied, it keeps its store: a partition's queue empties at nearly
// every high watermark move (one batch waiting at a time with many partitions), and setting an
// array's length to 0 is a runtime call that frees the store the next push then grows again.

/** Past this many consumed slots, and past half of the queue, the consumed prefix is dropped. */
const COMPACT_AT = 1024;

export class NumberQueue {
  /** Slots [head, end) hold the queue; those past `end` are stale. */
  readonly items: number[] = [];
  head = 0;
  end = 0;

  get isEmpty(): boolean {
    return this.head === this.end;
  }

  push2(a: number, b: number): void {
    this.put(a);
    this.put(b);
  }

  push4(a: number, b: number, c: number, d: number): void {
    this.put(a);
    this.put(b);
    this.put(c);
    this.put(d);
  }

  /** Consumed up to `head` (the caller moved it): empty, it starts over; a long consumed prefix is dropped. */
  consumedTo(head: number): void {
    if (head === this.end) this.clear();
    else if (head >= COMPACT_AT && head * 2 >= this.end) {
      this.items.copyWithin(0, head, this.end);
      this.end -= head;
      this.head = 0;
    } else this.head = head;
  }

  clear(): void {
    this.head = 0;
    this.end = 0;
  }

  private put(v: number): void {
    if (this.end < this.items.length) this.items[this.end] = v;
    else this.items.push(v);
    this.end++;
  }
}
