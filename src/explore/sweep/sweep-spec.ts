// What a sweep is, independent of how it is executed: the base scenario (and where it came from)
// and its model, the fixed `--set` pairs, the grid, the seeds and whether worst-run traces are saved, plus the
// ksim version that ran it. Two executions with equal specs produce the same cells, whatever the
// worker count, shard split or interruptions, so the spec is what a resumed sweep and
// `ksim sweep merge` compare. It is persisted as DIR/sweep-spec.json.
//
// Seeds: a cell's runs use the seeds seedBase+1 .. seedBase+seeds, the same for every cell, so
// cells differ only in configuration (common random numbers: fault timing and workload draws are
// shared, which makes cell-to-cell differences less noisy).

import { createHash } from 'node:crypto';
import { UserError } from '../../scenario/user-error.ts';
import type { GridAxis } from './sweep-grid.ts';

export const SWEEP_SPEC_KIND = 'ksim-sweep-spec';

export interface SweepSpec {
  kind: typeof SWEEP_SPEC_KIND;
  ksimVersion: string;
  /** "preset NAME", "file my.json", "default scenario". */
  source: string;
  /** The --scenario argument as given (for the printed `ksim run` commands); null for the default. */
  scenarioArg: string | null;
  scenarioName: string;
  /** The model every cell runs (its definition says what the sweep tabulates). */
  model: string;
  /** sha256 of the raw scenario's canonical JSON: a changed file is a different sweep. */
  scenarioSha256: string;
  settings: string[];
  grid: GridAxis[];
  seeds: number;
  seedBase: number;
  /** Whether worst runs that lost records get their trace saved. */
  traces: boolean;
}

/** The seed strings every cell runs, in order. */
export function sweepSeeds(spec: Pick<SweepSpec, 'seeds' | 'seedBase'>): string[] {
  return Array.from({ length: spec.seeds }, (_, i) => String(spec.seedBase + i + 1));
}

/** JSON with object keys sorted, so equal values hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Fingerprint of a spec, stamped on every persisted cell. */
export function specFingerprint(spec: SweepSpec): string {
  return sha256(canonicalJson(spec)).slice(0, 16);
}

const FIELD_NAMES: [keyof SweepSpec, string][] = [
  ['ksimVersion', 'ksim version'],
  ['scenarioSha256', 'scenario'],
  ['source', 'scenario source'],
  ['scenarioArg', 'scenario'],
  ['model', 'model'],
  ['settings', '--set settings'],
  ['grid', 'grid'],
  ['seeds', 'seed count'],
  ['seedBase', 'seed base'],
  ['traces', 'trace saving (--no-traces)'],
];

/** Why two specs describe different sweeps (the first differing field, in words), or null if equal. */
export function specDifference(a: SweepSpec, b: SweepSpec): string | null {
  for (const [field, words] of FIELD_NAMES) {
    const x = canonicalJson(a[field]);
    const y = canonicalJson(b[field]);
    if (x !== y) return `different ${words}: ${x} vs ${y}`;
  }
  return null;
}

/** Reads a spec from parsed JSON, refusing anything else. */
export function asSweepSpec(value: unknown, where: string): SweepSpec {
  const v = value as Partial<SweepSpec> | null;
  if (
    typeof v !== 'object' ||
    v === null ||
    v.kind !== SWEEP_SPEC_KIND ||
    typeof v.ksimVersion !== 'string' ||
    typeof v.model !== 'string' ||
    !Array.isArray(v.grid) ||
    !Array.isArray(v.settings) ||
    typeof v.seeds !== 'number' ||
    typeof v.seedBase !== 'number'
  )
    throw new UserError(`${where}: not a ksim sweep spec`);
  return v as SweepSpec;
}
