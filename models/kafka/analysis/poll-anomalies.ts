// Jepsen's poll anomalies (jepsen.tests.kafka), on a client history and its version orders:
//
// - poll-skip: a process's poll of a key starts more than one dense index after where its previous
//   ok poll of that key ended: it skipped values it should have read (poll-skip+nonmonotonic-cases).
// - nonmonotonic-poll: ... starts at or before where the previous one ended: it went backwards.
//   Both per process in history order; an assign or subscribe keeps the last reads only of the
//   keys it still names (Jepsen's select-keys), so a rebalance that moves a partition away and
//   back, or a new process, starts afresh. Invoke, fail and info polls do not move the last read.
// - int-poll-skip / int-nonmonotonic-poll: within one poll op, two consecutive values of a key are
//   more than one dense index apart, or not ahead (int-poll-skip+nonmonotonic-cases); keys in the
//   op's rebalance log are exempt.
// A read whose dense index is unknown counts as one step ahead, as in Jepsen.

import { opReads, type ClientOp, type OpHistory, type Value } from './client-history.ts';
import type { VersionOrders } from './version-orders.ts';

/** A skip or a backwards step between two reads of one key. */
export interface PollAnomaly {
  kind: 'skip' | 'nonmonotonic';
  key: string;
  /** Dense index difference (1 is the next value). */
  delta: number;
  /** The two reads: the last of the earlier poll (or value) and the first of the later. */
  values: [Value, Value];
  offsets: [number | null, number | null];
  /** The values skipped over, in log order (skips only). */
  skipped: Value[];
  /** Offsets of the skipped values (skips only). */
  skippedOffsets: number[];
  /** Between two ops: both; within one op: that op twice. */
  ops: [ClientOp, ClientOp];
}

export interface PollAnomalies {
  pollSkip: PollAnomaly[];
  nonmonotonicPoll: PollAnomaly[];
  intPollSkip: PollAnomaly[];
  intNonmonotonicPoll: PollAnomaly[];
}

type Read = readonly [number | null, Value];

function compare(vo: VersionOrders, key: string, a: Read, b: Read, ops: [ClientOp, ClientOp]): PollAnomaly | null {
  const order = vo.orders.get(key);
  const i = order?.indexOf(a[0], a[1]);
  const j = order?.indexOf(b[0], b[1]);
  const delta = i !== undefined && j !== undefined ? j - i : 1;
  if (delta === 1) return null;
  const base = { key, delta, values: [a[1], b[1]] as [Value, Value], offsets: [a[0], b[0]] as [number | null, number | null], ops };
  if (delta < 1) return { kind: 'nonmonotonic', ...base, skipped: [], skippedOffsets: [] };
  const skipped: Value[] = [];
  const skippedOffsets: number[] = [];
  for (let k = i! + 1; k < j!; k++) {
    skipped.push(order!.valueAt(k));
    skippedOffsets.push(order!.offsetAt(k));
  }
  return { kind: 'skip', ...base, skipped, skippedOffsets };
}

/** Every poll anomaly of the history, each list in history order. */
export function pollAnomalies(history: OpHistory, vo: VersionOrders): PollAnomalies {
  const out: PollAnomalies = { pollSkip: [], nonmonotonicPoll: [], intPollSkip: [], intNonmonotonicPoll: [] };
  /** Per process, per key: the last ok op that read it and its last read. */
  const lastReads = new Map<string, Map<string, { op: ClientOp; read: Read }>>();
  for (const op of history) {
    let last = lastReads.get(op.process);
    if (!last) lastReads.set(op.process, (last = new Map()));
    if (op.f === 'assign' || op.f === 'subscribe') {
      if (op.type === 'ok' || op.type === 'info') for (const k of [...last.keys()]) if (!op.keys?.includes(k)) last.delete(k);
      continue;
    }
    if ((op.f !== 'poll' && op.f !== 'txn') || op.type === 'invoke') continue;
    const reads = opReads(op);
    const rebalanced = new Set(op.rebalancedKeys ?? []);
    for (const [key, pairs] of reads) {
      if (pairs.length === 0) continue;
      const prev = last.get(key);
      if (prev) {
        const a = compare(vo, key, prev.read, pairs[0], [prev.op, op]);
        if (a) (a.kind === 'skip' ? out.pollSkip : out.nonmonotonicPoll).push(a);
      }
      if (!rebalanced.has(key)) {
        for (let n = 1; n < pairs.length; n++) {
          const a = compare(vo, key, pairs[n - 1], pairs[n], [op, op]);
          if (a) (a.kind === 'skip' ? out.intPollSkip : out.intNonmonotonicPoll).push(a);
        }
      }
      if (op.type === 'ok') last.set(key, { op, read: pairs[pairs.length - 1] });
    }
  }
  return out;
}
