// The timeline's sample of individual events: a uniform sample of each time bucket's events
// (reservoir sampling, with a fixed-seed generator so the same trace gives the same page), kept in
// trace order. Zoomed in, the kept events spread over their bucket instead of bunching at its
// start. Buckets must arrive in time order, as a trace's events do.

import type { TimelineEvent } from '../scenario/model-timeline.ts';

export class BucketSample {
  readonly kept: TimelineEvent[] = [];
  dropped = 0;
  private reservoir: { seq: number; event: TimelineEvent }[] = [];
  private bucket = -1;
  private seen = 0;
  private randomState = 0x9e3779b9;

  constructor(readonly perBucketMax: number) {}

  add(bucket: number, event: TimelineEvent): void {
    if (bucket !== this.bucket) {
      this.flush();
      this.bucket = bucket;
    }
    this.seen++;
    if (this.reservoir.length < this.perBucketMax) {
      this.reservoir.push({ seq: this.seen, event });
      return;
    }
    this.dropped++;
    const slot = this.nextRandom() % this.seen;
    if (slot < this.perBucketMax) this.reservoir[slot] = { seq: this.seen, event };
  }

  /** Moves the current bucket's sample, in trace order, to the kept events. Call it at the end too. */
  flush(): void {
    this.reservoir.sort((a, b) => a.seq - b.seq);
    for (const r of this.reservoir) this.kept.push(r.event);
    this.reservoir = [];
    this.seen = 0;
  }

  /** xorshift32: cheap, deterministic, good enough to pick reservoir slots. */
  private nextRandom(): number {
    let x = this.randomState;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.randomState = x >>> 0;
    return this.randomState;
  }
}
