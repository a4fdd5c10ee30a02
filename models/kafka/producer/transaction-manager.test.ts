// TransactionManager on its own: per-partition sequences given at first drain and kept on retry,
// a producer id per process start, and the KIP-360 epoch bump that restarts sequences and fails
// (outcome unknown) the queued batches that may already be in the log.

import { describe, expect, it } from 'vitest';
import { UNRESOLVED_SEQUENCE } from '../messages.ts';
import { RecordingContext } from '../testing/recording-context.ts';
import { ProducerBatch } from './producer-batch.ts';
import { TransactionManager } from './transaction-manager.ts';

function batchOf(id: number, tp: number, records: number): ProducerBatch {
  const b = new ProducerBatch(id, tp, 0, 1_000_000);
  for (let r = 0; r < records; r++) b.recordIds.push(id * 100 + r);
  return b;
}

function setUp(idempotent = true, partitions = 2) {
  const queues: ProducerBatch[][] = Array.from({ length: partitions }, () => []);
  const failed: { batch: number; error: string }[] = [];
  const tm = new TransactionManager(idempotent, partitions, { queues }, { failBatch: (_ctx, batch, error) => failed.push({ batch: batch.id, error }) });
  tm.initProducerIdAndEpoch(2, 0);
  return { tm, queues, failed, ctx: new RecordingContext() };
}

describe('TransactionManager', () => {
  it('numbers each partition’s records from 0, a batch at a time', () => {
    const { tm } = setUp();
    const [a, b, c] = [batchOf(1, 0, 3), batchOf(2, 0, 2), batchOf(3, 1, 4)];
    for (const x of [a, b, c]) tm.maybeAssignSequence(x);
    expect([a.baseSequence, b.baseSequence, c.baseSequence]).toEqual([0, 3, 0]);
    expect([a.producerEpoch, b.producerEpoch, c.producerEpoch]).toEqual([0, 0, 0]);
    tm.maybeAssignSequence(a); // a retry keeps its sequence
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
  });

  it('bumps the epoch: sequences restart, unsent batches are re-sequenced, maybe-written ones fail', () => {
    const { tm, queues, failed, ctx } = setUp();
    const lost = batchOf(1, 0, 2);
    tm.maybeAssignSequence(lost);
    const timedOut = batchOf(2, 0, 2);
    tm.maybeAssignSequence(timedOut);
    timedOut.maybeAppended = true;
    const retried = batchOf(3, 1, 1);
    tm.maybeAssignSequence(retried);
    const fresh = batchOf(4, 1, 1);
    queues[0].push(timedOut);
    queues[1].push(retried, fresh);

    tm.bumpEpochIfSequenced(ctx, lost);

    expect(tm.producerEpoch).toBe(1);
    expect(failed).toEqual([{ batch: 2, error: UNRESOLVED_SEQUENCE }]);
    expect(queues.map((q) => q.map((b) => b.id))).toEqual([[], [3, 4]]);
    expect(retried.baseSequence).toBe(-1);
    expect(tm.hasStaleProducerEpoch(retried)).toBe(true);
    tm.maybeAssignSequence(retried);
    expect([retried.baseSequence, retried.producerEpoch]).toEqual([0, 1]);
  });

  it('does not bump for a batch that never got a sequence', () => {
    const { tm, ctx } = setUp();
    tm.bumpEpochIfSequenced(ctx, batchOf(1, 0, 1));
    expect(tm.producerEpoch).toBe(0);
  });

  it('retries OUT_OF_ORDER_SEQUENCE_NUMBER as it is when the batch is not the next sequence (TransactionManager.canRetry)', () => {
    const { tm, ctx } = setUp();
    const [first, second, third] = [batchOf(1, 0, 2), batchOf(2, 0, 2), batchOf(3, 0, 2)];
    for (const b of [first, second, third]) tm.maybeAssignSequence(b);
    // second is answered out of order while first has not been acknowledged: a gap to wait for
    tm.retryOutOfOrderSequence(ctx, second);
    expect([tm.producerEpoch, second.baseSequence]).toEqual([0, 2]);
    // third was acknowledged by a leader with no state for us; first comes back out of order:
    // it is not the next sequence (4 were acknowledged up to 5), so no bump: it waits, as in Kafka
    tm.handleCompletedBatch(third);
    tm.retryOutOfOrderSequence(ctx, first);
    expect([tm.producerEpoch, first.baseSequence]).toEqual([0, 0]);
  });

  it('bumps the epoch when the next sequence itself is answered out of order: the broker lost our state', () => {
    const { tm, queues, ctx } = setUp();
    const [acked, next] = [batchOf(1, 0, 3), batchOf(2, 0, 1)];
    for (const b of [acked, next]) tm.maybeAssignSequence(b);
    tm.handleCompletedBatch(acked);
    queues[0].push(next);
    tm.retryOutOfOrderSequence(ctx, next);
    expect(tm.producerEpoch).toBe(1);
    expect(tm.hasStaleProducerEpoch(next)).toBe(true);
    tm.maybeAssignSequence(next);
    expect([next.baseSequence, next.producerEpoch]).toEqual([0, 1]);
    // the first batch of a partition nothing was acknowledged on is the next sequence too
    const { tm: fresh, ctx: freshCtx } = setUp();
    const only = batchOf(1, 1, 2);
    fresh.maybeAssignSequence(only);
    fresh.retryOutOfOrderSequence(freshCtx, only);
    expect(fresh.producerEpoch).toBe(1);
  });

  it('does not bump for an answer to an attempt sequenced under an older epoch', () => {
    const { tm, ctx } = setUp();
    const old = batchOf(1, 0, 1);
    tm.maybeAssignSequence(old);
    tm.bumpIdempotentEpoch(ctx);
    tm.retryOutOfOrderSequence(ctx, old);
    expect(tm.producerEpoch).toBe(1);
    // an acknowledgement of the older epoch does not count towards the new one's sequences
    tm.handleCompletedBatch(old);
    const next = batchOf(2, 0, 1);
    tm.maybeAssignSequence(next);
    tm.retryOutOfOrderSequence(ctx, next);
    expect(tm.producerEpoch).toBe(2);
  });
});
