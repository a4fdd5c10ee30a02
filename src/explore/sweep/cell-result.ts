// A finished cell as the sweep result holds it (CellResult in sweep-result.ts): its grid values and
// settings, the aggregated figures, and its worst run with the `ksim run` command that reproduces
// it. The trace file name and the command depend only on the spec, the cell and the seed (never on
// the output directory or the machine), so a resumed, sharded or merged sweep writes the same JSON.

import type { ModelSweep } from '../../scenario/model-sweep.ts';
import { runCommandLine } from '../run-command-line.ts';
import { cellFigures, inSeedOrder, rankOf, worstRunOf, type SweptRun } from './cell-figures.ts';
import type { GridCell } from './sweep-grid.ts';
import type { CellResult } from './sweep-result.ts';
import type { SweepSpec } from './sweep-spec.ts';

/** Where the worst run's trace goes, relative to the sweep directory. */
export function worstTracePath(index: number, seed: string): string {
  return `traces/cell-${index}-seed-${seed}.jsonl`;
}

/** Whether the sweep saves this worst run's trace: only runs that scored above zero are worth 14 MiB. */
export function savesTrace(spec: SweepSpec, worst: SweptRun, sweep: ModelSweep): boolean {
  return spec.traces && rankOf(worst, sweep) > 0;
}

function runCommandFor(spec: SweepSpec, cell: GridCell, seed: string): string {
  return runCommandLine({
    scenarioArg: spec.scenarioArg,
    settings: [...spec.settings, ...cell.settings],
    seed,
    tracePath: `sweep-cell-${cell.index}-seed-${seed}.jsonl`,
  });
}

export function cellResult(spec: SweepSpec, cell: GridCell, runs: readonly SweptRun[], sweep: ModelSweep): CellResult {
  const worst = worstRunOf(inSeedOrder(runs), sweep);
  return {
    cell: cell.cell,
    settings: cell.settings,
    figures: cellFigures(runs, sweep),
    worst: {
      seed: worst.seed,
      traceHash: worst.traceHash,
      [sweep.worstRun.figure]: rankOf(worst, sweep),
      runCommand: runCommandFor(spec, cell, worst.seed),
      tracePath: savesTrace(spec, worst, sweep) ? worstTracePath(cell.index, worst.seed) : null,
    },
  };
}
