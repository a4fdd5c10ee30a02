// `ksim check --property P`: P must be a property the scenario's model checks. A misspelt name
// would match no violation, and every run would "pass"; it is refused with the closest name.

import type { ModelDefinition } from '../scenario/model-definition.ts';
import { didYouMean } from '../scenario/closest-name.ts';
import { propertyNamesOf } from '../scenario/property-names.ts';
import { resolveScenario } from '../scenario/resolve-scenario.ts';
import { UserError } from '../scenario/user-error.ts';

export function checkPropertyNames(raw: unknown, settings: readonly string[], properties: readonly string[], models: readonly ModelDefinition[]): void {
  if (properties.length === 0) return;
  const res = resolveScenario(raw, models, { settings });
  const known = propertyNamesOf(res);
  for (const p of properties)
    if (!known.includes(p))
      throw new UserError(
        `--property ${p}: model "${res.definition.name}" checks no property of that name${didYouMean(p, known)}; its properties are ${known.join(', ')}`,
      );
}
