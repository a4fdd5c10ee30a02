import { describe, expect, it } from 'vitest';
import type { Violation } from '../../../src/sim/model.ts';
import { finalPartition, TestRun, type TestProducer } from './kafka-test-run.ts';

/** p1 sends r1..r4; the log holds them as logOrder. */
function runWithLog(producer: TestProducer, logOrder: number[], sent = [1, 2, 3, 4]) {
  const run = new TestRun({ producers: [producer] }).election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0);
  for (const r of sent) run.send(10 + r, 'p1', r);
  return run.finish(1000, [finalPartition('orders-0', 'b1', 0, ['b1'], [{ broker: 'b1', records: logOrder }])]);
}

const reorders = (violations: Violation[]) => violations.filter((v) => v.property === 'nonmonotonic-send');

describe('nonmonotonic-send', () => {
  it('passes when records land in send order, gaps and duplicates aside', () => {
    const { violations, summary } = runWithLog({ name: 'p1', idempotent: false, retries: 3 }, [1, 3, 3, 4]);
    expect(reorders(violations)).toEqual([]);
    expect(summary.recordsReordered).toBe(0);
  });

  it('permits a reorder with idempotence off, retries and max.in.flight 5', () => {
    const { violations, summary } = runWithLog({ name: 'p1', idempotent: false, retries: 3, maxInFlight: 5 }, [1, 3, 2, 4]);
    const v = reorders(violations);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ classification: 'permitted', partition: 'orders-0', count: 1, producers: ['p1'] });
    expect(v[0].message).toMatch(
      /^permitted by the configuration \(enable.idempotence=false, retries=3, max.in.flight.requests.per.connection=5: a retried batch can land after a later one\): 1 record out of send order in orders-0 \(p1: 1 of 4\)/,
    );
    expect(v[0].message).toContain("p1's r3 (send #3) at offset 1 precedes r2 (send #2) at offset 2");
    expect(summary.recordsReordered).toBe(1);
  });

  it('is a breach with idempotence on', () => {
    const v = reorders(runWithLog({ name: 'p1', idempotent: true, maxInFlight: 5 }, [1, 3, 2, 4]).violations);
    expect(v).toHaveLength(1);
    expect(v[0].classification).toBe('breach');
    expect(v[0].message).toMatch(/^breach \(enable.idempotence=true with max.in.flight.requests.per.connection=5/);
  });

  it('is a breach with one request in flight', () => {
    const v = reorders(runWithLog({ name: 'p1', idempotent: false, retries: 3, maxInFlight: 1 }, [2, 1]).violations);
    expect(v[0].classification).toBe('breach');
  });

  it('counts the fewest records out of place: one record delayed past nine later ones counts 1', () => {
    const sent = Array.from({ length: 10 }, (_, i) => i + 1);
    const { violations, summary } = runWithLog({ name: 'p1', idempotent: false, retries: 3 }, [2, 3, 4, 5, 6, 7, 8, 9, 10, 1], sent);
    expect(summary.recordsReordered).toBe(1);
    expect(reorders(violations)[0].records).toEqual([1]);
    expect(reorders(violations)[0].offsets).toEqual([9]);
  });

  it('judges each producer on its own records', () => {
    const run = new TestRun({ producers: [{ name: 'p1' }, { name: 'p2' }] }).election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0);
    run.send(10, 'p1', 1).send(11, 'p2', 2).send(12, 'p1', 3).send(13, 'p2', 4);
    const { violations } = run.finish(100, [finalPartition('orders-0', 'b1', 0, ['b1'], [{ broker: 'b1', records: [2, 1, 4, 3] }])]);
    expect(reorders(violations)).toEqual([]);
  });

  it('takes the divergence\'s cause where two histories were spliced between the reordered record and the later-sent one it follows (not only at its own offset); a breach where the replicas agree (decoy)', () => {
    // p1 (idempotent) sent r1..r4; the leader's log holds r1 r3 r4 r2: r2 at offset 3 is the record
    // out of place, after r4 at offset 2. The replicas disagree at offset 2 only (b2 has r9 there,
    // from an unclean election): the histories were spliced between the two records.
    const spliced = (b2: number[]) => {
      const run = new TestRun({ producers: [{ name: 'p1', idempotent: true, maxInFlight: 5 }], unclean: true })
        .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
        .election(50, 'unclean', 'b1', 1, ['b1'], 1, 'b2');
      for (const r of [1, 2, 3, 4]) run.send(10 + r, 'p1', r);
      const logs = [
        { broker: 'b1', records: [1, 3, 4, 2], highWatermark: 4 },
        { broker: 'b2', records: b2, highWatermark: 4 },
      ];
      return reorders(run.finish(1000, [finalPartition('orders-0', 'b1', 1, ['b1', 'b2'], logs)]).violations);
    };
    const [v] = spliced([1, 3, 9, 2]);
    expect(v).toMatchObject({ classification: 'permitted', permittedBy: 'configuration', offsets: [3] });
    expect(v.reason).toMatch(/^the replicas diverged where it sits: unclean\.leader\.election\.enable=true/);
    expect(spliced([1, 3, 4, 2])[0]).toMatchObject({ classification: 'breach' });
  });
});
