// Before 2.1 a follower ahead of its leader, with unclean election off, exits rather than truncate
// (ReplicaFetcherThread.handleOffsetOutOfRange; KAFKA-7414 removed the exit in 2.1). Found by
// `ksim check` on Kafka 0.10 through a missed bounce (KIP-380) that made an empty broker lead; that
// run's bounce was a 1 ms disk loss, which no longer reaches the flaw: a process restarted within
// its old ZooKeeper session exits (NODEEXISTS, zk-restart-within-session.test.ts). Here the
// missed bounce is ../shared/cases/stale-fetch-empty-replica-isr with b2's disk loss re-placed to
// end at 12.225 s, after its old session (6 s) expired and before the controller handled it: the
// stale fetch keeps the empty b2 in t-0's ISR, b1 is cut off and b3 crashes at 9.3 s, b2 is elected
// with nothing, and when b1 and b3 come back (39.3 s) they fetch past its end (LEO 225 against 0).
// Kafka 0.10 exits both followers there (ksim once truncated them, calling the loss a breach).
import { describe, expect, it } from 'vitest';
import { resolveScenario, type Resolution } from '../../../src/scenario/resolve-scenario.ts';
import { runResolved } from '../../../src/scenario/run-scenario.ts';
import { MODELS } from '../../index.ts';
import type { KafkaModel } from '../kafka-model.ts';
import { readCoverage } from '../checkers/coverage-observer.ts';
import { judgeRun } from '../../../src/scenario/verdict.ts';
import { kafkaDefinition } from '../kafka-definition.ts';
import { readSharedCase } from '../testing/shared-cases.ts';

/** The case with b2's disk loss ending at 12.225 s (KIP-380's race), on kafkaVersion. */
function missedBounce(kafkaVersion: string, preset: string, durationMs: number): Record<string, unknown> {
  const raw = readSharedCase('stale-fetch-empty-replica-isr') as Record<string, unknown> & { faults: { kind: string }[] };
  const faults = raw.faults.map((f) => (f.kind === 'disk-loss' ? { ...f, durationMs: 4725 } : f));
  return { ...raw, faults, era: undefined, kafkaVersion, preset, durationMs };
}

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

/** The run on kafkaVersion (preset apache unless given): its report, its halts and the truncations of t-0, as [µs, broker, event]. */
function runCase(kafkaVersion: string, preset = 'apache', durationMs = 60_000, processRestartMs?: number) {
  const seen: [number, string, Ev][] = [];
  const sink = {
    line: (_i: number, text: string) => {
      if (!text.includes('"broker-halt"') && !text.includes('"truncate"')) return;
      const [t, kind, node, ev] = JSON.parse(text) as [number, string, string, Ev];
      if (kind === 'ev' && (ev.type === 'broker-halt' || ev.type === 'truncate')) seen.push([t, node, ev]);
    },
  };
  const res = resolveScenario(missedBounce(kafkaVersion, preset, durationMs), MODELS, { settings: [] });
  const report = runResolved(processRestartMs === undefined ? res : supervised(res, processRestartMs), { lineSink: sink });
  const halts = seen.filter(([, , ev]) => ev.type === 'broker-halt');
  const truncations = seen.filter(([, , ev]) => ev.type === 'truncate' && ev.reason !== 'log-recovery');
  const breaches = report.violations.filter((v) => (v as { classification?: string }).classification === 'breach').map((v) => v.property);
  return { report, halts, truncations, breaches };
}

describe('Kafka before 2.1: a follower ahead of its leader exits rather than truncate', () => {
  it('0.10: b3 and b1 halt, naming the partition and both LEOs, keep their records, and nothing is a breach', () => {
    const { report, halts, truncations, breaches } = runCase('0.10');
    expect(report.stats.model.missedBrokerBounces).toBe(1);
    expect(halts.map(([, node, ev]) => `${node} ${ev.reason}`)).toEqual([
      'b3 log truncation not allowed for t-0 (leader LEO 0 < follower LEO 225)',
      'b1 log truncation not allowed for t-0 (leader LEO 0 < follower LEO 225)',
    ]);
    // A plain Apache deployment has no supervisor: nobody restarts them within the run.
    expect(halts.every(([, , ev]) => ev.restartInMs === null)).toBe(true);
    expect(truncations.filter(([, node]) => node !== 'b2')).toEqual([]);
    expect(breaches).toEqual([]);
    expect(readCoverage(report)).toContain('broker exited rather than truncate');
  });

  it("0.10: t-0's acknowledged records missing from b2's log are lost, with the loss's cause, though a copy survives on the halted followers' disks", () => {
    const { report } = runCase('0.10');
    const lostWrites = report.violations.filter((v) => v.property === 'lost-write');
    expect(lostWrites).toHaveLength(1);
    expect(lostWrites[0].message).toMatch(/^permitted by the simulated version \(b2 lost it to disk-loss .*KIP-380/);
    expect(lostWrites[0].message).toContain('A copy of all of them survives only on the disk of a broker that exited rather than truncate');
    const summary = report.analysis['kafka-summary'] as { recordsKeptByExitedBroker?: number; brokerExits?: string[] };
    expect(summary.recordsKeptByExitedBroker).toBe(225);
    expect(summary.brokerExits).toEqual([
      '39.307 s b3: log truncation not allowed for t-0 (leader LEO 0 < follower LEO 225)',
      '39.704 s b1: log truncation not allowed for t-0 (leader LEO 0 < follower LEO 225)',
    ]);
  });

  it('0.10, judged 120 s long: t-0 stays under-replicated with b1 and b3 down, which Kafka does (permitted by the version, not a breach)', () => {
    const { report, breaches } = runCase('0.10', 'apache', 120_000);
    const liveness = report.violations.filter((v) => v.property === 'liveness-after-heal');
    expect(liveness.map((v) => [(v as { classification?: string }).classification, (v as { permittedBy?: string }).permittedBy, v.flaws])).toEqual([['permitted', 'version', ['KAFKA-7414']]]);
    expect(breaches).toEqual([]);
  });

  it('--fail-on KAFKA-7414 fails exactly the runs with an exit it left down: 0.10 judged 120 s long (liveness names it); not the 60 s run, not 2.1', () => {
    const failsOn7414 = (kafkaVersion: string, durationMs: number) => {
      const { report } = runCase(kafkaVersion, 'apache', durationMs);
      const verdict = judgeRun(report.violations, ['KAFKA-7414']);
      return { failed: verdict.failed, by: verdict.decidedBy?.property ?? null, named: report.violations.filter((v) => (v.flaws as string[] | undefined)?.includes('KAFKA-7414')).map((v) => v.property) };
    };
    expect(failsOn7414('0.10', 120_000)).toEqual({ failed: true, by: 'liveness-after-heal', named: ['liveness-after-heal'] });
    // liveness is not judged 60 s long: the exits are there, but no finding blames them
    expect(failsOn7414('0.10', 60_000)).toEqual({ failed: false, by: null, named: [] });
    // 2.1 has the fix: the followers truncate, nothing names it (and --fail-on refuses the name for 2.1: no run could fail on it)
    expect(failsOn7414('2.1', 120_000)).toEqual({ failed: false, by: null, named: [] });
    expect(kafkaDefinition.versionFlaws).toContain('KAFKA-7414');
    const flawsOf = (kafkaVersion: string) => kafkaDefinition.versionFlawsOf!(resolveScenario(missedBounce(kafkaVersion, 'apache', 60_000), MODELS, { seed: '1' }).scenario).flaws;
    expect(flawsOf('2.0')).toContain('KAFKA-7414');
    expect(flawsOf('2.1')).not.toContain('KAFKA-7414');
  }, 60_000);

  it('1.1 on MSK: the service restarts the halted brokers 10 s later; the leader cannot place their epoch (UNDEFINED_EPOCH_OFFSET before 2.1), so each restart truncates to its HW and exits again, at the restart pace, not a storm', () => {
    const { halts } = runCase('1.1', 'msk');
    expect(halts[0][0]).toBeGreaterThan(39_000_000);
    for (const broker of ['b1', 'b3']) {
      const mine = halts.filter(([, node]) => node === broker);
      expect(mine.length).toBeGreaterThanOrEqual(2);
      for (const [, , ev] of mine) expect(ev.restartInMs).toBe(10_000);
      for (let i = 1; i < mine.length; i++) expect(mine[i][0] - mine[i - 1][0]).toBeGreaterThanOrEqual(10_000_000);
    }
  });

  it('0.10 restarted 8 s after each exit (past the 6 s ZooKeeper session): each restart truncates to its HW checkpoint, fetches from b2 and exits again, once per restart', () => {
    const { halts } = runCase('0.10', 'apache', 80_000, 8000);
    for (const broker of ['b1', 'b3']) {
      const times = halts.filter(([, node]) => node === broker).map(([t]) => t);
      // the first exit near 39.5 s, then one per restart (8 s, plus registering and fetching): a loop, not a storm
      expect(times.length).toBeGreaterThanOrEqual(3);
      expect(times.length).toBeLessThanOrEqual(Math.floor((80_000_000 - times[0]) / 8_000_000) + 1);
      for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(8_000_000);
    }
  });

  it('decoy 2.1 (KAFKA-7414): the same followers truncate to the leader, and no broker halts', () => {
    const { report, halts, truncations } = runCase('2.1');
    expect(halts).toEqual([]);
    expect(readCoverage(report)).not.toContain('broker exited rather than truncate');
    expect(truncations.map(([, node, ev]) => `${node} ${ev.reason}`).sort()).toEqual(['b1 leader-epoch', 'b3 leader-epoch']);
  });
});
