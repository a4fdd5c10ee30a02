// A run that throws something that is not the user's doing (a model's assertion, a kernel bug) is
// a bug in ksim, and a bug report needs the run: the error is marked with the scenario, model and
// seed it came from, and whoever knows how the run was asked for adds the commands that
// reproduce it. The CLI prints them with the stack (exit 3). The mark never changes the error.

import type { Fault } from '../faults/fault.ts';
import { isUserError } from './user-error.ts';

export interface CrashedRun {
  scenario: string;
  model: string;
  seed: string;
  /** Commands that run it again, as the layers that know them added them. */
  reproduce: string[];
  /** For a run `ksim check` generated: the fast-check seed and path that generate it again, and the case. */
  check?: CheckCaseOrigin;
}

interface CheckCaseOrigin {
  seed: number;
  path: string;
  /** The case's own settings (after the command's) and its generated fault schedule. */
  settings: string[];
  faults: Fault[];
  /** The scenario's operations with the case's generated ones after them; absent when it generated none. */
  operations?: unknown[];
  /** The run's length when ksim check lengthened the scenario's (CheckCase.durationMs). */
  durationMs?: number;
}

const CRASHED_RUN = Symbol('ksim.crashedRun');

/** Marks an error thrown by a run (once: the innermost run is the one that crashed); returns it. */
export function markCrashedRun(e: unknown, run: Omit<CrashedRun, 'reproduce'>): unknown {
  if (isUserError(e)) return e;
  const error = e instanceof Error ? e : new Error(String(e));
  if (!(CRASHED_RUN in error)) Object.defineProperty(error, CRASHED_RUN, { value: { ...run, reproduce: [] }, enumerable: false });
  return error;
}

/** The run an error crashed, if a run threw it. */
export function crashedRunOf(e: unknown): CrashedRun | undefined {
  return e instanceof Error ? ((e as Error & { [CRASHED_RUN]?: CrashedRun })[CRASHED_RUN] ?? undefined) : undefined;
}

/** Records the fast-check seed and path of the generated run that crashed; returns the error. */
export function markCheckCase(e: unknown, check: CheckCaseOrigin): unknown {
  const run = crashedRunOf(e);
  if (run) run.check = check;
  return e;
}

/** Adds a command that reproduces the crashed run; returns the error. */
export function addReproduction(e: unknown, command: string): unknown {
  crashedRunOf(e)?.reproduce.push(command);
  return e;
}
