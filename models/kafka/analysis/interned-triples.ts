// Triples of 32-bit integers interned as dense ids, for per-record columns whose fields take few
// distinct combinations over a run (a record's producer, partition and producer session; its
// acknowledging leader, leader epoch and error): one 16-bit id a row (NarrowIntColumn) where three
// 16-bit columns took 48 bits.

/** Values below this (and at least -1) make a numeric map key, the common case; others a string key. */
const SMALL = 0xffff;

export class InternedTriples {
  readonly first: number[] = [];
  readonly second: number[] = [];
  readonly third: number[] = [];
  private readonly ids = new Map<number | string, number>();
  /** The last id handed out: a run's consecutive rows often repeat it. */
  private last = -1;

  /** The id of (a, b, c), each a 32-bit integer (else a RangeError naming it). */
  id(a: number, b: number, c: number): number {
    const l = this.last;
    if (l >= 0 && this.first[l] === a && this.second[l] === b && this.third[l] === c) return l;
    const small = (a | 0) === a && (b | 0) === b && (c | 0) === c && a >= -1 && a < SMALL && b >= -1 && b < SMALL && c >= -1 && c < SMALL;
    const key = small ? ((a + 1) * 0x10000 + (b + 1)) * 0x10000 + (c + 1) : `${a},${b},${c}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      for (const v of [a, b, c]) if ((v | 0) !== v) throw new RangeError(`${v}: an interned triple holds 32-bit integers`);
      id = this.first.length;
      this.ids.set(key, id);
      // | 0: a -0 reads back as 0, as the 16-bit columns these replace stored it.
      this.first.push(a | 0);
      this.second.push(b | 0);
      this.third.push(c | 0);
    }
    this.last = id;
    return id;
  }
}
