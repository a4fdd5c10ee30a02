// RecordAccumulator on its own: records batch per partition up to batch.size (in records), a new
// batch waits linger.ms unless it is full or another waits behind it, a retry waits for its
// backoff, and reenqueue puts a sequenced batch back in sequence order.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProducerBatch } from './producer-batch.ts';
import { RecordAccumulator } from './record-accumulator.ts';

const LINGER_US = 5000;
const DELIVERY_TIMEOUT_US = 120_000_000;

describe('RecordAccumulator batching', () => {
  it('fills a batch up to recordsPerBatch, then starts the next', () => {
    const acc = new RecordAccumulator(2, 3, LINGER_US, DELIVERY_TIMEOUT_US);
    const created = [1, 2, 3, 4].map((record) => acc.append(0, record, 100));
    expect(created).toEqual([true, false, false, true]);
    expect(acc.queues[0].map((b) => b.recordIds)).toEqual([[1, 2, 3], [4]]);
    expect(acc.queues[1]).toEqual([]);
    expect(acc.queues[0][0].deadlineUs).toBe(100 + DELIVERY_TIMEOUT_US);
  });

  it('keeps partitions apart', () => {
    const acc = new RecordAccumulator(2, 10, LINGER_US, DELIVERY_TIMEOUT_US);
    acc.append(0, 1, 0);
    acc.append(1, 2, 0);
    acc.append(0, 3, 0);
    expect(acc.queues.map((q) => q.map((b) => b.recordIds))).toEqual([[[1, 3]], [[2]]]);
  });

  it('counts the batches of all queues (the sender stops its scans at that count)', () => {
    const acc = new RecordAccumulator(3, 1, LINGER_US, DELIVERY_TIMEOUT_US);
    const total = () => acc.queues.reduce((n, q) => n + q.length, 0);
    for (const [tp, record] of [[0, 1], [2, 2], [2, 3], [1, 4]]) acc.append(tp, record, 0);
    expect(acc.batchCount).toBe(4);
    const polled = acc.pollFirst(2);
    expect(acc.batchCount).toBe(3);
    polled.attempts = 1;
    acc.reenqueue(polled);
    expect(acc.batchCount).toBe(total());
    acc.truncateQueue(2, 1);
    expect([acc.batchCount, total()]).toEqual([3, 3]);
    acc.clear();
    expect(acc.batchCount).toBe(0);
  });
});

describe('RecordAccumulator readiness', () => {
  it('lets a lone batch linger linger.ms from its creation', () => {
    const acc = new RecordAccumulator(1, 10, LINGER_US, DELIVERY_TIMEOUT_US);
    acc.append(0, 1, 1000);
    acc.append(0, 2, 3000);
    expect(acc.firstBatchReadyAtUs(0)).toBe(1000 + LINGER_US);
  });

  it('sends a full batch, or one with another behind it, without lingering', () => {
    const full = new RecordAccumulator(1, 2, LINGER_US, DELIVERY_TIMEOUT_US);
    full.append(0, 1, 0);
    expect(full.firstBatchReadyAtUs(0)).toBe(LINGER_US);
    full.append(0, 2, 0);
    expect(full.firstBatchReadyAtUs(0)).toBe(-Infinity);
    const followed = new RecordAccumulator(1, 2, LINGER_US, DELIVERY_TIMEOUT_US);
    for (const record of [1, 2, 3]) followed.append(0, record, 0);
    followed.pollFirst(0);
    followed.append(0, 4, 0);
    followed.append(0, 5, 0);
    expect(followed.queues[0].map((b) => b.recordIds)).toEqual([[3, 4], [5]]);
    expect(followed.firstBatchReadyAtUs(0)).toBe(-Infinity);
    // Kafka's rule is "another batch waits behind it", full or not.
    const behind = new RecordAccumulator(1, 5, LINGER_US, DELIVERY_TIMEOUT_US);
    behind.append(0, 1, 0);
    behind.queues[0].push(new ProducerBatch(99, 0, 0, DELIVERY_TIMEOUT_US));
    expect(behind.firstBatchReadyAtUs(0)).toBe(-Infinity);
  });

  it('holds a retried batch until its backoff ends, and starts a new batch behind it', () => {
    const acc = new RecordAccumulator(1, 10, LINGER_US, DELIVERY_TIMEOUT_US);
    acc.append(0, 1, 0);
    const batch = acc.pollFirst(0);
    batch.attempts = 1;
    batch.retryAtUs = 250_000;
    acc.reenqueue(batch);
    expect(acc.lastBatchFull(0)).toBe(true); // a retried batch takes no new records
    expect(acc.firstBatchReadyAtUs(0)).toBe(250_000);
    expect(acc.append(0, 2, 10)).toBe(true);
    expect(acc.queues[0].map((b) => b.recordIds)).toEqual([[1], [2]]);
  });

});

describe('RecordAccumulator retries', () => {
  it('puts an unsequenced retry first and a sequenced one in sequence order', () => {
    const acc = new RecordAccumulator(1, 1, LINGER_US, DELIVERY_TIMEOUT_US);
    for (const record of [1, 2, 3, 4]) acc.append(0, record, 0);
    const [b1, b2, b3] = [acc.pollFirst(0), acc.pollFirst(0), acc.pollFirst(0)];
    b1.baseSequence = 0;
    b2.baseSequence = 1;
    b3.baseSequence = 2;
    acc.reenqueue(b3);
    acc.reenqueue(b1); // sequence 0 goes before 2
    acc.reenqueue(b2); // sequence 1 between them, ahead of the unsequenced record 4
    expect(acc.queues[0].map((b) => b.recordIds[0])).toEqual([1, 2, 3, 4]);
    const acc2 = new RecordAccumulator(1, 1, LINGER_US, DELIVERY_TIMEOUT_US);
    for (const record of [1, 2]) acc2.append(0, record, 0);
    const first = acc2.pollFirst(0);
    acc2.reenqueue(first);
    expect(acc2.queues[0].map((b) => b.recordIds[0])).toEqual([1, 2]);
  });

  it('refuses to poll an empty partition', () => {
    const acc = new RecordAccumulator(1, 1, LINGER_US, DELIVERY_TIMEOUT_US);
    expect(() => acc.pollFirst(0)).toThrow(/no batch/);
  });
});

describe('RecordAccumulator queued partitions', () => {
  it('lists exactly the partitions whose queue holds a batch, ascending, whatever appends, drains, retries and expiries do', () => {
    const op = fc.record({ kind: fc.constantFrom('append', 'append', 'poll', 'reenqueue', 'truncate', 'clear'), tp: fc.integer({ min: 0, max: 7 }) });
    fc.assert(
      fc.property(fc.array(op, { minLength: 10, maxLength: 80 }), (ops) => {
        const acc = new RecordAccumulator(8, 2, LINGER_US, DELIVERY_TIMEOUT_US);
        const polled: ProducerBatch[] = [];
        let record = 0;
        for (const { kind, tp } of ops) {
          if (kind === 'append') acc.append(tp, record++, 0);
          else if (kind === 'poll' && acc.queues[tp].length > 0) polled.push(acc.pollFirst(tp));
          else if (kind === 'reenqueue' && polled.length > 0) acc.reenqueue(polled.pop()!);
          else if (kind === 'truncate') acc.truncateQueue(tp, Math.min(acc.queues[tp].length, record % 2));
          else if (kind === 'clear' && record % 5 === 0) acc.clear();
          const expected = acc.queues.flatMap((q, p) => (q.length > 0 ? [p] : []));
          expect(acc.queuedPartitions()).toEqual(expected);
          expect(acc.batchCount).toBe(acc.queues.reduce((n, q) => n + q.length, 0));
        }
      }),
      { seed: 15, numRuns: 200 },
    );
  });
});
