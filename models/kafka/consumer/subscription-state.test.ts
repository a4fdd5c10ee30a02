// SubscriptionState on its own: slots, assignment, the fetch-state transitions (committed offset,
// auto.offset.reset, KIP-320 validation and truncation) and what a commit would send.
import { describe, expect, it } from 'vitest';
import { EARLIEST_OFFSET, LATEST_OFFSET } from '../messages.ts';
import { AWAIT_RESET, AWAIT_VALIDATION, FAILED, FETCHING, INITIALIZING, NOT_ASSIGNED, SubscriptionState } from './subscription-state.ts';

// Topic "b" has global partitions 0-1, "a" has 2-4, "other" 5: slots follow topic name order.
const LAYOUT = {
  partitions: ['b-0', 'b-1', 'a-0', 'a-1', 'a-2', 'other-0'].map((name) => ({ name })),
  partitionsOfTopic: new Map([
    ['b', [0, 1]],
    ['a', [2, 3, 4]],
    ['other', [5]],
  ]),
};

function subscribed(): SubscriptionState {
  return new SubscriptionState(LAYOUT, ['b', 'a']);
}

/** A subscription with every partition of "a" assigned and fetching from `position`. */
function fetchingA(position: number, positionEpoch: number): SubscriptionState {
  const subs = subscribed();
  subs.assignFromSubscribed([2, 3, 4], [2, 3, 4]);
  for (const s of [0, 1, 2]) subs.seekToCommitted(s, position, positionEpoch, false);
  return subs;
}

describe('SubscriptionState', () => {
  it('gives the partitions of the subscribed topics slots in topic name order', () => {
    const subs = subscribed();
    expect(subs.partitions).toEqual([2, 3, 4, 0, 1]);
    expect(subs.partitionNames).toEqual(['a-0', 'a-1', 'a-2', 'b-0', 'b-1']);
    expect([...subs.slotOf]).toEqual([3, 4, 0, 1, 2, -1]);
    expect([...subs.topicPartitions.keys()]).toEqual(['a', 'b']);
    expect(() => new SubscriptionState(LAYOUT, ['nope'])).toThrow(/unknown topic nope/);
  });

  it('marks newly assigned partitions INITIALIZING and forgets everything on unassignAll', () => {
    const subs = subscribed();
    subs.assignFromSubscribed([0, 2], [0, 2]);
    expect(subs.assigned).toEqual([0, 2]);
    expect([...subs.state]).toEqual([INITIALIZING, NOT_ASSIGNED, NOT_ASSIGNED, INITIALIZING, NOT_ASSIGNED]);
    expect(subs.initializingSlots()).toEqual([3, 0]);
    subs.unassignAll();
    expect(subs.assigned).toEqual([]);
    expect([...subs.state]).toEqual([NOT_ASSIGNED, NOT_ASSIGNED, NOT_ASSIGNED, NOT_ASSIGNED, NOT_ASSIGNED]);
  });

  it('validates a committed offset with a leader epoch only where fetches carry epochs (KIP-320)', () => {
    const subs = subscribed();
    subs.assignFromSubscribed([2, 3, 4], [2, 3, 4]);
    subs.seekToCommitted(0, 10, 3, true);
    subs.seekToCommitted(1, 10, -1, true);
    subs.seekToCommitted(2, 10, 3, false);
    expect([...subs.state].slice(0, 3)).toEqual([AWAIT_VALIDATION, FETCHING, FETCHING]);
    expect([subs.position[0], subs.positionEpoch[0], subs.committed[0], subs.validatedEpoch[0]]).toEqual([10, 3, 10, -1]);
  });

  it('resets per auto.offset.reset: earliest and latest wait for the leader, none fails the partition', () => {
    const subs = fetchingA(10, 1);
    subs.requestOffsetReset(0, 'earliest');
    subs.requestOffsetReset(1, 'latest');
    subs.requestOffsetReset(2, 'none');
    expect([...subs.state].slice(0, 3)).toEqual([AWAIT_RESET, AWAIT_RESET, FAILED]);
    expect([subs.position[0], subs.position[1]]).toEqual([EARLIEST_OFFSET, LATEST_OFFSET]);
    subs.completeOffsetReset(0, 4, 7);
    expect([subs.state[0], subs.position[0], subs.positionEpoch[0], subs.validatedEpoch[0]]).toEqual([FETCHING, 4, -1, 7]);
  });

  it('asks for validation only of positions read under an older leader epoch', () => {
    const subs = fetchingA(10, 2);
    subs.validatedEpoch[0] = 5;
    subs.maybeValidatePositionForCurrentLeader(0, 5); // already validated against epoch 5
    subs.maybeValidatePositionForCurrentLeader(1, 5); // never validated: epoch 5 is new
    subs.positionEpoch[2] = -1; // a reset position carries no epoch to validate
    subs.maybeValidatePositionForCurrentLeader(2, 5);
    expect([...subs.state].slice(0, 3)).toEqual([FETCHING, AWAIT_VALIDATION, FETCHING]);
  });

  it('detects truncation when the epoch ends before the position, and moves back to the divergence point', () => {
    const subs = fetchingA(10, 2);
    expect(subs.maybeCompleteValidation(0, 4, 10, 'earliest')).toBe(false); // the epoch ends at the position: fine
    expect(subs.maybeCompleteValidation(1, 4, 7, 'earliest')).toBe(true);
    expect(subs.maybeCompleteValidation(2, 4, 7, 'none')).toBe(true);
    expect([...subs.state].slice(0, 3)).toEqual([FETCHING, FETCHING, FAILED]);
    expect([...subs.position].slice(0, 3)).toEqual([10, 7, 10]);
    expect([...subs.validatedEpoch].slice(0, 3)).toEqual([4, 4, 4]);
  });

  it('commits only fetching positions past the last commit, and a commit never moves it back', () => {
    const subs = fetchingA(10, 1);
    expect(subs.hasUncommitted()).toBe(false);
    subs.position[0] = 15;
    subs.position[2] = 12;
    subs.requestOffsetReset(2, 'earliest'); // not fetching: nothing to commit for it
    expect(subs.hasUncommitted()).toBe(true);
    expect(subs.uncommittedPositions()).toEqual({ slots: [0], offsets: [15] });
    subs.markCommitted([0], [15]);
    subs.markCommitted([0], [13]); // an older commit answered late
    expect(subs.committed[0]).toBe(15);
    expect(subs.hasUncommitted()).toBe(false);
  });
});
