// Test kit: a raw Kafka scenario resolved as the CLI would (with --set settings), and what the
// config tests read of it: every value's source (`ksim run --json`'s configSources) and the built
// scenario (effective configs of brokers, topics, producers and consumers).

import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import { SeededChoices } from '../../../src/sim/seeded-choices.ts';
import { kafkaDefinition } from '../kafka-definition.ts';
import { buildKafkaScenario } from '../scenario/build-kafka-scenario.ts';
import type { KafkaScenarioInput } from '../scenario/kafka-scenario-schema.ts';

export const resolve = (raw: Record<string, unknown>, settings: string[] = []) => resolveScenario(raw, [kafkaDefinition], { settings });

export const sourcesOf = (raw: Record<string, unknown>, settings: string[] = []) => {
  const r = resolve(raw, settings);
  return kafkaDefinition.configSources!(r.scenario as unknown as KafkaScenarioInput, r.settings);
};

export const built = (raw: Record<string, unknown>, settings: string[] = []) =>
  buildKafkaScenario(resolve(raw, settings).scenario as unknown as KafkaScenarioInput, new SeededChoices('1').stream('kafka.assignment'));
