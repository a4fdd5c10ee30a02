// Unseen records a restarted leader lost, whose copy only a broker that exited survives (found by
// `ksim check --scenario <check-small with group g1> --set preset=apache --set kafkaVersion=2.0
// --set acks=all --set min.insync.replicas=2 --set unclean.leader.election.enable=false --property
// unseen --seed 2`, run 80, shrunk). b3 leads orders-1 and loses offsets 0..7 (r2, r7, ...) to a
// power loss at 0.187 s; the controller misses its bounce (KIP-380, 2.2), and b3 leads orders-1 on
// from 6.289 s with an empty log, with no election. b1, told of the new epoch by the same leader,
// keeps its log (KAFKA-7164) and exits at 7.18 s rather than truncate (leader LEO 1 < its 8), so
// a copy survives on its disk (lost-write counts them lost, noting the copy). m2 reads orders-1 from 0
// at 16.2 s, b3's new records there: the 8 records were never readable. unseen called it a breach
// ("no reset, retention, compaction or truncation explains..."), though the loss that took them
// from the log consumers read is KIP-380's. Decoy: Kafka 2.2 (KIP-380) loses nothing of it.
import { describe, expect, it } from 'vitest';
import { checkSmallWithGroup, runScenario, STRICT_DURABILITY } from '../models/kafka/testing/scenario-run.ts';

const violations = (kafkaVersion: string) => {
  const scenario = checkSmallWithGroup({
    seed: '0',
    preset: 'apache',
    kafkaVersion,
    metadataMode: 'zookeeper',
    faults: [
      { atMs: 187, kind: 'power-loss', node: '@follower:orders-0', durationMs: 1 },
      { atMs: 189, kind: 'crash', node: '@leader:orders-0', durationMs: 6600 },
    ],
  });
  return runScenario(scenario, [...STRICT_DURABILITY, 'request.timeout.ms=2000', 'broker.rack=az']).report.violations;
};

describe('unseen: records a restarted leader lost, kept only by a broker that exited', () => {
  it("Kafka 2.0: KIP-380's loss, as inconsistent-offsets names it; no breach", () => {
    const vs = violations('2.0');
    expect(vs.filter((v) => v.classification === 'breach')).toEqual([]);
    const unseen = vs.filter((v) => v.property === 'unseen' && v.partition === 'orders-1');
    expect(unseen).toMatchObject([{ classification: 'permitted', permittedBy: 'version', flaws: ['KIP-380'], records: [2, 7, 9, 11, 13] }]);
    expect(unseen[0].reason).toMatch(/^b3 lost it to power-loss at 0\.187s, started again and took leadership of orders-1 back at 6\.28\d*s with no election since: the controller missed its bounce: Kafka 2\.0: KIP-380.*; lost before it was read$/);
    expect(vs.filter((v) => v.property === 'lost-write' && v.partition === 'orders-1')).toMatchObject([{ classification: 'permitted', permittedBy: 'version', flaws: ['KIP-380'] }]);
  });

  it('Kafka 2.2 (decoy): nothing of orders-1 unseen, nothing a breach', () => {
    const vs = violations('2.2');
    expect(vs.filter((v) => v.property === 'unseen' && v.partition === 'orders-1')).toEqual([]);
    expect(vs.filter((v) => v.classification === 'breach')).toEqual([]);
  });
});
