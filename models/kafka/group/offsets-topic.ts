// __consumer_offsets, Kafka's internal topic for committed offsets and group metadata: which of
// its partitions coordinates a group (Utils.abs(groupId.hashCode()) % offsets.topic.num.partitions,
// GroupMetadataManager.partitionFor), the topic's config (compacted, as Kafka creates it), and the
// payloads of its records.
//
// The topic is a real replicated topic in the model: its partitions are led, replicated, elected
// (cleanly or not), truncated and compacted like any other, so committed offsets can be rolled
// back by an unclean election exactly as user data can be lost.
//
// Simplification: records carry no bytes, so a record's key and value live in a run-wide side
// table (OffsetsRecordTable) keyed by the record's run-wide id; the log holds only the id. The
// record is immutable once written, as in Kafka, so every replica that holds the id holds the
// same key and value.

import type { BrokerConfig } from '../config/broker-configs.ts';
import type { TopicConfig } from '../config/topic-configs.ts';

export const OFFSETS_TOPIC = '__consumer_offsets';
/** Bytes one offset-commit or group-metadata record stands for (key + value, roughly). */
export const OFFSETS_RECORD_BYTES = 100;

/** Java's String.hashCode, as a 32-bit int. */
function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** GroupMetadataManager.partitionFor: Utils.abs(groupId.hashCode) % numPartitions (abs = & 0x7fffffff). */
export function partitionForGroup(groupId: string, numPartitions: number): number {
  return (javaStringHashCode(groupId) & 0x7fffffff) % numPartitions;
}

/**
 * Kafka creates the topic compacted, with offsets.topic.segment.bytes segments; min.insync.replicas
 * and unclean.leader.election.enable are the brokers' defaults (so MSK's unclean election applies
 * to committed offsets too).
 */
export function offsetsTopicConfig(bc: BrokerConfig): TopicConfig {
  return {
    'min.insync.replicas': bc['min.insync.replicas'],
    'unclean.leader.election.enable': bc['unclean.leader.election.enable'],
    'log.flush.interval.messages': bc['log.flush.interval.messages'],
    'log.flush.interval.ms': bc['log.flush.interval.ms'],
    'log.retention.ms': -1,
    'log.retention.bytes': -1,
    'log.segment.bytes': bc['offsets.topic.segment.bytes'],
    'log.roll.ms': bc['log.roll.ms'],
    'log.cleanup.policy': 'compact',
    'log.cleaner.min.cleanable.ratio': bc['log.cleaner.min.cleanable.ratio'],
  };
}

/** OffsetCommit value: key (group, topic partition). */
interface OffsetCommitRecord {
  kind: 'offset';
  group: string;
  /** Global partition index of the committed (user) partition. */
  partition: number;
  offset: number;
  /** Leader epoch of the last consumed record (KIP-320), -1 unknown. */
  leaderEpoch: number;
  /** Compaction key. */
  key: string;
}

/** GroupMetadata value: key (group). Written when a rebalance completes (SyncGroup from the leader). */
export interface GroupMetadataRecord {
  kind: 'group';
  group: string;
  generation: number;
  protocol: string;
  leaderId: string;
  members: readonly PersistedMember[];
  key: string;
}

export interface PersistedMember {
  memberId: string;
  instanceId: string | null;
  /** Client node index. */
  node: number;
  sessionTimeoutUs: number;
  rebalanceTimeoutUs: number;
  topics: readonly string[];
  assignment: readonly number[];
}

export type OffsetsRecord = OffsetCommitRecord | GroupMetadataRecord;
