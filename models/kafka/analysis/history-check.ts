// Checks a client history on its own (`ksim check-history`, the API's checkHistory): the anomalies
// of history-anomalies.ts become violations, one per anomaly type and key, judged by the one
// verdict rule (src/scenario/verdict.ts). A history carries no configuration, version or fault
// record to permit an anomaly, so every violation is a breach, except what Jepsen's checker allows
// (allowed-error-types): int-send-skip always (transactional sends interleave), G0 and G0-realtime
// always (Kafka does not isolate writes), with :ww-deps also G1c and G1c-realtime (write-write edges
// make them normal), and poll-skip and nonmonotonic-poll when consumers subscribed (a rebalance
// between polls moves a consumer; Jepsen's `:sub-via #{:subscribe}`), which are listed as allowed
// and never fail a run. An empty-transaction-graph (nothing depends on anything: no cycle could be
// looked for) fails a history, as it fails Jepsen's checker.

import type { Violation } from '../../../src/sim/model.ts';
import type { OpHistory } from './client-history.ts';
import {
  historyAnomalies,
  HISTORY_TYPES_ALLOWED,
  HISTORY_TYPES_ALLOWED_WITH_WW_DEPS,
  type HistoryAnomaly,
  type HistoryAnomalyType,
  type OpName,
} from './history-anomalies.ts';

/** Explanations named in one violation's message. */
const EXPLAINED_MAX = 3;

export interface HistoryCheckOptions {
  /** Consumers used subscribe (Jepsen's :sub-via :subscribe): poll-skip and nonmonotonic-poll are allowed. */
  subscribe?: boolean;
  /** Jepsen's :ww-deps: write-write dependencies from offsets; G1c cycles through them are allowed. */
  wwDeps?: boolean;
  /** How to name an op in explanations (default op@position). */
  opName?: OpName;
}

export interface HistoryCheck {
  /** Client ops checked. */
  ops: number;
  /** Every anomaly found, allowed ones included. */
  anomalies: HistoryAnomaly[];
  /** One per type and key of the anomalies that are not allowed: classification breach. */
  violations: Violation[];
  /** Anomaly counts per allowed type found. */
  allowed: Partial<Record<HistoryAnomalyType, number>>;
}

export function checkHistory(history: OpHistory, options: HistoryCheckOptions = {}): HistoryCheck {
  const allowedTypes = new Set<HistoryAnomalyType>(HISTORY_TYPES_ALLOWED);
  if (options.subscribe) ['poll-skip', 'nonmonotonic-poll'].forEach((t) => allowedTypes.add(t as HistoryAnomalyType));
  if (options.wwDeps) HISTORY_TYPES_ALLOWED_WITH_WW_DEPS.forEach((t) => allowedTypes.add(t));
  const anomalies = historyAnomalies(history, options.opName, { wwDeps: options.wwDeps });
  const groups = new Map<string, HistoryAnomaly[]>();
  const allowed: Partial<Record<HistoryAnomalyType, number>> = {};
  for (const a of anomalies) {
    if (allowedTypes.has(a.type)) {
      allowed[a.type] = (allowed[a.type] ?? 0) + 1;
      continue;
    }
    const id = `${a.type}\u0000${a.key}`;
    const list = groups.get(id);
    if (list) list.push(a);
    else groups.set(id, [a]);
  }
  const violations = [...groups.values()].map((list): Violation => {
    const { type, key } = list[0];
    const named = list.slice(0, EXPLAINED_MAX).map((a) => a.explanation);
    const more = list.length > named.length ? `; and ${list.length - named.length} more` : '';
    return {
      property: type,
      // One anomaly (Jepsen's unseen is one per key, over many values) speaks for itself.
      message: `${list.length === 1 ? '' : `${list.length} `}${type}${key ? ` in ${key}` : ''}: ${named.join('; ')}${more}`,
      ...(key ? { partition: key } : {}),
      classification: 'breach',
      values: list.flatMap((a) => a.values),
    };
  });
  return { ops: history.length, anomalies, violations, allowed };
}
