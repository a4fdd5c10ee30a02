// liveness-after-heal and a broker that exited rather than truncate (before 2.1,
// broker/truncation-halt.ts): Kafka leaves it down until an operator acts, so a partition whose
// replicas outside the ISR all exited is permitted by the simulated version; one with a replica
// outside the ISR that did not exit stays a breach.
import { describe, expect, it } from 'vitest';
import { finalPartition, TestRun } from './kafka-test-run.ts';

/** orders-0 led by b1 with ISR [b1, b2]; b3 down at the end; `exited` lists who exited rather than truncate. */
function judged(exited: string[], isr: string[] = ['b1', 'b2']) {
  let run = new TestRun({ horizon: { lastDisruptionEndMs: 1000 } }).election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0).sendAndAck(10, 'p1', [1], 0, 0);
  for (const b of exited)
    run = run.event(2000, b, { type: 'broker-halt', partition: 'orders-0', leaderEndOffset: 0, logEndOffset: 1, reason: 'log truncation not allowed for orders-0 (leader LEO 0 < follower LEO 1)', restartInMs: null });
  const { violations } = run.finish(100_000, [
    finalPartition('orders-0', 'b1', 0, isr, [
      { broker: 'b1', records: [1] },
      { broker: 'b3', records: [1], alive: false },
    ]),
  ]);
  return violations.filter((v) => v.property === 'liveness-after-heal');
}

describe('liveness-after-heal with brokers that exited rather than truncate', () => {
  it('permits, by the simulated version, a partition whose only replica outside the ISR exited, naming it and KAFKA-7414', () => {
    const v = judged(['b3']);
    expect(v.map((x) => [x.classification, x.permittedBy])).toEqual([['permitted', 'version']]);
    expect(v[0].message).toContain('b3 exited at 2.000s (log truncation not allowed for orders-0 (leader LEO 0 < follower LEO 1))');
    expect(v[0].message).toContain('KAFKA-7414');
    // a known flaw by name, so --fail-on KAFKA-7414 selects it
    expect(v[0].flaws).toEqual(['KAFKA-7414']);
  });

  it('decoy: another broker exited, or only one of two replicas outside the ISR did: still a breach', () => {
    expect(judged(['b2']).map((x) => x.classification)).toEqual(['breach']);
    expect(judged(['b3'], ['b1']).map((x) => x.classification)).toEqual(['breach']);
    expect(judged(['b2'])[0].flaws).toBeUndefined();
  });
});
