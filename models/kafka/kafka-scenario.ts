// The Kafka model's resolved view of a scenario: every broker, topic (with its replica assignment
// already computed), producer and Kafka config value the run uses. Config keys keep Apache Kafka's
// own names; values are already validated and normalised (acks as '0' | '1' | 'all').
// Produced by the scenario layer (kafka-definition.ts), consumed by the model (kafka-model.ts).

/**
 * Which replication protocol to simulate, so research can reproduce history:
 * - `hw-truncation`: before Kafka 0.11, a follower (or restarted broker) truncates its log to its
 *   high watermark, then fetches; committed data can be lost in a fast restart-then-failover.
 * - `kip-101`: Kafka 0.11, truncation by leader epoch (OffsetsForLeaderEpoch), without KIP-279.
 * - `kip-279`: Kafka 2.0, the fix for divergence under fast leader failover (followers walk back
 *   epoch by epoch).
 * - `current`: KIP-279 plus KIP-320 (fetch requests carry the leader epoch and are fenced), as in
 *   current Apache Kafka. The default.
 */
export type ProtocolEra = 'hw-truncation' | 'kip-101' | 'kip-279' | 'current';
export const PROTOCOL_ERAS: readonly ProtocolEra[] = ['hw-truncation', 'kip-101', 'kip-279', 'current'];

export type Acks = '0' | '1' | 'all';
/** MSK: EBS volumes survive instance loss; instance-store disks come back empty. */
export type StorageType = 'ebs' | 'instance-store';
/** KRaft controller quorum (current) or a ZooKeeper-era controller. */
export type MetadataMode = 'kraft' | 'zookeeper';

export interface BrokerSpec {
  /** Node name, e.g. "b1". */
  name: string;
  /** broker.id */
  id: number;
  az: string;
  /** broker.rack: the AZ, or null when racks are unset (naive replica assignment). */
  rack: string | null;
  storage: StorageType;
}

export interface ControllerSpec {
  name: string;
  az: string;
}

/** Broker-level and topic-level configs (topic-level ones can be overridden per topic). */
export interface BrokerConfig {
  'min.insync.replicas': number;
  'unclean.leader.election.enable': boolean;
  'replica.lag.time.max.ms': number;
  'replica.fetch.wait.max.ms': number;
  'replica.fetch.backoff.ms': number;
  'replica.fetch.max.bytes': number;
  /** Long.MAX_VALUE in Kafka (never by count); Number.MAX_SAFE_INTEGER here. */
  'log.flush.interval.messages': number;
  /** null: unset (Kafka falls back to log.flush.scheduler.interval.ms = Long.MAX_VALUE, i.e. never). */
  'log.flush.interval.ms': number | null;
  'auto.leader.rebalance.enable': boolean;
  'leader.imbalance.check.interval.seconds': number;
  'leader.imbalance.per.broker.percentage': number;
  'controlled.shutdown.enable': boolean;
  /** KRaft: broker fenced after missing heartbeats for this long. */
  'broker.session.timeout.ms': number;
  'broker.heartbeat.interval.ms': number;
  /** ZooKeeper era: broker's ephemeral node expires after this. */
  'zookeeper.session.timeout.ms': number;
  'default.replication.factor': number;
  'num.partitions': number;
}

export type TopicConfig = Pick<
  BrokerConfig,
  'min.insync.replicas' | 'unclean.leader.election.enable' | 'log.flush.interval.messages' | 'log.flush.interval.ms'
>;

export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor: number;
  /** Effective topic config: broker defaults with the topic's overrides applied. */
  config: TopicConfig;
  /** replicas[p] lists broker indexes (into KafkaScenario.brokers), preferred leader first. */
  replicas: number[][];
}

export interface ProducerConfig {
  acks: Acks;
  'enable.idempotence': boolean;
  retries: number;
  'retry.backoff.ms': number;
  'request.timeout.ms': number;
  'delivery.timeout.ms': number;
  'linger.ms': number;
  'batch.size': number;
  'max.in.flight.requests.per.connection': number;
  'metadata.max.age.ms': number;
}

/** A scripted send: at atMs, send one record with this key (null: no key, sticky partitioner). */
export interface ScriptedSend {
  atMs: number;
  key: string | null;
}

export interface ProducerSpec {
  name: string;
  az: string;
  topic: string;
  /** Records per second from startMs to stopMs (0 with `sends` for a purely scripted producer). */
  ratePerSec: number;
  /** Distinct keys "k0".."k{keys-1}"; 0 sends null keys (sticky partitioner). */
  keys: number;
  recordBytes: number;
  startMs: number;
  /** Stop sending here; undefined: until the end of the run. */
  stopMs?: number;
  sends: ScriptedSend[];
  config: ProducerConfig;
}

/**
 * An administrative action the scenario scripts, as an operator (or MSK's patching) would:
 * a controlled shutdown moves leadership away before the broker stops, then the broker starts
 * again after durationMs (a rolling restart is a sequence of these).
 */
export interface KafkaOperation {
  atMs: number;
  kind: 'controlled-shutdown';
  broker: string;
  durationMs: number;
}

export interface KafkaScenario {
  era: ProtocolEra;
  metadataMode: MetadataMode;
  brokers: BrokerSpec[];
  controllers: ControllerSpec[];
  brokerConfig: BrokerConfig;
  topics: TopicSpec[];
  producers: ProducerSpec[];
  operations: KafkaOperation[];
}
