import { describe, expect, it } from 'vitest';
import { TimeColumn } from './time-column.ts';

describe('TimeColumn', () => {
  it('reads back exactly what was written: in order, out of order, far apart, fractional, rewritten', () => {
    const c = new TimeColumn(4);
    const written: number[] = [];
    for (let i = 0; i < 5000; i++) {
      // mostly increasing microseconds, with a few that break the pattern
      const t = i === 1500 ? 3 : i === 2048 ? Number.NaN : i === 2049 ? 2.5 : i === 3000 ? 1e13 : i === 4100 ? -7 : 1_000_000 + i * 997;
      c.push(t);
      written.push(t);
    }
    expect(c.length).toBe(5000);
    for (let i = 0; i < 5000; i++) expect(c.get(i)).toBe(written[i]);
    c.set(1500, 1_000_000 + 1500 * 997); // back on the pattern
    c.set(10, 2 ** 40); // off it
    expect(c.get(1500)).toBe(1_000_000 + 1500 * 997);
    expect(c.get(10)).toBe(2 ** 40);
    expect(() => c.set(5001, 0)).toThrow(RangeError);
  });

  it('holds times 71 minutes apart within one block', () => {
    const c = new TimeColumn();
    c.push(0);
    c.push(2 ** 32 - 2);
    c.push(2 ** 32 - 1);
    c.push(2 ** 32 + 5);
    expect([c.get(0), c.get(1), c.get(2), c.get(3)]).toEqual([0, 2 ** 32 - 2, 2 ** 32 - 1, 2 ** 32 + 5]);
  });
});
