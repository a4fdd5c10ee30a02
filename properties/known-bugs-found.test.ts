// `ksim check` finds Kafka's known protocol bugs by itself (issue 14): from the fault-free
// check-small scenario with only the bug's era or version (and the weak setting it needs) pinned,
// within a budget of generated runs for fast-check seed 1, and the first fixed version passes the
// same budget. Shrinking is skipped (stopped at the first failure): the find is what is measured.
//
// Measured with swarm testing of fault kinds, operation kinds and targets, faults aimed at roles
// (a run's role faults focused on one partition), faults started close after one another, and
// administrative operations explored alongside (src/explore/fault-schedule-arbitrary.ts,
// models/kafka/exploration/): at seed 1, KIP-101's truncation to the high watermark within 40
// runs (the era runs ZooKeeper, as 0.10 did, with 0.10's 6 s session); at seed 2, KIP-380's
// missed bounce (Kafka 2.1) at run 30: a follower's power loss inside its ZooKeeper session, then
// its leader's failure, and the emptied follower, still in the ISR, is elected. KAFKA-7164 (Kafka
// 2.0, acks=1) was found at seed 1's run 74 by the generator before faults focused and linked;
// with them it is not found in 250 runs at seed 1 (seed 2's first divergence, at run 168, is
// KIP-380's), so it is no longer pinned; its fixed side still is. Not found within a few hundred
// runs (the issue's report says why): KIP-279's fast-failover divergence (Kafka 1.1, acks=1),
// KAFKA-6880/KIP-320, KIP-903 (Kafka 3.4, KRaft).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MODELS, SCENARIO_PRESETS } from '../models/index.ts';
import { caseArbitrary, resolveCase, runCheck, type CheckOutcome } from '../src/explore/check-runner.ts';
import { runResolved } from '../src/scenario/run-scenario.ts';

function check(settings: string[], properties: string[], runs: number, seed = 1): CheckOutcome {
  let failed = false;
  return runCheck({
    raw: SCENARIO_PRESETS['check-small'],
    models: MODELS,
    settings,
    runs,
    seed,
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

  const KIP_380 = ['lost-write', 'liveness-after-heal'];

  it("KIP-380: the ZooKeeper controller's missed bounce (Kafka 2.1) is found at seed 2 within 30 runs, as the version's flaw", () => {
    const out = check(['preset=apache', 'kafkaVersion=2.1'], KIP_380, 30, 2);
    expect(out.failed).toBe(true);
    expect(out.runs).toBeLessThanOrEqual(30);
    const found = out.counterexample!.report.violations.filter((v) => KIP_380.includes(v.property));
    expect(found.length).toBeGreaterThan(0);
    for (const v of found) {
      expect(v).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
      expect(v.reason).toMatch(/the controller missed its bounce: Kafka 2\.1: KIP-380, fixed in Kafka 2\.2/);
    }
  }, 180_000);

  it('KIP-380 fixed (Kafka 2.2): the same 30 runs at seed 2 pass', () => {
    const out = check(['preset=apache', 'kafkaVersion=2.2'], KIP_380, 30, 2);
    expect(out.failed).toBe(false);
    expect(out.runs).toBe(30);
  }, 180_000);

  it('KAFKA-7164 fixed (Kafka 2.1, the next version ksim models): the same 110 runs blame no divergence on it', () => {
    // Every run, not only up to the first failure: 2.1 still has KIP-380 (fixed in 2.2), whose divergences may come first.
    const opts = { raw: SCENARIO_PRESETS['check-small'], models: MODELS, settings: ['preset=apache', 'kafkaVersion=2.1', 'acks=1'], runs: 110, seed: 1 };
    const cases = fc.sample(caseArbitrary(opts), { seed: 1, numRuns: 110 });
    const blamed = cases.flatMap((c) => runResolved(resolveCase(opts, c)).violations.filter((v) => /KAFKA-7164/.test(String(v.reason ?? ''))));
    expect(blamed).toEqual([]);
  }, 180_000);
});
