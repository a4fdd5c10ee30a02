// The violations of a traced run with the records they name, for the timeline. A trace's footer
// keeps only each violation's property and message, so the records are recovered by replaying
// the run from the header (the checkers then give their full violations: `records` ids with
// `ackOffsets` or `offsets`); the replay must reach the footer's trace hash to be trusted. Without
// a replay (asked for, or it did not match) the record names are read from the messages
// ("r500@500"), which name the first few records of each violation.

import type { ModelDefinition } from '../scenario/model-definition.ts';
import { resolveScenario } from '../scenario/resolve-scenario.ts';
import { runResolved } from '../scenario/run-scenario.ts';
import { UserError } from '../scenario/user-error.ts';
import type { Violation } from '../sim/model.ts';
import type { TraceFooter, TraceHeader } from '../trace/trace-format.ts';
import type { NamedViolation } from './timeline-aggregator.ts';

export interface TraceViolations {
  violations: NamedViolation[];
  note: string;
}

export function violationsOfTrace(
  header: TraceHeader,
  footer: TraceFooter,
  models: readonly ModelDefinition[],
  options: { replay: boolean },
): TraceViolations {
  const recorded = footer.summary.violations;
  if (recorded.length === 0) return { violations: [], note: 'the run violated no checked property' };
  const fromMessages = (why: string): TraceViolations => ({
    violations: recorded.map((v) => ({ ...fromMessage(v.message), property: v.property, message: v.message })),
    note: `records read from the violation messages (${why}); a message names only the first few records`,
  });
  if (!options.replay) return fromMessages('replay not asked for');
  let report;
  try {
    report = runResolved(resolveScenario(header.scenario, models));
  } catch (e) {
    if (e instanceof UserError) return fromMessages(`the trace's scenario does not resolve in this ksim: ${e.message}`);
    throw e;
  }
  if (report.traceHash !== footer.traceHash)
    return fromMessages(`the replay's hash ${report.traceHash} is not the trace's ${footer.traceHash}: another ksim version?`);
  return {
    violations: report.violations.map(fromViolation),
    note: 'records from replaying the run (identical trace hash), as the checkers named them',
  };
}

function fromViolation(v: Violation): NamedViolation {
  const ids = Array.isArray(v.records) ? v.records.filter((r): r is number => typeof r === 'number') : [];
  const offsets = Array.isArray(v.ackOffsets) ? v.ackOffsets : Array.isArray(v.offsets) ? v.offsets : [];
  return {
    property: v.property,
    message: v.message,
    classification: typeof v.classification === 'string' ? v.classification : null,
    partition: typeof v.partition === 'string' ? v.partition : null,
    records: ids.map((record, i) => ({ record, offset: typeof offsets[i] === 'number' ? (offsets[i] as number) : null })),
  };
}

/** Classification, partition and records as the checkers' messages state them. */
function fromMessage(message: string): Omit<NamedViolation, 'property' | 'message'> {
  const classification = /^(breach|permitted)\b/.exec(message)?.[1] ?? null;
  const partition = /\b(?:of|in) ([A-Za-z0-9._]+-\d+)\b/.exec(message)?.[1] ?? null;
  const records: { record: number; offset: number | null }[] = [];
  const seen = new Set<number>();
  for (const m of message.matchAll(/\br(\d+)(?:@(\d+))?\b/g)) {
    const record = Number(m[1]);
    if (seen.has(record)) continue;
    seen.add(record);
    records.push({ record, offset: m[2] === undefined ? null : Number(m[2]) });
  }
  return { classification, partition, records };
}
