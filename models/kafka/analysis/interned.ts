// Strings interned as small integers, in first-seen order: the compact analysis stores (record
// table, client op log, consumer timeline) keep the integer in a typed-array column.

/** Strings by small integer, in first-seen order. */
export class Interned {
  private readonly index = new Map<string, number>();
  readonly values: string[] = [];

  id(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}
