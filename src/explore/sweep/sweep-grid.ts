// The grid of a sweep: `--grid key=v1,v2,...` axes over any key `--set` accepts (the model's config
// keys, scenario keys such as `network.lossRate`). The cells are the
// cartesian product in grid order, the first axis slowest, so cell indices are stable for a given
// command line; each cell is realised as `--set key=value` strings after the sweep's fixed ones.
// Syntax problems are UserErrors naming the flag; unknown keys and bad values are found by
// resolving every cell before anything runs (resolve-sweep-cells.ts).

import { UserError } from '../../scenario/user-error.ts';

export interface GridAxis {
  key: string;
  values: string[];
}

export interface GridCell {
  /** Position in grid order (first axis slowest). */
  index: number;
  /** Value per grid key, in grid order. */
  cell: Record<string, string>;
  /** `key=value` strings realising the cell (grid order). */
  settings: string[];
}

/** Parses one `--grid key=v1,v2` flag. */
function parseGridAxis(text: string): GridAxis {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UserError(`--grid ${JSON.stringify(text)}: expected key=v1,v2,..., e.g. --grid network.lossRate=0,0.01`);
  const key = text.slice(0, eq).trim();
  if (!/^[A-Za-z0-9_.$-]+$/.test(key)) throw new UserError(`--grid ${JSON.stringify(text)}: "${key}" is not a config or scenario key`);
  const values = text
    .slice(eq + 1)
    .split(',')
    .map((v) => v.trim());
  if (values.some((v) => v === '')) throw new UserError(`--grid ${key}: empty value in "${text.slice(eq + 1)}"; separate values with single commas`);
  const cut = values.find((v) => count(v, '[') !== count(v, ']') || count(v, '{') !== count(v, '}'));
  if (cut !== undefined)
    throw new UserError(
      `--grid ${key}: value ${JSON.stringify(cut)} is cut at a comma: grid values are split at every comma, so a JSON list or object with commas cannot be one; sweep each such value in its own run of ksim sweep with --set ${key}=...`,
    );
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw new UserError(`--grid ${key}: value "${v}" is listed twice`);
    seen.add(v);
  }
  return { key, values };
}

function count(text: string, ch: string): number {
  let n = 0;
  for (const c of text) if (c === ch) n++;
  return n;
}

/**
 * Cells a sweep may have at most (64 x 64): each is resolved and checked before anything runs
 * (about 0.5 ms each), and each runs every seed; a larger grid is a search, not a table. Counted
 * from the axes, never by listing the cells.
 */
export const GRID_CELLS_MAX = 4_096;

/** Parses every `--grid` flag and refuses a key given twice or also fixed with --set, or too many cells. */
export function parseGrid(texts: readonly string[], fixedSettings: readonly string[]): GridAxis[] {
  const axes = texts.map(parseGridAxis);
  const cells = cellCount(axes);
  if (cells > GRID_CELLS_MAX)
    throw new UserError(
      `--grid: ${axes.map((a) => a.values.length).join(' x ')} = ${cells.toLocaleString('en-US')} cells, more than the ${GRID_CELLS_MAX.toLocaleString('en-US')} a sweep may have (each cell runs every seed); split it into several sweeps or use fewer values`,
    );
  const keys = new Set<string>();
  for (const a of axes) {
    if (keys.has(a.key)) throw new UserError(`--grid ${a.key}: the key is given twice; list all its values in one --grid`);
    keys.add(a.key);
  }
  for (const s of fixedSettings) {
    const key = s.slice(0, Math.max(0, s.indexOf('='))).trim();
    if (keys.has(key)) throw new UserError(`--grid ${key}: the key is also fixed with --set ${s}; drop one of them`);
  }
  return axes;
}

export function cellCount(grid: readonly GridAxis[]): number {
  return grid.reduce((n, a) => n * a.values.length, 1);
}

/** The cell at `index` (first axis slowest, like nested loops in grid order). */
function gridCell(grid: readonly GridAxis[], index: number): GridCell {
  const picks: number[] = new Array(grid.length);
  let rest = index;
  for (let i = grid.length - 1; i >= 0; i--) {
    picks[i] = rest % grid[i].values.length;
    rest = Math.floor(rest / grid[i].values.length);
  }
  const cell: Record<string, string> = {};
  const settings: string[] = [];
  grid.forEach((axis, i) => {
    const value = axis.values[picks[i]];
    cell[axis.key] = value;
    settings.push(`${axis.key}=${value}`);
  });
  return { index, cell, settings };
}

export function gridCells(grid: readonly GridAxis[]): GridCell[] {
  return Array.from({ length: cellCount(grid) }, (_, i) => gridCell(grid, i));
}
