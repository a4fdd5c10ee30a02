// LogSegments: where a replica's log is cut (LogSegment.shouldRoll's time and size rules), and what
// truncation and log-start moves leave of its segments.

import { describe, expect, it } from 'vitest';
import { LogSegments } from './log-segments.ts';

describe('LogSegments', () => {
  it('rolls by time only a non-empty active segment, and only past segment.ms (strictly)', () => {
    const s = new LogSegments(Number.MAX_SAFE_INTEGER, 1000);
    expect(s.maybeRollByTime(0, 0, 5000)).toBe(false); // empty: Kafka's size > 0
    expect(s.maybeRollByTime(4, 0, 1000)).toBe(false); // exactly segment.ms: not more
    expect(s.maybeRollByTime(4, 0, 1001)).toBe(true);
    expect(s.activeBase).toBe(4);
    expect(s.maybeRollByTime(4, 1001, 9000)).toBe(false); // the new segment is still empty
    expect(s.count).toBe(2);
  });

  it('splits by size every segmentRecords records from the active base, after a time roll too', () => {
    const s = new LogSegments(3, 1000);
    s.rollBySize(7);
    expect([s.count, s.activeBase]).toEqual([3, 6]);
    s.maybeRollByTime(7, 0, 5000);
    s.rollBySize(12);
    expect([s.count, s.activeBase]).toEqual([5, 10]); // 0, 3, 6, 7, 10
    expect([0, 2, 3, 6, 7, 9, 10, 11].map((o) => s.segmentEnd(o))).toEqual([3, 3, 6, 7, 10, 10, Infinity, Infinity]);
  });

  it('truncation deletes segments based above the offset; below the first base the log starts there', () => {
    const s = new LogSegments(3);
    s.rollBySize(10); // 0, 3, 6, 9
    s.truncateTo(6);
    expect([s.count, s.activeBase]).toEqual([3, 6]); // segment 6 is kept, empty
    s.truncateTo(4);
    expect([s.count, s.activeBase]).toEqual([2, 3]);
    s.deleteBelow(3);
    expect([s.count, s.activeBase]).toEqual([1, 3]);
    s.truncateTo(1);
    expect([s.count, s.activeBase]).toEqual([1, 1]);
  });

  it('the log start offset deletes only segments wholly below it', () => {
    const s = new LogSegments(3);
    s.rollBySize(10);
    s.deleteBelow(5);
    expect([s.count, s.segmentEnd(5)]).toEqual([3, 6]); // 3, 6, 9: segment 3 still holds offset 5
    s.deleteBelow(6);
    expect(s.count).toBe(2);
  });
});
