// Sets of time spans as flat [start, end, start, end, ...] arrays of numbers (µs): the shape the
// availability analyses keep their spells in (partition-availability.ts) and intersect with the
// time a producer had a send waiting (producer-felt-unavailability.ts). Flat arrays of numbers:
// a long run has many spans and an object per span would cost ten times the memory.

/** Appends the part of [start, end] within [fromUs, toUs], if any. */
export function clip(start: number, end: number, fromUs: number, toUs: number, out: number[]): void {
  const s = Math.max(start, fromUs);
  const e = Math.min(end, toUs);
  if (e > s) out.push(s, e);
}

/** clip() of every pair of a list sorted by end, from its end back to the first pair that ended by fromUs (called per answered batch: usually none). */
export function clipTail(pairs: readonly number[], fromUs: number, toUs: number, out: number[]): void {
  for (let i = pairs.length - 2; i >= 0 && pairs[i + 1] > fromUs; i -= 2) clip(pairs[i], pairs[i + 1], fromUs, toUs, out);
}

/** The intersection of two sorted, disjoint lists of [start, end] pairs. */
export function intersection(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    clip(a[i], a[i + 1], b[j], b[j + 1], out);
    if (a[i + 1] < b[j + 1]) i += 2;
    else j += 2;
  }
  return out;
}

/** Sorted, disjoint [start, end] pairs covering the given ones; empty spans are left out. */
export function union(pairs: readonly number[]): number[] {
  const order: number[] = [];
  for (let i = 0; i < pairs.length; i += 2) if (pairs[i + 1] > pairs[i]) order.push(i);
  order.sort((a, b) => pairs[a] - pairs[b] || pairs[a + 1] - pairs[b + 1]);
  const out: number[] = [];
  for (const i of order) {
    const last = out.length - 1;
    if (last > 0 && pairs[i] <= out[last]) out[last] = Math.max(out[last], pairs[i + 1]);
    else out.push(pairs[i], pairs[i + 1]);
  }
  return out;
}

/** The total length of a list of disjoint pairs. */
export function lengthOf(pairs: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < pairs.length; i += 2) total += pairs[i + 1] - pairs[i];
  return total;
}
