import { describe, expect, it } from 'vitest';
import { nearestRankPercentile, sortedSamples } from './nearest-rank-percentile.ts';

describe('nearestRankPercentile', () => {
  it('picks the sample at rank ceil(p/100 * n)', () => {
    const samples = sortedSamples([4, 1, 3, 2]);
    expect(nearestRankPercentile(samples, 50)).toBe(2);
    expect(nearestRankPercentile(samples, 51)).toBe(3);
    expect(nearestRankPercentile(samples, 99)).toBe(4);
    expect(nearestRankPercentile(samples, 100)).toBe(4);
    expect(nearestRankPercentile(samples, 1)).toBe(1);
  });

  it('is exact at integer ranks of 1..100 and 1..1000', () => {
    const hundred = sortedSamples(Array.from({ length: 100 }, (_, i) => 100 - i));
    expect(nearestRankPercentile(hundred, 50)).toBe(50);
    expect(nearestRankPercentile(hundred, 99)).toBe(99);
    const thousand = sortedSamples(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(nearestRankPercentile(thousand, 99.9)).toBe(999);
    expect(nearestRankPercentile(thousand, 7)).toBe(70);
  });

  it('sorts numerically, not as strings', () => {
    expect(Array.from(sortedSamples([10, 9, 100]))).toEqual([9, 10, 100]);
  });

  it('has no percentile of nothing and rejects percentiles outside (0, 100]', () => {
    expect(nearestRankPercentile(sortedSamples([]), 50)).toBeUndefined();
    expect(() => nearestRankPercentile(sortedSamples([1]), 0)).toThrow(RangeError);
  });
});
