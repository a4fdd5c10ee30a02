// Typed-array columns of small integers that take 2 bytes a row until a value needs 4: interned
// names, sessions, epochs and batch sizes of a run are small, but nothing bounds them, so a column
// widens (once, copying) to 32 bits the first time a value does not fit. Reads stay exact.

/** Signed: -32,768..32,767 in 16 bits. */
export type NarrowInts = Int16Array | Int32Array;
/** Unsigned: 0..65,535 in 16 bits. */
export type NarrowUints = Uint16Array | Int32Array;

/** Writes v at row, widening first when v does not fit; returns the column to keep. */
export function putNarrow<C extends NarrowInts | NarrowUints>(col: C, row: number, v: number): C {
  if (col instanceof Int16Array ? v < -0x8000 || v > 0x7fff : col instanceof Uint16Array && (v < 0 || v > 0xffff)) col = Int32Array.from(col) as C;
  col[row] = v;
  return col;
}

/** A copy of col with `length` rows (same width). */
export function grownNarrow<C extends NarrowInts | NarrowUints>(col: C, length: number): C {
  const to = new (col.constructor as new (n: number) => C)(length);
  to.set(col);
  return to;
}
