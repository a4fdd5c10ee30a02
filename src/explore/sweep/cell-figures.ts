// A cell's figures from its runs' figures (run-figures.ts), the definitions behind CellFigures in
// sweep-result.ts. The runs are first put in seed order, so sums (floating point included) are
// taken in one fixed order and the figures do not depend on which worker finished first.
//
// - means are over runs (unavailability: over partitions x runs), rounded to 3 decimals;
// - unavailabilityMsP99: nearest-rank p99 over every partition of every run (zeros included);
// - produce and end-to-end latency p50 / p99: the median over runs of each run's p50 / p99 (a
//   typical run's percentile; a run keeps only its own percentiles, not every sample); max: the
//   largest over runs. Null when no run acknowledged anything (or had no consumer);
// - consumer figures: means over the runs that had consumer groups; null when none had;
// - worst run: most acknowledged records lost, ties to the lowest seed.

import type { CellFigures } from './sweep-result.ts';
import { nearestRankPercentile, sortedSamples } from '../../../models/kafka/analysis/nearest-rank-percentile.ts';
import type { RunFigures } from './run-figures.ts';

export function compareSeeds(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Runs in seed order (a copy). */
export function inSeedOrder(runs: readonly RunFigures[]): RunFigures[] {
  return [...runs].sort((a, b) => compareSeeds(a.seed, b.seed));
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const v of values) sum += v;
  return round3(sum / values.length);
}

function meanOrNull(values: readonly number[]): number | null {
  return values.length === 0 ? null : mean(values);
}

function medianOrNull(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  const v = nearestRankPercentile(sortedSamples(present), 50);
  return v === undefined ? null : round3(v);
}

function maxOrNull(values: readonly (number | null)[]): number | null {
  let out: number | null = null;
  for (const v of values) if (v !== null && (out === null || v > out)) out = v;
  return out === null ? null : round3(out);
}

/** The worst run: most records lost, ties to the lowest seed. `runs` must be in seed order. */
export function worstRunOf(runs: readonly RunFigures[]): RunFigures {
  let worst = runs[0];
  for (const r of runs) if (r.recordsLost > worst.recordsLost) worst = r;
  return worst;
}

export function cellFigures(runsAnyOrder: readonly RunFigures[]): CellFigures {
  const runs = inSeedOrder(runsAnyOrder);
  const unavailability: number[] = [];
  for (const r of runs) {
    for (const ms of r.unavailabilityMs) unavailability.push(ms);
    for (let i = r.unavailabilityMs.length; i < r.partitions; i++) unavailability.push(0);
  }
  const consumers = runs.flatMap((r) => (r.consumer ? [r.consumer] : []));
  let breaches = 0;
  let permitted = 0;
  for (const r of runs) {
    breaches += r.breaches;
    permitted += r.permitted;
  }
  const p99 = nearestRankPercentile(sortedSamples(unavailability), 99);
  return {
    runs: runs.length,
    runsWithLoss: runs.filter((r) => r.recordsLost > 0).length,
    recordsLostMean: mean(runs.map((r) => r.recordsLost)),
    recordsLostMax: runs.reduce((m, r) => Math.max(m, r.recordsLost), 0),
    breaches,
    permitted,
    recordsDuplicatedMean: mean(runs.map((r) => r.recordsDuplicated)),
    recordsReorderedMean: mean(runs.map((r) => r.recordsReordered)),
    unavailabilityMsMean: mean(unavailability),
    unavailabilityMsP99: p99 === undefined ? 0 : round3(p99),
    produceLatencyMsP50: medianOrNull(runs.map((r) => r.produceLatencyMsP50)),
    produceLatencyMsP99: medianOrNull(runs.map((r) => r.produceLatencyMsP99)),
    produceLatencyMsMax: maxOrNull(runs.map((r) => r.produceLatencyMsMax)),
    endToEndLatencyMsP50: medianOrNull(consumers.map((c) => c.endToEndLatencyMsP50)),
    endToEndLatencyMsP99: medianOrNull(consumers.map((c) => c.endToEndLatencyMsP99)),
    consumerDuplicatesMean: meanOrNull(consumers.map((c) => c.duplicates)),
    consumerGapsMean: meanOrNull(consumers.map((c) => c.gaps)),
    rebalanceMsMean: meanOrNull(consumers.map((c) => c.rebalanceMs)),
  };
}
