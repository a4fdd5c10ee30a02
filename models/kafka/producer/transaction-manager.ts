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
// batch is re-sequenced under a new epoch: the next sequence answered OUT_OF_ORDER_SEQUENCE_NUMBER is
// not retried, it fails to the caller and the producer id is reset (resetProducerId: InitProducerId
// gives a NEW producer id, epoch 0, and every partition restarts at sequence 0 under it at once); a
// batch of the old id that fails retriably afterwards is dropped ("the producer id changed"), and
// one still queued keeps its old id and sequence (RecordAccumulator.drain: "we should not change the
// producer id and sequence number, since this may introduce duplicates"), so no record is ever
// sent under two ids. A partition with unresolved sequences that drains with a gap also resets the
// id (1.0's maybeResolveSequences).
// - UNKNOWN_PRODUCER_ID (1.0-2.4 brokers, KAFKA-5793; canRetry): retried as it is when the response
//   has no log start offset or the batch's sequence was reset since its last drain; when the last
//   acknowledged offset of the partition is below the log start offset (retention took the
//   producer's records, or nothing was acknowledged yet) the partition's unfinished batches restart
//   at sequence 0 under the same id and epoch and are retried (startSequencesAtBeginning): a batch
//   an earlier attempt did write would be written again where that copy is still in the log
//   (KIP-360's first motivation: "resetting the sequence number is safe only if we are guaranteed
//   that the produce request was not written"; the event sequences-reset names such batches).
//   Otherwise it fails (UnknownProducerIdException is an OutOfOrderSequenceException) and the id is
//   reset. Since KIP-360 (2.5's canRetry) the partition's epoch is bumped and the batch retried.
//
// Simplifications: a 0.11 client is modelled as 1.0's (0.11 retried no OUT_OF_ORDER_SEQUENCE_NUMBER
// at all, but allowed idempotence only with max.in.flight = 1, where a batch that is not the next
// sequence is rare; UNKNOWN_PRODUCER_ID from a broker upgraded to 1.0+, an unknown error code to a
// 0.11 client, is handled as 1.0 handles it). Producer ids are
// assigned deterministically (1000 + producer index + 1000 x ids given so far, a process start or
// a reset each taking one) instead of by InitProducerId, and at once (no request to a broker, no
// wait for its answer).

import type { ProducerBatch } from './producer-batch.ts';

/** The batches still queued in the accumulator, by partition of the producer's topic. */
interface QueuedBatches {
  readonly queues: readonly ProducerBatch[][];
}

export class TransactionManager {
  private id = -1;
  private epoch = 0;
  private producerIndex = 0;
  /** Producer ids handed out so far (InitProducerId answers: one per process start, one per reset). */
  private idsGiven = 0;
  /** Per partition: the producer epoch its sequences belong to (TxnPartitionEntry.producerIdAndEpoch). */
  private readonly partitionEpoch: Int32Array;
  private readonly nextSequence: Int32Array;
  /** Per partition: the highest sequence acknowledged under its epoch, -1 for none. */
  private readonly lastAckedSequence: Int32Array;
  /** Per partition: the last offset acknowledged under the current id, -1 for none (TransactionManager.lastAckedOffset). */
  private readonly lastAckedOffset: Float64Array;
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
    this.lastAckedOffset = new Float64Array(partitionCount).fill(-1);
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

  /** Stands in for InitProducerId at a start of the producer process: a new id, epoch 0. */
  initProducerIdAndEpoch(producerIndex: number): void {
    this.producerIndex = producerIndex;
    this.takeNewProducerId();
  }

  /** A new producer id, epoch 0, every partition's sequences from 0 and nothing unresolved. */
  private takeNewProducerId(): void {
    this.id = this.idempotent ? 1000 + this.producerIndex + 1000 * this.idsGiven++ : -1;
    this.epoch = 0;
    this.partitionEpoch.fill(0);
    this.nextSequence.fill(0);
    this.lastAckedSequence.fill(-1);
    this.lastAckedOffset.fill(-1);
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
    batch.producerId = this.id;
    batch.producerEpoch = this.epoch;
    this.nextSequence[tp] += batch.recordIds.length;
  }

  /**
   * A batch was acknowledged at baseOffset (-1: unknown) (handleCompletedBatch): it may raise the
   * partition's last acknowledged sequence and offset, if it is of the current id and epoch.
   */
  handleCompletedBatch(batch: ProducerBatch, baseOffset: number): void {
    const tp = batch.topicPartition;
    if (!this.isSequenced(batch) || batch.producerId !== this.id || batch.producerEpoch !== this.partitionEpoch[tp]) return;
    const lastSequence = batch.baseSequence + batch.recordIds.length - 1;
    if (lastSequence > this.lastAckedSequence[tp]) this.lastAckedSequence[tp] = lastSequence;
    const lastOffset = baseOffset + batch.recordIds.length - 1;
    if (baseOffset >= 0 && lastOffset > this.lastAckedOffset[tp]) this.lastAckedOffset[tp] = lastOffset;
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
   * UNKNOWN_PRODUCER_ID for a batch of the current id (canRetry, 1.0-2.4 and 2.5+): whether it is
   * retried. Before KIP-360, with the last acknowledged offset below the log start offset, the
   * partition's sequences restart at 0 under the same id: returns the batches re-sequenced (it among
   * them). False: it fails (the caller resets the id).
   */
  retryUnknownProducerId(batch: ProducerBatch, logStartOffset: number): boolean | ProducerBatch[] {
    const tp = batch.topicPartition;
    if (logStartOffset < 0 || batch.sequenceReset) return true;
    if (this.bumpsEpochOnSequenceGap) {
      this.requestEpochBumpForPartition(tp);
      return true;
    }
    if (this.lastAckedOffset[tp] >= logStartOffset) return false;
    return this.startSequencesAtBeginning(tp, batch);
  }

  /**
   * Before KIP-360, Sender.failBatch for an OutOfOrderSequenceException of the current id:
   * resetProducerId, then InitProducerId (here at once): a new id, every partition from sequence 0.
   */
  resetProducerId(): void {
    this.takeNewProducerId();
  }

  /** Whether the batch's sequence belongs to the producer id in use (hasProducerId). */
  isOfCurrentId(batch: ProducerBatch): boolean {
    return batch.producerId === this.id;
  }

  /**
   * A retriable error: before KIP-360 a batch of an older producer id is not retried but dropped
   * (1.0's Sender.completeBatch: "the producer id changed ... This batch will be dropped").
   */
  mayRetry(batch: ProducerBatch): boolean {
    return this.bumpsEpochOnSequenceGap || !this.isSequenced(batch) || batch.producerId === this.id;
  }

  /** A sequenced batch failed for good (expired, out of retries): its sequence is unresolved until the partition drains. */
  markSequenceUnresolved(batch: ProducerBatch): void {
    if (!this.isSequenced(batch) || batch.producerId !== this.id) return;
    const tp = batch.topicPartition;
    const next = batch.baseSequence + batch.recordIds.length;
    if (next > this.unresolvedNext[tp]) this.unresolvedNext[tp] = next;
    this.anyUnresolved = true;
  }

  /** A sequenced batch was refused for good by the broker: its partition's sequences restart under a new epoch. */
  handleFailedBatch(batch: ProducerBatch): void {
    if (this.isSequenced(batch) && batch.producerId === this.id) this.requestEpochBumpForPartition(batch.topicPartition);
  }

  /**
   * Before each drain (Sender.runOnce: maybeResolveSequences, then bumpIdempotentEpochAndResetIdIfNeeded).
   * Returns whether the epoch was bumped (before KIP-360: the id reset).
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
        // All drained: resolved if every sequence sent was acknowledged up to the next one, else bump
        // (before KIP-360, 1.0's maybeResolveSequences: reset the producer id).
        if (this.nextSequence[tp] - this.lastAckedSequence[tp] !== 1) {
          if (!this.bumpsEpochOnSequenceGap) {
            this.resetProducerId();
            return true;
          }
          this.requestEpochBumpForPartition(tp);
        }
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

  /**
   * TxnPartitionEntry.startSequencesAtBeginning: the partition's unfinished batches of the current
   * id (and `answered`, one whose response is being handled) re-sequenced from 0, in sequence
   * order, under the current epoch.
   */
  private startSequencesAtBeginning(tp: number, answered?: ProducerBatch): ProducerBatch[] {
    const unfinished = this.unfinishedSequenced(tp);
    if (answered !== undefined && !unfinished.includes(answered)) unfinished.push(answered);
    unfinished.sort((a, b) => a.baseSequence - b.baseSequence);
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
    return unfinished;
  }

  /** Whether a batch of the current id is in flight or queued with a sequence for the partition (an older id's no longer counts: resetProducerId forgets them). */
  private hasUnfinishedSequences(tp: number): boolean {
    for (const b of this.inFlight[tp]) if (b.producerId === this.id) return true;
    for (const b of this.accumulator.queues[tp]) if (b.baseSequence >= 0 && b.producerId === this.id) return true;
    return false;
  }

  private unfinishedSequenced(tp: number): ProducerBatch[] {
    const out = this.inFlight[tp].filter((b) => b.producerId === this.id);
    for (const b of this.accumulator.queues[tp]) if (b.baseSequence >= 0 && b.producerId === this.id) out.push(b);
    return out;
  }
}
