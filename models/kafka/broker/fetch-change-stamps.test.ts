// Change stamps (LogManager.changeStamps): a follower's fetch lists a partition whose change count
// has not moved as the last fetch did without reading it (FetchSessionHandler.keepIfUnchanged),
// which must build exactly the requests a fetcher looking at every partition builds; and every
// change of a partition's fetch state moves its count (PartitionFetchState).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FetchSessionHandler } from '../clients/fetch-session-handler.ts';
import type { FetchPartition } from '../messages.ts';
import { FETCHING, PartitionFetchState, TRUNCATING } from './partition-fetch-state.ts';

const PARTITIONS = 4;
type Op = { kind: 'append' | 'epoch' | 'fetch' | 'error' | 'drop' | 'readd'; p: number };

describe('change stamps', () => {
  it('keepIfUnchanged builds the same requests as adding every partition', () => {
    const op = fc.record({ kind: fc.constantFrom('append', 'epoch', 'fetch', 'fetch', 'fetch', 'error', 'drop', 'readd'), p: fc.nat(PARTITIONS - 1) }) as fc.Arbitrary<Op>;
    let kept = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 10, maxLength: 80 }), (ops) => {
        const offset = [0, 0, 0, 0];
        const epoch = [0, 0, 0, 0];
        const stamps = new Float64Array(PARTITIONS).fill(1);
        const followed = [true, true, true, true];
        const reading = new FetchSessionHandler(PARTITIONS);
        const skipping = new FetchSessionHandler(PARTITIONS);
        let sessionId = 7;
        for (const { kind, p } of ops) {
          if (kind === 'append') offset[p]++;
          if (kind === 'epoch') epoch[p]++;
          if (kind === 'append' || kind === 'epoch') stamps[p]++;
          if (kind === 'drop' || kind === 'readd') followed[p] = kind === 'readd';
          if (kind === 'error') {
            reading.handleError();
            skipping.handleError();
          }
          if (kind !== 'fetch') continue;
          const all: FetchPartition[] = [];
          for (let q = 0; q < PARTITIONS; q++) if (followed[q]) all.push({ partition: q, fetchOffset: offset[q], currentLeaderEpoch: epoch[q] });
          const expected = reading.build(all);
          skipping.begin();
          const parts: FetchPartition[] = [];
          for (const part of all) {
            const q = part.partition;
            if (skipping.keepIfUnchanged(q, stamps[q])) kept++;
            else if (skipping.add(q, part.fetchOffset, part.currentLeaderEpoch, stamps[q])) parts.push(part);
          }
          expect(skipping.finish(parts)).toEqual(expected);
          sessionId++;
          reading.handleResponse(sessionId, undefined);
          skipping.handleResponse(sessionId, undefined);
        }
      }),
      { seed: 15, numRuns: 300 },
    );
    // The runs did keep partitions unread.
    expect(kept).toBeGreaterThan(1000);
  });

  it('keeps nothing told without a count, after a session error, or while the session is not open', () => {
    const h = new FetchSessionHandler(2);
    h.begin();
    h.add(0, 5, 0, 3);
    h.add(1, 5, 0);
    h.finish([]);
    h.begin();
    expect(h.keepIfUnchanged(0, 3)).toBe(false); // full: every partition is listed
    h.handleResponse(9, undefined);
    h.begin();
    expect([h.keepIfUnchanged(0, 3), h.keepIfUnchanged(0, 4), h.keepIfUnchanged(1, Number.NaN)]).toEqual([true, false, false]);
    h.handleError();
    expect(h.keepIfUnchanged(0, 3)).toBe(false);
  });

  it('moves a partition count on every change of its fetch state', () => {
    const stamps = new Float64Array(3);
    const fs = new PartitionFetchState(1, 4, TRUNCATING, stamps, 2);
    const counts = [stamps[2]];
    fs.state = FETCHING;
    counts.push(stamps[2]);
    fs.leaderEpoch = 5; // KAFKA-7164's skipped become-follower
    counts.push(stamps[2]);
    fs.delay(100, 50);
    counts.push(stamps[2]);
    fs.delay(120, 50); // the delay under way stands: nothing changed
    counts.push(stamps[2]);
    expect(counts).toEqual([1, 2, 3, 4, 4]);
    expect([stamps[0], stamps[1]]).toEqual([0, 0]);
  });
});
