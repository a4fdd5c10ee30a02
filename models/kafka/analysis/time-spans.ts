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

/**
 * A flat [start, end, start, end, ...] list read by index, kept other than as an array: a
 * TimeColumn (pending-sends.ts keeps a producer's waiting spans in one: a span for most sends of a
 * long run, which as arrays of numbers were 65 MB at the end of a virtual hour).
 */
export interface EdgeColumn {
  readonly length: number;
  get(i: number): number;
}

type Edges = readonly number[] | EdgeColumn;

function edge(list: Edges, i: number): number {
  return Array.isArray(list) ? (list as readonly number[])[i] : (list as EdgeColumn).get(i);
}

/** The intersection of two sorted, disjoint lists of [start, end] pairs. */
export function intersection(a: Edges, b: Edges): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const aEnd = edge(a, i + 1);
    const bEnd = edge(b, j + 1);
    clip(edge(a, i), aEnd, edge(b, j), bEnd, out);
    if (aEnd < bEnd) i += 2;
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

/**
 * lengthOf(union(all the lists' pairs)) without building either: the lists, each sorted by start,
 * are merged as they are read (a list that is not falls back to union). What a producer's waiting
 * time over its partitions reads (producer-felt-unavailability.ts).
 */
export function lengthOfUnion(lists: readonly Edges[]): number {
  for (const list of lists) for (let i = 2; i < list.length; i += 2) if (edge(list, i) < edge(list, i - 2)) return lengthOf(union(lists.flatMap((l) => Array.from({ length: l.length }, (_, k) => edge(l, k)))));
  const next = lists.map(() => 0);
  let total = 0;
  let start = 0;
  let end = 0;
  let open = false;
  for (;;) {
    // The list whose next pair starts first (ties: ends first), as union's sort orders them.
    let from = -1;
    for (let l = 0; l < lists.length; l++) {
      const i = next[l];
      if (i >= lists[l].length) continue;
      if (from < 0) from = l;
      else {
        const best = next[from];
        const s = edge(lists[l], i);
        const bestStart = edge(lists[from], best);
        if (s < bestStart || (s === bestStart && edge(lists[l], i + 1) < edge(lists[from], best + 1))) from = l;
      }
    }
    if (from < 0) break;
    const i = next[from];
    next[from] = i + 2;
    const s = edge(lists[from], i);
    const e = edge(lists[from], i + 1);
    if (!(e > s)) continue; // empty spans are left out
    if (open && s <= end) end = Math.max(end, e);
    else {
      if (open) total += end - start;
      start = s;
      end = e;
      open = true;
    }
  }
  return open ? total + end - start : total;
}
