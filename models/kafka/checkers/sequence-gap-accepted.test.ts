// KAFKA-15591's blame (sequence-gap-accepted.ts) on small hand-written histories: p1 sends r1-r4
// to orders-0; b2, a new leader with no state for p1, takes r3's batch at sequence 2 ahead of
// r1-r2, which come back out of order; p1 bumps its epoch and writes r1-r4 from sequence 0, so r3
// and r4 are written twice and r1-r2 land behind them. Decoys keep the breach.
import { describe, expect, it } from 'vitest';
import type { Violation } from '../../../src/sim/model.ts';
import { verdictClassOf } from '../../../src/scenario/verdict.ts';
import { finalPartition, TestRun } from './kafka-test-run.ts';

interface Options {
  /** Whether b2 accepted r3's batch with no state for p1 (the unknown-producer-append event). */
  accepted?: boolean;
  /** b2's final log. */
  log?: number[];
  /** Records b2 held before r3's batch (from another producer, p2). */
  before?: number[];
}

function run({ accepted = true, log, before = [] }: Options = {}): Violation[] {
  const records = log ?? [...before, 3, 4, 1, 2, 3, 4];
  const t = new TestRun({ producers: [{ name: 'p1', idempotent: true, maxInFlight: 5 }, { name: 'p2', idempotent: true }] })
    .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0);
  for (const r of before) t.send(5, 'p2', r);
  for (const r of [1, 2, 3, 4]) t.send(10 + r, 'p1', r);
  t.election(300, 'clean', 'b2', 1, ['b2', 'b3'], before.length, 'b1');
  if (accepted) t.event(317, 'b2', { type: 'unknown-producer-append', partition: 'orders-0', producer: 'p1', baseSequence: 2, record: 3 });
  const epochs = records.map(() => 1);
  return t.finish(5000, [finalPartition('orders-0', 'b2', 1, ['b2', 'b3'], [{ broker: 'b2', records, epochs }])]).violations;
}

const of = (vs: Violation[], property: string) => vs.filter((v) => v.property === property);

describe('KAFKA-15591: a batch a leader accepted past a sequence gap', () => {
  it('permits the reorder and the duplicates that follow by the simulated version, naming KAFKA-15591', () => {
    const vs = run();
    const [dup] = of(vs, 'duplicate');
    const [reorder] = of(vs, 'nonmonotonic-send');
    for (const v of [dup, reorder]) {
      expect([verdictClassOf(v), v.flaws]).toEqual(['version', ['KAFKA-15591']]);
      expect(v.reason).toContain(
        "at 0.317s b2 accepted p1's batch from r3 at sequence 2 with no state for its producer id, at offset 0, into a log that had never held a record, and r1, sent before it, was written behind it at offset 2 (KAFKA-15591, in Kafka since 2.5 and not fixed in any release ksim simulates (apache/kafka PR #23234",
      );
    }
    expect(dup.records).toEqual([3, 4]);
    expect(dup.reason).toMatch(/; p1 then re-sent it under a bumped producer epoch, from sequence 0$/);
    expect(reorder.reason).toMatch(/^enable\.idempotence=true with max\.in\.flight\.requests\.per\.connection=5: sequence numbers should keep order, but at 0\.317s/);
  });

  it('names a log that already held records: the case the upstream fix leaves', () => {
    const [reorder] = of(run({ before: [7, 8] }), 'nonmonotonic-send');
    expect(verdictClassOf(reorder)).toBe('version');
    expect(reorder.reason).toContain('at offset 2, into a log that already held records (a case apache/kafka PR #23234 leaves as it is), and r1, sent before it, was written behind it at offset 4');
  });

  it('decoy: the same log with no acceptance past a gap stays a breach', () => {
    const vs = run({ accepted: false });
    for (const v of [...of(vs, 'duplicate'), ...of(vs, 'nonmonotonic-send')]) {
      expect(verdictClassOf(v)).toBe('breach');
      expect(v.flaws).toBeUndefined();
    }
    expect(of(vs, 'duplicate')).toHaveLength(1);
    expect(of(vs, 'nonmonotonic-send')).toHaveLength(1);
  });

  it('decoy: nothing sent earlier written behind the accepted batch, or anomalies before it, stay breaches', () => {
    // r1-r2 never written: the duplicate of r3-r4 is not the bump's resend past the gap
    const unfilled = run({ log: [3, 4, 3, 4] });
    expect(of(unfilled, 'duplicate').map(verdictClassOf)).toEqual(['breach']);
    // the reorder and the duplicate lie before the accepted batch's offset: r2 written ahead of r1 at 0-1, r2 twice
    const before = run({ log: [2, 1, 2, 3, 4] });
    expect([of(before, 'duplicate').length, of(before, 'nonmonotonic-send').length]).toEqual([1, 1]);
    for (const v of [...of(before, 'duplicate'), ...of(before, 'nonmonotonic-send')]) expect(verdictClassOf(v)).toBe('breach');
    expect(of(before, 'nonmonotonic-send')[0].reason).toMatch(/sequence numbers keep order \(at 0\.317s b2 accepted p1's batch from r3 at sequence 2 with no state for its producer id, but/);
    expect(of(before, 'nonmonotonic-send')[0].flaws).toBeUndefined();
  });
});
