import { describe, expect, it } from 'vitest';
import type { Violation } from '../../../src/sim/model.ts';
import type { SequencesResetEvent } from '../kafka-events.ts';
import { finalPartition, TestRun, type TestProducer } from './kafka-test-run.ts';

function runWithRetriedBatch(producer: TestProducer, reset?: Partial<SequencesResetEvent>) {
  // r2's first attempt was appended but its response timed out; the retry was appended again
  // after a leader change.
  const run = new TestRun({ producers: [producer] })
    .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
    .send(10, 'p1', 1)
    .send(10, 'p1', 2)
    .ok(12, 'p1', 1, 0, 0, 2)
    .election(500, 'clean', 'b2', 1, ['b2', 'b3'], 2, 'b1');
  // before KIP-360, the producer restarted its sequences at 0 on UNKNOWN_PRODUCER_ID from b2
  if (reset) run.event(590, 'p1', { type: 'sequences-reset', partition: 'orders-0', producer: 'p1', logStartOffset: 2, records: [2], mayBeInLog: [2], ...reset });
  return run
    .ok(600, 'p1', 2, 2, 1, 590)
    .finish(1000, [
      finalPartition('orders-0', 'b2', 1, ['b2', 'b3'], [{ broker: 'b2', records: [1, 2, 2], epochs: [0, 0, 1] }]),
    ]);
}

const duplicates = (violations: Violation[]) => violations.filter((v) => v.property === 'duplicate');

describe('duplicate', () => {
  it('passes when no record appears twice', () => {
    const { violations, summary } = new TestRun()
      .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
      .sendAndAck(10, 'p1', [1, 2], 0, 0)
      .finish(100, [finalPartition('orders-0', 'b1', 0, ['b1'], [{ broker: 'b1', records: [1, 2] }])]);
    expect(duplicates(violations)).toEqual([]);
    expect(summary.recordsDuplicated).toBe(0);
  });

  it('permits a duplicate from a retry when idempotence is off', () => {
    const { violations, summary } = runWithRetriedBatch({ name: 'p1', idempotent: false, retries: 3 });
    const dup = duplicates(violations);
    expect(dup).toHaveLength(1);
    expect(dup[0]).toMatchObject({ classification: 'permitted', partition: 'orders-0', count: 1, records: [2], offsets: [[1, 2]], extraCopies: 1 });
    expect(dup[0].message).toMatch(/^permitted by the configuration \(enable.idempotence=false with retries=3: a retried batch is appended again\): 1 record more than once/);
    expect(dup[0].message).toContain('r2 (sent by p1, acked to p1 at 0.600s at offset 2 in leader epoch 1 (leader b2)) sits at offset 1 (epoch 0), offset 2 (epoch 1); the copies straddle a leader change');
    expect(summary.recordsDuplicated).toBe(1);
    expect(summary.duplicateCopies).toBe(1);
  });

  it('is a breach for an idempotent producer', () => {
    const dup = duplicates(runWithRetriedBatch({ name: 'p1', idempotent: true }).violations);
    expect(dup).toHaveLength(1);
    expect(dup[0].classification).toBe('breach');
    expect(dup[0].message).toMatch(/^breach \(enable.idempotence=true/);
  });

  it('names a resend under sequences restarted at 0 before KIP-360, still a breach: not the version’s flaw', () => {
    // the leader took it as new only because it had no state for a producer whose copy it held;
    // a 2.5+ leader would have accepted the original retry at any sequence just the same
    const dup = duplicates(runWithRetriedBatch({ name: 'p1', idempotent: true }, {}).violations);
    expect(dup).toHaveLength(1);
    expect(dup[0].classification).toBe('breach');
    expect(dup[0].reason).toBe(
      'enable.idempotence=true: the leader drops a retried batch by its sequence number; but p1 re-sent r2 under sequences restarted at 0 after ' +
        'UNKNOWN_PRODUCER_ID at 0.590s (Kafka 1.0-2.4\'s TransactionManager.canRetry: its last acknowledged offset below the log start offset 2) ' +
        'while an earlier attempt may have been in the log, and the leader, with no state for the producer, took it as new',
    );
    expect(dup[0].message).not.toMatch(/KIP-360/);
  });

  it('decoys: a reset of other records, or of records no earlier attempt could have written, is not named', () => {
    for (const reset of [{ records: [1], mayBeInLog: [1] }, { mayBeInLog: [] }, { partition: 'orders-1' }]) {
      const dup = duplicates(runWithRetriedBatch({ name: 'p1', idempotent: true }, reset).violations);
      expect(dup[0].classification).toBe('breach');
      expect(dup[0].reason).toBe('enable.idempotence=true: the leader drops a retried batch by its sequence number');
    }
  });

  it('is a breach when the producer never retries', () => {
    const dup = duplicates(runWithRetriedBatch({ name: 'p1', idempotent: false, retries: 0 }).violations);
    expect(dup[0].classification).toBe('breach');
    expect(dup[0].reason).toBe('retries=0: the producer never resends');
  });
});
