// Binary searches over histories kept in time order (ISR changes, read frontiers, elections):
// "what held at time t" is the last entry at or before t.

interface Timed {
  readonly timeUs: number;
}

/**
 * How many entries of `list` (in non-decreasing timeUs) are at or before `timeUs` (`strict`:
 * before it); the entry in force at `timeUs` is the one before that index.
 */
export function countUntil(list: readonly Timed[], timeUs: number, strict = false): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].timeUs < timeUs || (!strict && list[mid].timeUs === timeUs)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
