// A full garbage collection between a long run's simulation and its checkers' end-of-run analyses.
// When the simulation returns, the model's storage (every replica's log, the record stores, the
// in-flight messages: ~60 MB of typed arrays after a virtual hour of the default scenario) is
// garbage, but V8 frees an ArrayBuffer only when a major GC finds it dead, and it starts one for
// external memory only after tens of MB more have been allocated. The analyses allocate their own
// arrays first, so both were held at once: sampled through tsx, a virtual hour's RSS was 353 MB
// late in the simulation and 404 MB in the analyses (typed arrays 204 -> 256 MB, ~60 MB of them
// the dead model, freed only at the last analyses); 900 s virtual peaked at 225 MB, and 215 MB
// (at the simulation's end) with this collection. It returns the model's memory first.
// It costs one major GC (~43 ms of CPU after 600 s virtual, whose run took 26 s on a loaded
// machine): only runs of at least LONG_RUN_EVENTS events pay it. Timing and memory only: which objects V8 frees never changes
// what a run does or finds.

import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/** Runs this long (a few seconds of CPU and up) pay for one collection; shorter ones hold little. */
export const LONG_RUN_EVENTS = 2_000_000;

let gc: (() => void) | null = null;

/** V8's gc(), taken once from a context made while --expose-gc was on (then set back as it was). */
function fullGc(): () => void {
  if (gc !== null) return gc;
  const exposed = typeof (globalThis as { gc?: unknown }).gc === 'function';
  if (exposed) gc = (globalThis as unknown as { gc: () => void }).gc;
  else {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
    v8.setFlagsFromString('--no-expose-gc');
  }
  return gc;
}

/** After a run's simulation of `events` events: a full collection if the run was long. */
export function collectAfterSimulation(events: number): boolean {
  if (events < LONG_RUN_EVENTS) return false;
  fullGc()();
  return true;
}
