// A duplicate that KAFKA-7415 keeps (ksim check, check-small, Kafka 2.0, idempotent, acks=all, seed
// 31). b1, a follower of orders-1, loses power at 0.3 s with offsets 0..10 and restarts at once;
// the controller misses the bounce (KIP-380, 2.2), so b1 stays in the ISR and is elected at 10.3 s
// with an empty log (epoch 1). It writes the producer's next batch (r44..) from offset 0, a
// rolling restart elects b2 (epoch 2, its epoch-0 log ending at 12) before b2 fetched it, and the
// producer's retry is written again at 12. b1, following b2, asks for epoch 1's end: b2 answers
// epoch 0 ending at 12, which b1's cache (epoch 1 only) cannot look up before KAFKA-7415's fix
// (2.1, LeaderEpochFileCache.endOffsetFor), so b1 truncates to 12 and keeps r44..r68 at 0..11: each
// record of the batch sits twice in the final log. At offsets 0..10 (what b1 lost) the copies
// were blamed on KIP-380; r68 at offset 11, which b1 never had, was a breach ("no unclean election
// and no leader that lost records"). It is KAFKA-7415's evidence, as log-divergence names it.
import { describe, expect, it } from 'vitest';
import { checkSmallViolationsByVersion } from '../models/kafka/testing/scenario-run.ts';

const drawn = {
  seed: '0',
  faults: [
    { atMs: 300, kind: 'power-loss', node: '@follower:orders-1', durationMs: 1 },
    { atMs: 5998, kind: 'crash', node: '@leader:orders-1', durationMs: 6000 },
  ],
  operations: [{ atMs: 10722, kind: 'rolling-restart', durationMs: 1 }],
};
const settings = ['preset="apache"', 'enable.idempotence=true', 'acks="all"', 'min.insync.replicas=2', 'unclean.leader.election.enable=false', 'broker.rack="az"'];
const violations = checkSmallViolationsByVersion(drawn, settings);

describe('duplicate: a copy KAFKA-7415 kept above what the bounced leader lost', () => {
  it('Kafka 2.0: every duplicate permitted by the version, the one above the lost range naming KAFKA-7415; no breach', () => {
    const vs = violations('2.0');
    expect(vs.filter((v) => v.classification === 'breach')).toEqual([]);
    const dups = vs.filter((v) => v.property === 'duplicate');
    expect(dups.length).toBeGreaterThan(0);
    expect(dups.every((v) => v.classification === 'permitted' && v.permittedBy === 'version')).toBe(true);
    const kept = dups.find((v) => (v.flaws as string[]).includes('KAFKA-7415'));
    expect(kept, JSON.stringify(dups.map((v) => v.reason))).toBeDefined();
    expect(String(kept!.reason)).toMatch(/b1, elected leader of epoch 1 at 10\.3\d*s with its log ending at 0, led it briefly/);
  });

  it('Kafka 2.1 (KAFKA-7415 fixed, KIP-380 not): b1 truncates to 0 when it follows b2, so nothing is blamed on KAFKA-7415 and nothing is a breach', () => {
    const vs = violations('2.1');
    expect(vs.filter((v) => v.classification === 'breach')).toEqual([]);
    expect(vs.filter((v) => ((v.flaws as string[] | undefined) ?? []).includes('KAFKA-7415'))).toEqual([]);
  });

  it('Kafka 2.2 (KIP-380 and KAFKA-7415 fixed): no duplicate, no divergence', () => {
    const vs = violations('2.2');
    expect(vs.filter((v) => v.property === 'duplicate' || v.property === 'log-divergence')).toEqual([]);
  });
});
