// The check on worker threads gives what the one-thread check (runCheck, fast-check's own loop)
// gives, whatever the thread count: the same runs, shrinking attempts, counterexample, (seed,
// path), coverage and violation counts. On the ping fixture, whose threads load the fixture
// registry: a correct model passes every run; its never-forgive bug fails within a few runs and
// shrinks to one fault; a stop ends the check after the run in progress on each thread.
import { describe, expect, it } from 'vitest';
import { MODELS } from '../scenario/testing/fixture-registry.ts';
import { runCheck, type CheckOptions, type CheckOutcome, type CheckProgress } from './check-runner.ts';
import { runCheckOnWorkers } from './worker-check-engine.ts';
import { runCheckTask } from './worker-check-task.ts';
import type { ThreadCpuMs } from './worker-thread-cpu.ts';
import { UserError } from '../scenario/user-error.ts';

const registryUrl = new URL('../scenario/testing/fixture-registry.ts', import.meta.url).href;
const raw = { model: 'ping', durationMs: 10_000 };

/** The outcome without the counterexample's resolution (a resolved scenario), compared field by field. */
function comparable(o: CheckOutcome) {
  const { counterexample: cx, ...rest } = o;
  // toEqual ignores key order; the JSON output does not: the coverage's order is compared too
  return { ...rest, coverageOrder: Object.keys(o.coverage), case: cx?.case ?? null, traceHash: cx?.report.traceHash ?? null, violations: cx?.report.violations ?? null };
}

describe('runCheckOnWorkers', () => {
  it('passes a correct model with the counts of the one-thread check, for 1 and 2 threads', async () => {
    const opts: CheckOptions = { raw, models: MODELS, settings: [], runs: 30, seed: 4 };
    const one = comparable(runCheck(opts));
    expect(one.failed).toBe(false);
    expect(one.runs).toBe(30);
    for (const workers of [1, 2]) expect(comparable(await runCheckOnWorkers({ ...opts, workers, registryUrl }))).toEqual(one);
  });

  // seed 1 fails at its first run and shrinks through many steps; seed 16 with one fault at most
  // fails first at its fifth run (runs after it, already given out to threads, must be dropped)
  it.each([
    { seed: 1, faultsMax: 6, runs: 1, workers: [1, 3] },
    { seed: 16, faultsMax: 1, runs: 5, workers: [2] },
  ])('reports the lowest-numbered failing run shrunk by the same steps as fast-check (seed $seed)', async ({ seed, faultsMax, runs, workers }) => {
    const opts: CheckOptions = { raw, models: MODELS, settings: ['ping.bug="never-forgive"'], runs: 100, seed, faultsMax };
    const one = runCheck(opts);
    expect(one.failed).toBe(true);
    expect(one.runs).toBe(runs);
    expect(one.shrinkRuns).toBeGreaterThan(3);
    expect(one.counterexample!.case.faults.length).toBe(1);
    for (const n of workers) {
      const seen: CheckProgress[] = [];
      const out = await runCheckOnWorkers({ ...opts, workers: n, registryUrl, onProgress: (p) => seen.push(p) });
      expect(comparable(out)).toEqual(comparable(one));
      // progress after every accepted run, in order: runs up to the failing one, then each shrink attempt
      expect(seen.map((p) => p.runs + p.shrinkRuns)).toEqual(Array.from({ length: one.runs + one.shrinkRuns }, (_, i) => i + 1));
    }
  });

  it('tells the CPU of its runs by kind of thread: the worker threads wrote their ids (their start-up alone takes CPU)', async () => {
    if (process.platform !== 'linux') return; // /proc only
    let cpu: ThreadCpuMs | null = null;
    const opts: CheckOptions = { raw, models: MODELS, settings: [], runs: 8, seed: 4 };
    await runCheckOnWorkers({ ...opts, workers: 2, registryUrl, onThreadCpu: (c) => void (cpu = c) });
    expect(cpu).not.toBeNull();
    const { workers, main, helpers } = cpu!;
    expect(workers).toBeGreaterThan(0);
    expect(main).toBeGreaterThanOrEqual(0);
    expect(helpers).toBeGreaterThanOrEqual(0);
  });

  it('stops after the run in progress, keeping the runs done and the smallest failure so far', async () => {
    const opts: CheckOptions = { raw, models: MODELS, settings: [], runs: 50, seed: 1 };
    let runs = 0;
    const out = await runCheckOnWorkers({ ...opts, workers: 1, registryUrl, onProgress: (p) => void (runs = p.runs) }, () => runs >= 3);
    expect(out.interrupted).toBe(true);
    // explored runs go out 4 to a task, 2 tasks to a thread: the stop is heard when the first
    // task's 4 runs are accepted; the second task, in progress then, ends after its run in progress
    expect(out.runs).toBeGreaterThanOrEqual(4);
    expect(out.runs).toBeLessThanOrEqual(8);

    const failing: CheckOptions = { raw, models: MODELS, settings: ['ping.bug="never-forgive"'], runs: 100, seed: 1, faultsMax: 6 };
    let shrinks = 0;
    const stopped = await runCheckOnWorkers({ ...failing, workers: 2, registryUrl, onProgress: (p) => void (shrinks = p.shrinkRuns) }, () => shrinks >= 2);
    expect(stopped.interrupted).toBe(true);
    expect(stopped.failed).toBe(true);
    // the runs in progress when it stopped were accepted too: shrink candidates go out one to a
    // task, at most two tasks to a thread
    expect(stopped.shrinkRuns).toBeGreaterThanOrEqual(2);
    expect(stopped.shrinkRuns).toBeLessThanOrEqual(2 + 2 * 2);
    // what it kept is where fast-check's own walk passed: its (seed, path) replays it
    const again = runCheck({ ...failing, path: stopped.path! });
    expect(again.counterexample!.case).toEqual(stopped.counterexample!.case);
    const full = runCheck(failing);
    expect(`${full.path}:`.startsWith(`${stopped.path}:`)).toBe(true);
  });

  // The pool starts before this thread draws up its case source: a scenario the check cannot
  // explore still fails with the user's error (not a thread's), and leaves nothing running (the
  // stop poll's timer is cleared, which keeps the process alive otherwise).
  it('rejects a scenario without a duration with the user error, leaving no timer behind', async () => {
    const opts: CheckOptions = { raw: { model: 'ping' }, models: MODELS, settings: [], runs: 5, seed: 1 };
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    await expect(runCheckOnWorkers({ ...opts, workers: 2, registryUrl })).rejects.toThrow(UserError);
    await expect(runCheckOnWorkers({ ...opts, workers: 2, registryUrl })).rejects.toThrow(/durationMs/);
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('a thread ends its task at the stop flag: no run starts once it is set', () => {
    const context = { raw, settings: [], seed: 1 };
    const stop = new Int32Array(new SharedArrayBuffer(4));
    expect(runCheckTask({ first: 0, count: 3 }, context, MODELS, stop)).toHaveLength(3);
    Atomics.store(stop, 0, 1);
    expect(runCheckTask({ first: 3, count: 3 }, context, MODELS, stop)).toEqual([]);
    expect(runCheckTask({ cases: [{ settings: [], faults: [], operations: [], runSeed: '1' }] }, context, MODELS, stop)).toEqual([]);
  });
});
