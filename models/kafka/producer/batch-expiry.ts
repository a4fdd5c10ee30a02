// When a producer batch expires, failing its records without another attempt. Kafka has had two rules:
// - From 2.1 (KIP-91), delivery.timeout.ms from the batch's creation, wherever it is: a queued batch
//   past it fails (Sender.sendProducerData -> accumulator.expiredBatches), and so does one whose
//   retriable error comes back after it (Sender.canRetry).
// - Before 2.1 (0.10-2.0: RecordAccumulator.expiredBatches, ProducerBatch.maybeExpire) only a batch
//   waiting in the accumulator expires, request.timeout.ms after it became ready: a full batch after
//   its last append, any batch after its creation plus linger.ms, a retried batch after its retry
//   backoff ended. Each partition's queue is checked from the front and the check stops at the first
//   batch that has not expired; a partition muted by max.in.flight.requests.per.connection=1 (a batch
//   in flight) is skipped. A batch in flight fails only by request.timeout.ms and `retries`.
// Kafka compares in whole ms with a strict "more than", so a rule expires a batch 1 ms after its
// deadline; times here are in µs.

import type { ProducerBatch } from './producer-batch.ts';

const MS_US = 1000;

export class BatchExpiry {
  /** The rule before KIP-91: delivery.timeout.ms did not exist. */
  readonly beforeDeliveryTimeout: boolean;

  constructor(
    /** delivery.timeout.ms in µs (a batch's deadlineUs counts from its creation); null on a version before it (KIP-91, 2.1). */
    deliveryTimeoutUs: number | null,
    /** request.timeout.ms in µs. */
    private readonly requestTimeoutUs: number,
    /** linger.ms in µs. */
    private readonly lingerUs: number,
    /** How many records fill a batch (batch.size / record size). */
    private readonly recordsPerBatch: number,
  ) {
    this.beforeDeliveryTimeout = deliveryTimeoutUs === null;
  }

  /**
   * When the queued batch `queue[i]` expires if it stays queued (µs). Before KIP-91 this depends on
   * whether it is full (another batch behind it, or no room left) and on its retry state.
   */
  queuedExpiryUs(queue: readonly ProducerBatch[], i: number): number {
    const batch = queue[i];
    if (!this.beforeDeliveryTimeout) return batch.deadlineUs;
    const slackUs = this.requestTimeoutUs + MS_US;
    // A retried batch: retryAtUs is its last attempt plus retry.backoff.ms (ProducerBatch.reenqueued).
    if (batch.attempts > 0) return batch.retryAtUs + slackUs;
    const afterLingerUs = batch.createdUs + this.lingerUs + slackUs;
    const full = i < queue.length - 1 || batch.recordIds.length >= this.recordsPerBatch;
    if (!full) return afterLingerUs;
    return Math.min(afterLingerUs, batch.sendUs[batch.sendUs.length - 1] + slackUs);
  }

  /**
   * How many batches at the front of `queue` have expired at `nowUs` (before KIP-91: the check stops at
   * the first that has not), or, from 2.1, -1: every batch past its own deadline has (the caller
   * removes them wherever they are).
   */
  expiredPrefix(queue: readonly ProducerBatch[], nowUs: number): number {
    if (!this.beforeDeliveryTimeout) return -1;
    let n = 0;
    while (n < queue.length && this.queuedExpiryUs(queue, n) <= nowUs) n++;
    return n;
  }

  /** Whether expiry skips a partition now: before KIP-91, one muted by max.in.flight = 1 with a batch in flight. */
  skips(maxInFlight: number, batchesInFlight: number): boolean {
    return this.beforeDeliveryTimeout && maxInFlight === 1 && batchesInFlight > 0;
  }
}
