// `ksim check`'s loop as the command runs it: the engine's check session (src/explore/
// check-runner.ts) driven as an asynchronous fast-check property that lets the event loop turn
// before each run, generated or shrinking. That turn is when this process hears Ctrl-C, fires the
// time limit and redraws the progress bar; a run itself stays synchronous and untouched, and
// fast-check generates and shrinks the same cases by the same paths as the synchronous runCheck,
// so a (seed, path) printed here replays anywhere. That loop replays a --path (one case, nothing
// to spread); an exploration runs on worker threads (src/explore/worker-check-engine.ts), whose
// outcome is the same for any number of threads, and whose waits turn the event loop anyway.

import fc from 'fast-check';
import { caseArbitrary, checkSession, type CheckOptions, type CheckOutcome, type CheckSession } from '../explore/check-runner.ts';
import type { CheckCase } from '../explore/check-case.ts';
import { runCheckOnWorkers } from '../explore/worker-check-engine.ts';
import type { ThreadCpuMs } from '../explore/worker-thread-cpu.ts';

/** A check ready to run: `shouldStop`, asked before each run, ends it after the run in progress (on each thread). */
export type StartCheck = (shouldStop: () => boolean) => Promise<CheckOutcome>;

/**
 * The check the options ask for, its problems with them thrown now (before any output): a --path
 * replay runs its case in this thread; an exploration runs on `workers` threads, each loading
 * the model registry at `registryUrl` (a module exporting the same MODELS as `options.models`),
 * and tells `onThreadCpu` the CPU its runs took by kind of thread (worker-thread-cpu.ts).
 */
export function startableCheck(options: CheckOptions, workers: number, registryUrl: string, onThreadCpu?: (cpu: ThreadCpuMs | null) => void): StartCheck {
  if (options.path !== undefined) {
    const session = checkSession(options);
    return (shouldStop) => runCheckTurning(session, shouldStop);
  }
  const arbitrary = caseArbitrary(options);
  return (shouldStop) => runCheckOnWorkers({ ...options, workers, registryUrl, onThreadCpu, arbitrary }, shouldStop);
}

/** Resolves after the event loop has handled what is pending (signals, timers, I/O). */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs the check session (checkSession(options): its problems with the options are thrown before
 * any run); `shouldStop` is asked after each turn of the event loop, before each run: true ends
 * the check there (fast-check's interruption: the counterexample is the smallest so far).
 */
async function runCheckTurning(session: CheckSession, shouldStop: () => boolean): Promise<CheckOutcome> {
  const p = session.property;
  const turning: fc.IRawProperty<[CheckCase], true> = {
    isAsync: () => true,
    generate: (mrng, runId) => p.generate(mrng, runId),
    shrink: (value) => p.shrink(value),
    run: async (v) => {
      await turn();
      return shouldStop() ? new fc.PreconditionFailure(true) : p.run(v);
    },
    runBeforeEach: async () => p.runBeforeEach(),
    runAfterEach: async () => p.runAfterEach(),
  };
  return session.outcome(await fc.check(turning, session.parameters));
}
