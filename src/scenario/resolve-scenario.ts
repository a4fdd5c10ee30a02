// Turns user input (a scenario object, `--set` overrides, a seed) into a fully resolved scenario:
// validated, with every default filled in, node and AZ names checked against the topology. Every
// problem becomes a one-line UserError naming the field and what would fix it.

import { z } from 'zod';
import { FAULT_KINDS, faultNameRefsOf, type Fault } from '../faults/fault.ts';
import type { NoiseConfig } from '../faults/noise-config.ts';
import type { NetworkConfig } from '../net/network-config.ts';
import { Topology } from '../net/topology.ts';
import type { RunLimits } from '../kernel/simulation.ts';
import { envelopeShape } from './scenario-schema.ts';
import type { ModelDefinition } from './model-definition.ts';
import { parseSettingValue, setPath } from './set-path.ts';
import { UserError } from './user-error.ts';

export interface ResolvedScenario {
  name: string;
  description?: string;
  model: string;
  seed: string;
  durationMs?: number;
  limits: RunLimits;
  network: NetworkConfig;
  faults: Fault[];
  noise: NoiseConfig;
  [modelKey: string]: unknown;
}

export interface Resolution {
  scenario: ResolvedScenario;
  definition: ModelDefinition;
  topology: Topology;
}

const ENVELOPE_KEYS = Object.keys(envelopeShape);

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out;
}

/** A failed option's issues that say only "not this shape" (a wrong type or value at its root). */
function isWrongShape(issues: readonly z.core.$ZodIssue[]): boolean {
  return issues.length === 1 && issues[0].path.length === 0 && (issues[0].code === 'invalid_type' || issues[0].code === 'invalid_value');
}

/**
 * For a union no option matched: the issue of the one option the input has the shape of (an
 * object given where a string or an object is accepted), at its full path; else the union's own.
 */
function meantIssue(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union' || (issue as { discriminator?: string }).discriminator !== undefined) return issue;
  const meant = issue.errors.filter((issues) => !isWrongShape(issues));
  if (meant.length !== 1 || meant[0].length === 0) return issue;
  const inner = meant[0][0];
  return meantIssue({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue);
}

function describeIssue(unionOrIssue: z.core.$ZodIssue): string {
  const issue = meantIssue(unionOrIssue);
  const where = formatPath(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${where ? where + '.' : ''}${k}"`).join(', ')}; remove ${issue.keys.length > 1 ? 'them' : 'it'} or check the spelling against the scenario format in the README`;
    case 'invalid_value':
      return `"${where}" must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      if ((issue as { discriminator?: string }).discriminator === 'kind')
        return `"${where}" must be one of the fault kinds: ${FAULT_KINDS.join(', ')}`;
      return `"${where}": ${issue.message}`;
    default:
      if (/received undefined$/.test(issue.message)) return `"${where}" is required`;
      return `"${where || '(scenario)'}": ${issue.message.replace(/^Invalid input: /, '')}`;
  }
}

function asObject(raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UserError('scenario must be a JSON object');
  return structuredClone(raw) as Record<string, unknown>;
}

interface ResolveOptions {
  /** `--set key=value` pairs in command-line order. */
  settings?: readonly string[];
  /** Overrides the scenario's seed. */
  seed?: string;
}

export function resolveScenario(
  rawInput: unknown,
  models: readonly ModelDefinition[],
  options: ResolveOptions = {},
): Resolution {
  const raw = asObject(rawInput);
  if (raw.model === undefined) raw.model = models[0].name;
  const definition = models.find((m) => m.name === raw.model);
  if (!definition)
    throw new UserError(`"model": unknown model ${JSON.stringify(raw.model)}; use one of ${models.map((m) => `"${m.name}"`).join(', ')}`);

  for (const setting of options.settings ?? []) {
    const eq = setting.indexOf('=');
    if (eq <= 0) throw new UserError(`--set ${JSON.stringify(setting)}: expected key=value, e.g. --set durationMs=10000`);
    const key = setting.slice(0, eq).trim();
    const value = parseSettingValue(setting.slice(eq + 1).trim());
    const root = key.split('.')[0];
    if (ENVELOPE_KEYS.includes(root) || Object.hasOwn(definition.shape, root)) {
      try {
        setPath(raw, key, value);
      } catch (e) {
        throw new UserError(`--set ${key}: ${(e as Error).message}`);
      }
    } else if (!definition.applySetting?.(raw, key, value)) {
      const known = [...(definition.settingKeys ?? []), ...ENVELOPE_KEYS.filter((k) => k !== '$schema')];
      throw new UserError(`--set ${key}: unknown config key "${key}"; known keys: ${known.join(', ')}`);
    }
  }
  if (options.seed !== undefined) raw.seed = options.seed;

  const schema = z.strictObject({ ...envelopeShape, ...definition.shape });
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new UserError(`invalid scenario: ${describeIssue(parsed.error.issues[0])}`);
  const scenario = parsed.data as ResolvedScenario;
  delete scenario.$schema;

  let topology: Topology;
  try {
    topology = new Topology(definition.nodes(scenario));
  } catch (e) {
    throw new UserError(`invalid scenario: ${(e as Error).message}`);
  }
  definition.validate?.(scenario, topology.names);
  checkFaultNames(scenario, topology);
  return { scenario, definition, topology };
}

function checkFaultNames(s: ResolvedScenario, topo: Topology): void {
  const node = (field: string, n: string) => {
    if (!topo.has(n)) throw new UserError(`invalid scenario: "${field}": unknown node "${n}"; nodes are ${topo.names.join(', ')}`);
  };
  const az = (field: string, a: string) => {
    if (!topo.azs.includes(a)) throw new UserError(`invalid scenario: "${field}": unknown AZ "${a}"; AZs are ${topo.azs.join(', ')}`);
  };
  s.faults.forEach((f, i) => {
    const at = `faults[${i}]`;
    if (s.durationMs !== undefined && f.atMs > s.durationMs)
      throw new UserError(`invalid scenario: "${at}.atMs" is ${f.atMs}, after durationMs ${s.durationMs}; move it earlier`);
    for (const ref of faultNameRefsOf(f)) (ref.names === 'node' ? node : az)(`${at}.${ref.path}`, ref.name);
  });
  s.noise.nodes?.forEach((n, i) => node(`noise.nodes[${i}]`, n));
  if (s.noise.stopMs !== undefined && s.noise.stopMs < s.noise.startMs)
    throw new UserError('invalid scenario: "noise.stopMs" is before "noise.startMs"');
}
