// A column of microsecond times written in (nearly) increasing order, such as the append times of
// a run's records or the completion times of its client ops: 4 bytes a row instead of a Float64's 8.
// Each block of 1,024 rows keeps the time its first row was written with as a Float64, and its rows
// as unsigned 32-bit offsets from it (up to 71 minutes on). Any time that does not come back
// exactly that way (before its block's base, too far after it, off the microsecond grid, NaN) is
// kept as it is in a side map, so the column always reads back exactly what was written. Both
// columns are chunked (chunked-column.ts): they never copy as the run grows them.

import { Float64Column, Uint32Column } from './chunked-column.ts';

const BLOCK_BITS = 10;
/** Offset meaning "in the side map". */
const ELSEWHERE = 0xffffffff;

export class TimeColumn {
  private readonly bases = new Float64Column(16);
  private readonly offsets: Uint32Column;
  private readonly elsewhere = new Map<number, number>();

  constructor(initialRows = 1024) {
    this.offsets = new Uint32Column(initialRows);
  }

  /** Rows written so far. */
  get length(): number {
    return this.offsets.length;
  }

  /** Appends a row. */
  push(timeUs: number): void {
    this.set(this.offsets.length, timeUs);
  }

  /** Writes row `row` (< length: rewrites it; = length: appends). */
  set(row: number, timeUs: number): void {
    const rows = this.offsets.length;
    if (row === rows) this.startBlock(timeUs);
    else if (!(row >= 0 && row < rows)) throw new RangeError(`time column row ${row} outside [0, ${rows}]`);
    const base = this.bases.get(row >>> BLOCK_BITS);
    const d = timeUs - base;
    if (d >= 0 && d < ELSEWHERE && Number.isInteger(d) && base + d === timeUs) {
      this.offsets.set(row, d);
      if (this.elsewhere.size > 0) this.elsewhere.delete(row);
    } else {
      this.offsets.set(row, ELSEWHERE);
      this.elsewhere.set(row, timeUs);
    }
  }

  get(row: number): number {
    const d = this.offsets.get(row);
    return d === ELSEWHERE ? this.elsewhere.get(row)! : this.bases.get(row >>> BLOCK_BITS) + d;
  }

  /** Before appending row `length`: the first row of a block sets the block's base. */
  private startBlock(timeUs: number): void {
    const row = this.offsets.length;
    // NaN or an infinite base would make every row of the block go to the map: start it at 0.
    if ((row & ((1 << BLOCK_BITS) - 1)) === 0) this.bases.push(Number.isFinite(timeUs) ? timeUs : 0);
  }
}
