// Before 2.1 a follower ahead of its leader, with unclean election off, exits rather than truncate
// (ReplicaFetcherThread.handleOffsetOutOfRange; KAFKA-7414 removed the exit in 2.1). Found by
// `ksim check --scenario check-small --set preset=apache --set kafkaVersion=0.10 --set
// metadataMode=zookeeper` (an auto-commit group of two, --fail-on breach, --seed 17, run 232): b3
// lost its disk at 0.202 s and the controller missed its bounce (KIP-380), so it led orders-1 with
// 1 record; b1 and b2 (LEO 11) got OFFSET_OUT_OF_RANGE and ksim truncated them to 1, keeping r0
// at offset 0, where b3 then appended r634: b1, elected by the preferred election, lost the
// acknowledged r634 and lost-write called it a breach. Kafka 0.10 exits both followers instead.
import { describe, expect, it } from 'vitest';
import { resolveScenario, type Resolution } from '../../../src/scenario/resolve-scenario.ts';
import { runResolved } from '../../../src/scenario/run-scenario.ts';
import { MODELS, SCENARIO_PRESETS } from '../../index.ts';
import type { KafkaModel } from '../kafka-model.ts';
import { readCoverage } from '../checkers/coverage-observer.ts';
import { judgeRun } from '../../../src/scenario/verdict.ts';
import { kafkaDefinition } from '../kafka-definition.ts';

const RUN_232 = {
  ...SCENARIO_PRESETS['check-small'],
  metadataMode: 'zookeeper',
  cluster: { brokers: 3, controllers: 3, 'broker.rack': 'az' },
  config: { acks: 'all', 'min.insync.replicas': 2, 'unclean.leader.election.enable': false },
  consumerGroups: [{ 'group.id': 'g1', topics: ['orders'], processingMs: 5, commit: 'auto', members: [{ name: 'm1', az: 'use1-az1' }, { name: 'm2', az: 'use1-az2' }] }],
  faults: [{ atMs: 202, kind: 'disk-loss', node: '@follower:orders-0', durationMs: 1 }],
  operations: [
    { atMs: 4787, kind: 'reassign-partitions', topic: 'orders', partition: 1, replicas: ['b1', 'b2', 'b3'] },
    { atMs: 7418, kind: 'preferred-leader-election' },
  ],
};

type Ev = { type: string; partition?: string; reason?: string; restartInMs?: number | null };

/**
 * The resolution with a supervisor restarting an exited broker after restartMs: only the msk preset
 * has one, and MSK never offered 0.10, so the test sets the deployment's delay on the model's scenario.
 */
function supervised(res: Resolution, restartMs: number): Resolution {
  const definition = res.definition;
  const create: typeof definition.create = (setup) => {
    const instance = definition.create(setup);
    (instance.model as KafkaModel).world.scenario.processRestartMs = restartMs;
    return instance;
  };
  return { ...res, definition: { ...definition, create } };
}

/** Run 232 on kafkaVersion (preset apache unless given): its report, its halts and the truncations of orders-1, as [µs, broker, event]. */
function run232(kafkaVersion: string, preset = 'apache', durationMs = 20_000, processRestartMs?: number) {
  const seen: [number, string, Ev][] = [];
  const sink = {
    line: (_i: number, text: string) => {
      if (!text.includes('"broker-halt"') && !text.includes('"orders-1"')) return;
      const [t, kind, node, ev] = JSON.parse(text) as [number, string, string, Ev];
      if (kind === 'ev' && (ev.type === 'broker-halt' || ev.type === 'truncate')) seen.push([t, node, ev]);
    },
  };
  const scenario = { ...RUN_232, preset, kafkaVersion, durationMs } as unknown as (typeof SCENARIO_PRESETS)['check-small'];
  const res = resolveScenario(scenario, MODELS, { seed: '1991589957' });
  const report = runResolved(processRestartMs === undefined ? res : supervised(res, processRestartMs), { lineSink: sink });
  const halts = seen.filter(([, , ev]) => ev.type === 'broker-halt');
  const truncations = seen.filter(([, , ev]) => ev.type === 'truncate');
  const breaches = report.violations.filter((v) => (v as { classification?: string }).classification === 'breach').map((v) => v.property);
  return { report, halts, truncations, breaches };
}

describe('Kafka before 2.1: a follower ahead of its leader exits rather than truncate', () => {
  it('0.10: b1 and b2 halt, naming the partition and both LEOs, keep their records, and nothing is a breach', () => {
    const { report, halts, truncations, breaches } = run232('0.10');
    expect(halts.map(([, node, ev]) => `${node} ${ev.reason}`)).toEqual([
      'b1 log truncation not allowed for orders-1 (leader LEO 1 < follower LEO 11)',
      'b2 log truncation not allowed for orders-1 (leader LEO 1 < follower LEO 11)',
    ]);
    // A plain Apache deployment has no supervisor: nobody restarts them within the run.
    expect(halts.every(([, , ev]) => ev.restartInMs === null)).toBe(true);
    expect(truncations.filter(([, node]) => node !== 'b3')).toEqual([]);
    expect(breaches).toEqual([]);
    expect(readCoverage(report)).toContain('broker exited rather than truncate');
  });

  it("0.10: orders-1's acknowledged records missing from b3's log are lost, with the loss's cause, though a copy survives on the halted followers' disks", () => {
    const { report } = run232('0.10');
    const lostWrites = report.violations.filter((v) => v.property === 'lost-write').map((v) => v.message);
    // b1 and b2 held offsets 0..10 of orders-1 when they exited; the leader b3 had lost them to its
    // disk loss and led on without them (the ZooKeeper controller missed its bounce: KIP-380).
    const orders1 = lostWrites.filter((m) => m.includes('final log of orders-1'));
    expect(orders1).toHaveLength(1);
    expect(orders1[0]).toMatch(/^permitted by the simulated version \(b3 lost it to disk-loss .*KIP-380/);
    expect(orders1[0]).toContain('A copy of all of them survives only on the disk of a broker that exited rather than truncate');
    const summary = report.analysis['kafka-summary'] as { recordsKeptByExitedBroker?: number; brokerExits?: string[] };
    expect(summary.recordsKeptByExitedBroker).toBe(10);
    expect(summary.brokerExits).toEqual([
      '6.415 s b1: log truncation not allowed for orders-1 (leader LEO 1 < follower LEO 11)',
      '6.418 s b2: log truncation not allowed for orders-1 (leader LEO 1 < follower LEO 11)',
    ]);
    // orders-0's loss (b3 elected empty after b2 exited) stays KIP-380's: b1 and b2 exited for orders-1, not for it.
    expect(lostWrites.filter((m) => m.includes('final log of orders-0') && m.includes('KIP-380'))).toHaveLength(1);
  });

  it('0.10, judged 70 s long: both partitions stay under-replicated with b1 and b2 down, which Kafka does (permitted by the version, not a breach)', () => {
    const { report, breaches } = run232('0.10', 'apache', 70_000);
    const liveness = report.violations.filter((v) => v.property === 'liveness-after-heal');
    expect(liveness.map((v) => [(v as { classification?: string }).classification, (v as { permittedBy?: string }).permittedBy])).toEqual([
      ['permitted', 'version'],
      ['permitted', 'version'],
    ]);
    expect(breaches).toEqual([]);
  });

  it('--fail-on KAFKA-7414 fails exactly the runs with an exit it left down: 0.10 judged 70 s long (liveness names it); not the 20 s run, not 2.1', () => {
    const failsOn7414 = (kafkaVersion: string, durationMs: number) => {
      const { report } = run232(kafkaVersion, 'apache', durationMs);
      const verdict = judgeRun(report.violations, ['KAFKA-7414']);
      return { failed: verdict.failed, by: verdict.decidedBy?.property ?? null, named: report.violations.filter((v) => (v.flaws as string[] | undefined)?.includes('KAFKA-7414')).map((v) => v.property) };
    };
    expect(failsOn7414('0.10', 70_000)).toEqual({ failed: true, by: 'liveness-after-heal', named: ['liveness-after-heal', 'liveness-after-heal'] });
    // liveness is not judged 20 s long: the exits are there, but no finding blames them
    expect(failsOn7414('0.10', 20_000)).toEqual({ failed: false, by: null, named: [] });
    // 2.1 has the fix: the followers truncate, nothing names it (and --fail-on refuses the name for 2.1: no run could fail on it)
    expect(failsOn7414('2.1', 70_000)).toEqual({ failed: false, by: null, named: [] });
    expect(kafkaDefinition.versionFlaws).toContain('KAFKA-7414');
    const flawsOf = (kafkaVersion: string) => kafkaDefinition.versionFlawsOf!(resolveScenario({ ...RUN_232, preset: 'apache', kafkaVersion } as unknown as (typeof SCENARIO_PRESETS)['check-small'], MODELS, { seed: '1' }).scenario).flaws;
    expect(flawsOf('2.0')).toContain('KAFKA-7414');
    expect(flawsOf('2.1')).not.toContain('KAFKA-7414');
  }, 60_000);

  it('1.1 on MSK: the service restarts the halted brokers 10 s later; the leader cannot place their epoch (UNDEFINED_EPOCH_OFFSET before 2.1), so each restart truncates to its HW and exits again, at the restart pace, not a storm', () => {
    const { halts } = run232('1.1', 'msk');
    expect(halts[0][0]).toBeGreaterThan(6_000_000);
    for (const broker of ['b1', 'b2']) {
      const mine = halts.filter(([, node]) => node === broker);
      expect(mine.length).toBeGreaterThanOrEqual(2);
      for (const [, , ev] of mine) expect(ev.restartInMs).toBe(10_000);
      for (let i = 1; i < mine.length; i++) expect(mine[i][0] - mine[i - 1][0]).toBeGreaterThanOrEqual(10_000_000);
    }
  });

  it('0.10 restarted 8 s after each exit (past the 6 s ZooKeeper session): each restart truncates to its HW checkpoint, fetches from b3 (which leads both partitions by then) and exits again, once per restart', () => {
    const { halts } = run232('0.10', 'apache', 40_000, 8000);
    for (const broker of ['b1', 'b2']) {
      const times = halts.filter(([, node]) => node === broker).map(([t]) => t);
      // the first exit at 6.4 s, then one per restart (8 s, plus registering and fetching): a loop, not a storm
      expect(times.length).toBeGreaterThanOrEqual(3);
      expect(times.length).toBeLessThanOrEqual(Math.floor((40_000_000 - times[0]) / 8_000_000) + 1);
      for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(8_000_000);
    }
  });

  it('decoy 2.1 (KAFKA-7414): the same followers truncate to the leader as before, and no broker halts', () => {
    const { report, halts, truncations } = run232('2.1');
    expect(halts).toEqual([]);
    expect(readCoverage(report)).not.toContain('broker exited rather than truncate');
    const truncated = truncations.filter(([, node]) => node === 'b1' || node === 'b2').map(([, node, ev]) => `${node} ${ev.reason}`);
    expect(truncated.sort()).toEqual(['b1 leader-epoch', 'b2 leader-epoch']); // in either order
  });
});
