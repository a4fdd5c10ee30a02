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

import { mustHaveCommitted, okReadsOf, passOver, type ClientOp, type OpHistory, type Value } from './client-history.ts';
import { Uint32Column } from '../../../src/sim/chunked-column.ts';

export interface InconsistentOffset {
  key: string;
  offset: number;
  /** Dense index of the offset. */
  index: number;
  /** Every value seen at the offset, in first-seen order. */
  values: Value[];
}

/**
 * Offset -> the first value seen there: record ids (non-negative 32-bit integers, what a ksim
 * history holds) at small offsets in a chunked column by offset (src/sim/chunked-column.ts: it
 * never copies as it grows), 4 bytes an offset; anything else (a string or other number of a
 * Jepsen history, a far offset) in a map.
 */
class FirstValues {
  /** Record id + 1 at each offset; 0: no record id there. */
  private readonly dense = new Uint32Column();
  private readonly sparse = new Map<number, Value>();

  get(offset: number): Value | undefined {
    if (offset >= 0 && offset < this.dense.length && Number.isInteger(offset)) {
      const v = this.dense.get(offset);
      if (v > 0) return v - 1;
    }
    return this.sparse.get(offset);
  }

  set(offset: number, value: Value): void {
    // A history's offsets are dense from near 0 and its values are record ids; anything else (a
    // string value, a far offset) goes to the map rather than growing the column.
    const length = this.dense.length;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0x7fffffff && !Object.is(value, -0) && Number.isInteger(offset) && offset >= 0 && offset < 0x7fffffff) {
      if (offset >= length && offset < Math.max(65_536, length * 2)) this.dense.growTo(offset + 1);
      if (offset < this.dense.length) {
        this.dense.set(offset, value + 1);
        this.sparse.delete(offset);
        return;
      }
    }
    if (offset >= 0 && offset < length && Number.isInteger(offset)) this.dense.set(offset, 0);
    this.sparse.set(offset, value);
  }

  /**
   * The offsets holding a value, ascending: an Int32Array when they all fit 32 bits (a ksim
   * history's do: 4 bytes an offset, where a virtual hour has over a million), else an array.
   */
  offsets(): Int32Array | number[] {
    let dense = 0;
    for (let o = 0; o < this.dense.length; o++) if (this.dense.get(o) > 0) dense++;
    const sparse = [...this.sparse.keys()].sort((a, b) => a - b);
    const fits = sparse.every((o) => (o | 0) === o);
    const out = fits ? new Int32Array(dense + sparse.length) : new Array<number>(dense + sparse.length);
    // Merge the dense offsets (ascending by construction) with the sorted sparse ones (disjoint: set keeps an offset in one place).
    let n = 0;
    let s = 0;
    for (let o = 0; o < this.dense.length; o++) {
      if (this.dense.get(o) === 0) continue;
      while (s < sparse.length && sparse[s] < o) out[n++] = sparse[s++];
      out[n++] = o;
    }
    while (s < sparse.length) out[n++] = sparse[s++];
    return out;
  }
}

/**
 * One key's version order. Sized for long runs (a million values at the end of a virtual hour): the
 * first value at each offset in a typed array by offset (a second value at an offset, rare, in a
 * map), offsets ascending searched by bisection, and the by-value index built only if a read
 * without a known offset asks for it.
 */
class KeyOrder {
  /** Offset -> the first value seen there. */
  private readonly first = new FirstValues();
  /** Offset -> the values seen there after the first, in first-seen order (inconsistent offsets). */
  private readonly more = new Map<number, Value[]>();
  /** Non-empty offsets ascending; the dense index of an offset is its position here. */
  offsets: Int32Array | number[] = [];
  /** Value -> dense index of the offset it was first seen at (Jepsen's by-value), built on first use. */
  private indexOfValue: Map<Value, number> | null = null;

  add(offset: number, value: Value): void {
    const first = this.first.get(offset);
    if (first === undefined) {
      this.first.set(offset, value);
      return;
    }
    if (first === value) return;
    const more = this.more.get(offset);
    if (!more) this.more.set(offset, [value]);
    else if (!more.includes(value)) more.push(value);
  }

  /** Every value seen at `offset`, in first-seen order ([] for none). */
  valuesAt(offset: number): Value[] {
    const first = this.first.get(offset);
    if (first === undefined) return [];
    const more = this.more.get(offset);
    return more ? [first, ...more] : [first];
  }

  /** Offset -> every value seen there, in first-seen order (a new map each call: for inspection). */
  get log(): Map<number, Value[]> {
    return new Map(Array.from(this.first.offsets(), (o) => [o, this.valuesAt(o)]));
  }

  /** Offsets holding more than one value, ascending. */
  inconsistentOffsets(): number[] {
    return [...this.more.keys()].sort((a, b) => a - b);
  }

  /** Fixes the dense indices once every value is in. */
  seal(): void {
    this.offsets = this.first.offsets();
  }

  /** Dense index of a read: by its offset, else by its value; undefined when unknown. */
  indexOf(offset: number | null, value: Value): number | undefined {
    if (offset !== null) {
      const i = this.indexOfOffset(offset);
      if (i >= 0) return i;
    }
    return this.byValue().get(value);
  }

  /** The offset at a dense index. */
  offsetAt(index: number): number {
    return this.offsets[index];
  }

  /** Jepsen's by-index: the (first-seen) value at a dense index. */
  valueAt(index: number): Value {
    return this.first.get(this.offsets[index])!;
  }

  private indexOfOffset(offset: number): number {
    let lo = 0;
    let hi = this.offsets.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const o = this.offsets[mid];
      if (o === offset) return mid;
      if (o < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private byValue(): Map<Value, number> {
    if (this.indexOfValue) return this.indexOfValue;
    const out = new Map<Value, number>();
    for (let i = 0; i < this.offsets.length; i++) for (const v of this.valuesAt(this.offsets[i])) if (!out.has(v)) out.set(v, i);
    return (this.indexOfValue = out);
  }
}

export interface VersionOrders {
  orders: Map<string, KeyOrder>;
  /** inconsistent-offsets, per key in key order, offsets ascending. */
  errors: InconsistentOffset[];
}

/** Whether any send knows its offset. */
function anyOffset(sends: readonly { offset: number | null }[]): boolean {
  for (let i = 0; i < sends.length; i++) if (sends[i].offset !== null) return true;
  return false;
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
  for (const op of passOver(history)) {
    if (op.f !== 'send' && op.f !== 'poll' && op.f !== 'txn') continue;
    if (op.type === 'invoke') continue;
    // Polls count whatever the op's outcome: a consumer is always meant to see safe data.
    // Indexed loops: for-of here built an iterator and a result object per step (end of run, every op).
    const reads = op.reads;
    if (reads !== undefined)
      for (let i = 0; i < reads.length; i++) {
        const pairs = reads[i].pairs;
        for (let p = 0; p < pairs.length; p++) {
          const offset = pairs[p][0];
          if (offset !== null) order(reads[i].key).add(offset, pairs[p][1]);
        }
      }
    // Only sends with a known offset place a value; an info op's sends (a ksim history's have no
    // offset) need the ok reads only then: they are every value read, too big to build for nothing.
    const sends = op.sends;
    if (sends === undefined || !anyOffset(sends)) continue;
    if (op.type !== 'ok' && (op.type !== 'info' || !mustHaveCommitted(op, (okReads ??= okReadsOf(history))))) continue;
    for (let i = 0; i < sends.length; i++) {
      const offset = sends[i].offset;
      if (offset !== null) order(sends[i].key).add(offset, sends[i].value);
    }
  }
  const errors: InconsistentOffset[] = [];
  for (const key of [...orders.keys()].sort()) {
    const o = orders.get(key)!;
    o.seal();
    for (const offset of o.inconsistentOffsets()) errors.push({ key, offset, index: o.indexOf(offset, o.valuesAt(offset)[0])!, values: o.valuesAt(offset) });
  }
  return { orders, errors };
}
