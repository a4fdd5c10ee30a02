// Kafka's TransactionManager as an idempotent producer uses it (no transactions): the producer id
// and epoch, the next sequence number of each partition, a sequence given to a batch when it is
// first drained, and the KIP-360 epoch bump when a sequenced batch is lost for good.
//
// A retried batch keeps its sequence, so the broker drops a duplicate of an attempt that did reach
// the log. OUT_OF_ORDER_SEQUENCE_NUMBER is retried as TransactionManager.canRetry retries it (Kafka
// 2.5+, KIP-360): a batch that is not the partition's next sequence (its base is not the last
// acknowledged sequence + 1) is retried as it is, waiting for a lower sequence to fill the gap; the
// next batch itself means the broker lost our sequence state, so the epoch is bumped and it is
// retried from sequence 0. A batch whose lower sequences never reach the log (a later batch went to
// a new leader that had no state for this producer and so accepted any sequence: KAFKA-15591's
// family) is therefore retried until delivery.timeout.ms, as in Kafka, never written out of order.
//
// Simplifications: producer ids are assigned deterministically (1000 + producer index + 1000 x
// restarts) instead of InitProducerId; a sequenced batch that is lost bumps the epoch and resets
// sequences at once (KIP-360 waits for the batches in flight first).

import type { NodeContext } from '../../../src/sim/model.ts';
import { UNRESOLVED_SEQUENCE, type KafkaMessage } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';
import type { ProducerBatch } from './producer-batch.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** The batches still queued in the accumulator, by partition of the producer's topic. */
interface QueuedBatches {
  readonly queues: readonly ProducerBatch[][];
}

/** Fails a batch's records for good (emits their send-fail). */
export interface BatchFailure {
  failBatch(ctx: Ctx, batch: ProducerBatch, error: string): void;
}

export class TransactionManager {
  private id = -1;
  private epoch = 0;
  private readonly nextSequence: Int32Array;
  /** Per partition: the highest sequence acknowledged in the current epoch, -1 for none (TxnPartitionEntry.lastAckedSequence). */
  private readonly lastAckedSequence: Int32Array;

  constructor(
    readonly idempotent: boolean,
    partitionCount: number,
    private readonly accumulator: QueuedBatches,
    private readonly failure: BatchFailure,
  ) {
    this.nextSequence = new Int32Array(partitionCount);
    this.lastAckedSequence = new Int32Array(partitionCount).fill(-1);
  }

  /** -1 when not idempotent. */
  get producerId(): number {
    return this.id;
  }

  get producerEpoch(): number {
    return this.epoch;
  }

  /** Stands in for InitProducerId: a new id for every start of the producer process, epoch 0. */
  initProducerIdAndEpoch(producerIndex: number, incarnation: number): void {
    this.id = this.idempotent ? 1000 + producerIndex + 1000 * incarnation : -1;
    this.epoch = 0;
    this.nextSequence.fill(0);
    this.lastAckedSequence.fill(-1);
  }

  /** At drain: a batch without a sequence of the current epoch gets the partition's next ones. */
  maybeAssignSequence(batch: ProducerBatch): void {
    if (!this.idempotent || (batch.baseSequence >= 0 && batch.producerEpoch === this.epoch)) return;
    batch.baseSequence = this.nextSequence[batch.topicPartition];
    batch.producerEpoch = this.epoch;
    this.nextSequence[batch.topicPartition] += batch.recordIds.length;
  }

  /** The batch carries a sequence, so losing it leaves a gap the broker would reject. */
  isSequenced(batch: ProducerBatch): boolean {
    return this.idempotent && batch.baseSequence >= 0;
  }

  /** The epoch was bumped while the batch was in flight. */
  hasStaleProducerEpoch(batch: ProducerBatch): boolean {
    return this.idempotent && batch.producerEpoch !== this.epoch;
  }

  /** A batch was acknowledged (TransactionManager.handleCompletedBatch): its last sequence may raise the partition's last acknowledged one. */
  handleCompletedBatch(batch: ProducerBatch): void {
    if (!this.idempotent || batch.baseSequence < 0 || batch.producerEpoch !== this.epoch) return;
    const lastSequence = batch.baseSequence + batch.recordIds.length - 1;
    if (lastSequence > this.lastAckedSequence[batch.topicPartition]) this.lastAckedSequence[batch.topicPartition] = lastSequence;
  }

  /**
   * OUT_OF_ORDER_SEQUENCE_NUMBER for an idempotent batch (TransactionManager.canRetry, Kafka 2.5+):
   * always retried. A batch sequenced under an older epoch, or not the partition's next sequence,
   * is retried as it is; the next sequence itself means the broker has lost our state, so the
   * epoch is bumped (its sequences restart at 0) before the retry.
   */
  retryOutOfOrderSequence(ctx: Ctx, batch: ProducerBatch): void {
    if (this.hasStaleProducerEpoch(batch)) return;
    if (batch.baseSequence - this.lastAckedSequence[batch.topicPartition] !== 1) return;
    this.bumpIdempotentEpoch(ctx);
  }

  /** A sequenced batch failed for good: bump the epoch (KIP-360) when idempotent. */
  bumpEpochIfSequenced(ctx: Ctx, batch: ProducerBatch): void {
    if (this.isSequenced(batch)) this.bumpIdempotentEpoch(ctx);
  }

  /**
   * KIP-360 epoch bump: sequences restart at 0 under the new epoch. A queued batch that may already
   * be in the log (a timed-out attempt) cannot be re-sequenced, or the new epoch would write it a
   * second time: like the Java client, fail it with its outcome unknown instead of resending it.
   */
  bumpIdempotentEpoch(ctx: Ctx): void {
    this.epoch++;
    this.nextSequence.fill(0);
    this.lastAckedSequence.fill(-1);
    for (const q of this.accumulator.queues) {
      let kept = 0;
      for (const b of q) {
        if (b.maybeAppended && b.baseSequence >= 0) this.failure.failBatch(ctx, b, UNRESOLVED_SEQUENCE);
        else {
          b.baseSequence = -1;
          q[kept++] = b;
        }
      }
      q.length = kept;
    }
  }
}
