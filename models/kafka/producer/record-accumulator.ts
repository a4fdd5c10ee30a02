// The producer's RecordAccumulator: per partition a queue of batches (records sent to the same
// partition within linger.ms, up to batch.size bytes), drained by the sender when full, lingered
// out, or due for a retry. A retried batch goes back to the front of its queue (Kafka's
// reenqueue: addFirst, or in sequence order when it carries an idempotent sequence), which is
// what reorders records when retries meet max.in.flight > 1 without idempotence.

export class ProducerBatch {
  readonly recordIds: number[] = [];
  /** When each record was handed to send(), for latencyUs. */
  readonly sendUs: number[] = [];
  /** Idempotence: assigned at first drain; -1 until then (or after an epoch bump). */
  baseSequence = -1;
  producerEpoch = -1;
  attempts = 0;
  retryAtUs = 0;
  /** Some attempt may have been written (a timeout, or NOT_ENOUGH_REPLICAS_AFTER_APPEND). */
  maybeAppended = false;

  constructor(
    readonly id: number,
    /** Partition number inside the producer's topic. */
    readonly topicPartition: number,
    readonly createdUs: number,
    /** delivery.timeout.ms counts from batch creation, as in the Java client. */
    readonly deadlineUs: number,
  ) {}
}

export class RecordAccumulator {
  readonly queues: ProducerBatch[][];
  private nextBatchId = 1;

  constructor(
    partitions: number,
    /** How many records fit one batch: batch.size / record size, at least one. */
    readonly recordsPerBatch: number,
    private readonly deliveryTimeoutUs: number,
  ) {
    this.queues = [];
    for (let i = 0; i < partitions; i++) this.queues.push([]);
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
      q.push(batch);
      created = true;
    }
    batch.recordIds.push(recordId);
    batch.sendUs.push(nowUs);
    return created;
  }

  isFull(batch: ProducerBatch): boolean {
    return batch.recordIds.length >= this.recordsPerBatch;
  }

  /** Puts a failed batch back for a retry: at the front, or in sequence order when sequenced. */
  reenqueue(batch: ProducerBatch): void {
    const q = this.queues[batch.topicPartition];
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
  }
}
