// The Kafka model's wire messages, one tagged object per protocol request or response. Brokers,
// controllers and producers are addressed by node index by the kernel; inside messages brokers are
// named by broker index and partitions by global partition index (cluster-layout.ts).
//
// Simplifications: the KRaft metadata log is not replicated record by record; the active
// controller pushes whole immutable images (metadata-image.ts). Fetch sessions (KIP-227) are sent
// as full fetch requests each time: one request per follower/leader pair lists every partition the
// follower fetches from that leader, which is what the session stands for.

import type { LogRecord } from './partition-log.ts';
import type { MetadataImage, PartitionMeta } from './metadata-image.ts';

/** Controller quorum liveness between controller nodes (stands for Raft fetches). */
export interface QuorumHeartbeat {
  type: 'quorum-heartbeat';
  controller: number;
}

export interface BrokerHeartbeat {
  type: 'broker-heartbeat';
  broker: number;
  /** Grows on each process start: a new incarnation is a re-registration. */
  incarnation: number;
  /** Version of the broker's metadata image: caught up when equal to the controller's. */
  metadataVersion: number;
}

/** Heartbeat response and metadata push in one: the active controller's current image. */
export interface MetadataUpdate {
  type: 'metadata-update';
  image: MetadataImage;
}

export interface AlterPartitionRequest {
  type: 'alter-partition';
  broker: number;
  partition: number;
  leaderEpoch: number;
  partitionEpoch: number;
  isr: readonly number[];
}

export interface AlterPartitionResponse {
  type: 'alter-partition-response';
  partition: number;
  /** null on success. */
  error: string | null;
  meta: PartitionMeta;
}

export interface ControlledShutdownRequest {
  type: 'controlled-shutdown';
  broker: number;
  incarnation: number;
}

export interface ControlledShutdownResponse {
  type: 'controlled-shutdown-response';
}

export interface FetchPartition {
  partition: number;
  fetchOffset: number;
  /** The follower's view of the leader epoch (checked only in the 'current' era, KIP-320). */
  currentLeaderEpoch: number;
}

export interface FetchRequest {
  type: 'fetch';
  requestId: number;
  broker: number;
  parts: FetchPartition[];
}

export interface FetchPartitionData {
  partition: number;
  error: string | null;
  fetchOffset: number;
  highWatermark: number;
  logEndOffset: number;
  records: LogRecord[];
}

export interface FetchResponse {
  type: 'fetch-response';
  requestId: number;
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
}

export interface ProduceResponse {
  type: 'produce-response';
  requestId: number;
  results: ProduceResult[];
}

export type KafkaMessage =
  | QuorumHeartbeat
  | BrokerHeartbeat
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
export const FENCED_LEADER_EPOCH = 'FENCED_LEADER_EPOCH';
export const UNKNOWN_LEADER_EPOCH = 'UNKNOWN_LEADER_EPOCH';
export const OFFSET_OUT_OF_RANGE = 'OFFSET_OUT_OF_RANGE';
export const INVALID_UPDATE_VERSION = 'INVALID_UPDATE_VERSION';
export const INELIGIBLE_REPLICA = 'INELIGIBLE_REPLICA';
export const NOT_CONTROLLER = 'NOT_CONTROLLER';
/** Client-side: the request got no response within request.timeout.ms (connection closed). */
export const NETWORK_TIMEOUT = 'NETWORK_TIMEOUT';
export const DELIVERY_TIMEOUT = 'DELIVERY_TIMEOUT';
export const PRODUCER_CRASHED = 'PRODUCER_CRASHED';
