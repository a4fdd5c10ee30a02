// The Kafka model's resolved view of a scenario: every broker, topic (with its replica assignment
// already computed), producer and Kafka config value the run uses. Config keys keep Apache Kafka's
// own names; values are already validated and normalised (acks as '0' | '1' | 'all').
// Produced by the scenario layer (kafka-definition.ts), consumed by the model (kafka-model.ts).
// The config shapes are computed from the config catalog (config/*-configs.ts).

import type { ModelBug } from '../model-bugs.ts';
import type { BrokerConfig } from '../config/broker-configs.ts';
import type { ConsumerConfig } from '../config/consumer-configs.ts';
import type { ProducerConfig } from '../config/producer-configs.ts';
import type { TopicConfig } from '../config/topic-configs.ts';
import type { ProtocolEra } from '../version/protocol-features.ts';
import type { KafkaVersion } from '../version/kafka-versions.ts';



/** MSK: EBS volumes survive instance loss; instance-store disks come back empty. */
export type StorageType = 'ebs' | 'instance-store';

/**
 * A broker's log disk: its type and the Linux writeback settings of its OS page cache
 * (storage/page-cache.ts), in milliseconds where Linux counts centiseconds.
 */
export interface BrokerStorage {
  type: StorageType;
  /** vm.dirty_expire_centisecs × 10: dirty data this old is written back by the flusher's next pass. */
  dirtyExpireMs: number;
  /** vm.dirty_writeback_centisecs × 10: how often the flusher wakes; 0 turns periodic writeback off. */
  dirtyWritebackMs: number;
  /**
   * How long one fsync of a log takes (ms; FileChannel.force: the data, then the filesystem
   * journal's commit). Kafka fsyncs inside the append, holding the log's lock, when
   * log.flush.interval.messages is reached (UnifiedLog.append): the produce response, the
   * follower's next fetch and the next append to that log wait for it.
   */
  fsyncMs: number;
}

/**
 * A log fsync's duration by disk type, when the scenario does not set one: EBS (gp2/gp3) answers a
 * write in about a millisecond (AWS: "single-digit millisecond latency"), and an fsync on ext4 is
 * two dependent writes (the data, then the journal commit); a local NVMe instance-store disk
 * answers in tens of microseconds.
 */
export const FSYNC_MS_DEFAULTS: Readonly<Record<StorageType, number>> = { ebs: 2, 'instance-store': 0.1 };

/** Linux's defaults: vm.dirty_expire_centisecs = 3000, vm.dirty_writeback_centisecs = 500. */
export const LINUX_WRITEBACK_DEFAULTS = { dirtyExpireMs: 30_000, dirtyWritebackMs: 5_000 } as const;
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
  storage: BrokerStorage;
}

interface ControllerSpec {
  name: string;
  az: string;
}

export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor: number;
  /** Effective topic config: broker defaults with the topic's overrides applied. */
  config: TopicConfig;
  /** replicas[p] lists broker indexes (into KafkaScenario.brokers), preferred leader first. */
  replicas: number[][];
  /** Kafka's own internal topic (__consumer_offsets): not a user topic, not in final.partitions. */
  internal?: boolean;
}

/** A scripted send: at atMs, send one record with this key (null: no key, sticky partitioner). */
interface ScriptedSend {
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
 * - `controlled-shutdown`: the broker asks the controller to move its leaderships away
 *   (ControlledShutdown / KIP-841), stops, and starts again after durationMs.
 * - `rolling-restart`: a controlled shutdown of each broker in turn; the next one stops only once
 *   the previous one is back and every partition has its full ISR again, or isrWaitMs passed (as
 *   MSK patching waits for the cluster to be healthy). With interBrokerProtocolVersion (ZooKeeper
 *   mode), each broker starts again with that inter.broker.protocol.version: the second rolling
 *   restart of Kafka's upgrade procedure (docs/upgrade.html); with logMessageFormatVersion, writing
 *   that message format (its last, version/message-format.ts).
 * - `upgrade`: each broker in `brokers` (one, or several as a rolling restart) is stopped by a
 *   controlled shutdown and starts again after durationMs running Kafka `to`: what its own code
 *   does changes at once, what needs the protocol level waits for the final step
 *   (version/cluster-versions.ts).
 * - `update-features`: KRaft's UpdateFeatures API (kafka-features.sh upgrade --metadata): the
 *   active controller finalizes metadata.version `metadataVersion`, refused with
 *   INVALID_UPDATE_VERSION while a broker's software does not support it (FeatureControlManager);
 *   brokers speak it once they replay it.
 * - `create-partitions`: the CreatePartitions API (kafka-topics --alter --partitions): the
 *   controller adds partitions up to totalCount with `replicas` (broker indexes, for the new
 *   partitions only); clients see them at their next metadata refresh.
 * - `preferred-leader-election`: the ElectLeaders API with ElectionType.PREFERRED (KIP-460):
 *   every partition given (null: all) whose preferred replica is alive, in the ISR and not its
 *   leader gets it as leader.
 * - `consumer-close` / `consumer-start`: a member's KafkaConsumer.close() (it commits if auto
 *   commit is on, then sends LeaveGroup) and a new KafkaConsumer for that member.
 * - `delete-records`: the DeleteRecords API (kafka-delete-records): the partition's leader moves
 *   its log start offset to `offset` (-1: the high watermark), followers follow through their
 *   fetches; a consumer below it gets OFFSET_OUT_OF_RANGE and resets (auto.offset.reset).
 * - `producer-restart`: the producer's process is replaced: what it had not completed fails, and
 *   the new instance has a new producer id (idempotence does not span the two).
 * - `reassign-partitions`: the AlterPartitionReassignments API (KIP-455, kafka-reassign-partitions):
 *   the partition's replica set becomes `replicas` (broker indexes, preferred leader first). The
 *   controller first adds the new replicas (replicas = target + removing, addingReplicas and
 *   removingReplicas recorded); they fetch from the leader and join the ISR when caught up; once
 *   they are all in the ISR the reassignment completes (replicas = target, the removed replicas
 *   leave the ISR, stop and delete their copy; a removed leader is replaced by the first target
 *   replica in the ISR). throttleBytesPerSec (KIP-73, --throttle): out-of-sync replicas copy it at
 *   most that fast (broker/replication-quota-manager.ts).
 */
export type KafkaOperation =
  | { atMs: number; kind: 'controlled-shutdown'; broker: string; durationMs: number }
  | { atMs: number; kind: 'rolling-restart'; brokers: string[]; durationMs: number; isrWaitMs: number; interBrokerProtocolVersion?: KafkaVersion; logMessageFormatVersion?: KafkaVersion }
  | { atMs: number; kind: 'upgrade'; brokers: string[]; to: KafkaVersion; durationMs: number; isrWaitMs: number }
  | { atMs: number; kind: 'update-features'; metadataVersion: KafkaVersion }
  | { atMs: number; kind: 'create-partitions'; topic: string; totalCount: number; replicas: number[][] }
  | { atMs: number; kind: 'preferred-leader-election'; topic: string | null; partition: number | null }
  | { atMs: number; kind: 'consumer-close'; member: string }
  | { atMs: number; kind: 'consumer-start'; member: string }
  | { atMs: number; kind: 'producer-restart'; producer: string }
  | { atMs: number; kind: 'delete-records'; topic: string; partition: number; offset: number }
  | { atMs: number; kind: 'reassign-partitions'; topic: string; partition: number; replicas: number[]; throttleBytesPerSec: number | null };

/**
 * When a member commits: `auto` (enable.auto.commit, every auto.commit.interval.ms, on poll),
 * `after-processing` (commit a poll's offsets once its records are processed: at least once),
 * `before-processing` (commit right after poll, then process: at most once).
 */
export type CommitStrategy = 'auto' | 'after-processing' | 'before-processing';
export const COMMIT_STRATEGIES: readonly CommitStrategy[] = ['auto', 'after-processing', 'before-processing'];

/** One consumer process of a group: a node of its own. */
export interface ConsumerMemberSpec {
  name: string;
  az: string;
  /** The consumer starts (subscribes and joins) here. */
  startMs: number;
  /** Processing time per record. */
  processingMs: number;
  commit: CommitStrategy;
  /** commitSync (wait for the response, retry retriable errors) or commitAsync (fire and forget). */
  commitSync: boolean;
  config: ConsumerConfig;
}

export interface ConsumerGroupSpec {
  groupId: string;
  topics: string[];
  members: ConsumerMemberSpec[];
}

export interface KafkaScenario {
  /** The protocol era when the scenario states no kafkaVersion; absent when kafkaVersion decides the protocol. */
  era?: ProtocolEra;
  /** The Kafka version the scenario states; when present it, not `era`, decides the protocol (version/kafka-versions.ts). */
  kafkaVersion?: KafkaVersion;
  metadataMode: MetadataMode;
  brokers: BrokerSpec[];
  controllers: ControllerSpec[];
  brokerConfig: BrokerConfig;
  topics: TopicSpec[];
  producers: ProducerSpec[];
  operations: KafkaOperation[];
  /** Consumer groups (issue 4); absent: none. */
  consumerGroups?: ConsumerGroupSpec[];
  /** __consumer_offsets, present when there are consumer groups (internal: true). */
  offsetsTopic?: TopicSpec;
  /** Deliberate model bugs switched on (model-bugs.ts); absent or empty: none. */
  bugs?: readonly ModelBug[];
  /**
   * How long after a broker process exits on its own the deployment has it running again (ms;
   * broker/truncation-halt.ts): the msk preset's MSK_PROCESS_RESTART_MS; absent: nothing restarts
   * it (a plain Apache deployment, as after a crash only the fault schedule brings it back).
   */
  processRestartMs?: number;
}
