import { describe, expect, it } from 'vitest';
import type { LogRecord } from './log-record-store.ts';
import { PartitionLog } from './partition-log.ts';
import { BATCHES_KEPT, ProducerStateManager, SEQ_DUPLICATE, SEQ_INVALID_EPOCH, SEQ_OK, SEQ_OUT_OF_ORDER, SEQ_UNKNOWN_PRODUCER } from './producer-state-manager.ts';

/** The records of one idempotent batch, as a leader writes them. */
function batch(firstId: number, pid: number, pepoch: number, firstSeq: number, n: number, epoch = 0): LogRecord[] {
  return Array.from({ length: n }, (_, j) => ({
    id: firstId + j,
    epoch,
    producerId: pid,
    producerEpoch: pepoch,
    sequence: firstSeq + j,
    batchSize: j === 0 ? n : 0,
    appendUs: 0,
  }));
}

/** A log holding `records` at offsets 0.. */
function logOf(records: readonly LogRecord[]): PartitionLog {
  const log = new PartitionLog();
  for (const r of records) log.appendAsLeader(r);
  return log;
}

describe('ProducerStateManager', () => {
  it('accepts a producer it has no state for at any sequence since KIP-360 (2.5), only from sequence 0 before', () => {
    const ps = new ProducerStateManager();
    expect(ps.check(7, 0, 3, 4)).toBe(SEQ_OK);
    const before = new ProducerStateManager(false);
    expect(before.check(7, 0, 3, 4)).toBe(SEQ_UNKNOWN_PRODUCER);
    expect(before.check(7, 0, 0, 1)).toBe(SEQ_OK);
    // A known producer with a newer epoch still starts from 0 in both.
    ps.update(7, 0, 0, 2, 10, 4);
    expect(ps.check(7, 1, 3, 4)).toBe(SEQ_OUT_OF_ORDER);
  });

  it('accepts the next sequence, rejects gaps, and answers a retried batch with its original offset', () => {
    const ps = new ProducerStateManager();
    ps.update(7, 0, 0, 2, 10, 4);
    expect(ps.check(7, 0, 3, 5)).toBe(SEQ_OK);
    expect(ps.check(7, 0, 4, 5)).toBe(SEQ_OUT_OF_ORDER);
    expect(ps.check(7, 0, 0, 2)).toBe(SEQ_DUPLICATE);
    expect([ps.duplicateBaseOffset, ps.duplicateLeaderEpoch]).toEqual([10, 4]);
  });

  it('fences an older producer epoch and restarts sequences for a newer one', () => {
    const ps = new ProducerStateManager();
    ps.update(7, 1, 0, 0, 0, 0);
    expect(ps.check(7, 0, 1, 1)).toBe(SEQ_INVALID_EPOCH);
    expect(ps.check(7, 2, 1, 1)).toBe(SEQ_OUT_OF_ORDER);
    expect(ps.check(7, 2, 0, 0)).toBe(SEQ_OK);
    ps.update(7, 2, 0, 0, 1, 0);
    // The bump forgot epoch 1's batches: its sequence 0 is now epoch 2's duplicate.
    expect(ps.check(7, 2, 0, 0)).toBe(SEQ_DUPLICATE);
    expect(ps.duplicateBaseOffset).toBe(1);
  });

  it('truncateHead (Kafka 1.0-2.3, before KAFKA-7190): drops batches below the log start offset, and a producer left with none', () => {
    const ps = new ProducerStateManager(false);
    ps.update(7, 0, 0, 2, 10, 0); // offsets 10-12
    ps.update(7, 0, 3, 4, 20, 0); // offsets 20-21
    ps.update(8, 0, 0, 0, 15, 0); // offset 15
    ps.truncateHead(13);
    expect([ps.knows(7), ps.knows(8)]).toEqual([true, true]);
    expect(ps.check(7, 0, 0, 2)).toBe(SEQ_OUT_OF_ORDER); // its batch below 13 is gone: no longer a duplicate
    expect(ps.check(7, 0, 3, 4)).toBe(SEQ_DUPLICATE);
    ps.truncateHead(16);
    expect([ps.knows(7), ps.knows(8)]).toEqual([true, false]);
    expect(ps.check(8, 0, 1, 1)).toBe(SEQ_UNKNOWN_PRODUCER);
    ps.truncateHead(22);
    expect(ps.knows(7)).toBe(false);
  });

  it(`remembers only the last ${BATCHES_KEPT} batches per producer`, () => {
    const ps = new ProducerStateManager();
    for (let s = 0; s <= BATCHES_KEPT; s++) ps.update(7, 0, s, s, s, 0);
    expect(ps.check(7, 0, 1, 1)).toBe(SEQ_DUPLICATE);
    expect(ps.check(7, 0, 0, 0)).toBe(SEQ_OUT_OF_ORDER);
  });

  it('keeps each of the last batches with its own offset and epoch as older ones leave (their entries are reused)', () => {
    const ps = new ProducerStateManager();
    const n = 3 * BATCHES_KEPT;
    for (let s = 0; s < n; s++) ps.update(7, 0, 2 * s, 2 * s + 1, 100 + s, s % 4);
    for (let s = n - BATCHES_KEPT; s < n; s++) {
      expect(ps.check(7, 0, 2 * s, 2 * s + 1)).toBe(SEQ_DUPLICATE);
      expect([ps.duplicateBaseOffset, ps.duplicateLeaderEpoch]).toEqual([100 + s, s % 4]);
    }
    expect(ps.check(7, 0, 2 * (n - BATCHES_KEPT - 1), 2 * (n - BATCHES_KEPT - 1) + 1)).toBe(SEQ_OUT_OF_ORDER);
    expect(ps.check(7, 0, 2 * n, 2 * n)).toBe(SEQ_OK);
  });

  it('rebuilds from the log: batches by their first record, non-idempotent records ignored', () => {
    const plain: LogRecord = { id: 99, epoch: 0, producerId: -1, producerEpoch: -1, sequence: -1, batchSize: 1, appendUs: 0 };
    const log = [...batch(0, 7, 0, 0, 3), plain, ...batch(4, 7, 0, 3, 2, 1), ...batch(6, 8, 0, 0, 1, 1)];
    const ps = new ProducerStateManager(false); // before KIP-360, so dropped state shows
    ps.update(9, 0, 0, 0, 0, 0); // state the log does not hold is dropped
    ps.rebuild(logOf(log));
    expect(ps.check(7, 0, 3, 4)).toBe(SEQ_DUPLICATE);
    expect([ps.duplicateBaseOffset, ps.duplicateLeaderEpoch]).toEqual([4, 1]);
    expect(ps.check(7, 0, 5, 5)).toBe(SEQ_OK);
    expect(ps.check(8, 0, 1, 1)).toBe(SEQ_OK);
    expect(ps.check(9, 0, 1, 1)).toBe(SEQ_UNKNOWN_PRODUCER);
  });

  it('KIP-854: forgets a producer id idle for producer.id.expiration.ms, so its retry is no longer a duplicate; a producer still writing stays', () => {
    const ps = new ProducerStateManager();
    ps.update(7, 0, 0, 2, 10, 0, 1_000_000); // idle since 1 s
    ps.update(8, 0, 0, 0, 13, 0, 1_000_000);
    ps.update(8, 0, 1, 1, 14, 0, 5_500_000); // wrote again at 5.5 s
    expect(ps.removeExpiredProducers(5_999_999, 5_000_000)).toBe(0);
    expect(ps.removeExpiredProducers(6_000_000, 5_000_000)).toBe(1);
    expect(ps.check(7, 0, 0, 2)).toBe(SEQ_OK); // the retry of offsets 10..12 would be written again
    expect(ps.check(8, 0, 1, 1)).toBe(SEQ_DUPLICATE);
  });

  it('a rebuilt table takes each producer\'s last append time from its records', () => {
    const ps = new ProducerStateManager();
    ps.rebuild(logOf([...batch(0, 7, 0, 0, 2).map((r) => ({ ...r, appendUs: 2_000_000 })), ...batch(2, 8, 0, 0, 1).map((r) => ({ ...r, appendUs: 9_000_000 }))]));
    expect(ps.removeExpiredProducers(10_000_000, 5_000_000)).toBe(1);
    expect(ps.check(8, 0, 0, 0)).toBe(SEQ_DUPLICATE);
  });
});
