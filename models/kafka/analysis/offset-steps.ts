// An offset that only rises, over time, stored by columns: a partition's read frontier (how far any
// consumer had polled it) or an offsets partition's highest announced high watermark. A long run
// adds a row per rise (a virtual hour: over a million high watermark rises of __consumer_offsets,
// one per commit), so rows are 4 bytes of time (TimeColumn) and 4 of offset, not an object each
// (~56 bytes with its array slot and boxed time).

import type { TimeUs } from '../../../src/sim/time.ts';
import { TimeColumn } from '../../../src/sim/time-column.ts';
import { Int32Column } from '../../../src/sim/chunked-column.ts';

/** A row whose offset does not fit 32 bits (it is in wideOffsets). */
const WIDE = -(2 ** 31);

/** (time, offset) rows in time order, offsets increasing; the offset at a time is its last row's. */
export class OffsetSteps {
  /** In time order: 4 bytes a row (TimeColumn). */
  private readonly timeUs = new TimeColumn(16);
  /** Offsets are 32-bit in a run (the record store's): a chunked column; any other value is kept in `wideOffsets` (its row reads WIDE). */
  private readonly offset = new Int32Column(16);
  private readonly wideOffsets = new Map<number, number>();
  /** The last row's time (NaN: no row), kept apart so a push reads no column. */
  private lastTimeUs = NaN;

  private get count(): number {
    return this.offset.length;
  }

  private offsetAt(row: number): number {
    const v = this.offset.get(row);
    return v === WIDE ? this.wideOffsets.get(row)! : v;
  }

  /** The highest offset reached so far (-Infinity: none). */
  get last(): number {
    return this.count === 0 ? -Infinity : this.offsetAt(this.count - 1);
  }

  /** A new highest offset (above last) at `timeUs` (at or after the last row's time). */
  push(timeUs: TimeUs, offset: number): void {
    // A later rise at the same time supersedes the row: at() of that time or after reads the new offset either way.
    const same = this.lastTimeUs === timeUs;
    if (!same) {
      this.timeUs.push(timeUs);
      this.lastTimeUs = timeUs;
    }
    const row = same ? this.count - 1 : this.count;
    if ((offset | 0) === offset && offset !== WIDE) {
      this.offset.set(row, offset);
      if (this.wideOffsets.size > 0) this.wideOffsets.delete(row); // almost always empty: no hash lookup for nothing
    } else {
      this.offset.set(row, WIDE);
      this.wideOffsets.set(row, offset);
    }
  }

  /** The offset reached by `timeUs` (the last row at or before it); 0 before any. */
  at(timeUs: TimeUs): number {
    // Rows are in time order: bisect for the first row after timeUs.
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.timeUs.get(mid) <= timeUs) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : this.offsetAt(lo - 1);
  }

  /** When the offset first passed `offset` (the first row above it); undefined if it never did. */
  firstAbove(offset: number): TimeUs | undefined {
    // Offsets rise row by row: bisect for the first row above `offset`.
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.offsetAt(mid) <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo === this.count ? undefined : this.timeUs.get(lo);
  }
}

/** OffsetSteps per leader epoch (a partition's leader HW moves): the epoch of the last row is at hand, as most rows are in it. */
export class OffsetStepsByEpoch {
  readonly byEpoch = new Map<number, OffsetSteps>();
  private lastEpoch = Number.NaN;
  private last: OffsetSteps | null = null;

  of(leaderEpoch: number): OffsetSteps {
    if (leaderEpoch === this.lastEpoch) return this.last!;
    let moves = this.byEpoch.get(leaderEpoch);
    if (moves === undefined) this.byEpoch.set(leaderEpoch, (moves = new OffsetSteps()));
    this.lastEpoch = leaderEpoch;
    this.last = moves;
    return moves;
  }
}
