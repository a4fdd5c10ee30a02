// Jepsen's write-side anomalies of a Kafka client history (jepsen.tests.kafka, kafka.clj), read
// from the history alone, as a real cluster's history.edn allows (ksim's own lost-write, duplicate
// and nonmonotonic-send checkers read the simulated brokers' final logs instead, which a real
// history does not have):
//
// - lost-write (lost-write-cases): for each key, the highest dense index an ok poll read bounds the
//   values every reader should have seen: any value whose last place in the log is at or below it,
//   never read by an ok poll, and whose writer must have committed, is lost.
// - duplicate (duplicate-cases): a value at more than one offset of a key.
// - nonmonotonic-send (nonmonotonic-send-cases): a process's first send to a key in an op lands at
//   or before its last send to that key in an earlier op (by value's dense index); an assign or
//   subscribe keeps the comparison only for the keys it still names.
// - int-send-skip / int-nonmonotonic-send (int-send-skip+nonmonotonic-cases): two consecutive sends
//   to one key within one op are more than one dense index apart, or not ahead.
// - G1a (g1a-cases): an ok poll read a value whose send failed (an aborted read).
// - precommitted-read (precommitted-read-cases): an op read a value it sent itself.
// Dense indices by value are Jepsen's by-value: the first-seen value at each offset, the later
// offset winning for a value at two (index-seq); a value without an index counts as one step on.

import { okReadsOf, mustHaveCommitted, opReads, type ClientOp, type OpHistory, type Value } from './client-history.ts';
import type { VersionOrders } from './version-orders.ts';

interface LostWrite {
  key: string;
  value: Value;
  /** Dense index of the value's first place in the log. */
  index: number;
  /** The highest dense index an ok poll read. */
  maxReadIndex: number;
  writer: ClientOp;
}

interface DuplicateValue {
  key: string;
  value: Value;
  /** Offsets holding it, ascending. */
  offsets: number[];
}

export interface SendAnomaly {
  kind: 'skip' | 'nonmonotonic';
  key: string;
  values: [Value, Value];
  delta: number;
  /** The two ops (one op twice for a send within an op). */
  ops: [ClientOp, ClientOp];
}

interface ReadAnomaly {
  key: string;
  value: Value;
  /** The op that read it. */
  reader: ClientOp;
  /** The op that sent it (the failed send for G1a, the reader itself for precommitted-read). */
  writer: ClientOp;
}

/** Key -> the values an op sent to it, in order. */
function opWrites(op: ClientOp): Map<string, Value[]> {
  const out = new Map<string, Value[]>();
  for (const s of op.sends ?? []) {
    const list = out.get(s.key);
    if (list) list.push(s.value);
    else out.set(s.key, [s.value]);
  }
  return out;
}

/** Jepsen's by-value of one key's version order. */
export function byValue(orders: VersionOrders, key: string): Map<Value, number> {
  const out = new Map<Value, number>();
  const o = orders.orders.get(key);
  o?.offsets.forEach((_, i) => out.set(o.valueAt(i), i));
  return out;
}

/** Completions that sent something, per key and value (Jepsen's writer-of: the last one wins). */
function writersOf(history: OpHistory): Map<string, Map<Value, ClientOp>> {
  const out = new Map<string, Map<Value, ClientOp>>();
  for (const op of history) {
    if (op.type === 'invoke') continue;
    for (const s of op.sends ?? []) {
      let m = out.get(s.key);
      if (!m) out.set(s.key, (m = new Map()));
      m.set(s.value, op);
    }
  }
  return out;
}

export function lostWrites(history: OpHistory, orders: VersionOrders): LostWrite[] {
  const okReads = okReadsOf(history);
  const writers = writersOf(history);
  const out: LostWrite[] = [];
  for (const [key, read] of okReads) {
    const o = orders.orders.get(key);
    if (!o) continue;
    const firstIndex = new Map<Value, number>();
    const lastIndex = new Map<Value, number>();
    o.offsets.forEach((offset, i) => {
      for (const v of o.valuesAt(offset)) {
        if (!firstIndex.has(v)) firstIndex.set(v, i);
        lastIndex.set(v, i);
      }
    });
    let bound = -1;
    for (const v of read) bound = Math.max(bound, firstIndex.get(v) ?? -1);
    const mustRead = [...lastIndex].filter(([, i]) => i <= bound).sort((a, b) => a[1] - b[1]);
    for (const [value] of mustRead) {
      if (read.has(value)) continue;
      const writer = writers.get(key)?.get(value);
      if (writer && mustHaveCommitted(writer, okReads)) out.push({ key, value, index: firstIndex.get(value)!, maxReadIndex: bound, writer });
    }
  }
  return out;
}

export function duplicates(orders: VersionOrders): DuplicateValue[] {
  const out: DuplicateValue[] = [];
  for (const key of [...orders.orders.keys()].sort()) {
    const o = orders.orders.get(key)!;
    const at = new Map<Value, number[]>();
    for (const offset of o.offsets)
      for (const v of o.valuesAt(offset)) {
        const list = at.get(v);
        if (list) list.push(offset);
        else at.set(v, [offset]);
      }
    for (const [value, offsets] of at) if (offsets.length > 1) out.push({ key, value, offsets });
  }
  return out;
}

/** nonmonotonic-send, per process in history order over its ok and info ops. */
export function nonmonotonicSends(history: OpHistory, orders: VersionOrders): SendAnomaly[] {
  const lastSends = new Map<string, Map<string, ClientOp>>();
  const indices = new Map<string, Map<Value, number>>();
  const indexOf = (key: string, v: Value) => {
    let m = indices.get(key);
    if (!m) indices.set(key, (m = byValue(orders, key)));
    return m.get(v);
  };
  const out: SendAnomaly[] = [];
  for (const op of history) {
    if (op.type !== 'ok' && op.type !== 'info') continue;
    let last = lastSends.get(op.process);
    if (!last) lastSends.set(op.process, (last = new Map()));
    if (op.f === 'assign' || op.f === 'subscribe') {
      for (const key of [...last.keys()]) if (!op.keys?.includes(key)) last.delete(key);
      continue;
    }
    if (op.f !== 'send' && op.f !== 'txn') continue;
    for (const [key, sent] of opWrites(op)) {
      const prev = last.get(key);
      last.set(key, op);
      if (!prev) continue;
      const v = opWrites(prev).get(key)!.at(-1)!;
      const i = indexOf(key, v);
      const j = indexOf(key, sent[0]);
      if (i !== undefined && j !== undefined && j - i < 1) out.push({ kind: 'nonmonotonic', key, values: [v, sent[0]], delta: j - i, ops: [prev, op] });
    }
  }
  return out;
}

/** int-send-skip and int-nonmonotonic-send: consecutive sends to one key within one op. */
export function intSendAnomalies(history: OpHistory, orders: VersionOrders): SendAnomaly[] {
  const out: SendAnomaly[] = [];
  for (const op of history) {
    if (op.type === 'invoke') continue;
    for (const [key, sent] of opWrites(op)) {
      if (sent.length < 2) continue;
      const index = byValue(orders, key);
      for (let n = 1; n < sent.length; n++) {
        const i = index.get(sent[n - 1]);
        const j = index.get(sent[n]);
        const delta = i !== undefined && j !== undefined ? j - i : 1;
        if (delta !== 1) out.push({ kind: delta > 1 ? 'skip' : 'nonmonotonic', key, values: [sent[n - 1], sent[n]], delta, ops: [op, op] });
      }
    }
  }
  return out;
}

/** G1a: an ok poll read a value whose only send failed. */
export function abortedReads(history: OpHistory): ReadAnomaly[] {
  const failed = new Map<string, Map<Value, ClientOp>>();
  for (const op of history)
    if (op.type === 'fail')
      for (const s of op.sends ?? []) {
        let m = failed.get(s.key);
        if (!m) failed.set(s.key, (m = new Map()));
        m.set(s.value, op);
      }
  const out: ReadAnomaly[] = [];
  if (failed.size === 0) return out;
  for (const op of history) {
    if (op.type !== 'ok' || (op.f !== 'poll' && op.f !== 'txn')) continue;
    for (const [key, pairs] of opReads(op))
      for (const [, value] of pairs) {
        const writer = failed.get(key)?.get(value);
        if (writer) out.push({ key, value, reader: op, writer });
      }
  }
  return out;
}

/** precommitted-read: an op read a value it sent itself (sends are invisible until the commit). */
export function precommittedReads(history: OpHistory): ReadAnomaly[] {
  const out: ReadAnomaly[] = [];
  for (const op of history) {
    if (op.type === 'invoke' || !op.sends?.length || !op.reads?.length) continue;
    const reads = opReads(op);
    for (const [key, sent] of opWrites(op)) {
      const read = new Set((reads.get(key) ?? []).map(([, v]) => v));
      const bad = sent.find((v) => read.has(v));
      if (bad !== undefined) out.push({ key, value: bad, reader: op, writer: op });
    }
  }
  return out;
}
