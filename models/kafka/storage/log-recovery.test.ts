// A restarted broker's log ends where its last batch does (LogLoader: activeSegment.readNextOffset,
// then LeaderEpochFileCache.truncateFromEnd there), not at the offset a truncation inside a batch
// left as its log end.
import { describe, expect, it } from 'vitest';
import { GAP_RECORD_ID, type LogRecord } from './log-record-store.ts';
import { recoverLogEndOffset } from './log-recovery.ts';
import { PartitionLog } from './partition-log.ts';
import { LogSegments } from './log-segments.ts';

/** A log of `sizes` batches, the i-th of epoch epochs[i], ids from 0. */
function batches(sizes: number[], epochs: number[], segments?: LogSegments): PartitionLog {
  const log = new PartitionLog(null, undefined, undefined, segments);
  let id = 0;
  sizes.forEach((size, b) => {
    for (let j = 0; j < size; j++) log.appendAsLeader({ id: id++, epoch: epochs[b], producerId: -1, producerEpoch: -1, sequence: -1, batchSize: j === 0 ? size : 0, appendUs: 0 } satisfies LogRecord);
  });
  return log;
}

describe('log recovery at process start (LogLoader.recoverLog, Log.loadSegments before 3.0)', () => {
  it('drops the empty offsets a truncation inside a batch left at the tail, with the epoch entry of the batch it removed', () => {
    // batches [0,2) of epoch 0 and [2,6) of epoch 1; truncating to 4 removes the batch at 2 whole, the LEO stays 4
    const log = batches([2, 4], [0, 1]);
    log.maybeIncrementHighWatermark(4);
    log.checkpointHighWatermark();
    log.flush(0);
    log.truncateTo(4, 2);
    expect([log.logEndOffset, log.latestEpoch(), log.flushedOffset]).toEqual([4, 1, 4]);
    expect(recoverLogEndOffset(log)).toBe(4);
    expect(log.logEndOffset).toBe(2);
    // epoch 1 started at 2 and has no batch left: the cache ends with epoch 0, which ends at the new LEO
    expect(log.latestEpoch()).toBe(0);
    expect(log.endOffsetForEpoch(1)).toEqual({ epoch: 0, endOffset: 2 });
    expect([log.highWatermark, log.highWatermarkCheckpoint, log.flushedOffset]).toEqual([2, 2, 2]);
    // a log already ending at a batch stays
    expect(recoverLogEndOffset(log)).toBe(-1);
    expect(recoverLogEndOffset(batches([3], [0]))).toBe(-1);
  });

  it('keeps empty offsets a later batch follows, as a segment keeps the offsets it skips', () => {
    const log = batches([2, 4], [0, 1]);
    log.truncateTo(4, 2);
    log.appendAsLeader({ id: 9, epoch: 2, producerId: -1, producerEpoch: -1, sequence: -1, batchSize: 1, appendUs: 0 });
    expect(recoverLogEndOffset(log)).toBe(-1);
    expect([log.logEndOffset, log.idAt(2), log.idAt(3), log.idAt(4)]).toEqual([5, GAP_RECORD_ID, GAP_RECORD_ID, 9]);
  });

  it('never ends the log below its log start offset', () => {
    const log = batches([2, 4], [0, 1]);
    log.maybeIncrementHighWatermark(3);
    log.maybeIncrementLogStartOffset(3); // DeleteRecords inside the batch at 2
    log.truncateTo(5, 3);
    expect(recoverLogEndOffset(log)).toBe(5);
    expect([log.logStartOffset, log.logEndOffset]).toEqual([3, 3]);
  });

  it('drops a segment based inside the empty offsets', () => {
    const log = batches([2, 4], [0, 1], new LogSegments(3));
    log.segments.rollBySize(log.logEndOffset); // bases 0, 3
    log.truncateTo(4, 2);
    expect(log.segments.activeBase).toBe(3);
    recoverLogEndOffset(log);
    expect(log.segments.activeBase).toBe(0);
  });
});
