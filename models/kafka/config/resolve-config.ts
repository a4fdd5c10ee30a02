// Layers Kafka configs the way a real deployment does: the preset's defaults (Apache Kafka or
// MSK), then the scenario's cluster-wide `config`, then a topic's or producer's own `config`; and
// applies Kafka's own rules between keys: the producer's implicit idempotence, its delivery
// timeout floor, the clients' reconnect backoff cap, and the broker's fetch-wait limits. Errors name
// the field that set the value.

import { BROKER_CONFIGS, type BrokerConfig } from './broker-configs.ts';
import type { ConfigMap } from './config-map-schema.ts';
import { presetDefault, type ConfigPresetName, type VersionAbsences, type VersionDefaults } from './config-presets.ts';
import { JAVA_INT_MAX, type ConfigEntry, type ConfigValue } from './config-entry.ts';
import { CONSUMER_CONFIGS, type ConsumerConfig } from './consumer-configs.ts';
import { MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION_FOR_IDEMPOTENCE, PRODUCER_CONFIGS, type ProducerConfig } from './producer-configs.ts';
import { scenarioError } from './scenario-error.ts';
import { TOPIC_CONFIGS, topicDefaultsOf, type TopicConfig } from './topic-configs.ts';

/** A broker holds the topic-level defaults too, listed first as in the catalog. */
const BROKER_ENTRIES: readonly ConfigEntry[] = [...TOPIC_CONFIGS, ...BROKER_CONFIGS];

/** One layer of config: its values and the scenario field it came from ("config", "topics[0].config"). */
interface ConfigLayer {
  field: string;
  map: ConfigMap;
}

/** Where a key's effective value comes from, for error messages. */
export function originOf(key: string, preset: ConfigPresetName, layers: readonly ConfigLayer[]): string {
  for (let i = layers.length - 1; i >= 0; i--) if (Object.hasOwn(layers[i].map, key)) return `${layers[i].field}.${key}`;
  return `${key} (the ${preset} preset's default)`;
}

function effective(entry: ConfigEntry, preset: ConfigPresetName, layers: readonly ConfigLayer[], versionDefaults?: VersionDefaults): ConfigValue {
  for (let i = layers.length - 1; i >= 0; i--) if (Object.hasOwn(layers[i].map, entry.key)) return layers[i].map[entry.key];
  return presetDefault(preset, entry, versionDefaults);
}

/**
 * The keys and enum values the scenario's Kafka version does not have (version/config-introductions.ts):
 * one a layer states is an error naming the field, the release that brought it and the fix; a key
 * left unset takes the value the version had instead (null: the model runs the older mechanism).
 * Runs before Kafka's rules between keys, which then see the version's values.
 */
function applyAbsences(entries: readonly ConfigEntry[], config: Record<string, ConfigValue>, preset: ConfigPresetName, layers: readonly ConfigLayer[], absences?: VersionAbsences): void {
  if (absences === undefined) return;
  for (const e of entries) {
    const a = absences(e);
    if (a === undefined) continue;
    const stated = layers.some((l) => Object.hasOwn(l.map, e.key));
    if (a.key !== undefined) {
      if (stated)
        throw scenarioError(
          originOf(e.key, preset, layers),
          `is not a config of Kafka ${a.version}: it came in ${a.key.release} (${a.key.kip}); remove it, or set kafkaVersion to ${a.key.release} or later`,
        );
      config[e.key] = a.key.before(config);
      continue;
    }
    const value = config[e.key];
    const newer = typeof value === 'string' ? a.values[value] : undefined;
    if (newer !== undefined) {
      const older = (e.values ?? []).filter((v) => a.values[v] === undefined);
      throw scenarioError(
        originOf(e.key, preset, layers),
        `"${value}" is not in Kafka ${a.version}: it came in ${newer.release} (${newer.kip}); use ${older.map((v) => `"${v}"`).join(' or ')}, or set kafkaVersion to ${newer.release} or later`,
      );
    }
  }
}

/** One scope's config: each of its entries from the last layer that sets the key, else its preset default. */
function pick(entries: readonly ConfigEntry[], preset: ConfigPresetName, layers: readonly ConfigLayer[], versionDefaults?: VersionDefaults): Record<string, ConfigValue> {
  return Object.fromEntries(entries.map((e) => [e.key, effective(e, preset, layers, versionDefaults)]));
}

export function resolveBrokerConfig(preset: ConfigPresetName, cluster: ConfigMap, versionDefaults?: VersionDefaults, absences?: VersionAbsences): BrokerConfig {
  const layers = [{ field: 'config', map: cluster }];
  const picked = pick(BROKER_ENTRIES, preset, layers, versionDefaults);
  applyAbsences(BROKER_ENTRIES, picked, preset, layers, absences);
  const config = picked as unknown as BrokerConfig;
  // Kafka refuses to start otherwise (KafkaConfig): a follower's fetch must return before the
  // leader would consider it out of sync.
  if (config['replica.fetch.wait.max.ms'] > config['replica.lag.time.max.ms'])
    throw scenarioError(
      originOf('replica.fetch.wait.max.ms', preset, layers),
      `${config['replica.fetch.wait.max.ms']} is more than replica.lag.time.max.ms (${config['replica.lag.time.max.ms']}); Kafka requires replica.fetch.wait.max.ms <= replica.lag.time.max.ms`,
    );
  if (config['socket.receive.buffer.bytes'] === 0)
    throw scenarioError(originOf('socket.receive.buffer.bytes', preset, layers), '0 is refused by Java (ServerSocket.setReceiveBufferSize throws); use -1 (the OS default) or a size in bytes');
  if (config['replica.fetch.wait.max.ms'] > config['replica.socket.timeout.ms'])
    throw scenarioError(
      originOf('replica.socket.timeout.ms', preset, layers),
      `${config['replica.socket.timeout.ms']} is less than replica.fetch.wait.max.ms (${config['replica.fetch.wait.max.ms']}); Kafka requires replica.socket.timeout.ms >= replica.fetch.wait.max.ms`,
    );
  return config;
}

/** A topic's effective config: the broker config with the topic's overrides applied. */
export function resolveTopicConfig(brokerConfig: BrokerConfig, overrides: ConfigMap): TopicConfig {
  const config: Record<string, ConfigValue> = topicDefaultsOf(brokerConfig);
  for (const e of TOPIC_CONFIGS) if (Object.hasOwn(overrides, e.key)) config[e.key] = overrides[e.key];
  return config as TopicConfig;
}

/**
 * A producer's effective config. Follows KafkaProducer's construction rules:
 * - enable.idempotence defaults to true, but is quietly turned off when acks is not "all",
 *   retries is 0 or max.in.flight.requests.per.connection is above 5, unless it was set
 *   explicitly, in which case acks and retries left to their defaults become all and
 *   Integer.MAX_VALUE (configureAcks, configureRetries: a version before 3.0 defaults acks=1,
 *   before 2.1 retries=0) and a conflicting value set by the user is a ConfigException (here, an
 *   error);
 * - delivery.timeout.ms must be at least linger.ms + request.timeout.ms; when it was not set
 *   explicitly Kafka raises it to that sum instead of failing.
 */
export function resolveProducerConfig(
  preset: ConfigPresetName,
  cluster: ConfigMap,
  producerField: string,
  own: ConfigMap,
  versionDefaults?: VersionDefaults,
  absences?: VersionAbsences,
  /** The most requests an idempotent producer may have in flight: 5, but 1 in Kafka 0.11 (KAFKA-5494 raised it in 1.0). */
  idempotenceMaxInFlight = MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION_FOR_IDEMPOTENCE,
): ProducerConfig {
  const layers: ConfigLayer[] = [
    { field: 'config', map: cluster },
    { field: `${producerField}.config`, map: own },
  ];
  const picked = pick(PRODUCER_CONFIGS, preset, layers, versionDefaults);
  applyAbsences(PRODUCER_CONFIGS, picked, preset, layers, absences);
  const config = picked as unknown as ProducerConfig;
  const explicit = (key: string) => layers.some((l) => Object.hasOwn(l.map, key));
  // Selector.configureSocketChannel: Socket.setSendBufferSize(0) throws IllegalArgumentException, so no connection would open.
  if (config['send.buffer.bytes'] === 0)
    throw scenarioError(originOf('send.buffer.bytes', preset, layers), '0 is refused by Java (Socket.setSendBufferSize throws); use -1 (the OS default) or a size in bytes');
  // CommonClientConfigs.postProcessReconnectBackoffConfigs: an explicit base without a cap disables growth.
  if (explicit('reconnect.backoff.ms') && !explicit('reconnect.backoff.max.ms')) config['reconnect.backoff.max.ms'] = config['reconnect.backoff.ms'];

  // KafkaProducer.configureAcks / configureRetries (0.11-2.8; the defaults since 3.0 agree): an
  // explicit enable.idempotence=true overrides a defaulted acks to all and a defaulted retries to
  // Integer.MAX_VALUE; only values the user set conflict with it.
  // KafkaProducer.configureInflightRequests of 0.11 also lowers a defaulted
  // max.in.flight.requests.per.connection to 1.
  if (explicit('enable.idempotence') && config['enable.idempotence']) {
    if (!explicit('acks')) config.acks = 'all';
    if (!explicit('retries')) config.retries = JAVA_INT_MAX;
    if (!explicit('max.in.flight.requests.per.connection') && config['max.in.flight.requests.per.connection'] > idempotenceMaxInFlight)
      config['max.in.flight.requests.per.connection'] = idempotenceMaxInFlight;
  }
  const conflicts: string[] = [];
  if (config.acks !== 'all') conflicts.push(`acks is ${config.acks}`);
  if (config.retries === 0) conflicts.push('retries is 0');
  if (config['max.in.flight.requests.per.connection'] > idempotenceMaxInFlight)
    conflicts.push(`max.in.flight.requests.per.connection is ${config['max.in.flight.requests.per.connection']}`);
  if (explicit('enable.idempotence')) {
    if (config['enable.idempotence'] && conflicts.length > 0)
      throw scenarioError(
        originOf('enable.idempotence', preset, layers),
        `enable.idempotence=true needs acks=all, retries > 0 and max.in.flight.requests.per.connection <= ${idempotenceMaxInFlight}${idempotenceMaxInFlight === 1 ? ' (Kafka 0.11; up to 5 from 1.0, KAFKA-5494)' : ''}, but ${conflicts.join(' and ')} (Kafka rejects this with a ConfigException); remove enable.idempotence or change those`,
      );
  } else if (conflicts.length > 0) {
    config['enable.idempotence'] = false;
  }

  const floorMs = config['linger.ms'] + config['request.timeout.ms'];
  // (null: a version before KIP-91, which has no delivery timeout to raise.)
  if (config['delivery.timeout.ms'] !== null && config['delivery.timeout.ms'] < floorMs) {
    if (explicit('delivery.timeout.ms'))
      throw scenarioError(
        originOf('delivery.timeout.ms', preset, layers),
        `${config['delivery.timeout.ms']} is less than linger.ms + request.timeout.ms (${config['linger.ms']} + ${config['request.timeout.ms']} = ${floorMs}); Kafka rejects this`,
      );
    config['delivery.timeout.ms'] = floorMs;
  }
  return config;
}

/**
 * A consumer member's effective config: preset < cluster `config` < its group's `config` < its own
 * `config`. Kafka's consumer rejects heartbeat.interval.ms >= session.timeout.ms; the coordinator
 * rejects a session timeout outside group.{min,max}.session.timeout.ms (INVALID_SESSION_TIMEOUT,
 * which would leave the member unable to join: an error here).
 */
export function resolveConsumerConfig(
  preset: ConfigPresetName,
  cluster: ConfigMap,
  groupField: string,
  group: ConfigMap,
  memberField: string,
  own: ConfigMap,
  brokerConfig: BrokerConfig,
  versionDefaults?: VersionDefaults,
  absences?: VersionAbsences,
): ConsumerConfig {
  const layers: ConfigLayer[] = [
    { field: 'config', map: cluster },
    { field: `${groupField}.config`, map: group },
    { field: `${memberField}.config`, map: own },
  ];
  const picked = pick(CONSUMER_CONFIGS, preset, layers, versionDefaults);
  applyAbsences(CONSUMER_CONFIGS, picked, preset, layers, absences);
  const config = picked as unknown as ConsumerConfig;
  // CommonClientConfigs.postProcessReconnectBackoffConfigs: an explicit base without a cap disables growth.
  if (isExplicit('reconnect.backoff.ms', layers.map((l) => l.map)) && !isExplicit('reconnect.backoff.max.ms', layers.map((l) => l.map)))
    config['reconnect.backoff.max.ms'] = config['reconnect.backoff.ms'];
  if (config['heartbeat.interval.ms'] >= config['session.timeout.ms'])
    throw scenarioError(
      originOf('heartbeat.interval.ms', preset, layers),
      `${config['heartbeat.interval.ms']} is not below session.timeout.ms (${config['session.timeout.ms']}); Kafka requires heartbeat.interval.ms < session.timeout.ms`,
    );
  const min = brokerConfig['group.min.session.timeout.ms'];
  const max = brokerConfig['group.max.session.timeout.ms'];
  if (config['session.timeout.ms'] < min || config['session.timeout.ms'] > max)
    throw scenarioError(
      originOf('session.timeout.ms', preset, layers),
      `${config['session.timeout.ms']} is outside the brokers' group.min.session.timeout.ms..group.max.session.timeout.ms (${min}..${max}); the coordinator would refuse the member with INVALID_SESSION_TIMEOUT`,
    );
  return config;
}

/** Whether `key` was set by some layer (not left to the preset). */
export function isExplicit(key: string, maps: readonly ConfigMap[]): boolean {
  return maps.some((m) => Object.hasOwn(m, key));
}
