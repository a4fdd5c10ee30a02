// Known Kafka protocol bugs, each run as a scripted scenario on the last version that had it (the
// violation, classified as that version's and explained with its KIP or JIRA) and on the first
// version with the fix (no violation); and the shared cases about versions (../shared/cases).
import { describe, expect, it } from 'vitest';
import { MODELS } from '../models/index.ts';
import { readKafkaRunSummary } from '../models/kafka/checkers/run-summary-checker.ts';
import type { KafkaFinalState } from '../models/kafka/kafka-events.ts';
import { readSharedCase } from '../models/kafka/testing/shared-cases.ts';
import { resolveScenario } from '../src/scenario/resolve-scenario.ts';
import type { RunReport } from '../src/scenario/run-report.ts';
import { runResolved } from '../src/scenario/run-scenario.ts';

function runScenarioObject(raw: Record<string, unknown>, settings: string[] = []): RunReport {
  return runResolved(resolveScenario(raw, MODELS, { settings }));
}

const of = (report: RunReport, property: string) => report.violations.filter((v) => v.property === property);

// KIP-279 / KAFKA-6361, fast leader failover with leadership moving on before a replica truncated.
// b1 leads epoch 0 and writes r1, r2 (acks=1) that reach b3 but not b2 (b1's answers to b2 are
// held); b1 crashes; b2 leads epoch 1 and writes r3 at offset 1, while b3's requests to b2 are
// held, so b3 never truncates r1, r2; b2 crashes; b3 (still in the ISR) leads epoch 2 with r1, r2.
// b2 comes back and asks where epoch 1 ends: b3 never had it and answers (epoch 0, offset 3),
// past b2's log end of 2. Kafka 2.0+ truncates b2 to its own end of epoch 0 (offset 1) and drops
// r3; Kafka 0.11-1.1 (no epoch in the answer) keeps r3 where b3 has r1.
const fastFailover = (era: string): Record<string, unknown> => ({
  name: 'fast-failover-moving-back',
  model: 'kafka',
  seed: '1',
  durationMs: 30000,
  preset: 'apache',
  era,
  cluster: { brokers: 3, controllers: 1 },
  config: { acks: '1', 'broker.session.timeout.ms': 3000, 'offsets.topic.num.partitions': 1 },
  topics: [{ name: 't', replicas: [['b1', 'b2', 'b3']] }],
  producers: [{ name: 'p1', az: 'use1-az1', topic: 't', sends: [1000, 2000, 2100, 9000, 20000, 21000].map((atMs) => ({ atMs })) }],
  faults: [
    { atMs: 1500, kind: 'hold', from: 'b1', to: 'b2', durationMs: 1500 },
    { atMs: 3000, kind: 'crash', node: 'b1' },
    { atMs: 5000, kind: 'hold', from: 'b3', to: 'b2', durationMs: 20000 },
    { atMs: 10000, kind: 'crash', node: 'b2', durationMs: 2000 },
  ],
});

describe('KIP-279 (KAFKA-6361): fast leader failover', () => {
  it('current: the replica that led epoch 1 briefly truncates to its end of epoch 0; no divergence', () => {
    const report = runScenarioObject(fastFailover('current'));
    expect(of(report, 'log-divergence')).toEqual([]);
    expect(report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
  });

  it('kip-101 (0.11-1.1): the replica keeps its epoch-1 record where the leader has epoch 0: divergence, the version\'s flaw', () => {
    const report = runScenarioObject(fastFailover('kip-101'));
    const divergence = of(report, 'log-divergence');
    expect(divergence).toHaveLength(1);
    expect(divergence[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(divergence[0].message).toMatch(/b2 vs b3 at offset 1/);
    expect(divergence[0].reason).toMatch(/KIP-279 \(KAFKA-6361\), fixed in Kafka 2\.0/);
  });
});

// ../shared/cases/zk-leader-power-blip: ZooKeeper mode, the leader B loses power for 1 ms (its
// page cache, so both records, with it). The restarted process has no partition state and cannot
// register while its old session's znode lives (18 s); it must not lead again with an empty log.
describe('ZooKeeper mode: a restarted broker waits for the controller (KIP-380)', () => {
  it('zk-leader-power-blip, current: B leads nothing on its own, A is elected when B\'s old session expires; nothing lost', () => {
    const raw = readSharedCase('zk-leader-power-blip');
    const report = runScenarioObject(raw);
    expect(report.violations).toEqual([]);
    // Within the case's 20 s, B's old session (last heard about 3 s) has not expired: t-0 is
    // unavailable, not overwritten. Run on, and A leads with both records.
    const longer = runScenarioObject({ ...raw, durationMs: 120000 });
    expect(longer.violations).toEqual([]);
    expect(readKafkaRunSummary(longer)!.recordsAcked).toBe(2);
    const final = (longer.outcome.final as KafkaFinalState).partitions[0];
    expect(final).toMatchObject({ leader: 'A', leaderEpoch: 1 });
    expect(final.logs.map((l) => [l.broker, l.records])).toEqual([
      ['B', [0, 1]],
      ['A', [0, 1]],
    ]);
  });

  it('zk-leader-power-blip before KIP-380 (kip-279): the controller misses the bounce; t-0 stays unavailable, nothing overwritten, classified as the version\'s', () => {
    const report = runScenarioObject({ ...readSharedCase('zk-leader-power-blip'), era: 'kip-279', durationMs: 120000 });
    expect(of(report, 'lost-write')).toEqual([]);
    const stuck = of(report, 'liveness-after-heal');
    expect(stuck).toHaveLength(1);
    expect(stuck[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(stuck[0].message).toMatch(/leader B holds no state for it/);
    expect(stuck[0].reason).toMatch(/KIP-380, fixed in Kafka 2\.2/);
  });
});
