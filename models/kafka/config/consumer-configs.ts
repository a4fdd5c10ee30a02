// The consumer client configs ksim models, with Apache Kafka's defaults as ConsumerConfig states
// them. ConsumerConfig, the shape the model reads, is computed from these entries. Keys a consumer
// shares with the producer (request.timeout.ms, retry.backoff.ms, the reconnect and connection
// setup keys) are entries of their own here, with the consumer's defaults.

import { defaultsOf, JAVA_INT_MAX, JAVA_LONG_MAX, type ConfigEntry, type ConfigShape } from './config-entry.ts';

export const CONSUMER_CONFIGS = [
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
  {
    key: 'request.timeout.ms',
    scope: 'consumer',
    type: 'int',
    default: 30000,
    min: 0,
    max: JAVA_INT_MAX,
    unit: 'ms',
    doc: 'How long the consumer waits for a response before it closes the connection, failing every request in flight on it (JoinGroup waits the rebalance timeout plus 5 s).',
  },
  {
    key: 'retry.backoff.ms',
    scope: 'consumer',
    type: 'long',
    default: 100,
    min: 0,
    max: JAVA_LONG_MAX,
    unit: 'ms',
    doc: 'Wait before retrying a failed request (finding the coordinator again, a commitSync, a metadata refresh).',
  },
  {
    key: 'reconnect.backoff.ms',
    scope: 'consumer',
    type: 'long',
    default: 50,
    min: 0,
    max: JAVA_LONG_MAX,
    unit: 'ms',
    doc: 'Wait before reconnecting to a broker after its connection closed; doubles per consecutive failure up to reconnect.backoff.max.ms, with 20% jitter.',
  },
  {
    key: 'reconnect.backoff.max.ms',
    scope: 'consumer',
    type: 'long',
    default: 1000,
    min: 0,
    max: JAVA_LONG_MAX,
    unit: 'ms',
    doc: 'Cap of the reconnect backoff (when only reconnect.backoff.ms is set, Kafka uses it as the cap too: no growth).',
  },
  {
    key: 'socket.connection.setup.timeout.ms',
    scope: 'consumer',
    type: 'long',
    default: 10000,
    min: 0,
    max: JAVA_LONG_MAX,
    unit: 'ms',
    doc: 'KIP-601: a connect not established in this long is abandoned (the consumer tries elsewhere); doubles per consecutive failure up to socket.connection.setup.timeout.max.ms, with 20% jitter.',
  },
  {
    key: 'socket.connection.setup.timeout.max.ms',
    scope: 'consumer',
    type: 'long',
    default: 30000,
    min: 0,
    max: JAVA_LONG_MAX,
    unit: 'ms',
    doc: 'Cap of the connection setup timeout.',
  },
] as const satisfies readonly ConfigEntry<'consumer'>[];

export type ConsumerConfig = ConfigShape<typeof CONSUMER_CONFIGS>;

/** partition.assignment.strategy, by the assignor's protocol name. */
export type AssignmentStrategy = ConsumerConfig['partition.assignment.strategy'];
/** auto.offset.reset: where a consumer starts without a committed offset or after OFFSET_OUT_OF_RANGE. */
export type AutoOffsetReset = ConsumerConfig['auto.offset.reset'];

export const CONSUMER_DEFAULTS: Readonly<ConsumerConfig> = defaultsOf(CONSUMER_CONFIGS);
