// The bug zoo: each deliberate model bug (models/kafka/model-bugs.ts), switched on with
// `--set bugs=["name"]`, must be caught by `ksim check` (runCheck) on a small cluster within a
// stated number of generated runs, by the property that names it, with a small shrunk
// counterexample; and the same scenario without the bug must pass the same number of runs, so the
// catch is the bug's doing. Scenarios, settings and cases: models/kafka/testing/bug-zoo.ts.

import { describe, expect, it } from 'vitest';
import { MODELS } from '../models/index.ts';
import type { ModelBug } from '../models/kafka/model-bugs.ts';
import { runCheck, type CheckOutcome } from '../src/explore/check-runner.ts';
import { ZOO_CASES as ZOO, ZOO_RECORDS_SENT as RECORDS_SENT, zooRun } from '../models/kafka/testing/bug-zoo.ts';

const RUNS = 100;
const GROUP_RUNS = 150;

/** A check of at least `runs` generated runs (a bug's budget may be more than the clean scenario's). */
function check(bugs: readonly ModelBug[], group = false, runs = 0): CheckOutcome {
  const { raw, settings } = zooRun(bugs, group);
  return runCheck({ raw, models: MODELS, settings, runs: Math.max(runs, group ? GROUP_RUNS : RUNS), seed: 1 });
}

describe('bug zoo', () => {
  it(`the zoo scenario without bugs passes ${RUNS} runs`, () => {
    const out = check([]);
    expect(out.failed).toBe(false);
    expect(out.runs).toBe(RUNS);
    // The runs did reach what the bugs need: failovers, ISR changes, retries.
    expect(out.coverage['clean leader failover']).toBeGreaterThan(0);
    expect(out.coverage['ISR shrink']).toBeGreaterThan(0);
    expect(out.coverage['produce retried']).toBeGreaterThan(0);
  }, 120_000);

  it(`the consumer-group zoo scenario without bugs passes ${GROUP_RUNS} runs`, () => {
    const out = check([], true);
    expect(out.failed).toBe(false);
    expect(out.runs).toBe(GROUP_RUNS);
  }, 120_000);

  for (const z of ZOO) {
    it(`${z.bug} is caught by ${z.property} within ${z.runsMax} runs, shrunk to at most ${z.faultsMax} faults`, () => {
      const out = check([z.bug], z.group, z.runsMax);
      expect(out.failed).toBe(true);
      expect(out.runs).toBeLessThanOrEqual(z.runsMax);
      const cx = out.counterexample!;
      const caught = cx.report.violations.filter((v) => v.property === z.property && v.classification === 'breach');
      expect(caught.map((v) => v.property)).toContain(z.property);
      expect(cx.case.faults.length).toBeLessThanOrEqual(z.faultsMax);
      // The workload is the scenario's (500 records); shrinking acts on faults and settings.
      expect(cx.report.stats.model.recordsSent).toBeLessThanOrEqual(RECORDS_SENT + 1);
    }, zooTimeoutMs(z.runsMax));
  }
});

/**
 * A case's time limit: 120 s, and two seconds more per run of its budget over 100
 * (accept-stale-generation-commit is found at run 110 of up to 200, then shrunk: 156-402 s on
 * this 2-core machine at load 15-18, within 120 s when idle).
 */
function zooTimeoutMs(runsMax: number): number {
  return 120_000 + Math.max(0, runsMax - 100) * 1_000 * 2;
}
