// Kafka's LogCleaner for compact-policy topics (as for __consumer_offsets): one cleaner thread per
// broker (log.cleaner.threads=1) that cleans, log after log, every log whose dirty part is above its
// min.cleanable.dirty.ratio, then sleeps log.cleaner.backoff.ms (CleanerThread.doWork,
// LogCleanerManager.grabFilthiestCompactedLog). A log's dirty part runs from its first dirty offset
// (the cleaner-offset-checkpoint, which survives restarts) to the first uncleanable segment: the
// active one, or the one holding the HW (LogCleanerManager.cleanableOffsets and
// calculateCleanableBytes: whole segments only). Cleaning keeps the last record per key in the
// log's clean and dirty parts and moves the checkpoint to the end of the dirty part. Each replica
// cleans its own log, as each broker runs its own cleaner.
//
// The dirty ratio (LogToClean.cleanableRatio: cleanable bytes over clean plus cleanable bytes) is
// counted in records, which is exact when a log's records have one size, as ksim's do. Cleaning
// takes no time. A cleaned record stays in place as a copy with a negative id (-1 - id) and its
// batch metadata (LogRecordStore.addCleanedCopy), so offsets and leader epochs are unchanged;
// tombstones are not modelled (commits never delete).

import type { LogConfig } from './log-config.ts';
import type { PartitionLog } from './partition-log.ts';

/** The key of a record by its run-wide id (null: no key, never compacted away). */
type RecordKeyOf = (partition: number, recordId: number) => string | null;

/** What one cleaning pass did: the offset it cleaned up to and how many records it removed. */
interface CleanResult {
  cleanedTo: number;
  removed: number;
}

/** A checkpoint slot with no entry: the log was never cleaned (its first dirty offset is its start). */
const NO_CHECKPOINT = -1;

export class LogCleaner {
  /** The cleaner-offset-checkpoint file: by partition, the first dirty offset after the last cleaning. */
  private readonly checkpoints: number[];

  constructor(
    private readonly keyOf: RecordKeyOf,
    partitions: number,
  ) {
    this.checkpoints = new Array<number>(partitions).fill(NO_CHECKPOINT);
  }

  /**
   * The first dirty offset (LogCleanerManager.cleanableOffsets): the checkpoint, or the log start
   * when there is none or it is out of the log (below its start, or past its end after a power loss
   * cut the log short: the whole log is then dirty).
   */
  firstDirtyOffset(log: PartitionLog, p: number): number {
    const checkpoint = this.checkpoints[p];
    return checkpoint < log.logStartOffset || checkpoint > log.logEndOffset ? log.logStartOffset : checkpoint;
  }

  /** The first offset the cleaner may not clean: the base of the active segment or of the segment holding the HW. */
  private uncleanableOffset(log: PartitionLog, firstDirty: number): number {
    const activeBase = log.segments.activeBase;
    const hwSegmentBase = log.highWatermark >= activeBase ? activeBase : log.segments.segmentBase(log.highWatermark);
    return Math.max(firstDirty, hwSegmentBase);
  }

  /** Whether the log has closed segments above its first dirty offset: a cleaner pass may find it dirty enough, now or once its HW moves. */
  hasDirtyClosedSegments(log: PartitionLog, p: number): boolean {
    return log.segments.activeBase > this.firstDirtyOffset(log, p);
  }

  /** A log replica truncated to `offset` (UnifiedLog.truncateTo -> LogCleaner.maybeTruncateCheckpoint). */
  truncated(p: number, offset: number): void {
    if (this.checkpoints[p] > offset) this.checkpoints[p] = offset;
  }

  /** The replica's log and its checkpoint entry were deleted (StopReplica with delete, a lost disk). */
  forget(p: number): void {
    this.checkpoints[p] = NO_CHECKPOINT;
  }

  /**
   * One look at a log by the cleaner thread: compacts it when its dirty ratio is above
   * min.cleanable.dirty.ratio; null when it did not clean (not dirty enough, or nothing removed).
   */
  maybeClean(log: PartitionLog, config: LogConfig): CleanResult | null {
    const p = config.partition;
    const firstDirty = this.firstDirtyOffset(log, p);
    const end = this.uncleanableOffset(log, firstDirty);
    const dirty = end - firstDirty;
    if (dirty <= 0) return null;
    let clean = 0;
    for (let o = log.logStartOffset; o < firstDirty; o++) if (log.idAt(o) >= 0) clean++;
    if (dirty / (clean + dirty) <= config.minCleanableRatio) return null;
    this.checkpoints[p] = end;
    const removed = this.clean(log, p, end);
    return removed === 0 ? null : { cleanedTo: end, removed };
  }

  /** Keeps the last record per key below `end` (Cleaner.doClean: the dirty part's keys win over the clean part's). */
  private clean(log: PartitionLog, p: number, end: number): number {
    const lastOffsetOfKey = new Map<string, number>();
    for (let o = log.logStartOffset; o < end; o++) {
      const id = log.idAt(o);
      if (id < 0) continue;
      const key = this.keyOf(p, id);
      if (key !== null) lastOffsetOfKey.set(key, o);
    }
    let removed = 0;
    for (let o = log.logStartOffset; o < end; o++) {
      const id = log.idAt(o);
      if (id < 0) continue;
      const key = this.keyOf(p, id);
      if (key === null || lastOffsetOfKey.get(key)! <= o) continue;
      log.replaceWithCleanedRecord(o);
      removed++;
    }
    return removed;
  }
}
