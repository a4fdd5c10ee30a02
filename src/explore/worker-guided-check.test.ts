// Coverage-guided check on worker threads: the same outcome for any thread count (generations are
// planned from the corpus as of the previous generation, results taken in run order); mutants do
// run and the corpus grows; a counterexample says which strategy found it, is shrunk greedily, and
// replays as a scenario (its fast-check path is null: a mutant has none). On the ping fixture.
import { describe, expect, it } from 'vitest';
import { MODELS } from '../scenario/testing/fixture-registry.ts';
import { runResolved } from '../scenario/run-scenario.ts';
import { judgeRun, DEFAULT_FAIL_ON } from '../scenario/verdict.ts';
import { resolveCase, type CheckOptions } from './check-runner.ts';
import { runGuidedCheckOnWorkers, type GuidedOutcome } from './worker-guided-check.ts';

const registryUrl = new URL('../scenario/testing/fixture-registry.ts', import.meta.url).href;
const raw = { model: 'ping', durationMs: 10_000 };

function comparable(o: GuidedOutcome) {
  const { counterexample: cx, ...rest } = o;
  return { ...rest, coverageOrder: Object.keys(o.coverage), case: cx?.case ?? null, traceHash: cx?.report.traceHash ?? null };
}

describe('runGuidedCheckOnWorkers', () => {
  it('passes a correct model, mutating the runs that reached something new, the same for 1 and 2 threads', async () => {
    const opts: CheckOptions = { raw, models: MODELS, settings: [], runs: 48, seed: 4 };
    const one = comparable(await runGuidedCheckOnWorkers({ ...opts, workers: 1, registryUrl }));
    expect(one).toMatchObject({ failed: false, runs: 48, shrinkRuns: 0, path: null, origin: null });
    expect(one.corpusRuns).toBeGreaterThan(0);
    expect(one.mutantRuns).toBeGreaterThan(10);
    expect(one.mutantRuns).toBeLessThan(48);
    expect(comparable(await runGuidedCheckOnWorkers({ ...opts, workers: 2, registryUrl }))).toEqual(one);
  });

  it('finds a planted bug, says how, shrinks it, and the shrunk case replays as a scenario; the same for 1 and 3 threads', async () => {
    const opts: CheckOptions = { raw, models: MODELS, settings: ['ping.bug="never-forgive"'], runs: 100, seed: 5, faultsMax: 3 };
    const one = await runGuidedCheckOnWorkers({ ...opts, workers: 1, registryUrl });
    expect(one.failed).toBe(true);
    expect(one.origin).not.toBeNull();
    expect(one.path).toBeNull();
    expect(one.counterexample!.case.faults.length).toBe(1);
    const replay = runResolved(resolveCase(opts, one.counterexample!.case));
    expect(replay.traceHash).toBe(one.counterexample!.report.traceHash);
    expect(judgeRun(replay.violations, DEFAULT_FAIL_ON).failed).toBe(true);
    expect(comparable(await runGuidedCheckOnWorkers({ ...opts, workers: 3, registryUrl }))).toEqual(comparable(one));
  });
});
