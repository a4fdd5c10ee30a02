// How a model is swept (`ksim sweep`, `ksim report`): the few figures a sweep keeps of each run,
// how a cell's runs aggregate into the cell's figures, how the figures show as columns of the
// tables and as charts, which run of a cell is its worst, and the model's built-in studies. The
// engine owns the grid, the seeds, the workers, the files and the rendering; everything a figure
// means comes from here.

import type { RunReport } from './run-report.ts';
import type { VerdictClass } from './verdict.ts';

/** The engine's part of every run's figures: which run it was, and its violations by verdict class. */
export interface SweptRunIdentity {
  seed: string;
  traceHash: string;
  /** Violations per class of the verdict rule (verdict.ts); absent in runs persisted before it was kept. */
  violationsByClass?: Record<VerdictClass, number>;
  /** Properties the run could not judge (RunReport.notJudged); absent when it judged every one. */
  notJudged?: string[];
}

/** A cell's figures by key ("runs" first, then the model's in declaration order); null: not measured. */
export type CellFigures = Record<string, number | null>;

export interface SweepFigure<Run> {
  /** Name in sweep.json and the CSV header, unit last (unavailabilityMsP99). */
  key: string;
  /** The cell's value from its runs, given in seed order; null when no run produced the figure. */
  aggregate(runs: readonly Run[]): number | null;
  /**
   * Set on a figure added after results were committed: a result written before it lacks the key
   * and still loads (its cells show "-" for it until the sweep is re-run).
   */
  addedLater?: true;
  /** Column of sweep.md and the terminal table; absent: CSV, JSON and HTML only. */
  table?: {
    title: string;
    decimals: number;
    /** Shown only when some cell has a value (figures of a feature no cell's scenario uses). */
    onlyWhenMeasured?: boolean;
  };
  /** Column of the HTML report, shown when some cell has a value. */
  report: {
    header: string;
    /** Tooltip: what the figure is. */
    help: string;
    /** Alert styling when the value is above zero. */
    alert?: boolean;
    /** A figure in milliseconds shown in seconds. */
    seconds?: boolean;
  };
}

/** Which run of a cell is its worst: the one with the largest value of a run figure. */
interface WorstRunRule<Run> {
  /** The ranking run figure, a number; ties go to the lowest seed. A worst run above zero gets its trace saved. */
  figure: keyof Run & string;
  /** The ranking in words, for headings: "most records lost". */
  ranking: string;
  /** The verb before or after the worst run's value: "seed 7 lost 3", "3 lost". */
  verb: string;
  /** Said when no run of any cell scored above zero. */
  none: string;
}

/** A value a chart plots per cell: the field it gets on the chart's data, computed from the cell's figures. */
interface ChartField<T> {
  field: string;
  of(figures: CellFigures): T;
}

interface ChartCommon {
  /** File stem of the standalone SVG, and the id of the chart's figure in the report. */
  id: string;
  title: string;
  /** One line under the chart: what a bar or point is (seeds: runs per cell). */
  caption(seeds: number): string;
}

/** One horizontal bar per cell, in result order; cells whose value is null get none. */
export interface SweepBarChart extends ChartCommon {
  kind: 'bars';
  value: ChartField<number | null>;
  /** Printed at the end of each bar. */
  label: ChartField<string>;
  axisTitle: string;
  scale: 'linear' | 'symlog';
  color: string;
}

/** One point per cell, coloured and shaped by the first two grid keys. */
export interface SweepScatterChart extends ChartCommon {
  kind: 'scatter';
  x: ChartField<number> & { title: string };
  y: ChartField<number> & { title: string };
}

export type SweepChart = SweepBarChart | SweepScatterChart;

/** A named sweep: a base scenario (a preset name), fixed settings and a grid, run as `ksim sweep --study NAME`. */
export interface SweepStudy {
  name: string;
  /** What it shows, for --help and the README. */
  summary: string;
  scenario: string;
  settings: string[];
  grid: string[];
}

export interface ModelSweep<Run extends SweptRunIdentity = SweptRunIdentity & Record<string, unknown>> {
  /**
   * The figures a sweep keeps of one run, without seed and trace hash (the engine adds them):
   * plain JSON, small enough to cross a worker-thread boundary and be persisted per cell.
   */
  runFigures(report: RunReport): Omit<Run, keyof SweptRunIdentity>;
  /** The cell's figures after "runs", in column order. */
  figures: readonly SweepFigure<Run>[];
  worstRun: WorstRunRule<Run>;
  /** A few words on a finished cell for the progress lines ("3 with loss", "30 suspicions on average"). */
  progress?(figures: CellFigures): string;
  /** The report's charts, in page order, under one heading. */
  charts: { heading: string; list: readonly SweepChart[] };
  /** Short names of long grid keys, for table headers, chart labels and legends. */
  keyAbbreviations?: Readonly<Record<string, string>>;
  studies?: readonly SweepStudy[];
}
