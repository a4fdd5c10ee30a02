// The Kafka config keys ksim understands: for each, Kafka's own name, where it applies (broker,
// topic, producer), its type, Apache Kafka's current default (3.x/4.x), the valid range and a
// one-line doc. Everything user-facing (scenario `config` maps, `--set`, the JSON Schema, error
// messages) is derived from this table, so a key added here is accepted everywhere at once.
// Defaults were checked against Kafka's sources (ProducerConfig, ReplicationConfigs,
// ServerLogConfigs, KRaftConfigs); MSK's differences live in config-presets.ts.

/**
 * Where a key applies:
 * - `broker`: cluster-wide broker config (set in the scenario's `config`).
 * - `topic`: a broker default that a topic can override (its topic-level name may differ:
 *   `log.flush.interval.messages` is `flush.messages` on a topic).
 * - `producer`: a client config; the scenario's `config` sets it for every producer and a
 *   producer's own `config` overrides it.
 * - `consumer`: a consumer client config; the scenario's `config` sets it for every consumer, a
 *   consumer group's `config` for its members, a member's own `config` overrides both.
 */
export type ConfigScope = 'broker' | 'topic' | 'producer' | 'consumer';

/**
 * - `int`: a Java int; `long`: a Java long, where Long.MAX_VALUE is stored as
 *   Number.MAX_SAFE_INTEGER (every value ksim compares it with is far smaller).
 * - `nullable-long`: a long that Kafka leaves unset (null) by default.
 * - `acks`: 0, 1, -1 or "all", normalised to '0' | '1' | 'all'.
 * - `enum`: one of `values` (case-insensitive, normalised to lower case).
 * - `nullable-string`: a non-empty string or null (unset).
 */
export type ConfigType = 'int' | 'long' | 'nullable-long' | 'boolean' | 'acks' | 'enum' | 'nullable-string';

export type ConfigValue = number | boolean | string | null;

export interface ConfigEntry {
  key: string;
  scope: ConfigScope;
  /** The name a topic-level override uses when it differs from the broker key. */
  topicKey?: string;
  type: ConfigType;
  /** Apache Kafka's default, already normalised. */
  default: ConfigValue;
  /** Inclusive bounds for numeric types. */
  min?: number;
  max?: number;
  /** Unit of a numeric value, for docs ("ms", "bytes", "records"...). */
  unit?: string;
  /** The accepted values of an `enum`. */
  values?: readonly string[];
  doc: string;
}

/** Java's Integer.MAX_VALUE. */
export const JAVA_INT_MAX = 2147483647;
/** Java's Long.MAX_VALUE as ksim stores it (no int64 in a JS number; see ConfigType). */
export const JAVA_LONG_MAX = Number.MAX_SAFE_INTEGER;

export const CONFIG_CATALOG: readonly ConfigEntry[] = [
  // ----- topic-level (broker default, topic override) -----
  {
    key: 'min.insync.replicas',
    scope: 'topic',
    type: 'int',
    default: 1,
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
    doc: 'fsync the log when its oldest unflushed record is this old; unset (null) by default, which means never.',
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
    key: 'log.cleanup.policy',
    topicKey: 'cleanup.policy',
    scope: 'topic',
    type: 'enum',
    values: ['delete', 'compact'],
    default: 'delete',
    doc: '"delete" removes old segments by retention.ms / retention.bytes; "compact" keeps only the last record per key (as __consumer_offsets does).',
  },
  // ----- broker -----
  {
    key: 'replica.lag.time.max.ms',
    scope: 'broker',
    type: 'long',
    default: 30000,
    min: 1,
    max: JAVA_LONG_MAX,
    unit: 'ms',
    doc: 'A follower that has not caught up to the leader’s log end for this long is removed from the ISR.',
  },
  {
    key: 'replica.fetch.wait.max.ms',
    scope: 'broker',
    type: 'int',
    default: 500,
    min: 0,
    max: JAVA_INT_MAX,
    unit: 'ms',
    doc: 'How long a follower’s fetch may wait at the leader for new data; must not exceed replica.lag.time.max.ms.',
  },
  {
    key: 'replica.fetch.backoff.ms',
    scope: 'broker',
    type: 'int',
    default: 1000,
    min: 0,
    max: JAVA_INT_MAX,
    unit: 'ms',
    doc: 'How long a follower sleeps after a fetch error before fetching again.',
  },
  {
    key: 'replica.fetch.max.bytes',
    scope: 'broker',
    type: 'int',
    default: 1048576,
    min: 0,
    max: JAVA_INT_MAX,
    unit: 'bytes',
    doc: 'Bytes a follower asks for per partition in one fetch (a larger first batch is still returned).',
  },
  {
    key: 'auto.leader.rebalance.enable',
    scope: 'broker',
    type: 'boolean',
    default: true,
    doc: 'The controller periodically moves leadership back to each partition’s preferred (first) replica.',
  },
  {
    key: 'leader.imbalance.check.interval.seconds',
    scope: 'broker',
    type: 'long',
    default: 300,
    min: 1,
    max: JAVA_LONG_MAX,
    unit: 's',
    doc: 'How often the controller checks for leader imbalance.',
  },
  {
    key: 'leader.imbalance.per.broker.percentage',
    scope: 'broker',
    type: 'int',
    default: 10,
    min: 0,
    max: 100,
    unit: '%',
    doc: 'A broker whose share of non-preferred leaders exceeds this triggers a preferred-leader election.',
  },
  {
    key: 'controlled.shutdown.enable',
    scope: 'broker',
    type: 'boolean',
    default: true,
    doc: 'A stopping broker first asks the controller to move its leaderships away.',
  },
  {
    key: 'broker.session.timeout.ms',
    scope: 'broker',
    type: 'int',
    default: 9000,
    min: 1,
    max: JAVA_INT_MAX,
    unit: 'ms',
    doc: 'KRaft: the controller fences a broker that has not heartbeated for this long.',
  },
  {
    key: 'broker.heartbeat.interval.ms',
    scope: 'broker',
    type: 'int',
    default: 2000,
    min: 1,
    max: JAVA_INT_MAX,
    unit: 'ms',
    doc: 'KRaft: how often a broker heartbeats to the active controller.',
  },
  {
    key: 'zookeeper.session.timeout.ms',
    scope: 'broker',
    type: 'int',
    default: 18000,
    min: 1,
    max: JAVA_INT_MAX,
    unit: 'ms',
    doc: 'ZooKeeper mode: a broker’s ephemeral registration expires after this long without contact.',
  },
  {
    key: 'default.replication.factor',
    scope: 'broker',
    type: 'int',
    default: 1,
    min: 1,
    max: JAVA_INT_MAX,
    unit: 'replicas',
    doc: 'Replication factor of a topic that does not state one.',
  },
  {
    key: 'num.partitions',
    scope: 'broker',
    type: 'int',
    default: 1,
    min: 1,
    max: JAVA_INT_MAX,
    unit: 'partitions',
    doc: 'Partition count of a topic that does not state one.',
  },
  {
    key: 'log.retention.check.interval.ms',
    scope: 'broker',
    type: 'long',
    default: 300000,
    min: 1,
    max: JAVA_LONG_MAX,
    unit: 'ms',
    doc: 'How often each broker applies retention and compaction to its logs.',
  },
  {
    key: 'offsets.topic.num.partitions',
    scope: 'broker',
    type: 'int',
    default: 50,
    min: 1,
    max: JAVA_INT_MAX,
    unit: 'partitions',
    doc: 'Partitions of __consumer_offsets; a group is coordinated by the leader of partition abs(groupId.hashCode) % this. Scenarios may lower it for speed.',
  },
  {
    key: 'offsets.topic.replication.factor',
    scope: 'broker',
    type: 'int',
    default: 3,
    min: 1,
    max: 32767,
    unit: 'replicas',
    doc: 'Replication factor of __consumer_offsets (committed offsets and group metadata).',
  },
  {
    key: 'offsets.topic.segment.bytes',
    scope: 'broker',
    type: 'int',
    default: 104857600,
    min: 1,
    max: JAVA_INT_MAX,
    unit: 'bytes',
    doc: 'Segment size of __consumer_offsets (compaction cleans closed segments only).',
  },
  {
    key: 'offsets.commit.timeout.ms',
    scope: 'broker',
    type: 'int',
    default: 5000,
    min: 1,
    max: JAVA_INT_MAX,
    unit: 'ms',
    doc: 'An offset commit waits this long for its __consumer_offsets append to be replicated before failing.',
  },
  {
    key: 'group.min.session.timeout.ms',
    scope: 'broker',
    type: 'int',
    default: 6000,
    min: 0,
    max: JAVA_INT_MAX,
    unit: 'ms',
    doc: 'The coordinator rejects a JoinGroup whose session.timeout.ms is below this (INVALID_SESSION_TIMEOUT).',
  },
  {
    key: 'group.max.session.timeout.ms',
    scope: 'broker',
    type: 'int',
    default: 1800000,
    min: 0,
    max: JAVA_INT_MAX,
    unit: 'ms',
    doc: 'The coordinator rejects a JoinGroup whose session.timeout.ms is above this (INVALID_SESSION_TIMEOUT).',
  },
  {
    key: 'group.initial.rebalance.delay.ms',
    scope: 'broker',
    type: 'int',
    default: 3000,
    min: 0,
    max: JAVA_INT_MAX,
    unit: 'ms',
    doc: 'An empty group waits this long (and again per new member, up to max.poll.interval.ms) for more members before its first rebalance.',
  },
  // ----- producer -----
  {
    key: 'acks',
    scope: 'producer',
    type: 'acks',
    default: 'all',
    doc: 'Acknowledgements the leader waits for: 0 (none), 1 (leader’s log only) or all (every ISR member; -1 is the same).',
  },
  {
    key: 'enable.idempotence',
    scope: 'producer',
    type: 'boolean',
    default: true,
    doc: 'Producer id and per-partition sequence numbers let the broker drop duplicated retries; quietly off when acks, retries or max.in.flight conflict and it was not set explicitly.',
  },
  {
    key: 'retries',
    scope: 'producer',
    type: 'int',
    default: JAVA_INT_MAX,
    min: 0,
    max: JAVA_INT_MAX,
    doc: 'How many times a failed batch is resent; delivery.timeout.ms bounds retrying in practice.',
  },
  {
    key: 'retry.backoff.ms',
    scope: 'producer',
    type: 'long',
    default: 100,
    min: 0,
    max: JAVA_LONG_MAX,
    unit: 'ms',
    doc: 'Wait before resending a failed batch.',
  },
  {
    key: 'request.timeout.ms',
    scope: 'producer',
    type: 'int',
    default: 30000,
    min: 0,
    max: JAVA_INT_MAX,
    unit: 'ms',
    doc: 'How long the producer waits for a produce response before retrying (or failing).',
  },
  {
    key: 'delivery.timeout.ms',
    scope: 'producer',
    type: 'int',
    default: 120000,
    min: 0,
    max: JAVA_INT_MAX,
    unit: 'ms',
    doc: 'Upper bound on reporting success or failure after send(); must be at least linger.ms + request.timeout.ms.',
  },
  {
    key: 'linger.ms',
    scope: 'producer',
    type: 'long',
    // Kafka 4.0 changed the default from 0 to 5 (KIP-1030); ksim follows current Kafka.
    default: 5,
    min: 0,
    max: JAVA_LONG_MAX,
    unit: 'ms',
    doc: 'How long a batch waits for more records before it is sent (5 since Kafka 4.0, 0 before).',
  },
  {
    key: 'batch.size',
    scope: 'producer',
    type: 'int',
    default: 16384,
    min: 0,
    max: JAVA_INT_MAX,
    unit: 'bytes',
    doc: 'Largest batch per partition; a full batch is sent without waiting for linger.ms.',
  },
  {
    key: 'max.in.flight.requests.per.connection',
    scope: 'producer',
    type: 'int',
    default: 5,
    min: 1,
    max: JAVA_INT_MAX,
    unit: 'requests',
    doc: 'Unacknowledged requests per broker connection; above 1 without idempotence, a retry can reorder records.',
  },
  {
    key: 'metadata.max.age.ms',
    scope: 'producer',
    type: 'long',
    default: 300000,
    min: 0,
    max: JAVA_LONG_MAX,
    unit: 'ms',
    doc: 'The producer refreshes metadata at least this often even without errors.',
  },
  // ----- consumer -----
  {
    key: 'group.instance.id',
    scope: 'consumer',
    type: 'nullable-string',
    default: null,
    doc: 'Static membership (KIP-345): a member that restarts with the same id within session.timeout.ms gets its partitions back without a rebalance.',
  },
  {
    key: 'session.timeout.ms',
    scope: 'consumer',
    type: 'int',
    default: 45000,
    min: 1,
    max: JAVA_INT_MAX,
    unit: 'ms',
    doc: 'The coordinator removes a member (and rebalances) when it has not heartbeated for this long (45000 since Kafka 3.0).',
  },
  {
    key: 'heartbeat.interval.ms',
    scope: 'consumer',
    type: 'int',
    default: 3000,
    min: 1,
    max: JAVA_INT_MAX,
    unit: 'ms',
    doc: 'How often the background heartbeat thread heartbeats the coordinator; must be below session.timeout.ms.',
  },
  {
    key: 'max.poll.interval.ms',
    scope: 'consumer',
    type: 'int',
    default: 300000,
    min: 1,
    max: JAVA_INT_MAX,
    unit: 'ms',
    doc: 'KIP-62: a member that does not poll for this long leaves the group; also the rebalance timeout.',
  },
  {
    key: 'max.poll.records',
    scope: 'consumer',
    type: 'int',
    default: 500,
    min: 1,
    max: JAVA_INT_MAX,
    unit: 'records',
    doc: 'Most records one poll() returns.',
  },
  {
    key: 'fetch.min.bytes',
    scope: 'consumer',
    type: 'int',
    default: 1,
    min: 0,
    max: JAVA_INT_MAX,
    unit: 'bytes',
    doc: 'The leader holds a fetch until this much data is available or fetch.max.wait.ms passes.',
  },
  {
    key: 'fetch.max.wait.ms',
    scope: 'consumer',
    type: 'int',
    default: 500,
    min: 0,
    max: JAVA_INT_MAX,
    unit: 'ms',
    doc: 'Longest time the leader holds a fetch waiting for fetch.min.bytes.',
  },
  {
    key: 'max.partition.fetch.bytes',
    scope: 'consumer',
    type: 'int',
    default: 1048576,
    min: 0,
    max: JAVA_INT_MAX,
    unit: 'bytes',
    doc: 'Most data one fetch returns per partition.',
  },
  {
    key: 'enable.auto.commit',
    scope: 'consumer',
    type: 'boolean',
    default: true,
    doc: 'Commit the positions returned by poll() every auto.commit.interval.ms (from inside poll), and before a rebalance.',
  },
  {
    key: 'auto.commit.interval.ms',
    scope: 'consumer',
    type: 'int',
    default: 5000,
    min: 0,
    max: JAVA_INT_MAX,
    unit: 'ms',
    doc: 'Auto-commit interval.',
  },
  {
    key: 'auto.offset.reset',
    scope: 'consumer',
    type: 'enum',
    values: ['earliest', 'latest', 'none'],
    default: 'latest',
    doc: 'Where to start without a committed offset or when the position is out of range: the log start, the high watermark, or fail the partition.',
  },
  {
    key: 'partition.assignment.strategy',
    scope: 'consumer',
    type: 'enum',
    values: ['range', 'roundrobin', 'sticky', 'cooperative-sticky'],
    // Kafka's default list is [RangeAssignor, CooperativeStickyAssignor]; a group of default
    // members uses the first, range. ksim takes one assignor per member.
    default: 'range',
    doc: 'The assignor: range, roundrobin, sticky (eager) or cooperative-sticky (KIP-429 incremental rebalancing).',
  },
];

export const CONFIG_BY_KEY: ReadonlyMap<string, ConfigEntry> = new Map(CONFIG_CATALOG.map((e) => [e.key, e]));

/** Topic-level names (`flush.messages`) to their catalog entry. */
export const CONFIG_BY_TOPIC_KEY: ReadonlyMap<string, ConfigEntry> = new Map(
  CONFIG_CATALOG.filter((e) => e.scope === 'topic').map((e) => [e.topicKey ?? e.key, e]),
);

export const CONFIG_KEYS: readonly string[] = CONFIG_CATALOG.map((e) => e.key);
