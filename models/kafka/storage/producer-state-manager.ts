// Broker-side idempotence state of one partition replica (Kafka's ProducerStateManager): per
// producer id the producer epoch and the last 5 batches (first/last sequence, base offset), used to
// drop duplicate retries (answering with the original offset) and to reject gaps with
// OUT_OF_ORDER_SEQUENCE_NUMBER. Followers maintain it too, so a new leader deduplicates. After a
// restart or truncation it is rebuilt from the log, as Kafka rebuilds it from log and snapshots.
// A producer id not written for producer.id.expiration.ms is forgotten at the broker's next
// expiration check (KIP-854; ProducerStateManager.removeExpiredProducers), so a retry after that
// is no longer recognised as a duplicate.
//
// Before KAFKA-7190 (Kafka 1.0-2.3) a producer whose records retention or DeleteRecords removed is
// forgotten as the log start offset passes its last batch (truncateHead); since 2.4 its state stays.
//
// Simplification: a rebuild from the log (restart, truncation) keeps producers that expired
// before it until the next expiration check (Kafka also prunes them while loading).
//
// A producer id the replica has no state for: since KIP-360 (2.5; ProducerStateManager /
// ProducerAppendInfo.checkSequence) its batch is accepted at any sequence ("all producer records
// have been deleted due to retention or the DeleteRecords API"); before, only from sequence 0:
// SEQ_UNKNOWN_PRODUCER, answered UNKNOWN_PRODUCER_ID with the log start offset by a 1.0-2.4 broker
// (checkSequence's UnknownProducerIdException, KAFKA-5793), OUT_OF_ORDER_SEQUENCE_NUMBER by a 0.11
// one (0.11's validateAppend knows no such case).

import { INVALID_PRODUCER_EPOCH, OUT_OF_ORDER_SEQUENCE_NUMBER, UNKNOWN_PRODUCER_ID } from '../messages.ts';
import type { LogRecord, LogRecordStore } from './log-record-store.ts';
import type { PartitionLog } from './partition-log.ts';

/** Kafka keeps the metadata of the last 5 batches per producer (ProducerStateEntry). */
export const BATCHES_KEPT = 5;

interface BatchMeta {
  firstSeq: number;
  lastSeq: number;
  baseOffset: number;
  leaderEpoch: number;
}

interface ProducerEntry {
  producerEpoch: number;
  batches: BatchMeta[];
  /** When it last wrote (µs; its last batch's append time): what expiration measures from. */
  lastTimestampUs: number;
}

export const SEQ_OK = 0;
export const SEQ_DUPLICATE = 1;
export const SEQ_OUT_OF_ORDER = 2;
export const SEQ_INVALID_EPOCH = 3;
/** No state for the producer id and a first sequence above 0, before KIP-360 (from 1.0). */
export const SEQ_UNKNOWN_PRODUCER = 4;

export class ProducerStateManager {
  private readonly entries = new Map<number, ProducerEntry>();
  /** Set by check() on SEQ_DUPLICATE: where the original batch was written. */
  duplicateBaseOffset = -1;
  duplicateLeaderEpoch = -1;

  /**
   * @param acceptsUnknownProducerAnySequence KIP-360 (version/protocol-features.ts);
   * @param answersUnknownProducerId Kafka 1.0+ (KAFKA-5793); 0.11 answered OUT_OF_ORDER_SEQUENCE_NUMBER.
   * The broker sets both again when it restarts on other software.
   */
  constructor(
    public acceptsUnknownProducerAnySequence = true,
    public answersUnknownProducerId = true,
  ) {}

  /** The error a produce of a batch check() refused is answered with. */
  errorOf(check: number): string {
    return check === SEQ_INVALID_EPOCH ? INVALID_PRODUCER_EPOCH : check === SEQ_UNKNOWN_PRODUCER ? UNKNOWN_PRODUCER_ID : OUT_OF_ORDER_SEQUENCE_NUMBER;
  }

  /** Whether the replica has state for the producer id. */
  knows(producerId: number): boolean {
    return this.entries.has(producerId);
  }

  check(producerId: number, producerEpoch: number, firstSeq: number, lastSeq: number): number {
    const e = this.entries.get(producerId);
    if (!e) return firstSeq === 0 || this.acceptsUnknownProducerAnySequence ? SEQ_OK : this.answersUnknownProducerId ? SEQ_UNKNOWN_PRODUCER : SEQ_OUT_OF_ORDER;
    if (producerEpoch < e.producerEpoch) return SEQ_INVALID_EPOCH;
    if (producerEpoch > e.producerEpoch) return firstSeq === 0 ? SEQ_OK : SEQ_OUT_OF_ORDER;
    const bs = e.batches;
    for (let i = 0; i < bs.length; i++) {
      if (bs[i].firstSeq === firstSeq && bs[i].lastSeq === lastSeq) {
        this.duplicateBaseOffset = bs[i].baseOffset;
        this.duplicateLeaderEpoch = bs[i].leaderEpoch;
        return SEQ_DUPLICATE;
      }
    }
    const last = bs.length === 0 ? -1 : bs[bs.length - 1].lastSeq;
    return firstSeq === last + 1 ? SEQ_OK : SEQ_OUT_OF_ORDER;
  }

  update(producerId: number, producerEpoch: number, firstSeq: number, lastSeq: number, baseOffset: number, leaderEpoch: number, timestampUs = 0): void {
    let e = this.entries.get(producerId);
    if (!e) this.entries.set(producerId, (e = { producerEpoch, batches: [], lastTimestampUs: timestampUs }));
    if (timestampUs > e.lastTimestampUs) e.lastTimestampUs = timestampUs;
    if (producerEpoch !== e.producerEpoch) {
      e.producerEpoch = producerEpoch;
      e.batches.length = 0;
    }
    const bs = e.batches;
    if (bs.length < BATCHES_KEPT) bs.push({ firstSeq, lastSeq, baseOffset, leaderEpoch });
    else {
      // the oldest of the last BATCHES_KEPT leaves; its object is reused for the new one (check() only reads them)
      const b = bs.shift()!;
      b.firstSeq = firstSeq;
      b.lastSeq = lastSeq;
      b.baseOffset = baseOffset;
      b.leaderEpoch = leaderEpoch;
      bs.push(b);
    }
  }

  /**
   * Kafka 1.0-2.3's truncateHead (isProducerRetained: removeBatchesOlderThan, then lastDataOffset >=
   * logStartOffset): batches wholly below the log start offset are dropped, and a producer left
   * with none is forgotten. KAFKA-7190 (2.4) keeps the state until the id expires.
   */
  truncateHead(logStartOffset: number): void {
    for (const [id, e] of this.entries) {
      const bs = e.batches;
      let kept = 0;
      while (kept < bs.length && bs[kept].baseOffset + bs[kept].lastSeq - bs[kept].firstSeq < logStartOffset) kept++;
      if (kept === bs.length) this.entries.delete(id);
      else if (kept > 0) bs.splice(0, kept);
    }
  }

  /** Records a batch read from a log (follower append, rebuild). */
  updateFromRecord(rec: LogRecord, offset: number): void {
    if (rec.producerId < 0 || rec.batchSize === 0) return;
    this.update(rec.producerId, rec.producerEpoch, rec.sequence, rec.sequence + rec.batchSize - 1, offset, rec.epoch, rec.appendUs);
  }

  /** KIP-854: forgets every producer id that has not written for expirationUs; returns how many. */
  removeExpiredProducers(nowUs: number, expirationUs: number): number {
    let removed = 0;
    for (const [id, e] of this.entries)
      if (nowUs - e.lastTimestampUs >= expirationUs) {
        this.entries.delete(id);
        removed++;
      }
    return removed;
  }

  /** Records the batch of the stored record `ref` at `offset` (follower append, rebuild). */
  updateFromStored(store: LogRecordStore, ref: number, offset: number): void {
    const producerId = store.producerId(ref);
    const batchSize = store.batchSize(ref);
    if (producerId < 0 || batchSize === 0) return;
    // as updateFromRecord(store.record(ref)), without a record object per batch (every follower append)
    const sequence = store.sequence(ref);
    this.update(producerId, store.producerEpoch(ref), sequence, sequence + batchSize - 1, offset, store.epoch(ref), store.appendUs(ref));
  }

  /** Rebuilds the table from the log (process start, truncation). */
  rebuild(log: PartitionLog): void {
    this.entries.clear();
    for (let i = 0; i < log.logEndOffset; i++) this.updateFromStored(log.store, log.refAt(i), i);
  }
}
