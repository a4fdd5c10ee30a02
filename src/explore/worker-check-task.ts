// The worker-thread side of `ksim check --workers` (loaded by worker-check-shim.mjs in each pool
// thread): runs one generated or shrinking case and returns what the check counts of it
// (check-runner.ts evaluateCase), as plain structured-clone-safe data. The thread stays alive
// across runs, so every run after its first few is a warm run.
//
// A run that throws (a model assertion, a run limit) is a failing run, as fast-check counts it:
// the main thread shrinks it like any failure and then repeats the smallest such case itself,
// which rethrows the error with its reproduce commands; so only the fact and the message travel
// back from here.

import type { ModelDefinition } from '../scenario/model-definition.ts';
import type { VerdictClass } from '../scenario/verdict.ts';
import { evaluateCase, type CaseResult, type CheckCase } from './check-runner.ts';

/** What every run of one check shares, handed to each worker thread once (piscina's workerData). */
export interface CheckWorkerContext {
  raw: Record<string, unknown>;
  /** --set pairs. */
  settings: readonly string[];
  failOn?: readonly VerdictClass[];
  properties?: readonly string[];
}

/** A case's result; `threw` is the message of the error its run threw (then `failed` is true). */
export type CheckTaskAnswer = CaseResult & { threw?: string };

export function runCheckTask(c: CheckCase, context: CheckWorkerContext, models: readonly ModelDefinition[]): CheckTaskAnswer {
  try {
    return evaluateCase({ ...context, models }, c);
  } catch (e) {
    return { failed: true, coverage: [], violations: [], threw: e instanceof Error ? e.message : String(e) };
  }
}
