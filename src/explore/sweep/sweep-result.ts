// The result of `ksim sweep`: a grid of configuration cells, each run over N seeds, with per-cell
// figures aggregated from every run's report. Written as JSON (this shape), CSV and a markdown
// table by the sweep; read by the HTML report and the charts. Figures are plain numbers (ms,
// counts) with their unit last in the name; a figure a run cannot produce (no consumer in the
// scenario, say) is null, never 0.

export const SWEEP_RESULT_KIND = 'ksim-sweep';
export const SWEEP_RESULT_VERSION = 1;

/** One cell's worst run: the one with the most acknowledged records lost (ties: first seed). */
export interface WorstRun {
  seed: string;
  traceHash: string;
  recordsLost: number;
  /** `ksim run ... --seed S --trace FILE` reproducing the run (then `ksim replay FILE`). */
  runCommand: string;
  /** Path of its trace when the sweep saved one (relative to the result file), else null. */
  tracePath: string | null;
}

export interface CellFigures {
  runs: number;
  runsWithLoss: number;
  recordsLostMean: number;
  recordsLostMax: number;
  /** Violations classified as breaches of the configured guarantee, summed over runs. */
  breaches: number;
  /** Violations the configuration and faults permit, summed over runs. */
  permitted: number;
  recordsDuplicatedMean: number;
  recordsReorderedMean: number;
  /** Per partition and run: time offline (no leader) plus time with the ISR below min.insync.replicas. */
  unavailabilityMsMean: number;
  unavailabilityMsP99: number;
  produceLatencyMsP50: number | null;
  produceLatencyMsP99: number | null;
  produceLatencyMsMax: number | null;
  endToEndLatencyMsP50: number | null;
  endToEndLatencyMsP99: number | null;
  consumerDuplicatesMean: number | null;
  consumerGapsMean: number | null;
  rebalanceMsMean: number | null;
}

export interface CellResult {
  /** The grid values of this cell, by config key, in grid order. */
  cell: Record<string, string>;
  /** The `--set` strings that realise the cell. */
  settings: string[];
  figures: CellFigures;
  worst: WorstRun;
}

export interface SweepResult {
  kind: typeof SWEEP_RESULT_KIND;
  version: typeof SWEEP_RESULT_VERSION;
  ksimVersion: string;
  /** Where the base scenario came from ("preset msk-3az-outage", "file x.json"). */
  source: string;
  scenarioName: string;
  /** Fixed --set pairs applied to every cell. */
  settings: string[];
  grid: { key: string; values: string[] }[];
  /** Seeds per cell: "1".."N" offset by seedBase. */
  seeds: number;
  seedBase: number;
  cells: CellResult[];
}
