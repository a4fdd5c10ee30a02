// duplicate, both directions: the idempotent producer's sequence numbers let the broker drop
// retried batches; without idempotence a retry after a lost response writes the records twice.
import { describe, expect, it } from 'vitest';
import { checkKafka, propertiesOf } from './kafka-check.ts';

describe('duplicates (duplicate)', () => {
  it('holds with idempotence on', () => {
    const o = checkKafka(['enable.idempotence=true', 'max.in.flight.requests.per.connection=1'], 25, 31);
    expect(o.counterexample?.report.violations ?? []).toEqual([]);
  });

  it('breaks without idempotence: a retried batch lands twice', () => {
    const o = checkKafka(['enable.idempotence=false', 'max.in.flight.requests.per.connection=1'], 80, 2);
    expect(propertiesOf(o)).toEqual(['duplicate']);
    expect(o.counterexample!.report.violations[0].classification).toBe('permitted');
    expect(o.counterexample!.case.faults.length).toBeLessThanOrEqual(2);
  });
});
