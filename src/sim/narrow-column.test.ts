import { describe, expect, it } from 'vitest';
import { grownNarrow, putNarrow, type NarrowInts, type NarrowUints } from './narrow-column.ts';

describe('narrow columns', () => {
  it('keep 16 bits until a value needs more, then widen keeping every row', () => {
    let s: NarrowInts = new Int16Array(4);
    s = putNarrow(s, 0, -1);
    s = putNarrow(s, 1, 32_767);
    expect(s).toBeInstanceOf(Int16Array);
    s = putNarrow(s, 2, 40_000);
    expect(s).toBeInstanceOf(Int32Array);
    expect(Array.from(s)).toEqual([-1, 32_767, 40_000, 0]);
    let u: NarrowUints = new Uint16Array(2);
    u = putNarrow(u, 0, 65_535);
    expect(u).toBeInstanceOf(Uint16Array);
    u = putNarrow(u, 1, -1);
    expect(Array.from(u)).toEqual([65_535, -1]);
    const g = grownNarrow(new Uint16Array([7, 8]), 4);
    expect(g).toBeInstanceOf(Uint16Array);
    expect(Array.from(g)).toEqual([7, 8, 0, 0]);
  });
});
