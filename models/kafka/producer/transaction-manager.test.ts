// TransactionManager on its own (Kafka 2.5+, KIP-360): per-partition sequences given at first
// drain and kept on retry, a producer id per process start, OUT_OF_ORDER_SEQUENCE_NUMBER retried
// as canRetry retries it, unresolved sequences after a batch fails for good, and the epoch bump
// that restarts only the partitions that asked for it.

import { describe, expect, it } from 'vitest';
import { ProducerBatch } from './producer-batch.ts';
import { TransactionManager } from './transaction-manager.ts';

function batchOf(id: number, tp: number, records: number): ProducerBatch {
  const b = new ProducerBatch(id, tp, 0, 1_000_000);
  for (let r = 0; r < records; r++) b.recordIds.push(id * 100 + r);
  return b;
}

function setUp(idempotent = true, partitions = 2, kip360 = true) {
  const queues: ProducerBatch[][] = Array.from({ length: partitions }, () => []);
  const inFlight: ProducerBatch[][] = Array.from({ length: partitions }, () => []);
  const tm = new TransactionManager(idempotent, kip360, partitions, { queues }, inFlight);
  tm.initProducerIdAndEpoch(2, 0);
  /** Drains b: sequenced and in flight. */
  const send = (b: ProducerBatch) => {
    tm.maybeAssignSequence(b);
    inFlight[b.topicPartition].push(b);
    return b;
  };
  /** Its response: no longer in flight. */
  const answered = (b: ProducerBatch) => inFlight[b.topicPartition].splice(inFlight[b.topicPartition].indexOf(b), 1);
  return { tm, queues, inFlight, send, answered };
}

describe('TransactionManager', () => {
  it('numbers each partition’s records from 0, a batch at a time, and keeps a retry’s sequence', () => {
    const { tm } = setUp();
    const [a, b, c] = [batchOf(1, 0, 3), batchOf(2, 0, 2), batchOf(3, 1, 4)];
    for (const x of [a, b, c]) tm.maybeAssignSequence(x);
    expect([a.baseSequence, b.baseSequence, c.baseSequence]).toEqual([0, 3, 0]);
    expect([a.producerEpoch, b.producerEpoch, c.producerEpoch]).toEqual([0, 0, 0]);
    tm.maybeAssignSequence(a);
    expect(a.baseSequence).toBe(0);
    const d = batchOf(4, 0, 1);
    tm.maybeAssignSequence(d);
    expect(d.baseSequence).toBe(5);
  });

  it('gives a new producer id at every start and none without idempotence', () => {
    const { tm } = setUp();
    expect(tm.producerId).toBe(1002);
    tm.initProducerIdAndEpoch(2, 1);
    expect(tm.producerId).toBe(2002);
    const plain = setUp(false).tm;
    expect(plain.producerId).toBe(-1);
    const batch = batchOf(1, 0, 2);
    plain.maybeAssignSequence(batch);
    expect(batch.baseSequence).toBe(-1);
    expect(plain.isSequenced(batch)).toBe(false);
    expect(plain.canSequenceNewBatch(0)).toBe(true);
  });

  it('retries OUT_OF_ORDER_SEQUENCE_NUMBER as it is when the batch is not the next sequence (canRetry)', () => {
    const { tm, send, answered } = setUp();
    const [first, second, third] = [send(batchOf(1, 0, 2)), send(batchOf(2, 0, 2)), send(batchOf(3, 0, 2))];
    answered(second);
    tm.retryOutOfOrderSequence(second); // first not acknowledged yet: a gap to wait for
    expect(tm.resolveSequencesAndBump()).toBe(false);
    // third was acknowledged by a leader with no state for us; first comes back out of order:
    // not the next sequence (acknowledged up to 5), so no bump: it waits, as in Kafka
    answered(third);
    tm.handleCompletedBatch(third);
    answered(first);
    tm.retryOutOfOrderSequence(first);
    expect(tm.resolveSequencesAndBump()).toBe(false);
    expect([tm.producerEpoch, first.baseSequence]).toEqual([0, 0]);
  });

  it('bumps the epoch for the next sequence answered out of order, re-sequencing only that partition', () => {
    const { tm, queues, send, answered } = setUp();
    const acked = send(batchOf(1, 0, 3));
    answered(acked);
    tm.handleCompletedBatch(acked);
    const [next, after] = [send(batchOf(2, 0, 1)), send(batchOf(3, 0, 2))];
    const other = send(batchOf(4, 1, 2)); // partition 1, in flight under epoch 0
    answered(next);
    queues[0].push(next);
    tm.retryOutOfOrderSequence(next);
    expect(tm.resolveSequencesAndBump()).toBe(true);
    expect(tm.producerEpoch).toBe(1);
    // partition 0's unfinished batches restart at 0 under epoch 1, in sequence order
    expect([next.baseSequence, next.producerEpoch, next.sequenceReset]).toEqual([0, 1, true]);
    expect([after.baseSequence, after.producerEpoch]).toEqual([1, 1]);
    const fresh0 = batchOf(5, 0, 1);
    tm.maybeAssignSequence(fresh0);
    expect(fresh0.baseSequence).toBe(3);
    // partition 1 keeps epoch 0 while its batch is in flight: no new batch meanwhile, then from 0
    expect([other.baseSequence, other.producerEpoch]).toEqual([0, 0]);
    expect(tm.canSequenceNewBatch(1)).toBe(false);
    answered(other);
    tm.handleCompletedBatch(other);
    expect(tm.canSequenceNewBatch(1)).toBe(true);
    const fresh1 = batchOf(6, 1, 1);
    tm.maybeAssignSequence(fresh1);
    expect([fresh1.baseSequence, fresh1.producerEpoch]).toEqual([0, 1]);
  });

  it('a sequence reset since the last drain is retried without another bump', () => {
    const { tm, queues, send, answered } = setUp();
    const b = send(batchOf(1, 0, 2));
    answered(b);
    queues[0].push(b); // re-enqueued for its retry
    tm.retryOutOfOrderSequence(b); // the next sequence: bump
    tm.resolveSequencesAndBump();
    expect(b.sequenceReset).toBe(true);
    // (not yet drained again) an answer to the old attempt comes back out of order: no second bump
    tm.retryOutOfOrderSequence(b);
    expect(tm.resolveSequencesAndBump()).toBe(false);
    tm.maybeAssignSequence(b); // drained: the flag clears
    expect(b.sequenceReset).toBe(false);
  });

  it('a batch that fails for good leaves its sequence unresolved until the partition drains, then bumps if there is a gap', () => {
    const { tm, queues, send, answered } = setUp();
    const [lost, retried] = [send(batchOf(1, 0, 2)), send(batchOf(2, 0, 2))];
    answered(lost);
    tm.markSequenceUnresolved(lost); // expired
    expect(tm.canSequenceNewBatch(0)).toBe(false);
    expect(tm.resolveSequencesAndBump()).toBe(false); // retried still unfinished
    answered(retried);
    queues[0].push(retried); // retried with its own sequence: never re-sequenced while unresolved
    expect(tm.resolveSequencesAndBump()).toBe(false);
    expect(retried.baseSequence).toBe(2);
    queues[0].length = 0; // it expires too
    tm.markSequenceUnresolved(retried);
    expect(tm.resolveSequencesAndBump()).toBe(true); // nothing acknowledged: a gap, so a new epoch
    expect(tm.canSequenceNewBatch(0)).toBe(true);
    const next = batchOf(3, 0, 1);
    tm.maybeAssignSequence(next);
    expect([next.baseSequence, next.producerEpoch]).toEqual([0, 1]);
  });

  it('resolves without a bump when a later batch was acknowledged up to the last sequence sent', () => {
    const { tm, send, answered } = setUp();
    const [expired, acked] = [send(batchOf(1, 0, 2)), send(batchOf(2, 0, 2))];
    answered(expired);
    tm.markSequenceUnresolved(expired);
    answered(acked);
    tm.handleCompletedBatch(acked);
    expect(tm.resolveSequencesAndBump()).toBe(false);
    expect(tm.canSequenceNewBatch(0)).toBe(true);
    const next = batchOf(3, 0, 1);
    tm.maybeAssignSequence(next);
    expect([next.baseSequence, next.producerEpoch]).toEqual([4, 0]);
  });

  it('a batch refused for good bumps its partition; one never sequenced does not', () => {
    const { tm, send, answered } = setUp();
    tm.handleFailedBatch(batchOf(1, 0, 1));
    expect(tm.resolveSequencesAndBump()).toBe(false);
    const b = send(batchOf(2, 1, 1));
    answered(b);
    tm.handleFailedBatch(b);
    expect(tm.resolveSequencesAndBump()).toBe(true);
  });

  it('before KIP-360 the next sequence answered out of order is not retried; the id is reset and old batches are dropped', () => {
    // 1.0's TransactionManager.canRetry refuses it, Sender.failBatch resets the producer id, and
    // Sender.completeBatch drops a batch of the old id instead of retrying it under the new one
    const { tm, queues, send, answered } = setUp(true, 2, false);
    const acked = send(batchOf(1, 0, 3));
    answered(acked);
    tm.handleCompletedBatch(acked);
    const [next, after] = [send(batchOf(2, 0, 1)), send(batchOf(3, 0, 2))];
    const other = send(batchOf(4, 1, 2));
    answered(next);
    expect(tm.retryOutOfOrderSequence(next)).toBe(false);
    tm.resetProducerId();
    expect(tm.producerEpoch).toBe(1);
    // nothing is re-sequenced: the old batches keep their sequences and may no longer be retried
    expect([after.baseSequence, after.producerEpoch, after.sequenceReset]).toEqual([4, 0, false]);
    expect([tm.mayRetry(after), tm.mayRetry(other)]).toEqual([false, false]);
    expect(tm.resolveSequencesAndBump()).toBe(false);
    expect(tm.canSequenceNewBatch(0)).toBe(false); // after is still in flight
    answered(after);
    answered(other);
    const fresh = batchOf(5, 0, 1);
    queues[0].push(fresh);
    expect(tm.canSequenceNewBatch(0)).toBe(true);
    tm.maybeAssignSequence(fresh);
    expect([fresh.baseSequence, fresh.producerEpoch, tm.mayRetry(fresh)]).toEqual([0, 1, true]);
    // a batch that is not the next sequence still waits for the gap to fill, as since 0.11
    const { tm: waits, send: send2, answered: answered2 } = setUp(true, 2, false);
    const [, second] = [send2(batchOf(1, 0, 2)), send2(batchOf(2, 0, 2))];
    answered2(second);
    expect(waits.retryOutOfOrderSequence(second)).toBe(true);
  });

  it('since KIP-360 a batch is always retried, under the bumped epoch (no batch of an older epoch is dropped)', () => {
    const { tm, send, answered } = setUp();
    const next = send(batchOf(1, 0, 1));
    const other = send(batchOf(2, 1, 1));
    answered(next);
    expect(tm.retryOutOfOrderSequence(next)).toBe(true);
    expect(tm.resolveSequencesAndBump()).toBe(true);
    expect([tm.mayRetry(next), tm.mayRetry(other)]).toEqual([true, true]);
  });
});
