// The trace file format (JSON Lines), version 2. A trace is everything needed to replay a run and
// to check that the replay is the same run:
//
//   line 1      header: {"format":"ksim-trace","formatVersion":2,"ksimVersion":..,"seed":..,
//               "model":..,"scenario":<resolved, every default filled in>,"faults":[..],"nodes":[..],
//               "settings":[--set pairs],"configSources":{scope:{key:{value,source}}},"check":..}
//   lines 2..   one event per line, exactly as EventLog renders it (see src/kernel/event-log.ts),
//               with its check as a last array element
//   last line   footer: {"footer":true,"traceHash":..,"events":<event lines>,"summary":{..},"check":..}
//   and nothing after the footer's newline.
//
// Every line's check chains it to the lines before (line-seal.ts), so damage is found at its line
// and told apart from a replay that diverges. Version 1 (no checks) is still read, with a note.
//
// Nothing in a trace comes from the wall clock or the machine, so the same scenario and seed give
// the same file, byte for byte. The header's `scenario` alone is enough to replay; `faults` and
// `nodes` repeat parts of it so a reader can see the run's shape without knowing the model.

import { z } from 'zod';
import packageJson from '../../package.json' with { type: 'json' };
import type { Resolution, ResolvedScenario } from '../scenario/resolve-scenario.ts';
import type { ConfigSources } from '../scenario/model-definition.ts';
import type { RunReport } from '../scenario/run-report.ts';
import type { NodeSpec } from '../net/topology.ts';
import type { Fault } from '../faults/fault.ts';
import { NODES_MAX } from '../scenario/scenario-bounds.ts';

export const TRACE_FORMAT = 'ksim-trace';
export const TRACE_FORMAT_VERSION = 2;
/** The first version with line checks; older traces are read without them. */
export const SEALED_FORMAT_VERSION = 2;
export const KSIM_VERSION: string = packageJson.version;

export interface TraceHeader {
  format: typeof TRACE_FORMAT;
  formatVersion: number;
  ksimVersion: string;
  seed: string;
  model: string;
  scenario: ResolvedScenario;
  faults: Fault[];
  nodes: NodeSpec[];
  /** The `--set` pairs the run was resolved with (already applied to `scenario`). */
  settings?: string[];
  /** Where each config value that is not the plain default came from (ModelDefinition.configSources). */
  configSources?: ConfigSources;
}

interface TraceSummary {
  virtualMs: number;
  /** Kernel events dispatched (more than the event lines: some events log nothing). */
  events: number;
  violations: { property: string; message: string }[];
  stats: RunReport['stats'];
}

export interface TraceFooter {
  footer: true;
  traceHash: string;
  /** Event lines between header and footer. */
  events: number;
  summary: TraceSummary;
}

/** Field order here is the order in the file. */
export function buildTraceHeader(res: Resolution): TraceHeader {
  return {
    format: TRACE_FORMAT,
    formatVersion: TRACE_FORMAT_VERSION,
    ksimVersion: KSIM_VERSION,
    seed: res.scenario.seed,
    model: res.scenario.model,
    scenario: res.scenario,
    faults: res.scenario.faults,
    nodes: res.topology.nodes.map((n) => ({ name: n.name, az: n.az })),
    ...(res.settings.length > 0 ? { settings: res.settings.map((s) => `${s.key}=${JSON.stringify(s.value)}`) } : {}),
    ...(res.definition.configSources ? { configSources: stated(res.definition.configSources(res.scenario, res.settings)) } : {}),
  };
}

/** The entries of a config-source table that are not the plain default (a header stays small). */
function stated(sources: ConfigSources): ConfigSources {
  const out: ConfigSources = {};
  for (const [scope, keys] of Object.entries(sources)) {
    const kept = Object.fromEntries(Object.entries(keys).filter(([, v]) => v.source !== 'default'));
    if (Object.keys(kept).length > 0) out[scope] = kept;
  }
  return out;
}

function buildTraceSummary(report: RunReport): TraceSummary {
  return {
    virtualMs: report.virtualMs,
    events: report.events,
    // Violation details are model-specific and may not survive JSON; the verdict is what a reader needs.
    violations: report.violations.map((v) => ({ property: v.property, message: v.message })),
    stats: report.stats,
  };
}

export function buildTraceFooter(report: RunReport): TraceFooter {
  return { footer: true, traceHash: report.traceHash, events: report.loggedEvents, summary: buildTraceSummary(report) };
}

/** Checked after format and formatVersion, so a newer or foreign file gets its own message. */
export const traceHeaderSchema = z.object({
  format: z.literal(TRACE_FORMAT),
  formatVersion: z.number().int().positive(),
  ksimVersion: z.string(),
  seed: z.string(),
  model: z.string(),
  scenario: z.record(z.string(), z.unknown()),
  faults: z.array(z.unknown()),
  nodes: z.array(z.object({ name: z.string(), az: z.string() })).max(NODES_MAX),
  settings: z.array(z.string()).optional(),
  configSources: z.record(z.string(), z.unknown()).optional(),
});

export const traceFooterSchema = z.object({
  footer: z.literal(true),
  traceHash: z.string(),
  events: z.number().int().min(0),
  summary: z.object({
    virtualMs: z.number(),
    events: z.number(),
    violations: z.array(z.object({ property: z.string(), message: z.string() })),
    stats: z.unknown(),
  }),
});
