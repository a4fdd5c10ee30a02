// `ksim check --workers N`: the model checker's runs spread over a pool of worker threads
// (piscina, as sweeps use), with the same result for any N as the one-thread check
// (check-runner.ts runCheck): the same counterexample at the same (seed, path), shrunk by the same
// steps, and the same counts, coverage and violations.
//
// How: fast-check draws run i's case from the seed and i alone, and a shrink candidate from its
// path alone (`seed` + path "i:j:k" is how a failure replays; check-case-source.ts), so cases are
// taken by path and evaluated in parallel, but accepted strictly in path order:
// - exploring, each thread is given ranges of run indexes and draws those runs itself (the main
//   thread neither generates nor clones them: its work per run is the answer's counting); runs
//   are accepted in index order, and the first failing one accepted is the lowest-numbered
//   failing run (every run before it passed): runs after it are dropped, and its case is drawn
//   again here, by its path, to shrink from;
// - shrinking, the candidates of the current counterexample are drawn here and evaluated ahead,
//   one per task, accepted in order; the first failing one becomes the counterexample and the
//   others of its step are dropped, which is fast-check's own walk. Counts include only the runs
//   fast-check would run.
// Runs dropped are still finished (their answers ignored) rather than aborted: an abort would end
// the worker thread, and a new one starts cold. Each thread keeps at most two tasks at a time (the
// second waits in its port, so the thread never idles waiting for the main thread), so a stop
// (Ctrl-C, the time limit) waits only for the tasks in progress, which are then accepted too.
//
// Where the time goes (check-small, 600 runs, seed 1; `ksim check --json`'s cpuMsByThread, from
// /proc: worker-thread-cpu.ts; two alternating pairs on a loaded machine; issue 14): with one
// worker, ~28-33 ms of CPU a run in the worker thread, 7.5-7.8 in V8's helper threads and 0.3 in
// the main thread (its answers; its start-up is before the pool); with two, 30.5-31 in the worker
// threads, 10.3-10.8 in the helpers, 0.2-0.3 in the main thread. The helpers are mostly V8's
// concurrent TurboFan compiles, not GC: --single-threaded-gc leaves most of them, and
// --no-concurrent-recompilation moves all but ~1.3 ms a run into the worker thread. They last past
// warm-up: after 300 runs an isolate still optimizes 70-90 functions for the first time and
// 30-45 again per 100 runs (~15 deopts per 100, mostly "wrong map" in the model's handlers), and a
// larger young generation (--max-semi-space-size=64) did not measurably change the figures. Each
// thread is its own isolate that compiles and warms up again: the second isolate's warm-up is the
// ~3 ms a run more in the helpers (and part of the ~2-3 more in the workers) with two threads. With
// one worker the helpers run on the second core for free (~1.25 cores busy on an idle machine), so
// two cores give at most about 2 / 1.25 x (CPU a run with 1 over with 2, ~0.85-1.0), 1.4-1.6x.
// This engine keeps its threads busy (a thread idles ~2% of its span, waiting for the main thread)
// and its own cost per run is small. The late compiles are not deopt loops but code a run executes
// once or a few times (constructors, resolution, end-of-run analyses) turning hot after a few
// hundred runs: worker-jit-flags.ts, which a pool applies, raises V8's threshold for them (824 ->
// 613 TurboFan compiles in a 300-run check). What is left of the gap is each isolate's own warm-up
// (its first ~100 runs take ~43 ms a run in the thread and ~28 in the helpers, then ~24 and ~4).
// `ksim bench --only check` (bench-check.ts) measures that span apart: a check of each worker's
// first 100 runs beside the 600-run one, and estimates the idle-machine speed-up from CPU (2 x
// worker-thread CPU a run with 1 / process CPU a run with 2). Two bench runs at load ~20 on 2
// cores: each worker's first 100 runs at half the rate of the rest (5.1 and 6.5 runs/s with 1
// worker, 11.4 and 13.5 after); CPU 2 / 1 1.02 and 1.19 over the whole check, 0.98 and 0.93 after
// warm-up; idle estimate 1.58 and 1.34 over the whole check, 1.85 after warm-up. So the CPU a
// second thread adds is its warm-up; after it two threads cost no more a run than one, and a
// 600-run check (300 runs a thread, a third of them warm-up) cannot show 1.8x. What V8's helpers
// still take of the second core is mostly TurboFan (--single-threaded-gc moves only ~1.5
// ms a run of them, and the total no clearer: 47.8, 42.6, 42.2 against 45.0, 46.7, 41.7 ms a run
// with 2 workers, three alternating pairs).
// Tried and not kept, 2 workers, 600 runs, alternating (loaded machine): --interrupt-budget 4x
// (48.9 and 45.1 ms CPU a run against 44.7 and 39.1 with 2x), --always-sparkplug (45.3 against
// 44.7), --no-concurrent-recompilation (44.5: the compiles move into the worker threads, the total
// stays), --max-inlined-bytecode-size-cumulative=460 (fewer helper ms, as many more in the thread).
// The simulation loop's OSR code is compiled twice per isolate and left once a run by a cheap
// eager deopt at its exit (trace-opt, 200 runs: 2 OSR compiles, 130 deopts): not worth a change in
// the kernel. Resolving a case is ~0.6-0.7 ms of a ~28 ms run (zod ~0.54 ms, of which the parts no
// drawn setting touches ~0.3) and drawing it ~0.3 ms: what resolving the base once could save is
// ~1%, the rest of a run's fixed work is the model's and the checkers' (construction ~3%, end-of-run
// analyses ~7%, of which the Kafka summary ~2%: generated runs skip it, RunOptions.judgeOnly).
// The shape of a thread's warm-up (one isolate running the thread's bundle in-process, check-small
// seed 1, process CPU by blocks of 8 runs, loaded machine; issue 14): ~215 ms a run for runs 0-7,
// ~90 for 8-15, then 30-40 against ~30 once warm, so ~2-2.5 s of CPU an isolate, most of it in
// the first 16 runs. A profile of those runs is the simulation's own handlers, interpreted (module
// compile ~2%, no compile or GC spike): code caching the bundle would save little. Node 20's
// --maglev and --no-lazy-feedback-allocation did not move the CPU a run (300-run checks, 2
// workers, alternating: 52.6/51.0 and 51.3 against 52.0/50.9 ms); 64 MB semi-spaces from the
// start (--min- and --max-semi-space-size=64), in process, 41.4/38.1 against 42.3/41.2 ms a run
// over 300 runs: within a loaded machine's noise, and the maximum alone changed nothing in a check
// (above). Each extra thread pays that
// warm-up again: with 600 runs of ~30 ms, ~13% more CPU for the second. With V8's helpers (free
// on the second core with one thread, not with two) that is the bench's idle estimate of a
// 600-run check, 1.34-1.35, against 1.66 after warm-up: only fewer compiles (helpers) or a
// longer check raise it.
// Is it the runs or the isolate? (one isolate in process, check-small seed 1, runs 0-299 and then
// the same 0-299 again, blocks of 20, process / thread CPU ms a run, load 5-25 on 2 cores): first
// pass 168/75, 66/48, 48/37, then 35-55/30-48; the second pass's runs 0-39 33/30 and 36/32. Early
// runs are not heavier (10.8k-14.5k events a run, 1.3-2.7 faults and 1.0-1.7 operations in every
// block, no trend: fast-check's bias toward small values in its first runs does not lengthen
// them), so it is the isolate's; in its first 20 runs V8's helpers take more CPU than the thread.
// --trace-opt --trace-deopt-verbose by run (doubled budget, runs 0-199): 354 TurboFan compiles in
// the first 20 runs, then 16-35 per 20. The costliest are recompiles of large handlers after a
// deopt in some callee they inlined (completeFollowerFetch, onFetchResponse and appendBatch 7
// compiles each, the fetcher's kick 4, the analyses' versionOrders 5; 100-500 ms of a helper each,
// wall, loaded). Those deopts are spread over ~120 sites with 1-4 each, almost all before run 100:
// a branch or a field type (null, then an error code) that a later run meets first, not shapes
// that alternate between runs. The only deopt repeated every run is Simulation.run's OSR exit
// (above). Nothing in the runs' shapes to fix, then: what would cut the warm-up is fewer or
// cheaper compiles of the model's big handlers (smaller inlined trees).
//
// This file is the async part of the check (pool, promises); it is exempt from the tidy scan by its
// name, like every src/explore/worker-* file. Simulation stays in the synchronous tasks.

import type fc from 'fast-check';
import { Piscina } from 'piscina';
import { CaseSource } from './check-case-source.ts';
import { caseArbitrary, countCase, counterexampleOf, emptyCounts, type CheckCounts, type CheckOptions, type CheckOutcome, type Counterexample } from './check-runner.ts';
import type { CheckCase } from './check-case.ts';
import type { CheckTask, CheckTaskAnswer, CheckWorkerContext } from './worker-check-task.ts';
import { workerBundle, type BundleOutcome } from './worker-bundle.ts';
import { threadCpuNow, threadCpuSplit, threadIdSlots, type ThreadCpuMs } from './worker-thread-cpu.ts';
import { tuneJitForPools } from './worker-jit-flags.ts';

const SHIM = new URL('./worker-check-shim.mjs', import.meta.url).href;
const TASK = new URL('./worker-check-task.ts', import.meta.url).href;
const THREAD_CPU = new URL('./worker-thread-cpu.ts', import.meta.url).href;

/** Tasks evaluated ahead of the oldest one not yet accepted, per thread at most. */
const AHEAD_PER_THREAD_MAX = 8;
/** Tasks given to a thread at once: the next one waits in its port while it runs one. */
const TASKS_PER_THREAD = 2;
/**
 * Explored runs per task: fewer messages and answers to handle on the main thread, which shares
 * the machine's cores with the workers. A stop waits for the run in progress on each thread.
 */
const RUNS_PER_TASK = 4;
/** How often a running check asks whether it is to stop (Ctrl-C, a time limit), wall-clock ms. */
const STOP_POLL_MS = 50;
/** A passing run's counts never read its case (countCase): what it is given for one not drawn here. */
const NOT_DRAWN: CheckCase = { settings: [], faults: [], operations: [], runSeed: '' };

export interface WorkerCheckOptions extends CheckOptions {
  workers: number;
  /** URL of a module that exports the same registry as `models` (as MODELS), loaded by each thread. */
  registryUrl: string;
  /** Told, once the check is over, the CPU it took by kind of thread (null without Linux's /proc): timing, never part of the outcome. */
  onThreadCpu?(cpu: ThreadCpuMs | null): void;
  /** caseArbitrary(opts), when the caller already built it (the CLI does, to report bad input before any output): not built again. */
  arbitrary?: fc.Arbitrary<CheckCase>;
}

interface Work {
  /** Which counterexample's step it belongs to (0: exploring); work of an older step is dropped. */
  step: number;
  /** Its first run index (exploring) or candidate index in its step (shrinking). */
  index: number;
  /** Shrinking: the candidate, drawn here; exploring: absent, the thread draws runs index..index+count-1. */
  cases?: CheckCase[];
  count: number;
}

/** Where the check stands: what to evaluate next, and the counts of the runs accepted so far. */
class CheckDriver {
  readonly counts = emptyCounts();
  step = 0;
  /** The path of the counterexample so far; null while no run failed. */
  path: string | null = null;
  best: CheckCase | null = null;
  private nextIndex = 0;
  private buffer: CheckCase[] = [];
  /** The current step has given out all its cases (fast-check's shrink stream ended). */
  private exhausted = false;

  constructor(
    private readonly opts: WorkerCheckOptions,
    private readonly source: CaseSource,
    private readonly threads: number,
  ) {}

  /** The next task, or null if none now (exploring: all runs given out; shrinking: the step's candidates). */
  next(): Work | null {
    if (this.path === null) {
      const count = Math.min(RUNS_PER_TASK, this.opts.runs - this.nextIndex);
      if (count <= 0) return null;
      const work = { step: this.step, index: this.nextIndex, count };
      this.nextIndex += count;
      return work;
    }
    if (this.buffer.length === 0) this.buffer = this.refill();
    const c = this.buffer.shift();
    return c === undefined ? null : { step: this.step, index: this.nextIndex++, cases: [c], count: 1 };
  }

  hasNext(): boolean {
    if (this.path === null) return this.nextIndex < this.opts.runs;
    if (this.buffer.length === 0) this.buffer = this.refill();
    return this.buffer.length > 0;
  }

  private refill(): CheckCase[] {
    if (this.exhausted) return [];
    const count = this.threads * AHEAD_PER_THREAD_MAX;
    const cases = this.source.take(`${this.path}:${this.nextIndex}`, count);
    this.exhausted = cases.length < count;
    return cases;
  }

  /** Accepts the answer of a task's `offset`th case, in order; true if it failed: the next step begins and older work is dropped. */
  accept(work: Work, offset: number, answer: CheckTaskAnswer): boolean {
    const index = work.index + offset;
    // a failing explored run's case, drawn again by its path: the one its thread drew and ran
    const c = work.cases?.[offset] ?? (answer.failed ? this.source.take(String(index), 1)[0] : NOT_DRAWN);
    countCase(this.counts, c, answer);
    this.opts.onProgress?.({ ...this.counts.progress });
    if (!answer.failed) return false;
    this.path = this.path === null ? String(index) : `${this.path}:${index}`;
    this.best = c;
    this.step++;
    this.nextIndex = 0;
    this.buffer = [];
    this.exhausted = false;
    return true;
  }
}

interface Slot {
  work: Work;
  answers?: CheckTaskAnswer[];
}

/**
 * Evaluates the driver's work on the pool, TASKS_PER_THREAD tasks per thread at a time, accepting
 * answers in the order the work was given out. Resolves when there is nothing left to do, or when
 * `shouldStop` (asked before each task is given out) stopped it and the tasks in progress are
 * accepted: true then. A task that fails (a thread that died) rejects, once the tasks in progress
 * are back.
 */
function evaluate(pool: Piscina, threads: number, driver: CheckDriver, shouldStop: () => boolean): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const queue: Slot[] = [];
    let running = 0;
    let stopped = false;
    let failure: { error: unknown } | null = null;
    const drain = () => {
      while (failure === null && queue.length > 0 && queue[0].answers !== undefined) {
        const slot = queue.shift()!;
        if (slot.work.step !== driver.step) continue;
        if (slot.answers!.some((answer, offset) => driver.accept(slot.work, offset, answer))) queue.length = 0;
        // A task cut short by the stop flag: the work after it is not accepted (runs are counted
        // in order, without gaps), though its thread may have run some of it.
        else if (slot.answers!.length < slot.work.count) queue.length = 0;
      }
    };
    const fill = () => {
      while (!stopped && failure === null && running < threads * TASKS_PER_THREAD && queue.length < threads * AHEAD_PER_THREAD_MAX && driver.hasNext()) {
        if (shouldStop()) {
          stopped = true;
          break;
        }
        const slot: Slot = { work: driver.next()! };
        queue.push(slot);
        running++;
        const task: CheckTask = slot.work.cases ? { cases: slot.work.cases } : { first: slot.work.index, count: slot.work.count };
        (pool.run(task) as Promise<CheckTaskAnswer[]>).then(
          (answers) => settle(() => void (slot.answers = answers)),
          (error: unknown) => settle(() => void (failure ??= { error })),
        );
      }
    };
    const settle = (record: () => void) => {
      running--;
      record();
      drain();
      fill();
      if (running > 0) return;
      if (failure !== null) reject(failure.error);
      else resolve(stopped);
    };
    fill();
    if (running === 0) resolve(stopped);
  });
}

/**
 * A pool of `threads` check threads (started at once and kept for the whole check), each running
 * worker-check-task.ts with the models of the registry at `registryUrl` and the check's `context`:
 * from the prebuilt bundle (worker-bundle.ts), or through tsx if none can be built. Each thread
 * writes its thread id into `threadIds` if given (threadIdSlots). V8's tier-up threshold is raised
 * first (worker-jit-flags.ts), so the threads do not compile code a run executes only once.
 */
export function checkPool(threads: number, registryUrl: string, context: CheckWorkerContext, tasksPerThread = 1, threadIds?: Int32Array, stopFlag?: Int32Array): Piscina {
  const bundle = checkThreadBundle(registryUrl);
  tuneJitForPools();
  return new Piscina({
    filename: SHIM,
    minThreads: threads,
    maxThreads: threads,
    concurrentTasksPerWorker: tasksPerThread,
    idleTimeout: 60_000,
    workerData: { registryUrl, bundleUrl: bundle.url, context, threadIds, stopFlag },
  });
}

/**
 * The code bundle of a check pool's threads for the registry at `registryUrl` (worker-bundle.ts),
 * built now if its sources changed since it was last built: a benchmark builds it before it
 * starts its clock, as the first check would otherwise count the build.
 */
export function checkThreadBundle(registryUrl: string): BundleOutcome {
  return workerBundle([
    { url: TASK, names: ['runCheckTask'] },
    { url: THREAD_CPU, names: ['noteThreadId'] },
    { url: registryUrl, names: ['MODELS'] },
  ]);
}

/** The check on `opts.workers` threads; the same outcome as runCheck(opts) for any count. Not for a --path replay. */
export async function runCheckOnWorkers(opts: WorkerCheckOptions, shouldStop: () => boolean = () => false): Promise<CheckOutcome> {
  if (opts.path !== undefined) throw new Error('runCheckOnWorkers: a --path replay runs one case, in this thread (checkSession)');
  const threads = opts.workers;
  const context: CheckWorkerContext = { raw: opts.raw, settings: opts.settings, failOn: opts.failOn, properties: opts.properties, seed: opts.seed, faultsMax: opts.faultsMax };
  const threadIds = threadIdSlots(threads);
  const cpuBefore = opts.onThreadCpu && threadCpuNow();
  // Set once the check is to stop: each thread ends its task after the run in progress. Asked
  // every STOP_POLL_MS as well as before each task, so a stop does not wait for a task to end.
  const stopFlag = new Int32Array(new SharedArrayBuffer(4));
  const stop = () => {
    const stopping = opts.shouldStop?.() === true || shouldStop();
    if (stopping) Atomics.store(stopFlag, 0, 1);
    return stopping;
  };
  // The threads start first: loading their code and drawing up their own case source (a few
  // hundred ms of CPU each) overlaps this thread's drawing up its own, which it needs only to
  // redraw a failing run and shrink it.
  const pool = checkPool(threads, opts.registryUrl, context, TASKS_PER_THREAD, threadIds, stopFlag);
  const poll = setInterval(stop, STOP_POLL_MS);
  let interrupted: boolean;
  let driver: CheckDriver;
  try {
    driver = new CheckDriver(opts, new CaseSource(opts.arbitrary ?? caseArbitrary(opts), opts.seed), threads);
    interrupted = await evaluate(pool, threads, driver, stop);
    // before the pool ends: a thread's figures go with it
    if (opts.onThreadCpu) opts.onThreadCpu(threadCpuSplit(cpuBefore ?? null, threadCpuNow(), threadIds));
  } finally {
    clearInterval(poll);
    await pool.destroy();
  }
  const counterexample = driver.best && counterexampleOf(opts, driver.best, opts.seed, driver.path!);
  return checkOutcomeOf(driver.counts, counterexample, { interrupted, seed: opts.seed, path: driver.path });
}

/** A check's outcome from its counts and its counterexample (null: every run passed). */
export function checkOutcomeOf(counts: CheckCounts, counterexample: Counterexample | null, run: { interrupted: boolean; seed: number; path: string | null }): CheckOutcome {
  const { progress, coverage, passedWithViolations } = counts;
  return { runs: progress.runs, shrinkRuns: progress.shrinkRuns, failed: counterexample !== null, ...run, counterexample, coverage, passedWithViolations };
}
