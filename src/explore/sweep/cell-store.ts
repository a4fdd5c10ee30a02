// A sweep directory on disk, the unit of resumption:
//
//   DIR/sweep-spec.json      the spec (sweep-spec.ts); a directory holds one sweep only
//   DIR/cells/<index>.json   one finished cell: its CellResult and its runs' figures, stamped with
//                            the spec's fingerprint; written atomically, only once complete
//   DIR/traces/...           worst-run traces, written (atomically) before their cell file
//
// A sweep re-run with the same spec skips the cells already on disk; a different spec in the
// same directory is refused rather than mixed in, and so is a non-empty directory that holds no
// sweep (another program's files are never overwritten). Temporary files a killed sweep left are
// removed when the directory is opened again.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../../scenario/user-error.ts';
import type { CellResult } from './sweep-result.ts';
import { readInputText } from '../../files/input-file.ts';
import { ensureOutputDir, isTempName, removeStaleTempsIn, writeFileAtomic } from '../../files/output-file.ts';
import type { SweptRun } from './cell-figures.ts';
import { cellCount } from './sweep-grid.ts';
import { asSweepSpec, specDifference, specFingerprint, type SweepSpec } from './sweep-spec.ts';

export const CELL_FILE_KIND = 'ksim-sweep-cell';

export interface PersistedCell {
  kind: typeof CELL_FILE_KIND;
  /** specFingerprint of the sweep the cell belongs to. */
  spec: string;
  index: number;
  result: CellResult;
  /** Every run's figures, in seed order. */
  runs: SweptRun[];
}

function specPath(dir: string): string {
  return path.join(dir, 'sweep-spec.json');
}

function cellPath(dir: string, index: number): string {
  return path.join(dir, 'cells', `${index}.json`);
}

/** A spec or a cell file is a few MB at most; anything larger is not ksim's. */
const SWEEP_FILE_BYTES_MAX = 256 * 1024 * 1024;

/** The names a sweep directory holds (besides temporary files). */
const SWEEP_DIR_ENTRIES = new Set(['sweep-spec.json', 'cells', 'traces', 'sweep.json', 'sweep.csv', 'sweep.md']);

function readJson(file: string): unknown {
  const { text } = readInputText(file, `"${file}"`, SWEEP_FILE_BYTES_MAX);
  try {
    return JSON.parse(text);
  } catch {
    throw new UserError(`"${file}" is not valid JSON; was it written by ksim sweep?`);
  }
}

/** The spec a sweep directory holds, or null if it holds none yet. */
export function readSpec(dir: string): SweepSpec | null {
  if (!fs.existsSync(specPath(dir))) return null;
  return asSweepSpec(readJson(specPath(dir)), specPath(dir));
}

/** Refuses a directory that has files in it but no sweep: another program's, or a typo. */
function checkNoForeignFiles(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return; // not there yet
  }
  const foreign = names.filter((n) => !SWEEP_DIR_ENTRIES.has(n) && !isTempName(n)).sort();
  if (foreign.length > 0 || (names.some((n) => SWEEP_DIR_ENTRIES.has(n)) && !names.includes('sweep-spec.json')))
    throw new UserError(
      `--out ${dir}: the directory is not empty and holds no ksim sweep (it has ${foreign.length > 0 ? `"${foreign[0]}"` : 'no sweep-spec.json'}${foreign.length > 1 ? ` and ${foreign.length - 1} more` : ''}); choose an empty or new directory`,
    );
}

/** Prepares DIR for `spec`: creates it, or checks that it holds the same sweep; removes stale temporary files. */
export function openSweepDir(dir: string, spec: SweepSpec): void {
  ensureOutputDir(dir, `--out "${dir}"`);
  const existing = readSpec(dir);
  if (existing) {
    const why = specDifference(existing, spec);
    if (why) throw new UserError(`--out ${dir} holds another sweep (${why}); use another --out directory or remove it`);
  } else {
    checkNoForeignFiles(dir);
  }
  ensureOutputDir(path.join(dir, 'cells'), `--out "${dir}"`);
  ensureOutputDir(path.join(dir, 'traces'), `--out "${dir}"`);
  for (const d of [dir, path.join(dir, 'cells'), path.join(dir, 'traces')]) removeStaleTempsIn(d);
  if (!existing) writeFileAtomic(specPath(dir), JSON.stringify(spec, null, 2) + '\n');
}

export function writeCell(dir: string, cell: PersistedCell): void {
  writeFileAtomic(cellPath(dir, cell.index), JSON.stringify(cell) + '\n');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The shape the outputs read (sweep-result.ts): what a hand-edited cell file may lack. */
function isCellResult(v: unknown): v is CellResult {
  return (
    isObject(v) &&
    isObject(v.cell) &&
    Array.isArray(v.settings) &&
    isObject(v.figures) &&
    isObject(v.worst) &&
    typeof v.worst.seed === 'string' &&
    typeof v.worst.runCommand === 'string' &&
    (v.worst.tracePath === null || typeof v.worst.tracePath === 'string')
  );
}

/** The finished cells in DIR, by index (ascending), checked against the spec. */
export function readCells(dir: string, spec: SweepSpec): Map<number, PersistedCell> {
  const out = new Map<number, PersistedCell>();
  const cellsDir = path.join(dir, 'cells');
  if (!fs.existsSync(cellsDir)) return out;
  const fingerprint = specFingerprint(spec);
  const indices = fs
    .readdirSync(cellsDir)
    .filter((n) => /^\d+\.json$/.test(n))
    .map((n) => Number(n.slice(0, -5)))
    .sort((a, b) => a - b);
  const cells = cellCount(spec.grid);
  for (const index of indices) {
    const file = cellPath(dir, index);
    if (index >= cells) throw new UserError(`"${file}": the sweep has ${cells} cells (0..${cells - 1}); the file is not one of them`);
    const cell = readJson(file) as Partial<PersistedCell>;
    if (cell?.kind !== CELL_FILE_KIND || cell.index !== index || !isCellResult(cell.result) || !Array.isArray(cell.runs))
      throw new UserError(`"${file}" is not a ksim sweep cell file (or it was edited); remove it and run the sweep again to redo the cell`);
    if (cell.spec !== fingerprint) throw new UserError(`"${file}" belongs to another sweep (spec ${cell.spec}, expected ${fingerprint})`);
    out.set(index, cell as PersistedCell);
  }
  return out;
}
