// A set of run-wide record ids as a bitset (ids are dense from 0: KafkaWorld.nextRecordId), an
// eighth of a byte a record where a Set<number> costs tens: for per-record marks kept through a
// long run.

import { Uint32Column } from '../../../src/sim/chunked-column.ts';

export class RecordIdSet {
  /** Chunked (src/sim/chunked-column.ts): a long run's bits never copy as they grow. */
  private bits = new Uint32Column();

  add(id: number): void {
    if (!Number.isInteger(id) || id < 0) throw new RangeError(`record id ${id}: a record id set holds non-negative integer ids`);
    const word = id >>> 5;
    if (word >= this.bits.length) this.bits.growTo(word + 1);
    this.bits.set(word, this.bits.get(word) | (1 << (id & 31)));
  }

  has(id: number): boolean {
    if (!Number.isInteger(id) || id < 0) return false;
    const word = id >>> 5;
    return word < this.bits.length && (this.bits.get(word) & (1 << (id & 31))) !== 0;
  }

  delete(id: number): void {
    if (this.has(id)) this.bits.set(id >>> 5, this.bits.get(id >>> 5) & ~(1 << (id & 31)));
  }

  clear(): void {
    this.bits = new Uint32Column();
  }
}
