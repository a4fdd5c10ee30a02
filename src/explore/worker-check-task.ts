// The worker-thread side of `ksim check --workers` (loaded by worker-check-shim.mjs in each pool
// thread): runs a task of cases and returns what the check counts of each (check-runner.ts
// evaluateCase), as plain structured-clone-safe data. The thread stays alive across tasks, so
// every run after its first few is a warm run.
//
// A task is either a range of explored runs, which the thread draws itself from the check's seed
// by fast-check path (check-case-source.ts: the same cases the main thread would draw, without
// the main thread's generating and cloning them), or the cases themselves (shrink candidates,
// mutants). A range stops at its first failing run: the runs after it would be dropped anyway
// (the counterexample is the lowest-numbered failing run).
//
// A run that throws (a model assertion, a run limit) is a failing run, as fast-check counts it:
// the main thread shrinks it like any failure and then repeats the smallest such case itself,
// which rethrows the error with its reproduce commands; so only the fact and the message travel
// back from here.

import type { ModelDefinition } from '../scenario/model-definition.ts';
import type { FailOnTerms } from '../scenario/verdict.ts';
import { CaseSource } from './check-case-source.ts';
import { caseArbitrary, evaluateCase, type CaseResult } from './check-runner.ts';
import type { CheckCase } from './check-case.ts';

/** What every run of one check shares, handed to each worker thread once (piscina's workerData). */
export interface CheckWorkerContext {
  raw: Record<string, unknown>;
  /** --set pairs. */
  settings: readonly string[];
  failOn?: FailOnTerms;
  properties?: readonly string[];
  /** fast-check's seed and the fault bound of the check (CheckOptions): for tasks that are ranges of runs. */
  seed?: number;
  faultsMax?: number;
}

/** The cases to run, or the explored runs first..first+count-1 (fast-check paths "first" on). */
export type CheckTask = { cases: CheckCase[] } | { first: number; count: number };

/** A case's result; `threw` is the message of the error its run threw (then `failed` is true). */
export type CheckTaskAnswer = CaseResult & { threw?: string };

/** Each thread's case source, drawn up once per check context (its workerData). */
const sources = new WeakMap<CheckWorkerContext, CaseSource>();

function sourceOf(context: CheckWorkerContext, models: readonly ModelDefinition[]): CaseSource {
  let source = sources.get(context);
  if (source === undefined) {
    if (context.seed === undefined) throw new Error('a range of runs needs the check seed in the worker context');
    const opts = { raw: context.raw, models, settings: context.settings, runs: 0, seed: context.seed, faultsMax: context.faultsMax };
    sources.set(context, (source = new CaseSource(caseArbitrary(opts), context.seed)));
  }
  return source;
}

/**
 * The answers of a task, in its order: every case's, or a range's up to its first failing run.
 * Fewer once `stop` (shared with the main thread) holds 1: a stopped check (Ctrl-C, a time limit)
 * waits for the run in progress only, not for the rest of the task.
 */
export function runCheckTask(task: CheckTask, context: CheckWorkerContext, models: readonly ModelDefinition[], stop?: Int32Array): CheckTaskAnswer[] {
  const stopped = () => stop !== undefined && Atomics.load(stop, 0) !== 0;
  const answers: CheckTaskAnswer[] = [];
  if ('cases' in task) {
    for (const c of task.cases) {
      if (stopped()) break;
      answers.push(runCase(c, context, models));
    }
    return answers;
  }
  for (const c of sourceOf(context, models).take(String(task.first), task.count)) {
    if (stopped()) break;
    const answer = runCase(c, context, models);
    answers.push(answer);
    if (answer.failed) break;
  }
  return answers;
}

function runCase(c: CheckCase, context: CheckWorkerContext, models: readonly ModelDefinition[]): CheckTaskAnswer {
  try {
    return evaluateCase({ ...context, models }, c);
  } catch (e) {
    return { failed: true, coverage: [], violations: [], flaws: [], threw: e instanceof Error ? e.message : String(e) };
  }
}
