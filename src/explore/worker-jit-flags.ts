// V8's tier-up threshold for a process whose pool threads run the checker's simulations
// (`ksim check --workers N`), raised so that code run once or a few times a run is not compiled by
// TurboFan after enough runs. Timing only: which code V8 optimizes never changes what a run does.
//
// Why V8 keeps compiling after warm-up (check-small, seed 1, one isolate running a worker's task
// loop, `--trace-opt --trace-deopt-verbose`; issue 14): 880 TurboFan compiles in 400 runs, ~240
// of them recompiles, and still ~90 compiles per 100 runs after run 300. They are not deopt loops:
// 476 deopts in 300 runs, of which 300 are the simulation loop's on-stack-replaced code leaving
// through a compare it never had feedback for (one per run, cheap), and the rest spread over ~60
// sites with at most 4 each (a branch or a map a later run meets first). Most late compiles are
// first compiles of code a run executes once or a few times: constructors (ReplicaManager, Broker,
// ReplicaFetcherThread, the random generator's), the scenario's resolution and parsing, the
// end-of-run analyses. V8 counts a function's executed bytecode across calls against
// --interrupt-budget, so such code turns "hot" after a few hundred runs, and each compile of it
// (inlining its callees) takes 20-80 ms of a helper thread's CPU to save microseconds a run. With
// one worker these compiles run on the idle second core; with two, each isolate compiles the same
// code again beside the other's simulation.
//
// Measured (one isolate, 300 runs, three alternating triples on a loaded machine): V8's helper
// threads 10.3-12.6 ms of CPU a run by default, 7.9-9.0 with the budget doubled, 6.9-8.9 tripled;
// the simulation thread's CPU unchanged at 2x (26.2-29.7 against 26.7-29.6 ms a run), noisier at
// 3x (and 4x cost more CPU a run in a 2-worker check: 48.9 and 45.1 ms against 44.7 and 39.1,
// alternating). Doubled, then. `ksim check`, 600 runs, --workers 2, three alternating pairs (loaded machine):
// CPU a run 44.2-45.6 -> 39.1-41.3 ms, of which the helpers 12.2-12.5 -> 8.6-9.4; TurboFan compiles
// in a 300-run check 824 -> 613; the outputs identical. V8 reads the flag when it gives a function
// its budget, so setting it before the pool's threads start covers every function of theirs. A
// budget given on node's command line is left alone, and KSIM_JIT_TUNING=0 turns this off (to
// measure against the default).

import * as v8 from 'node:v8';

/** V8 11's default --interrupt-budget (Node 20's V8), doubled. */
const POOL_INTERRUPT_BUDGET = 2 * 66 * 1024;

/**
 * Raises V8's tier-up threshold for this process before a check's pool threads start (again at
 * each pool: harmless), unless node was started with its own --interrupt-budget or KSIM_JIT_TUNING=0. Returns the flag
 * set, or null if none was. `setFlags` is V8's setter (a test's stand-in).
 */
export function tuneJitForPools(setFlags: (flags: string) => void = v8.setFlagsFromString): string | null {
  if (process.env.KSIM_JIT_TUNING === '0' || process.execArgv.some((a) => a.startsWith('--interrupt-budget'))) return null;
  const flag = `--interrupt-budget=${POOL_INTERRUPT_BUDGET}`;
  setFlags(flag);
  return flag;
}
