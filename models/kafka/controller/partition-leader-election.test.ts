import { describe, expect, it } from 'vitest';
import { NO_LEADER } from './metadata-image.ts';
import {
  eligibleLeaderReplicaElection,
  eligibleLeaderReplicasAfter,
  lastKnownElrAfter,
  lastKnownLeaderElection,
  offlinePartitionLeaderElection,
  preferredReplicaPartitionLeaderElection,
} from './partition-leader-election.ts';

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

// KIP-966 (PartitionChangeBuilder.maybePopulateTargetElr, isValidNewLeader); replicas [0, 1, 2], min ISR 2.
describe('Eligible Leader Replicas', () => {
  const replicas = [0, 1, 2];
  it('hold the members that left the ISR while it was below min ISR, and are empty at or above it', () => {
    expect(eligibleLeaderReplicasAfter(replicas, [0, 1, 2], [], [0, 1], 2)).toEqual([]);
    expect(eligibleLeaderReplicasAfter(replicas, [0, 1], [], [0], 2)).toEqual([1]);
    // The last member fenced: the ISR empties into the ELR, which keeps its earlier members.
    expect(eligibleLeaderReplicasAfter(replicas, [0], [1], [], 2)).toEqual([0, 1]);
    // A member rejoining leaves it; back at min ISR it is cleared.
    expect(eligibleLeaderReplicasAfter(replicas, [], [0, 1], [1], 2)).toEqual([0]);
    expect(eligibleLeaderReplicasAfter(replicas, [1], [0], [1, 2], 2)).toEqual([]);
  });

  it('lose a broker that registered after an unclean shutdown', () => {
    expect(eligibleLeaderReplicasAfter(replicas, [0], [1], [], 2, 0)).toEqual([1]);
    expect(eligibleLeaderReplicasAfter(replicas, [], [1], [], 2, 1)).toEqual([]);
  });

  it('lead only when the ISR is empty, first able member in assignment order', () => {
    const all = () => true;
    expect(eligibleLeaderReplicaElection(replicas, [], [1, 2], all)).toBe(1);
    expect(eligibleLeaderReplicaElection(replicas, [], [1, 2], (b) => b !== 1)).toBe(2);
    expect(eligibleLeaderReplicaElection(replicas, [0], [1, 2], all)).toBe(NO_LEADER);
    expect(eligibleLeaderReplicaElection(replicas, [], [], all)).toBe(NO_LEADER);
  });
});

// KIP-966's last known leader (PartitionChangeBuilder.maybeUpdateLastKnownLeader, canElectLastKnownLeader with KAFKA-19522).
describe('the last known leader', () => {
  it('is recorded by the change that empties the ISR, kept while leaderless, cleared once the partition has a leader', () => {
    expect(lastKnownElrAfter({ leader: 2, isr: [2] }, [], NO_LEADER)).toEqual([2]);
    const known = [2];
    expect(lastKnownElrAfter({ leader: 2, isr: [2], lastKnownElr: known }, [], NO_LEADER)).toBe(known);
    expect(lastKnownElrAfter({ leader: NO_LEADER, isr: [], lastKnownElr: known }, [], NO_LEADER)).toBe(known);
    expect(lastKnownElrAfter({ leader: NO_LEADER, isr: [], lastKnownElr: known }, [1], 1)).toEqual([]);
    // An ISR that shrinks but is not empty records nothing.
    expect(lastKnownElrAfter({ leader: 2, isr: [2, 1] }, [2], 2)).toEqual([]);
  });

  it('leads only with the ISR and the ELR empty, a single member that may lead (4.1: not while fenced)', () => {
    const all = () => true;
    expect(lastKnownLeaderElection([], [], [2], all)).toBe(2);
    expect(lastKnownLeaderElection([], [], [2], live(0, 1))).toBe(NO_LEADER);
    expect(lastKnownLeaderElection([1], [], [2], all)).toBe(NO_LEADER);
    expect(lastKnownLeaderElection([], [1], [2], all)).toBe(NO_LEADER);
    expect(lastKnownLeaderElection([], [], [1, 2], all)).toBe(NO_LEADER);
    expect(lastKnownLeaderElection([], [], [], all)).toBe(NO_LEADER);
    expect(lastKnownLeaderElection([], [], [NO_LEADER], all)).toBe(NO_LEADER);
  });
});
