// When a producer's generated records (ProducerSpec.ratePerSec) arrive, and which arrival next
// matters. Record n of the schedule arrives at startUs + n * intervalUs (rounded to the µs) while
// the producer runs, before its stopMs and within the run: the application's calls to
// KafkaProducer.send(). A timer per record would cost an event each, and most of those events
// only add a record to a batch that is not ready yet. So the producer materialises the records due
// whenever it acts (a response, a timer, a connection), each with its own send time, and sets one
// timer at the next arrival that matters to the Sender (nextMatteringUs): one that fills a batch,
// queues a batch behind another (RecordAccumulator's batchReady: the first one may go), starts a
// batch with linger.ms = 0, needs a partitioner draw (the sticky partitioner moving on, KIP-794),
// or is the last one; a batch started by an earlier arrival bounds it by its linger expiry.
// Any other arrival would have run the Sender for nothing: what it may drain is unchanged, and its
// own wakeups (linger, retry.backoff.ms, reconnects, delivery.timeout.ms) still come.
//
// The key of each generated record is drawn from the producer's own choice stream in record
// order; the lookahead draws the next keys early and keeps them in order, so the draws are the same.

import type { Choice } from '../../../src/sim/choice.ts';
import type { RecordAccumulator } from './record-accumulator.ts';

/** Where the next arrivals go, as the producer would route them now (KafkaProducer.send). */
export interface ArrivalRouting {
  /** False when records go by the sticky partitioner (no keys, or keys ignored). */
  readonly keyed: boolean;
  /** The partition of a generated key index. */
  partitionOfKey(keyIndex: number): number;
  /** The sticky partition, -1 when choosing one would draw. */
  stickyPartition(): number;
  /** Records the sticky partition takes before the partitioner moves on. */
  stickyRecordsBeforeSwitch(): number;
}

/** Arrivals looked at per call: beyond them the next one is taken as mattering. */
const LOOKAHEAD_MAX = 256;

export class RecordArrivals {
  /** Index in the schedule of the next record to arrive. */
  private next = 0;
  /** Key indices drawn ahead, in draw order, from keyHead on. */
  private keys: number[] = [];
  private keyHead = 0;
  /** The lookahead's view of the partitions it touched (pass stamps which are current). */
  private readonly stamp: Int32Array;
  private readonly shadowQueued: Int32Array;
  /** Records in the partition's open last batch, -1 when none is open. */
  private readonly shadowOpen: Int32Array;
  private pass = 0;

  constructor(
    private readonly intervalUs: number,
    private readonly startUs: number,
    /** The first time no record arrives at or after: stopMs, or just past the run's end. */
    private readonly endUs: number,
    private readonly keyCount: number,
    private readonly choice: Choice,
    private readonly accumulator: RecordAccumulator,
    private readonly lingerUs: number,
  ) {
    const n = accumulator.queues.length;
    this.stamp = new Int32Array(n);
    this.shadowQueued = new Int32Array(n);
    this.shadowOpen = new Int32Array(n);
  }

  /** A (re)started producer: records arrive from nowUs on. */
  startAt(nowUs: number): void {
    if (this.intervalUs > 0) this.next = Math.ceil((Math.max(nowUs, this.startUs) - this.startUs) / this.intervalUs);
  }

  /** The send time of the next record when it has arrived by nowUs, else -1. */
  dueUs(nowUs: number): number {
    if (this.intervalUs <= 0) return -1;
    const at = this.atUs(this.next);
    return at <= nowUs && at < this.endUs ? at : -1;
  }

  /** Takes the arrived record: its key index (-1: no key). */
  take(): number {
    this.next++;
    if (this.keyCount <= 0) return -1;
    const key = this.keyAt(0);
    this.keyHead++;
    if (this.keyHead >= 1024) {
      this.keys = this.keys.slice(this.keyHead);
      this.keyHead = 0;
    }
    return key;
  }

  /**
   * The next time an arrival matters (see the file comment), at most horizonUs (the Sender's own
   * wakeup); everyArrival: each one does (the Sender polls for metadata on every run).
   */
  nextMatteringUs(horizonUs: number, routing: ArrivalRouting, everyArrival: boolean): number {
    if (this.intervalUs <= 0) return horizonUs;
    let h = horizonUs;
    const pass = ++this.pass;
    const perBatch = this.accumulator.recordsPerBatch;
    const sticky = routing.keyed ? -1 : routing.stickyPartition();
    let stickyLeft = routing.keyed ? 0 : routing.stickyRecordsBeforeSwitch();
    for (let j = 0; ; j++) {
      const at = this.atUs(this.next + j);
      if (at >= this.endUs || at >= h) return h;
      if (everyArrival || j === LOOKAHEAD_MAX || this.atUs(this.next + j + 1) >= this.endUs) return at;
      let tp: number;
      if (routing.keyed) tp = routing.partitionOfKey(this.keyAt(j));
      else if (sticky < 0 || stickyLeft <= 0) return at;
      else {
        tp = sticky;
        stickyLeft--;
      }
      if (this.stamp[tp] !== pass) this.look(tp, pass, perBatch);
      const open = this.shadowOpen[tp];
      if (open >= 0) {
        if (open + 1 >= perBatch) return at;
        this.shadowOpen[tp] = open + 1;
        continue;
      }
      // a new batch: behind another, or ready at once, or (sticky) after a full batch, which draws
      if (this.shadowQueued[tp] > 0 || this.lingerUs <= 0 || perBatch <= 1) return at;
      this.shadowQueued[tp] = 1;
      this.shadowOpen[tp] = 1;
      if (at + this.lingerUs < h) h = at + this.lingerUs;
    }
  }

  private atUs(n: number): number {
    return Math.round(this.startUs + n * this.intervalUs);
  }

  /** The j-th key index from the next arrival on, drawn when not drawn yet. */
  private keyAt(j: number): number {
    while (this.keys.length - this.keyHead <= j) this.keys.push(this.choice.below(this.keyCount));
    return this.keys[this.keyHead + j];
  }

  private look(tp: number, pass: number, perBatch: number): void {
    const q = this.accumulator.queues[tp];
    this.stamp[tp] = pass;
    this.shadowQueued[tp] = q.length;
    const last = q.length === 0 ? null : q[q.length - 1];
    this.shadowOpen[tp] = last !== null && last.attempts === 0 && last.recordIds.length < perBatch ? last.recordIds.length : -1;
  }
}
