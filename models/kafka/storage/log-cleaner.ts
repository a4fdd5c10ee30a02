// Kafka's LogCleaner for compact-policy topics (as for __consumer_offsets): in the closed segments
// below the high watermark, keeps only the last record per key. Each replica cleans its own log,
// as each broker runs its own cleaner.
//
// Simplifications: a cleaned record stays in place as a copy with a negative id (-1 - id) and its
// batch metadata (LogRecordStore.addCleanedCopy), so offsets and leader epochs are unchanged; min.cleanable.dirty.ratio is ignored
// (any dirty closed segment is cleaned) and tombstones are not modelled (commits never delete).

import type { LogConfig } from './log-config.ts';
import type { PartitionLog } from './partition-log.ts';

/** The key of a record by its run-wide id (null: no key, never compacted away). */
type RecordKeyOf = (partition: number, recordId: number) => string | null;

/** What one cleaning pass did: the offset it cleaned up to and how many records it removed. */
interface CleanResult {
  cleanedTo: number;
  removed: number;
}

export class LogCleaner {
  constructor(private readonly keyOf: RecordKeyOf) {}

  /** Compacts log's closed segments below its HW; null when it removed nothing. */
  clean(log: PartitionLog, config: LogConfig): CleanResult | null {
    const cleanableEnd = Math.min(log.segments.activeBase, log.highWatermark);
    if (cleanableEnd <= log.logStartOffset) return null;
    const lastOffsetOfKey = new Map<string, number>();
    for (let o = log.logStartOffset; o < cleanableEnd; o++) {
      const id = log.idAt(o);
      if (id < 0) continue;
      const key = this.keyOf(config.partition, id);
      if (key !== null) lastOffsetOfKey.set(key, o);
    }
    let removed = 0;
    for (let o = log.logStartOffset; o < cleanableEnd; o++) {
      const id = log.idAt(o);
      if (id < 0) continue;
      const key = this.keyOf(config.partition, id);
      if (key === null || lastOffsetOfKey.get(key)! <= o) continue;
      log.replaceWithCleanedRecord(o);
      removed++;
    }
    return removed === 0 ? null : { cleanedTo: cleanableEnd, removed };
  }
}
