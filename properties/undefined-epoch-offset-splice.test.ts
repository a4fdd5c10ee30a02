// A log spliced after an UNDEFINED_EPOCH_OFFSET answer (ksim check --scenario check-small --set
// kafkaVersion=1.1 --fail-on breach --seed 7, run 14, shrunk; idempotent, acks=all). b1, a follower
// of orders-1, loses power at 2.199 s and restarts at once; the controller misses the bounce
// (KIP-380), so b1 stays in the ISR and is elected at 10.3 s, when b3 crashes, with an empty log
// (epoch 1). b3 restarts at 11 s and asks b1 where its epoch 0 ends: b1's epoch cache holds epoch 1
// only, and a 1.1 leader answers UNDEFINED_EPOCH_OFFSET (LeaderEpochFileCache.endOffsetFor before
// KAFKA-7415, 2.1), so b3 truncates only to its high watermark 96 (ReplicaFetcherThread
// .maybeTruncate), keeps its epoch-0 records at 0..95 where b1 wrote p1's r232.., and appends b1's
// records from 96. Elected at 15.1 s, b3 takes p1's retries of the batch it holds only half of: 67
// records twice and out of send order. duplicate and nonmonotonic-send were breaches; the
// follower's path is now a protocol-flaw event every checker names (the version's flaw, KAFKA-7415).
// On 2.1 the leader answers where its first epoch starts, b3 truncates to 0 and copies b1's log: no
// splice, no duplicate; what b1 lost is KIP-380's, and nothing names KAFKA-7415 (decoy).
import { describe, expect, it } from 'vitest';
import { checkSmallViolationsByVersion } from '../models/kafka/testing/scenario-run.ts';

const drawn = {
  seed: '0',
  faults: [
    { atMs: 2199, kind: 'power-loss', node: '@follower:orders-1', durationMs: 1 },
    { atMs: 5001, kind: 'crash', node: '@leader:orders-1', durationMs: 6000 },
  ],
};
const settings = ['acks="all"', 'min.insync.replicas=2', 'unclean.leader.election.enable=false', 'enable.idempotence=true', 'leader.imbalance.check.interval.seconds=5', 'broker.rack="az"'];
const violations = checkSmallViolationsByVersion(drawn, settings);

describe('a log spliced after an UNDEFINED_EPOCH_OFFSET answer (before KAFKA-7415)', () => {
  it('Kafka 1.1: the duplicates and the reorder past the splice are the version\'s flaw, named KAFKA-7415, as the divergence below it; no breach', () => {
    const vs = violations('1.1');
    expect(vs.filter((v) => v.classification === 'breach')).toEqual([]);
    for (const property of ['duplicate', 'nonmonotonic-send', 'log-divergence']) {
      const v = vs.filter((x) => x.property === property);
      expect(v, property).toMatchObject([{ classification: 'permitted', permittedBy: 'version', flaws: ['KAFKA-7415'] }]);
      expect(v[0].reason).toContain('b3, asking the leader of epoch 1 at 11.007543s where its epoch 0 ended, was answered UNDEFINED_EPOCH_OFFSET');
    }
  });

  it('Kafka 2.1 (decoy): no splice, so no duplicate and no reorder, and nothing names KAFKA-7415', () => {
    const vs = violations('2.1');
    expect(vs.filter((v) => v.property === 'duplicate' || v.property === 'nonmonotonic-send' || v.property === 'log-divergence')).toEqual([]);
    expect(vs.some((v) => JSON.stringify(v).includes('KAFKA-7415'))).toBe(false);
    expect(vs.filter((v) => v.property === 'lost-write')).toMatchObject([{ classification: 'permitted', permittedBy: 'version', flaws: ['KIP-380'] }]);
  });
});
