// Replays a trace: resolves the header's scenario again, runs it, and compares every event line the
// run produces with the file's next event line as it goes, so neither side is ever held whole.
// The verdict is `identical` (every line equal, the same count, and the run's hash equal to the
// footer's) or the first divergence: the event index and virtual time with the trace's line and
// the replay's line, or where one side ended early, or a hash that disagrees with the footer.
// The run stops at the first differing line: what follows a divergence says nothing new.

import type { ModelDefinition } from '../scenario/model-definition.ts';
import { resolveScenario, type Resolution } from '../scenario/resolve-scenario.ts';
import type { RunReport } from '../scenario/run-report.ts';
import { runResolved } from '../scenario/run-scenario.ts';
import { UserError } from '../scenario/user-error.ts';
import type { LineSink } from '../kernel/event-log.ts';
import { KSIM_VERSION, type TraceFooter, type TraceHeader } from './trace-format.ts';
import { TraceReader } from './trace-reader.ts';

type DivergenceKind =
  /** Both sides have an event at `index` and the lines differ. */
  | 'line'
  /** The replay produced an event at `index`; the trace had ended. */
  | 'trace-ended'
  /** The trace has an event at `index`; the replay had ended. */
  | 'replay-ended'
  /** Every line is equal but the replay's hash is not the footer's (the footer was edited, or hashing changed). */
  | 'hash';

interface Divergence {
  kind: DivergenceKind;
  /** Event index (0-based; the file line is index + 2). */
  index: number;
  /** Virtual time of the first differing event, from the trace's line (or the replay's when the trace had ended). */
  timeUs?: number;
  /** The trace's line. */
  expected?: string;
  /** The replay's line. */
  actual?: string;
  /** One-line explanation. */
  message: string;
}

export interface ReplayResult {
  tracePath: string;
  identical: boolean;
  header: TraceHeader;
  footer: TraceFooter;
  /** Event lines compared equal (all of them when identical; those before the divergence otherwise). */
  eventsMatched: number;
  divergence?: Divergence;
  /** Things worth knowing that do not decide the verdict (a different ksim version, say). */
  notes: string[];
  /** The replay's report, when it ran to the end (not when it stopped at a differing line). */
  report?: RunReport;
}

/** Thrown from the comparing sink to stop the run at the first divergence. */
class StopReplay extends Error {}

class ComparingSink implements LineSink {
  matched = 0;
  divergence?: Divergence;

  constructor(private readonly reader: TraceReader) {}

  line(index: number, actual: string): void {
    const expected = this.reader.nextEvent(false);
    if (expected === undefined) {
      this.divergence = {
        kind: 'trace-ended',
        index,
        timeUs: lineTimeUs(actual),
        actual,
        message: `the trace ends after ${index} events but the replay goes on`,
      };
      throw new StopReplay();
    }
    if (expected !== actual) {
      this.reader.checkEvent(expected); // a damaged line is a bad file (exit 2), not a divergence
      this.divergence = {
        kind: 'line',
        index,
        timeUs: lineTimeUs(expected) ?? lineTimeUs(actual),
        expected,
        actual,
        message: `event ${index} differs`,
      };
      throw new StopReplay();
    }
    this.matched++;
  }
}

/** `models` is the registry to resolve the header's scenario against (the CLI passes the product's). */
export function replayTrace(tracePath: string, models: readonly ModelDefinition[]): ReplayResult {
  const reader = TraceReader.open(tracePath);
  try {
    const { header, footer } = reader;
    const notes: string[] = [...reader.notes];
    if (header.ksimVersion !== KSIM_VERSION)
      notes.push(`the trace was written by ksim ${header.ksimVersion}; this is ksim ${KSIM_VERSION}`);
    if (String(header.scenario.seed) !== header.seed)
      notes.push(`the header's seed ${header.seed} differs from its scenario's seed ${header.scenario.seed}; the scenario's is used`);

    let resolution: Resolution;
    try {
      resolution = resolveScenario(header.scenario, models);
    } catch (e) {
      if (e instanceof UserError) throw new UserError(`${tracePath}: cannot replay: the trace's scenario does not resolve: ${e.message}`);
      throw e;
    }
    if (JSON.stringify(resolution.scenario) !== JSON.stringify(header.scenario))
      notes.push("the trace's scenario resolves differently in this ksim (changed defaults?); replaying the re-resolved scenario");

    const sink = new ComparingSink(reader);
    let report: RunReport | undefined;
    try {
      report = runResolved(resolution, { lineSink: sink });
    } catch (e) {
      if (!(e instanceof StopReplay)) throw e;
    }
    const base = { tracePath, header, footer, eventsMatched: sink.matched, notes };
    // A model that swallowed the stop signal still leaves the divergence recorded.
    if (sink.divergence) return { ...base, identical: false, divergence: sink.divergence };
    report = report!;

    const next = reader.nextEvent();
    if (next !== undefined) {
      const divergence: Divergence = {
        kind: 'replay-ended',
        index: sink.matched,
        timeUs: lineTimeUs(next),
        expected: next,
        message: `the replay ends after ${sink.matched} events but the trace has ${footer.events}`,
      };
      return { ...base, identical: false, divergence, report };
    }
    if (report.traceHash !== footer.traceHash) {
      const divergence: Divergence = {
        kind: 'hash',
        index: sink.matched,
        message: `every event line is equal (the run replays event for event) but the replay's hash ${report.traceHash} is not the footer's ${footer.traceHash}: the footer was edited, or written by a ksim that hashed the stream differently (the encoding changed within ksim 0.1.0; this trace says ${header.ksimVersion}): record it again for this ksim's hash`,
      };
      return { ...base, identical: false, divergence, report };
    }
    const summaryNote = compareVerdicts(footer, report);
    if (summaryNote) notes.push(summaryNote);
    return { ...base, identical: true, report };
  } finally {
    reader.close();
  }
}

/**
 * Why a trace of this resolution could not be replayed identically, or undefined if it can. A
 * replay resolves the header's resolved scenario again, so a model's resolution must accept its
 * own output and give it back unchanged.
 */
export function replayProblem(res: Resolution, models: readonly ModelDefinition[]): string | undefined {
  const written = JSON.stringify(res.scenario);
  try {
    const again = resolveScenario(JSON.parse(written), models);
    if (JSON.stringify(again.scenario) !== written) return `model "${res.scenario.model}" resolves its own resolved scenario to something different`;
    return undefined;
  } catch (e) {
    if (e instanceof UserError) return `model "${res.scenario.model}" rejects its own resolved scenario: ${e.message}`;
    throw e;
  }
}

function lineTimeUs(line: string): number | undefined {
  try {
    const fields: unknown = JSON.parse(line);
    return Array.isArray(fields) && typeof fields[0] === 'number' ? fields[0] : undefined;
  } catch {
    return undefined;
  }
}

/** The same events with a different verdict means the checkers changed between versions. */
function compareVerdicts(footer: TraceFooter, report: RunReport): string | undefined {
  const recorded = footer.summary.violations.map((v) => `${v.property}: ${v.message}`).join('\n');
  const replayed = report.violations.map((v) => `${v.property}: ${v.message}`).join('\n');
  if (recorded === replayed) return undefined;
  return `the events are identical but the checked properties differ: the trace recorded ${footer.summary.violations.length} violation(s), the replay found ${report.violations.length}`;
}
