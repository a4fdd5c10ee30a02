// What the library API takes as a scenario (a preset's name or a scenario object) and how it
// becomes a resolved, validated scenario: the CLI's own path (resolve-scenario.ts), so an API
// user gets the same one-line errors as `ksim run`.

import { MODELS, SCENARIO_PRESETS } from '../../models/index.ts';
import { resolveScenario, type Resolution } from '../scenario/resolve-scenario.ts';
import { UserError } from '../scenario/user-error.ts';

/** A scenario: a preset's name ("msk-3az-outage", "check-small"...) or a scenario object as in a scenario file. */
export type ScenarioInput = string | Record<string, unknown>;

/** A copy of a scenario input as an object (a preset's by name). @throws UserError for an unknown preset. */
export function scenarioObject(scenario: ScenarioInput): Record<string, unknown> {
  if (typeof scenario !== 'string') return structuredClone(scenario);
  if (!Object.hasOwn(SCENARIO_PRESETS, scenario))
    throw new UserError(`scenario "${scenario}": no preset of that name; presets are ${Object.keys(SCENARIO_PRESETS).join(', ')} (or pass a scenario object)`);
  return structuredClone(SCENARIO_PRESETS[scenario]);
}

/**
 * Validates a scenario as `ksim run` does and returns it resolved (defaults filled in).
 * @throws UserError naming the field and the fix, as the CLI prints it.
 */
export function resolve(scenario: ScenarioInput, options: { seed?: number | string; settings?: readonly string[] } = {}): Resolution {
  return resolveScenario(scenarioObject(scenario), MODELS, { settings: [...(options.settings ?? [])], seed: options.seed === undefined ? undefined : String(options.seed) });
}
