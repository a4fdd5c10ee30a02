// The Kafka model's events: what it emits (through ctx.emit) into the trace and to the checkers.
// Client operations form a Jepsen-like history: `send` is the invocation, `send-ok` the
// acknowledgement, `send-fail` a definite failure or, with definite=false, an unknown outcome
// ("info": the record may or may not have been written). The other events describe the data and
// control plane so violations can be explained in Kafka terms.
//
// Partitions are named "topic-index" ("orders-0"); brokers by node name ("b1"). Records are
// identified by a run-wide integer id assigned at send time.

import type { KafkaOperation } from './scenario/kafka-scenario.ts';

export type ElectionKind = 'initial' | 'clean' | 'unclean' | 'preferred' | 'controlled-shutdown';

export interface SendEvent {
  type: 'send';
  producer: string;
  record: number;
  key: string | null;
  partition: string;
}

export interface SendOkEvent {
  type: 'send-ok';
  producer: string;
  record: number;
  partition: string;
  offset: number;
  leaderEpoch: number;
  /** From send() to the acknowledgement. */
  latencyUs: number;
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

interface HighWatermarkEvent {
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
  /** The new leader's log end offset when elected (what an unclean election keeps). */
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
  reason: 'new-leader' | 'shutdown';
}

/** A replica removed records from the end of its log. */
export interface TruncateEvent {
  type: 'truncate';
  partition: string;
  /** New log end offset. */
  toOffset: number;
  /** Log end offset before truncating. */
  fromOffset: number;
  removed: number[];
  reason: 'high-watermark' | 'leader-epoch' | 'diverging-epoch';
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

interface ProduceErrorEvent {
  type: 'produce-error';
  partition: string;
  producer: string;
  error: string;
}

// ---- consumers, groups and retention (issue 4) ----

/**
 * A poll() returned the records of [fromOffset, toOffset) of one partition to the application.
 * One poll() call that returns several partitions emits one event per partition, at one time.
 */
interface PollEvent {
  type: 'poll';
  member: string;
  group: string;
  generation: number;
  partition: string;
  fromOffset: number;
  toOffset: number;
  /** The records returned, in the order returned, and the offset of each (compacted-away offsets are skipped). */
  offsets: number[];
  records: number[];
}

/** A consumer process started (at its start time and after each restart): a new client, no position. */
interface ConsumerStartEvent {
  type: 'consumer-start';
  member: string;
  group: string;
}

/** The application finished processing one record (what duplicate / gap counts are made of). */
interface ProcessEvent {
  type: 'process';
  member: string;
  group: string;
  /** The member's generation when the record was polled. */
  generation: number;
  partition: string;
  offset: number;
  record: number;
}

interface CommitEvent {
  type: 'commit';
  member: string;
  group: string;
  generation: number;
  partitions: string[];
  /** Next offset to consume, per partition (parallel to partitions). */
  offsets: number[];
  sync: boolean;
}

interface CommitOkEvent {
  type: 'commit-ok';
  member: string;
  group: string;
  generation: number;
  partitions: string[];
  offsets: number[];
}

interface CommitFailEvent {
  type: 'commit-fail';
  member: string;
  group: string;
  generation: number;
  partitions: string[];
  offsets: number[];
  /** ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS, NOT_COORDINATOR... */
  error: string;
}

/** The coordinator began a rebalance (the group entered PreparingRebalance). */
interface RebalanceStartEvent {
  type: 'rebalance-start';
  group: string;
  /** The generation being replaced. */
  generation: number;
  reason: string;
}

/** The coordinator completed a rebalance: the new generation is stable (or the group empty). */
interface RebalanceEndEvent {
  type: 'rebalance-end';
  group: string;
  generation: number;
  members: number;
  /** "memberId=p1,p2" per member (absent for an empty group). */
  assignment?: string[];
}

/** A member learned its partitions for a generation (SyncGroup), and what it gave up (cooperative). */
interface AssignmentEvent {
  type: 'assignment';
  member: string;
  group: string;
  generation: number;
  partitions: string[];
  revoked: string[];
}

/** auto.offset.reset applied: no committed offset, out of range, or (KIP-320) truncation detected. */
interface OffsetResetEvent {
  type: 'offset-reset';
  member: string;
  group: string;
  partition: string;
  fromOffset: number;
  /** Only for truncation: the divergence point the position moves back to. */
  toOffset?: number;
  strategy: string;
  reason: 'no-committed-offset' | 'out-of-range' | 'truncation';
}

/** auto.offset.reset resolved at the leader: the position the reset moved to. */
interface OffsetResetDoneEvent {
  type: 'offset-reset-done';
  member: string;
  group: string;
  partition: string;
  offset: number;
}

/** OffsetFetch answered a newly assigned partition's committed offset (-1: none). */
interface OffsetFetchEvent {
  type: 'offset-fetch';
  member: string;
  group: string;
  partition: string;
  offset: number;
}

/** The member's heartbeat thread left the group: the application had not polled for max.poll.interval.ms (KIP-62). */
interface PollTimeoutEvent {
  type: 'poll-timeout';
  member: string;
  group: string;
  generation: number;
}

/** The member learned it is no longer in the group (its generation reset): its partitions are lost, not revoked. */
interface MemberResetEvent {
  type: 'member-reset';
  member: string;
  group: string;
}

/** The coordinator removed a member whose session expired (no heartbeat for session.timeout.ms). */
interface MemberExpiredEvent {
  type: 'member-expired';
  group: string;
  memberId: string;
  generation: number;
}

/** A broker became the coordinator of a __consumer_offsets partition and loaded its groups from the log. */
interface CoordinatorLoadEvent {
  type: 'coordinator-load';
  partition: string;
  groups: number;
}

/** Retention deleted segments of a replica: its new log start offset. */
interface RetentionEvent {
  type: 'retention';
  partition: string;
  logStartOffset: number;
  /** Set when a DeleteRecords request moved it (scenario operation delete-records), not retention. */
  cause?: 'delete-records';
}

/** The log cleaner removed superseded records of a replica below cleanedTo. */
interface CompactionEvent {
  type: 'compaction';
  partition: string;
  cleanedTo: number;
  removed: number;
}

export type ConsumerEvent =
  | PollEvent
  | ConsumerStartEvent
  | ProcessEvent
  | CommitEvent
  | CommitOkEvent
  | CommitFailEvent
  | RebalanceStartEvent
  | RebalanceEndEvent
  | AssignmentEvent
  | OffsetResetEvent
  | OffsetResetDoneEvent
  | OffsetFetchEvent
  | PollTimeoutEvent
  | MemberResetEvent
  | MemberExpiredEvent
  | CoordinatorLoadEvent
  | RetentionEvent
  | CompactionEvent;

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

export type KafkaEvent =
  | ConsumerEvent
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
  | ProduceErrorEvent;

/** The type tag of a Kafka model event (what a checker names in Checker.eventTypes). */
export type KafkaEventType = KafkaEvent['type'];

/** A replica's log at the end of the run. records[i] is the record id at offset logStartOffset + i. */
export interface FinalReplicaLog {
  broker: string;
  alive: boolean;
  logStartOffset: number;
  logEndOffset: number;
  highWatermark: number;
  records: number[];
  /** Leader epoch of each record, parallel to records. */
  epochs: number[];
}

export interface FinalPartitionState {
  partition: string;
  leader: string | null;
  leaderEpoch: number;
  isr: string[];
  replicas: string[];
  logs: FinalReplicaLog[];
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

/** ModelOutcome.final for the Kafka model. */
export interface KafkaFinalState {
  partitions: FinalPartitionState[];
  /** Producer config per producer name (what the analysis needs to classify anomalies). */
  producers: Record<string, { acks: string; idempotent: boolean; maxInFlight: number; retries: number }>;
  /** Consumer groups at the end (absent without groups). */
  consumerGroups?: FinalConsumerGroup[];
  /** __consumer_offsets partitions (absent without groups); not user data, so not in `partitions`. */
  internalPartitions?: FinalPartitionState[];
}
