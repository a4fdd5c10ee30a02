// The producer client configs ksim models, with Apache Kafka's defaults as ProducerConfig states
// them (current Kafka: acks=all, idempotence on, linger.ms=5). ProducerConfig, the shape the
// model reads, is computed from these entries.

import { defaultsOf, JAVA_INT_MAX, JAVA_LONG_MAX, type ConfigEntry, type ConfigShape } from './config-entry.ts';

export const PRODUCER_CONFIGS = [
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
    simMin: { value: 1, why: 'at 0 every request times out the instant it is sent and the run never leaves that instant' },
    unit: 'ms',
    doc: 'How long the producer waits for a response before it closes the connection, failing every request in flight on it (then retried, or failed).',
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
    key: 'send.buffer.bytes',
    scope: 'producer',
    type: 'int',
    // CommonClientConfigs.SEND_BUFFER_DOC; Selector.configureSocketChannel sets SO_SNDBUF unless -1.
    default: 131072,
    min: -1,
    max: JAVA_INT_MAX,
    unit: 'bytes',
    doc: "The socket's send buffer (SO_SNDBUF); -1: the OS default (Linux autotunes up to tcp_wmem's 4 MiB). With acks=0 a send completes once written into it, so it bounds what a producer hands to a cut-off broker.",
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
    simMin: { value: 1, why: "at 0 the model's producer refreshes metadata in a loop that never leaves the instant" },
    unit: 'ms',
    doc: 'The producer refreshes metadata at least this often even without errors.',
  },
  {
    key: 'reconnect.backoff.ms',
    scope: 'producer',
    type: 'long',
    default: 50,
    min: 0,
    max: JAVA_LONG_MAX,
    unit: 'ms',
    doc: 'Wait before reconnecting to a broker after its connection closed; doubles per consecutive failure up to reconnect.backoff.max.ms, with 20% jitter.',
  },
  {
    key: 'reconnect.backoff.max.ms',
    scope: 'producer',
    type: 'long',
    default: 1000,
    min: 0,
    max: JAVA_LONG_MAX,
    unit: 'ms',
    doc: 'Cap of the reconnect backoff (when only reconnect.backoff.ms is set, Kafka uses it as the cap too: no growth).',
  },
  {
    key: 'socket.connection.setup.timeout.ms',
    scope: 'producer',
    type: 'long',
    default: 10000,
    min: 0,
    max: JAVA_LONG_MAX,
    unit: 'ms',
    doc: 'KIP-601: a connect not established in this long is abandoned (the producer tries elsewhere); doubles per consecutive failure up to socket.connection.setup.timeout.max.ms, with 20% jitter.',
  },
  {
    key: 'socket.connection.setup.timeout.max.ms',
    scope: 'producer',
    type: 'long',
    default: 30000,
    min: 0,
    max: JAVA_LONG_MAX,
    unit: 'ms',
    doc: 'Cap of the connection setup timeout.',
  },
] as const satisfies readonly ConfigEntry<'producer'>[];

/**
 * A producer's effective config. delivery.timeout.ms is null on a version before it existed
 * (KIP-91, 2.1): the producer then expires batches the older way (producer/batch-expiry.ts).
 */
export type ProducerConfig = Omit<ConfigShape<typeof PRODUCER_CONFIGS>, 'delivery.timeout.ms'> & { 'delivery.timeout.ms': number | null };

export const PRODUCER_DEFAULTS: Readonly<ProducerConfig> = defaultsOf(PRODUCER_CONFIGS);

/**
 * ProducerConfig's MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION_FOR_IDEMPOTENCE: the broker keeps the last
 * five batches of a producer for deduplication, so an idempotent producer may have no more in flight.
 */
export const MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION_FOR_IDEMPOTENCE = 5;
