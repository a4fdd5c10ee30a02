import { describe, expect, it } from 'vitest';
import { InternedTriples } from './interned-triples.ts';

describe('InternedTriples', () => {
  it('one id per distinct triple, small and large values alike, each read back exactly', () => {
    const t = new InternedTriples();
    const triples: [number, number, number][] = [[0, -1, 0], [1, 5, 0], [0, -1, 0], [70_000, 2, -5], [1, 5, 1], [70_000, 2, -5], [-(2 ** 31), 2 ** 31 - 1, 65_535], [0xffff, 0, 0], [0, 0xffff, 0]];
    const ids = triples.map(([a, b, c]) => t.id(a, b, c));
    expect(ids).toEqual([0, 1, 0, 2, 3, 2, 4, 5, 6]);
    for (const [i, [a, b, c]] of triples.entries()) expect([t.first[ids[i]], t.second[ids[i]], t.third[ids[i]]]).toEqual([a, b, c]);
  });

  it('refuses what 32 bits cannot hold exactly rather than confusing it with another triple', () => {
    const t = new InternedTriples();
    t.id(0, 32_767, -1);
    expect(() => t.id(0.5, 0, 0)).toThrow(RangeError);
    expect(() => t.id(0, 2 ** 31, 0)).toThrow(RangeError);
    expect(t.first.length).toBe(1);
  });
});
