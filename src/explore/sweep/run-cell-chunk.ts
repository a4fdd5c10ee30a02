// The work of a sweep task, synchronous and self-contained so it runs the same in a worker thread
// or in the calling thread: resolve the cell's scenario (base scenario, the sweep's fixed settings,
// the cell's settings, the seed) against the model registry and run it, keeping only each run's
// figures; or record the trace of a cell's worst run. Everything a task needs travels in it as
// plain data; the registry is the worker's own (loaded once per thread).

import type { ModelDefinition } from '../../scenario/model-definition.ts';
import { resolveScenario } from '../../scenario/resolve-scenario.ts';
import { runResolved } from '../../scenario/run-scenario.ts';
import { recordTrace } from '../../trace/trace-writer.ts';
import { sweptRun, type SweptRun } from './cell-figures.ts';

interface CellChunkTask {
  kind: 'runs';
  cellIndex: number;
  raw: unknown;
  /** The sweep's fixed settings, then the cell's. */
  settings: string[];
  seeds: string[];
}

interface WorstTraceTask {
  kind: 'trace';
  cellIndex: number;
  raw: unknown;
  settings: string[];
  seed: string;
  /** Absolute or cwd-relative path of the trace file to write. */
  tracePath: string;
}

export type SweepTask = CellChunkTask | WorstTraceTask;

export function runCellChunk(task: CellChunkTask, models: readonly ModelDefinition[]): SweptRun[] {
  return task.seeds.map((seed) => {
    const resolution = resolveScenario(task.raw, models, { settings: task.settings, seed });
    return sweptRun(runResolved(resolution), resolution.definition.sweep!);
  });
}

/** Records the trace; returns its hash, which must equal the one the sweep measured. */
export function recordWorstTrace(task: WorstTraceTask, models: readonly ModelDefinition[]): string {
  const res = resolveScenario(task.raw, models, { settings: task.settings, seed: task.seed });
  return recordTrace(res, task.tracePath).report.traceHash;
}
