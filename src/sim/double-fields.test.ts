import { describe, expect, it } from 'vitest';
import { keepAsDoubles } from './double-fields.ts';

describe('keepAsDoubles', () => {
  it('keeps every value as it was, integers of any size and sign included', () => {
    const o = { a: 0, b: -1, c: 2 ** 40 + 3, d: 123_456_789, e: 'untouched' };
    keepAsDoubles(o, ['a', 'b', 'c', 'd']);
    expect(o).toEqual({ a: 0, b: -1, c: 2 ** 40 + 3, d: 123_456_789, e: 'untouched' });
    expect(Object.is(o.a, 0)).toBe(true); // not -0
  });

  it('refuses a key that names no number field (a field renamed since)', () => {
    expect(() => keepAsDoubles({ a: 0 }, ['b'])).toThrow(/b is not a number field/);
  });
});
