// `ksim check` finds Kafka's known protocol bugs by itself (issue 14): from the fault-free
// check-small scenario with only the bug's era or version (and the weak setting it needs) pinned,
// within a budget of generated runs for fast-check seed 1, and the first fixed version passes the
// same budget. Shrinking is skipped (stopped at the first failure): the find is what is measured.
//
// Measured at seed 1 with swarm testing of fault kinds, operation kinds and targets, faults aimed
// at roles and administrative operations explored alongside (src/explore/fault-schedule-arbitrary.ts,
// models/kafka/exploration/): KIP-101's truncation to the high watermark at run 9 (run 21 before operations; the era runs
// ZooKeeper, as 0.10 did, with 0.10's 6 s session); KAFKA-7164's missed epoch (Kafka 2.0, acks=1)
// at run 74 (before operations were explored: not in 500 runs; shrunk, it is a reassignment that
// only reorders a partition's replicas, which in ZooKeeper mode bumps the leader epoch under the
// same leader, and a 1 ms disk loss of that leader the controller misses, KIP-380). Not found within a
// few hundred runs, so not pinned here (the issue's report says why): KIP-279's fast-failover
// divergence (Kafka 1.1, acks=1: none in 500 runs at seed 1, before operations or after), KAFKA-6880/KIP-320 (only consumers see it; check-small has
// none), KIP-903 (Kafka 3.4, KRaft).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MODELS, SCENARIO_PRESETS } from '../models/index.ts';
import { caseArbitrary, resolveCase, runCheck, type CheckOutcome } from '../src/explore/check-runner.ts';
import { runResolved } from '../src/scenario/run-scenario.ts';

function check(settings: string[], properties: string[], runs: number): CheckOutcome {
  let failed = false;
  return runCheck({
    raw: SCENARIO_PRESETS['check-small'],
    models: MODELS,
    settings,
    runs,
    seed: 1,
    properties,
    failOn: ['breach', 'configuration', 'version'],
    onProgress: (p) => (failed = p.failures > 0),
    shouldStop: () => failed,
  });
}

describe('known bugs found unaided', () => {
  const KIP_101 = ['hw-above-isr-leo', 'lost-write'];

  it("KIP-101: truncation to the high watermark (era hw-truncation) is found within 40 runs, as the version's flaw", () => {
    const out = check(['era=hw-truncation', 'zookeeper.session.timeout.ms=6000'], KIP_101, 40);
    expect(out.failed).toBe(true);
    expect(out.runs).toBeLessThanOrEqual(40);
    const found = out.counterexample!.report.violations.filter((v) => KIP_101.includes(v.property));
    expect(found.length).toBeGreaterThan(0);
    for (const v of found) {
      expect(v).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
      expect(v.reason).toMatch(/KIP-101, fixed in Kafka 0\.11/);
    }
  }, 120_000);

  it('KIP-101 fixed (era kip-101, Kafka 0.11): the same 40 runs pass', () => {
    const out = check(['era=kip-101', 'zookeeper.session.timeout.ms=6000'], KIP_101, 40);
    expect(out.failed).toBe(false);
    expect(out.runs).toBe(40);
  }, 120_000);

  const KAFKA_7164 = ['preset=apache', 'kafkaVersion=2.0', 'acks=1'];

  it('KAFKA-7164: a follower that missed an epoch under the same leader (Kafka 2.0) is found within 110 runs, as the version\'s flaw', () => {
    const out = check(KAFKA_7164, ['log-divergence'], 110);
    expect(out.failed).toBe(true);
    expect(out.runs).toBeLessThanOrEqual(110);
    const found = out.counterexample!.report.violations.filter((v) => v.property === 'log-divergence');
    expect(found.length).toBeGreaterThan(0);
    for (const v of found) expect(v).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(found.some((v) => /KAFKA-7164, fixed in Kafka 2\.0\.1/.test(String(v.reason)))).toBe(true);
  }, 180_000);

  it('KAFKA-7164 fixed (Kafka 2.1, the next version ksim models): the same 110 runs blame no divergence on it', () => {
    // Every run, not only up to the first failure: 2.1 still has KIP-380 (fixed in 2.2), whose divergences may come first.
    const opts = { raw: SCENARIO_PRESETS['check-small'], models: MODELS, settings: ['preset=apache', 'kafkaVersion=2.1', 'acks=1'], runs: 110, seed: 1 };
    const cases = fc.sample(caseArbitrary(opts), { seed: 1, numRuns: 110 });
    const blamed = cases.flatMap((c) => runResolved(resolveCase(opts, c)).violations.filter((v) => /KAFKA-7164/.test(String(v.reason ?? ''))));
    expect(blamed).toEqual([]);
  }, 180_000);
});
