import { describe, expect, it } from 'vitest';
import { LogRecordStore } from './log-record-store.ts';
import { LogSegments } from './log-segments.ts';
import { PartitionLog } from './partition-log.ts';
import { batchBaseAt, wholeBatchEnd } from './record-batches.ts';

/** A leader's log of producer batches of these sizes (the first record of each carries its size). */
function logOfBatches(sizes: number[], v2 = true): PartitionLog {
  const log = new PartitionLog(null, new LogRecordStore(), { epochCacheAnswersOlderEpochs: true }, new LogSegments(), { v2 });
  let id = 0;
  for (const size of sizes) for (let j = 0; j < size; j++) log.appendAsLeader({ id: id++, epoch: 0, producerId: -1, producerEpoch: -1, sequence: -1, batchSize: j === 0 ? size : 0, appendUs: 0 });
  return log;
}

describe('record batches', () => {
  it('an offset inside a v2 batch belongs to the batch that starts below it (FileRecords.searchForOffsetWithSize)', () => {
    const log = logOfBatches([3, 4, 1]); // batches [0,3) [3,7) [7,8)
    expect([0, 1, 2, 3, 4, 6, 7].map((o) => batchBaseAt(log, o))).toEqual([0, 0, 0, 3, 3, 3, 7]);
  });

  it('decoy: one-record batches, and message format v0/v1 (each record its own shallow entry), start at every offset', () => {
    expect([0, 1, 2].map((o) => batchBaseAt(logOfBatches([1, 1, 1]), o))).toEqual([0, 1, 2]);
    const v1 = logOfBatches([3, 4], false);
    expect([1, 2, 5].map((o) => batchBaseAt(v1, o))).toEqual([1, 2, 5]);
  });

  it('a batch starting below the log start offset is not walked into', () => {
    const log = logOfBatches([4, 2]);
    log.maybeIncrementHighWatermark(6);
    log.maybeIncrementLogStartOffset(2); // DeleteRecords inside the first batch
    expect(batchBaseAt(log, 3)).toBe(3);
  });

  it('a read ends at a batch boundary: a cut batch is left out, unless it is the first (KIP-74)', () => {
    const log = logOfBatches([3, 4, 1]);
    expect(wholeBatchEnd(log, 0, 5)).toBe(3); // [3,7) cut at 5: left out
    expect(wholeBatchEnd(log, 3, 5)).toBe(7); // the first batch comes whole
    expect(wholeBatchEnd(log, 0, 7)).toBe(7);
    expect(wholeBatchEnd(log, 0, 8)).toBe(8);
    expect(wholeBatchEnd(logOfBatches([1, 1, 1, 1]), 0, 2)).toBe(2); // decoy
  });
});
