// The Kafka config keys ksim understands, all scopes together: for each, Kafka's own name, where it
// applies, its type, Apache Kafka's current default (3.x/4.x), MSK's where it differs, the valid
// range and a one-line doc (the entries live in one file per scope: topic-, broker-, producer- and
// consumer-configs.ts). Everything user-facing (scenario `config` maps, `--set`, the JSON Schema,
// error messages) and the config shapes the model reads are derived from it, so a key added there
// is accepted everywhere at once. Defaults were checked against Kafka's sources (ProducerConfig,
// ConsumerConfig, CommonClientConfigs, ReplicationConfigs, ServerConfigs, ServerLogConfigs,
// KRaftConfigs, GroupCoordinatorConfig).
//
// A key may belong to several scopes, each entry with its own default and doc, as Kafka's clients
// and brokers each define request.timeout.ms. A key set in the scenario's cluster-wide `config`
// applies to every scope that has it; a producer's or consumer's own `config` sets its scope only.

import { BROKER_CONFIGS } from './broker-configs.ts';
import type { ConfigEntry } from './config-entry.ts';
import { CONSUMER_CONFIGS } from './consumer-configs.ts';
import { PRODUCER_CONFIGS } from './producer-configs.ts';
import { TOPIC_CONFIGS } from './topic-configs.ts';

/** Every key, topic-level first, then broker, producer and consumer (the order docs list them in). */
export const CONFIG_CATALOG: readonly ConfigEntry[] = [...TOPIC_CONFIGS, ...BROKER_CONFIGS, ...PRODUCER_CONFIGS, ...CONSUMER_CONFIGS];

/** Every entry of a key, one per scope that has it, in catalog order. */
export const CONFIG_ENTRIES_BY_KEY: ReadonlyMap<string, readonly ConfigEntry[]> = CONFIG_CATALOG.reduce((m, e) => {
  m.set(e.key, [...(m.get(e.key) ?? []), e]);
  return m;
}, new Map<string, ConfigEntry[]>());

/** The entry of `key` in `scope`, if that scope has the key. */
export function configEntryIn(key: string, scope: ConfigEntry['scope']): ConfigEntry | undefined {
  return CONFIG_ENTRIES_BY_KEY.get(key)?.find((e) => e.scope === scope);
}

/** Topic-level names (`flush.messages`) to their catalog entry. */
export const CONFIG_BY_TOPIC_KEY: ReadonlyMap<string, ConfigEntry> = new Map(
  CONFIG_CATALOG.filter((e) => e.scope === 'topic').map((e) => [e.topicKey ?? e.key, e]),
);

/** Every key once, in catalog order. */
export const CONFIG_KEYS: readonly string[] = [...CONFIG_ENTRIES_BY_KEY.keys()];
