// Kafka's FetchBuffer: records fetched but not yet returned by poll(), per partition slot, with the
// offset of the first. A partition is fetched again only once its buffer is drained.

import type { LogRecord } from '../storage/partition-log.ts';

const EMPTY: LogRecord[] = [];

export class FetchBuffer {
  readonly records: LogRecord[][];
  /** Offset of records[s][0]. */
  readonly offset: Float64Array;

  constructor(slots: number) {
    this.records = Array.from({ length: slots }, (): LogRecord[] => []);
    this.offset = new Float64Array(slots);
  }

  isEmpty(s: number): boolean {
    return this.records[s].length === 0;
  }

  clear(s: number): void {
    this.records[s] = EMPTY;
  }

  add(s: number, records: LogRecord[], offset: number): void {
    this.records[s] = records;
    this.offset[s] = offset;
  }
}
