// The models ksim can run, and the scenario `npm start` runs when no --scenario is given.
// The first model listed is the default for scenarios that do not name one.

import type { ModelDefinition } from '../src/scenario/model-definition.ts';
import { heartbeatDefinition } from './heartbeat/heartbeat-definition.ts';
import defaultScenario from './heartbeat/heartbeat-default.scenario.json' with { type: 'json' };

export const MODELS: readonly ModelDefinition[] = [heartbeatDefinition];

export const DEFAULT_SCENARIO: Record<string, unknown> = defaultScenario;
