// The property names a scenario's run can report (its checkers' names), for flags that name
// properties (`ksim check --property`): a misspelt name would otherwise match no violation and make
// every run pass. Found by building the model's checkers for the resolved scenario, the same way a
// run does, so the list is whatever the model really checks
// (observers, which never report a violation, left out).

import { SeededChoices } from '../sim/seeded-choices.ts';
import { msToUs } from '../sim/time.ts';
import type { Resolution } from './resolve-scenario.ts';

export function propertyNamesOf(res: Resolution): string[] {
  const { scenario, definition, topology } = res;
  const instance = definition.create({
    topology,
    choices: new SeededChoices(scenario.seed),
    config: scenario,
    durationUs: scenario.durationMs === undefined ? Infinity : msToUs(scenario.durationMs),
  });
  return [...new Set(instance.checkers.filter((c) => !c.observer).map((c) => c.name))];
}
