// A record missing from the leader's log but held by a replica whose broker exited rather than
// truncate (before 2.1, broker/truncation-halt.ts) is lost all the same (the cluster reads and
// writes on without it), with a note that a copy survives on that disk; the flag saves only what
// that replica holds.
import { describe, expect, it } from 'vitest';
import { finalPartition, TestRun } from '../checkers/kafka-test-run.ts';

/** b1 led offsets 0..2 (records 1-3) in epoch 0; b2 copied them; b3, leader of epoch 1, has only record 1. */
function run(keptBy: 'b2' | null) {
  const final = finalPartition('orders-0', 'b3', 1, ['b3'], [
    { broker: 'b3', records: [1] },
    { broker: 'b2', records: [1, 2, 3], alive: false },
  ]);
  if (keptBy !== null) final.logs.find((l) => l.broker === keptBy)!.keptRatherThanTruncated = true;
  return new TestRun()
    .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
    .sendAndAck(10, 'p1', [1, 2, 3], 0, 0)
    .append(10, 'b1', [1, 2, 3], 0, 0, 'leader')
    .append(11, 'b2', [1, 2, 3], 0, 0)
    .finish(100, [final]);
}

describe('lost-write: records kept by a broker that exited rather than truncate', () => {
  it('counts records 2 and 3, on the exited b2, as lost, saying a copy survives on its disk', () => {
    const { violations, summary } = run('b2');
    const lost = violations.filter((v) => v.property === 'lost-write');
    expect(lost).toHaveLength(1);
    expect(lost[0].message).toContain('A copy of all of them survives only on the disk of a broker that exited rather than truncate');
    expect([summary.recordsLost, summary.recordsKeptByExitedBroker]).toEqual([2, 2]);
  });

  it('decoy: the same b2, down without having exited rather than truncate, holds nothing the leader is bound to: both are lost', () => {
    const { violations, summary } = run(null);
    const lost = violations.filter((v) => v.property === 'lost-write');
    expect(lost).toHaveLength(1);
    expect(lost[0].message).not.toContain('survives');
    expect([summary.recordsLost, summary.recordsKeptByExitedBroker]).toEqual([2, undefined]);
  });
});
