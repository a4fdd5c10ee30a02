// The final outputs of a complete sweep, built from its persisted cells only (so an interrupted and
// resumed sweep, a merged one and an uninterrupted one write the same bytes):
//
//   sweep.json  the SweepResult (sweep-result.ts), what the HTML report reads
//   sweep.csv   one row per cell: its index, one column per grid key, one per figure, then the
//               worst run (seed, ranking figure, trace path, run command)
//   sweep.md    a markdown table of the grid keys and the figures the model gives a table column
//               (those marked onlyWhenMeasured when some cell has them)
//
// Which figures, in which order and with which titles is the model's (src/scenario/model-sweep.ts).

import * as path from 'node:path';
import type { CellFigures, ModelSweep, SweptRunIdentity } from '../../scenario/model-sweep.ts';
import { DEFAULT_FAIL_ON, formatFailOn, type VerdictClass } from '../../scenario/verdict.ts';
import { cellVerdict } from './cell-figures.ts';
import { KSIM_VERSION } from '../../trace/trace-format.ts';
import { SWEEP_RESULT_KIND, SWEEP_RESULT_VERSION, type CellResult, type SweepResult } from './sweep-result.ts';
import { writeFileAtomic } from '../../files/output-file.ts';
import type { SweepSpec } from './sweep-spec.ts';

/**
 * The result from the persisted cells: each cell's result, with the verdict rule applied to its runs
 * under `failOn` (a reporting choice, so not part of the spec: the same runs serve any --fail-on).
 */
export function buildSweepResult(spec: SweepSpec, cells: readonly { result: CellResult; runs: readonly SweptRunIdentity[] }[], failOn: readonly VerdictClass[] = DEFAULT_FAIL_ON): SweepResult {
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
    failOn: [...failOn],
    cells: cells.map((c) => ({ ...c.result, verdict: cellVerdict(c.runs, failOn) })),
  };
}

/** The figure keys, in CellFigures order: "runs", then the model's. */
export function figureKeys(sweep: ModelSweep): string[] {
  return ['runs', ...sweep.figures.map((f) => f.key)];
}

function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function capitalized(word: string): string {
  return word.slice(0, 1).toUpperCase() + word.slice(1);
}

function sweepCsv(result: SweepResult, sweep: ModelSweep): string {
  const keys = figureKeys(sweep);
  const ranking = sweep.worstRun.figure;
  const header = ['cell', ...result.grid.map((a) => a.key), ...keys, 'runsFailed', 'worstSeed', `worst${capitalized(ranking)}`, 'worstTracePath', 'worstRunCommand'];
  const rows = result.cells.map((c, i) => [
    i,
    ...result.grid.map((a) => c.cell[a.key]),
    ...keys.map((k) => c.figures[k]),
    c.verdict?.runsFailed ?? null,
    c.worst.seed,
    c.worst[ranking],
    c.worst.tracePath,
    c.worst.runCommand,
  ]);
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

interface Column {
  title: string;
  value: (f: CellFigures, cell: CellResult) => number | null;
  decimals: number;
}

/** The table's figure columns: runs, then the model's figures that have a table column. */
function tableColumns(result: SweepResult, sweep: ModelSweep): Column[] {
  const columns: Column[] = [{ title: 'runs', value: (f) => f.runs, decimals: 0 }];
  if (result.failOn !== undefined) columns.push({ title: `failed (--fail-on ${formatFailOn(result.failOn)})`, value: (_f, cell) => cell.verdict?.runsFailed ?? null, decimals: 0 });
  for (const figure of sweep.figures) {
    const table = figure.table;
    if (!table) continue;
    const value = (f: CellFigures) => f[figure.key];
    if (table.onlyWhenMeasured && !result.cells.some((cell) => value(cell.figures) !== null)) continue;
    columns.push({ title: table.title, value, decimals: table.decimals });
  }
  return columns;
}

function formatNumber(v: number | null | undefined, decimals: number): string {
  // undefined: a cell file from an older ksim, or edited, without this figure.
  if (v === null || v === undefined || typeof v !== 'number') return '-';
  return v.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export function sweepMarkdown(result: SweepResult, sweep: ModelSweep): string {
  const columns = tableColumns(result, sweep);
  const keys = result.grid.map((a) => a.key);
  const header = [...keys, ...columns.map((c) => c.title)];
  const align = [...keys.map(() => '---'), ...columns.map(() => '---:')];
  const rows = result.cells.map((cell) => [...keys.map((k) => `\`${cell.cell[k]}\``), ...columns.map((c) => formatNumber(c.value(cell.figures, cell), c.decimals))]);
  return [header, align, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n') + '\n';
}

export interface WrittenOutputs {
  json: string;
  csv: string;
  markdown: string;
}

export function writeSweepOutputs(dir: string, result: SweepResult, sweep: ModelSweep): WrittenOutputs {
  const out = { json: path.join(dir, 'sweep.json'), csv: path.join(dir, 'sweep.csv'), markdown: path.join(dir, 'sweep.md') };
  writeFileAtomic(out.json, JSON.stringify(result, null, 2) + '\n');
  writeFileAtomic(out.csv, sweepCsv(result, sweep));
  writeFileAtomic(out.markdown, sweepMarkdown(result, sweep));
  return out;
}
