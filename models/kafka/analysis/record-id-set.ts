// A set of run-wide record ids as a bitset (ids are dense from 0: KafkaWorld.nextRecordId), an
// eighth of a byte a record where a Set<number> costs tens: for per-record marks kept through a
// long run.

export class RecordIdSet {
  private bits = new Uint32Array(1024);

  add(id: number): void {
    if (!Number.isInteger(id) || id < 0) throw new RangeError(`record id ${id}: a record id set holds non-negative integer ids`);
    const word = id >>> 5;
    if (word >= this.bits.length) {
      const grown = new Uint32Array(Math.max(word + 1, Math.ceil(this.bits.length * 1.5)));
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[word] |= 1 << (id & 31);
  }

  has(id: number): boolean {
    if (!Number.isInteger(id) || id < 0) return false;
    const word = id >>> 5;
    return word < this.bits.length && (this.bits[word] & (1 << (id & 31))) !== 0;
  }

  delete(id: number): void {
    if (this.has(id)) this.bits[id >>> 5] &= ~(1 << (id & 31));
  }

  clear(): void {
    this.bits = new Uint32Array(1024);
  }
}
