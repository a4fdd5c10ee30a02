// What retention and compaction need of a partition's topic config (Kafka's LogConfig:
// cleanup.policy, retention.ms, retention.bytes, segment.bytes), with the segment layout that
// records without bytes imply: a segment holds floor(segment.bytes / record size) records (the
// largest producer record size, or the size of a __consumer_offsets record), segment k spans
// offsets [k*n, (k+1)*n), and the last one is the active segment, never deleted or cleaned.

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
  readonly segmentRecords: number;
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
    segmentRecords: segmentRecordsOf(info, recordBytes),
  };
}

/** Records in one segment of a partition's log: floor(segment.bytes / record size), at least 1. */
export function segmentRecordsOf(info: PartitionInfo, recordBytes: number): number {
  return Math.max(1, Math.floor(info.topic.config['log.segment.bytes'] / recordBytes));
}

/** Base offset of the active segment of a log ending at logEndOffset. */
export function activeSegmentBase(config: LogConfig, logEndOffset: number): number {
  return logEndOffset === 0 ? 0 : Math.floor((logEndOffset - 1) / config.segmentRecords) * config.segmentRecords;
}
