import { describe, expect, it } from 'vitest';
import { countUntil } from './time-ordered.ts';

describe('countUntil', () => {
  const list = [{ timeUs: 10 }, { timeUs: 20 }, { timeUs: 20 }, { timeUs: 30 }];
  it('counts the entries at or before a time, or strictly before it', () => {
    expect([5, 10, 19, 20, 29, 30, 99].map((t) => countUntil(list, t))).toEqual([0, 1, 1, 3, 3, 4, 4]);
    expect([5, 10, 19, 20, 29, 30, 99].map((t) => countUntil(list, t, true))).toEqual([0, 0, 1, 1, 3, 3, 4]);
    expect(countUntil([], 7)).toBe(0);
  });
});
