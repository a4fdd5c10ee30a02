// Where each record first sits in a partition's reference log (final-logs.ts), as the log's offsets
// sorted by record id (then offset) in one Int32Array: 4 bytes a record, found by binary search
// over the log's own record column. The end-of-run analysis of a virtual hour indexes over a
// million records; a Map entry costs several times as much, and a hash table of (id, offset) slots
// kept at most two thirds full 12-24 bytes. Iterates in log order by walking the log itself.

/** A record's first offset in a log; iterates [record, offset] in log order. A Map satisfies it. */
export interface RecordOffsets extends Iterable<[number, number]> {
  get(record: number): number | undefined;
}

/**
 * A log index below 2^22 beside a 31-bit id packs into id * 2^22 + index, below 2^53 and so exact in
 * a double: such logs sort their keys natively (Float64Array.prototype.sort), longer ones by a comparator.
 */
const PACKED_INDEX_LIMIT = 2 ** 22;

export class FirstOffsets implements RecordOffsets {
  /** Indexes into `records` of the uncompacted records, by id ascending, then by index. */
  private readonly byId: Int32Array;
  /** Indexes of later copies (rare), which iteration skips. */
  private readonly laterCopies = new Set<number>();

  /** `records`: the log's record ids from `logStartOffset` on (-1: cleaned by compaction). */
  constructor(
    private readonly records: ArrayLike<number>,
    private readonly logStartOffset: number,
    /** Called with a record's first offset and a later one, for each later copy, in log order. */
    onDuplicate: (record: number, firstOffset: number, offset: number) => void,
  ) {
    if (logStartOffset + records.length > 0x7fffffff) throw new RangeError(`log end offset ${logStartOffset + records.length}: the offset index holds 31-bit offsets`);
    let kept = 0;
    for (let i = 0; i < records.length; i++) {
      const id = records[i];
      if (id < 0) continue;
      if (id > 0x7fffffff || !Number.isInteger(id)) throw new RangeError(`record id ${id}: the offset index holds 31-bit integer ids`);
      kept++;
    }
    this.byId = new Int32Array(kept);
    if (records.length <= PACKED_INDEX_LIMIT) {
      const keys = new Float64Array(kept);
      for (let i = 0, k = 0; i < records.length; i++) if (records[i] >= 0) keys[k++] = records[i] * PACKED_INDEX_LIMIT + i;
      keys.sort();
      for (let k = 0; k < kept; k++) this.byId[k] = keys[k] % PACKED_INDEX_LIMIT;
    } else {
      for (let i = 0, k = 0; i < records.length; i++) if (records[i] >= 0) this.byId[k++] = i;
      this.byId.sort((a, b) => records[a] - records[b] || a - b);
    }
    // Later copies sit right after their first in id order; reported in log order, as a scan of the log meets them.
    const later: number[] = [];
    const firstOf: number[] = [];
    for (let k = 1, first = this.byId[0]; k < kept; k++) {
      const index = this.byId[k];
      if (records[index] !== records[first]) first = index;
      else {
        later.push(index);
        firstOf.push(first);
      }
    }
    const order = later.map((_, n) => n).sort((a, b) => later[a] - later[b]);
    for (const n of order) {
      this.laterCopies.add(later[n]);
      onDuplicate(records[later[n]], logStartOffset + firstOf[n], logStartOffset + later[n]);
    }
  }

  get(record: number): number | undefined {
    if (!(record >= 0 && record <= 0x7fffffff)) return undefined;
    // the lowest position whose id is >= record: the record's first copy, if any
    let lo = 0;
    let hi = this.byId.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.records[this.byId[mid]] < record) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.byId.length && this.records[this.byId[lo]] === record ? this.logStartOffset + this.byId[lo] : undefined;
  }

  *[Symbol.iterator](): Iterator<[number, number]> {
    for (let i = 0; i < this.records.length; i++) {
      const id = this.records[i];
      if (id >= 0 && !this.laterCopies.has(i)) yield [id, this.logStartOffset + i];
    }
  }
}
