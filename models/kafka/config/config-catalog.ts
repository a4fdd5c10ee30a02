// The Kafka config keys ksim understands, all scopes together: for each, Kafka's own name, where it
// applies, its type, Apache Kafka's current default (3.x/4.x), MSK's where it differs, the valid
// range and a one-line doc (the entries live in one file per scope: topic-, broker-, producer- and
// consumer-configs.ts). Everything user-facing (scenario `config` maps, `--set`, the JSON Schema,
// error messages) and the config shapes the model reads are derived from it, so a key added there
// is accepted everywhere at once. Defaults were checked against Kafka's sources (ProducerConfig,
// ConsumerConfig, ReplicationConfigs, ServerLogConfigs, KRaftConfigs, GroupCoordinatorConfig).

import { BROKER_CONFIGS } from './broker-configs.ts';
import type { ConfigEntry } from './config-entry.ts';
import { CONSUMER_CONFIGS } from './consumer-configs.ts';
import { PRODUCER_CONFIGS } from './producer-configs.ts';
import { TOPIC_CONFIGS } from './topic-configs.ts';

/** Every key, topic-level first, then broker, producer and consumer (the order docs list them in). */
export const CONFIG_CATALOG: readonly ConfigEntry[] = [...TOPIC_CONFIGS, ...BROKER_CONFIGS, ...PRODUCER_CONFIGS, ...CONSUMER_CONFIGS];

export const CONFIG_BY_KEY: ReadonlyMap<string, ConfigEntry> = new Map(CONFIG_CATALOG.map((e) => [e.key, e]));

/** Topic-level names (`flush.messages`) to their catalog entry. */
export const CONFIG_BY_TOPIC_KEY: ReadonlyMap<string, ConfigEntry> = new Map(
  CONFIG_CATALOG.filter((e) => e.scope === 'topic').map((e) => [e.topicKey ?? e.key, e]),
);

export const CONFIG_KEYS: readonly string[] = CONFIG_CATALOG.map((e) => e.key);
