// The Kafka model's wire messages, one tagged object per protocol request or response. Brokers,
// controllers and producers are addressed by node index by the kernel; inside messages brokers are
// named by broker index and partitions by global partition index (cluster-layout.ts).
//
// Simplifications: the KRaft metadata log is not replicated record by record; the active
// controller pushes whole immutable images (metadata-image.ts). Follower and consumer fetches use
// fetch sessions (KIP-227, clients/fetch-session-handler.ts, broker/fetch-session-cache.ts) from 1.1.

import type { MemoryRecords } from './storage/log-record-store.ts';
import type { MetadataImage, PartitionMeta } from './controller/metadata-image.ts';
import type { KafkaVersion } from './version/kafka-versions.ts';
import type { RaftMessage } from './controller/raft-messages.ts';

/** ZooKeeper mode: liveness between the nodes standing for the ZooKeeper ensemble and controller (quorum-state.ts). */
type QuorumHeartbeat = { type: 'quorum-heartbeat'; controller: number };

export interface BrokerHeartbeat {
  type: 'broker-heartbeat';
  requestId: number;
  broker: number;
  /** Grows on each process start: a new incarnation is a re-registration. */
  incarnation: number;
  /** Version of the broker's metadata image: caught up when equal to the controller's. */
  metadataVersion: number;
  /** The newest metadata.version the broker's software supports (BrokerRegistrationRequest.Features). */
  supportedMetadataVersion?: KafkaVersion;
}

/** A metadata push: the active controller's current image. */
interface MetadataUpdate {
  type: 'metadata-update';
  image: MetadataImage;
}

/**
 * The answer to a heartbeat: NOT_CONTROLLER from an inactive controller; in ZooKeeper mode
 * NODE_EXISTS while the process could not register; the image when the broker is behind.
 */
export interface BrokerHeartbeatResponse {
  type: 'broker-heartbeat-response';
  requestId: number;
  error: string | null;
  image: MetadataImage | null;
}

export interface AlterPartitionRequest {
  type: 'alter-partition';
  requestId: number;
  broker: number;
  partition: number;
  leaderEpoch: number;
  partitionEpoch: number;
  isr: readonly number[];
  /** KIP-903 (AlterPartition v3): each ISR member's broker epoch as the leader saw it fetch; -1 unchecked. */
  brokerEpochs?: readonly number[];
}

export interface AlterPartitionResponse {
  type: 'alter-partition-response';
  requestId: number;
  partition: number;
  /** null on success; NOT_CONTROLLER from a controller that is not active (then no meta). */
  error: string | null;
  meta: PartitionMeta | null;
}

interface ControlledShutdownRequest {
  type: 'controlled-shutdown';
  requestId: number;
  broker: number;
  incarnation: number;
}

interface ControlledShutdownResponse {
  type: 'controlled-shutdown-response';
}

export interface FetchPartition {
  partition: number;
  fetchOffset: number;
  /** The follower's view of the leader epoch (checked only in the 'current' era, KIP-320). */
  currentLeaderEpoch: number;
  /** KAFKA-10554 (Fetch v12): the epoch of the follower's last record, for the leader to check its log against; absent or -1: none. */
  lastFetchedEpoch?: number;
}

export interface FetchRequest {
  type: 'fetch';
  requestId: number;
  broker: number;
  /** KIP-903: the follower's broker epoch (its process incarnation); absent: -1, unchecked. */
  brokerEpoch?: number;
  /**
   * KIP-227 (Fetch v7+): the fetch session (0: none) and its epoch (0: a full request that opens
   * one); absent: a sessionless fetch (before 1.1). A full request lists every partition; an
   * incremental one only those whose fetch offset or leader epoch changed, and those it drops.
   */
  sessionId?: number;
  sessionEpoch?: number;
  forgotten?: number[];
  parts: FetchPartition[];
}

export interface FetchPartitionData {
  partition: number;
  error: string | null;
  fetchOffset: number;
  highWatermark: number;
  logEndOffset: number;
  records: MemoryRecords;
  /** The leader's log start offset (KIP-107, Fetch v5, 0.11); absent while it is 0, as it changes nothing then. */
  logStartOffset?: number;
  /** The offset of the first record when below fetchOffset: the leader serves from the start of the batch holding fetchOffset (LogSegment.read). */
  recordsBaseOffset?: number;
  /** KAFKA-10554 (Fetch v12): the largest epoch at or below lastFetchedEpoch the leader has, and where it ends there, when the logs diverge (no records then). */
  divergingEpoch?: { epoch: number; endOffset: number };
}

export interface FetchResponse {
  type: 'fetch-response';
  requestId: number;
  /** KIP-227: the session the leader keeps for the follower (absent or 0: none). */
  sessionId?: number;
  /** KIP-227 top-level error: FETCH_SESSION_ID_NOT_FOUND or INVALID_FETCH_SESSION_EPOCH (no parts). */
  error?: string;
  /** Every partition of a full or sessionless fetch; of an incremental one, those with records, an error or a moved HW or log start. */
  parts: FetchPartitionData[];
}

export interface OffsetsForLeaderEpochRequest {
  type: 'offsets-for-leader-epoch';
  requestId: number;
  broker: number;
  partition: number;
  currentLeaderEpoch: number;
  /** The follower's latest epoch (or, walking back under KIP-279, an earlier one). */
  leaderEpoch: number;
}

export interface OffsetsForLeaderEpochResponse {
  type: 'offsets-for-leader-epoch-response';
  requestId: number;
  partition: number;
  error: string | null;
  leaderEpoch: number;
  endOffset: number;
}

export interface MetadataRequest {
  type: 'metadata-request';
  requestId: number;
  topic: string;
}

export interface MetadataResponse {
  type: 'metadata-response';
  requestId: number;
  /** Leader broker index per partition of the topic (NO_LEADER when offline or unknown). */
  leaders: number[];
  /** Leader epoch per partition as the answering broker knows it (-1: unknown); MetadataResponse v7+, KIP-320. */
  leaderEpochs: number[];
}

export interface ProduceBatch {
  /** Producer-local batch id, echoed in the result. */
  batchId: number;
  partition: number;
  recordIds: number[];
  /** -1 when not idempotent. */
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
}

export interface ProduceRequest {
  type: 'produce';
  requestId: number;
  producer: number;
  /** 0, 1 or -1 (all), as on the wire. */
  acks: number;
  timeoutUs: number;
  batches: ProduceBatch[];
}

export interface ProduceResult {
  batchId: number;
  partition: number;
  error: string | null;
  baseOffset: number;
  leaderEpoch: number;
  /** The leader's log start offset with an UNKNOWN_PRODUCER_ID answer (ProduceResponse v5+, KAFKA-5793), else -1. */
  logStartOffset: number;
}

export interface ProduceResponse {
  type: 'produce-response';
  requestId: number;
  results: ProduceResult[];
}

// ---- consumers and groups (issue 4) ----
// Simplification: ListOffsets is folded into the consumer fetch (a fetch at EARLIEST_OFFSET or
// LATEST_OFFSET resolves to the log start offset or the high watermark), and FindCoordinator and
// the consumer's Metadata request are answered from the broker's metadata image.

export const EARLIEST_OFFSET = -2;
export const LATEST_OFFSET = -1;

interface FindCoordinatorRequest {
  type: 'find-coordinator';
  requestId: number;
  group: string;
}

interface FindCoordinatorResponse {
  type: 'find-coordinator-response';
  requestId: number;
  /** Broker index, or NO_LEADER (COORDINATOR_NOT_AVAILABLE). */
  coordinator: number;
}

export interface ConsumerMetadataRequest {
  type: 'consumer-metadata';
  requestId: number;
  partitions: readonly number[];
}

interface ConsumerMetadataResponse {
  type: 'consumer-metadata-response';
  requestId: number;
  leaders: number[];
  leaderEpochs: number[];
}

export interface JoinGroupRequest {
  type: 'join-group';
  requestId: number;
  group: string;
  clientId: string;
  /** '' for a new member. */
  memberId: string;
  instanceId: string | null;
  sessionTimeoutUs: number;
  rebalanceTimeoutUs: number;
  protocol: string;
  topics: readonly string[];
  /** Partitions the member owns now (cooperative protocol's subscription userData). */
  owned: readonly number[];
}

export interface JoinGroupMember {
  memberId: string;
  topics: readonly string[];
  owned: readonly number[];
}

export interface JoinGroupResponse {
  type: 'join-group-response';
  requestId: number;
  error: string | null;
  generation: number;
  memberId: string;
  leaderId: string;
  protocol: string;
  /** The leader gets every member's subscription; followers get null. */
  members: JoinGroupMember[] | null;
}

export interface SyncGroupRequest {
  type: 'sync-group';
  requestId: number;
  group: string;
  generation: number;
  memberId: string;
  /** The leader's assignment: member ids and their partitions, parallel; null from followers. */
  assignedMembers: string[] | null;
  assignedPartitions: number[][] | null;
}

interface SyncGroupResponse {
  type: 'sync-group-response';
  requestId: number;
  error: string | null;
  assignment: readonly number[];
}

export interface HeartbeatRequest {
  type: 'heartbeat';
  requestId: number;
  group: string;
  generation: number;
  memberId: string;
}

interface HeartbeatResponse {
  type: 'heartbeat-response';
  requestId: number;
  error: string | null;
}

export interface LeaveGroupRequest {
  type: 'leave-group';
  group: string;
  memberId: string;
}

export interface OffsetCommitRequest {
  type: 'offset-commit';
  requestId: number;
  group: string;
  generation: number;
  memberId: string;
  instanceId: string | null;
  partitions: number[];
  offsets: number[];
  leaderEpochs: number[];
}

interface OffsetCommitResponse {
  type: 'offset-commit-response';
  requestId: number;
  error: string | null;
}

export interface OffsetFetchRequest {
  type: 'offset-fetch';
  requestId: number;
  group: string;
  partitions: readonly number[];
}

interface OffsetFetchResponse {
  type: 'offset-fetch-response';
  requestId: number;
  error: string | null;
  /** -1: no committed offset. */
  offsets: number[];
  leaderEpochs: number[];
}

export interface ConsumerFetchRequest {
  type: 'consumer-fetch';
  requestId: number;
  /** KIP-227: as FetchRequest's (a 1.1+ consumer); absent: a sessionless fetch. */
  sessionId?: number;
  sessionEpoch?: number;
  forgotten?: number[];
  parts: FetchPartition[];
  minBytes: number;
  maxWaitUs: number;
  maxRecordsPerPartition: number;
}

export interface ConsumerFetchPartitionData {
  partition: number;
  error: string | null;
  /** The offset the records start at (EARLIEST / LATEST resolved). */
  fetchOffset: number;
  highWatermark: number;
  logStartOffset: number;
  records: MemoryRecords;
}

export interface ConsumerFetchResponse {
  type: 'consumer-fetch-response';
  requestId: number;
  /** KIP-227: as FetchResponse's. */
  sessionId?: number;
  error?: string;
  /** As FetchResponse's; an offset reset (EARLIEST / LATEST) is always answered. */
  parts: ConsumerFetchPartitionData[];
}

type ConsumerMessage =
  | FindCoordinatorRequest
  | FindCoordinatorResponse
  | ConsumerMetadataRequest
  | ConsumerMetadataResponse
  | JoinGroupRequest
  | JoinGroupResponse
  | SyncGroupRequest
  | SyncGroupResponse
  | HeartbeatRequest
  | HeartbeatResponse
  | LeaveGroupRequest
  | OffsetCommitRequest
  | OffsetCommitResponse
  | OffsetFetchRequest
  | OffsetFetchResponse
  | ConsumerFetchRequest
  | ConsumerFetchResponse;

export type KafkaMessage =
  | ConsumerMessage
  | QuorumHeartbeat
  | RaftMessage
  | BrokerHeartbeat
  | BrokerHeartbeatResponse
  | MetadataUpdate
  | AlterPartitionRequest
  | AlterPartitionResponse
  | ControlledShutdownRequest
  | ControlledShutdownResponse
  | FetchRequest
  | FetchResponse
  | OffsetsForLeaderEpochRequest
  | OffsetsForLeaderEpochResponse
  | MetadataRequest
  | MetadataResponse
  | ProduceRequest
  | ProduceResponse;

// Kafka error names used on the wire and in events.
export const NOT_LEADER_OR_FOLLOWER = 'NOT_LEADER_OR_FOLLOWER';
export const NOT_ENOUGH_REPLICAS = 'NOT_ENOUGH_REPLICAS';
export const NOT_ENOUGH_REPLICAS_AFTER_APPEND = 'NOT_ENOUGH_REPLICAS_AFTER_APPEND';
export const REQUEST_TIMED_OUT = 'REQUEST_TIMED_OUT';
export const OUT_OF_ORDER_SEQUENCE_NUMBER = 'OUT_OF_ORDER_SEQUENCE_NUMBER';
export const INVALID_PRODUCER_EPOCH = 'INVALID_PRODUCER_EPOCH';
/** Kafka 1.0-2.4: a producer id the partition has no state for sent a sequence above 0 (KAFKA-5793). */
export const UNKNOWN_PRODUCER_ID = 'UNKNOWN_PRODUCER_ID';
export const FENCED_LEADER_EPOCH = 'FENCED_LEADER_EPOCH';
export const UNKNOWN_LEADER_EPOCH = 'UNKNOWN_LEADER_EPOCH';
export const OFFSET_OUT_OF_RANGE = 'OFFSET_OUT_OF_RANGE';
export const FETCH_SESSION_ID_NOT_FOUND = 'FETCH_SESSION_ID_NOT_FOUND';
export const INVALID_FETCH_SESSION_EPOCH = 'INVALID_FETCH_SESSION_EPOCH';
export const INVALID_UPDATE_VERSION = 'INVALID_UPDATE_VERSION';
export const INELIGIBLE_REPLICA = 'INELIGIBLE_REPLICA';
/** Client-side: the request got no response within request.timeout.ms (connection closed). */
export const NETWORK_TIMEOUT = 'NETWORK_TIMEOUT';
/** Client-side: the connection the request was in flight on was closed under it (Kafka's NetworkException). */
export const NETWORK_EXCEPTION = 'NETWORK_EXCEPTION';
/** Client-side: a batch outlived delivery.timeout.ms (KIP-91, 2.1+; Kafka's TimeoutException "Expiring N record(s)"). */
export const DELIVERY_TIMEOUT = 'DELIVERY_TIMEOUT';
/** Client-side, before KIP-91 (0.10-2.0): a batch waited in the accumulator request.timeout.ms past ready (RecordAccumulator.expiredBatches). */
export const BATCH_EXPIRED = 'BATCH_EXPIRED';
export const PRODUCER_CRASHED = 'PRODUCER_CRASHED';
export const ILLEGAL_GENERATION = 'ILLEGAL_GENERATION';
export const UNKNOWN_MEMBER_ID = 'UNKNOWN_MEMBER_ID';
export const REBALANCE_IN_PROGRESS = 'REBALANCE_IN_PROGRESS';
export const NOT_COORDINATOR = 'NOT_COORDINATOR';
export const COORDINATOR_NOT_AVAILABLE = 'COORDINATOR_NOT_AVAILABLE';
export const FENCED_INSTANCE_ID = 'FENCED_INSTANCE_ID';
/** A request to the controller reached a controller node that is not the active controller. */
export const NOT_CONTROLLER = 'NOT_CONTROLLER';
/**
 * ZooKeeper mode: a restarted broker's /brokers/ids znode could not be created, the one of its old
 * session still exists (KafkaZkClient.CheckedEphemeral: NODEEXISTS, KafkaServer.startup fails).
 */
export const NODE_EXISTS = 'NODE_EXISTS';
