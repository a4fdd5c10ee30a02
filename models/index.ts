// The models ksim can run, the scenario `npm start` runs when no --scenario is given, and named
// scenario presets that `--scenario NAME` accepts. The first model listed is the default for
// scenarios that do not name one.

import type { ModelDefinition } from '../src/scenario/model-definition.ts';
import { heartbeatDefinition } from './heartbeat/heartbeat-definition.ts';
import heartbeatDefault from './heartbeat/heartbeat-default.scenario.json' with { type: 'json' };
import { kafkaDefinition } from './kafka/kafka-definition.ts';
import kafkaMsk3azOutage from './kafka/presets/msk-3az-outage.scenario.json' with { type: 'json' };
import kafkaApacheDefaults from './kafka/presets/apache-defaults.scenario.json' with { type: 'json' };
import kafkaUncleanElection from './kafka/presets/unclean-election.scenario.json' with { type: 'json' };
import kafkaRollingRestart from './kafka/presets/rolling-restart.scenario.json' with { type: 'json' };
import kafkaCheckSmall from './kafka/presets/check-small.scenario.json' with { type: 'json' };
import kafkaStudyAzOutages from './kafka/presets/study-az-outages.scenario.json' with { type: 'json' };
import kafkaStudyRackPlacement from './kafka/presets/study-rack-placement.scenario.json' with { type: 'json' };
import kafkaStudyPowerLoss from './kafka/presets/study-power-loss.scenario.json' with { type: 'json' };
import kafkaStudyProducerOrdering from './kafka/presets/study-producer-ordering.scenario.json' with { type: 'json' };

export const MODELS: readonly ModelDefinition[] = [kafkaDefinition, heartbeatDefinition];

export const SCENARIO_PRESETS: Record<string, Record<string, unknown>> = {
  'msk-3az-outage': kafkaMsk3azOutage,
  'apache-defaults': kafkaApacheDefaults,
  'unclean-election': kafkaUncleanElection,
  'rolling-restart': kafkaRollingRestart,
  'check-small': kafkaCheckSmall,
  'heartbeat-az-outage': heartbeatDefault,
  // Short scenarios behind the Kafka model's built-in sweep studies (kafka/sweep/kafka-studies.ts).
  'study-az-outages': kafkaStudyAzOutages,
  'study-rack-placement': kafkaStudyRackPlacement,
  'study-power-loss': kafkaStudyPowerLoss,
  'study-producer-ordering': kafkaStudyProducerOrdering,
};

export const DEFAULT_SCENARIO: Record<string, unknown> = kafkaMsk3azOutage;
