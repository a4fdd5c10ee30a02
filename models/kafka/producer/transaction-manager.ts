// Kafka's TransactionManager as an idempotent producer uses it (no transactions), as of 2.5+
// (KIP-360): the producer id and epoch, and per partition (TxnPartitionEntry) the epoch its
// sequences belong to, the next sequence, the last acknowledged one and whether a sequence is
// unresolved. A batch gets its sequence when first drained and keeps it on retry, so the broker
// drops a duplicate of an attempt that did reach the log.
//
// - OUT_OF_ORDER_SEQUENCE_NUMBER (canRetry): a batch that is not the partition's next sequence
//   (its base is not the last acknowledged + 1) is retried as it is, waiting for a lower sequence
//   to fill the gap; the next batch itself (or the one just after an unresolved sequence) means the
//   broker lost our state: the epoch is bumped for the partition and it is retried. A batch whose
//   lower sequences never reach the log (a later one went to a new leader with no state for this
//   producer, which accepts any sequence: KAFKA-15591's family) is retried until delivery.timeout.ms.
// - A sequenced batch that fails for good (delivery.timeout.ms, retries) leaves its sequence
//   unresolved (markSequenceUnresolved): no new batch of the partition is drained until every
//   sequenced batch of it has finished; then the partition is resolved if the last acknowledged
//   sequence is the one before the next, else its epoch is bumped (maybeResolveSequences).
// - The bump (bumpIdempotentEpochAndResetIdIfNeeded): the producer epoch goes up by one and the
//   partitions that asked for it restart their sequences at 0, the batches still unfinished
//   re-sequenced in order (startSequencesAtBeginning). Any other partition keeps its epoch until
//   nothing of it is in flight, then restarts at 0 under the new one (maybeUpdateProducerIdAndEpoch).
//
// Before KIP-360 (Kafka 0.11-2.4 clients: 1.0's TransactionManager.canRetry, Sender.failBatch) no
// batch is re-sequenced: the next sequence answered OUT_OF_ORDER_SEQUENCE_NUMBER is not retried, it
// fails to the caller and the producer id is reset (resetProducerId: every partition restarts at 0
// under a new id once its unfinished batches are done); a batch of the old id that fails
// retriably afterwards is dropped ("the producer id changed"), never sent again under the new id,
// so a record the old leader wrote is not written a second time.
//
// Simplification: producer ids are assigned deterministically (1000 + producer index + 1000 x
// restarts) instead of InitProducerId; before KIP-360 a reset of the producer id is an epoch bump
// of every partition (to the broker both are a producer it must take from sequence 0).

import type { ProducerBatch } from './producer-batch.ts';

/** The batches still queued in the accumulator, by partition of the producer's topic. */
interface QueuedBatches {
  readonly queues: readonly ProducerBatch[][];
}

export class TransactionManager {
  private id = -1;
  private epoch = 0;
  /** Per partition: the producer epoch its sequences belong to (TxnPartitionEntry.producerIdAndEpoch). */
  private readonly partitionEpoch: Int32Array;
  private readonly nextSequence: Int32Array;
  /** Per partition: the highest sequence acknowledged under its epoch, -1 for none. */
  private readonly lastAckedSequence: Int32Array;
  /** Per partition: the sequence after a batch that failed for good, -1 when resolved (partitionsWithUnresolvedSequences). */
  private readonly unresolvedNext: Int32Array;
  /** Per partition: its sequences restart at the next bump (partitionsToRewriteSequences). */
  private readonly rewrite: Uint8Array;
  private epochBumpRequired = false;
  /** Whether some partition may have unresolved sequences (each drain checks them all only then). */
  private anyUnresolved = false;

  constructor(
    readonly idempotent: boolean,
    /** KIP-360's client (2.5+): a sequence gap bumps the epoch and the batch is retried; before, it fails. */
    private readonly bumpsEpochOnSequenceGap: boolean,
    partitionCount: number,
    private readonly accumulator: QueuedBatches,
    /** Per partition, the batches whose request is outstanding (the sender's). */
    private readonly inFlight: readonly (readonly ProducerBatch[])[],
  ) {
    this.partitionEpoch = new Int32Array(partitionCount);
    this.nextSequence = new Int32Array(partitionCount);
    this.lastAckedSequence = new Int32Array(partitionCount).fill(-1);
    this.unresolvedNext = new Int32Array(partitionCount).fill(-1);
    this.rewrite = new Uint8Array(partitionCount);
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
    this.partitionEpoch.fill(0);
    this.nextSequence.fill(0);
    this.lastAckedSequence.fill(-1);
    this.unresolvedNext.fill(-1);
    this.anyUnresolved = false;
    this.rewrite.fill(0);
    this.epochBumpRequired = false;
  }

  /** The batch carries a sequence, so losing it leaves a gap the broker would reject. */
  isSequenced(batch: ProducerBatch): boolean {
    return this.idempotent && batch.baseSequence >= 0;
  }

  /**
   * Whether a batch without a sequence may be drained now (RecordAccumulator's
   * shouldStopDrainBatchesForPartition): not while the partition has an unresolved sequence, nor
   * while batches of an older epoch of it are unfinished.
   */
  canSequenceNewBatch(tp: number): boolean {
    if (!this.idempotent) return true;
    if (this.unresolvedNext[tp] >= 0) return false;
    return this.partitionEpoch[tp] === this.epoch || !this.hasUnfinishedSequences(tp);
  }

  /** At drain: a batch without a sequence gets the partition's next ones (under the current epoch). */
  maybeAssignSequence(batch: ProducerBatch): void {
    if (!this.idempotent) return;
    batch.sequenceReset = false;
    if (batch.baseSequence >= 0) return;
    const tp = batch.topicPartition;
    if (this.partitionEpoch[tp] !== this.epoch) this.startSequencesAtBeginning(tp); // nothing of it unfinished: canSequenceNewBatch
    batch.baseSequence = this.nextSequence[tp];
    batch.producerEpoch = this.epoch;
    this.nextSequence[tp] += batch.recordIds.length;
  }

  /** A batch was acknowledged (handleCompletedBatch): its last sequence may raise the partition's last acknowledged one. */
  handleCompletedBatch(batch: ProducerBatch): void {
    const tp = batch.topicPartition;
    if (!this.isSequenced(batch) || batch.producerEpoch !== this.partitionEpoch[tp]) return;
    const lastSequence = batch.baseSequence + batch.recordIds.length - 1;
    if (lastSequence > this.lastAckedSequence[tp]) this.lastAckedSequence[tp] = lastSequence;
  }

  /**
   * OUT_OF_ORDER_SEQUENCE_NUMBER for a sequenced batch (canRetry): whether it is retried, and since
   * KIP-360 whether the partition's epoch is bumped first. Before KIP-360 a batch that is not
   * waiting for a lower sequence is not retried (false): the caller fails it and resets the id.
   */
  retryOutOfOrderSequence(batch: ProducerBatch): boolean {
    const tp = batch.topicPartition;
    const unresolved = this.unresolvedNext[tp] >= 0;
    if (!unresolved && (batch.sequenceReset || batch.baseSequence - this.lastAckedSequence[tp] !== 1)) return true;
    if (!this.bumpsEpochOnSequenceGap) return false;
    if (!unresolved || batch.baseSequence === this.unresolvedNext[tp]) this.requestEpochBumpForPartition(tp);
    return true;
  }

  /**
   * Before KIP-360, Sender.failBatch for an OutOfOrderSequenceException: resetProducerId, at once.
   * Every partition restarts at sequence 0 under the new id when nothing of it is unfinished.
   */
  resetProducerId(): void {
    this.epoch++;
    this.unresolvedNext.fill(-1);
    this.anyUnresolved = false;
    this.rewrite.fill(0);
    this.epochBumpRequired = false;
  }

  /**
   * A retriable error: before KIP-360 a batch of an older producer id is not retried but dropped
   * (1.0's Sender.completeBatch: "the producer id changed ... This batch will be dropped").
   */
  mayRetry(batch: ProducerBatch): boolean {
    return this.bumpsEpochOnSequenceGap || !this.isSequenced(batch) || batch.producerEpoch === this.epoch;
  }

  /** A sequenced batch failed for good (expired, out of retries): its sequence is unresolved until the partition drains. */
  markSequenceUnresolved(batch: ProducerBatch): void {
    if (!this.isSequenced(batch)) return;
    const tp = batch.topicPartition;
    const next = batch.baseSequence + batch.recordIds.length;
    if (next > this.unresolvedNext[tp]) this.unresolvedNext[tp] = next;
    this.anyUnresolved = true;
  }

  /** A sequenced batch was refused for good by the broker: its partition's sequences restart under a new epoch. */
  handleFailedBatch(batch: ProducerBatch): void {
    if (this.isSequenced(batch)) this.requestEpochBumpForPartition(batch.topicPartition);
  }

  /**
   * Before each drain (Sender.runOnce: maybeResolveSequences, then bumpIdempotentEpochAndResetIdIfNeeded).
   * Returns whether the epoch was bumped.
   */
  resolveSequencesAndBump(): boolean {
    if (!this.idempotent) return false;
    if (this.anyUnresolved) {
      let left = false;
      for (let tp = 0; tp < this.unresolvedNext.length; tp++) {
        if (this.unresolvedNext[tp] < 0) continue;
        if (this.hasUnfinishedSequences(tp)) {
          left = true;
          continue;
        }
        // All drained: resolved if every sequence sent was acknowledged up to the next one, else bump.
        if (this.nextSequence[tp] - this.lastAckedSequence[tp] !== 1) this.requestEpochBumpForPartition(tp);
        this.unresolvedNext[tp] = -1;
      }
      this.anyUnresolved = left;
    }
    if (!this.epochBumpRequired) return false;
    this.epoch++;
    for (let tp = 0; tp < this.rewrite.length; tp++) {
      if (this.rewrite[tp] === 0) continue;
      this.rewrite[tp] = 0;
      this.startSequencesAtBeginning(tp);
      this.unresolvedNext[tp] = -1;
    }
    this.epochBumpRequired = false;
    return true;
  }

  private requestEpochBumpForPartition(tp: number): void {
    this.rewrite[tp] = 1;
    this.epochBumpRequired = true;
  }

  /** TxnPartitionEntry.startSequencesAtBeginning: the partition's unfinished batches re-sequenced from 0, in sequence order, under the current epoch. */
  private startSequencesAtBeginning(tp: number): void {
    const unfinished = this.unfinishedSequenced(tp).sort((a, b) => a.baseSequence - b.baseSequence);
    let sequence = 0;
    for (const b of unfinished) {
      b.baseSequence = sequence;
      b.producerEpoch = this.epoch;
      b.sequenceReset = true;
      sequence += b.recordIds.length;
    }
    this.partitionEpoch[tp] = this.epoch;
    this.nextSequence[tp] = sequence;
    this.lastAckedSequence[tp] = -1;
  }

  private hasUnfinishedSequences(tp: number): boolean {
    if (this.inFlight[tp].length > 0) return true;
    for (const b of this.accumulator.queues[tp]) if (b.baseSequence >= 0) return true;
    return false;
  }

  private unfinishedSequenced(tp: number): ProducerBatch[] {
    const out = [...this.inFlight[tp]];
    for (const b of this.accumulator.queues[tp]) if (b.baseSequence >= 0) out.push(b);
    return out;
  }
}
