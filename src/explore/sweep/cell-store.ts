// A sweep directory on disk, the unit of resumption:
//
//   DIR/sweep-spec.json      the spec (sweep-spec.ts); a directory holds one sweep only
//   DIR/cells/<index>.json   one finished cell: its CellResult and its runs' figures, stamped with
//                            the spec's fingerprint; written atomically, only once complete
//   DIR/traces/...           worst-run traces, written (atomically) before their cell file
//
// A sweep re-run with the same spec skips the cells already on disk; a different spec in the
// same directory is refused rather than mixed in.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../../scenario/user-error.ts';
import type { CellResult } from './sweep-result.ts';
import { writeFileAtomic } from './atomic-file.ts';
import type { SweptRun } from './cell-figures.ts';
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

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read "${file}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
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

/** Prepares DIR for `spec`: creates it, or checks that it holds the same sweep. */
export function openSweepDir(dir: string, spec: SweepSpec): void {
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new UserError(`--out ${dir}: not a directory`);
  const existing = readSpec(dir);
  if (existing) {
    const why = specDifference(existing, spec);
    if (why) throw new UserError(`--out ${dir} holds another sweep (${why}); use another --out directory or remove it`);
  }
  fs.mkdirSync(path.join(dir, 'cells'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'traces'), { recursive: true });
  if (!existing) writeFileAtomic(specPath(dir), JSON.stringify(spec, null, 2) + '\n');
}

export function writeCell(dir: string, cell: PersistedCell): void {
  writeFileAtomic(cellPath(dir, cell.index), JSON.stringify(cell) + '\n');
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
  for (const index of indices) {
    const file = cellPath(dir, index);
    const cell = readJson(file) as Partial<PersistedCell>;
    if (cell?.kind !== CELL_FILE_KIND || cell.index !== index || typeof cell.result !== 'object')
      throw new UserError(`"${file}" is not a ksim sweep cell file`);
    if (cell.spec !== fingerprint) throw new UserError(`"${file}" belongs to another sweep (spec ${cell.spec}, expected ${fingerprint})`);
    out.set(index, cell as PersistedCell);
  }
  return out;
}
