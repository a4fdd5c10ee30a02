// Where each record first sits in a partition's reference log (final-logs.ts), as an open-addressing
// hash table of typed arrays (record id -> offset, 8 bytes a slot, at most two thirds full) rather than a
// Map: the end-of-run analysis of a virtual hour indexes over a million records, and a Map entry
// costs several times as much. Iterates in log order by walking the log itself.

/** A record's first offset in a log; iterates [record, offset] in log order. A Map satisfies it. */
export interface RecordOffsets extends Iterable<[number, number]> {
  get(record: number): number | undefined;
}

const EMPTY_SLOT = -1;

export class FirstOffsets implements RecordOffsets {
  private readonly keys: Int32Array;
  private readonly offsets: Int32Array;
  private readonly mask: number;

  /** `records`: the log's record ids from `logStartOffset` on (-1: cleaned by compaction). */
  constructor(
    private readonly records: ArrayLike<number>,
    private readonly logStartOffset: number,
    /** Called with a record's first offset and a later one, for each later copy. */
    onDuplicate: (record: number, firstOffset: number, offset: number) => void,
  ) {
    let capacity = 16;
    while (capacity < records.length * 1.5) capacity *= 2;
    if (logStartOffset + records.length > 0x7fffffff) throw new RangeError(`log end offset ${logStartOffset + records.length}: the offset index holds 31-bit offsets`);
    this.keys = new Int32Array(capacity).fill(EMPTY_SLOT);
    this.offsets = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let i = 0; i < records.length; i++) {
      const id = records[i];
      if (id < 0) continue;
      if (id > 0x7fffffff || !Number.isInteger(id)) throw new RangeError(`record id ${id}: the offset index holds 31-bit integer ids`);
      const slot = this.find(id);
      const offset = logStartOffset + i;
      if (this.keys[slot] === id) onDuplicate(id, this.offsets[slot], offset);
      else {
        this.keys[slot] = id;
        this.offsets[slot] = offset;
      }
    }
  }

  get(record: number): number | undefined {
    if (record < 0 || record > 0x7fffffff) return undefined;
    const slot = this.find(record);
    return this.keys[slot] === record ? this.offsets[slot] : undefined;
  }

  *[Symbol.iterator](): Iterator<[number, number]> {
    for (let i = 0; i < this.records.length; i++) {
      const id = this.records[i];
      if (id >= 0 && this.get(id) === this.logStartOffset + i) yield [id, this.logStartOffset + i];
    }
  }

  /** The slot holding `id`, or the empty slot where it would go (linear probing). */
  private find(id: number): number {
    // Fibonacci hashing spreads consecutive ids (which records mostly are) across the table.
    let slot = Math.imul(id, 0x9e3779b1) & this.mask;
    while (this.keys[slot] !== EMPTY_SLOT && this.keys[slot] !== id) slot = (slot + 1) & this.mask;
    return slot;
  }
}
