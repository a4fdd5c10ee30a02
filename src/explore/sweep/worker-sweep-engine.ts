// Runs a sweep (or one shard of it) on a pool of worker threads (piscina) and persists it cell by
// cell under the output directory (cell-store.ts); writes the final outputs once the directory
// holds every cell (sweep-outputs.ts).
//
// - Tasks are chunks of up to CHUNK_RUNS_MAX seeds of one cell, queued in cell order, so cells
//   finish roughly in order and a chunk's run time amortises the thread hand-off.
// - A worker returns only each run's small figures. A cell is aggregated when its last chunk is
//   back, from its runs sorted by seed (cell-figures.ts), never in completion order: the result is
//   the same for any worker count. Its worst run's trace (if saved) is recorded by a worker, and
//   the trace's hash must equal the one measured; then the cell file is written atomically.
// - Cells already on disk are skipped, so a killed sweep resumes where it stopped.
// This file is the async part of the sweep (pool, promises); it is exempt from the tidy scan by
// its name, like every src/explore/sweep/worker* file. Simulation stays in the synchronous tasks.

import { setMaxListeners } from 'node:events';
import * as path from 'node:path';
import { Piscina } from 'piscina';
import type { ModelDefinition } from '../../scenario/model-definition.ts';
import type { ModelSweep } from '../../scenario/model-sweep.ts';
import { addReproduction, markCrashedRun } from '../../scenario/crashed-run.ts';
import { UserError } from '../../scenario/user-error.ts';
import type { CellResult, SweepResult } from './sweep-result.ts';
import { runCommandLine } from '../run-command-line.ts';
import { cellResult, savesTrace, worstTracePath } from './cell-result.ts';
import { inSeedOrder, worstRunOf, type SweptRun } from './cell-figures.ts';
import { openSweepDir, readCells, writeCell, CELL_FILE_KIND } from './cell-store.ts';
import type { SweepTask } from './run-cell-chunk.ts';
import type { GridCell } from './sweep-grid.ts';
import { resolveSweepCells } from './resolve-sweep-cells.ts';
import { shardCells, type Shard } from './sweep-shard.ts';
import { buildSweepResult, writeSweepOutputs, type WrittenOutputs } from './sweep-outputs.ts';
import type { VerdictClass } from '../../scenario/verdict.ts';
import { specFingerprint, sweepSeeds, type SweepSpec } from './sweep-spec.ts';
import type { SweepTaskAnswer } from './worker-sweep-task.ts';
import { workerBundle } from '../worker-bundle.ts';

/** Seeds per task at most: long enough to amortise the hand-off, short enough to balance threads. */
const CHUNK_RUNS_MAX = 20;

const SHIM = new URL('./worker-sweep-shim.mjs', import.meta.url).href;
const TASK = new URL('./worker-sweep-task.ts', import.meta.url).href;

export interface SweepProgress {
  /** Cells of this execution (this shard, not yet on disk at the start). */
  cellsTotal: number;
  cellsDone: number;
  /** Cells of this shard found finished on disk and skipped. */
  cellsSkipped: number;
  runsTotal: number;
  runsDone: number;
  /** The cell just finished, if any. */
  finished?: { index: number; result: CellResult };
}

/** The models a sweep may run: in this thread, and as a module each worker thread loads. */
export interface SweepRegistry {
  models: readonly ModelDefinition[];
  /** URL of a module that exports the same registry as MODELS. */
  moduleUrl: string;
}

interface SweepPlan {
  spec: SweepSpec;
  registry: SweepRegistry;
  /** The base scenario, as loaded. */
  raw: unknown;
  outDir: string;
  shard: Shard;
  workers: number;
  onProgress?: (p: SweepProgress) => void;
  /**
   * Stops the execution when aborted (Ctrl-C): the cells already persisted stay, the tasks in
   * flight are dropped, and the execution answers interrupted, so the same sweep resumes.
   */
  signal?: AbortSignal;
  /** The verdict rule's failing classes for the result (default: breach, configuration). */
  failOn?: readonly VerdictClass[];
}

export interface SweepExecution {
  /** The swept model's definition of its figures. */
  sweep: ModelSweep;
  cellsRun: number;
  cellsSkipped: number;
  /** Cells of the whole sweep not in the directory yet (other shards, or an interruption). */
  cellsMissing: number[];
  interrupted: boolean;
  /** Present when the directory holds every cell. */
  result?: SweepResult;
  outputs?: WrittenOutputs;
}

interface PendingCell {
  index: number;
  chunksLeft: number;
  runs: SweptRun[];
}

/** Rethrows a task's failure here: a user error as one, a bug with the run that crashed and its `ksim run` command. */
function fail(answer: Extract<SweepTaskAnswer, { ok: false }>, task: SweepTask, spec: SweepSpec, cell: GridCell): never {
  const where = task.kind === 'runs' ? `cell ${task.cellIndex}, seeds ${task.seeds[0]}..${task.seeds.at(-1)}` : `cell ${task.cellIndex}, trace of seed ${task.seed}`;
  if (answer.userError) throw new UserError(`${where}: ${answer.message}`);
  const e = new Error(`${where}: ${answer.message}`);
  e.stack = answer.stack;
  if (!answer.crashed) throw e;
  markCrashedRun(e, answer.crashed);
  throw addReproduction(e, runCommandLine({ scenarioArg: spec.scenarioArg, settings: [...spec.settings, ...cell.settings], seed: answer.crashed.seed }));
}

/** One execution's worker pool and its state: progress, whether it stopped, and the first error. */
class SweepPool {
  private readonly pool: Piscina;
  private readonly fingerprint: string;
  /** Aborts every task of the pool once the sweep stops (runCells). */
  private readonly cancelTasks = SweepPool.taskCanceller();
  private stopped = false;
  private firstError: unknown;
  interrupted = false;

  /** One controller for every queued task: each adds an abort listener, so Node's limit of 10 (a leak warning) does not apply. */
  private static taskCanceller(): AbortController {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    return controller;
  }

  constructor(
    private readonly plan: SweepPlan,
    private readonly cells: readonly GridCell[],
    private readonly sweep: ModelSweep,
    readonly progress: SweepProgress,
  ) {
    this.fingerprint = specFingerprint(plan.spec);
    // the threads' code: the prebuilt bundle, or the sources through tsx if none can be built
    const bundle = workerBundle([
      { url: TASK, names: ['runSweepTask'] },
      { url: plan.registry.moduleUrl, names: ['MODELS'] },
    ]);
    this.pool = new Piscina({
      filename: SHIM,
      minThreads: plan.workers,
      maxThreads: plan.workers,
      idleTimeout: 60_000,
      workerData: { registryUrl: plan.registry.moduleUrl, bundleUrl: bundle.url },
    });
    // Aborting a running task ends its thread, but an answer the thread had already posted still
    // arrives; piscina then emits "Unexpected message from Worker" as an 'error' event, which with
    // no listener is an uncaught exception. After the stop such errors are noise; before it, the
    // first one stops the sweep like a failed task.
    this.pool.on('error', (e: unknown) => {
      if (!this.stopped) this.firstError = e;
      this.stopped = true;
    });
  }

  private run(task: SweepTask): Promise<SweepTaskAnswer> {
    return this.pool.run(task, { signal: this.cancelTasks.signal }) as Promise<SweepTaskAnswer>;
  }

  /** Runs the cells in chunks of seeds, queued in cell order; returns when done, interrupted or failed. */
  async runCells(todo: readonly number[], seeds: readonly string[]): Promise<void> {
    const chunks = Math.ceil(seeds.length / CHUNK_RUNS_MAX);
    const chunkSize = Math.ceil(seeds.length / chunks);
    const work: Promise<void>[] = [];
    for (const index of todo) {
      const pending: PendingCell = { index, chunksLeft: chunks, runs: [] };
      for (let c = 0; c < chunks; c++) work.push(this.runChunk(pending, seeds.slice(c * chunkSize, (c + 1) * chunkSize)));
    }
    // Stop as soon as an interruption or an error is decided, without waiting for queued tasks.
    const signal = this.plan.signal;
    let onAbort = () => undefined as void;
    await new Promise<void>((resolve) => {
      let left = work.length;
      const check = () => {
        if (this.stopped || left === 0) resolve();
      };
      onAbort = () => {
        this.stopped = true;
        this.interrupted = true;
        resolve();
      };
      if (signal?.aborted) onAbort();
      signal?.addEventListener('abort', onAbort);
      for (const w of work)
        void w.then(() => {
          left--;
          check();
        });
      check();
    });
    signal?.removeEventListener('abort', onAbort);
    // Cancels what is queued and ends the workers still running a task (their rejections land in
    // runChunk's catch, as noise, and their late answers in the pool's 'error' listener), and waits
    // for that before the pool goes.
    this.cancelTasks.abort();
    await Promise.allSettled(work);
    await this.pool.destroy();
    if (this.firstError !== undefined) throw this.firstError;
  }

  private runChunk(pending: PendingCell, seeds: string[]): Promise<void> {
    const { spec, raw } = this.plan;
    const cell = this.cells[pending.index];
    const task: SweepTask = { kind: 'runs', cellIndex: pending.index, raw, settings: [...spec.settings, ...cell.settings], seeds };
    return this.run(task)
      .then(async (answer) => {
        if (this.stopped) return;
        if (!answer.ok) fail(answer, task, spec, cell);
        if (!('runs' in answer)) throw new Error('a runs task returned no runs');
        for (const r of answer.runs) pending.runs.push(r);
        this.progress.runsDone += answer.runs.length;
        pending.chunksLeft--;
        if (pending.chunksLeft === 0) await this.finishCell(pending);
        else this.plan.onProgress?.({ ...this.progress });
      })
      .catch((e: unknown) => {
        // The first failure stops the sweep; later ones (tasks cancelled by the stop) are noise.
        if (!this.stopped) this.firstError = e;
        this.stopped = true;
      });
  }

  private async finishCell(pending: PendingCell): Promise<void> {
    const { spec, outDir } = this.plan;
    const cell = this.cells[pending.index];
    const runs = inSeedOrder(pending.runs);
    const worst = worstRunOf(runs, this.sweep);
    if (savesTrace(spec, worst, this.sweep)) await this.recordWorstTrace(cell, worst);
    if (this.stopped) return;
    const result = cellResult(spec, cell, runs, this.sweep);
    writeCell(outDir, { kind: CELL_FILE_KIND, spec: this.fingerprint, index: cell.index, result, runs });
    this.progress.cellsDone++;
    this.plan.onProgress?.({ ...this.progress, finished: { index: cell.index, result } });
  }

  /** Records the worst run's trace in a worker; its hash must be the one the sweep measured. */
  private async recordWorstTrace(cell: GridCell, worst: SweptRun): Promise<void> {
    const { spec, raw, outDir } = this.plan;
    const task: SweepTask = {
      kind: 'trace',
      cellIndex: cell.index,
      raw,
      settings: [...spec.settings, ...cell.settings],
      seed: worst.seed,
      tracePath: path.join(outDir, worstTracePath(cell.index, worst.seed)),
    };
    const answer = await this.run(task);
    if (!answer.ok) fail(answer, task, spec, cell);
    if ('traceHash' in answer && answer.traceHash !== worst.traceHash)
      throw new Error(
        `cell ${cell.index}, seed ${worst.seed}: the recorded trace hash ${answer.traceHash} differs from the sweep's ${worst.traceHash}: the run is not deterministic`,
      );
  }
}

export async function executeSweep(plan: SweepPlan): Promise<SweepExecution> {
  const { spec, raw, outDir } = plan;
  const { cells, sweep } = resolveSweepCells(raw, spec, plan.registry.models);
  openSweepDir(outDir, spec);
  const onDisk = readCells(outDir, spec);
  const mine = shardCells(cells.length, plan.shard);
  const todo = mine.filter((i) => !onDisk.has(i));
  const seeds = sweepSeeds(spec);
  const progress: SweepProgress = {
    cellsTotal: todo.length,
    cellsDone: 0,
    cellsSkipped: mine.length - todo.length,
    runsTotal: todo.length * seeds.length,
    runsDone: 0,
  };
  plan.onProgress?.(progress);

  let interrupted = false;
  if (todo.length > 0) {
    const pool = new SweepPool(plan, cells, sweep, progress);
    await pool.runCells(todo, seeds);
    interrupted = pool.interrupted && progress.cellsDone < progress.cellsTotal; // a stop after the last cell stopped nothing
  }

  const all = readCells(outDir, spec);
  const cellsMissing = cells.map((c) => c.index).filter((i) => !all.has(i));
  const execution: SweepExecution = { sweep, cellsRun: progress.cellsDone, cellsSkipped: progress.cellsSkipped, cellsMissing, interrupted };
  if (cellsMissing.length === 0 && !interrupted) {
    execution.result = buildSweepResult(spec, [...all.values()], plan.failOn);
    execution.outputs = writeSweepOutputs(outDir, execution.result, sweep);
  }
  return execution;
}
