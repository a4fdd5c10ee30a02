// Jepsen's version orders (jepsen.tests.kafka/version-orders): per key, which values the history
// shows at each offset, from every poll and from every send that must have taken effect (ok, or
// info with a value some ok poll read; must-have-committed?). Offsets can have gaps (transaction
// markers, compaction), so positions are *dense indices*: the rank of an offset among the offsets
// that hold a value.
//
// inconsistent-offsets: an offset that holds two or more values (Kafka disagreed with itself about
// what is at that offset: a truncation and a rewrite, a leader that assigned an offset twice).
//
// Where Jepsen keeps one arbitrary value per conflicting offset, this keeps the first seen (history
// order), so every result is deterministic; a read's dense index comes from the offset it was read
// at, which for a consistent log is the index Jepsen derives from the value.

import { mustHaveCommitted, okReadsOf, type ClientOp, type OpHistory, type Value } from './client-history.ts';

export interface InconsistentOffset {
  key: string;
  offset: number;
  /** Dense index of the offset. */
  index: number;
  /** Every value seen at the offset, in first-seen order. */
  values: Value[];
}

class KeyOrder {
  /** Offset -> values in first-seen order. */
  readonly log = new Map<number, Value[]>();
  /** Non-empty offsets ascending, and each one's dense index. */
  offsets: number[] = [];
  private readonly indexOfOffset = new Map<number, number>();
  /** Value -> dense index of the offset it was first seen at (Jepsen's by-value). */
  private readonly indexOfValue = new Map<Value, number>();

  add(offset: number, value: Value): void {
    const values = this.log.get(offset);
    if (!values) this.log.set(offset, [value]);
    else if (!values.includes(value)) values.push(value);
  }

  /** Fixes the dense indices once every value is in. */
  seal(): void {
    this.offsets = [...this.log.keys()].sort((a, b) => a - b);
    this.offsets.forEach((o, i) => {
      this.indexOfOffset.set(o, i);
      for (const v of this.log.get(o)!) if (!this.indexOfValue.has(v)) this.indexOfValue.set(v, i);
    });
  }

  /** Dense index of a read: by its offset, else by its value; undefined when unknown. */
  indexOf(offset: number | null, value: Value): number | undefined {
    if (offset !== null) {
      const i = this.indexOfOffset.get(offset);
      if (i !== undefined) return i;
    }
    return this.indexOfValue.get(value);
  }

  /** The offset at a dense index. */
  offsetAt(index: number): number {
    return this.offsets[index];
  }

  /** Jepsen's by-index: the (first-seen) value at a dense index. */
  valueAt(index: number): Value {
    return this.log.get(this.offsets[index])![0];
  }
}

export interface VersionOrders {
  orders: Map<string, KeyOrder>;
  /** inconsistent-offsets, per key in key order, offsets ascending. */
  errors: InconsistentOffset[];
}

export function versionOrders(history: OpHistory): VersionOrders {
  // Only an info op needs the ok reads (to prove its sends took effect); most histories have none with offsets.
  let okReads: Map<string, Set<Value>> | null = null;
  const orders = new Map<string, KeyOrder>();
  const order = (key: string) => {
    let o = orders.get(key);
    if (!o) orders.set(key, (o = new KeyOrder()));
    return o;
  };
  for (const op of history) {
    if (op.f !== 'send' && op.f !== 'poll' && op.f !== 'txn') continue;
    if (op.type === 'invoke') continue;
    // Polls count whatever the op's outcome: a consumer is always meant to see safe data.
    for (const r of op.reads ?? []) for (const [offset, value] of r.pairs) if (offset !== null) order(r.key).add(offset, value);
    if (op.type !== 'ok' && (op.type !== 'info' || !mustHaveCommitted(op, (okReads ??= okReadsOf(history))))) continue;
    for (const s of op.sends ?? []) if (s.offset !== null) order(s.key).add(s.offset, s.value);
  }
  const errors: InconsistentOffset[] = [];
  for (const key of [...orders.keys()].sort()) {
    const o = orders.get(key)!;
    o.seal();
    o.offsets.forEach((offset, index) => {
      const values = o.log.get(offset)!;
      if (values.length > 1) errors.push({ key, offset, index, values: [...values] });
    });
  }
  return { orders, errors };
}
