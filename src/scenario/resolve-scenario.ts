// Turns user input (a scenario object, `--set` overrides, a seed) into a fully resolved scenario:
// validated, with every default filled in, node and AZ names checked against the topology, every
// size within its bound and the run's projected memory within `limits.memoryMb`. Every problem
// becomes a one-line UserError naming the field and what would fix it.

import { z } from 'zod';
import { FAULT_KINDS, faultNameRefsOf, type Fault } from '../faults/fault.ts';
import { isRoleRef } from '../faults/fault-roles.ts';
import type { NoiseConfig } from '../faults/noise-config.ts';
import type { NetworkConfig } from '../net/network-config.ts';
import { Topology } from '../net/topology.ts';
import type { RunLimits } from '../kernel/run-limits.ts';
import { envelopeShape } from './scenario-schema.ts';
import { checkJsonDepth, checkNodeSpecs, NOISE_FAULTS_MAX } from './scenario-bounds.ts';
import type { ModelDefinition, Setting } from './model-definition.ts';
import { parseSettingValue, setPath } from './set-path.ts';
import { didYouMeanOneOf } from './closest-name.ts';
import { fieldNamesAt } from './schema-keys.ts';
import { UserError } from './user-error.ts';

/** The kernel's limits, and the memory a run may need (checked before it starts). */
type ScenarioLimits = RunLimits & { memoryMb: number };

export interface ResolvedScenario {
  name: string;
  description?: string;
  model: string;
  seed: string;
  durationMs?: number;
  limits: ScenarioLimits;
  network: NetworkConfig;
  faults: Fault[];
  noise: NoiseConfig;
  [modelKey: string]: unknown;
}

export interface Resolution {
  scenario: ResolvedScenario;
  definition: ModelDefinition;
  topology: Topology;
  /** The `--set` pairs applied, in command-line order (for where each value came from). */
  settings: readonly Setting[];
  /** What the model chose on the user's behalf (ModelDefinition.complete), one line each: "metadataMode \"zookeeper\", chosen by ...". */
  notes: readonly string[];
}

const ENVELOPE_KEYS = Object.keys(envelopeShape);

/** Where a user finds every key, for an error about an unknown one. */
const EVERY_KEY = `the README's "Scenario format" lists every field and config key`;

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

/** The `kind` given at a kind union's path (the entry's, or the `kind` field's itself). */
function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = raw;
  for (const key of path) v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return typeof v === 'object' && v !== null ? (v as { kind?: unknown }).kind : v;
}

function describeIssue(unionOrIssue: z.core.$ZodIssue, raw: unknown): string {
  const issue = meantIssue(unionOrIssue);
  const where = formatPath(issue.path);
  switch (issue.code) {
    case 'invalid_value':
      // a schema's own message (a value near a valid one: kafkaVersion "3.3.1") says what to use
      if (!/^Invalid option/.test(issue.message)) return `"${where}": ${issue.message}`;
      return `"${where}" must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union': {
      if ((issue as { discriminator?: string }).discriminator === 'kind') {
        // The union's own kinds (zod lists them): fault kinds under faults, operation kinds under operations.
        const options = (issue as { options?: unknown[] }).options?.map(String) ?? FAULT_KINDS;
        const what = options.every((o) => (FAULT_KINDS as readonly string[]).includes(o)) ? 'the fault kinds' : `the ${String(issue.path[0] ?? '').replace(/s$/, '')} kinds`;
        const given = valueAt(raw, issue.path);
        return `"${where}" must be one of ${what}${typeof given === 'string' ? didYouMeanOneOf(given, options) : ''}: ${options.join(', ')}`;
      }
      // A union that states its own forms says them all (no branch had the value's shape).
      if (!/^Invalid input/.test(issue.message)) return `"${where}": ${issue.message}`;
      // The branch the value was meant for: the first one whose type it has.
      const meant = issue.errors.find((branch) => branch.length > 0 && !isWrongType(branch[0]));
      if (meant) return describeIssue({ ...meant[0], path: [...issue.path, ...meant[0].path] } as z.core.$ZodIssue, raw);
      return wrongTypeOfUnion(issue, where, raw) ?? `"${where}": ${issue.message}`;
    }
    case 'too_big':
      // zod's int() refuses integers beyond 2^53 before any bound of the field is checked.
      if (issue.origin === 'int' && issue.maximum === Number.MAX_SAFE_INTEGER && /^Too big/.test(issue.message))
        return `"${where}": at most ${Number.MAX_SAFE_INTEGER} (2^53 - 1): a larger JSON number is not exact`;
      return numericBound(issue, where, raw) ?? `"${where || '(scenario)'}": ${issue.message.replace(/^Invalid input: /, '')}`;
    case 'too_small':
      return numericBound(issue, where, raw) ?? `"${where || '(scenario)'}": ${issue.message.replace(/^Invalid input: /, '')}`;
    case 'invalid_type':
      if (issue.expected === 'int' && /^Invalid input/.test(issue.message)) return `"${where}" must be a whole number`;
      if (/received undefined$/.test(issue.message)) return `"${where}" is required`;
      return `"${where || '(scenario)'}": ${issue.message.replace(/^Invalid input: /, '')}${typeFix(issue.expected, valueAt(raw, issue.path))}`;
    default:
      if (/received undefined$/.test(issue.message)) return `"${where}" is required`;
      return `"${where || '(scenario)'}": ${issue.message.replace(/^Invalid input: /, '')}`;
  }
}

/** A value of none of a union's JSON types: `"seed": expected string or number, received boolean; give a JSON string`. */
function wrongTypeOfUnion(issue: z.core.$ZodIssueInvalidUnion, where: string, raw: unknown): string | undefined {
  const expected = [...new Set(issue.errors.flatMap((branch) => (branch.length > 0 && isWrongType(branch[0]) ? [(branch[0] as z.core.$ZodIssueInvalidType).expected] : [])))];
  if (expected.length === 0) return undefined;
  const given = valueAt(raw, issue.path);
  if (given === undefined) return `"${where}" is required: give a JSON ${expected.join(' or ')}`;
  const received = given === null ? 'null' : Array.isArray(given) ? 'array' : typeof given;
  const fixes = expected.map((e) => typeFix(e, given));
  return `"${where}": expected ${expected.join(' or ')}, received ${received}${fixes.find((f) => f.startsWith('; write')) ?? fixes[0]}`;
}

/**
 * The fix for a value of the wrong JSON type: `; write 3, not "3"` for a number or boolean quoted as a
 * string, else `; give a JSON number` (the expected type). Empty for types that are not JSON's own.
 */
function typeFix(expected: string, given: unknown): string {
  // A --set value that was meant as JSON but does not parse arrives as a string: say why it failed.
  if (typeof given === 'string' && (expected === 'array' || expected === 'object') && /^\s*[[{]/.test(given)) {
    try {
      JSON.parse(given);
    } catch (e) {
      return `; the value is not valid JSON (${(e as Error).message}): check its brackets, commas and quotes`;
    }
  }
  if (typeof given === 'string' && given.trim() !== '') {
    const unquoted = expected === 'number' && Number.isFinite(Number(given)) ? Number(given) : expected === 'boolean' && (given === 'true' || given === 'false') ? given : undefined;
    if (unquoted !== undefined) return `; write ${String(unquoted)}, not ${JSON.stringify(given)} (no quotes)`;
  }
  return ['string', 'number', 'boolean', 'object', 'array'].includes(expected) ? `; give a JSON ${expected}` : '';
}

/** A number out of its field's range, with the value given and the range to give: `"durationMs" must be at least 0 (got -5)`. */
function numericBound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, where: string, raw: unknown): string | null {
  const small = issue.code === 'too_small';
  const bound = small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum;
  // A field's own message (its reason, e.g. cluster.brokers' bound) stays; zod's default says no fix.
  if ((issue.origin !== 'number' && issue.origin !== 'int') || !/^Too (small|big)/.test(issue.message)) return null;
  const inclusive = issue.inclusive !== false;
  const given = valueAt(raw, issue.path);
  const range = small ? (inclusive ? 'at least' : 'more than') : inclusive ? 'at most' : 'less than';
  return `"${where}" must be ${range} ${String(bound)}${typeof given === 'number' ? ` (got ${given})` : ''}; give a value ${small ? (inclusive ? '>=' : '>') : inclusive ? '<=' : '<'} ${String(bound)}`;
}

/**
 * Every unknown field the issues name, outer fields first (then in the order zod found them), each
 * with the fields of its object it is closest to: `unknown fields "durationMss" (did you mean
 * "durationMs"?), "cluster.brokerz" (did you mean "brokers"?); remove them or ...`. Undefined when none.
 */
function describeUnknownFields(issues: readonly z.core.$ZodIssue[], schema: z.ZodType, settingKeys: readonly string[]): string | undefined {
  const unknown = issues.map(meantIssue).filter((i): i is z.core.$ZodIssueUnrecognizedKeys => i.code === 'unrecognized_keys');
  if (unknown.length === 0) return undefined;
  const byDepth = unknown.map((issue, order) => ({ issue, order })).sort((a, b) => a.issue.path.length - b.issue.path.length || a.order - b.order);
  const fields = byDepth.flatMap(({ issue }) => {
    const known = fieldNamesAt(schema, issue.path).filter((k) => k !== '$schema');
    // A config key written beside its object's `config` (producers[0].acks) belongs inside it.
    const inConfig = (k: string) => known.includes('config') && settingKeys.includes(k);
    return issue.keys.map((k) =>
      inConfig(k) ? `"${formatPath([...issue.path, k])}" (a config key: move it into "${formatPath([...issue.path, 'config'])}")` : `"${formatPath([...issue.path, k])}"${didYouMeanOneOf(k, known)}`,
    );
  });
  const many = fields.length > 1;
  return `unknown field${many ? 's' : ''} ${fields.join(', ')}; remove ${many ? 'them' : 'it'} or check the spelling: ${EVERY_KEY}`;
}

/** An issue that says the value is of another JSON type altogether (a string where a number goes). */
function isWrongType(issue: z.core.$ZodIssue): boolean {
  return issue.code === 'invalid_type' && issue.path.length === 0 && ['string', 'number', 'boolean', 'object', 'array', 'null'].includes(issue.expected);
}

function asObject(raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UserError('scenario must be a JSON object');
  checkJsonDepth(raw, 'the scenario');
  return structuredClone(raw) as Record<string, unknown>;
}

/** Each model's whole scenario schema, built once: zod compiles a schema on its first use. */
const SCHEMAS = new WeakMap<ModelDefinition, z.ZodType>();

function scenarioSchemaOf(definition: ModelDefinition): z.ZodType {
  let schema = SCHEMAS.get(definition);
  if (!schema) {
    schema = z.strictObject({ ...envelopeShape, ...definition.shape });
    SCHEMAS.set(definition, schema);
  }
  return schema;
}

/** Keys `--set` may not write: they reach the object prototype, not a scenario field. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** `key=value` split and parsed; the key checked for empty and prototype parts. */
function parseSetting(setting: string): Setting {
  const eq = setting.indexOf('=');
  if (eq <= 0) throw new UserError(`--set ${JSON.stringify(setting)}: expected key=value, e.g. --set durationMs=10000`);
  const key = setting.slice(0, eq).trim();
  const parts = key.split('.');
  if (parts.some((p) => p === '')) throw new UserError(`--set ${key}: a key has no empty parts; write it as a.b.c`);
  const bad = parts.find((p) => PROTOTYPE_KEYS.has(p));
  if (bad !== undefined) throw new UserError(`--set ${key}: "${bad}" is not a scenario field or config key`);
  const text = setting.slice(eq + 1).trim();
  const value = parseSettingValue(text);
  // JSON.parse reads 1e999 as Infinity, which no field takes and which would print as null.
  if (typeof value === 'number' && !Number.isFinite(value)) throw new UserError(`--set ${key}: ${text} is beyond any finite number; give a value in the field's range`);
  checkJsonDepth(value, `--set ${key}`);
  return { key, value, text };
}

/** Applies `--set` pairs (except `model`, applied first) to the raw scenario. */
function applySettings(raw: Record<string, unknown>, definition: ModelDefinition, settings: readonly Setting[]): void {
  for (const setting of settings) {
    const key = setting.key;
    const value = setting.text !== undefined && definition.textSettings?.includes(key) ? setting.text : setting.value;
    if (key === 'model') continue;
    if (definition.applyAddressedSetting?.(raw, key, value)) continue;
    const root = key.split('.')[0];
    if (ENVELOPE_KEYS.includes(root) || Object.hasOwn(definition.shape, root)) {
      try {
        setPath(raw, key, value);
      } catch (e) {
        throw new UserError(`--set ${key}: ${(e as Error).message}`);
      }
    } else if (!definition.applySetting?.(raw, key, value)) {
      const known = [...new Set([...ENVELOPE_KEYS.filter((k) => k !== '$schema'), ...Object.keys(definition.shape), ...(definition.settingKeys ?? [])])];
      throw new UserError(`--set ${key}: unknown config key "${key}"${didYouMeanOneOf(key, known)}; ${EVERY_KEY}`);
    }
  }
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
  const settings = (options.settings ?? []).map(parseSetting);
  try {
    return resolveWith(rawInput, models, settings, options.seed);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    const direct = blameSetting(e, settings);
    throw direct === e ? blameFlags(e, rawInput, models, settings, options.seed) : direct;
  }
}

function resolveWith(rawInput: unknown, models: readonly ModelDefinition[], settings: readonly Setting[], seed: string | undefined): Resolution {
  const raw = asObject(rawInput);
  // The model decides which keys exist, so `--set model=...` is applied before anything else.
  for (const { key, value } of settings) if (key === 'model') raw.model = value;
  if (raw.model === undefined) raw.model = models[0].name;
  const definition = models.find((m) => m.name === raw.model);
  if (!definition)
    throw new UserError(`"model": unknown model ${JSON.stringify(raw.model)}; use one of ${models.map((m) => `"${m.name}"`).join(', ')}`);
  applySettings(raw, definition, settings);
  if (seed !== undefined) raw.seed = seed;
  return resolveApplied(raw, definition, settings);
}

/**
 * An error in a field no flag wrote, on a scenario that is valid without the flags, is still the
 * flags' fault (`--set cluster.brokers=2` leaves a replication factor of 3 too large): the error
 * names the one flag that alone causes it (`--set cluster.brokers=2: "topics[0]...`), or every flag
 * when none does alone. An error the scenario has without flags is its own and passes unchanged.
 */
function blameFlags(e: UserError, rawInput: unknown, models: readonly ModelDefinition[], settings: readonly Setting[], seed: string | undefined): UserError {
  if ((settings.length === 0 && seed === undefined) || /^--(set|seed) /.test(e.message)) return e;
  const failsWith = (only: readonly Setting[], onlySeed: string | undefined): UserError | null => {
    try {
      resolveWith(rawInput, models, only, onlySeed);
      return null;
    } catch (again) {
      if (again instanceof UserError) return again;
      throw again;
    }
  };
  if (failsWith([], undefined) !== null) return e;
  const text = (s: Setting) => `--set ${s.key}=${s.text ?? JSON.stringify(s.value)}`;
  const seedFlag = seed === undefined ? [] : [{ flag: `--seed ${JSON.stringify(seed)}`, alone: () => failsWith([], seed) }];
  const flags = [...settings.map((s) => ({ flag: text(s), alone: () => failsWith([s], undefined) })), ...seedFlag];
  const culprit = flags.find((f) => f.alone()?.message === e.message);
  const problem = e.message.replace(/^invalid scenario: /, '');
  return new UserError(`${culprit?.flag ?? flags.map((f) => f.flag).join(' ')}: ${problem}`);
}

/** The scenario with every `--set` applied, validated and completed (resolveScenario's second half). */
function resolveApplied(raw: Record<string, unknown>, definition: ModelDefinition, settings: readonly Setting[]): Resolution {
  const schema = scenarioSchemaOf(definition);
  const parsed = schema.safeParse(raw);
  // A misspelt key also leaves the intended one missing: naming the unknown keys says what to fix.
  if (!parsed.success) throw new UserError(`invalid scenario: ${describeUnknownFields(parsed.error.issues, schema, definition.settingKeys ?? []) ?? describeIssue(parsed.error.issues[0], raw)}`);
  const scenario = parsed.data as ResolvedScenario;
  delete scenario.$schema;
  const notes = definition.complete?.(scenario) ?? [];

  if (scenario.model !== definition.name) throw new Error(`scenario of model "${scenario.model}" resolved by model "${definition.name}"`);

  let topology: Topology;
  try {
    const nodes = definition.nodes(scenario);
    checkNodeSpecs(nodes);
    topology = new Topology(nodes);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`invalid scenario: ${(e as Error).message}`);
  }
  definition.validate?.(scenario, topology.names);
  checkDurationCutsFaults(scenario, settings);
  checkFaultNames(scenario, topology, definition.faultRoles?.(scenario) ?? []);
  checkRunLength(scenario);
  checkMemory(scenario, definition);
  return { scenario, definition, topology, settings, notes };
}

/**
 * An invalid field that a `--set` wrote is the flag's fault, not the scenario file's: the error
 * names the flag first (the last one that wrote the field: a scenario field by its path, a config
 * key cluster-wide or addressed to one item), then the field and the problem as the scenario's
 * own error would (`--set acks=7: "config.acks": acks must be ...`). Other errors pass unchanged.
 */
function blameSetting(e: UserError, settings: readonly Setting[]): UserError {
  const m = /^invalid scenario: "([^"]+)":? /.exec(e.message);
  if (m === null) return e;
  const field = m[1];
  const at = field.lastIndexOf('config.');
  const configKey = at === 0 || (at > 0 && field[at - 1] === '.') ? field.slice(at + 'config.'.length) : undefined;
  // a field of a list item (topics[0].replication.factor) as an addressed flag names it (topics.orders.replication.factor)
  // (the flag's first part names the list, or its last word: groups for consumerGroups; not
  // default.replication.factor, a cluster-wide key that merely ends the same way).
  const item = /^([A-Za-z]+)\[\d+\]\.(.+)$/.exec(field);
  const itemField = item?.[2];
  const namesList = (first: string) => item !== null && (first === item[1] || item[1].toLowerCase().endsWith(first.toLowerCase()));
  const addressed = (s: Setting) => itemField !== undefined && s.key.split('.').length > 2 && namesList(s.key.split('.')[0]) && s.key.endsWith(`.${itemField}`);
  const wrote = (s: Setting) => s.key === field || field.startsWith(`${s.key}.`) || field.startsWith(`${s.key}[`) || addressed(s);
  const writer = [...settings].reverse().find((s) => wrote(s) || (configKey !== undefined && (s.key === configKey || s.key.endsWith(`.${configKey}`))));
  if (writer === undefined) return e;
  return new UserError(`--set ${writer.key}=${writer.text ?? JSON.stringify(writer.value)}: ${e.message.slice('invalid scenario: '.length)}`);
}

/** The run fits its own limits: a duration within virtualMsMax, background noise of bounded size. */
function checkRunLength(s: ResolvedScenario): void {
  if (s.durationMs !== undefined && s.durationMs > s.limits.virtualMsMax)
    throw new UserError(
      `invalid scenario: "durationMs" is ${s.durationMs}, more than limits.virtualMsMax ${s.limits.virtualMsMax}; shorten it or raise limits.virtualMsMax`,
    );
  const noise = s.noise;
  if (noise.intervalMsMean > 0) {
    const windowMs = Math.max(0, (noise.stopMs ?? s.durationMs ?? s.limits.virtualMsMax) - noise.startMs);
    const faults = windowMs / noise.intervalMsMean;
    if (faults > NOISE_FAULTS_MAX)
      throw new UserError(
        `invalid scenario: "noise.intervalMsMean" ${noise.intervalMsMean} over a ${windowMs} ms window draws about ${Math.round(faults)} faults, more than the ${NOISE_FAULTS_MAX} ksim allows; raise it or narrow the window`,
      );
  }
}

const BYTES_PER_MB = 1024 * 1024;

/** Refuses a run projected to need more memory than limits.memoryMb, before it starts. */
function checkMemory(s: ResolvedScenario, definition: ModelDefinition): void {
  const projection = definition.projectMemory?.(s, s.durationMs ?? s.limits.virtualMsMax);
  if (!projection || projection.bytes <= s.limits.memoryMb * BYTES_PER_MB) return;
  const mb = Math.ceil(projection.bytes / BYTES_PER_MB);
  throw new UserError(
    `invalid scenario: "limits.memoryMb": the run would need about ${mb.toLocaleString('en-US')} MiB (${projection.detail}), more than limits.memoryMb=${s.limits.memoryMb}; lower ${projection.fix}, or raise limits.memoryMb if the machine has the memory`,
  );
}

/**
 * A `--set durationMs` shorter than the scenario's own fault schedule (a preset's AZ outage at 8 s
 * under --set durationMs=5000): says which flags run it, since moving the faults would change
 * what the scenario means (an outage shorter than the session timeout is another experiment).
 */
function checkDurationCutsFaults(s: ResolvedScenario, settings: readonly Setting[]): void {
  if (!settings.some((x) => x.key === 'durationMs') || s.durationMs === undefined || settings.some((x) => x.key === 'faults')) return;
  const late = s.faults.filter((f) => f.atMs > s.durationMs!);
  if (late.length === 0) return;
  const lastAtMs = Math.max(...s.faults.map((f) => f.atMs));
  const overMs = Math.max(...s.faults.map((f) => f.atMs + ('durationMs' in f && typeof f.durationMs === 'number' ? f.durationMs : 0)));
  throw new UserError(
    `--set durationMs=${s.durationMs} ends the run before ${late.length} of the scenario's ${s.faults.length} faults (the last starts at ${lastAtMs} ms, all are over at ${overMs} ms); use --set durationMs=${overMs} or more, or add --set faults=[] to run without them`,
  );
}

function checkFaultNames(s: ResolvedScenario, topo: Topology, roles: readonly string[]): void {
  const node = (field: string, n: string) => {
    if (isRoleRef(n)) {
      if (roles.includes(n)) return;
      const known = roles.length === 0 ? 'this model names no roles' : `roles are ${roles.join(', ')}`;
      throw new UserError(`invalid scenario: "${field}": unknown role "${n}"; ${known}`);
    }
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
    const link = f as { from?: unknown; to?: unknown };
    if (typeof link.from === 'string' && link.from === link.to)
      throw new UserError(`invalid scenario: "${at}.to" is "${link.to}", the same node as "from"; a ${f.kind} needs a link between two nodes`);
  });
  s.noise.nodes?.forEach((n, i) => node(`noise.nodes[${i}]`, n));
  if (s.noise.stopMs !== undefined && s.noise.stopMs < s.noise.startMs)
    throw new UserError('invalid scenario: "noise.stopMs" is before "noise.startMs"');
}
