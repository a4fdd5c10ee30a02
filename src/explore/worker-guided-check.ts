// Coverage-guided `ksim check` on worker threads (issue 14): runs in generations
// (coverage-guided-plan.ts), mutants of the runs that reached something new mixed with fresh
// fast-check draws, evaluated on the pool `ksim check --workers` uses (worker-check-shim.mjs) and
// taken in run order, so the outcome is the same for any number of threads. The first failing run
// in run order is the counterexample; it is shrunk greedily (schedule-shrink.ts), each round's
// candidates evaluated together and the first failing one in order kept.
//
// Replay: a counterexample found by a fresh draw and left as it is would replay by fast-check
// (seed, path), but the greedy shrink (and any mutant) has no fast-check path. The outcome's
// `path` is therefore null: the counterexample replays as a scenario (its case resolved, as the
// trace `ksim check` saves does), and `origin` says which strategy found it.
//
// This file is the async part (pool, promises); like every src/explore/worker-* file it is exempt
// from the tidy scan. Simulation stays in the synchronous tasks.

import { SeededChoices } from '../sim/seeded-choices.ts';
import { resolveScenario } from '../scenario/resolve-scenario.ts';
import { caseArbitrary, countCase, generatedRunLength, counterexampleOf, emptyCounts, type CheckCounts, type CheckOutcome } from './check-runner.ts';
import type { CheckCase } from './check-case.ts';
import { CoverageCorpus, GENERATION_SIZE, planGeneration, type FreshCases, type Origin, type PlannedRun } from './coverage-guided-plan.ts';
import type { MutationSpace } from './schedule-mutation.ts';
import { SHRINK_RUNS_MAX, shrinkCandidates } from './schedule-shrink.ts';
import { CaseSource } from './check-case-source.ts';
import { checkOutcomeOf, checkPool, type WorkerCheckOptions } from './worker-check-engine.ts';
import type { CheckTaskAnswer, CheckWorkerContext } from './worker-check-task.ts';

export interface GuidedOutcome extends CheckOutcome {
  /** How the run that first failed came about (null: none failed). */
  origin: Origin | null;
  /** Runs in the corpus at the end, and generated runs that were mutants. */
  corpusRuns: number;
  mutantRuns: number;
}

/** The fault window, count and timeouts the scenario's generated schedules use (check-runner.ts caseArbitrary). */
function mutationSpace(opts: WorkerCheckOptions): MutationSpace {
  const base = resolveScenario({ ...opts.raw, faults: [] }, opts.models, { settings: opts.settings });
  const exploration = base.definition.exploration!;
  const { durationMs } = generatedRunLength(base, opts.settings);
  return {
    windowMs: Math.floor(durationMs * (1 - exploration.settleFraction)),
    faultsMax: opts.faultsMax ?? 4,
    durationsMs: exploration.faultDurationsMs?.(base.scenario) ?? [],
  };
}

/** Fresh fast-check draws by path, taken in order a generation at a time. */
class FreshDraws implements FreshCases {
  private index = 0;
  private buffer: CheckCase[] = [];
  private bufferFrom = 0;
  constructor(private readonly source: CaseSource) {}
  next(): { case: CheckCase; path: string } {
    if (this.index - this.bufferFrom >= this.buffer.length) {
      this.bufferFrom = this.index;
      this.buffer = this.source.take(String(this.index), 2 * GENERATION_SIZE);
    }
    const c = this.buffer[this.index - this.bufferFrom];
    return { case: c, path: String(this.index++) };
  }
}

/** Greedy shrinking of `best`, a round at a time on the pool; returns the smallest failing case. */
async function shrink(best: CheckCase, evaluate: (cs: CheckCase[]) => Promise<CheckTaskAnswer[]>, counts: CheckCounts, opts: WorkerCheckOptions, stop: () => boolean): Promise<{ best: CheckCase; interrupted: boolean }> {
  for (;;) {
    const candidates = shrinkCandidates(best);
    if (candidates.length === 0) return { best, interrupted: false };
    if (counts.progress.shrinkRuns + candidates.length > SHRINK_RUNS_MAX || stop()) return { best, interrupted: stop() };
    const answers = await evaluate(candidates);
    const i = answers.findIndex((a) => a.failed);
    // fast-check's counting: candidates up to the first failing one ran
    for (let j = 0; j <= (i < 0 ? answers.length - 1 : i); j++) countCase(counts, candidates[j], answers[j]);
    opts.onProgress?.({ ...counts.progress });
    if (i < 0) return { best, interrupted: false };
    best = candidates[i];
  }
}

/** The coverage-guided check on `opts.workers` threads; the same outcome for any count. */
export async function runGuidedCheckOnWorkers(opts: WorkerCheckOptions, shouldStop: () => boolean = () => false): Promise<GuidedOutcome> {
  const stop = () => opts.shouldStop?.() === true || shouldStop();
  const context: CheckWorkerContext = { raw: opts.raw, settings: opts.settings, failOn: opts.failOn, properties: opts.properties };
  // The threads start loading their code while this thread draws up the cases (runCheckOnWorkers).
  const pool = checkPool(opts.workers, opts.registryUrl, context);
  const evaluate = (cs: CheckCase[]) => Promise.all(cs.map(async (c) => ((await pool.run({ cases: [c] })) as CheckTaskAnswer[])[0]));
  const counts = emptyCounts();
  const corpus = new CoverageCorpus();
  let found: PlannedRun | null = null;
  let mutantRuns = 0;
  let interrupted = false;
  try {
    const fresh = new FreshDraws(new CaseSource(opts.arbitrary ?? caseArbitrary(opts), opts.seed));
    const space = mutationSpace(opts);
    const choice = new SeededChoices(String(opts.seed)).stream('check.coverage-guided');
    while (found === null && counts.progress.runs < opts.runs) {
      if (stop()) {
        interrupted = true;
        break;
      }
      const plan = planGeneration(Math.min(GENERATION_SIZE, opts.runs - counts.progress.runs), [...corpus.entries], fresh, space, choice);
      const answers = await evaluate(plan.map((p) => p.case));
      for (let i = 0; i < plan.length && found === null; i++) {
        const run = counts.progress.runs;
        countCase(counts, plan[i].case, answers[i]);
        opts.onProgress?.({ ...counts.progress });
        if (plan[i].origin.strategy !== 'drawn') mutantRuns++;
        if (answers[i].failed) found = plan[i];
        else corpus.offer(run, plan[i].case, answers[i].coverage);
      }
    }
    let best = found?.case ?? null;
    if (best !== null) {
      const shrunk = await shrink(best, evaluate, counts, opts, stop);
      best = shrunk.best;
      interrupted ||= shrunk.interrupted;
    }
    const counterexample = best && counterexampleOf(opts, best, opts.seed, '');
    return { ...checkOutcomeOf(counts, counterexample, { interrupted, seed: opts.seed, path: null }), origin: found?.origin ?? null, corpusRuns: corpus.entries.length, mutantRuns };
  } finally {
    await pool.destroy();
  }
}
