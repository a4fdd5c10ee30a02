// Every record's history from send() to its outcome, stored by columns (typed arrays indexed by
// the run-wide record id, which the model hands out densely from 0: KafkaWorld.nextRecordId) so a
// record costs tens of bytes however long the run: a virtual hour sends over a million records,
// and an object per record (with its holder and removal arrays) was most of the run's memory.
// Strings (producers, partitions, leaders, errors) are interned; the rare per-record lists
// (replicas past the third, removals) live in sparse maps. get() builds a RecordHistory snapshot
// for the few records an explanation needs; bulk passes read the columns through the accessors.

import type { TimeUs } from '../../../src/sim/time.ts';
import { TimeColumn } from '../../../src/sim/time-column.ts';
import { Int32Column, NarrowIntColumn, Uint32Column, Uint8Column } from '../../../src/sim/chunked-column.ts';
import { Interned } from './interned.ts';
import { RecordRows } from './record-rows.ts';
import { InternedTriples } from './interned-triples.ts';

type RecordOutcome = 'pending' | 'acked' | 'failed' | 'unknown';
const OUTCOMES: readonly RecordOutcome[] = ['pending', 'acked', 'failed', 'unknown'];
const OUTCOME_CODE: Record<RecordOutcome, number> = { pending: 0, acked: 1, failed: 2, unknown: 3 };
/** The outcome's bits of an outcomes byte; OUTCOME_ACK_TIME: the row's ackUs holds an acknowledgement's time. */
const OUTCOME_MASK = 3;
const OUTCOME_ACK_TIME = 4;

/** One record, from send() to its outcome: a snapshot of its row in the RecordTable. */
export class RecordHistory {
  outcome: RecordOutcome = 'pending';
  ackUs: TimeUs = -1;
  ackOffset = -1;
  ackLeaderEpoch = -1;
  /** The partition's leader (controller's view) when the acknowledgement arrived. */
  ackLeader: string | null = null;
  latencyUs = -1;
  /** Kafka error of a failed or unknown outcome. */
  error: string | null = null;
  /** Nodes that appended the record, in first-append order. */
  holders: number[] | null = null;
  /** Indexes into KafkaHistory.removals of the events that removed the record from some replica. */
  removals: number[] | null = null;

  constructor(
    readonly record: number,
    readonly producer: string,
    readonly partition: string,
    readonly sendUs: TimeUs,
    /** 0-based position among this producer's sends to this partition. */
    readonly sendIndex: number,
    /**
     * Which run of the producer process sent it (0 until its first crash or restart). Kafka's
     * ordering holds per producer instance: a restarted producer has a new producer id.
     */
    readonly session = 0,
  ) {}
}


/** Holders packed three to a Uint32 (10 bits each, node + 1; 0 = empty); more, or larger node indices, overflow. */
const HOLDER_BITS = 10;
const HOLDER_MASK = (1 << HOLDER_BITS) - 1;
const PACKED_HOLDERS = 3;

export class RecordTable {
  /**
   * Rows, in send order (the Map insertion order of the object-per-record design). Every column is
   * chunked (src/sim/chunked-column.ts): a run's millions of rows never copy as they grow.
   */
  private count = 0;
  /** The row of each sent record id (an id of a __consumer_offsets record has none): record-rows.ts. */
  private readonly rowOfId = new RecordRows();
  /** Rows are added in send order, and acknowledged soon after: 4 bytes a row each (TimeColumn). */
  private readonly sendUs = new TimeColumn();
  /** The send time until acknowledged (OUTCOME_ACK_TIME in outcomes says it holds the ack's). */
  private readonly ackUs = new TimeColumn();
  /**
   * Produce latency is ackUs - sendUs for a record the model sent and acknowledged (the producer
   * measures from send() to the callback); only a latency that differs (scripted test events) is
   * kept, here by row: 8 bytes a record saved.
   */
  private readonly latencyOtherThanAckMinusSend = new Map<number, number>();
  /** -1 until acknowledged (or acknowledged without an offset: acks=0). */
  private readonly ackOffsets = new Int32Column();
  private readonly sendIndexes = new Int32Column();
  /** (producer, partition, session) of each row, interned (interned-triples.ts): 16 bits a row, not 48. */
  private readonly sentBy = new NarrowIntColumn(false);
  private readonly sentByTriples = new InternedTriples();
  /**
   * (leader: interned string + 1, 0 = null; leader epoch; error: interned string + 1, 0 = null) of
   * each row, interned: 16 bits a row, not 48. Unacknowledged: (0, -1, 0).
   */
  private readonly ackedBy = new NarrowIntColumn(false);
  private readonly ackedByTriples = new InternedTriples();
  private readonly outcomes = new Uint8Column();
  private readonly packedHolders = new Uint32Column();
  private readonly holderOverflow = new Map<number, number[]>();
  /** (record id, removal index) pairs in the order noted; indexed by id on first read. */
  private removalIds = new Int32Array(64);
  private removalIndexes = new Int32Array(64);
  private removalCount = 0;
  /** Pair positions sorted by record id, then by when noted; null until read (or after a change). */
  private removalIndex: Int32Array | null = null;
  private readonly strings = new Interned();

  get size(): number {
    return this.count;
  }

  has(id: number): boolean {
    return this.row(id) >= 0;
  }

  /** A new row (or a fresh start of an existing one, keeping its place in send order, as Map.set did). */
  add(id: number, producer: string, partition: string, sendUs: TimeUs, sendIndex: number, session: number): void {
    if (!Number.isInteger(id) || id < 0) throw new RangeError(`record id ${id}: the record table needs non-negative integer ids`);
    let row = this.rowOfId.get(id);
    if (row >= 0) {
      // Sent again: a fresh history, as Map.set of a new object gave.
      this.holderOverflow.delete(id);
      this.dropRemovals(id);
    } else {
      row = this.rowOfId.add(id);
      this.count++;
    }
    // Each column's set(row) appends when row is its length (a new row), else rewrites.
    this.sendUs.set(row, sendUs);
    this.ackUs.set(row, sendUs);
    this.sentBy.set(row, this.sentByTriples.id(this.strings.id(producer), this.strings.id(partition), session));
    this.sendIndexes.set(row, sendIndex);
    this.outcomes.set(row, 0);
    this.ackOffsets.set(row, -1);
    this.ackedBy.set(row, this.ackedByTriples.id(0, -1, 0));
    if (this.latencyOtherThanAckMinusSend.size > 0) this.latencyOtherThanAckMinusSend.delete(row); // empty in a run: no hash lookup for nothing
    this.packedHolders.set(row, 0);
  }

  /** The row of a sent record id, or -1. */
  private row(id: number): number {
    return this.rowOfId.get(id);
  }

  setAcked(id: number, ackUs: TimeUs, offset: number, leaderEpoch: number, leader: string | null, latencyUs: number): void {
    const row = this.row(id);
    this.outcomes.set(row, OUTCOME_CODE.acked | OUTCOME_ACK_TIME);
    this.ackUs.set(row, ackUs);
    if ((offset | 0) !== offset) throw new RangeError(`offset ${offset}: the record table stores 32-bit offsets`);
    this.ackOffsets.set(row, offset);
    const error = this.ackedByTriples.third[this.ackedBy.get(row)];
    this.ackedBy.set(row, this.ackedByTriples.id(leader === null ? 0 : this.strings.id(leader) + 1, leaderEpoch, error));
    if (ackUs >= 0 && latencyUs === ackUs - this.sendUs.get(row)) {
      if (this.latencyOtherThanAckMinusSend.size > 0) this.latencyOtherThanAckMinusSend.delete(row);
    }
    else this.latencyOtherThanAckMinusSend.set(row, latencyUs);
  }

  setFailed(id: number, outcome: 'failed' | 'unknown', error: string | null): void {
    const row = this.row(id);
    this.outcomes.set(row, (this.outcomes.get(row) & OUTCOME_ACK_TIME) | OUTCOME_CODE[outcome]);
    const t = this.ackedByTriples;
    const was = this.ackedBy.get(row);
    this.ackedBy.set(row, t.id(t.first[was], t.second[was], error === null ? 0 : this.strings.id(error) + 1));
  }

  /** Notes that `node` appended the record (once per node, in first-append order). */
  addHolder(id: number, node: number): void {
    const overflow = this.holderOverflow.get(id);
    if (overflow) {
      if (!overflow.includes(node)) overflow.push(node);
      return;
    }
    const row = this.row(id);
    const packed = this.packedHolders.get(row);
    let slot = 0;
    for (; slot < PACKED_HOLDERS; slot++) {
      const h = (packed >>> (slot * HOLDER_BITS)) & HOLDER_MASK;
      if (h === 0) break;
      if (h - 1 === node) return;
    }
    if (slot < PACKED_HOLDERS && node + 1 <= HOLDER_MASK) {
      this.packedHolders.set(row, (packed | ((node + 1) << (slot * HOLDER_BITS))) >>> 0);
      return;
    }
    const list = unpackHolders(packed);
    list.push(node);
    this.holderOverflow.set(id, list);
  }

  addRemoval(id: number, removalIndex: number): void {
    if (this.removalCount === this.removalIds.length) {
      this.removalIds = doubled(this.removalIds);
      this.removalIndexes = doubled(this.removalIndexes);
    }
    this.removalIds[this.removalCount] = id;
    this.removalIndexes[this.removalCount++] = removalIndex;
    this.removalIndex = null;
  }

  /** The removals of `id` in the order noted, or undefined (the index is built once, on the first read after a change). */
  private removalsOf(id: number): number[] | undefined {
    const ids = this.removalIds;
    const sorted = (this.removalIndex ??= new Int32Array(this.removalCount).map((_, i) => i).sort((a, b) => ids[a] - ids[b] || a - b));
    // The first position whose id is >= id (bisection), then the run of id.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ids[sorted[mid]] < id) lo = mid + 1;
      else hi = mid;
    }
    if (lo === sorted.length || ids[sorted[lo]] !== id) return undefined;
    const out: number[] = [];
    for (let i = lo; i < sorted.length && ids[sorted[i]] === id; i++) out.push(this.removalIndexes[sorted[i]]);
    return out;
  }

  /** A re-sent record starts with no removals (rare: compacts the pairs without it). */
  private dropRemovals(id: number): void {
    let kept = 0;
    for (let i = 0; i < this.removalCount; i++) {
      if (this.removalIds[i] === id) continue;
      this.removalIds[kept] = this.removalIds[i];
      this.removalIndexes[kept++] = this.removalIndexes[i];
    }
    if (kept !== this.removalCount) this.removalIndex = null;
    this.removalCount = kept;
  }

  /** The record's outcome; undefined if it was never sent. */
  outcome(id: number): RecordOutcome | undefined {
    const row = this.row(id);
    return row < 0 ? undefined : OUTCOMES[this.outcomes.get(row) & OUTCOME_MASK];
  }

  partition(id: number): string {
    return this.strings.values[this.sentByTriples.second[this.sentBy.get(this.row(id))]];
  }

  producer(id: number): string {
    return this.strings.values[this.sentByTriples.first[this.sentBy.get(this.row(id))]];
  }

  sendIndexOf(id: number): number {
    return this.sendIndexes.get(this.row(id));
  }

  sessionOf(id: number): number {
    return this.sentByTriples.third[this.sentBy.get(this.row(id))];
  }

  sendUsOf(id: number): TimeUs {
    return this.sendUs.get(this.row(id));
  }

  ackUsOf(id: number): TimeUs {
    return this.ackUsOfRow(this.row(id));
  }

  private ackUsOfRow(row: number): TimeUs {
    return (this.outcomes.get(row) & OUTCOME_ACK_TIME) === 0 ? -1 : this.ackUs.get(row);
  }

  private latencyOfRow(row: number): number {
    const other = this.latencyOtherThanAckMinusSend.get(row);
    if (other !== undefined) return other;
    const ackUs = this.ackUsOfRow(row);
    return ackUs >= 0 ? ackUs - this.sendUs.get(row) : -1;
  }

  /**
   * The produce latency (µs) of every acknowledged record, in send order, with its producer and
   * send time: what the run summary's percentiles read (derived from the rows, not a column of its own).
   */
  forEachAckLatency(visit: (producer: string, latencyUs: number, sendUs: TimeUs) => void): void {
    const acked = OUTCOME_CODE.acked;
    const s = this.strings.values;
    for (let row = 0; row < this.count; row++)
      if ((this.outcomes.get(row) & OUTCOME_MASK) === acked) visit(s[this.sentByTriples.first[this.sentBy.get(row)]], this.latencyOfRow(row), this.sendUs.get(row));
  }

  ackOffsetOf(id: number): number {
    return this.ackOffsets.get(this.row(id));
  }

  /** Record ids in send order. */
  *ids(): Generator<number> {
    yield* this.rowOfId.ids();
  }

  /** The record's history (a snapshot: a new object each call), or undefined if it was never sent. */
  get(id: number): RecordHistory | undefined {
    const row = this.row(id);
    if (row < 0) return undefined;
    const s = this.strings.values;
    const sent = this.sentBy.get(row);
    const sentBy = this.sentByTriples;
    const r = new RecordHistory(id, s[sentBy.first[sent]], s[sentBy.second[sent]], this.sendUs.get(row), this.sendIndexes.get(row), sentBy.third[sent]);
    r.outcome = OUTCOMES[this.outcomes.get(row) & OUTCOME_MASK];
    r.ackUs = this.ackUsOfRow(row);
    r.ackOffset = this.ackOffsets.get(row);
    const acked = this.ackedBy.get(row);
    const ackedBy = this.ackedByTriples;
    r.ackLeaderEpoch = ackedBy.second[acked];
    r.ackLeader = ackedBy.first[acked] === 0 ? null : s[ackedBy.first[acked] - 1];
    r.latencyUs = this.latencyOfRow(row);
    r.error = ackedBy.third[acked] === 0 ? null : s[ackedBy.third[acked] - 1];
    const overflow = this.holderOverflow.get(id);
    const holders = overflow ? [...overflow] : unpackHolders(this.packedHolders.get(row));
    r.holders = holders.length === 0 ? null : holders;
    const removals = this.removalsOf(id);
    r.removals = removals ? [...removals] : null;
    return r;
  }

  /** Every record's history, in send order (snapshots built one at a time). */
  *values(): Generator<RecordHistory> {
    for (const id of this.rowOfId.ids()) yield this.get(id)!;
  }
}

function unpackHolders(packed: number): number[] {
  const out: number[] = [];
  for (let slot = 0; slot < PACKED_HOLDERS; slot++) {
    const h = (packed >>> (slot * HOLDER_BITS)) & HOLDER_MASK;
    if (h === 0) break;
    out.push(h - 1);
  }
  return out;
}

/** Removals are few (truncations and storage losses): their pairs grow by doubling. */
function doubled(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const out = new Int32Array(a.length * 2);
  out.set(a);
  return out;
}
