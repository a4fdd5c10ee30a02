// Swarm sampling of configurations: each generated run draws its own value for every explored
// config key (within the user's bounds), as in swarm testing, instead of one fixed mix for all
// runs. Keys fixed with --set are left out of the space. Values shrink toward the first
// candidate listed, so list the "safest"/default value first. A null candidate sets nothing: the
// run keeps the scenario's own value (a model's default can depend on the scenario, e.g. on the
// version it runs), and shrinks toward it when listed first. A key's candidates may be weighted
// (ModelExploration.configWeights): one integer over the weights' sum picks the candidate, so it
// still shrinks toward the first.

import fc from 'fast-check';
import type { ConfigSpace } from '../scenario/model-exploration.ts';

/** Each run's `key=value` settings, one per explored key not fixed (none for a null pick). */
export function settingsArbitrary(space: ConfigSpace, fixedKeys: readonly string[], weights: Readonly<Record<string, readonly number[]>> = {}): fc.Arbitrary<string[]> {
  const keys = Object.keys(space).filter((k) => !fixedKeys.includes(k) && space[k].length > 0);
  if (keys.length === 0) return fc.constant([]);
  return fc
    .tuple(...keys.map((k) => candidateIndex(space[k].length, weights[k])))
    .map((picks) => picks.flatMap((p, i) => (space[keys[i]][p] === null ? [] : [`${keys[i]}=${JSON.stringify(space[keys[i]][p])}`])));
}

/** A candidate's index: each as likely, or by its weight (a key without weights draws as it always did). */
function candidateIndex(count: number, weights: readonly number[] | undefined): fc.Arbitrary<number> {
  if (weights === undefined) return fc.integer({ min: 0, max: count - 1 });
  if (weights.length !== count || weights.some((w) => !Number.isInteger(w) || w < 1)) throw new Error(`config weights ${JSON.stringify(weights)}: one positive integer per candidate (${count})`);
  const ends = weights.map((_, i) => weights.slice(0, i + 1).reduce((a, b) => a + b, 0));
  return fc.integer({ min: 0, max: ends[count - 1] - 1 }).map((x) => ends.findIndex((end) => x < end));
}

/** The key of a `key=value` setting. */
export function settingKey(setting: string): string {
  const eq = setting.indexOf('=');
  return (eq < 0 ? setting : setting.slice(0, eq)).trim();
}
