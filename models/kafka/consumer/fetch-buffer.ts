// Kafka's FetchBuffer: records fetched but not yet returned by poll(), per partition slot, with the
// offset of the first. A partition is fetched again only once its buffer is drained.

import { MemoryRecords } from '../storage/log-record-store.ts';

export class FetchBuffer {
  readonly records: MemoryRecords[];
  /** Offset of records[s][0]. */
  readonly offset: Float64Array;

  constructor(slots: number) {
    this.records = Array.from({ length: slots }, () => MemoryRecords.EMPTY);
    this.offset = new Float64Array(slots);
  }

  isEmpty(s: number): boolean {
    return this.records[s].length === 0;
  }

  clear(s: number): void {
    this.records[s] = MemoryRecords.EMPTY;
  }

  add(s: number, records: MemoryRecords, offset: number): void {
    this.records[s] = records;
    this.offset[s] = offset;
  }
}
