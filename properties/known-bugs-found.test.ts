// `ksim check` finds Kafka's known protocol bugs by itself (issue 14): from the fault-free
// check-small scenario with only the bug's era (and the weak setting it needs) pinned, within a
// budget of generated runs for fast-check seed 1, and the fixed version passes the same budget.
// Measured with faults aimed at roles and durations around the scenario's timeouts
// (models/kafka/exploration/fault-targeting.ts): the KIP-279 divergence at run 127; before them,
// none in 400 runs. The budget leaves room for model changes that shift the seeded streams.
// Shrinking is skipped (stopped at the first failure): the find is what is measured.

import { describe, expect, it } from 'vitest';
import { MODELS, SCENARIO_PRESETS } from '../models/index.ts';
import { runCheck, type CheckOutcome } from '../src/explore/check-runner.ts';

function check(settings: string[], property: string, runs: number): CheckOutcome {
  let failed = false;
  return runCheck({
    raw: SCENARIO_PRESETS['check-small'],
    models: MODELS,
    settings,
    runs,
    seed: 1,
    properties: [property],
    failOn: ['breach', 'configuration', 'version'],
    onProgress: (p) => (failed = p.failures > 0),
    shouldStop: () => failed,
  });
}

describe('known bugs found unaided', () => {
  it('KIP-279 (KAFKA-6361) fast-failover divergence, era kip-101 with acks=1: found within 250 runs', () => {
    const out = check(['era=kip-101', 'acks=1'], 'log-divergence', 250);
    expect(out.failed).toBe(true);
    expect(out.runs).toBeLessThanOrEqual(250);
    const divergence = out.counterexample!.report.violations.filter((v) => v.property === 'log-divergence');
    expect(divergence.length).toBeGreaterThan(0);
    expect(divergence[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(divergence[0].reason).toMatch(/KIP-279/);
  }, 240_000);

  it('the fixed version (current) passes the same 250 runs without a divergence', () => {
    const out = check(['era=current', 'acks=1'], 'log-divergence', 250);
    expect(out.failed).toBe(false);
    expect(out.runs).toBe(250);
  }, 240_000);
});
