// The result of `ksim sweep`: a grid of configuration cells, each run over N seeds, with per-cell
// figures aggregated from every run's report (which figures: the model's sweep definition, see
// src/scenario/model-sweep.ts). Written as JSON (this shape), CSV and a markdown table by the
// sweep; read by the HTML report and the charts. Figures are plain numbers (ms, counts) with their
// unit last in the name; a figure a run cannot produce is null, never 0.

import type { CellFigures } from '../../scenario/model-sweep.ts';
import type { VerdictClass } from '../../scenario/verdict.ts';

export const SWEEP_RESULT_KIND = 'ksim-sweep';
export const SWEEP_RESULT_VERSION = 1;

/**
 * One cell's worst run: the one with the largest value of the model's ranking figure (ties: the
 * lowest seed), which the object carries under that figure's name between traceHash and runCommand.
 */
interface WorstRun {
  seed: string;
  traceHash: string;
  /** `ksim run ... --seed S --trace FILE` reproducing the run (then `ksim replay FILE`). */
  runCommand: string;
  /** Path of its trace when the sweep saved one (relative to the result file), else null. */
  tracePath: string | null;
  [rankingFigure: string]: string | number | null;
}

export interface CellResult {
  /** The grid values of this cell, by config key, in grid order. */
  cell: Record<string, string>;
  /** The `--set` strings that realise the cell. */
  settings: string[];
  figures: CellFigures;
  /** The verdict rule over the cell's runs (absent in results written before it was kept). */
  verdict?: CellVerdict;
  worst: WorstRun;
}

/** How a cell's runs fare under the one verdict rule (src/scenario/verdict.ts, --fail-on). */
export interface CellVerdict {
  failOn: VerdictClass[];
  /** Runs with a violation of a --fail-on class. */
  runsFailed: number;
  /** Runs with at least one violation of each class. */
  runsByClass: Record<VerdictClass, number>;
  /** Per property, the runs that could not judge it (neither failed nor passed); absent when every run judged every property. */
  runsNotJudged?: Record<string, number>;
}

export interface SweepResult {
  kind: typeof SWEEP_RESULT_KIND;
  version: typeof SWEEP_RESULT_VERSION;
  ksimVersion: string;
  /** Where the base scenario came from ("preset NAME", "file x.json"). */
  source: string;
  scenarioName: string;
  /** Fixed --set pairs applied to every cell. */
  settings: string[];
  grid: { key: string; values: string[] }[];
  /** Seeds per cell: "1".."N" offset by seedBase. */
  seeds: number;
  seedBase: number;
  /** The verdict rule's failing classes the cells' verdicts were counted with (absent: written before). */
  failOn?: VerdictClass[];
  cells: CellResult[];
}
