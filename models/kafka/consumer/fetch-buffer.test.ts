// FetchBuffer: the slots it says hold records are exactly those whose records are not empty, in
// order (a poll visits only those, consumer/fetcher.ts collectFetch).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryRecords } from '../storage/log-record-store.ts';
import { FetchBuffer } from './fetch-buffer.ts';

const records = (n: number) => MemoryRecords.of(Array.from({ length: n }, (_, id) => ({ id, epoch: 0, producerId: -1, producerEpoch: -1, sequence: -1, batchSize: 1, appendUs: 0 })));

describe('FetchBuffer filled slots', () => {
  it('follow adds of records, of fewer records, of none, and clears', () => {
    const op = fc.record({ slot: fc.integer({ min: 0, max: 5 }), records: fc.integer({ min: -1, max: 2 }) });
    fc.assert(
      fc.property(fc.array(op, { minLength: 5, maxLength: 60 }), (ops) => {
        const buffer = new FetchBuffer(6);
        for (const { slot, records: n } of ops) {
          if (n < 0) buffer.clear(slot);
          else buffer.add(slot, n === 0 ? MemoryRecords.EMPTY : records(n), 10);
          expect(buffer.filledSlots()).toEqual([0, 1, 2, 3, 4, 5].filter((s) => !buffer.isEmpty(s)));
        }
      }),
      { seed: 15, numRuns: 200 },
    );
  });
});
