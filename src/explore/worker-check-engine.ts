// `ksim check --workers N`: the model checker's runs spread over a pool of worker threads
// (piscina, as sweeps use), with the same result for any N as the one-thread check
// (check-runner.ts runCheck): the same counterexample at the same (seed, path), shrunk by the same
// steps, and the same counts, coverage and violations.
//
// How: fast-check draws run i's case from the seed and i alone, and a shrink candidate from its
// path alone (`seed` + path "i:j:k" is how a failure replays), so cases are taken from fast-check
// by path (fc.sample) and evaluated in parallel, but accepted strictly in path order:
// - exploring, runs are accepted in index order; the first failing one accepted is the
//   lowest-numbered failing run (every run before it passed), and runs after it are dropped;
// - shrinking, the candidates of the current counterexample are evaluated ahead, accepted in
//   order; the first failing one becomes the counterexample and the others of its step are
//   dropped, which is fast-check's own walk. Counts include only the runs fast-check would run.
// Runs dropped are still finished (their answers ignored) rather than aborted: an abort would end
// the worker thread, and a new one starts cold. Each thread keeps at most one run at a time, so a
// stop (Ctrl-C, the time limit) waits only for the runs in progress, which are then accepted too.
//
// This file is the async part of the check (pool, promises); it is exempt from the tidy scan by its
// name, like every src/explore/worker-* file. Simulation stays in the synchronous tasks.

import fc from 'fast-check';
import { Piscina } from 'piscina';
import { caseArbitrary, countCase, counterexampleOf, emptyCounts, type CheckCase, type CheckCounts, type CheckOptions, type CheckOutcome, type Counterexample } from './check-runner.ts';
import type { CheckTaskAnswer, CheckWorkerContext } from './worker-check-task.ts';

const SHIM = new URL('./worker-check-shim.mjs', import.meta.url).href;

/** Runs evaluated ahead of the oldest one not yet accepted, per thread at most. */
const AHEAD_PER_THREAD_MAX = 8;
/** Cases taken from fast-check at once at most while exploring (each take walks to its path). */
const TAKE_MAX = 1024;

export interface WorkerCheckOptions extends CheckOptions {
  workers: number;
  /** URL of a module that exports the same registry as `models` (as MODELS), loaded by each thread. */
  registryUrl: string;
}

/** The cases of one check by fast-check path: run i is path "i", candidate j of the case at P is "P:j". */
export class CaseSource {
  private readonly sampled: fc.IRawProperty<[CheckCase], false>;

  constructor(
    arb: fc.Arbitrary<CheckCase>,
    private readonly seed: number,
  ) {
    // The property runCheck checks; fc.sample reads a property, not an arbitrary, only when its
    // isAsync is an own field, hence the plain object around it.
    const p = fc.property(arb, (_c: CheckCase) => true);
    this.sampled = {
      isAsync: () => false,
      generate: (mrng, runId) => p.generate(mrng, runId),
      shrink: (value) => p.shrink(value),
      run: () => null,
      runBeforeEach: () => undefined,
      runAfterEach: () => undefined,
    };
  }

  /** Up to `count` cases from `path` on (fewer at the end of a shrink step). */
  take(path: string, count: number): CheckCase[] {
    return fc.sample(this.sampled, { seed: this.seed, path, numRuns: count }).map((v) => v[0]);
  }
}

interface Work {
  /** Which counterexample's step it belongs to (0: exploring); work of an older step is dropped. */
  step: number;
  /** Its run index (exploring) or candidate index in its step (shrinking). */
  index: number;
  case: CheckCase;
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

  /** The next case to evaluate, or null if none now (exploring: all runs given out; shrinking: the step's candidates). */
  next(): Work | null {
    if (this.buffer.length === 0) this.buffer = this.refill();
    const c = this.buffer.shift();
    return c === undefined ? null : { step: this.step, index: this.nextIndex++, case: c };
  }

  hasNext(): boolean {
    if (this.buffer.length === 0) this.buffer = this.refill();
    return this.buffer.length > 0;
  }

  private refill(): CheckCase[] {
    if (this.exhausted) return [];
    if (this.path !== null) {
      const count = this.threads * AHEAD_PER_THREAD_MAX;
      const cases = this.source.take(`${this.path}:${this.nextIndex}`, count);
      this.exhausted = cases.length < count;
      return cases;
    }
    const left = this.opts.runs - this.nextIndex;
    if (left <= 0) return [];
    // Taking run i walks fast-check's generator to i: take more at once as i grows.
    const count = Math.min(left, TAKE_MAX, Math.max(this.threads * AHEAD_PER_THREAD_MAX, this.nextIndex >> 3));
    return this.source.take(String(this.nextIndex), count);
  }

  /** Accepts a finished run, in order; true if it failed: the next step begins and older work is dropped. */
  accept(work: Work, answer: CheckTaskAnswer): boolean {
    countCase(this.counts, work.case, answer);
    this.opts.onProgress?.({ ...this.counts.progress });
    if (!answer.failed) return false;
    this.path = this.path === null ? String(work.index) : `${this.path}:${work.index}`;
    this.best = work.case;
    this.step++;
    this.nextIndex = 0;
    this.buffer = [];
    this.exhausted = false;
    return true;
  }
}

interface Slot {
  work: Work;
  answer?: CheckTaskAnswer;
}

/**
 * Evaluates the driver's work on the pool, one run per thread at a time, accepting answers in the
 * order the work was given out. Resolves when there is nothing left to do, or when `shouldStop`
 * (asked before each run is given out) stopped it and the runs in progress are accepted: true then.
 * A task that fails (a thread that died) rejects, once the runs in progress are back.
 */
function evaluate(pool: Piscina, threads: number, driver: CheckDriver, shouldStop: () => boolean): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const queue: Slot[] = [];
    let running = 0;
    let stopped = false;
    let failure: { error: unknown } | null = null;
    const drain = () => {
      while (failure === null && queue.length > 0 && queue[0].answer !== undefined) {
        const slot = queue.shift()!;
        if (slot.work.step === driver.step && driver.accept(slot.work, slot.answer!)) queue.length = 0;
      }
    };
    const fill = () => {
      while (!stopped && failure === null && running < threads && queue.length < threads * AHEAD_PER_THREAD_MAX && driver.hasNext()) {
        if (shouldStop()) {
          stopped = true;
          break;
        }
        const slot: Slot = { work: driver.next()! };
        queue.push(slot);
        running++;
        (pool.run(slot.work.case) as Promise<CheckTaskAnswer>).then(
          (answer) => settle(() => void (slot.answer = answer)),
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

/** The check on `opts.workers` threads; the same outcome as runCheck(opts) for any count. Not for a --path replay. */
export async function runCheckOnWorkers(opts: WorkerCheckOptions, shouldStop: () => boolean = () => false): Promise<CheckOutcome> {
  if (opts.path !== undefined) throw new Error('runCheckOnWorkers: a --path replay runs one case, in this thread (checkSession)');
  const source = new CaseSource(caseArbitrary(opts), opts.seed);
  const threads = opts.workers;
  const driver = new CheckDriver(opts, source, threads);
  const context: CheckWorkerContext = { raw: opts.raw, settings: opts.settings, failOn: opts.failOn, properties: opts.properties };
  const pool = new Piscina({
    filename: SHIM,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
    workerData: { registryUrl: opts.registryUrl, context },
  });
  let interrupted: boolean;
  try {
    interrupted = await evaluate(pool, threads, driver, () => opts.shouldStop?.() === true || shouldStop());
  } finally {
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
