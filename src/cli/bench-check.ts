// `ksim bench`, part 3: `ksim check` runs per second on check-small with 1 and 2 worker threads,
// the speed-up, where the CPU goes, and how much of the gap is each thread's warm-up (issue 14).
//
// Each figure comes from `ksim check --json` processes (runBench is synchronous; the pool is not),
// as the command reports them (pool start-up included, process start-up not), CHECK_PAIRS
// alternating pairs, medians, so a load that comes and goes hits both counts alike.
//
// Warm-up: each worker thread is its own V8 isolate, and its first ~100 runs cost about twice a
// warm run (interpreted code, TurboFan compiles on V8's helper threads); two workers pay that
// twice. Beside each full check, a short one of WARM_UP_RUNS_PER_WORKER runs per worker measures
// that span alone, and the difference of the two is the check after warm-up: its runs/s and CPU
// a run, and the speed-up it gives, which is what a longer check tends to.
//
// On a loaded machine wall times say little, while CPU a run hardly moves with the load; so the
// speed-up an idle 2-core machine would see is also estimated from CPU: with 1 worker the wall
// time is about its worker thread's CPU (V8's helpers run on the other core), with 2 at least
// half the process's CPU, hence 2 x (worker-thread CPU with 1) / (process CPU with 2).

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ThreadCpuMs } from '../explore/worker-thread-cpu.ts';

/** Alternating pairs of `ksim check` processes (--workers 1, then 2). */
const CHECK_PAIRS = 3;
/** Generated runs of the full check. */
const CHECK_RUNS = 600;
/** The short check's runs per worker: each thread's warm-up span. */
const WARM_UP_RUNS_PER_WORKER = 100;

/** One `ksim check --json` process: its timing, and its output without the timing. */
export interface CheckSample {
  wallMs: number;
  runsPerSec: number;
  cpuMs: number;
  byThread: ThreadCpuMs | null;
  runsDone: number;
  output: string;
  found: boolean;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function checkSample(bin: string, runs: number, workers: number, dir: string): CheckSample {
  const argv = [bin, 'check', '--scenario', 'check-small', '--runs', String(runs), '--seed', '1', '--json', '--workers', String(workers), '--traces-dir', dir];
  const r = spawnSync(process.execPath, argv, { encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) throw new Error(`bench check failed (exit ${r.status}): ${r.stderr}`);
  const { wallMs, runsPerSec, cpuMs, cpuMsByThread, ...result } = JSON.parse(r.stdout) as { wallMs: number; runsPerSec: number; cpuMs: number; cpuMsByThread: ThreadCpuMs | null; passed: boolean; runs: number; shrinkRuns: number };
  return { wallMs, runsPerSec, cpuMs, byThread: cpuMsByThread, runsDone: result.runs + result.shrinkRuns, output: JSON.stringify(result), found: !result.passed };
}

/** The figures of one worker count over its pairs (medians of the per-pair figures). */
interface CheckFigures {
  runsPerSec: number;
  wallMs: number;
  cpuMsPerRun: number;
  busy: number;
  /** CPU a run by kind of thread; null without /proc. */
  byThread: ThreadCpuMs | null;
  /** The short check (warm-up span) and the rest of the full one. */
  warmUpRunsPerSec: number;
  afterRunsPerSec: number;
  afterCpuMsPerRun: number;
  /** CPU a run by kind of thread after warm-up; null without /proc. */
  afterByThread: ThreadCpuMs | null;
  all: number[];
  found: boolean;
}

/** The figures of one worker count from its full checks and, pair by pair, its short ones. */
export function checkFigures(full: CheckSample[], short: CheckSample[]): CheckFigures {
  const perRun = (t: ThreadCpuMs, runs: number): ThreadCpuMs => ({ workers: t.workers / runs, main: t.main / runs, helpers: t.helpers / runs });
  const medianThreads = (ts: ThreadCpuMs[]) => (ts.length === 0 ? null : { workers: median(ts.map((t) => t.workers)), helpers: median(ts.map((t) => t.helpers)), main: median(ts.map((t) => t.main)) });
  const after = full.map((s, i) => {
    const w = short[i];
    const runs = s.runsDone - w.runsDone;
    const byThread = s.byThread && w.byThread && perRun({ workers: s.byThread.workers - w.byThread.workers, main: s.byThread.main - w.byThread.main, helpers: s.byThread.helpers - w.byThread.helpers }, runs);
    return { runs, wallMs: s.wallMs - w.wallMs, cpuMs: s.cpuMs - w.cpuMs, byThread };
  });
  return {
    runsPerSec: median(full.map((s) => s.runsPerSec)),
    wallMs: median(full.map((s) => s.wallMs)),
    cpuMsPerRun: median(full.map((s) => s.cpuMs / s.runsDone)),
    busy: median(full.map((s) => s.cpuMs / s.wallMs)),
    byThread: medianThreads(full.flatMap((s) => (s.byThread ? [perRun(s.byThread, s.runsDone)] : []))),
    warmUpRunsPerSec: median(short.map((s) => s.runsPerSec)),
    afterRunsPerSec: median(after.map((a) => (a.wallMs > 0 ? (1000 * a.runs) / a.wallMs : Infinity))),
    afterCpuMsPerRun: median(after.map((a) => a.cpuMs / a.runs)),
    afterByThread: medianThreads(after.flatMap((a) => (a.byThread ? [a.byThread] : []))),
    all: full.map((s) => s.runsPerSec),
    found: full.some((s) => s.found),
  };
}

/**
 * The speed-up an idle 2-core machine would see, from CPU a run: with 1 worker the wall time is
 * about its worker thread's CPU (V8's helpers and the main thread run on the other core), with 2
 * at least half the process's CPU (both cores busy). Null without the split by thread.
 */
export function idleSpeedUp(one: { workers: number } | null, twoCpuMsPerRun: number): number | null {
  return one === null ? null : (2 * one.workers) / twoCpuMsPerRun;
}

/** Prints part 3 of the bench; `bin` is the ksim command's bin.mjs. */
export function benchCheck(bin: string): void {
  console.log('');
  console.log(`ksim check (check-small preset, default exploration, ${CHECK_RUNS} generated runs; ${os.availableParallelism()} cores; medians of ${CHECK_PAIRS} alternating pairs)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-bench-check-'));
  // One untimed run first: it builds the threads' code bundle if the sources changed since the
  // last (src/explore/worker-bundle.ts), which would otherwise count against --workers 1 only.
  checkSample(bin, 1, 1, dir);
  const samples = new Map<number, { full: CheckSample[]; short: CheckSample[] }>([[1, { full: [], short: [] }], [2, { full: [], short: [] }]]);
  for (let pair = 0; pair < CHECK_PAIRS; pair++)
    for (const workers of [1, 2]) {
      const s = samples.get(workers)!;
      s.full.push(checkSample(bin, CHECK_RUNS, workers, dir));
      s.short.push(checkSample(bin, WARM_UP_RUNS_PER_WORKER * workers, workers, dir));
    }
  fs.rmSync(dir, { recursive: true, force: true });
  const [one, two] = [1, 2].map((w) => checkFigures(samples.get(w)!.full, samples.get(w)!.short));
  for (const [workers, s] of [[1, one], [2, two]] as const) {
    const found = s.found ? '  (a counterexample was found!)' : '';
    console.log(`  --workers ${workers}      ${s.runsPerSec.toFixed(1).padStart(8)} runs/s   ${(s.wallMs / 1000).toFixed(1).padStart(6)} s wall   ${s.cpuMsPerRun.toFixed(1).padStart(5)} ms CPU a run   ${s.busy.toFixed(2)} cores busy${found}`);
    const t = s.byThread;
    if (t) console.log(`                   of which ${t.workers.toFixed(1)} ms in the worker threads, ${t.helpers.toFixed(1)} in V8's helper threads (compiles, GC), ${t.main.toFixed(1)} in the main thread`);
    console.log(`                   each worker's first ${WARM_UP_RUNS_PER_WORKER} runs ${s.warmUpRunsPerSec.toFixed(1)} runs/s; after them ${s.afterRunsPerSec.toFixed(1)} runs/s, ${s.afterCpuMsPerRun.toFixed(1)} ms CPU a run`);
  }
  console.log(`  speed-up         ${(two.runsPerSec / one.runsPerSec).toFixed(2).padStart(8)}   (targets: >= 1.80 on 2 cores; >= 60 runs/s with 2 workers; runs/s of each: ${one.all.map((r) => r.toFixed(1)).join(' ')} | ${two.all.map((r) => r.toFixed(1)).join(' ')})`);
  console.log(`  after warm-up    ${(two.afterRunsPerSec / one.afterRunsPerSec).toFixed(2).padStart(8)}   (the runs after each worker's first ${WARM_UP_RUNS_PER_WORKER}: what a longer check tends to)`);
  const idle = idleSpeedUp(one.byThread, two.cpuMsPerRun);
  const idleAfter = idleSpeedUp(one.afterByThread, two.afterCpuMsPerRun);
  if (idle !== null && idleAfter !== null) console.log(`  idle estimate    ${idle.toFixed(2).padStart(8)}   (from CPU, less load-dependent than runs/s: 2 x worker-thread CPU a run with 1 / process CPU a run with 2; after warm-up ${idleAfter.toFixed(2)})`);
  console.log(`  CPU 2 / 1        ${(two.cpuMsPerRun / one.cpuMsPerRun).toFixed(2).padStart(8)}   (CPU a run with 2 workers over with 1; hardly load-dependent: 1.00 would be a free second thread; after warm-up ${(two.afterCpuMsPerRun / one.afterCpuMsPerRun).toFixed(2)})`);
  const agree = new Set([...samples.get(1)!.full, ...samples.get(2)!.full].map((s) => s.output)).size === 1;
  console.log(`  JSON output      ${agree ? 'identical' : 'DIFFERENT (a determinism bug)'}`);
}
