// The final outputs of a complete sweep, built from its persisted cells only (so an interrupted and
// resumed sweep, a merged one and an uninterrupted one write the same bytes):
//
//   sweep.json  the SweepResult (sweep-result.ts), what the HTML report reads
//   sweep.csv   one row per cell: its index, one column per grid key, one per figure, then the
//               worst run (seed, records lost, trace path, run command)
//   sweep.md    a markdown table of the grid keys and the main figures (consumer columns only
//               when some cell has them)

import * as path from 'node:path';
import { KSIM_VERSION } from '../../trace/trace-format.ts';
import { SWEEP_RESULT_KIND, SWEEP_RESULT_VERSION, type CellFigures, type CellResult, type SweepResult } from './sweep-result.ts';
import { writeFileAtomic } from './atomic-file.ts';
import type { SweepSpec } from './sweep-spec.ts';

export function buildSweepResult(spec: SweepSpec, cells: CellResult[]): SweepResult {
  return {
    kind: SWEEP_RESULT_KIND,
    version: SWEEP_RESULT_VERSION,
    ksimVersion: spec.ksimVersion ?? KSIM_VERSION,
    source: spec.source,
    scenarioName: spec.scenarioName,
    settings: spec.settings,
    grid: spec.grid,
    seeds: spec.seeds,
    seedBase: spec.seedBase,
    cells,
  };
}

/** The figure columns, in CellFigures order. */
export const FIGURE_KEYS: readonly (keyof CellFigures)[] = [
  'runs',
  'runsWithLoss',
  'recordsLostMean',
  'recordsLostMax',
  'breaches',
  'permitted',
  'recordsDuplicatedMean',
  'recordsReorderedMean',
  'unavailabilityMsMean',
  'unavailabilityMsP99',
  'produceLatencyMsP50',
  'produceLatencyMsP99',
  'produceLatencyMsMax',
  'endToEndLatencyMsP50',
  'endToEndLatencyMsP99',
  'consumerDuplicatesMean',
  'consumerGapsMean',
  'rebalanceMsMean',
];

function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function sweepCsv(result: SweepResult): string {
  const header = ['cell', ...result.grid.map((a) => a.key), ...FIGURE_KEYS, 'worstSeed', 'worstRecordsLost', 'worstTracePath', 'worstRunCommand'];
  const rows = result.cells.map((c, i) => [
    i,
    ...result.grid.map((a) => c.cell[a.key]),
    ...FIGURE_KEYS.map((k) => c.figures[k]),
    c.worst.seed,
    c.worst.recordsLost,
    c.worst.tracePath,
    c.worst.runCommand,
  ]);
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

interface Column {
  title: string;
  value: (f: CellFigures) => number | null;
  decimals: number;
}

const MAIN_COLUMNS: Column[] = [
  { title: 'runs', value: (f) => f.runs, decimals: 0 },
  { title: 'runs with loss', value: (f) => f.runsWithLoss, decimals: 0 },
  { title: 'lost mean', value: (f) => f.recordsLostMean, decimals: 1 },
  { title: 'lost max', value: (f) => f.recordsLostMax, decimals: 0 },
  { title: 'breaches', value: (f) => f.breaches, decimals: 0 },
  { title: 'permitted', value: (f) => f.permitted, decimals: 0 },
  { title: 'dup mean', value: (f) => f.recordsDuplicatedMean, decimals: 1 },
  { title: 'reorder mean', value: (f) => f.recordsReorderedMean, decimals: 1 },
  { title: 'unavail ms mean', value: (f) => f.unavailabilityMsMean, decimals: 0 },
  { title: 'unavail ms p99', value: (f) => f.unavailabilityMsP99, decimals: 0 },
  { title: 'produce ms p50', value: (f) => f.produceLatencyMsP50, decimals: 1 },
  { title: 'produce ms p99', value: (f) => f.produceLatencyMsP99, decimals: 1 },
  { title: 'produce ms max', value: (f) => f.produceLatencyMsMax, decimals: 0 },
];

const CONSUMER_COLUMNS: Column[] = [
  { title: 'e2e ms p50', value: (f) => f.endToEndLatencyMsP50, decimals: 1 },
  { title: 'e2e ms p99', value: (f) => f.endToEndLatencyMsP99, decimals: 1 },
  { title: 'consumer dup mean', value: (f) => f.consumerDuplicatesMean, decimals: 1 },
  { title: 'consumer gaps mean', value: (f) => f.consumerGapsMean, decimals: 1 },
  { title: 'rebalance ms mean', value: (f) => f.rebalanceMsMean, decimals: 0 },
];

function formatNumber(v: number | null, decimals: number): string {
  if (v === null) return '-';
  return v.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export function sweepMarkdown(result: SweepResult): string {
  const columns = [...MAIN_COLUMNS];
  for (const c of CONSUMER_COLUMNS) if (result.cells.some((cell) => c.value(cell.figures) !== null)) columns.push(c);
  const keys = result.grid.map((a) => a.key);
  const header = [...keys, ...columns.map((c) => c.title)];
  const align = [...keys.map(() => '---'), ...columns.map(() => '---:')];
  const rows = result.cells.map((cell) => [...keys.map((k) => `\`${cell.cell[k]}\``), ...columns.map((c) => formatNumber(c.value(cell.figures), c.decimals))]);
  return [header, align, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n') + '\n';
}

export interface WrittenOutputs {
  json: string;
  csv: string;
  markdown: string;
}

export function writeSweepOutputs(dir: string, result: SweepResult): WrittenOutputs {
  const out = { json: path.join(dir, 'sweep.json'), csv: path.join(dir, 'sweep.csv'), markdown: path.join(dir, 'sweep.md') };
  writeFileAtomic(out.json, JSON.stringify(result, null, 2) + '\n');
  writeFileAtomic(out.csv, sweepCsv(result));
  writeFileAtomic(out.markdown, sweepMarkdown(result));
  return out;
}
