// "Did you mean ...?" for misspelt names (config keys, property names...): the known name with the
// smallest edit distance, if it is close enough to be a plausible typo rather than a different
// word. Inputs longer than any name are not typos of one, and are not compared (the distance costs
// the product of the lengths).

/** Longer inputs get no suggestion. */
const INPUT_LENGTH_MAX = 200;

/** Levenshtein distance between two strings. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The closest of `candidates` to `input`, or undefined when nothing is within a third of the
 * longer length (so "acks" suggests nothing for "linger") and no candidate contains the input.
 * Ties go to the earlier candidate.
 */
export function closestKey(input: string, candidates: readonly string[]): string | undefined {
  if (input.length > INPUT_LENGTH_MAX) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  const needle = input.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(needle, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  // A key the input begins ("rate" of "ratePerSec") beats a typo two edits away ("name").
  const prefixed = bestDistance > 1 ? startingWith(needle, candidates)[0] : undefined;
  if (prefixed !== undefined) return prefixed;
  if (best !== undefined && bestDistance <= Math.max(2, Math.ceil(Math.max(input.length, best.length) / 3))) return best;
  // A key that contains the input ("insync" in "min.insync.replicas") is a plausible intent even
  // when the edit distance is large.
  if (needle.length >= 3) return candidates.find((c) => c.toLowerCase().includes(needle));
  return undefined;
}

/**
 * Up to `max` of `candidates` that are plausible typos of `input` (within the distance closestKey
 * allows), nearest first, ties in the candidates' order; when none is, those containing the input.
 */
export function closestKeys(input: string, candidates: readonly string[], max = 3): string[] {
  if (input.length > INPUT_LENGTH_MAX) return [];
  const needle = input.toLowerCase();
  const near = candidates
    .map((c, i) => ({ c, i, d: editDistance(needle, c.toLowerCase()) }))
    .filter(({ c, d }) => d <= Math.max(2, Math.ceil(Math.max(input.length, c.length) / 3)));
  near.sort((a, b) => a.d - b.d || a.i - b.i);
  // Keys the input begins ("rate" of "ratePerSec") come first unless a key is one edit away.
  const prefixed = near.length > 0 && near[0].d <= 1 ? [] : startingWith(needle, candidates);
  const typos = [...new Set([...prefixed, ...near.map(({ c }) => c)])];
  if (typos.length > 0 || needle.length < 3) return typos.slice(0, max);
  return [...new Set(candidates.filter((c) => c.toLowerCase().includes(needle)))].slice(0, max);
}

/** The candidates that begin with `needle` (lower case, at least 3 characters; shorter begins too much). */
function startingWith(needle: string, candidates: readonly string[]): string[] {
  return needle.length < 3 ? [] : candidates.filter((c) => c.length > needle.length && c.toLowerCase().startsWith(needle));
}

/** ` (did you mean "x", "y" or "z"?)` for the closest keys, or an empty string. */
export function didYouMeanOneOf(input: string, candidates: readonly string[]): string {
  const near = closestKeys(input, candidates);
  if (near.length === 0) return '';
  const quoted = near.map((k) => `"${k}"`);
  return ` (did you mean ${quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`}?)`;
}

/** ` (did you mean "x"?)` or an empty string. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const best = closestKey(input, candidates);
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}
