// `npm run bench`: speed figures measured in one process, so ratios compare like with like.
//  1. kernel: events/s of the full kernel (queue, network, faults checks, hashing, dispatch)
//     driving a minimal forwarding model, next to a bare heap loop doing the same queue work
//     (pop, draw a latency, push) with the same heap and PRNG; their ratio is the kernel's cost.
//  2. scenarios: events/s and virtual-to-wall speed-up of whole runs of the built-in scenarios.
//  3. ksim check: generated runs per second on the default exploration bounds, with 1 and 2
//     worker threads, and the speed-up.
//  4. exploration (bench-exploration.ts): per known flaw of a model (a past version's bug, a
//     permitted loss) and per zoo bug, runs and wall time to the first counterexample with
//     `ksim check --workers 2` and its shrunk fault count (medians of 5 seeds); each flaw's fixed
//     side on the same budget; then (bench-guided.ts) the flawed sides by coverage-guided search.
//  5. sweep: wall time of one sweep with 1 and with 2 worker threads, and the speed-up.
//  6. scaling (bench-scaling.ts): cost per event by run length and partitions, the event queue's
//     cancelled timers, peak RSS of a virtual hour.
// Each figure is the median of several timed repetitions after a warm-up. Wall-clock reads are
// allowed here: this is the CLI, not simulation code. `--only` picks parts (BENCH_PARTS).

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import seedrandom from 'seedrandom';
import { DEFAULT_NETWORK } from '../net/network-config.ts';
import { Topology } from '../net/topology.ts';
import { NOISE_OFF } from '../faults/noise-config.ts';
import { EventQueue } from '../sim/event-queue.ts';
import { exponential, type Choice } from '../sim/choice.ts';
import type { Model, ModelOutcome, NodeContext } from '../sim/model.ts';
import { SeededChoices } from '../sim/seeded-choices.ts';
import { Simulation } from '../kernel/simulation.ts';
import { DEFAULT_LIMITS } from '../kernel/run-limits.ts';
import { resolveScenario } from '../scenario/resolve-scenario.ts';
import { runResolved } from '../scenario/run-scenario.ts';
import { MODELS, SCENARIO_PRESETS } from '../../models/index.ts';
import { UserError } from '../scenario/user-error.ts';
import { benchExploration } from './bench-exploration.ts';
import { benchGuided } from './bench-guided.ts';
import { benchScaling } from './bench-scaling.ts';
import type { ThreadCpuMs } from '../explore/worker-thread-cpu.ts';

const BIN = fileURLToPath(new URL('./bin.mjs', import.meta.url));
const EVENTS = 2_000_000;
const IN_FLIGHT = 256;
const NODES = 9;
const REPEATS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function timed(fn: () => number): { eventsPerSec: number; events: number; wallMs: number } {
  fn(); // warm-up: let V8 optimise before measuring
  const rates: number[] = [];
  let events = 0;
  let walls: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    events = fn();
    const ms = performance.now() - t0;
    walls.push(ms);
    rates.push(events / (ms / 1000));
  }
  return { eventsPerSec: median(rates), events, wallMs: median(walls) };
}

/** The bare loop: the kernel's heap and PRNG, nothing else. */
function bareHeapLoop(): number {
  const q = new EventQueue();
  const rnd = seedrandom.alea('bench');
  const choice: Choice = { below: (n) => Math.floor(rnd() * n), unit: rnd };
  for (let i = 0; i < IN_FLIGHT; i++) q.push(i, 0, i % NODES, -1, 0, null);
  for (let n = 0; n < EVENTS; n++) {
    const ev = q.pop()!;
    const to = choice.below(NODES);
    q.push(ev.timeUs + 100 + Math.round(exponential(choice, 400)), 0, to, ev.node, 0, ev.payload);
  }
  return EVENTS;
}

type Hop = { type: 'hop' };
/** Forwards every message it receives to a random peer: constant load on the network. */
class ForwardingModel implements Model<Hop, Hop> {
  private readonly choice: Choice;
  constructor(choices: SeededChoices) {
    this.choice = choices.stream('bench');
  }
  onStart(ctx: NodeContext<Hop, Hop>): void {
    for (let i = ctx.node; i < IN_FLIGHT; i += NODES) ctx.send((ctx.node + 1) % NODES, { type: 'hop' });
  }
  onMessage(ctx: NodeContext<Hop, Hop>, _from: number, msg: Hop): void {
    let to = this.choice.below(NODES - 1);
    if (to >= ctx.node) to++;
    ctx.send(to, msg);
  }
  onTimer(): void {}
  onDown(): void {}
  finish(): ModelOutcome {
    return { stats: {}, violations: [] };
  }
}

function kernelLoop(): number {
  const topology = new Topology(Array.from({ length: NODES }, (_, i) => ({ name: `n${i}`, az: `az${i % 3}` })));
  const choices = new SeededChoices('bench');
  const sim = new Simulation<Hop, Hop>({
    topology,
    network: DEFAULT_NETWORK,
    choices,
    faults: [],
    noise: NOISE_OFF,
    limits: { ...DEFAULT_LIMITS, eventsMax: EVENTS },
    durationMs: Infinity,
  });
  // run until the eventsMax limit: the limit error is the planned end of this loop
  try {
    sim.run(new ForwardingModel(choices));
  } catch (e) {
    if ((e as Error).name !== 'RunLimitError') throw e;
  }
  return EVENTS;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function benchScenario(name: string, raw: Record<string, unknown>): void {
  const res = resolveScenario(raw, MODELS);
  let virtualMs = 0;
  const r = timed(() => {
    const rep = runResolved(res);
    virtualMs = rep.virtualMs;
    return rep.events;
  });
  const speedup = virtualMs / r.wallMs;
  console.log(
    `  ${name.padEnd(28)} ${fmt(r.events).padStart(10)} events  ${fmt(r.eventsPerSec).padStart(11)} events/s  ` +
      `${r.wallMs.toFixed(1).padStart(8)} ms wall  ${fmt(speedup).padStart(7)}x virtual/wall`,
  );
}

/** The parts of the bench, in the order they run. */
const BENCH_PARTS = ['kernel', 'scenarios', 'scaling', 'check', 'exploration', 'guided', 'sweep'] as const;
type BenchPart = (typeof BENCH_PARTS)[number];

/** `--only` (a comma list; undefined: every part) to parts; throws UserError naming a bad one. */
export function parseBenchParts(only: string | undefined): BenchPart[] {
  if (only === undefined) return [...BENCH_PARTS];
  const picked = only.split(',').map((p) => p.trim());
  for (const p of picked)
    if (!(BENCH_PARTS as readonly string[]).includes(p)) throw new UserError(`--only ${JSON.stringify(p)}: unknown part; use a comma list of ${BENCH_PARTS.join(', ')}`);
  return BENCH_PARTS.filter((p) => picked.includes(p));
}

/** `ksim bench`: prints the figures of `parts`; resolves to the exit code. */
export async function runBench(parts: readonly BenchPart[] = BENCH_PARTS): Promise<number> {
  console.log(`ksim bench (node ${process.version}, median of ${REPEATS} after a warm-up)`);
  if (parts.includes('kernel')) benchKernel();
  if (parts.includes('scenarios')) {
    console.log('');
    console.log('scenarios (whole runs: model, checkers, hashing; no trace file)');
    for (const [name, raw] of Object.entries(SCENARIO_PRESETS)) benchScenario(name, raw);
  }
  if (parts.includes('scaling')) benchScaling();
  if (parts.includes('check')) benchCheck();
  if (parts.includes('exploration')) await benchExploration();
  if (parts.includes('guided')) await benchGuided();
  if (parts.includes('sweep')) benchSweep();
  return 0;
}

/** 1. The kernel against the bare heap loop. */
function benchKernel(): void {
  console.log('');
  console.log(`kernel vs bare heap loop (${fmt(EVENTS)} events, ${IN_FLIGHT} in flight, ${NODES} nodes over 3 AZs)`);
  const bare = timed(bareHeapLoop);
  const kernel = timed(kernelLoop);
  console.log(`  bare heap loop   ${fmt(bare.eventsPerSec).padStart(12)} events/s`);
  console.log(`  kernel           ${fmt(kernel.eventsPerSec).padStart(12)} events/s`);
  console.log(`  kernel/bare      ${(kernel.eventsPerSec / bare.eventsPerSec).toFixed(2).padStart(12)}   (target >= 0.50)`);
}

/** Alternating pairs of `ksim check` processes (--workers 1, then 2) in benchCheck. */
const CHECK_PAIRS = 3;

/**
 * 3. `ksim check` on its default bounds (check-small, generated faults): runs per second with 1 and
 * with 2 worker threads, each in its own `ksim check` process (runBench is synchronous; the pool is
 * not), as the command reports them (pool start-up included, process start-up not); CHECK_PAIRS
 * alternating pairs, medians, so a load that comes and goes hits both counts alike. With them, the
 * process's CPU per run (all threads: the workers, V8's compiler and GC helper threads, the main
 * thread), which hardly depends on the load, its ratio with 2 over 1, and the cores a check kept
 * busy: on an idle machine --workers 1 keeps ~1.3 (V8's helpers and the main thread run beside
 * its worker), so two cores give at most 2 / 1.3 / (the CPU ratio); on a loaded one, less than one.
 * The CPU a run is split by kind of thread (src/explore/worker-thread-cpu.ts): V8's helpers, on
 * the second core for free with one worker, are what that one worker's rate already takes of two
 * cores. Last, whether the JSON outputs agree, timing aside (they must: the result does not depend
 * on the thread count).
 */
function benchCheck(): void {
  const runs = 600;
  const argv = ['check', '--scenario', 'check-small', '--runs', String(runs), '--seed', '1', '--json'];
  console.log('');
  console.log(`ksim check (check-small preset, default exploration, ${runs} generated runs; ${os.availableParallelism()} cores; medians of ${CHECK_PAIRS} alternating pairs)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-bench-check-'));
  // One untimed run first: it builds the threads' code bundle if the sources changed since the
  // last (src/explore/worker-bundle.ts), which would otherwise count against --workers 1 only.
  spawnSync(process.execPath, [BIN, 'check', '--scenario', 'check-small', '--runs', '1', '--workers', '1', '--traces-dir', dir], { encoding: 'utf8' });
  const seen = new Map<number, { rate: number[]; wallMs: number[]; cpuMsPerRun: number[]; byThread: ThreadCpuMs[]; outputs: Set<string>; found: boolean }>();
  for (let pair = 0; pair < CHECK_PAIRS; pair++)
    for (const workers of [1, 2]) {
      const r = spawnSync(process.execPath, [BIN, ...argv, '--workers', String(workers), '--traces-dir', dir], { encoding: 'utf8' });
      if (r.status !== 0 && r.status !== 1) throw new Error(`bench check failed (exit ${r.status}): ${r.stderr}`);
      const { wallMs, runsPerSec, cpuMs, cpuMsByThread, ...result } = JSON.parse(r.stdout) as { wallMs: number; runsPerSec: number; cpuMs: number; cpuMsByThread: ThreadCpuMs | null; passed: boolean; runs: number; shrinkRuns: number };
      if (!seen.has(workers)) seen.set(workers, { rate: [], wallMs: [], cpuMsPerRun: [], byThread: [], outputs: new Set(), found: false });
      const s = seen.get(workers)!;
      const runsDone = result.runs + result.shrinkRuns;
      s.rate.push(runsPerSec);
      s.wallMs.push(wallMs);
      s.cpuMsPerRun.push(cpuMs / runsDone);
      if (cpuMsByThread) s.byThread.push({ workers: cpuMsByThread.workers / runsDone, main: cpuMsByThread.main / runsDone, helpers: cpuMsByThread.helpers / runsDone });
      s.outputs.add(JSON.stringify(result));
      s.found ||= !result.passed;
    }
  fs.rmSync(dir, { recursive: true, force: true });
  const m = (workers: number) => {
    const s = seen.get(workers)!;
    const busy = s.rate.map((rate, i) => (rate * s.cpuMsPerRun[i]) / 1000);
    const byThread = s.byThread.length === 0 ? null : { workers: median(s.byThread.map((t) => t.workers)), helpers: median(s.byThread.map((t) => t.helpers)), main: median(s.byThread.map((t) => t.main)) };
    return { runsPerSec: median(s.rate), cpuMsPerRun: median(s.cpuMsPerRun), busy: median(busy), wallMs: median(s.wallMs), byThread, all: s.rate, outputs: s.outputs, found: s.found };
  };
  const [one, two] = [m(1), m(2)];
  for (const [workers, s] of [[1, one], [2, two]] as const) {
    const found = s.found ? '  (a counterexample was found!)' : '';
    console.log(`  --workers ${workers}      ${s.runsPerSec.toFixed(1).padStart(8)} runs/s   ${(s.wallMs / 1000).toFixed(1).padStart(6)} s wall   ${s.cpuMsPerRun.toFixed(1).padStart(5)} ms CPU a run   ${s.busy.toFixed(2)} cores busy${found}`);
    const t = s.byThread;
    if (t) console.log(`                   of which ${t.workers.toFixed(1)} ms in the worker threads, ${t.helpers.toFixed(1)} in V8's helper threads (compiles, GC), ${t.main.toFixed(1)} in the main thread`);
  }
  console.log(`  speed-up         ${(two.runsPerSec / one.runsPerSec).toFixed(2).padStart(8)}   (targets: >= 1.80 on 2 cores; >= 60 runs/s with 2 workers; runs/s of each: ${one.all.map((r) => r.toFixed(1)).join(' ')} | ${two.all.map((r) => r.toFixed(1)).join(' ')})`);
  console.log(`  CPU 2 / 1        ${(two.cpuMsPerRun / one.cpuMsPerRun).toFixed(2).padStart(8)}   (CPU a run with 2 workers over with 1; hardly load-dependent: 1.00 would be a free second thread)`);
  const outputs = new Set([...one.outputs, ...two.outputs]);
  console.log(`  JSON output      ${outputs.size === 1 ? 'identical' : 'DIFFERENT (a determinism bug)'}`);
}

/**
 * 5. sweep: the same sweep (8 cells x 200 seeds of a short scenario, ~60 ms a run) with 1 and
 * with 2 worker threads, each in its own `ksim sweep` process (runBench is synchronous; the pool
 * is not). The times are the sweep's own wall time (pool start-up included, process start-up
 * not), as it prints them; the two sweep.json files must be identical.
 */
function benchSweep(): void {
  const argv = [
    'sweep', '--scenario', 'study-az-outages', '--set', 'durationMs=20000',
    '--grid', 'acks=1,all', '--grid', 'min.insync.replicas=1,2', '--grid', 'unclean.leader.election.enable=false,true',
    '--seeds', '200', '--no-traces',
  ];
  console.log('');
  console.log(`sweep (8 cells x 200 seeds of study-az-outages, 20 s virtual a run; ${os.availableParallelism()} cores)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-bench-sweep-'));
  try {
    // untimed: builds the threads' code bundle if the sources changed (see benchCheck)
    spawnSync(process.execPath, [BIN, 'sweep', '--scenario', 'study-az-outages', '--set', 'durationMs=1000', '--seeds', '1', '--no-traces', '--workers', '1', '--out', path.join(dir, 'warm-up')], { encoding: 'utf8' });
    const walls: number[] = [];
    for (const workers of [1, 2]) {
      const out = path.join(dir, `w${workers}`);
      const r = spawnSync(process.execPath, [BIN, ...argv, '--workers', String(workers), '--out', out], { encoding: 'utf8' });
      const m = /in ([\d.]+) s wall/.exec(r.stdout);
      if (r.status !== 0 || !m) throw new Error(`bench sweep failed (exit ${r.status}): ${r.stderr}`);
      walls.push(Number(m[1]));
      console.log(`  --workers ${workers}      ${m[1].padStart(8)} s wall`);
    }
    const same = fs.readFileSync(path.join(dir, 'w1', 'sweep.json'), 'utf8') === fs.readFileSync(path.join(dir, 'w2', 'sweep.json'), 'utf8');
    console.log(`  speed-up         ${(walls[0] / walls[1]).toFixed(2).padStart(8)}   (target >= 1.80 on 2 cores)`);
    console.log(`  sweep.json       ${same ? 'identical' : 'DIFFERENT (a determinism bug)'}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
