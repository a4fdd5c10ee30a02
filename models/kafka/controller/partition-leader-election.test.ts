import { describe, expect, it } from 'vitest';
import { NO_LEADER } from './metadata-image.ts';
import { offlinePartitionLeaderElection, preferredReplicaPartitionLeaderElection } from './partition-leader-election.ts';

const live = (...brokers: number[]) => (b: number) => brokers.includes(b);

describe('offlinePartitionLeaderElection', () => {
  it('elects the first ISR member in assignment order that can lead', () => {
    const isr = [2, 0];
    expect(offlinePartitionLeaderElection([1, 2, 0], isr, live(0, 1, 2), false)).toEqual({ leader: 2, isr, unclean: false });
    expect(offlinePartitionLeaderElection([1, 2, 0], isr, live(0, 1), false)).toEqual({ leader: 0, isr, unclean: false });
  });

  it('leaves the partition offline, ISR kept, when no ISR member can lead and unclean election is off', () => {
    const isr = [2];
    expect(offlinePartitionLeaderElection([1, 2, 0], isr, live(0, 1), false)).toEqual({ leader: NO_LEADER, isr, unclean: false });
  });

  it('elects the first live replica outside the ISR when unclean election is on, with an ISR of itself', () => {
    expect(offlinePartitionLeaderElection([1, 2, 0], [2], live(0, 1), true)).toEqual({ leader: 1, isr: [1], unclean: true });
    expect(offlinePartitionLeaderElection([1, 2, 0], [2], live(), true).leader).toBe(NO_LEADER);
    // A clean choice still wins when there is one.
    expect(offlinePartitionLeaderElection([1, 2, 0], [2, 0], live(0, 1), true)).toEqual({ leader: 0, isr: [2, 0], unclean: false });
  });

  it('elects an out-of-sync first live replica under the elect-outside-isr bug, adding it to the ISR', () => {
    expect(offlinePartitionLeaderElection([1, 2, 0], [2, 0], live(0, 1, 2), false, true)).toEqual({ leader: 1, isr: [1, 2, 0], unclean: false });
    // With the first live replica in sync the bug changes nothing.
    expect(offlinePartitionLeaderElection([1, 2, 0], [2, 0], live(0, 2), false, true)).toEqual({ leader: 2, isr: [2, 0], unclean: false });
  });
});

describe('preferredReplicaPartitionLeaderElection', () => {
  it('elects the preferred replica only when it is in the ISR and can lead', () => {
    expect(preferredReplicaPartitionLeaderElection([1, 2, 0], [2, 1], live(1, 2))).toBe(1);
    expect(preferredReplicaPartitionLeaderElection([1, 2, 0], [2, 0], live(0, 1, 2))).toBe(NO_LEADER);
    expect(preferredReplicaPartitionLeaderElection([1, 2, 0], [2, 1], live(2))).toBe(NO_LEADER);
  });
});
