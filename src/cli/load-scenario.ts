// Finds the raw scenario a command runs: the default scenario, a preset by name, or a JSON file.
// A file must be a regular file of at most 16 MiB (a FIFO or a device is refused, never read); a
// UTF-8 byte order mark is skipped. Reading and parsing problems become one-line UserErrors that
// say which file and, for bad JSON, which line and column.

import * as fs from 'node:fs';
import { fsProblem, readInputText } from '../files/input-file.ts';
import { DEFAULT_SCENARIO, SCENARIO_PRESETS } from '../../models/index.ts';
import { didYouMean } from '../scenario/closest-name.ts';
import { UserError } from '../scenario/user-error.ts';
import { locateJsonError } from './json-error-location.ts';

interface LoadedScenario {
  raw: unknown;
  /** Where it came from, for the summary: "default scenario", "preset X", "file X". */
  source: string;
}

export function loadScenario(arg: string | undefined): LoadedScenario {
  if (arg === undefined) return { raw: DEFAULT_SCENARIO, source: 'default scenario' };
  // A file wins over a preset of the same name: the user pointed at something on disk.
  if (!fs.existsSync(arg) && Object.hasOwn(SCENARIO_PRESETS, arg)) return { raw: SCENARIO_PRESETS[arg], source: `preset ${arg}` };
  return { raw: parseScenarioText(arg, readScenarioFile(arg)), source: `file ${arg}` };
}

/** A scenario is a few KB; 16 MiB is room for a generated one, and refuses the wrong file. */
const SCENARIO_BYTES_MAX = 16 * 1024 * 1024;

/** Whether nothing is at `file`: missing, or a part of its path is not a directory (ENOTDIR). */
function nothingAt(file: string): boolean {
  try {
    return fs.lstatSync(file, { throwIfNoEntry: false }) === undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') return true;
    throw new UserError(`cannot read scenario "${file}": ${fsProblem((e as NodeJS.ErrnoException).code, String(e))}`);
  }
}

function readScenarioFile(file: string): string {
  if (file !== '' && nothingAt(file)) {
    const presets = Object.keys(SCENARIO_PRESETS);
    const hint = presets.length > 0 ? `; presets are ${presets.join(', ')}` : '';
    throw new UserError(`cannot read scenario "${file}": no such file, and no preset of that name${didYouMean(file, presets)}${hint}`);
  }
  return readInputText(file, `scenario "${file}"`, SCENARIO_BYTES_MAX).text;
}

function parseScenarioText(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const where = locateJsonError(text);
    const at = where ? ` at line ${where.line}, column ${where.column}` : '';
    const reason = (e as Error).message
      .replace(/, ".*" is not valid JSON$/s, '')
      .replace(/ in JSON at position \d+.*$/s, '');
    throw new UserError(`scenario file "${file}" is not valid JSON${at}: ${reason}`);
  }
}
