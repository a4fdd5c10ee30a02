// lengthOfUnion against the union it stands for, and intersection over a TimeColumn against the
// same edges as an array: the producer-felt figures read pending-sends' columns in place.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TimeColumn } from '../../../src/sim/time-column.ts';
import { intersection, lengthOf, lengthOfUnion, union } from './time-spans.ts';

/** Sorted, disjoint-or-touching [start, end] pairs (some empty) from steps between edges. */
const sortedSpans = fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 })), { maxLength: 12 }).map((steps) => {
  const out: number[] = [];
  let t = 0;
  for (const [gap, length] of steps) {
    t += gap;
    out.push(t, t + length);
    t += length;
  }
  return out;
});

function column(edges: readonly number[]): TimeColumn {
  const c = new TimeColumn(16);
  for (const e of edges) c.push(e);
  return c;
}

describe('lengthOfUnion', () => {
  it('is the length of the union of every list, read from arrays or columns', () => {
    fc.assert(
      fc.property(fc.array(sortedSpans, { maxLength: 5 }), (lists) => {
        const expected = lengthOf(union(lists.flat()));
        expect(lengthOfUnion(lists)).toBe(expected);
        expect(lengthOfUnion(lists.map(column))).toBe(expected);
      }),
    );
  });

  it('overlapping, touching and empty spans of several lists', () => {
    expect(lengthOfUnion([[0, 10, 20, 30], [5, 15, 30, 40], [50, 50]])).toBe(35); // [0,15] [20,40]
    expect(lengthOfUnion([])).toBe(0);
    expect(lengthOfUnion([[7, 7]])).toBe(0);
  });

  it('a list not sorted by start counts as union does', () => {
    expect(lengthOfUnion([[20, 30, 0, 10], [5, 25]])).toBe(lengthOf(union([20, 30, 0, 10, 5, 25])));
    expect(lengthOfUnion([[20, 30, 0, 10], [5, 25]])).toBe(30);
  });
});

describe('intersection', () => {
  it('reads a TimeColumn as the same edges in an array', () => {
    fc.assert(
      fc.property(sortedSpans, sortedSpans, (a, b) => {
        expect(intersection(column(a), b)).toEqual(intersection(a, b));
        expect(intersection(a, column(b))).toEqual(intersection(a, b));
      }),
    );
    expect(intersection([0, 10, 20, 30], [5, 25])).toEqual([5, 10, 20, 25]);
  });
});
