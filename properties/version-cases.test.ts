// Known Kafka protocol bugs, each run as a scripted scenario on the last version that had it (the
// violation, classified as that version's and explained with its KIP or JIRA) and on the first
// version with the fix (no violation); and the shared cases about versions (../shared/cases).
import { staleAlterPartition } from './stale-alter-partition.ts';
import { missedEpoch, zkAcks1 } from './zk-acks1-sequences.ts';
import { describe, expect, it } from 'vitest';
import { MODELS } from '../models/index.ts';
import type { Checker } from '../src/check/checker.ts';
import type { ModelEvent } from '../src/sim/model.ts';
import { readKafkaRunSummary } from '../models/kafka/checkers/run-summary-checker.ts';
import type { KafkaFinalState } from '../models/kafka/kafka-events.ts';
import { readSharedCase } from '../models/kafka/testing/shared-cases.ts';
import { resolveScenario } from '../src/scenario/resolve-scenario.ts';
import type { RunReport } from '../src/scenario/run-report.ts';
import { runResolved } from '../src/scenario/run-scenario.ts';

function runScenarioObject(raw: Record<string, unknown>, settings: string[] = []): RunReport {
  return runResolved(resolveScenario(raw, MODELS, { settings }));
}

/** Runs raw and returns its model events too (a checker that only listens). */
function runWithEvents(raw: Record<string, unknown>): { report: RunReport; events: { timeUs: number; event: ModelEvent }[] } {
  const events: { timeUs: number; event: ModelEvent }[] = [];
  const recorder: Checker = { name: 'recorder', onEvent: (timeUs, _node, event) => events.push({ timeUs, event }), finish: () => [] };
  return { report: runResolved(resolveScenario(raw, MODELS, { settings: [] }), { checkers: [recorder] }), events };
}

const of = (report: RunReport, property: string) => report.violations.filter((v) => v.property === property);

/** The one log-divergence of report, a version's flaw, between the pair named; returns its reason. */
function versionDivergence(report: RunReport, pair: string): string {
  const divergence = of(report, 'log-divergence');
  expect(divergence).toHaveLength(1);
  expect(divergence[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
  expect(divergence[0].message).toContain(`${pair} at offset 1`);
  return String(divergence[0].reason);
}

// KIP-279 / KAFKA-6361, fast leader failover with leadership moving on before a replica truncated.
// b1 leads epoch 0 and writes r1, r2 (acks=1) that reach b3 but not b2 (b1's answers to b2 are
// held); b1 crashes; b2 leads epoch 1 and writes r3 at offset 1, while b3's requests to b2 are
// held, so b3 never truncates r1, r2; b2 crashes; b3 (still in the ISR) leads epoch 2 with r1, r2.
// b2 comes back and asks where epoch 1 ends: b3 never had it and answers (epoch 0, offset 3),
// past b2's log end of 2. Kafka 2.0+ truncates b2 to its own end of epoch 0 (offset 1) and drops
// r3; Kafka 0.11-1.1 (no epoch in the answer) keeps r3 where b3 has r1. Kafka 0.11-1.1 ran
// ZooKeeper only: there b2's crash outlasts its 3 s session, since before KIP-380 the controller
// misses a shorter bounce and would never move the leadership to b3.
const fastFailover = (era: string): Record<string, unknown> => ({
  name: 'fast-failover-moving-back',
  model: 'kafka',
  seed: '1',
  durationMs: 30000,
  preset: 'apache',
  era,
  metadataMode: era === 'current' ? 'kraft' : 'zookeeper',
  cluster: { brokers: 3, controllers: 1 },
  config: { acks: '1', 'broker.session.timeout.ms': 3000, 'zookeeper.session.timeout.ms': 3000, 'offsets.topic.num.partitions': 1 },
  topics: [{ name: 't', replicas: [['b1', 'b2', 'b3']] }],
  producers: [{ name: 'p1', az: 'use1-az1', topic: 't', sends: [1000, 2000, 2100, 9000, 20000, 21000].map((atMs) => ({ atMs })) }],
  faults: [
    { atMs: 1500, kind: 'hold', from: 'b1', to: 'b2', durationMs: 1500 },
    { atMs: 3000, kind: 'crash', node: 'b1' },
    { atMs: 5000, kind: 'hold', from: 'b3', to: 'b2', durationMs: 20000 },
    { atMs: 10000, kind: 'crash', node: 'b2', durationMs: era === 'current' ? 2000 : 4000 },
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
    const reason = versionDivergence(report, 'b2 vs b3');
    expect(reason).toMatch(/KIP-279 \(KAFKA-6361\), fixed in Kafka 2\.0/);
  });
});

describe('KAFKA-7164 (fixed in 2.0.1): a follower that missed an epoch under the same leader', () => {
  it('Kafka 2.0: b3 keeps r1 below r2\'s offset when told of epoch 2 by b1: divergence, blamed on the skipped truncation', () => {
    const report = runScenarioObject(missedEpoch('2.0', 'missed-epoch'));
    const reason = versionDivergence(report, 'b3 vs b1');
    expect(reason).toMatch(/^Kafka 2\.0: b3, told at [\d.]+s of epoch 2 by the leader it followed in epoch 0, kept its log from offset \d+ to its end at \d+ \(KAFKA-7164, fixed in Kafka 2\.0\.1/);
    expect(reason).not.toMatch(/KIP-320/);
  });

  it('Kafka 2.1: b3 truncates by epoch when told of epoch 2; no divergence', () => {
    const report = runScenarioObject(missedEpoch('2.1', 'missed-epoch'));
    expect(of(report, 'log-divergence')).toEqual([]);
    expect(report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
  });
});

describe('KIP-320 / KAFKA-6880 (2.1): a zombie replica fetching without epoch fencing', () => {
  it('Kafka 2.0: b3, cut from the controller, fetches epoch-2 records from b1 past its stale r1: divergence, blamed on the unfenced fetch', () => {
    const report = runScenarioObject(missedEpoch('2.0', 'zombie'));
    const reason = versionDivergence(report, 'b3 vs b1');
    expect(reason).toMatch(/^Kafka 2\.0: b3, knowing only epoch 0, fetched records of epoch 2 at [\d.]+s, its log then ending at \d+ \(KIP-320 \(KAFKA-6880\), fixed in Kafka 2\.1/);
    expect(reason).not.toMatch(/KAFKA-7164/);
  });

  it('Kafka 2.1: b1 fences b3\'s fetches of epoch 0 (FENCED_LEADER_EPOCH); b3 holds nothing of epochs 1 and 2; no divergence', () => {
    const report = runScenarioObject(missedEpoch('2.1', 'zombie'));
    expect(of(report, 'log-divergence')).toEqual([]);
    const b3 = (report.outcome.final as KafkaFinalState).partitions[0].logs.find((l) => l.broker === 'b3')!;
    expect(Array.from(b3.records)).toEqual([0, 1]);
  });
});

// KIP-101's second scenario, replica divergence after hard failures (Kafka 0.10 vs 0.11,
// ZooKeeper, RF 2, acks=1). r0 (flushed by 31 s) and r1 (35 s) reach both replicas. b1 crashes
// (41 s) and b2 leads epoch 1; b2 loses power (50 s) and with it r1, which its page cache had not
// written back; it comes back after its session expired and leads epoch 2... with LEO 1, and
// writes r2 at offset 1. b1 comes back (75 s) with r0, r1 and a high watermark of 2. Before
// KIP-101 it truncates to its HW, keeps r1 where b2 has r2, and fetches on from offset 2.
const replicaDivergence = (kafkaVersion: string): Record<string, unknown> =>
  zkAcks1('kip-101-replica-divergence', kafkaVersion, ['b1', 'b2'], 100000, [1000, 35000, 70000, 85000], [
    { atMs: 41000, kind: 'crash', node: 'b1', durationMs: 34000 },
    { atMs: 50000, kind: 'power-loss', node: 'b2', durationMs: 8000 },
  ]);

describe('KIP-101 (0.11), second scenario: replica divergence after hard failures', () => {
  it('Kafka 0.10: b1 keeps r1 below its HW where b2 wrote r2: divergence, blamed on truncation to the HW, not on the power loss', () => {
    const report = runScenarioObject(replicaDivergence('0.10'));
    const reason = versionDivergence(report, 'b1 vs b2');
    expect(reason).toMatch(/^Kafka 0\.10: b1, following the leader of epoch \d+ from [\d.]+s, cut its log only to its high watermark 2 \(KIP-101, fixed in Kafka 0\.11/);
  });

  it('Kafka 0.11: b1 asks where epoch 0 ends on b2 (offset 1) and truncates r1; the logs agree', () => {
    const report = runScenarioObject(replicaDivergence('0.11'));
    expect(of(report, 'log-divergence')).toEqual([]);
    const logs = (report.outcome.final as KafkaFinalState).partitions[0].logs;
    expect(logs.map((l) => [l.broker, Array.from(l.records)]).sort()).toEqual([
      ['b1', [0, 2, 3]],
      ['b2', [0, 2, 3]],
    ]);
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
    expect(final.logs.map((l) => [l.broker, Array.from(l.records)])).toEqual([
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

// ../shared/cases/hw-frozen-below-minisr: RF 3, min.insync.replicas 2, an acks=1 producer; b1 is
// cut off from both followers from 5 s to 25 s, so its ISR shrinks to {b1} (about 10 s).
describe('KAFKA-15583 (KIP-966, Kafka 3.7): no high watermark advance below min ISR', () => {
  /** The HW b1 published while its ISR was below 2, and the records consumed then. */
  function whileUnderMinIsr(era: string) {
    const { report, events } = runWithEvents({ ...readSharedCase('hw-frozen-below-minisr'), era });
    let isr = 3;
    let from = -1;
    let to = -1;
    const hws: number[] = [];
    let consumedUnder = 0;
    for (const { timeUs, event } of events) {
      if ((event.type === 'isr-shrink' || event.type === 'isr-expand') && event.partition === 't-0') {
        isr = (event.isr as string[]).length;
        if (isr < 2 && from < 0) from = timeUs;
        if (isr >= 2 && from >= 0 && to < 0) to = timeUs;
      } else if (event.type === 'hw' && event.partition === 't-0' && isr < 2) hws.push(event.hw as number);
      else if (event.type === 'process' && isr < 2) consumedUnder += (event.records as number[]).length;
    }
    return { report, from, to, hws, consumedUnder };
  }

  it('current: acks=1 records written while ISR = {b1} stay above the HW, unread, until a follower rejoins', () => {
    const { report, from, to, hws, consumedUnder } = whileUnderMinIsr('current');
    expect(from).toBeGreaterThan(5_000_000);
    expect(to).toBeGreaterThan(from + 5_000_000);
    expect(hws).toEqual([]);
    expect(consumedUnder).toBe(0);
    expect(report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
  });

  it('kip-279 (before 3.7): the HW follows b1 alone and the consumer reads records no other replica has', () => {
    const { hws, consumedUnder } = whileUnderMinIsr('kip-279');
    expect(hws.length).toBeGreaterThan(50);
    expect(consumedUnder).toBeGreaterThan(50);
  });
});


describe('KIP-903 (Kafka 3.5, KRaft): broker epochs in AlterPartition', () => {
  it('current: the controller rejects the stale AlterPartition (b2 registered again since); nothing lost', () => {
    const report = runScenarioObject(staleAlterPartition({ era: 'current' }));
    expect(report.violations).toEqual([]);
  });

  it('Kafka 3.5 (KRaft, the first release with KIP-903): nothing lost', () => {
    const report = runScenarioObject(staleAlterPartition({ kafkaVersion: '3.5' }));
    expect(of(report, 'lost-write')).toEqual([]);
  });

  it('Kafka 3.4 (KRaft, the last release without KIP-903): the empty b2 is taken back into the ISR and elected: the loss is the version\'s flaw naming KIP-903, not the fault load', () => {
    const report = runScenarioObject(staleAlterPartition({ kafkaVersion: '3.4' }));
    const lost = of(report, 'lost-write');
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version', count: 200 });
    expect(lost[0].reason).toMatch(/^b2 lost it to disk-loss out of the ISR at 4\.500s, was taken back into the ISR without it and elected at 16\.000s: KIP-903, fixed in Kafka 3\.5/);
  });

  it('stale-fetch-empty-replica-isr (../shared/cases): current and 3.5: nothing lost; 3.4 (KRaft): nothing lost, the shrink bumped the leader epoch and the stale fetch is fenced; an older era (ZooKeeper, before KIP-380): the empty b2 is taken back into the ISR, kept there by the missed bounce and elected, the version\'s flaw, whether its followers truncate (2.1) or exit (era kip-279) (per version: loss-blame-chain.test.ts)', () => {
    // The fetch b2 sent before its disk loss is held in the network, not in b2's host: it reaches
    // the leader at the release though b2 came back empty (the leader's side of that connection
    // is still open), as KAFKA-14139 describes.
    const raw = readSharedCase('stale-fetch-empty-replica-isr');
    expect(of(runScenarioObject(raw), 'lost-write')).toEqual([]);
    expect(of(runScenarioObject({ ...raw, era: undefined, kafkaVersion: '3.5' }), 'lost-write')).toEqual([]);
    // KRaft before metadata.version 3.6 bumps the leader epoch on every ISR shrink
    // (PartitionChangeBuilder.triggerLeaderEpochBumpIfNeeded): b1 leads epoch 1 from the shrink at
    // 7 s, and b2's held fetch of epoch 0 is answered FENCED_LEADER_EPOCH, so b2 never rejoins
    // empty. KIP-903's own race (properties/stale-alter-partition.ts) has no shrink in it.
    const { report, events } = runWithEvents({ ...raw, era: undefined, kafkaVersion: '3.4' });
    expect(of(report, 'lost-write')).toEqual([]);
    const isrChanges = events.filter((e) => e.event.type === 'isr-shrink' || e.event.type === 'isr-expand').map((e) => e.event);
    expect(isrChanges[0]).toMatchObject({ type: 'isr-shrink', isr: ['b1', 'b3'], leaderEpoch: 1 });
    // b1 (epoch 1) never takes b2 back: the ISR grows only under a later leader.
    expect(isrChanges.some((e) => e.type === 'isr-expand' && (e.leaderEpoch as number) <= 1)).toBe(false);
    // ZooKeeper mode has no broker epochs in its ISR changes (KIP-903 fixed KRaft only) and the
    // leader's own shrink keeps the epoch: the stale fetch puts b2 back. Before KIP-380 (2.2) the
    // controller then misses b2's bounce and leaves it in the ISR; from 2.2 it takes b2 out (nothing
    // lost there): the loss is KIP-380's, permitted by the version (it was called a breach).
    // (Era kip-279, Kafka 2.0: the empty b2 answers b1's and b3's OffsetsForLeaderEpoch
    // UNDEFINED_EPOCH_OFFSET before KAFKA-7415, and they exit rather than truncate: the cluster
    // leads on without the records, a copy of them on the exited brokers' disks.)
    for (const [changes, label] of [[{ era: 'kip-279' }, 'era kip-279'], [{ era: undefined, kafkaVersion: '2.1' }, 'Kafka 2\\.1']] as const) {
      const lost = of(runScenarioObject({ ...raw, ...changes }), 'lost-write');
      expect(lost).toHaveLength(1);
      expect(lost[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
      expect(lost[0].reason).toMatch(new RegExp(`the controller missed its bounce: ${label}: KIP-380, fixed in Kafka 2\\.2`));
      expect(lost[0].flaws).toEqual(['KIP-380']);
    }
  });
});

// KIP-966's last replica standing: RF 3, min.insync.replicas 2, acks=all. b3 leaves the ISR (ISR
// {b1, b2} still meets min ISR), then b2 (ISR {b1}, below it: KIP-966 would keep b2 in the ELR).
// b1, the last ISR member, loses power (its page cache with every record), comes back and is
// elected from ISR {b1}; b2 still holds every record acknowledged while it was in the ISR.
const lastReplicaStanding: Record<string, unknown> = {
  name: 'last-replica-standing',
  model: 'kafka',
  seed: '1',
  durationMs: 30000,
  preset: 'apache',
  cluster: { brokers: 3, controllers: 1 },
  config: { acks: 'all', 'min.insync.replicas': 2, 'unclean.leader.election.enable': false, 'replica.lag.time.max.ms': 2000 },
  topics: [{ name: 't', replicas: [['b1', 'b2', 'b3']] }],
  producers: [{ name: 'p1', az: 'use1-az1', topic: 't', ratePerSec: 50, keys: 0, stopMs: 5000 }],
  faults: [
    { atMs: 1000, kind: 'partition-one-way', from: ['b1'], to: ['b3'], durationMs: 29000 },
    { atMs: 6000, kind: 'partition-one-way', from: ['b1'], to: ['b2'], durationMs: 24000 },
    { atMs: 10000, kind: 'power-loss', node: 'b1', durationMs: 1000 },
  ],
};

describe('KIP-966: last replica standing', () => {
  it('Kafka 4.1 (Eligible Leader Replicas on): b2 joined the ELR when it left the ISR below min ISR; b1 registers after an unclean shutdown and leaves the ISR, and b2 is elected from the ELR: nothing lost', () => {
    const { report, events } = runWithEvents({ ...lastReplicaStanding, kafkaVersion: '4.1' });
    expect(of(report, 'lost-write')).toEqual([]);
    const elections = events.filter((e) => e.event.type === 'election' && e.event.kind !== 'initial').map((e) => e.event);
    expect(elections).toHaveLength(1);
    expect(elections[0]).toMatchObject({ leader: 'b2', isr: ['b2'], previousLeader: 'b1', leaderLogEndOffset: 250 });
    expect(readKafkaRunSummary(report)!.recordsAcked).toBe(250);
  });

  it('Kafka 4.0 (ELR off by default): b1, which lost every record, is elected again as the last ISR member', () => {
    const report = runScenarioObject({ ...lastReplicaStanding, kafkaVersion: '4.0' });
    expect(of(report, 'lost-write')[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version', count: 250 });
  });

  it('the loss is the version\'s documented weakness (no Eligible Leader Replicas before 4.1), not the fault load alone', () => {
    const report = runScenarioObject(lastReplicaStanding);
    const lost = of(report, 'lost-write');
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(lost[0].reason).toMatch(/^b1 lost it to power-loss .* as the last ISR member and was elected at .*, though b2, which left the ISR below min\.insync\.replicas, still held it \(KIP-966's last replica standing/);
  });
});
