// AssignedByLeader regroups exactly when the assignment or a leader changes, keeping assignment order.
import { describe, expect, it } from 'vitest';
import { NO_LEADER } from '../controller/metadata-image.ts';
import { AssignedByLeader } from './assigned-by-leader.ts';

describe('AssignedByLeader', () => {
  // Four subscribed partitions (global 10..13) in slots 0..3; two brokers.
  const slotOf = new Int32Array(14).fill(-1);
  [10, 11, 12, 13].forEach((p, s) => (slotOf[p] = s));

  it('groups the assigned slots by leader in assignment order, those without one apart', () => {
    const g = new AssignedByLeader(2);
    const leaders = Int32Array.from([1, 0, NO_LEADER, 1]);
    g.refresh([13, 10, 11, 12], slotOf, leaders);
    expect([g.slotsOf[0], g.slotsOf[1], g.leaderless]).toEqual([[1], [3, 0], [2]]);
  });

  it('regroups when a leader changes in place or the assignment is a new array, not otherwise', () => {
    const g = new AssignedByLeader(2);
    const leaders = Int32Array.from([1, 0, NO_LEADER, 1]);
    const assigned = [10, 12];
    g.refresh(assigned, slotOf, leaders);
    expect([g.slotsOf[0], g.slotsOf[1], g.leaderless]).toEqual([[], [0], [2]]);
    leaders[2] = 0; // the metadata names a leader for slot 2
    g.refresh(assigned, slotOf, leaders);
    expect([g.slotsOf[0], g.slotsOf[1], g.leaderless]).toEqual([[2], [0], []]);
    leaders[1] = 1; // slot 1 is not assigned: nothing to regroup
    g.refresh(assigned, slotOf, leaders);
    expect([g.slotsOf[0], g.slotsOf[1], g.leaderless]).toEqual([[2], [0], []]);
    g.refresh([11, 10], slotOf, leaders);
    expect([g.slotsOf[0], g.slotsOf[1], g.leaderless]).toEqual([[], [1, 0], []]);
  });
});
