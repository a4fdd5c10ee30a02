// The configs, and the values of enum configs, that older Kafka versions do not have, and how those
// versions behaved instead. A scenario that states one on a version before it existed is refused (a
// Java client or broker would log "supplied but isn't a known config" and ignore it, or refuse an
// unknown assignor); a key left unset takes the older behaviour, so the run shows what that
// version does, not what current Kafka would. Checked at the release tags of Apache Kafka's
// ProducerConfig, ConsumerConfig, CommonClientConfigs and KafkaConfig.

import type { ConfigEntry, ConfigValue } from '../config/config-entry.ts';
import type { ConfigAbsence, ConfigIntroduction } from '../config/config-presets.ts';
import { compareReleases } from './protocol-features.ts';


/** The operating system's TCP connect timeout the clients waited for before KIP-601 (Linux: tcp_syn_retries=6, 1+2+...+64 s). */
const OS_CONNECT_TIMEOUT_MS = 127000;

const NO_SETUP_TIMEOUT: ConfigIntroduction = {
  release: '2.7',
  kip: 'KIP-601',
  before: () => OS_CONNECT_TIMEOUT_MS,
  behaviour: "no connection setup timeout: a connect to an unreachable broker waits for the operating system's TCP connect timeout (127 s on Linux)",
};

const CONSTANT_RECONNECT_BACKOFF: ConfigIntroduction = {
  release: '0.11',
  kip: 'KIP-144',
  before: (c) => c['reconnect.backoff.ms'],
  behaviour: 'the reconnect backoff is reconnect.backoff.ms every time, without growth or jitter',
};

/** By "scope key". */
const CONFIG_INTRODUCTIONS: Readonly<Record<string, ConfigIntroduction>> = {
  'producer enable.idempotence': {
    release: '0.11',
    kip: 'KIP-98',
    before: () => false,
    behaviour: 'no idempotent producer: the broker does not deduplicate retried batches',
  },
  'producer delivery.timeout.ms': {
    release: '2.1',
    kip: 'KIP-91',
    before: () => null,
    behaviour:
      'no delivery timeout: a batch waiting in the accumulator expires request.timeout.ms after it was ready (lingered out or full) or after its retry backoff ended (RecordAccumulator.expiredBatches), and one in flight is failed only by request.timeout.ms and retries',
  },
  'producer reconnect.backoff.max.ms': CONSTANT_RECONNECT_BACKOFF,
  'consumer reconnect.backoff.max.ms': CONSTANT_RECONNECT_BACKOFF,
  'producer socket.connection.setup.timeout.ms': NO_SETUP_TIMEOUT,
  'producer socket.connection.setup.timeout.max.ms': NO_SETUP_TIMEOUT,
  'consumer socket.connection.setup.timeout.ms': NO_SETUP_TIMEOUT,
  'consumer socket.connection.setup.timeout.max.ms': NO_SETUP_TIMEOUT,
  'consumer group.instance.id': {
    release: '2.3',
    kip: 'KIP-345',
    before: () => null,
    behaviour: 'no static membership: a restarted consumer joins as a new member',
  },
  'broker group.initial.rebalance.delay.ms': {
    release: '0.11',
    kip: 'KIP-134',
    before: () => 0,
    behaviour: 'the coordinator does not wait for more members before the first rebalance',
  },
  // Before KIP-854 a broker expired producer ids after transactional.id.expiration.ms (7 days),
  // checked every 10 minutes (LogManager.ProducerIdExpirationCheckIntervalMs, not configurable).
  'broker producer.id.expiration.ms': {
    release: '3.4',
    kip: 'KIP-854',
    before: () => 604800000,
    behaviour: 'producer ids expire after transactional.id.expiration.ms (7 days by default)',
  },
  // LogManager.InitialTaskDelayMs was a constant until KAFKA-16552 made it an (internal) config.
  'broker log.initial.task.delay.ms': {
    release: '3.8',
    kip: 'KAFKA-16552',
    before: () => 30000,
    behaviour: 'LogManager first runs its retention check and log flusher 30 s after the broker starts (InitialTaskDelayMs, a constant)',
  },
  'broker producer.id.expiration.check.interval.ms': {
    release: '3.4',
    kip: 'KIP-854',
    before: () => 600000,
    behaviour: 'expired producer ids are removed every 10 minutes (a constant)',
  },
};

/** Enum values newer than the key, by "scope key" then value. */
const VALUE_INTRODUCTIONS: Readonly<Record<string, Readonly<Record<string, { release: string; kip: string }>>>> = {
  'consumer partition.assignment.strategy': {
    sticky: { release: '0.11', kip: 'KIP-54' },
    'cooperative-sticky': { release: '2.4', kip: 'KIP-429' },
  },
};

/**
 * What Kafka `version` (its release, e.g. 1.1.0) lacks of a catalog entry: the key itself (with the
 * value and behaviour it had instead) and/or some of its enum values; undefined when it lacks
 * nothing. Shape: ConfigAbsence (config/config-presets.ts).
 */
export function configAbsentIn(version: string, release: string, entry: ConfigEntry): ConfigAbsence | undefined {
  const row = CONFIG_INTRODUCTIONS[`${entry.scope} ${entry.key}`];
  const key = row !== undefined && compareReleases(release, row.release) < 0 ? row : undefined;
  const values = Object.entries(VALUE_INTRODUCTIONS[`${entry.scope} ${entry.key}`] ?? {}).filter(([, v]) => compareReleases(release, v.release) < 0);
  if (key === undefined && values.length === 0) return undefined;
  return { version, ...(key === undefined ? {} : { key }), values: Object.fromEntries(values) };
}

/** What `release` lacks of the catalog, for the versions table: "delivery.timeout.ms (KIP-91)", "partition.assignment.strategy=cooperative-sticky (KIP-429)"; each key once. */
export function configsAbsentIn(version: string, release: string, entries: readonly ConfigEntry[]): string[] {
  const out = new Set<string>();
  for (const e of entries) {
    const a = configAbsentIn(version, release, e);
    if (a === undefined) continue;
    if (a.key !== undefined) out.add(`${e.key} (${a.key.kip})`);
    for (const [value, v] of Object.entries(a.values)) out.add(`${e.key}=${value} (${v.kip})`);
  }
  return [...out];
}

/**
 * The most requests an idempotent producer of `release` may have in flight per connection: 1 in
 * 0.11 (KafkaProducer.configureInflightRequests refuses more, and lowers a defaulted value to 1),
 * 5 from 1.0 (KAFKA-5494: the broker keeps the last five batches per producer).
 */
export function idempotenceMaxInFlightAt(release: string): number {
  return compareReleases(release, '1.0') < 0 ? 1 : 5;
}
