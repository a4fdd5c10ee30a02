// Rolling upgrades through mixed versions (the `upgrade`, `rolling-restart` with
// inter.broker.protocol.version and `update-features` operations): a broker's own code changes at
// its restart, what needs a request version between brokers only once the protocol level is
// raised, as Kafka's upgrade procedure (docs/upgrade.html) has it. Each known-bug sequence of
// version-cases.test.ts is run after the upgrade steps, shifted later in time.
import { staleAlterPartition as staleAlterPartitionOf } from './stale-alter-partition.ts';
import { missedEpoch } from './zk-acks1-sequences.ts';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../src/scenario/run-report.ts';
import { readKafkaRunSummary } from '../models/kafka/checkers/run-summary-checker.ts';
import { refusal, runScenario, type Scenario } from '../models/kafka/testing/scenario-run.ts';

const of = (report: RunReport, property: string) => report.violations.filter((v) => v.property === property);

/** raw with every send and fault moved shiftMs later (the run as long again), and `operations` before them. */
function after(raw: Scenario, shiftMs: number, operations: object[]): Scenario {
  const producers = (raw.producers as { sends?: { atMs: number }[]; stopMs?: number; startMs?: number }[]).map((p) => ({
    ...p,
    ...(p.sends === undefined ? {} : { sends: p.sends.map((s) => ({ ...s, atMs: s.atMs + shiftMs })) }),
    ...(p.stopMs === undefined ? {} : { stopMs: p.stopMs + shiftMs, startMs: (p.startMs ?? 0) + shiftMs }),
  }));
  const faults = (raw.faults as { atMs: number }[]).map((f) => ({ ...f, atMs: f.atMs + shiftMs }));
  return { ...raw, durationMs: (raw.durationMs as number) + shiftMs, producers, faults, operations };
}

/** The operation events of a run: "time s: subject [error]". */
function operationsOf(run: ReturnType<typeof runScenario>): string[] {
  return run.events.filter(([, , e]) => e.type === 'operation').map(([t, , e]) => `${(t / 1e6).toFixed(0)}s ${e.operation}: ${e.subject}${e.error === null ? '' : ` [${e.error}]`}`);
}

/** A rolling upgrade of `brokers` to `to` from 2 s, 1 s down each. */
const upgrade = (to: string, brokers: string[]) => ({ atMs: 2000, kind: 'upgrade', brokers, to, durationMs: 1000 });
/** The second rolling restart, raising inter.broker.protocol.version, at atMs. */
const raiseIbp = (atMs: number, version: string) => ({ atMs, kind: 'rolling-restart', durationMs: 1000, 'inter.broker.protocol.version': version });

const SHIFT_MS = 120_000;

describe('KAFKA-7164 (software, Partition.makeFollower): fixed on an upgraded broker at once, whatever the IBP', () => {
  it('b1 and b2 upgraded to 2.1, b3 still on 2.0: b3 skips truncation under the same leader; divergence, blamed on KAFKA-7164', () => {
    const run = runScenario(after(missedEpoch('2.0', 'missed-epoch'), SHIFT_MS, [upgrade('2.1', ['b1', 'b2'])]));
    expect(operationsOf(run).filter((o) => o.includes('starts'))).toEqual([
      expect.stringMatching(/upgrade: b1 starts on Kafka 2\.1 \(inter\.broker\.protocol\.version 2\.0\)$/),
      expect.stringMatching(/upgrade: b2 starts on Kafka 2\.1 \(inter\.broker\.protocol\.version 2\.0\)$/),
    ]);
    const divergence = of(run.report, 'log-divergence');
    expect(divergence).toHaveLength(1);
    expect(divergence[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(String(divergence[0].reason)).toMatch(/^b3 on Kafka 2\.0: b3, told at [\d.]+s of epoch \d+ by the leader it followed in epoch \d+, kept its log from offset \d+ to its end at \d+ \(KAFKA-7164/);
  });

  it('b3 upgraded to 2.1 (IBP still 2.0): it truncates when told of the newer epoch; no divergence', () => {
    const run = runScenario(after(missedEpoch('2.0', 'missed-epoch'), SHIFT_MS, [upgrade('2.1', ['b3'])]));
    expect(of(run.report, 'log-divergence')).toEqual([]);
    expect(run.events.some(([, node, e]) => node === 'b3' && e.type === 'protocol-flaw')).toBe(false);
  });
});

describe('KIP-320 (protocol: Fetch v10 needs inter.broker.protocol.version 2.1): fencing waits for the final step', () => {
  it('a 2.0 follower (b3) under a 2.1 leader: the zombie fetch is not fenced; divergence, blamed on the unfenced fetch', () => {
    const run = runScenario(after(missedEpoch('2.0', 'zombie'), SHIFT_MS, [upgrade('2.1', ['b1', 'b2'])]));
    const divergence = of(run.report, 'log-divergence');
    expect(divergence).toHaveLength(1);
    // blamed on what b3 ran when it fetched: 2.0 software (b1 and b2 run 2.1)
    expect(String(divergence[0].reason)).toMatch(/^b3 on Kafka 2\.0: b3, knowing only epoch \d+, fetched records of epoch \d+ at [\d.]+s, its log then ending at \d+ \(KIP-320/);
  });

  it('every broker on 2.1 but inter.broker.protocol.version still 2.0: still not fenced; divergence', () => {
    const run = runScenario(after(missedEpoch('2.0', 'zombie'), SHIFT_MS, [upgrade('2.1', ['b1', 'b2', 'b3'])]));
    const divergence = of(run.report, 'log-divergence');
    expect(divergence).toHaveLength(1);
    expect(run.events.some(([, node, e]) => node === 'b3' && e.type === 'protocol-flaw' && e.flaw === 'unfenced-fetch')).toBe(true);
    // b3's software has the fix; its protocol level does not
    expect(String(divergence[0].reason)).toMatch(/^b3 at inter\.broker\.protocol\.version 2\.0: b3, knowing only epoch/);
    expect(run.events.filter(([, , e]) => e.type === 'version-change').map(([, node, e]) => `${node} ${e.software} ${e.protocolLevel}`)).toEqual(['b1 2.1 2.0', 'b2 2.1 2.0', 'b3 2.1 2.0']);
  });

  it('after the second rolling restart with inter.broker.protocol.version 2.1: b1 fences b3\'s stale fetches; no divergence', () => {
    const run = runScenario(after(missedEpoch('2.0', 'zombie'), SHIFT_MS, [upgrade('2.1', ['b1', 'b2', 'b3']), raiseIbp(40_000, '2.1')]));
    const ops = operationsOf(run);
    expect(ops.filter((o) => o.includes('starts with inter.broker.protocol.version 2.1'))).toHaveLength(3);
    // The IBP roll starts after the upgrade roll has ended.
    expect(ops.findIndex((o) => o.includes('b3 starts on Kafka 2.1'))).toBeLessThan(ops.findIndex((o) => o.includes('b1 starts with inter.broker')));
    expect(of(run.report, 'log-divergence')).toEqual([]);
    const b3 = run.final.partitions[0].logs.find((l) => l.broker === 'b3')!;
    expect(Array.from(b3.records)).toEqual([0, 1]);
  });
});

// The KIP-903 sequence (KRaft, RF 2, acks=all; stale-alter-partition.ts): b1's AlterPartition
// adding b2 is held while b2 loses its disk; without broker epochs the controller takes the empty b2 back.
const staleAlterPartition = staleAlterPartitionOf({ kafkaVersion: '3.4', metadataMode: 'kraft' }) as Scenario;

describe('KIP-903 (protocol: metadata.version 3.5-IV1, KRaft): broker epochs once metadata.version is finalized', () => {
  const upgraded = [{ atMs: 2000, kind: 'upgrade', brokers: ['b1', 'b2'], to: '3.5', durationMs: 1000 }];

  it('both brokers on 3.5, metadata.version still 3.4: the empty b2 is taken back into the ISR; the loss names KIP-903', () => {
    const run = runScenario(after(staleAlterPartition, 60_000, upgraded));
    const lost = of(run.report, 'lost-write');
    expect(lost).toHaveLength(1);
    // the brokers' software has the fix; the finalized metadata.version does not
    expect(lost[0].reason).toMatch(/: metadata\.version 3\.4: KIP-903/);
  });

  it('after update-features metadata.version 3.5: the controller rejects the stale AlterPartition; nothing lost', () => {
    const run = runScenario(after(staleAlterPartition, 60_000, [...upgraded, { atMs: 40_000, kind: 'update-features', 'metadata.version': '3.5' }]));
    expect(operationsOf(run)).toContain('40s update-features: metadata.version 3.5');
    expect(of(run.report, 'lost-write')).toEqual([]);
  });

  it('update-features before the rolling upgrade can have restarted b1 and b2 is refused when the scenario is read', () => {
    expect(refusal(after(staleAlterPartition, 60_000, [...upgraded, { atMs: 2500, kind: 'update-features', 'metadata.version': '3.5' }]))).toMatch(
      /operations\[1\]\.metadata\.version.*brokers "b1", "b2" are still on older software at 2500 ms.*before 4000 ms/,
    );
  });

  it('update-features while b2 is still down for its upgrade (registered on 3.4) is refused (INVALID_UPDATE_VERSION) at run time and changes nothing', () => {
    // 4 s is the earliest b2 can be back (two turns of 1 s from 2 s); its controlled shutdown and re-registration take longer
    const run = runScenario(after(staleAlterPartition, 60_000, [...upgraded, { atMs: 4000, kind: 'update-features', 'metadata.version': '3.5' }]));
    expect(operationsOf(run)).toContain('4s update-features: metadata.version 3.5: broker b2 runs Kafka 3.4, which does not support metadata.version 3.5 [INVALID_UPDATE_VERSION]');
    expect(of(run.report, 'lost-write')).toHaveLength(1);
    // the summary says so: a user scripting an upgrade sees that its final step failed
    expect(readKafkaRunSummary(run.report)!.operationsRefused).toEqual([
      expect.stringMatching(/^4\.000 s update-features metadata\.version 3\.5: broker b2 runs Kafka 3\.4, which does not support metadata\.version 3\.5 \(INVALID_UPDATE_VERSION\)$/),
    ]);
    expect(readKafkaRunSummary(runScenario(after(staleAlterPartition, 60_000, upgraded)).report)!.operationsRefused).toEqual([]);
  });
});

// A rolling upgrade under acks=all load (RF 3, min.insync.replicas 2): each broker's controlled
// shutdown moves its leaderships away first, so nothing acknowledged is lost and no check fires.
const steadyLoad = (kafkaVersion: string, metadataMode: string, operations: object[]): Scenario => ({
  name: 'rolling-upgrade',
  model: 'kafka',
  seed: '1',
  durationMs: 90000,
  preset: 'apache',
  kafkaVersion,
  metadataMode,
  cluster: { brokers: 3, controllers: 1 },
  config: { acks: 'all', 'min.insync.replicas': 2, 'enable.idempotence': true, 'auto.offset.reset': 'earliest' },
  topics: [{ name: 't', partitions: 3, 'replication.factor': 3 }],
  producers: [{ name: 'p1', az: 'use1-az1', topic: 't', ratePerSec: 50, keys: 10 }],
  consumerGroups: [{ 'group.id': 'g', topics: ['t'], members: 2 }],
  operations,
});

describe('a rolling upgrade under load keeps every acknowledged record', () => {
  it('KRaft 3.6 to 3.7, then metadata.version 3.7: no violation, records acknowledged throughout, the timeline shows each step', () => {
    const run = runScenario(steadyLoad('3.6', 'kraft', [{ atMs: 5000, kind: 'upgrade', to: '3.7' }, { atMs: 70_000, kind: 'update-features', 'metadata.version': '3.7' }]));
    expect(run.report.violations).toEqual([]);
    expect(readKafkaRunSummary(run.report)!.recordsAcked).toBeGreaterThan(3000);
    expect(operationsOf(run).map((o) => o.replace(/^\d+s /, ''))).toEqual([
      'upgrade: b1 stops to upgrade to Kafka 3.7',
      'upgrade: b1 starts on Kafka 3.7 (metadata.version 3.6)',
      'upgrade: b2 stops to upgrade to Kafka 3.7',
      'upgrade: b2 starts on Kafka 3.7 (metadata.version 3.6)',
      'upgrade: b3 stops to upgrade to Kafka 3.7',
      'upgrade: b3 starts on Kafka 3.7 (metadata.version 3.6)',
      'update-features: metadata.version 3.7',
    ]);
  });

  it('ZooKeeper 2.8 to 3.5, then inter.broker.protocol.version 3.5: no violation', () => {
    const run = runScenario(steadyLoad('2.8', 'zookeeper', [{ atMs: 5000, kind: 'upgrade', to: '3.5', durationMs: 3000 }, raiseIbp(45_000, '3.5')]));
    expect(run.report.violations).toEqual([]);
    expect(operationsOf(run).filter((o) => o.includes('starts with inter.broker.protocol.version 3.5'))).toHaveLength(3);
  });
});

describe('rolling operations run one at a time, in the order they start (as MSK runs cluster updates)', () => {
  it('an upgrade to 4.1 started while one to 4.0 is rolling waits for it: no broker stops twice at once, every broker ends on 4.1', () => {
    const run = runScenario(steadyLoad('3.7', 'kraft', [{ atMs: 5000, kind: 'upgrade', to: '4.0', durationMs: 3000 }, { atMs: 6000, kind: 'upgrade', to: '4.1', durationMs: 3000 }]));
    const steps = operationsOf(run).map((o) => o.replace(/^\d+s upgrade: /, '').replace(/ \(metadata\.version 3\.7\)$/, ''));
    expect(steps).toEqual(
      ['4.0', '4.1'].flatMap((to) => ['b1', 'b2', 'b3'].flatMap((b) => [`${b} stops to upgrade to Kafka ${to}`, `${b} starts on Kafka ${to}`])),
    );
    expect(run.report.violations).toEqual([]);
  });
});

describe('an upgrade still under way at the end is a disruption the liveness check waits out', () => {
  it('b1 is down for its upgrade when the run ends: liveness-after-heal does not call the cluster unrecovered', () => {
    const raw = { ...steadyLoad('3.6', 'kraft', [{ atMs: 5000, kind: 'upgrade', broker: 'b1', to: '3.7', durationMs: 100_000 }]), durationMs: 60_000 };
    const run = runScenario(raw);
    expect(operationsOf(run)).toEqual(['5s upgrade: b1 stops to upgrade to Kafka 3.7']);
    expect(run.report.violations).toEqual([]);
  });
});

// KIP-380 through an upgrade (ZooKeeper, 2.1 to 2.2): the controller (ksim's runs the oldest
// software a broker runs) misses b3's 500 ms bounce while any broker is still on 2.1. The
// one-broker upgrade ends the fault horizon at its own restart, so liveness-after-heal judges the run.
const bounceAfterUpgrade = (upgrade: object): Scenario => ({
  name: 'bounce-after-upgrade',
  model: 'kafka',
  seed: '1',
  preset: 'apache',
  kafkaVersion: '2.1',
  durationMs: 120000,
  config: { acks: 'all', 'min.insync.replicas': 2 },
  topics: [{ name: 'orders', partitions: 3, 'replication.factor': 3 }],
  producers: [{ name: 'p1', az: 'use1-az1', topic: 'orders', ratePerSec: 50, keys: 10 }],
  operations: [upgrade],
  faults: [{ atMs: 60000, kind: 'crash', node: 'b3', durationMs: 500 }],
});

describe('KIP-380 (controller software): the bounce is missed until every broker runs 2.2', () => {
  it('b1 alone upgraded: b3\'s bounce is missed; liveness-after-heal names the controller on 2.1', () => {
    const stuck = of(runScenario(bounceAfterUpgrade({ atMs: 2000, kind: 'upgrade', to: '2.2', broker: 'b1' })).report, 'liveness-after-heal');
    expect(stuck.length).toBeGreaterThan(0);
    for (const v of stuck) {
      expect(v).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
      expect(String(v.reason)).toMatch(/^the controller on Kafka 2\.1 \(the oldest software a broker runs\): KIP-380/);
    }
  });

  it('every broker upgraded (rolling, 5 s down each, done by 60 s): the bounce is seen; every partition recovers', () => {
    const run = runScenario(bounceAfterUpgrade({ atMs: 2000, kind: 'upgrade', to: '2.2', durationMs: 5000, isrWaitMs: 1000 }));
    expect(run.events.filter(([t, , e]) => e.type === 'version-change' && t < 60e6)).toHaveLength(3);
    // judged, not skipped: the horizon (3 x (30 s shutdown timeout + 5 s) + 2 x 1 s from 2 s) ends before the run
    expect(of(run.report, 'liveness-after-heal')).toEqual([]);
    expect(run.final.partitions.filter((p) => p.leaderWithoutState)).toEqual([]);
    expect(run.report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
  });
});
