// The worker-thread side of `ksim sweep` (loaded by worker-sweep-shim.mjs in each pool thread):
// runs one task and returns a structured-clone-safe answer. Errors are returned, not thrown, so
// the main thread can tell a user error (a run that hit its limits: exit 2) from a bug (exit 3)
// whatever the error class became on its way across the thread boundary; a bug carries the run
// that crashed (scenario, model, seed), which the error's own mark would not survive.

import { crashedRunOf, type CrashedRun } from '../../scenario/crashed-run.ts';
import type { ModelDefinition } from '../../scenario/model-definition.ts';
import { isUserError } from '../../scenario/user-error.ts';
import type { SweptRun } from './cell-figures.ts';
import { recordWorstTrace, runCellChunk, type SweepTask } from './run-cell-chunk.ts';

export type SweepTaskAnswer =
  | { ok: true; runs: SweptRun[] }
  | { ok: true; traceHash: string }
  | { ok: false; userError: boolean; message: string; stack: string; crashed?: CrashedRun };

export function runSweepTask(task: SweepTask, models: readonly ModelDefinition[]): SweepTaskAnswer {
  try {
    if (task.kind === 'runs') return { ok: true, runs: runCellChunk(task, models) };
    return { ok: true, traceHash: recordWorstTrace(task, models) };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return { ok: false, userError: isUserError(e), message: err.message, stack: err.stack ?? err.message, crashed: crashedRunOf(e) };
  }
}
