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

import { opReads, passOver, type ClientOp, type OpHistory, type Value } from './client-history.ts';
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

/** The ops of a finding before the caller names them (compare's findings get theirs from the caller). */
const OPS_UNSET = [] as unknown as [ClientOp, ClientOp];

/** Per process and key: the last ok op that read it (null in a transient pass: its index then names it) and a copy of its last read. */
interface LastRead {
  op: ClientOp | null;
  index: number;
  read: [number | null, Value];
}

/** The anomaly between reads a and b of key, its ops OPS_UNSET; null when b is the next value after a. */
function compare(vo: VersionOrders, key: string, a: Read, b: Read): PollAnomaly | null {
  const order = vo.orders.get(key);
  const i = order?.indexOf(a[0], a[1]);
  const j = order?.indexOf(b[0], b[1]);
  const delta = i !== undefined && j !== undefined ? j - i : 1;
  if (delta === 1) return null;
  const base = { key, delta, values: [a[1], b[1]] as [Value, Value], offsets: [a[0], b[0]] as [number | null, number | null], ops: OPS_UNSET };
  if (delta < 1) return { kind: 'nonmonotonic', ...base, skipped: [], skippedOffsets: [] };
  const skipped: Value[] = [];
  const skippedOffsets: number[] = [];
  for (let k = i! + 1; k < j!; k++) {
    skipped.push(order!.valueAt(k));
    skippedOffsets.push(order!.offsetAt(k));
  }
  return { kind: 'skip', ...base, skipped, skippedOffsets };
}

const NO_READS: readonly { key: string; pairs: readonly Read[] }[] = [];

/** Jepsen's op-reads as a list, one entry per key in first-read order: the op's own reads when no key repeats (no Map per op). */
function readsPerKey(op: ClientOp): readonly { key: string; pairs: readonly Read[] }[] {
  const reads = op.reads ?? NO_READS;
  for (let i = 1; i < reads.length; i++) for (let j = 0; j < i; j++) if (reads[i].key === reads[j].key) return [...opReads(op)].map(([key, pairs]) => ({ key, pairs }));
  return reads;
}

/**
 * Every poll anomaly of the history, each list in history order. One pass over scratch ops where
 * the history has them (passOver): a finding's ops are rebuilt by index, the few there are.
 */
export function pollAnomalies(history: OpHistory, vo: VersionOrders): PollAnomalies {
  const out: PollAnomalies = { pollSkip: [], nonmonotonicPoll: [], intPollSkip: [], intNonmonotonicPoll: [] };
  const rebuild = history.transient !== undefined ? history.opAt : undefined;
  const kept = (op: ClientOp): ClientOp => (rebuild === undefined ? op : rebuild.call(history, op.index));
  const lastReads = new Map<string, Map<string, LastRead>>();
  for (const op of passOver(history)) {
    let last = lastReads.get(op.process);
    if (!last) lastReads.set(op.process, (last = new Map()));
    if (op.f === 'assign' || op.f === 'subscribe') {
      if (op.type === 'ok' || op.type === 'info') for (const k of [...last.keys()]) if (!op.keys?.includes(k)) last.delete(k);
      continue;
    }
    if ((op.f !== 'poll' && op.f !== 'txn') || op.type === 'invoke') continue;
    const reads = readsPerKey(op);
    const rebalanced = op.rebalancedKeys;
    /** op as its findings keep it: built once, on the first. */
    let found: ClientOp | null = null;
    for (let r = 0; r < reads.length; r++) {
      const { key, pairs } = reads[r];
      if (pairs.length === 0) continue;
      const prev = last.get(key);
      if (prev) {
        const a = compare(vo, key, prev.read, pairs[0]);
        if (a) {
          a.ops = [prev.op ?? rebuild!.call(history, prev.index), (found ??= kept(op))];
          (a.kind === 'skip' ? out.pollSkip : out.nonmonotonicPoll).push(a);
        }
      }
      if (rebalanced === undefined || !rebalanced.includes(key)) {
        for (let n = 1; n < pairs.length; n++) {
          const a = compare(vo, key, pairs[n - 1], pairs[n]);
          if (!a) continue;
          a.ops = [(found ??= kept(op)), found];
          (a.kind === 'skip' ? out.intPollSkip : out.intNonmonotonicPoll).push(a);
        }
      }
      if (op.type !== 'ok') continue;
      const [offset, value] = pairs[pairs.length - 1];
      const opKept = rebuild === undefined ? op : null;
      if (prev === undefined) last.set(key, { op: opKept, index: op.index, read: [offset, value] });
      else {
        prev.op = opKept;
        prev.index = op.index;
        prev.read[0] = offset;
        prev.read[1] = value;
      }
    }
  }
  return out;
}
