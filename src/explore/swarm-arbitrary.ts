// Swarm sampling of configurations: each generated run draws its own value for every explored
// config key (within the user's bounds), as in swarm testing, instead of one fixed mix for all
// runs. Keys fixed with --set are left out of the space. Values shrink toward the first
// candidate listed, so list the "safest"/default value first. A null candidate sets nothing: the
// run keeps the scenario's own value (a model's default can depend on the scenario, e.g. on the
// version it runs), and shrinks toward it when listed first.

import fc from 'fast-check';
import type { ConfigSpace } from '../scenario/model-exploration.ts';

/** Each run's `key=value` settings, one per explored key not fixed (none for a null pick). */
export function settingsArbitrary(space: ConfigSpace, fixedKeys: readonly string[]): fc.Arbitrary<string[]> {
  const keys = Object.keys(space).filter((k) => !fixedKeys.includes(k) && space[k].length > 0);
  if (keys.length === 0) return fc.constant([]);
  return fc
    .tuple(...keys.map((k) => fc.integer({ min: 0, max: space[k].length - 1 })))
    .map((picks) => picks.flatMap((p, i) => (space[keys[i]][p] === null ? [] : [`${keys[i]}=${JSON.stringify(space[keys[i]][p])}`])));
}

/** The key of a `key=value` setting. */
export function settingKey(setting: string): string {
  const eq = setting.indexOf('=');
  return (eq < 0 ? setting : setting.slice(0, eq)).trim();
}
