// A finished cell as the sweep result holds it (CellResult in sweep-result.ts): its grid values and
// settings, the aggregated figures, and its worst run with the `ksim run` command that reproduces
// it. The trace file name and the command depend only on the spec, the cell and the seed (never on
// the output directory or the machine), so a resumed, sharded or merged sweep writes the same JSON.

import type { CellResult } from './sweep-result.ts';
import { shellQuote } from '../run-command-line.ts';
import { cellFigures, inSeedOrder, worstRunOf } from './cell-figures.ts';
import type { GridCell } from './sweep-grid.ts';
import type { RunFigures } from './run-figures.ts';
import type { SweepSpec } from './sweep-spec.ts';

/** Where the worst run's trace goes, relative to the sweep directory. */
export function worstTracePath(index: number, seed: string): string {
  return `traces/cell-${index}-seed-${seed}.jsonl`;
}

/** Whether the sweep saves this worst run's trace: only runs that lost records are worth 14 MiB. */
export function savesTrace(spec: SweepSpec, worst: RunFigures): boolean {
  return spec.traces && worst.recordsLost > 0;
}

export function runCommandFor(spec: SweepSpec, cell: GridCell, seed: string): string {
  const args = ['ksim', 'run'];
  if (spec.scenarioArg !== null) args.push('--scenario', spec.scenarioArg);
  for (const s of [...spec.settings, ...cell.settings]) args.push('--set', s);
  args.push('--seed', seed, '--trace', `sweep-cell-${cell.index}-seed-${seed}.jsonl`);
  return args.map(shellQuote).join(' ');
}

export function cellResult(spec: SweepSpec, cell: GridCell, runs: readonly RunFigures[]): CellResult {
  const worst = worstRunOf(inSeedOrder(runs));
  return {
    cell: cell.cell,
    settings: cell.settings,
    figures: cellFigures(runs),
    worst: {
      seed: worst.seed,
      traceHash: worst.traceHash,
      recordsLost: worst.recordsLost,
      runCommand: runCommandFor(spec, cell, worst.seed),
      tracePath: savesTrace(spec, worst) ? worstTracePath(cell.index, worst.seed) : null,
    },
  };
}
