// The scenario variants `npm run bench` measures: the default scenario made longer or shorter (its
// faults that would start after the end dropped), with more partitions or faster producers. Raw
// scenario JSON in, raw scenario JSON out; the benchmark resolves it like any scenario.

export interface BenchVariant {
  durationMs?: number;
  /** Partitions of the first topic. */
  partitions?: number;
  /** Records per second of every producer. */
  ratePerSec?: number;
}

export function benchVariant(raw: Record<string, unknown>, v: BenchVariant): Record<string, unknown> {
  const out = structuredClone(raw) as Record<string, unknown> & {
    faults?: { atMs: number }[];
    topics?: { partitions: number }[];
    producers?: { ratePerSec: number }[];
  };
  if (v.durationMs !== undefined) {
    out.durationMs = v.durationMs;
    if (out.faults) out.faults = out.faults.filter((f) => f.atMs < v.durationMs!);
  }
  if (v.partitions !== undefined && out.topics?.[0]) out.topics[0].partitions = v.partitions;
  if (v.ratePerSec !== undefined) for (const p of out.producers ?? []) p.ratePerSec = v.ratePerSec;
  return out;
}

export function describeVariant(v: BenchVariant): string {
  const parts: string[] = [];
  if (v.durationMs !== undefined) parts.push(`${v.durationMs / 1000} s virtual`);
  if (v.partitions !== undefined) parts.push(`${v.partitions} partitions`);
  if (v.ratePerSec !== undefined) parts.push(`producers at ${v.ratePerSec.toLocaleString('en-US')} records/s`);
  return parts.join(', ');
}
