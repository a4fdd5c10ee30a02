// nonmonotonic-send, both directions: with idempotence a producer's records land in send order
// within a partition even with 5 requests in flight and retries; without it, a retried batch can
// land after a later one, which Kafka permits and `ksim check` finds.
import { describe, expect, it } from 'vitest';
import { checkKafka, propertiesOf } from './kafka-check.ts';

describe('ordering (nonmonotonic-send)', () => {
  it('holds with idempotence on and 5 requests in flight', () => {
    const o = checkKafka(['enable.idempotence=true', 'max.in.flight.requests.per.connection=5'], 25, 21);
    expect(o.counterexample?.report.violations ?? []).toEqual([]);
    expect(o.coverage['produce retried'] ?? 0).toBeGreaterThan(0);
  });

  it('breaks without idempotence, with retries and more than one request in flight', () => {
    // duplicates come with this configuration too; target the ordering property
    const o = checkKafka(['enable.idempotence=false', 'max.in.flight.requests.per.connection=5'], 100, 3, {}, ['nonmonotonic-send']);
    expect(propertiesOf(o)).toContain('nonmonotonic-send');
    const v = o.counterexample!.report.violations.find((x) => x.property === 'nonmonotonic-send')!;
    expect(v.classification).toBe('permitted');
  });
});
