// Kafka's RecordAccumulator: per partition a queue of batches (records sent to the same partition
// within linger.ms, up to batch.size bytes), drained by the sender when full, lingered out, or due
// for a retry after retry.backoff.ms. A retried batch goes back to the front of its queue (Kafka's
// reenqueue: addFirst, or in sequence order when it carries an idempotent sequence), which is
// what reorders records when retries meet max.in.flight > 1 without idempotence.

import { ProducerBatch } from './producer-batch.ts';

export class RecordAccumulator {
  /** Per partition of the producer's topic, its batches in drain order. */
  readonly queues: ProducerBatch[][];
  /** Batches in all queues. */
  batchCount = 0;
  /**
   * The partitions whose queue holds a batch, ascending: the sender scans these rather than
   * every partition (with many partitions and few records in flight most queues are empty).
   */
  private readonly queued: number[] = [];
  private nextBatchId = 1;

  constructor(
    partitions: number,
    /** How many records fit one batch: batch.size / record size, at least one. */
    readonly recordsPerBatch: number,
    private readonly lingerUs: number,
    private readonly deliveryTimeoutUs: number,
  ) {
    this.queues = [];
    for (let i = 0; i < partitions; i++) this.queues.push([]);
  }

  /** A copy of the partitions whose queue holds a batch, ascending (the caller may drain them as it goes). */
  queuedPartitions(): number[] {
    return this.queued.slice();
  }

  /** Partition tp's queue went from empty to holding a batch. */
  private nowQueued(tp: number): void {
    let i = this.queued.length;
    while (i > 0 && this.queued[i - 1] > tp) i--;
    this.queued.splice(i, 0, tp);
  }

  /** Partition tp's queue is empty now. */
  private nowEmpty(tp: number): void {
    this.queued.splice(this.queued.indexOf(tp), 1);
  }

  /** True when the partition's last batch cannot take another record (a new one would start). */
  lastBatchFull(tp: number): boolean {
    const q = this.queues[tp];
    if (q.length === 0) return false;
    const last = q[q.length - 1];
    return last.attempts > 0 || last.recordIds.length >= this.recordsPerBatch;
  }

  /** Appends a record; returns true when it started a new batch. */
  append(tp: number, recordId: number, nowUs: number): boolean {
    const q = this.queues[tp];
    let batch = q.length === 0 ? null : q[q.length - 1];
    let created = false;
    if (batch === null || batch.attempts > 0 || batch.recordIds.length >= this.recordsPerBatch) {
      batch = new ProducerBatch(this.nextBatchId++, tp, nowUs, nowUs + this.deliveryTimeoutUs);
      if (q.length === 0) this.nowQueued(tp);
      q.push(batch);
      this.batchCount++;
      created = true;
    }
    batch.recordIds.push(recordId);
    batch.sendUs.push(nowUs);
    return created;
  }

  /**
   * When the first batch of `tp` may be drained (Kafka's batchReady): a retried batch after its
   * retry.backoff.ms; a new one at once when it is full or another batch waits behind it,
   * otherwise once it has lingered linger.ms. -Infinity when it is ready regardless of time.
   */
  firstBatchReadyAtUs(tp: number): number {
    const q = this.queues[tp];
    const batch = q[0];
    if (batch.attempts > 0) return batch.retryAtUs;
    if (q.length > 1 || batch.recordIds.length >= this.recordsPerBatch) return -Infinity;
    return batch.createdUs + this.lingerUs;
  }

  /** Takes the first batch of `tp` off its queue for sending. */
  pollFirst(tp: number): ProducerBatch {
    const batch = this.queues[tp].shift();
    if (batch === undefined) throw new Error(`no batch queued for partition ${tp}`);
    this.batchCount--;
    if (this.queues[tp].length === 0) this.nowEmpty(tp);
    return batch;
  }

  /** Puts a failed batch back for a retry: at the front, or in sequence order when sequenced. */
  reenqueue(batch: ProducerBatch): void {
    const q = this.queues[batch.topicPartition];
    this.batchCount++;
    if (q.length === 0) this.nowQueued(batch.topicPartition);
    if (batch.baseSequence < 0) {
      q.unshift(batch);
      return;
    }
    let i = 0;
    while (i < q.length && q[i].baseSequence >= 0 && q[i].baseSequence < batch.baseSequence) i++;
    q.splice(i, 0, batch);
  }

  clear(): void {
    for (const q of this.queues) q.length = 0;
    this.batchCount = 0;
    this.queued.length = 0;
  }

  /** Keeps the first `kept` batches of tp's queue (the sender expired the others). */
  truncateQueue(tp: number, kept: number): void {
    const q = this.queues[tp];
    this.batchCount -= q.length - kept;
    if (kept === 0 && q.length > 0) this.nowEmpty(tp);
    q.length = kept;
  }
}
