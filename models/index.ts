// The models ksim can run, the scenario `npm start` runs when no --scenario is given, and named
// scenario presets that `--scenario NAME` accepts. The first model listed is the default for
// scenarios that do not name one.

import type { ModelDefinition } from '../src/scenario/model-definition.ts';
import { heartbeatDefinition } from './heartbeat/heartbeat-definition.ts';
import heartbeatDefault from './heartbeat/heartbeat-default.scenario.json' with { type: 'json' };

export const MODELS: readonly ModelDefinition[] = [heartbeatDefinition];

export const SCENARIO_PRESETS: Record<string, Record<string, unknown>> = {
  'heartbeat-az-outage': heartbeatDefault,
};

export const DEFAULT_SCENARIO: Record<string, unknown> = heartbeatDefault;
