// `npm run bench`: speed figures measured in one process, so ratios compare like with like.
//  1. kernel: events/s of the full kernel (queue, network, faults checks, hashing, dispatch)
//     driving a minimal forwarding model, next to a bare heap loop doing the same queue work
//     (pop, draw a latency, push) with the same heap and PRNG; their ratio is the kernel's cost.
//  2. scenarios: events/s and virtual-to-wall speed-up of whole runs of the built-in scenarios.
//  3. ksim check (bench-check.ts): generated runs per second on the default exploration bounds,
//     with 1 and 2 worker threads, the speed-up, and the same after each thread's warm-up.
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
import { benchCheck } from './bench-check.ts';

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
  if (parts.includes('check')) benchCheck(BIN);
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
    // untimed: builds the threads' code bundle if the sources changed (see bench-check.ts)
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
