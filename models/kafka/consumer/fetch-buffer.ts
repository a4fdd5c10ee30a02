// Kafka's FetchBuffer: records fetched but not yet returned by poll(), per partition slot, with the
// offset of the first. A partition is fetched again only once its buffer is drained. The slots
// holding records are kept in order too, so a poll visits those rather than every partition.

import { MemoryRecords } from '../storage/log-record-store.ts';

export class FetchBuffer {
  readonly records: MemoryRecords[];
  /** Offset of records[s][0]. */
  readonly offset: Float64Array;
  /** The slots whose records are not empty, ascending. */
  private readonly filled: number[] = [];

  constructor(slots: number) {
    this.records = Array.from({ length: slots }, () => MemoryRecords.EMPTY);
    this.offset = new Float64Array(slots);
  }

  isEmpty(s: number): boolean {
    return this.records[s].length === 0;
  }

  /** A copy of the slots holding records, ascending (the caller may drain them as it goes). */
  filledSlots(): number[] {
    return this.filled.slice();
  }

  clear(s: number): void {
    this.add(s, MemoryRecords.EMPTY, this.offset[s]);
  }

  add(s: number, records: MemoryRecords, offset: number): void {
    const was = this.records[s].length > 0;
    const is = records.length > 0;
    this.records[s] = records;
    this.offset[s] = offset;
    if (was === is) return;
    if (is) {
      let i = this.filled.length;
      while (i > 0 && this.filled[i - 1] > s) i--;
      this.filled.splice(i, 0, s);
    } else this.filled.splice(this.filled.indexOf(s), 1);
  }
}
