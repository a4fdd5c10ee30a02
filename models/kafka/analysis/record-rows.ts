// Record id -> row of the RecordTable, in about a quarter of a byte an id. The model hands out
// record ids densely from 0 (KafkaWorld.nextRecordId) to sent records and __consumer_offsets
// records alike, and the table adds rows in send order, so the sent ids arrive in increasing
// order: per block of 32 ids, a bitmask of the ids that have a row and the row of the block's first
// one make a row the block's row plus the count of lower ids in its mask. A table of 32-bit rows by
// id cost 4 bytes an id, a tenth of a virtual hour's history. An id arriving out of order (only
// scripted histories do) switches the index to that table, which is exact for any order.

import { Int32Column, Uint32Column } from '../../../src/sim/chunked-column.ts';

/** Ids a mask covers. */
const BLOCK_BITS = 5;
const BLOCK_MASK = (1 << BLOCK_BITS) - 1;

export class RecordRows {
  /** Rows handed out: row n is the n-th id added. */
  private count = 0;
  private maxId = -1;
  /** Per block: the ids with a row (bit id & 31). */
  private readonly masks = new Uint32Column();
  /** Per block: rows handed out before its first id's. */
  private readonly blockRow = new Int32Column();
  /** Row + 1 by id (0: none), once an id arrived out of order; null until then. */
  private byId: Int32Column | null = null;

  /** The row of `id`, or -1 when it has none. */
  get(id: number): number {
    if ((id | 0) !== id || id < 0) return -1;
    if (this.byId !== null) return id < this.byId.length ? this.byId.get(id) - 1 : -1;
    if (id > this.maxId) return -1;
    const block = id >>> BLOCK_BITS;
    const bit = id & BLOCK_MASK;
    const mask = this.masks.get(block);
    if (((mask >>> bit) & 1) === 0) return -1;
    return this.blockRow.get(block) + bitCount(mask & ((1 << bit) - 1));
  }

  /** Gives `id` (a non-negative integer with no row yet) the next row; returns it. */
  add(id: number): number {
    const row = this.count++;
    if (this.byId === null && id > this.maxId) {
      const block = id >>> BLOCK_BITS;
      while (this.masks.length <= block) {
        this.masks.push(0);
        this.blockRow.push(row);
      }
      this.masks.set(block, (this.masks.get(block) | (1 << (id & BLOCK_MASK))) >>> 0);
      this.maxId = id;
      return row;
    }
    const byId = (this.byId ??= this.tableById());
    byId.growTo(id + 1);
    byId.set(id, row + 1);
    return row;
  }

  /** Every id with a row, in row order. */
  *ids(): Generator<number> {
    if (this.byId === null) {
      // In order: rows ascend with ids, so the masks' set bits in order are the rows in order.
      for (let block = 0; block < this.masks.length; block++) {
        const mask = this.masks.get(block);
        for (let bit = 0; bit <= BLOCK_MASK; bit++) if (((mask >>> bit) & 1) === 1) yield (block << BLOCK_BITS) + bit;
      }
      return;
    }
    const idOfRow = new Int32Array(this.count);
    for (let id = 0; id < this.byId.length; id++) {
      const row = this.byId.get(id) - 1;
      if (row >= 0) idOfRow[row] = id;
    }
    yield* idOfRow;
  }

  /** The rows so far as a table by id. */
  private tableById(): Int32Column {
    const out = new Int32Column();
    out.growTo(this.maxId + 1);
    for (let id = 0; id <= this.maxId; id++) {
      const row = this.get(id);
      if (row >= 0) out.set(id, row + 1);
    }
    return out;
  }
}

/** Set bits of a 32-bit integer. */
function bitCount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
