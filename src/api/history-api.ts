// Jepsen interop from code: a run's client history as Jepsen Kafka-workload EDN, and a Jepsen (or
// Maelstrom kafka-workload) history.edn checked by ksim's history checkers under the verdict rule
// (the engine of `ksim history` and `ksim check-history`).

import { runWithClientHistory } from '../../models/kafka/analysis/client-history-observer.ts';
import { checkHistory as checkClientHistory, type HistoryCheck, type HistoryCheckOptions } from '../../models/kafka/analysis/history-check.ts';
import { formatJepsenHistory, parseJepsenHistory } from '../../models/kafka/analysis/jepsen-history-edn.ts';
import { describeVerdict, judgeRun, parseFailOn, type VerdictClass } from '../scenario/verdict.ts';
import type { RunOptions } from './run-api.ts';
import { resolve, type ScenarioInput } from './scenario-input.ts';

/**
 * Runs a Kafka scenario and returns its client history as history.edn text (invocations, time
 * order, integer processes, :time in ns), with Jepsen's final polls of the committed logs unless
 * `finalPolls` is false.
 * @throws UserError for an invalid scenario or one of another model.
 */
export function exportHistory(scenario: ScenarioInput, options: Pick<RunOptions, 'seed' | 'settings'> & { finalPolls?: boolean } = {}): string {
  return formatJepsenHistory(runWithClientHistory(resolve(scenario, options), { finalPolls: options.finalPolls }).ops);
}

export interface HistoryVerdict extends Omit<HistoryCheck, 'anomalies'> {
  failed: boolean;
  /** The verdict in one line, as `ksim check-history` prints it. */
  line: string;
  /** Jepsen's anomaly types found (allowed ones included), sorted. */
  types: string[];
}

/**
 * Checks a history.edn text (Jepsen's Kafka workload format).
 * @throws UserError for text that is not such a history (one line naming the op).
 */
export function checkHistory(edn: string, options: Omit<HistoryCheckOptions, 'opName'> & { failOn?: readonly VerdictClass[] } = {}): HistoryVerdict {
  const { ops, ednIndex } = parseJepsenHistory(edn);
  const { anomalies, ...check } = checkClientHistory(ops, { subscribe: options.subscribe, wwDeps: options.wwDeps, opName: (op) => `op@${ednIndex.get(op) ?? op.index}` });
  const verdict = judgeRun(check.violations, options.failOn ?? parseFailOn(undefined));
  return { ...check, failed: verdict.failed, line: describeVerdict(verdict), types: [...new Set(anomalies.map((a) => a.type))].sort() };
}
