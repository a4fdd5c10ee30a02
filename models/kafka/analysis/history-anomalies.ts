// Every anomaly ksim finds in a Kafka client history alone (an imported Jepsen or Maelstrom
// history.edn, or a ksim run's exported history), under Jepsen's names (jepsen.tests.kafka
// `analysis`), each one explained in a sentence. This is what `ksim check-history` reports and what
// the conformance test compares with Jepsen's own tests.
//
// Jepsen's cycle anomalies (G0, G1c, G0-realtime, G1c-realtime, the <model>-cycle-exists summaries
// and empty-transaction-graph) come from Elle's search over the dependency graph of ww, wr and
// realtime edges (dependency-graph.ts, cycle-anomalies.ts); ww edges only with Jepsen's :ww-deps.
// A cycle anomaly names no one key: its key is '' and its explanation names the keys of its steps.
// int-send-skip is Kafka's design (a transaction's sends interleave with others'), one of Jepsen's
// allowed-error-types, so it is reported as allowed, never as a failure.

import type { ClientOp, OpHistory, Value } from './client-history.ts';
import { pollAnomalies, type PollAnomaly } from './poll-anomalies.ts';
import { unseen } from './unseen-records.ts';
import { versionOrders } from './version-orders.ts';
import { CYCLE_TYPES, cycleAnomalies } from './cycle-anomalies.ts';
import { dependencyGraph } from './dependency-graph.ts';
import { abortedReads, duplicates, intSendAnomalies, lostWrites, nonmonotonicSends, precommittedReads, type SendAnomaly } from './write-anomalies.ts';

/** Jepsen's anomaly types that ksim checks on a history, in Jepsen's report order. */
export const HISTORY_TYPES = [
  'duplicate',
  'int-poll-skip',
  'int-nonmonotonic-poll',
  'int-nonmonotonic-send',
  'int-send-skip',
  'inconsistent-offsets',
  'precommitted-read',
  'G1a',
  'lost-write',
  'nonmonotonic-poll',
  'nonmonotonic-send',
  'poll-skip',
  'unseen',
  // Jepsen merges Elle's cycle anomalies last.
  ...CYCLE_TYPES,
] as const;
export type HistoryAnomalyType = (typeof HISTORY_TYPES)[number];

/**
 * Types Jepsen's checker allows whatever the test (allowed-error-types): transactional sends
 * interleave, and G0 (with its realtime variant and the cycle-exists summaries G0 implies) is normal
 * since Kafka never isolates writes.
 */
export const HISTORY_TYPES_ALLOWED: readonly HistoryAnomalyType[] = ['int-send-skip', 'G0', 'G0-realtime', 'PL-1-cycle-exists', 'strong-PL-1-cycle-exists'];

/** Types Jepsen's checker also allows with :ww-deps: write-write edges make G1c normal (t0 <ww t1 <wr t0). */
export const HISTORY_TYPES_ALLOWED_WITH_WW_DEPS: readonly HistoryAnomalyType[] = ['G1c', 'G1c-realtime', 'PL-2-cycle-exists', 'strong-PL-2-cycle-exists'];

interface HistoryAnomalyOptions {
  /** Jepsen's :ww-deps: infer write-write dependencies from the version orders (G0, and G1c through them). */
  wwDeps?: boolean;
}

export interface HistoryAnomaly {
  type: HistoryAnomalyType;
  key: string;
  /** One sentence: who did what, to which values (ops named by their position, op@N). */
  explanation: string;
  /** The values involved, for comparison (a lost or duplicated value; the two reads of a skip). */
  values: Value[];
}

/** How an op is named: its :index in the file when it had one (op@N), else its position. */
export type OpName = (op: ClientOp) => string;

const show = (v: Value) => String(v);

function pollExplanation(a: PollAnomaly, name: OpName): string {
  const [first, second] = a.ops;
  const where = first === second ? `within ${name(second)}` : `between ${name(first)} and ${name(second)}`;
  const what = a.kind === 'skip' ? `skipping ${a.skipped.map(show).join(', ')}` : a.delta === 0 ? 'reading the same place again' : `${-a.delta} back`;
  return `process ${second.process} read ${show(a.values[0])} then ${show(a.values[1])} of ${a.key} ${where}, ${what} (delta ${a.delta})`;
}

function sendExplanation(a: SendAnomaly, name: OpName): string {
  const where = a.ops[0] === a.ops[1] ? `within ${name(a.ops[1])}` : `in ${name(a.ops[0])} then ${name(a.ops[1])}`;
  return `process ${a.ops[1].process} sent ${show(a.values[0])} then ${show(a.values[1])} to ${a.key} ${where}, landing ${a.delta} place${Math.abs(a.delta) === 1 ? '' : 's'} on`;
}

/** Every anomaly of the history, in HISTORY_TYPES order, then key and history order. */
export function historyAnomalies(history: OpHistory, name: OpName = (op) => `op@${op.index}`, options: HistoryAnomalyOptions = {}): HistoryAnomaly[] {
  const orders = versionOrders(history);
  const polls = pollAnomalies(history, orders);
  const ints = intSendAnomalies(history, orders);
  const found: Record<HistoryAnomalyType, HistoryAnomaly[]> = Object.fromEntries(HISTORY_TYPES.map((t) => [t, []])) as never;
  const poll = (type: HistoryAnomalyType, list: readonly PollAnomaly[]) =>
    list.forEach((a) => found[type].push({ type, key: a.key, values: [...a.values], explanation: pollExplanation(a, name) }));
  const send = (type: HistoryAnomalyType, list: readonly SendAnomaly[]) =>
    list.forEach((a) => found[type].push({ type, key: a.key, values: [...a.values], explanation: sendExplanation(a, name) }));
  for (const d of duplicates(orders))
    found.duplicate.push({ type: 'duplicate', key: d.key, values: [d.value], explanation: `${show(d.value)} is at ${d.offsets.length} offsets of ${d.key}: ${d.offsets.join(', ')}` });
  poll('int-poll-skip', polls.intPollSkip);
  poll('int-nonmonotonic-poll', polls.intNonmonotonicPoll);
  send('int-nonmonotonic-send', ints.filter((a) => a.kind === 'nonmonotonic'));
  send('int-send-skip', ints.filter((a) => a.kind === 'skip'));
  for (const e of orders.errors)
    found['inconsistent-offsets'].push({ type: 'inconsistent-offsets', key: e.key, values: [...e.values], explanation: `offset ${e.offset} of ${e.key} holds ${e.values.map(show).join(' and ')}` });
  for (const r of precommittedReads(history))
    found['precommitted-read'].push({ type: 'precommitted-read', key: r.key, values: [r.value], explanation: `${name(r.reader)} read ${show(r.value)} of ${r.key}, which it sent itself before committing` });
  for (const r of abortedReads(history))
    found.G1a.push({ type: 'G1a', key: r.key, values: [r.value], explanation: `${name(r.reader)} read ${show(r.value)} of ${r.key}, whose send ${name(r.writer)} failed (an aborted read)` });
  for (const l of lostWrites(history, orders))
    found['lost-write'].push({
      type: 'lost-write',
      key: l.key,
      values: [l.value],
      explanation: `${show(l.value)} (sent by ${name(l.writer)}, ${l.writer.type}) is at index ${l.index} of ${l.key}, below index ${l.maxReadIndex} that polls reached, and no ok poll read it`,
    });
  poll('nonmonotonic-poll', polls.nonmonotonicPoll);
  send('nonmonotonic-send', nonmonotonicSends(history, orders));
  poll('poll-skip', polls.pollSkip);
  for (const [key, values] of [...unseen(history).messages].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
    if (values.length)
      found.unseen.push({ type: 'unseen', key, values: [...values], explanation: `${values.length} acknowledged value${values.length === 1 ? '' : 's'} of ${key} never polled: ${values.slice(0, 8).map(show).join(', ')}${values.length > 8 ? ', ...' : ''}` });
  // Jepsen's cycles! looks for cycles only in a history with an op (its first op has a :type).
  if (history.length > 0)
    for (const c of cycleAnomalies(dependencyGraph(history, orders, options.wwDeps === true), name)) found[c.type].push({ type: c.type, key: '', values: [], explanation: c.explanation });
  return HISTORY_TYPES.flatMap((t) => found[t]);
}
