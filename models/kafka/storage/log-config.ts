// What retention and compaction need of a partition's topic config (Kafka's LogConfig:
// cleanup.policy, retention.ms, retention.bytes, min.cleanable.dirty.ratio), and the segment size that records without bytes
// imply: a segment holds floor(segment.bytes / record size) records (the largest producer record
// size, or the size of a __consumer_offsets record). Where segments start: storage/log-segments.ts.

import type { PartitionInfo } from '../cluster-layout.ts';

export interface LogConfig {
  readonly partition: number;
  /** cleanup.policy=compact (else delete). */
  readonly compact: boolean;
  /** -1: no time limit. */
  readonly retentionUs: number;
  /** -1: no size limit. */
  readonly retentionBytes: number;
  readonly recordBytes: number;
  /** min.cleanable.dirty.ratio: the log cleaner compacts the log once its dirty share is above it. */
  readonly minCleanableRatio: number;
}

/**
 * The retention config of a partition, or null when neither retention nor compaction can act
 * within a run of durationUs (the partition is then left off the retention check).
 */
export function logConfigOf(info: PartitionInfo, recordBytes: number, durationUs: number): LogConfig | null {
  const c = info.topic.config;
  const compact = c['log.cleanup.policy'] === 'compact';
  const retentionMs = c['log.retention.ms'];
  const retentionBytes = c['log.retention.bytes'];
  if (!compact && (retentionMs < 0 || retentionMs * 1000 > durationUs) && retentionBytes < 0) return null;
  return {
    partition: info.index,
    compact,
    retentionUs: retentionMs < 0 ? -1 : retentionMs * 1000,
    retentionBytes,
    recordBytes,
    minCleanableRatio: c['log.cleaner.min.cleanable.ratio'],
  };
}

/** Records in one segment of a partition's log: floor(segment.bytes / record size), at least 1. */
export function segmentRecordsOf(info: PartitionInfo, recordBytes: number): number {
  return Math.max(1, Math.floor(info.topic.config['log.segment.bytes'] / recordBytes));
}
