// Where the run's records live: one columnar table (typed arrays, about 14 bytes a record) that
// every replica's log indexes into. A record is written once, when a leader appends it; its
// replicas, the fetch responses that carry it and the consumers' fetch buffers hold only its row
// number (a "ref", 4 bytes), as Kafka's replicas copy a batch's bytes unchanged: the same record
// at the same offset on every replica that holds it. Rows are never rewritten (records are
// immutable), so a ref always reads the same. The log cleaner's copy of a record (same offset,
// epoch and batch metadata, id -1 - id: log-cleaner.ts) needs no row of its own: its ref is the
// original's complemented (~ref, negative), which every accessor reads as the original but the id.
//
// MemoryRecords (Kafka's MemoryRecords, the records of a fetch response) is a run of refs with
// the store that resolves them.

import { ModelAssertionError } from '../../../src/sim/model-assertion-error.ts';
import { TimeColumn } from '../../../src/sim/time-column.ts';
import { Int32Column, Int32View, NarrowIntColumn } from '../../../src/sim/chunked-column.ts';

/** A record as stored: its run-wide id and the batch metadata idempotence needs. */
export interface LogRecord {
  readonly id: number;
  /** Leader epoch of the leader that appended it. */
  readonly epoch: number;
  /** -1: not from an idempotent producer. */
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly sequence: number;
  /** Records of one producer batch are contiguous; the first carries the batch size. */
  readonly batchSize: number;
  readonly appendUs: number;
}

const INITIAL_ROWS = 4096;
/** The id a gap entry's row holds; read through its ref (~row) it is GAP_RECORD_ID. */
const GAP_ROW_ID = 0x7fffffff;
/** What a gap entry reads as (addGap): an id no record has, below every cleaned copy's. */
export const GAP_RECORD_ID = -1 - GAP_ROW_ID;

function int32(v: number, field: string): number {
  if ((v | 0) !== v) throw new ModelAssertionError(`record ${field} ${v} does not fit the record store's 32-bit column`);
  return v;
}

export class LogRecordStore {
  /** Chunked columns (src/sim/chunked-column.ts): a run's millions of rows never copy as they grow. */
  /**
   * Each row's record id minus the row: leaders append records about in id order (ids go to sent
   * records and __consumer_offsets records alike, rows to appended ones), so 16 bits a row until
   * the gap passes 32,767 (then 32, once).
   */
  private readonly idMinusRow = new NarrowIntColumn(true, INITIAL_ROWS);
  /**
   * Each row's batch metadata (leader epoch, producer id and epoch, batch size), interned: a
   * producer batch's records share all but the batch size (the first record's), and a run has few
   * distinct ones (epochs x producer sessions x batch sizes), so 16 bits a row rather than 64
   * (32 past 65,536 distinct ones). The ids index the four arrays below.
   */
  private readonly metaIds = new NarrowIntColumn(false, INITIAL_ROWS);
  private readonly metaEpoch: number[] = [];
  private readonly metaProducerId: number[] = [];
  private readonly metaProducerEpoch: number[] = [];
  private readonly metaBatchSize: number[] = [];
  private readonly metaIdOfKey = new Map<string, number>();
  /** The last two metadata ids added (a batch's first record and the rest): most rows repeat one. */
  private lastMeta = -1;
  private lastMetaBefore = -1;
  private readonly sequences = new Int32Column(INITIAL_ROWS);
  /** Rows are written as leaders append, in time order: 4 bytes a row. */
  private readonly appendUsCol = new TimeColumn(INITIAL_ROWS);
  /**
   * No row's append time is below this (NaN once a NaN was written: then nothing is known), so a
   * log can tell that no record of it is older than segment.ms without reading one (log-manager.ts maybeRoll).
   */
  oldestAppendUs = Infinity;

  /** Rows written so far. */
  get size(): number {
    return this.idMinusRow.length;
  }

  /** Writes rec as a new row; returns its ref. */
  add(rec: LogRecord): number {
    const r = this.idMinusRow.length;
    this.idMinusRow.push(int32(int32(rec.id, 'id') - r, 'id'));
    this.metaIds.push(this.metaId(int32(rec.epoch, 'epoch'), int32(rec.producerId, 'producer id'), int32(rec.producerEpoch, 'producer epoch'), int32(rec.batchSize, 'batch size')));
    this.sequences.push(int32(rec.sequence, 'sequence'));
    this.appendUsCol.push(rec.appendUs);
    if (!(rec.appendUs >= this.oldestAppendUs) && !Number.isNaN(this.oldestAppendUs)) this.oldestAppendUs = rec.appendUs;
    return r;
  }

  /** The interned id of a row's batch metadata. */
  private metaId(epoch: number, producerId: number, producerEpoch: number, batchSize: number): number {
    if (this.isMeta(this.lastMeta, epoch, producerId, producerEpoch, batchSize)) return this.lastMeta;
    if (this.isMeta(this.lastMetaBefore, epoch, producerId, producerEpoch, batchSize)) return this.lastMetaBefore;
    const key = `${epoch},${producerId},${producerEpoch},${batchSize}`;
    let m = this.metaIdOfKey.get(key);
    if (m === undefined) {
      m = this.metaEpoch.length;
      this.metaIdOfKey.set(key, m);
      // | 0: a -0 reads back as 0, as the 16-bit columns these replace stored it.
      this.metaEpoch.push(epoch | 0);
      this.metaProducerId.push(producerId | 0);
      this.metaProducerEpoch.push(producerEpoch | 0);
      this.metaBatchSize.push(batchSize | 0);
    }
    this.lastMetaBefore = this.lastMeta;
    this.lastMeta = m;
    return m;
  }

  private isMeta(m: number, epoch: number, producerId: number, producerEpoch: number, batchSize: number): boolean {
    return m >= 0 && this.metaEpoch[m] === epoch && this.metaProducerId[m] === producerId && this.metaProducerEpoch[m] === producerEpoch && this.metaBatchSize[m] === batchSize;
  }

  /**
   * A new gap entry standing at the offset of record `ref`: nothing is there (a truncation cut the
   * batch that held it: PartitionLog.truncateTo), read as id GAP_RECORD_ID (negative: readers skip
   * it as a compacted record), no producer, a batch of its own, the record's epoch and append time.
   */
  addGap(ref: number): number {
    const r = this.idMinusRow.length;
    const m = this.metaIds.get(row(ref));
    this.add({ id: GAP_ROW_ID, epoch: this.metaEpoch[m], producerId: -1, producerEpoch: -1, sequence: -1, batchSize: 1, appendUs: this.appendUs(ref) });
    return ~r;
  }

  /** A gap entry where no record ever was (a log started past its end: PartitionLog.truncateFullyAndStartAt): no epoch, written at appendUs. */
  addEmpty(appendUs: number): number {
    const r = this.idMinusRow.length;
    this.add({ id: GAP_ROW_ID, epoch: -1, producerId: -1, producerEpoch: -1, sequence: -1, batchSize: 1, appendUs });
    return ~r;
  }

  /** Whether `ref` is a gap entry's (addGap, addEmpty). */
  isGap(ref: number): boolean {
    return ref < 0 && this.idMinusRow.get(~ref) + ~ref === GAP_ROW_ID;
  }

  /** The ref of the log cleaner's copy of record `ref` (itself when already a copy). */
  static cleanedCopy(ref: number): number {
    return ref < 0 ? ref : ~ref;
  }

  /** Run-wide id; -1 - id for a cleaned copy. */
  id(ref: number): number {
    return ref < 0 ? -1 - (this.idMinusRow.get(~ref) + ~ref) : this.idMinusRow.get(ref) + ref;
  }

  epoch(ref: number): number {
    return this.metaEpoch[this.metaIds.get(row(ref))];
  }

  appendUs(ref: number): number {
    return this.appendUsCol.get(row(ref));
  }

  producerId(ref: number): number {
    return this.metaProducerId[this.metaIds.get(row(ref))];
  }

  batchSize(ref: number): number {
    return this.metaBatchSize[this.metaIds.get(row(ref))];
  }

  producerEpoch(ref: number): number {
    return this.metaProducerEpoch[this.metaIds.get(row(ref))];
  }

  sequence(ref: number): number {
    return this.sequences.get(row(ref));
  }

  /** Record `ref` as an object (a fresh one: for the rare readers of a whole record). */
  record(ref: number): LogRecord {
    const r = row(ref);
    const m = this.metaIds.get(r);
    return {
      id: this.id(ref),
      epoch: this.metaEpoch[m],
      producerId: this.metaProducerId[m],
      producerEpoch: this.metaProducerEpoch[m],
      sequence: this.sequences.get(r),
      batchSize: this.metaBatchSize[m],
      appendUs: this.appendUsCol.get(r),
    };
  }
}

/** The row a ref reads: its own, or for a cleaned copy (~row) the original's. */
function row(ref: number): number {
  return ref ^ (ref >> 31);
}


/**
 * Kafka's MemoryRecords: consecutive records of one log, as a fetch response carries them: refs
 * into store, as a view of the log's refs (PartitionLog.read), shared rather than copied: the view
 * keeps what it was given whatever the log does next (SharedInt32Column copies a chunk on write).
 */
export class MemoryRecords {
  constructor(
    readonly store: LogRecordStore | null,
    /** The refs, as the log handed them out (a follower's log may share their chunks: PartitionLog.appendAsFollower). */
    readonly refs: Int32View,
  ) {}

  static readonly EMPTY = new MemoryRecords(null, Int32View.EMPTY);

  /** `records` written to a store of their own (unit tests' scripted fetch responses). */
  static of(records: readonly LogRecord[]): MemoryRecords {
    const store = new LogRecordStore();
    return new MemoryRecords(store, Int32View.of(Int32Array.from(records, (r) => store.add(r))));
  }

  get length(): number {
    return this.refs.length;
  }

  /** The store ref of record i. */
  ref(i: number): number {
    return this.refs.get(i);
  }

  id(i: number): number {
    return this.store!.id(this.refs.get(i));
  }

  epoch(i: number): number {
    return this.store!.epoch(this.refs.get(i));
  }

  /** The records from index `from` on (sharing the refs). */
  from(from: number): MemoryRecords {
    return from >= this.length ? MemoryRecords.EMPTY : new MemoryRecords(this.store, this.refs.from(from));
  }

  /** These records (of `store`, or none) with `ref`, a record of store, put first. */
  withFirst(store: LogRecordStore, ref: number): MemoryRecords {
    const refs = new Int32Array(this.length + 1);
    refs[0] = ref;
    for (let i = 0; i < this.length; i++) refs[i + 1] = this.refs.get(i);
    return new MemoryRecords(store, Int32View.of(refs));
  }

  /** Whether `prefix` holds the same records of the same store as this one's first prefix.length. */
  startsWith(prefix: MemoryRecords): boolean {
    if (prefix.store !== this.store || prefix.length > this.length) return false;
    for (let i = 0; i < prefix.length; i++) if (this.ref(i) !== prefix.ref(i)) return false;
    return true;
  }

  /** Every record as an object (tests and other rare whole-batch readers). */
  toArray(): LogRecord[] {
    return Array.from({ length: this.length }, (_, i) => this.store!.record(this.refs.get(i)));
  }
}
