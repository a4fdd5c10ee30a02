// hw-above-isr-leo blames an early ISR rejoin (KAFKA-7128, fixed in 2.0.1) on the leader that took
// the follower back in: the check is the leader's (Partition.maybeExpandIsr), so in a cluster part
// way through an upgrade from 2.0 to 2.1 a rejoin below the committed HW under a 2.1 leader is no
// flaw of the version, whatever the followers run; under a 2.0 leader it is, named by that leader.
import { describe, expect, it } from 'vitest';
import { TestRun } from './kafka-test-run.ts';

const ALL = ['b1', 'b2', 'b3'];

/** b1 leads on 2.0 with ISR [b1, b2]; `upgraded` run 2.1 from 1 ms; b3, one record short, is taken back in. */
function earlyRejoin(upgraded: string[]) {
  const r = new TestRun({ kafkaVersion: '2.0', metadataMode: 'zookeeper' });
  for (const b of upgraded) r.event(1, b, { type: 'version-change', software: '2.1', protocolLevel: '2.0' });
  r.election(2, 'initial', 'b1', 0, ALL, 0).isr(5, 'isr-shrink', ['b1', 'b2'], 0);
  r.append(10, 'b1', [1, 2], 0, 0, 'leader').append(11, 'b2', [1, 2], 0, 0).hw(12, 'b1', 2, 0);
  r.append(13, 'b3', [1], 0, 0).isr(20, 'isr-expand', ALL, 0);
  return r.finish(100, undefined).violations.filter((v) => v.property === 'hw-above-isr-leo');
}

describe("hw-above-isr-leo: an early ISR rejoin is the leader's version's flaw", () => {
  it('leader b1 still on 2.0, the followers on 2.1: permitted, naming b1 on Kafka 2.0', () => {
    const v = earlyRejoin(['b2', 'b3']);
    expect(v).toMatchObject([{ classification: 'permitted', permittedBy: 'version', flaws: ['KAFKA-7128'] }]);
    expect(v[0].reason).toMatch(/^b1 on Kafka 2\.0: an ISR rejoin below the leader's epoch start \(KAFKA-7128/);
  });

  it('leader b1 on 2.1, the followers still on 2.0: the leader had the fix, so a breach', () => {
    expect(earlyRejoin(['b1']).map((v) => v.classification)).toEqual(['breach']);
  });

  it('nobody upgraded (decoy): the scenario\'s 2.0, permitted', () => {
    const v = earlyRejoin([]);
    expect(v).toMatchObject([{ classification: 'permitted', permittedBy: 'version' }]);
    expect(v[0].reason).toMatch(/^Kafka 2\.0: an ISR rejoin/);
  });
});
