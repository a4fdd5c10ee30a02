// A duplicate that KAFKA-7415 kept while logs were record-granular (ksim check, check-small, Kafka 2.0, idempotent, acks=all, seed
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
// That was with record-granular logs. Logs are batch-granular now: b1's epoch-1 records from offset 0
// are one batch running past 12, and truncating into a batch removes the whole batch
// (LogSegment.truncateTo cuts at the batch holding the offset; Log.truncateTo still sets the LEO to
// 12), so b1 keeps none of them and no copy is left to duplicate: on 2.0 the flaw's truncation to 12
// shows in the truncate event (cut at 0), and nothing is blamed on KAFKA-7415. The flaw's kept
// records stay covered by back-to-back-elections.test.ts (one-record batches there); with
// batch.size=1 here, b1 writes other batches and the run takes another course (no truncation).
import { describe, expect, it } from 'vitest';
import checkSmall from '../models/kafka/presets/check-small.scenario.json' with { type: 'json' };
import { checkSmallViolationsByVersion, runScenario } from '../models/kafka/testing/scenario-run.ts';

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

describe('KAFKA-7415 truncating a bounced leader\'s log into a batch: the whole batch goes', () => {
  it('Kafka 2.0: b1 truncates to 12, the offset the leader gave for epoch 0 (KAFKA-7415), inside its batch at 0: the whole batch goes, so no copy is kept and nothing is blamed on KAFKA-7415; no breach', () => {
    const run = runScenario({ ...structuredClone(checkSmall), ...drawn }, [...settings, 'kafkaVersion=2.0']);
    const truncations = run.events.filter(([, node, e]) => node === 'b1' && e.type === 'truncate' && e.partition === 'orders-1');
    expect(truncations.map(([, , e]) => [e.toOffset, e.cutOffset, e.reason])).toEqual([[12, 0, 'leader-epoch']]);
    const vs = run.report.violations;
    expect(vs.filter((v) => v.classification === 'breach')).toEqual([]);
    expect(vs.filter((v) => v.property === 'duplicate')).toEqual([]);
    expect(vs.filter((v) => ((v.flaws as string[] | undefined) ?? []).includes('KAFKA-7415'))).toEqual([]);
  });

  it('Kafka 2.1: b1 truncates to 0, where its only epoch starts (the fix), not to 12', () => {
    const run = runScenario({ ...structuredClone(checkSmall), ...drawn }, [...settings, 'kafkaVersion=2.1']);
    const truncations = run.events.filter(([, node, e]) => node === 'b1' && e.type === 'truncate' && e.partition === 'orders-1');
    expect(truncations.map(([, , e]) => e.toOffset)).toEqual([0]);
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
