// `ksim check` finds Kafka's known protocol bugs by itself (issue 14): from the fault-free
// check-small scenario with only the bug's era or version (and the weak setting it needs) pinned,
// within a budget of generated runs for fast-check seed 1, and the first fixed version passes the
// same budget. Shrinking is skipped (stopped at the first failure): the find is what is measured.
//
// Measured with swarm testing of fault kinds, operation kinds, composite kinds and targets,
// faults aimed at roles (a run's role faults focused on one partition), faults started close
// after one another, administrative operations explored alongside, and composites (a cut aimed at
// the focus partition's roles with operations inside its window, drawn as one entry:
// src/explore/fault-schedule-arbitrary.ts, models/kafka/exploration/). Each hunt fails on its own
// flaw only (--fail-on breach,KIP-380: the verdict names the KIP or JIRA), not on the version
// class, as the bench's rows do: an old version has other flaws (every version before 4.1 lacks
// Eligible Leader Replicas) that may come first, and those are right but not this hunt's find. At
// seed 1, KIP-101's truncation to the high watermark within 40 runs (the era runs ZooKeeper, as
// 0.10 did, with 0.10's 6 s session); at seed 2, KIP-279's fast-failover divergence (Kafka 1.1,
// acks=1) within 10 runs (a follower cut from the partition's other replicas, and inside the cut
// the leader's controlled shutdown and the next leader's); at seed 1, KIP-320's unfenced fetch
// (Kafka 2.0, acks=1) within 10 runs (the zombie replica composite: a follower cut from the
// controllers while the leader, cut from them just past the session, loses the leadership and
// gets it back); at seed 1, KAFKA-7164's skipped truncation (Kafka 2.0, acks=1) within 10 runs
// (the same composite with the missed epoch: the follower, out of the ISR by then, also cut from
// the other replicas from the leader's return until after the controller told it of the new
// epoch); at seed 2, KIP-380's missed bounce (Kafka 2.1) within 10 runs (the replica bounce
// composite); at seed 3, KIP-966's last replica standing (Kafka 4.0) within 10 runs (the ISR drain
// composite: the followers out of the ISR one at a time, then the leader's power loss); at seed 9,
// KIP-903's stale ISR expansion (Kafka 3.4, KRaft, instance-store disks, min.insync.replicas=1)
// within 10 runs (the stale ISR expansion composite: a follower out of the ISR and back, the
// leader's AlterPartition held while the follower restarts empty, then the leader's controlled
// shutdown). A fixed side is checked for blame on its own fix over every run, not for no failure.
// The seeds moved when the missed-epoch composite joined the swarm's composite kinds (every draw
// after the swarm's subset changes) and the composites' cuts began after the first election, and
// KIP-966's when the ISR drain composite took the place of the leader cut + leader power loss;
// KIP-279's (from 1) when some runs came to draw one composite alone; KIP-279's (from 3), KIP-380's
// (from 8) and KIP-903's (from 1) when three cut composites came to be drawn as one kind;
// KIP-320's (from 4), KAFKA-7164's (from 10) and KIP-903's (from 2) when composites came to be enabled in nine runs in
// ten (was four in five) and drawn alone in half of those (was three in eight), and a flush per
// message in one run in ten (was two in five).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MODELS, SCENARIO_PRESETS } from '../models/index.ts';
import { caseArbitrary, resolveCase, runCheck, type CheckOutcome } from '../src/explore/check-runner.ts';
import { runResolved } from '../src/scenario/run-scenario.ts';

/** `ksim check --fail-on breach,<flaw>`: the first failing run blaming `flaw` (or a breach), unshrunk. */
function check(flaw: string, settings: string[], properties: string[], runs: number, seed = 1): CheckOutcome {
  let failed = false;
  return runCheck({
    raw: SCENARIO_PRESETS['check-small'],
    models: MODELS,
    settings,
    runs,
    seed,
    properties,
    failOn: ['breach', flaw],
    onProgress: (p) => (failed = p.failures > 0),
    shouldStop: () => failed,
  });
}

/** The reasons of every violation blaming `fix` in each of the first `runs` generated cases at `seed` (not only up to the first failure). */
function blamedOn(fix: RegExp, settings: string[], runs: number, seed: number): string[] {
  const opts = { raw: SCENARIO_PRESETS['check-small'], models: MODELS, settings, runs, seed };
  const cases = fc.sample(caseArbitrary(opts), { seed, numRuns: runs });
  return cases.flatMap((c) => runResolved(resolveCase(opts, c)).violations.flatMap((v) => (fix.test(String(v.reason ?? '')) ? [String(v.reason)] : [])));
}

describe('known bugs found unaided', () => {
  const KIP_101 = ['hw-above-isr-leo', 'lost-write'];

  it("KIP-101: truncation to the high watermark (era hw-truncation) is found within 40 runs, as the version's flaw", () => {
    const out = check('KIP-101', ['era=hw-truncation', 'zookeeper.session.timeout.ms=6000'], KIP_101, 40);
    expect(out.failed).toBe(true);
    expect(out.runs).toBeLessThanOrEqual(40);
    const found = out.counterexample!.report.violations.filter((v) => KIP_101.includes(v.property));
    expect(found.length).toBeGreaterThan(0);
    // Every finding is the version's; one at least blames KIP-101. Others in the same run may blame
    // a flaw that came first on their records' chain (0.10 also lacks KIP-380): at seed 1 the
    // lost records are a leader's that lost them to power loss and took its partition back
    // unnoticed, whose followers' truncation only followed it.
    for (const v of found) expect(v).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(found.some((v) => /KIP-101, fixed in Kafka 0\.11/.test(String(v.reason)))).toBe(true);
    for (const v of found) expect(v.reason).toMatch(/KIP-101, fixed in Kafka 0\.11|the controller missed its bounce: era hw-truncation: KIP-380, fixed in Kafka 2\.2/);
  }, 120_000);

  it('KIP-101 fixed (era kip-101, Kafka 0.11): the same 40 runs blame nothing on it', () => {
    // Every run: 0.11 still has KIP-279, KIP-380 and KIP-966, whose losses may come first.
    expect(blamedOn(/KIP-101/, ['era=kip-101', 'zookeeper.session.timeout.ms=6000'], 40, 1)).toEqual([]);
  }, 120_000);

  const KIP_380 = ['lost-write', 'liveness-after-heal'];

  it("KIP-380: the ZooKeeper controller's missed bounce (Kafka 2.1) is found at seed 2 within 10 runs, as the version's flaw", () => {
    const out = check('KIP-380', ['preset=apache', 'kafkaVersion=2.1'], KIP_380, 10, 2);
    expect(out.failed).toBe(true);
    expect(out.runs).toBeLessThanOrEqual(10);
    expect(out.counterexample!.case.composites).toContain('replica bounce + leader failure');
    const found = out.counterexample!.report.violations.filter((v) => KIP_380.includes(v.property));
    expect(found.length).toBeGreaterThan(0);
    for (const v of found) {
      expect(v).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
      expect(v.reason).toMatch(/the controller missed its bounce: Kafka 2\.1: KIP-380, fixed in Kafka 2\.2/);
    }
  }, 300_000);

  it('KIP-380 fixed (Kafka 2.2): the same 10 runs at seed 2 blame nothing on it', () => {
    // Every run: 2.2 still has KIP-966's last replica standing, whose losses may come first.
    expect(blamedOn(/KIP-380/, ['preset=apache', 'kafkaVersion=2.2'], 10, 2)).toEqual([]);
  }, 300_000);

  it("KIP-279: fast leader failover's divergence (Kafka 1.1, acks=1) is found at seed 2 within 10 runs, as the version's flaw: a follower cut from its replicas with a leader chain inside the cut (a composite)", () => {
    const out = check('KIP-279', ['preset=apache', 'kafkaVersion=1.1', 'acks=1'], ['log-divergence'], 10, 2);
    expect(out.failed).toBe(true);
    expect(out.runs).toBeLessThanOrEqual(10);
    const found = out.counterexample!.report.violations.filter((v) => v.property === 'log-divergence');
    expect(found.length).toBeGreaterThan(0);
    for (const v of found) {
      expect(v).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
      expect(v.reason).toMatch(/^Kafka 1\.1: KIP-279 \(KAFKA-6361\), fixed in Kafka 2\.0/);
    }
  }, 180_000);

  it('KIP-279 fixed (Kafka 2.0): the same 10 runs at seed 2 blame no divergence on it', () => {
    // Every run, not only up to the first failure: 2.0 still has KIP-320 and KAFKA-7164, whose divergences may come first.
    const opts = { raw: SCENARIO_PRESETS['check-small'], models: MODELS, settings: ['preset=apache', 'kafkaVersion=2.0', 'acks=1'], runs: 10, seed: 2 };
    expect(fc.sample(caseArbitrary(opts), { seed: 2, numRuns: 10 }).some((c) => (c.composites ?? []).includes('replica cut + leader chain'))).toBe(true);
    expect(blamedOn(/KIP-279/, opts.settings, 10, 2)).toEqual([]);
  }, 180_000);

  it("KIP-320: a zombie replica's unfenced fetch (Kafka 2.0, acks=1) is found at seed 1 within 10 runs, as the version's flaw: the zombie replica composite", () => {
    const out = check('KIP-320', ['preset=apache', 'kafkaVersion=2.0', 'acks=1'], ['log-divergence'], 10, 1);
    expect(out.failed).toBe(true);
    expect(out.runs).toBeLessThanOrEqual(10);
    expect(out.counterexample!.case.composites).toContain('zombie replica + leader round trip');
    const found = out.counterexample!.report.violations.filter((v) => v.property === 'log-divergence' && (v.flaws as string[]).includes('KIP-320'));
    expect(found.length).toBeGreaterThan(0);
    for (const v of found) {
      expect(v).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
      expect(v.reason).toMatch(/knowing only epoch \d+, fetched records of epoch \d+ at [\d.]+s, its log then ending at \d+ \(KIP-320 \(KAFKA-6880\), fixed in Kafka 2\.1/);
    }
  }, 180_000);

  it('KIP-320 fixed (Kafka 2.1): the same 10 runs at seed 1 blame nothing on it', () => {
    // Every run: 2.1 still has KIP-380 and KIP-966, whose findings may come first.
    expect(blamedOn(/KIP-320/, ['preset=apache', 'kafkaVersion=2.1', 'acks=1'], 10, 1)).toEqual([]);
  }, 180_000);

  it("KAFKA-7164: a follower that missed an epoch under the same leader keeps its log (Kafka 2.0, acks=1), found at seed 1 within 10 runs, as the version's flaw: the zombie replica composite with the missed epoch", () => {
    const out = check('KAFKA-7164', ['preset=apache', 'kafkaVersion=2.0', 'acks=1'], ['log-divergence'], 10, 1);
    expect(out.failed).toBe(true);
    expect(out.runs).toBeLessThanOrEqual(10);
    expect(out.counterexample!.case.composites).toContain('zombie replica + missed epoch');
    const found = out.counterexample!.report.violations.filter((v) => v.property === 'log-divergence' && (v.flaws as string[]).includes('KAFKA-7164'));
    expect(found.length).toBeGreaterThan(0);
    for (const v of found) {
      expect(v).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
      expect(v.reason).toMatch(/told at [\d.]+s of epoch \d+ by the leader it followed in epoch \d+, kept its log from offset \d+ to its end at \d+ \(KAFKA-7164, fixed in Kafka 2\.0\.1/);
    }
  }, 180_000);

  it('KAFKA-7164 fixed (Kafka 2.1, the next version ksim models): the same 10 runs at seed 1 blame no divergence on it', () => {
    expect(blamedOn(/KAFKA-7164/, ['preset=apache', 'kafkaVersion=2.1', 'acks=1'], 10, 1)).toEqual([]);
  }, 180_000);

  it('KAFKA-7164 fixed (Kafka 2.1): 110 runs at seed 1 blame no divergence on it', () => {
    // Every run, not only up to the first failure: 2.1 still has KIP-380 (fixed in 2.2), whose divergences may come first.
    const opts = { raw: SCENARIO_PRESETS['check-small'], models: MODELS, settings: ['preset=apache', 'kafkaVersion=2.1', 'acks=1'], runs: 110, seed: 1 };
    expect(blamedOn(/KAFKA-7164/, opts.settings, opts.runs, opts.seed)).toEqual([]);
  }, 180_000);

  it("KIP-966: the last replica standing (Kafka 4.0) is found at seed 3 within 10 runs, as the version's flaw: the ISR drain composite", () => {
    const out = check('KIP-966', ['preset=apache', 'kafkaVersion=4.0'], ['lost-write'], 10, 3);
    expect(out.failed).toBe(true);
    expect(out.runs).toBeLessThanOrEqual(10);
    expect(out.counterexample!.case.composites).toContain('ISR drain + leader power loss');
    const found = out.counterexample!.report.violations.filter((v) => v.property === 'lost-write');
    expect(found.length).toBeGreaterThan(0);
    for (const v of found) {
      expect(v).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
      expect(v.reason).toMatch(/KIP-966's last replica standing/);
    }
  }, 180_000);

  it('KIP-966 fixed (Kafka 4.1, Eligible Leader Replicas on): the same 10 runs at seed 3 lose nothing to it', () => {
    const out = check('KIP-966', ['preset=apache', 'kafkaVersion=4.1'], ['lost-write'], 10, 3);
    expect(out.failed).toBe(false);
  }, 180_000);

  const KIP_903 = ['preset=apache', 'cluster.storage=instance-store', 'min.insync.replicas=1'];

  it("KIP-903: a stale AlterPartition puts a follower that restarted empty back in the ISR (Kafka 3.4, KRaft) at seed 9 within 10 runs, as the version's flaw: the stale ISR expansion composite", () => {
    const out = check('KIP-903', [...KIP_903, 'kafkaVersion=3.4'], ['lost-write'], 10, 9);
    expect(out.failed).toBe(true);
    expect(out.runs).toBeLessThanOrEqual(10);
    expect(out.counterexample!.case.composites).toContain('stale ISR expansion + disk loss');
    const found = out.counterexample!.report.violations.filter((v) => v.property === 'lost-write');
    expect(found.length).toBeGreaterThan(0);
    for (const v of found) {
      expect(v).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
      expect(v.reason).toMatch(/was taken back into the ISR without it and elected .*KIP-903, fixed in Kafka 3\.5/);
    }
  }, 180_000);

  it('KIP-903 fixed (Kafka 3.5): the same 10 runs at seed 9 blame nothing on it', () => {
    expect(blamedOn(/KIP-903/, [...KIP_903, 'kafkaVersion=3.5'], 10, 9)).toEqual([]);
  }, 180_000);
});
