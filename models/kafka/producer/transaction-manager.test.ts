// TransactionManager on its own (Kafka 2.5+, KIP-360): per-partition sequences given at first
// drain and kept on retry, a producer id per process start, OUT_OF_ORDER_SEQUENCE_NUMBER retried
// as canRetry retries it, unresolved sequences after a batch fails for good, and the epoch bump
// that restarts only the partitions that asked for it; and before KIP-360 (1.0-2.4): a new
// producer id on reset, UNKNOWN_PRODUCER_ID by the log start offset.

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
  tm.initProducerIdAndEpoch(2);
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
    tm.initProducerIdAndEpoch(2);
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
    tm.handleCompletedBatch(third, 0);
    answered(first);
    tm.retryOutOfOrderSequence(first);
    expect(tm.resolveSequencesAndBump()).toBe(false);
    expect([tm.producerEpoch, first.baseSequence]).toEqual([0, 0]);
  });

  it('bumps the epoch for the next sequence answered out of order, re-sequencing only that partition', () => {
    const { tm, queues, send, answered } = setUp();
    const acked = send(batchOf(1, 0, 3));
    answered(acked);
    tm.handleCompletedBatch(acked, 0);
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
    tm.handleCompletedBatch(other, 0);
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
    tm.handleCompletedBatch(acked, 0);
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

  it('before KIP-360 the next sequence answered out of order is not retried; a new producer id, old batches dropped', () => {
    // 1.0's TransactionManager.canRetry refuses it, Sender.failBatch resets the producer id
    // (InitProducerId: a new id, epoch 0), and Sender.completeBatch drops a batch of the old id
    // instead of retrying it; RecordAccumulator.drain never gives a sequenced batch the new id
    const { tm, queues, send, answered } = setUp(true, 2, false);
    const acked = send(batchOf(1, 0, 3));
    answered(acked);
    tm.handleCompletedBatch(acked, 0);
    const [next, after] = [send(batchOf(2, 0, 1)), send(batchOf(3, 0, 2))];
    const other = send(batchOf(4, 1, 2));
    answered(next);
    expect(tm.retryOutOfOrderSequence(next)).toBe(false);
    tm.resetProducerId();
    expect([tm.producerId, tm.producerEpoch]).toEqual([2002, 0]);
    // nothing is re-sequenced: the old batches keep their id and sequences and may no longer be retried
    expect([after.producerId, after.baseSequence, after.producerEpoch, after.sequenceReset]).toEqual([1002, 4, 0, false]);
    expect([tm.isOfCurrentId(after), tm.mayRetry(after), tm.mayRetry(other)]).toEqual([false, false, false]);
    expect(tm.resolveSequencesAndBump()).toBe(false);
    // the new id starts every partition at 0 at once, the old id's batches still in flight
    expect(tm.canSequenceNewBatch(0)).toBe(true);
    const fresh = batchOf(5, 0, 1);
    queues[0].push(fresh);
    tm.maybeAssignSequence(fresh);
    expect([fresh.producerId, fresh.baseSequence, fresh.producerEpoch, tm.mayRetry(fresh)]).toEqual([2002, 0, 0, true]);
    // an old batch acknowledged late does not count for the new id
    answered(after);
    tm.handleCompletedBatch(after, 10);
    const fresh2 = batchOf(6, 0, 1);
    tm.maybeAssignSequence(fresh2);
    expect(fresh2.baseSequence).toBe(1);
    // a batch that is not the next sequence still waits for the gap to fill, as since 0.11
    const { tm: waits, send: send2, answered: answered2 } = setUp(true, 2, false);
    const [, second] = [send2(batchOf(1, 0, 2)), send2(batchOf(2, 0, 2))];
    answered2(second);
    expect(waits.retryOutOfOrderSequence(second)).toBe(true);
  });

  it('before KIP-360 an unresolved partition that drains with a gap resets the producer id (maybeResolveSequences)', () => {
    const { tm, send, answered } = setUp(true, 2, false);
    const lost = send(batchOf(1, 0, 2));
    answered(lost);
    tm.markSequenceUnresolved(lost);
    expect(tm.resolveSequencesAndBump()).toBe(true);
    expect([tm.producerId, tm.producerEpoch, tm.canSequenceNewBatch(0)]).toEqual([2002, 0, true]);
  });

  it('UNKNOWN_PRODUCER_ID before KIP-360: fails unless the log start passed the last acknowledged offset, then restarts the sequences under the same id', () => {
    // 1.0-2.4 TransactionManager.canRetry
    const { tm, queues, send, answered } = setUp(true, 2, false);
    const acked = send(batchOf(1, 0, 2));
    answered(acked);
    tm.handleCompletedBatch(acked, 40); // offsets 40-41
    const [b, c] = [send(batchOf(2, 0, 2)), send(batchOf(3, 0, 1))];
    answered(b);
    expect(tm.retryUnknownProducerId(b, -1)).toBe(true); // no log start offset: retried as it is
    expect(tm.retryUnknownProducerId(b, 41)).toBe(false); // 41 <= last acked 41: fails (the caller resets the id)
    expect(b.baseSequence).toBe(2);
    const reset = tm.retryUnknownProducerId(b, 42);
    expect(reset).toEqual([b, c]); // b (being answered) and c (in flight) from 0, same id and epoch
    expect([b.baseSequence, c.baseSequence, b.producerId, b.producerEpoch, b.sequenceReset]).toEqual([0, 2, 1002, 0, true]);
    queues[0].push(b);
    expect(tm.retryUnknownProducerId(c, 42)).toBe(true); // reset already: retried as it is
    const fresh = batchOf(4, 0, 1);
    tm.maybeAssignSequence(fresh);
    expect(fresh.baseSequence).toBe(3);
    // nothing acknowledged yet on partition 1: -1 is below any log start offset
    const first = send(batchOf(5, 1, 1));
    answered(first);
    expect(Array.isArray(tm.retryUnknownProducerId(first, 0))).toBe(true);
  });

  it('UNKNOWN_PRODUCER_ID since KIP-360 bumps the partition’s epoch and retries (2.5 canRetry)', () => {
    const { tm, queues, send, answered } = setUp();
    const acked = send(batchOf(1, 0, 2));
    answered(acked);
    tm.handleCompletedBatch(acked, 40);
    const b = send(batchOf(2, 0, 2));
    answered(b);
    queues[0].push(b);
    expect(tm.retryUnknownProducerId(b, 0)).toBe(true);
    expect(tm.resolveSequencesAndBump()).toBe(true);
    expect([b.baseSequence, b.producerEpoch, tm.producerId]).toEqual([0, 1, 1002]);
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
