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

  it('sees an earlier sequence of the same epoch in flight or queued as unresolved', () => {
    const { tm, queues } = setUp();
    const [first, second, third] = [batchOf(1, 0, 1), batchOf(2, 0, 1), batchOf(3, 0, 1)];
    for (const b of [first, second, third]) tm.maybeAssignSequence(b);
    expect(tm.hasEarlierUnresolvedSequence(second, [first, second])).toBe(true);
    expect(tm.hasEarlierUnresolvedSequence(second, [second, third])).toBe(false);
    queues[0].push(first);
    expect(tm.hasEarlierUnresolvedSequence(third, [third])).toBe(true);
    expect(tm.hasEarlierUnresolvedSequence(first, [second, third])).toBe(false);
  });

  it('does not count a batch of an older epoch as ahead of one of the new epoch', () => {
    const { tm, ctx } = setUp();
    const old = batchOf(1, 0, 1); // still in flight under epoch 0 with sequence 0
    tm.maybeAssignSequence(old);
    tm.bumpIdempotentEpoch(ctx);
    const [next, after] = [batchOf(2, 0, 1), batchOf(3, 0, 1)];
    tm.maybeAssignSequence(next);
    tm.maybeAssignSequence(after);
    expect(tm.hasEarlierUnresolvedSequence(after, [old, after])).toBe(false);
    expect(tm.hasEarlierUnresolvedSequence(after, [old, next, after])).toBe(true);
  });
});
