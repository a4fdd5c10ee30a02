// The message format a broker writes (log.message.format.version, KafkaConfig) and what follows
// from it: leader epochs exist only in message format v2 (magic 2, Kafka 0.11+, KIP-98/KIP-101).
// A v0/v1 batch carries no partition leader epoch, and the leader-epoch cache is assigned only for
// v2 batches (Log.append: `batch.magic >= RecordBatch.MAGIC_VALUE_V2`, 0.11.0.0 to 2.8.0); from
// KAFKA-7897 (2.1.1/2.2.0) a log on an older format has no epoch cache at all
// (Log.initializeLeaderEpochCache: `recordVersion.precedes(RecordVersion.V2)`), and a follower
// with no cached epoch truncates to its high watermark (AbstractFetcherThread.truncateToHighWatermark;
// before it, an OffsetsForLeaderEpoch for UNDEFINED_EPOCH answered UNDEFINED_EPOCH_OFFSET did the
// same): KIP-101's protection is absent whatever inter.broker.protocol.version says.
//
// KafkaConfig requires the format's record version to be at most inter.broker.protocol.version's
// (`require(interBrokerProtocolVersion.recordVersion.value >= recordVersion.value)`, 2.x), so a
// broker at IBP 0.10 on 0.11+ software (mid-upgrade) writes v1. Kafka's default is the software's
// latest version, which an operator lowering the IBP must lower with it (docs/upgrade.html); ksim's
// IBP is implicit (the scenario's version, raised by a rolling restart), so unset here means "the
// IBP", as the upgrade procedure has it. From IBP 3.0 the setting is ignored and every broker
// writes v2 (KIP-724, LogConfig.shouldIgnoreMessageFormatVersion); Kafka 4.0 removed it.
//
// Simplifications: the format is per broker (no topic-level message.format.version), and a
// follower caches epochs by its own broker's format, not by the magic of the leader's batches (a
// mixed cluster mid-way through raising the format differs); KAFKA-7897's 2.1.0 bug (makeLeader
// caching the epoch on old formats too) and 0.11-1.1's answer to UNDEFINED_EPOCH by a leader with
// an empty cache (its log end offset, not UNDEFINED_EPOCH_OFFSET) are not modelled.

import { isOlderVersion, KAFKA_VERSION_NAMES, type KafkaVersion } from './kafka-versions.ts';

/** The config key. */
export const MESSAGE_FORMAT_KEY = 'log.message.format.version';

/**
 * The ksim version a log.message.format.version value names: a version name ("0.10", "2.8") or
 * Kafka's spelling of one ("0.10.2", "0.10.2-IV0", "0.11.0-IV2", "2.8-IV1"); null if neither.
 * Kafka 0.10.0 and 0.10.1 wrote v1 as 0.10.2 does, so they are "0.10".
 */
export function parseMessageFormatVersion(value: string): KafkaVersion | null {
  const m = /^(\d+)\.(\d+)(?:\.\d+)?(?:-IV\d+)?$/i.exec(value.trim());
  if (m === null) return null;
  const name = `${m[1]}.${m[2]}`;
  return (KAFKA_VERSION_NAMES as readonly string[]).includes(name) ? (name as KafkaVersion) : null;
}

/** Whether a broker at protocol level `ibp` with log.message.format.version `format` (null: unset) writes message format v2. */
export function writesRecordsV2(format: KafkaVersion | null, ibp: KafkaVersion): boolean {
  if (!isOlderVersion(ibp, '3.0')) return true; // KIP-724: ignored from IBP 3.0
  return !isOlderVersion(format ?? ibp, '0.11');
}

/** Why `format` cannot run at protocol level `ibp` (KafkaConfig's record-version check), or null. */
export function messageFormatProblem(format: KafkaVersion, ibp: KafkaVersion): string | null {
  if (!isOlderVersion(ibp, '0.11') || isOlderVersion(format, '0.11')) return null;
  return `${format} (message format v2) can only be used when inter.broker.protocol.version is 0.11 or higher, and the brokers speak ${ibp}: name 0.10, or raise inter.broker.protocol.version first`;
}

/** The brokers' log.message.format.version at the start, from a built scenario's broker config (null: unset). */
export function initialMessageFormatOf(brokerConfig: { readonly [MESSAGE_FORMAT_KEY]: string | null }): KafkaVersion | null {
  const raw = brokerConfig[MESSAGE_FORMAT_KEY];
  return raw === null ? null : parseMessageFormatVersion(raw);
}

/**
 * LogValidator.validateBatch (0.11+): a batch with a producer id written as v0/v1 is refused
 * (UnsupportedForMessageFormatException: "Idempotent records cannot be used with magic version"),
 * so an idempotent producer could never write: why, for producer `name`, or null.
 */
export function idempotenceFormatProblem(format: KafkaVersion | null, ibp: KafkaVersion, name: string): string | null {
  if (format === null || writesRecordsV2(format, ibp)) return null;
  return `${format} (message format v1) has no producer ids: the brokers would refuse every batch of idempotent producer "${name}" (UNSUPPORTED_FOR_MESSAGE_FORMAT); set enable.idempotence=false or name 0.11 or later`;
}
