// Where a log's record batches begin and end. Kafka's logs are batch-granular: a segment is read
// and cut at batch boundaries (FileRecords.searchForOffsetWithSize finds the first batch whose last
// offset >= the offset asked for; LogSegment.read and LogSegment.truncateTo start there), and a
// replica copies the leader's batches unchanged. ksim's logs index records by offset; a producer
// batch's records are contiguous and its first carries the batch size (log-record-store.ts).
// Message formats v0/v1 keep each uncompressed record as its own shallow entry (ksim models no
// compression), so there every offset is a boundary.

import type { PartitionLog } from './partition-log.ts';

/**
 * The base offset of the batch holding `offset` (< the LEO). A record no batch start covers
 * (records written one at a time by unit tests) is its own batch; so is one whose batch starts
 * below `floor`, by default the log start offset (deleted: the walk stops there). A read (LogSegment.read)
 * walks down to its segment's base: a log start inside a batch (DeleteRecords) still has the whole batch on disk.
 */
export function batchBaseAt(log: PartitionLog, offset: number, floor = log.logStartOffset): number {
  if (!log.batched) return offset;
  const store = log.store;
  for (let base = offset; base >= floor; base--) {
    const size = store.batchSize(log.refAt(base));
    if (size > 0) return base + size > offset ? base : offset;
  }
  return offset;
}

/**
 * Where a read of whole batches from `from` up to `end` stops: a follower keeps only the complete
 * batches of a fetch response (a partial last one is dropped), so an `end` inside a batch comes
 * down to that batch's start, unless nothing would be left: the first batch comes whole whatever
 * the limit (KIP-74, Fetch v3).
 */
export function wholeBatchEnd(log: PartitionLog, from: number, end: number): number {
  const leo = log.logEndOffset;
  if (end >= leo) return end;
  const base = batchBaseAt(log, end);
  if (base === end) return end;
  if (base > from) return base;
  const batchEnd = base + log.store.batchSize(log.refAt(base));
  return batchEnd < leo ? batchEnd : leo;
}

/**
 * Where a read of [from, end) stops once the empty offsets at its end are left out (gap entries: a
 * truncation cut the batch that was there, storage/partition-log.ts truncateTo): Kafka's log has no
 * batch there, so a read reaching them finds the next batch past them (LogSegment.read ->
 * translateOffset) or nothing. A read of gaps alone goes on to the first batch before `bound` (the
 * LEO for a follower, the HW for a consumer), whole, or returns nothing (end = from).
 */
export function endPastGaps(log: PartitionLog, from: number, end: number, bound: number): number {
  const store = log.store;
  if (end <= from || !store.isGap(log.refAt(end - 1))) return end;
  let last = end - 1;
  while (last > from && store.isGap(log.refAt(last - 1))) last--;
  if (last > from) return last;
  let next = end;
  while (next < bound && store.isGap(log.refAt(next))) next++;
  return next >= bound ? from : Math.min(bound, next + Math.max(1, store.batchSize(log.refAt(next))));
}

/** Whether [from, end) holds gap entries only (nothing a read returns: endPastGaps). */
export function gapsOnly(log: PartitionLog, from: number, end: number): boolean {
  return endPastGaps(log, from, end, end) === from && end > from;
}
