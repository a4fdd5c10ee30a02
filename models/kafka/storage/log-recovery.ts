// Where a log ends when its broker's process starts: Kafka reads the end from the segment files,
// not from memory. LogLoader.load (Log.loadSegments before 3.0, from 0.10 on) sets the log end
// offset to activeSegment.readNextOffset: the next offset after the last batch on disk (the
// segment's base offset when it holds none), and cuts the leader-epoch cache there
// (LeaderEpochFileCache.truncateFromEnd; clearAndFlushLatest in 0.11-1.1). In memory the end can
// lie past the last batch: a truncation inside a batch removes the batch whole (LogSegment
// .truncateTo) yet sets the log end offset to the truncation offset (Log.truncateTo:
// updateLogEndOffset), and that is what the running process fetches from and reports. A restart
// drops those trailing offsets: the log ends again where its last batch does. ksim's logs hold
// gap entries there (partition-log.ts truncateTo), so the end found is one past the last entry
// that is not a gap, never below the log start offset (a log start past the log end starts the
// log there: LogLoader.deleteSegmentsIfLogStartGreaterThanLogEnd). Gaps inside the log (a batch
// appended after them) stay, as offsets a segment skips do.

import { GAP_RECORD_ID } from './log-record-store.ts';
import type { PartitionLog } from './partition-log.ts';

/**
 * Recovers the log end offset of `log` at process start (see above): drops the gap entries at its
 * tail. Returns the log end offset it had, or -1 when it stays.
 */
export function recoverLogEndOffset(log: PartitionLog): number {
  const leo = log.logEndOffset;
  let end = leo;
  while (end > log.logStartOffset && log.idAt(end - 1) === GAP_RECORD_ID) end--;
  if (end === leo) return -1;
  // Only gap entries go: the HW, the flushed offset, the checkpoints and the epoch cache come down to `end`.
  log.truncateTo(end);
  return leo;
}
