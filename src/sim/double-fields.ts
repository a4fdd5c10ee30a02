// Keeps numeric fields of an object stored as doubles from its first instance on (a V8 matter, no
// change of value). V8 gives a field the representation of the first value stored in it: a small
// integer (Smi) for `x = 0`. Times in µs and offsets read back from Float64Arrays or computed in
// optimized code arrive later as heap numbers, which widens the field to a double then: every
// object map of the class is deprecated, and all optimized code that read one deoptimizes ("wrong
// map") and is compiled again, mid-run. Widening the field on the first object, before any code is
// optimized, costs nothing. The values are unchanged: x + 0.5 is exact for any integer below 2^52.

/** Widens each named number field of obj to a double in place, keeping its value. Call at the end of a constructor. */
export function keepAsDoubles(obj: object, keys: readonly string[]): void {
  const fields = obj as Record<string, number>;
  for (const k of keys) {
    const value = fields[k];
    if (typeof value !== 'number') throw new Error(`keepAsDoubles: ${k} is not a number field`); // a renamed field
    fields[k] = value + 0.5;
    fields[k] = value;
  }
}
