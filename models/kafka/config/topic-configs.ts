// The topic-level Kafka configs ksim models: broker defaults (ServerLogConfigs, ReplicationConfigs)
// that a topic can override under its topic-level name (TopicConfig: flush.messages,
// retention.ms...). TopicConfig, the shape the model reads, is computed from these entries.

import { defaultsOf, JAVA_INT_MAX, JAVA_LONG_MAX, type ConfigEntry, type ConfigShape } from './config-entry.ts';

export const TOPIC_CONFIGS = [
  {
    key: 'min.insync.replicas',
    scope: 'topic',
    type: 'int',
    default: 1,
    mskDefault: 2,
    min: 1,
    max: JAVA_INT_MAX,
    unit: 'replicas',
    doc: 'With acks=all, a write fails with NotEnoughReplicas unless at least this many replicas (leader included) are in the ISR.',
  },
  {
    key: 'unclean.leader.election.enable',
    scope: 'topic',
    type: 'boolean',
    default: false,
    // MSK enables unclean election by default: the cluster stays writable when every in-sync
    // replica is gone, at the price of losing acknowledged records. ksim makes that visible.
    mskDefault: true,
    doc: 'Allow a replica outside the ISR to become leader when no ISR member is alive: availability at the price of losing acknowledged writes.',
  },
  {
    key: 'log.flush.interval.messages',
    topicKey: 'flush.messages',
    scope: 'topic',
    type: 'long',
    default: JAVA_LONG_MAX,
    min: 1,
    max: JAVA_LONG_MAX,
    unit: 'records',
    doc: 'fsync the log after this many records; the default (Long.MAX_VALUE) never forces a flush and relies on replication and the OS page cache.',
  },
  {
    key: 'log.flush.interval.ms',
    topicKey: 'flush.ms',
    scope: 'topic',
    type: 'nullable-long',
    default: null,
    min: 0,
    max: JAVA_LONG_MAX,
    unit: 'ms',
    doc: 'fsync the log when the log flusher runs and its last fsync is at least this old; the flusher runs log.initial.task.delay.ms after the broker starts, then every log.flush.scheduler.interval.ms (by default never again). Unset (null) by default: log.flush.scheduler.interval.ms stands in.',
  },
  {
    key: 'log.retention.ms',
    topicKey: 'retention.ms',
    scope: 'topic',
    type: 'long',
    // log.retention.hours=168 in Kafka's defaults.
    default: 604800000,
    min: -1,
    max: JAVA_LONG_MAX,
    unit: 'ms',
    doc: 'Delete a closed segment once its newest record is this old (-1: never). Moves the log start offset; consumers behind it get OFFSET_OUT_OF_RANGE.',
  },
  {
    key: 'log.retention.bytes',
    topicKey: 'retention.bytes',
    scope: 'topic',
    type: 'long',
    default: -1,
    min: -1,
    max: JAVA_LONG_MAX,
    unit: 'bytes',
    doc: 'Delete the oldest closed segments while the partition stays above this size without them (-1: no size limit).',
  },
  {
    key: 'log.segment.bytes',
    topicKey: 'segment.bytes',
    scope: 'topic',
    type: 'int',
    default: 1073741824,
    min: 14,
    max: JAVA_INT_MAX,
    unit: 'bytes',
    doc: 'Segment size: retention deletes and compaction cleans whole closed segments; the active (last) segment is never touched.',
  },
  {
    key: 'log.roll.ms',
    topicKey: 'segment.ms',
    scope: 'topic',
    type: 'long',
    // log.roll.hours=168 in Kafka's defaults (LogConfig: segment.ms, at least 1).
    default: 604800000,
    min: 1,
    max: JAVA_LONG_MAX,
    unit: 'ms',
    doc: 'Roll a new segment before an append once the active one holds records this much older than the append (LogSegment.shouldRoll), so a slow log still closes segments for retention; every roll fsyncs the closed segment.',
  },
  {
    key: 'log.cleanup.policy',
    topicKey: 'cleanup.policy',
    scope: 'topic',
    type: 'enum',
    values: ['delete', 'compact'],
    default: 'delete',
    doc: '"delete" removes old segments by retention.ms / retention.bytes; "compact" keeps only the last record per key (as __consumer_offsets does).',
  },
  {
    // LogConfig.MinCleanableDirtyRatioProp; LogCleanerManager.grabFilthiestCompactedLog cleans a log
    // whose cleanableRatio is above it.
    key: 'log.cleaner.min.cleanable.ratio',
    topicKey: 'min.cleanable.dirty.ratio',
    scope: 'topic',
    type: 'double',
    default: 0.5,
    min: 0,
    max: 1,
    doc: 'The log cleaner compacts a log once its dirty part (closed segments written since its last cleaning, below the HW) is more than this share of its closed segments (counted in records: ksim\'s records of a topic have one size).',
  },
] as const satisfies readonly ConfigEntry<'topic'>[];

/** A topic's effective config: the broker's topic defaults with the topic's overrides applied. */
export type TopicConfig = ConfigShape<typeof TOPIC_CONFIGS>;

export const TOPIC_DEFAULTS: Readonly<TopicConfig> = defaultsOf(TOPIC_CONFIGS);

/** The topic-level keys of a broker config: the config of a topic that overrides nothing. */
export function topicDefaultsOf(brokerConfig: TopicConfig): TopicConfig {
  return Object.fromEntries(TOPIC_CONFIGS.map((e) => [e.key, brokerConfig[e.key]])) as TopicConfig;
}
