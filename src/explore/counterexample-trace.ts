// Saves a counterexample `ksim check` found as a trace, out of the way of anything else: under the
// directory given (the CLI's default is ksim-traces/, never the project's regression corpus),
// named <scenario>-<property>-<trace hash>-<settings hash>.jsonl, so counterexamples of different
// scenarios, properties or settings never overwrite each other (two runs whose settings differ only
// in what does not change a single event, a checker's or a bug switch's, have the same trace hash),
// and the same run saved twice is the same file. Written atomically, like every trace (src/files).

import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { ensureOutputDir } from '../files/output-file.ts';
import { recordTrace } from '../trace/trace-writer.ts';
import type { Counterexample } from './check-runner.ts';

/** A file-name part: letters, digits and dashes only. */
function namePart(text: string): string {
  return text.replace(/[^a-z0-9-]+/gi, '-').replace(/^-+|-+$/g, '') || 'x';
}

/** The trace file of a counterexample in `dir` (not written). */
function counterexampleTracePath(cx: Counterexample, dir: string, decidedBy: string | undefined): string {
  const property = decidedBy ?? cx.report.violations[0]?.property ?? 'violation';
  const name = `${namePart(cx.report.scenario)}-${namePart(property)}-${cx.report.traceHash}-${settingsHash(cx)}`;
  return path.join(dir, `${name}.jsonl`);
}

/**
 * 8 hex digits of SHA-256 over the resolved scenario the trace header records (seed, faults,
 * configs), its keys sorted: the same settings in another --set order are the same file.
 */
function settingsHash(cx: Counterexample): string {
  return createHash('sha256').update(JSON.stringify(cx.resolution.scenario, sortedKeys)).digest('hex').slice(0, 8);
}

/** A JSON.stringify replacer that writes every object's keys in sorted order. */
function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}

/**
 * Records the counterexample's run into its trace file under `dir` (created if missing), named
 * after `decidedBy` (the property of the violation that failed the run; default: the first
 * violation's); returns the path. Errors: UserError when `dir` cannot be a directory (`what` names the flag).
 */
export function saveCounterexample(cx: Counterexample, dir: string, what: string, decidedBy?: string): string {
  ensureOutputDir(dir, what);
  const file = counterexampleTracePath(cx, dir, decidedBy);
  recordTrace(cx.resolution, file);
  return file;
}
