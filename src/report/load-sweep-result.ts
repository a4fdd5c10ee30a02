// Reads a sweep's result for the report: either the sweep's directory (its sweep.json) or the JSON
// file itself. The shape is the contract in src/explore/sweep/sweep-result.ts; it is checked here
// so a foreign or damaged file is one clear UserError (exit 2) instead of a broken page. The
// figures say which model was swept: the model whose sweep definition has exactly the figures of
// the result's first cell, which every other cell must then carry too (a figure the model added
// later may be absent from a result written before it: SweepFigure.addedLater). Returns the directory the
// result lives in, since worst-run trace paths are relative to it.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { figureKeys } from '../explore/sweep/sweep-outputs.ts';
import { SWEEP_RESULT_KIND, SWEEP_RESULT_VERSION, type SweepResult } from '../explore/sweep/sweep-result.ts';
import type { ModelDefinition } from '../scenario/model-definition.ts';
import type { ModelSweep } from '../scenario/model-sweep.ts';
import { UserError } from '../scenario/user-error.ts';
import { readInputText } from '../files/input-file.ts';
import { GRID_CELLS_MAX } from '../explore/sweep/sweep-grid.ts';

/** The file a sweep directory holds its result in. */
const SWEEP_RESULT_FILE = 'sweep.json';
/** A result of the largest grid is a few MB; anything far larger is not a sweep result. */
const SWEEP_RESULT_BYTES_MAX = 256 * 1024 * 1024;

/** The result's shape, with the figures a model's sweep definition names. */
function sweepResultSchema(sweep: ModelSweep) {
  const later = new Set(sweep.figures.filter((f) => f.addedLater).map((f) => f.key));
  const figures = Object.fromEntries(figureKeys(sweep).map((key) => [key, later.has(key) ? z.number().nullable().optional() : z.number().nullable()]));
  return z.object({
    kind: z.literal(SWEEP_RESULT_KIND),
    version: z.number().int(),
    ksimVersion: z.string(),
    source: z.string(),
    scenarioName: z.string(),
    settings: z.array(z.string()),
    grid: z.array(z.object({ key: z.string(), values: z.array(z.string()) })),
    seeds: z.number().int().min(0),
    seedBase: z.number().int(),
    cells: z.array(
      z.object({
        cell: z.record(z.string(), z.string()),
        settings: z.array(z.string()),
        figures: z.object(figures),
        worst: z.object({
          seed: z.string(),
          traceHash: z.string(),
          [sweep.worstRun.figure]: z.number(),
          runCommand: z.string(),
          tracePath: z.string().nullable(),
        }),
      }),
    ).max(GRID_CELLS_MAX, `at most ${GRID_CELLS_MAX} cells, the largest sweep`),
  });
}

/** The sweep definition whose figures are the first cell's, in the same order. */
function sweepOf(value: object, models: readonly ModelDefinition[], filePath: string): ModelSweep {
  const first = (value as { cells?: { figures?: unknown }[] }).cells?.[0]?.figures;
  const keys = typeof first === 'object' && first !== null ? Object.keys(first).join(',') : '';
  for (const m of models) if (m.sweep && keysOfResult(m.sweep, keys).join(',') === keys) return m.sweep;
  const known = models.filter((m) => m.sweep).map((m) => m.name);
  throw new UserError(`${filePath}: its figures are those of no model this ksim can sweep (${known.join(', ')}); was it written by another ksim version?`);
}

/** The model's figure keys, less those added later that the result (its keys, comma-joined) lacks. */
function keysOfResult(sweep: ModelSweep, keys: string): string[] {
  const present = new Set(keys.split(','));
  const later = new Set(sweep.figures.filter((f) => f.addedLater && !present.has(f.key)).map((f) => f.key));
  return figureKeys(sweep).filter((k) => !later.has(k));
}

interface LoadedSweepResult {
  result: SweepResult;
  /** The swept model's definition of the figures. */
  sweep: ModelSweep;
  /** The result file read. */
  filePath: string;
  /** Directory the result's relative trace paths start from. */
  baseDir: string;
}

export function loadSweepResult(dirOrFile: string, models: readonly ModelDefinition[]): LoadedSweepResult {
  let filePath = dirOrFile;
  if (!fs.existsSync(dirOrFile)) throw new UserError(`${dirOrFile}: no such sweep directory or result file`);
  if (fs.statSync(dirOrFile).isDirectory()) {
    filePath = path.join(dirOrFile, SWEEP_RESULT_FILE);
    if (!fs.existsSync(filePath)) throw new UserError(`${dirOrFile}: no ${SWEEP_RESULT_FILE} in this directory; is it a finished ksim sweep?`);
  }
  let value: unknown;
  const { text } = readInputText(filePath, `sweep result "${filePath}"`, SWEEP_RESULT_BYTES_MAX);
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${filePath}: not JSON (${(e as Error).message}); expected a ksim sweep result`);
  }
  if (typeof value !== 'object' || value === null || (value as { kind?: unknown }).kind !== SWEEP_RESULT_KIND)
    throw new UserError(`${filePath}: not a ksim sweep result (no "kind":"${SWEEP_RESULT_KIND}")`);
  const version = (value as { version?: unknown }).version;
  if (typeof version === 'number' && version > SWEEP_RESULT_VERSION)
    throw new UserError(`${filePath}: sweep result version ${version} is newer than this ksim reads (up to ${SWEEP_RESULT_VERSION})`);
  const sweep = sweepOf(value, models, filePath);
  const parsed = sweepResultSchema(sweep).safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`${filePath}: invalid sweep result: "${issue.path.join('.') || '(top)'}": ${issue.message}`);
  }
  return { result: value as SweepResult, sweep, filePath, baseDir: path.dirname(filePath) };
}
