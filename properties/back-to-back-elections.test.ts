// Back-to-back controlled shutdowns with a follower cut from its replicas (found by `ksim check`'s
// composites on check-small, acks=all, seed 1 run 208): the cut follower b3 (LEO 0) is elected in
// epoch 1 at the leader's shutdown and appends r0-r10 at offsets 0-10, which no other replica
// fetches; at b3's own shutdown a moment later b1 leads epoch 2 with the same records at 0-10 from
// epoch 0. b3 comes back and asks b1 where epoch 1 ends: b1 never had it and answers (epoch 0,
// offset 11). b3's log caches only epoch 1, so its own end of epoch 0 is where epoch 1 starts, 0
// (LeaderEpochFileCache.endOffsetFor since KAFKA-7415, Kafka 2.1): it truncates to 0 and fetches
// again. Before KAFKA-7415 the lookup answered "unknown epoch" and the follower took the leader's
// offset: it kept its epoch-1 records below the HW, a divergence (Kafka 2.0), permitted by the
// version (it was judged a breach before log-divergence knew KAFKA-7415's evidence).
// The topic has one partition here (the run was found with two): with a second partition, whose
// acks=all produce parks at its leader while the follower is cut off, the producer's metadata
// request waits behind it in that broker's socket (a broker reads one request per connection at a
// time, SocketServer), so the producer never learns the new leader before it shuts down.
import { describe, expect, it } from 'vitest';
import { MODELS, SCENARIO_PRESETS } from '../models/index.ts';
import { resolveScenario } from '../src/scenario/resolve-scenario.ts';
import { runResolved } from '../src/scenario/run-scenario.ts';

const P = 'orders-0';
const drawn = {
  topics: [{ name: 'orders', partitions: 1, 'replication.factor': 3 }],
  faults: [{ atMs: 101, kind: 'partition', groups: [[`@follower:${P}`], [`@leader:${P}`, `@followers:${P}`]], durationMs: 1800 }],
  operations: [
    { atMs: 191, kind: 'controlled-shutdown', broker: `@leader:${P}`, durationMs: 1 },
    { atMs: 295, kind: 'controlled-shutdown', broker: `@leader:${P}`, durationMs: 1800 },
  ],
};
const SETTINGS = ['acks="all"', 'min.insync.replicas=2', 'unclean.leader.election.enable=false', 'enable.idempotence=true', 'replica.fetch.wait.max.ms=500', 'linger.ms=5', 'leader.imbalance.check.interval.seconds=300'];

function run(extra: string[]) {
  const report = runResolved(resolveScenario({ ...SCENARIO_PRESETS['check-small'], ...drawn }, MODELS, { seed: '0', settings: [...SETTINGS, ...extra] }));
  return { report, divergence: report.violations.filter((v) => v.property === 'log-divergence'), elections: report.stats.model['elections.controlled-shutdown'] };
}

describe('a follower elected from an empty log in back-to-back elections (KAFKA-7415)', () => {
  it.each([[[]], [['preset=apache', 'kafkaVersion=2.1']]])('truncates to where its only epoch starts and keeps nothing the new leader lacks (settings %j)', (extra) => {
    const { report, divergence, elections } = run(extra);
    expect(elections).toBe(2);
    expect(divergence).toEqual([]);
    expect(report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
    expect(report.stats.model.truncations).toBeGreaterThan(0);
  });

  it('before KAFKA-7415 (Kafka 2.0) keeps its epoch-1 records where the new leader has epoch 0: a divergence', () => {
    const { divergence, elections } = run(['preset=apache', 'kafkaVersion=2.0']);
    expect(elections).toBe(2);
    expect(divergence.map((v) => String(v.message ?? v.reason))).toEqual([expect.stringMatching(/at offset 0/)]);
    // b3's records r0-r10 are b1's, stamped with epoch 1 where b1 has epoch 0: the text says only the stamp differs
    // KAFKA-7415's flaw, fixed in 2.1 (the case above): permitted by the version, not a breach
    expect(divergence[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version', flaws: ['KAFKA-7415'] });
    expect(divergence[0].reason).toMatch(/^Kafka 2\.0: b3, elected leader of epoch 1 at 0\.19\d*s with its log ending at 0 when it took over at 0\.19\d*s, led it briefly; following b1 \(epoch 2, elected at 0\.29\d*s\), it kept its records of epoch 1 from offset 0, an epoch that leader never had \(KAFKA-7415, fixed in Kafka 2\.1/);
    expect(divergence[0].message).toContain('b1 and b3 hold the same record r0 there, stamped with leader epoch 0 on b1 and 1 on b3: below the lower HW their logs hold the same records and differ only in the leader epoch stamped on offsets 0..10');
  });
});

// The same flaw where the new leader's log runs past the brief leader's (ksim check's leader-chain
// composite, acks=1, Kafka 2.0): b1, cut off with LEO 0 but still in the ISR, leads epoch 1 from
// 2.35 s and writes 4 records; b2 leads epoch 2 from 2.45 s with b3's epoch-0 log ending at 99. b1,
// following b2, keeps its epoch-1 records 0..3 and then fetches b2's epoch-0 records from 4 on: its
// final log holds epoch 0 above epoch 1. The evidence is what its log held up to the divergent
// offset (what its epoch cache could look up), not what it fetched after; this was a breach.
// batch.size=1 makes every producer batch one record: with batches of many records b2 serves b1's
// fetch from 4 from the start of the batch holding offset 4 (LogSegment.read), a batch below b1's
// LEO, and b1's fetcher fails (KIP-461's flaw before 2.3) instead of appending above its kept records.
/** The leader chain's seed, cut and two back-to-back controlled shutdowns (ksim check's composite). */
function leaderChainOf() {
  return {
    seed: '502996561',
    faults: [{ atMs: 667, kind: 'partition', groups: [['@follower:orders-1'], ['@leader:orders-1', '@followers:orders-1']], durationMs: 1800 }],
    operations: [
      { atMs: 2351, kind: 'controlled-shutdown', broker: '@leader:orders-1', durationMs: 9649 },
      { atMs: 2451, kind: 'controlled-shutdown', broker: '@leader:orders-1', durationMs: 9549 },
    ],
  };
}

describe('KAFKA-7415 when the next leader has older records above the kept ones', () => {
  const leaderChain = leaderChainOf();
  const settings = ['preset=apache', 'acks=1', 'replica.lag.time.max.ms=2000', 'log.flush.interval.messages=1', 'linger.ms=50', 'max.in.flight.requests.per.connection=1', 'request.timeout.ms=2000', 'auto.leader.rebalance.enable=false', 'leader.imbalance.check.interval.seconds=5', 'broker.rack="az"', 'batch.size=1'];
  const divergenceOn = (kafkaVersion: string) =>
    runResolved(resolveScenario({ ...SCENARIO_PRESETS['check-small'], ...leaderChain }, MODELS, { settings: [...settings, `kafkaVersion=${kafkaVersion}`] })).violations.filter((v) => v.property === 'log-divergence');

  it('Kafka 2.0: permitted by the version naming KAFKA-7415, not a breach', () => {
    const divergence = divergenceOn('2.0');
    expect(divergence).toHaveLength(1);
    expect(divergence[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version', flaws: ['KAFKA-7415'] });
    expect(divergence[0].reason).toMatch(/^Kafka 2\.0: b1, elected leader of epoch 1 at 2\.35\d*s with its log ending at 0 when it took over at 2\.35\d*s, led it briefly; following b2/);
  });

  it('Kafka 2.1: b1 truncates to 0 and nothing diverges', () => {
    expect(divergenceOn('2.1')).toEqual([]);
  });
});

// KAFKA-7415's kept record reaching the producer's order (a re-hunt with one-record batches, as a
// duplicate blamed on it no longer reproduces under batch-granular logs): the leader chain above
// with acks=all and min.insync.replicas=1, and two more controlled shutdowns that make b1 lead
// again (epoch 4 at 14.5 s) with its kept r39 of epoch 1 at offset 0, ahead of b2's r16 (sent
// earlier) at 1. Kafka 2.1 truncates b1 to 0, so nothing there names KAFKA-7415 (decoy).
describe('KAFKA-7415 reaching a client: the brief leader leads again with its kept record', () => {
  const chainThenBack = {
    ...leaderChainOf(),
    durationMs: 25000,
    operations: [
      { atMs: 2351, kind: 'controlled-shutdown', broker: '@leader:orders-1', durationMs: 9649 },
      { atMs: 2451, kind: 'controlled-shutdown', broker: '@leader:orders-1', durationMs: 9549 },
      { atMs: 14000, kind: 'controlled-shutdown', broker: '@leader:orders-1', durationMs: 2000 },
      { atMs: 14500, kind: 'controlled-shutdown', broker: '@leader:orders-1', durationMs: 1000 },
    ],
  };
  const settings = ['preset=apache', 'acks=all', 'min.insync.replicas=1', 'replica.lag.time.max.ms=2000', 'log.flush.interval.messages=1', 'linger.ms=50', 'max.in.flight.requests.per.connection=1', 'request.timeout.ms=2000', 'auto.leader.rebalance.enable=false', 'leader.imbalance.check.interval.seconds=5', 'broker.rack="az"', 'batch.size=1'];
  const violationsOn = (kafkaVersion: string) => runResolved(resolveScenario({ ...SCENARIO_PRESETS['check-small'], ...chainThenBack }, MODELS, { settings: [...settings, `kafkaVersion=${kafkaVersion}`] })).violations;

  it('Kafka 2.0: a record out of send order, permitted by the version naming KAFKA-7415', () => {
    const reorders = violationsOn('2.0').filter((v) => v.property === 'nonmonotonic-send');
    expect(reorders).toMatchObject([{ classification: 'permitted', permittedBy: 'version', flaws: ['KAFKA-7415'] }]);
    expect(reorders[0].message).toContain("p1's r39 (send #16) at offset 0 precedes r16 (send #5) at offset 1");
  });

  it('Kafka 2.1: nothing names KAFKA-7415', () => {
    expect(violationsOn('2.1').some((v) => JSON.stringify(v).includes('KAFKA-7415'))).toBe(false);
  });
});
