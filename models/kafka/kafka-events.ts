// The Kafka model's events: what it emits (through ctx.emit) into the trace and to the checkers.
// Client operations form a Jepsen-like history: `send` is the invocation, `send-ok` the
// acknowledgement, `send-fail` a definite failure or, with definite=false, an unknown outcome
// ("info": the record may or may not have been written). The other events describe the data and
// control plane so violations can be explained in Kafka terms.
//
// Partitions are named "topic-index" ("orders-0"), brokers by node name ("b1"), records by a run-wide id assigned at send time.

import type { KafkaOperation } from './scenario/kafka-scenario.ts';
import type { ConsumerEvent } from './consumer-events.ts';
import type { KafkaVersion } from './version/kafka-versions.ts';

/**
 * last-known-leader: KIP-966 (4.1) elected the partition's last leader with the ISR and the ELR
 * empty (PartitionChangeBuilder.canElectLastKnownLeader); Kafka logs it as an unclean election,
 * though unclean.leader.election.enable plays no part.
 */
export type ElectionKind = 'initial' | 'clean' | 'unclean' | 'preferred' | 'controlled-shutdown' | 'last-known-leader';

export interface SendEvent {
  type: 'send';
  producer: string;
  record: number;
  key: string | null;
  partition: string;
  /** When send() was called: a generated record is emitted when its producer next acts (RecordArrivals), at or after this. */
  sentUs: number;
}

/**
 * A produce response completed a batch (ProducerBatch.done: the callbacks of its records' send(),
 * in order): one event per batch, record j of `records` at `offset + j`.
 */
export interface SendOkEvent {
  type: 'send-ok';
  producer: string;
  records: readonly number[];
  partition: string;
  /** Offset of the batch's first record; -1 when unknown (acks=0). */
  offset: number;
  leaderEpoch: number;
  /** When each record was handed to send(): its latency runs from there to this event. */
  sentUs: readonly number[];
}

export interface SendFailEvent {
  type: 'send-fail';
  producer: string;
  record: number;
  partition: string;
  /** Kafka error name, e.g. NOT_ENOUGH_REPLICAS, or DELIVERY_TIMEOUT. */
  error: string;
  /** false: the outcome is unknown (the record may have been appended). */
  definite: boolean;
}

/** A replica appended records (leader on produce, follower on fetch). */
export interface AppendEvent {
  type: 'append';
  partition: string;
  role: 'leader' | 'follower';
  baseOffset: number;
  leaderEpoch: number;
  records: number[];
}

export interface HighWatermarkEvent {
  type: 'hw';
  partition: string;
  hw: number;
  leaderEpoch: number;
}

export interface IsrChangeEvent {
  type: 'isr-shrink' | 'isr-expand';
  partition: string;
  isr: string[];
  leaderEpoch: number;
  /** Set when the controller removed replicas itself (fenced, shut down, replaced leader, reassigned away): IsrShrinksPerSec counts only Partition.shrinkIsr. */
  byController?: true;
}

export interface ElectionEvent {
  type: 'election';
  partition: string;
  kind: ElectionKind;
  /** null: no eligible replica, the partition is offline. */
  leader: string | null;
  leaderEpoch: number;
  isr: string[];
  previousLeader: string | null;
  /** The new leader's LEO when elected; its epoch starts at become-leader's leaderEpochStartOffset, which may be higher. */
  leaderLogEndOffset: number;
}

/**
 * A broker took leadership of a partition (ReplicaManager.applyDelta -> makeLeaders,
 * Partition.makeLeader): from now on it appends produce requests for it in this leader epoch.
 */
interface BecomeLeaderEvent {
  type: 'become-leader';
  partition: string;
  leaderEpoch: number;
  /**
   * Its LEO as it took over, where its epoch starts (Partition.makeLeader: leaderEpochStartOffsetOpt); above the
   * election's leaderLogEndOffset when it appended a late fetch response from the old leader before LeaderAndIsr.
   */
  leaderEpochStartOffset: number;
}

/**
 * A broker stopped leading a partition: it learned of a newer leader (makeFollowers), or it shut
 * down cleanly (controlled shutdown). A crash ends leadership with no event: the process is gone.
 */
interface ResignLeaderEvent {
  type: 'resign-leader';
  partition: string;
  /** The epoch it led in. */
  leaderEpoch: number;
  /** stop-replica: a reassignment removed this broker from the replicas. */
  reason: 'new-leader' | 'shutdown' | 'stop-replica';
}

/** A replica removed records from the end of its log. */
export interface TruncateEvent {
  type: 'truncate';
  partition: string;
  /** New log end offset. */
  toOffset: number;
  /** Log end offset before truncating. */
  fromOffset: number;
  /** The ids of the records removed, from offset cutOffset ?? toOffset on. */
  removed: number[];
  /** log-recovery: a restart ended the log at its last batch, dropping only empty tail offsets (storage/log-recovery.ts). */
  reason: 'high-watermark' | 'leader-epoch' | 'diverging-epoch' | 'log-recovery';
  /**
   * Set when below toOffset: toOffset fell inside a record batch starting there, and Kafka cut the
   * segment at the batch's start but set the log end offset to toOffset (Log.truncateTo): offsets
   * [cutOffset, toOffset) are left empty (storage/partition-log.ts truncateTo).
   */
  cutOffset?: number;
}

/** The first offset a truncation or log loss removed a record from (removed[i] was at it + i). */
export const firstRemovedOffset = (ev: { toOffset: number; cutOffset?: number }): number => ev.cutOffset ?? ev.toOffset;

/**
 * A follower could not append what its leader sent for a partition: the first batch started below
 * its log end offset, as the leader serves from the start of the batch holding the fetch offset
 * (LogSegment.read -> translateOffset) and a truncation may have left the follower's log end inside
 * one of the leader's batches; Log.append refuses it (UnexpectedAppendOffsetException, "Out of
 * order offsets" in 0.11). From KIP-461 (2.3) that partition alone is marked failed and leaves the
 * fetcher until it becomes a follower again; before it the fetcher thread for that leader ends, and
 * every partition it fetched stops replicating (`stopped`).
 */
export interface FetcherFailedEvent {
  type: 'fetcher-failed';
  partition: string;
  /** The leader fetched from. */
  leader: string;
  /** The follower's log end offset, which it fetched from. */
  fetchOffset: number;
  /** Where the leader's batch holding fetchOffset starts. */
  batchBaseOffset: number;
  /** The partitions that stop replicating from that leader (this one alone from KIP-461). */
  stopped: string[];
  /** Set when the follower's empty log started at the leader's log start inside that batch: KAFKA-6975 (fixed in 1.0.2/1.1.1/2.0.0). */
  emptyLogInsideBatch?: true;
}

/**
 * A follower acted on a replication flaw of the simulated version; emitted only by versions that
 * have the flaw, so runs of later versions are unchanged. It is the evidence log-divergence names:
 * - `truncated-to-high-watermark`: becoming a follower, it cut its log to its high watermark and
 *   kept what lay below, wherever the new leader's log differs there (before KIP-101, 0.11).
 * - `skipped-truncation`: told of a newer leader epoch by the leader it already followed, it kept
 *   its log as it was (Partition.makeFollower returned false for the same leader before
 *   KAFKA-7164's fix in 2.0.1), whatever that leader truncated in the epochs it missed.
 * - `unfenced-fetch`: it appended records of a leader epoch newer than the one it knows: a fetch
 *   that a leader fences from KIP-320 (2.1) on with FENCED_LEADER_EPOCH; a zombie replica
 *   fetching across a leader change it never heard of (KAFKA-6880).
 * - `undefined-epoch-offset`: asking where its latest epoch ends, it was answered
 *   UNDEFINED_EPOCH_OFFSET by a leader whose epoch cache held no entry at or before that epoch
 *   (LeaderEpochFileCache.endOffsetFor before KAFKA-7415, 2.1), and cut its log only to its high
 *   watermark (0.11-1.1 ReplicaFetcherThread.maybeTruncate, 2.0
 *   AbstractFetcherThread.getOffsetTruncationState), keeping records below it the leader never had.
 */
export interface ProtocolFlawEvent {
  type: 'protocol-flaw';
  partition: string;
  flaw: 'truncated-to-high-watermark' | 'skipped-truncation' | 'unfenced-fetch' | 'undefined-epoch-offset';
  /** The leader epoch the follower knew (truncated-to-high-watermark: the newest epoch in its log; undefined-epoch-offset: the epoch it asked about). */
  knownLeaderEpoch: number;
  /** The epoch it was told of (skipped-truncation; undefined-epoch-offset: its leader's), or of the records it appended (unfenced-fetch). */
  leaderEpoch: number;
  /** Its log end offset: the log it kept (truncations), or after the append (unfenced-fetch). */
  logEndOffset: number;
  /**
   * skipped-truncation: the first offset the fixed version would have cut (where the leader's log
   * ends the follower's latest epoch, or its high watermark before KIP-101); what lies below was
   * kept either way. undefined-epoch-offset: where a 2.1 leader's answer would have had it cut
   * (the start of its first cached epoch).
   */
  keptFromOffset?: number;
}

/**
 * A partition leader accepted an idempotent batch at a first sequence above 0 from a producer id it
 * had no state for (ProducerAppendInfo.checkSequence accepts any sequence then, since KIP-360: "all
 * producer records have been deleted"). Its lower sequences may still be unwritten, in flight to an
 * older leader: what lets a later batch overtake them (KAFKA-15591's family).
 */
export interface UnknownProducerAppendEvent {
  type: 'unknown-producer-append';
  partition: string;
  producer: string;
  baseSequence: number;
  /** The first record of the batch. */
  record: number;
}

/**
 * Before KIP-360 (Kafka 1.0-2.4 clients, TransactionManager.canRetry): a leader answered
 * UNKNOWN_PRODUCER_ID with a log start offset above the producer's last acknowledged offset of the
 * partition, and the producer restarted the sequences of its unfinished batches there at 0, same id
 * and epoch, to retry them. A batch an earlier attempt may have written (mayBeInLog) is then written
 * again if the leader took it: KIP-360's first motivation.
 */
export interface SequencesResetEvent {
  type: 'sequences-reset';
  partition: string;
  producer: string;
  logStartOffset: number;
  /** The records of the batches re-sequenced, in sequence order. */
  records: number[];
  /** Those of batches some earlier attempt of which may be in the log (timed out, disconnected). */
  mayBeInLog: number[];
}

/**
 * What a node runs changed during the run (the `upgrade`, `rolling-restart` with
 * inter.broker.protocol.version or log.message.format.version and `update-features` operations, version/cluster-versions.ts):
 * emitted by a broker when its software or protocol level changes, by the KRaft controller when it
 * finalizes a metadata.version (software null). The checkers judge a flaw by what the broker
 * involved ran then (analysis/version-timeline.ts). Runs without such operations have none.
 */
export interface VersionChangeEvent {
  type: 'version-change';
  /** The software the broker runs from now; null: the controller finalized metadata.version `protocolLevel`. */
  software: KafkaVersion | null;
  /** The broker's inter.broker.protocol.version (ZooKeeper) or the metadata.version it replayed (KRaft); the finalized level (controller). */
  protocolLevel: KafkaVersion;
  /** The broker's log.message.format.version, when a rolling restart raised it (version/message-format.ts); absent otherwise. */
  messageFormat?: KafkaVersion;
}

/** A broker lost records it had not flushed (power loss) or its whole disk (instance loss). */
export interface LogLostEvent {
  type: 'log-lost';
  partition: string;
  fromOffset: number;
  toOffset: number;
  removed: number[];
  cause: 'power-loss' | 'disk-loss';
}

/**
 * A broker process exited on its own: a follower ahead of its leader may not truncate (Kafka
 * before 2.1, broker/truncation-halt.ts). Its log keeps what it held; the emitting node is the broker.
 */
export interface BrokerHaltEvent {
  type: 'broker-halt';
  partition: string;
  /** The leader's log end offset, below the follower's. */
  leaderEndOffset: number;
  /** The follower's log end offset, kept. */
  logEndOffset: number;
  /** "log truncation not allowed for orders-1 (leader LEO 1 < follower LEO 11)". */
  reason: string;
  /** When the deployment restarts the process (ms from now), or null: nobody does (an operator must). */
  restartInMs: number | null;
}

interface ProduceErrorEvent {
  type: 'produce-error';
  partition: string;
  producer: string;
  error: string;
}

/** A scripted operation carried out (scenario `operations`), with Kafka's error if it failed. */
interface OperationEvent {
  type: 'operation';
  operation: KafkaOperation['kind'];
  /** What it acted on, in words ("orders to 4 partitions", "b2"). */
  subject: string;
  /** The topic it changed, when it changed one (create-partitions). */
  topic: string | null;
  /** Kafka's error code when refused (INVALID_REPLICATION_FACTOR...), else null. */
  error: string | null;
}

/**
 * A partition reassignment (KIP-455) changed the committed replica set: `started` when the
 * controller added the target (replicas = target + removing), `completed` when every added replica
 * reached the ISR and the removed ones left (replicas = target). A reassignment that only reorders
 * completes at once (one `completed` event).
 */
export interface ReassignmentEvent {
  type: 'reassignment';
  partition: string;
  phase: 'started' | 'completed';
  /** The committed replicas from now on, preferred leader first. */
  replicas: string[];
  /** Replicas being added / removed while in progress; [] once completed. */
  adding: string[];
  removing: string[];
  leaderEpoch: number;
}

/**
 * A broker stopped replicating a partition it is no longer a replica of (StopReplica with
 * delete=true after a reassignment removed it, or the KRaft broker seeing itself gone from the
 * replicas): its copy of the log is deleted.
 */
export interface StopReplicaEvent {
  type: 'stop-replica';
  partition: string;
  /** The log end offset of the deleted copy. */
  logEndOffset: number;
}

export type KafkaEvent =
  | ConsumerEvent
  | ReassignmentEvent
  | StopReplicaEvent
  | OperationEvent
  | SendEvent
  | SendOkEvent
  | SendFailEvent
  | AppendEvent
  | HighWatermarkEvent
  | IsrChangeEvent
  | ElectionEvent
  | BecomeLeaderEvent
  | ResignLeaderEvent
  | TruncateEvent
  | LogLostEvent
  | BrokerHaltEvent
  | ProtocolFlawEvent
  | FetcherFailedEvent
  | UnknownProducerAppendEvent
  | SequencesResetEvent
  | VersionChangeEvent
  | ProduceErrorEvent;

/** The type tag of a Kafka model event (what a checker names in Checker.eventTypes). */
export type KafkaEventType = KafkaEvent['type'];

/**
 * A column of a final log: the model exports Int32Arrays (4 bytes a record: a virtual hour's logs
 * hold millions, and their export is built while the model's own storage is still live, at the
 * run's memory peak); scripted test runs may give plain arrays. Readers index it, take its length
 * and iterate it, nothing else.
 */
type FinalLogColumn = Int32Array | readonly number[];

/** A replica's log at the end of the run. records[i] is the record id at offset logStartOffset + i. */
export interface FinalReplicaLog<Column extends FinalLogColumn = FinalLogColumn> {
  broker: string;
  alive: boolean;
  logStartOffset: number;
  logEndOffset: number;
  highWatermark: number;
  records: Column;
  /** Leader epoch of each record, parallel to records. */
  epochs: Column;
  /**
   * The replica's broker exited rather than truncate this log below its end (before 2.1,
   * broker/truncation-halt.ts) and has not appended fetched records since: what it holds is on its
   * disk, not lost. Absent otherwise.
   */
  keptRatherThanTruncated?: true;
}

export interface FinalPartitionState<Column extends FinalLogColumn = FinalLogColumn> {
  partition: string;
  leader: string | null;
  leaderEpoch: number;
  isr: string[];
  /** KIP-966's Eligible Leader Replicas at the end (4.1, KRaft); absent when empty. */
  elr?: string[];
  replicas: string[];
  logs: FinalReplicaLog<Column>[];
  /**
   * Set when the recorded leader is up but holds no state for the partition: a ZooKeeper-mode
   * restart the controller missed (before KIP-380) never got its LeaderAndIsr, so it serves
   * nothing and the partition is unavailable. Absent otherwise.
   */
  leaderWithoutState?: true;
}

/** A group's committed offset of one partition at the end, and how far behind the partition's HW it is. */
export interface FinalCommittedOffset {
  partition: string;
  /** -1: nothing committed. */
  offset: number;
  /** The partition's final high watermark minus the committed offset (the HW when nothing is committed). */
  lag: number;
}

export interface FinalConsumerGroup {
  group: string;
  /** __consumer_offsets partition coordinating the group. */
  offsetsPartition: string;
  /** Coordinator at the end (the leader of offsetsPartition), null when offline. */
  coordinator: string | null;
  /** From the coordinator's log below its HW (what a coordinator loads), per subscribed partition. */
  committed: FinalCommittedOffset[];
}

/**
 * A change of the active controller's standing (KRaft's Raft leader, or the ZooKeeper-mode
 * controller ksim runs as a node of its own): it became active, its quorum tick found it could no
 * longer commit (no majority of voters fetching) or could again, it lost its lease, or its process
 * went down while active. Kept by the model beside the trace, not as events, so the trace and its
 * hash stay as they were; the run summary reads them from the final state.
 */
export interface ControllerChange {
  timeUs: number;
  controller: string;
  change: 'active' | 'majority-lost' | 'majority-back' | 'lease-lost' | 'down';
  /** KRaft: the controller's Raft epoch after the change (active: the epoch it leads; lease-lost: the one it moved to). */
  epoch?: number;
  /** KRaft lease-lost: the voter whose higher epoch deposed it (a candidate's vote request or answer); absent when it resigned on its own. */
  deposedBy?: string;
}

/** ModelOutcome.final for the Kafka model. */
export interface KafkaFinalState {
  partitions: FinalPartitionState[];
  /** Producer config per producer name (what the analysis needs to classify anomalies). */
  producers: Record<string, { acks: string; idempotent: boolean; maxInFlight: number; retries: number }>;
  /** Consumer groups at the end (absent without groups). */
  consumerGroups?: FinalConsumerGroup[];
  /** __consumer_offsets partitions (absent without groups); not user data, so not in `partitions`. */
  internalPartitions?: FinalPartitionState[];
  /** The active controller's changes in time order (ControllerChange); absent in a final state from before they were kept. */
  controllerChanges?: ControllerChange[];
}
