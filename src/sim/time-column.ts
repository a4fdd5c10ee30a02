// A column of microsecond times written in (nearly) increasing order, such as the append times of
// a run's records or the completion times of its client ops: 4 bytes a row instead of a Float64's 8.
// Each block of 1,024 rows keeps the time its first row was written with as a Float64, and its rows
// as unsigned 32-bit offsets from it (up to 71 minutes on). Any time that does not come back
// exactly that way (before its block's base, too far after it, off the microsecond grid, NaN) is
// kept as it is in a side map, so the column always reads back exactly what was written.

const BLOCK_BITS = 10;
/** Offset meaning "in the side map". */
const ELSEWHERE = 0xffffffff;

export class TimeColumn {
  private bases = new Float64Array(16);
  private offsets: Uint32Array;
  private readonly elsewhere = new Map<number, number>();
  private rows = 0;

  constructor(initialRows = 1024) {
    this.offsets = new Uint32Array(Math.max(1, initialRows));
  }

  /** Rows written so far. */
  get length(): number {
    return this.rows;
  }

  /** Appends a row. */
  push(timeUs: number): void {
    this.set(this.rows, timeUs);
  }

  /** Writes row `row` (< length: rewrites it; = length: appends). */
  set(row: number, timeUs: number): void {
    if (row === this.rows) this.append(timeUs);
    else if (!(row >= 0 && row < this.rows)) throw new RangeError(`time column row ${row} outside [0, ${this.rows}]`);
    const base = this.bases[row >>> BLOCK_BITS];
    const d = timeUs - base;
    if (d >= 0 && d < ELSEWHERE && Number.isInteger(d) && base + d === timeUs) {
      this.offsets[row] = d;
      if (this.elsewhere.size > 0) this.elsewhere.delete(row);
    } else {
      this.offsets[row] = ELSEWHERE;
      this.elsewhere.set(row, timeUs);
    }
  }

  get(row: number): number {
    const d = this.offsets[row];
    return d === ELSEWHERE ? this.elsewhere.get(row)! : this.bases[row >>> BLOCK_BITS] + d;
  }

  private append(timeUs: number): void {
    const row = this.rows;
    if (row === this.offsets.length) {
      // By a quarter, not doubling: a long run's slack stays under a quarter of the rows it holds.
      const grown = new Uint32Array(Math.ceil(row * 1.25) + 1);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    const block = row >>> BLOCK_BITS;
    if ((row & ((1 << BLOCK_BITS) - 1)) === 0) {
      if (block === this.bases.length) {
        const grown = new Float64Array(this.bases.length * 2);
        grown.set(this.bases);
        this.bases = grown;
      }
      // NaN or an infinite base would make every row of the block go to the map: start it at 0.
      this.bases[block] = Number.isFinite(timeUs) ? timeUs : 0;
    }
    this.rows = row + 1;
  }
}
