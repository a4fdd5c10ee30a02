// Jepsen's unseen (jepsen.tests.kafka/unseen): over the ok sends and polls in history order, the
// values acknowledged but not yet polled by any client, counted per key after each op; the last
// entry also lists the unseen values. "Unseen over time" is that series; an acknowledged record
// still unseen at the end is the anomaly (Jepsen ends its test with polls that catch up; ksim's
// checker separates the records a consumer already moved past from those still ahead of every
// consumer, see checkers/unseen.ts).
//
// The series is kept at most once per sampling interval (the last count of each interval), so a
// long run's series stays small; the final entry is always kept.

import { Int32Column } from '../../../src/sim/chunked-column.ts';
import type { TimeUs } from '../../../src/sim/time.ts';
import { passOver, type ClientOp, type OpHistory, type Value } from './client-history.ts';
import { RecordIdSet } from './record-id-set.ts';

interface UnseenSample {
  timeUs: TimeUs;
  /** Key -> acknowledged values not yet polled (keys that never had one are absent). */
  unseen: Record<string, number>;
}

export interface Unseen {
  series: UnseenSample[];
  /** At the end: key -> unseen values, in acknowledgement order. */
  messages: Map<string, Value[]>;
}

/** An op's absent sends or reads. */
const NONE: readonly never[] = [];

/** `sampleEveryUs` 0 keeps an entry per ok op, as Jepsen does. */
export function unseen(history: OpHistory, sampleEveryUs = 0): Unseen {
  /** Key -> unseen values (insertion order = acknowledgement order). */
  const pending = new Map<string, PendingValues>();
  const polled = new Map<string, PolledValues>();
  const series: UnseenSample[] = [];
  const snapshot = (timeUs: TimeUs) => {
    const counts: Record<string, number> = {};
    for (const [k, set] of pending) counts[k] = set.size;
    series.push({ timeUs, unseen: counts });
  };
  const bucket = (timeUs: TimeUs) => (sampleEveryUs > 0 ? Math.floor(timeUs / sampleEveryUs) : timeUs);
  let lastUs = -1;
  for (const op of passOver(history)) {
    if (op.type !== 'ok' || op.f === 'assign' || op.f === 'subscribe') continue;
    // The state after the last op of each sampling interval (every op when not sampling).
    if (lastUs >= 0 && (sampleEveryUs === 0 || bucket(op.timeUs) !== bucket(lastUs))) snapshot(lastUs);
    lastUs = op.timeUs;
    // Indexed loops: for-of here built an iterator and a result object per step (end of run, every op).
    const sends = op.sends ?? NONE;
    for (let i = 0; i < sends.length; i++) {
      const s = sends[i];
      let set = pending.get(s.key);
      if (!set) pending.set(s.key, (set = new PendingValues()));
      if (!polled.get(s.key)?.has(s.value)) set.add(s.value);
    }
    const reads = op.reads ?? NONE;
    for (let i = 0; i < reads.length; i++) {
      const r = reads[i];
      let seen = polled.get(r.key);
      if (!seen) polled.set(r.key, (seen = new PolledValues()));
      const set = pending.get(r.key);
      for (let p = 0; p < r.pairs.length; p++) {
        const v = r.pairs[p][1];
        seen.add(v);
        set?.delete(v);
      }
    }
  }
  if (lastUs >= 0) snapshot(lastUs);
  const messages = new Map<string, Value[]>();
  for (const [k, set] of pending) if (set.size > 0) messages.set(k, set.values());
  return { series, messages };
}

/**
 * The values polled of one key, every one a run keeps till its end: record ids (non-negative
 * integers, dense from 0) as bits, an eighth of a byte each where a Set costs tens (a virtual hour
 * polls over a million); any other value (a Jepsen history's) in a Set.
 */
class PolledValues {
  private readonly ids = new RecordIdSet();
  private others: Set<Value> | null = null;

  add(v: Value): void {
    if (isRecordId(v)) this.ids.add(v);
    else (this.others ??= new Set()).add(v);
  }

  has(v: Value): boolean {
    return isRecordId(v) ? this.ids.has(v) : (this.others?.has(v) ?? false);
  }
}

function isRecordId(v: Value): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0x7fffffff;
}

/**
 * One key's acknowledged values not yet polled, in acknowledgement order: Set semantics (adding a
 * value already there keeps its place) at 4 bytes a value plus a bit, where a Set costs tens (a
 * lagging consumer leaves millions pending). Record ids are marked in bits and listed in order;
 * any other value (a Jepsen history's) is kept in a Set and listed by its place in `others`.
 * A value once deleted is not added again (unseen deletes only values it then knows as polled).
 */
class PendingValues {
  /** Acknowledgement order: a record id, or -1 - i for others[i] (chunked: never copies as it grows). */
  private readonly order = new Int32Column(64);
  private readonly ids = new RecordIdSet();
  private readonly others: Value[] = [];
  private otherSet: Set<Value> | null = null;
  size = 0;

  add(v: Value): void {
    if (this.has(v)) return;
    if (isRecordId(v)) {
      this.ids.add(v);
      this.order.push(v);
    } else {
      (this.otherSet ??= new Set()).add(v);
      this.order.push(-1 - this.others.length);
      this.others.push(v);
    }
    this.size++;
  }

  delete(v: Value): void {
    if (!this.has(v)) return;
    if (isRecordId(v)) this.ids.delete(v);
    else this.otherSet!.delete(v);
    this.size--;
  }

  has(v: Value): boolean {
    return isRecordId(v) ? this.ids.has(v) : (this.otherSet?.has(v) ?? false);
  }

  /** The values still pending, in acknowledgement order. */
  values(): Value[] {
    const out: Value[] = [];
    for (let i = 0; i < this.order.length; i++) {
      const e = this.order.get(i);
      const v = e >= 0 ? e : this.others[-1 - e];
      if (this.has(v)) out.push(v);
    }
    return out;
  }
}
