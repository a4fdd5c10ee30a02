// The one interface through which all nondeterminism enters a run. A seeded PRNG drives it in
// normal runs (see seeded-choices.ts); an enumerator can drive the same interface to walk every
// choice sequence within bounds (see enumerated-choices.ts). Simulation code never calls
// Math.random or reads a clock: it asks a Choice.

export interface Choice {
  /** A uniform integer in [0, n). n is a positive integer. */
  below(n: number): number;
  /** A uniform float in [0, 1). */
  unit(): number;
}

/** Hands out one independent Choice per subsystem name ("net", "faults", "<model>.producer.p1"...). */
export interface ChoiceSource {
  stream(name: string): Choice;
}

/** true with probability p. Draws nothing when p is 0 or 1, so disabled features cost no entropy. */
export function chance(choice: Choice, p: number): boolean {
  if (p <= 0) return false;
  if (p >= 1) return true;
  return choice.unit() < p;
}

/** An exponentially distributed value with the given mean (inverse-CDF draw). */
export function exponential(choice: Choice, mean: number): number {
  if (mean <= 0) return 0;
  return -Math.log(1 - choice.unit()) * mean;
}

export function pick<T>(choice: Choice, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[items.length === 1 ? 0 : choice.below(items.length)];
}
