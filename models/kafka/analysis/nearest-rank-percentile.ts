// Exact percentiles by the nearest-rank method: the p-th percentile of n sorted samples is the
// sample at rank ceil(p/100 * n) (1-based), so it is always an observed value (p100 is the max,
// p50 of [1,2,3,4] is 2). No interpolation, so the figures are reproducible and easy to check by hand.

/** samplesSorted must be sorted ascending; returns undefined when there are no samples. */
export function nearestRankPercentile(samplesSorted: ArrayLike<number>, percent: number): number | undefined {
  const n = samplesSorted.length;
  if (n === 0) return undefined;
  if (!(percent > 0 && percent <= 100)) throw new RangeError(`percentile ${percent} is outside (0, 100]`);
  // percent * n first keeps integer percentiles exact; snap values a rounding error away from an
  // integer (99.9 * 1000 / 100) so the rank does not jump by one.
  const exactRank = (percent * n) / 100;
  const nearestInteger = Math.round(exactRank);
  const rank = Math.abs(exactRank - nearestInteger) < 1e-9 ? nearestInteger : Math.ceil(exactRank);
  return samplesSorted[Math.min(n, Math.max(1, rank)) - 1];
}

/** Sorts a copy of the samples numerically (Float64Array sorts numbers, not strings). */
export function sortedSamples(samples: readonly number[]): Float64Array {
  return Float64Array.from(samples).sort();
}
