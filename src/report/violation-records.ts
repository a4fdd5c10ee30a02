// The violations of a traced run with the records they name, for the timeline. A trace's footer
// keeps only each violation's property and message, so the records are recovered by replaying
// the run from the header (the checkers then give their full violations); the replay must reach
// the footer's trace hash to be trusted. Without a replay (asked for, or it did not match) they
// are read from the messages, which name the first few records of each violation. What a
// violation names, either way, is the model's to say (its timeline's violationSubjects and
// subjectsFromMessage); a model that says nothing gets violations without records.

import type { ModelDefinition } from '../scenario/model-definition.ts';
import type { ViolationSubjects } from '../scenario/model-timeline.ts';
import { resolveScenario } from '../scenario/resolve-scenario.ts';
import { runResolved } from '../scenario/run-scenario.ts';
import { UserError } from '../scenario/user-error.ts';
import type { TraceFooter, TraceHeader } from '../trace/trace-format.ts';
import type { NamedViolation } from './timeline-aggregator.ts';

interface TraceViolations {
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
  const timeline = models.find((m) => m.name === header.model)?.timeline;
  const fromMessages = (why: string): TraceViolations => ({
    violations: recorded.map((v) => ({ ...subjects(timeline?.subjectsFromMessage, v.message), property: v.property, message: v.message })),
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
    violations: report.violations.map((v) => ({ ...subjects(timeline?.violationSubjects, v), property: v.property, message: v.message })),
    note: 'records from replaying the run (identical trace hash), as the checkers named them',
  };
}

function subjects<T>(read: ((from: T) => ViolationSubjects) | undefined, from: T): ViolationSubjects {
  return read ? read(from) : { classification: null, band: null, records: [] };
}
