import { describe, expect, it } from 'vitest';
import type { PartitionMeta } from './metadata-image.ts';
import { isReassignmentInProgress, maybeCompleteReassignment, reassignmentReplicas } from './partition-reassignment-replicas.ts';

const meta = (replicas: number[], isr: number[], adding: number[], removing: number[]): PartitionMeta => ({
  leader: isr[0],
  leaderEpoch: 0,
  partitionEpoch: 1,
  isr,
  replicas,
  addingReplicas: adding,
  removingReplicas: removing,
});

describe('PartitionReassignmentReplicas', () => {
  it('target first, then the removed replicas; adding and removing ascending', () => {
    expect(reassignmentReplicas([0, 1, 2], [3, 1, 4])).toEqual({ replicas: [3, 1, 4, 0, 2], adding: [3, 4], removing: [0, 2] });
    expect(reassignmentReplicas([0, 1, 2], [2, 0, 1])).toEqual({ replicas: [2, 0, 1], adding: [], removing: [] });
    expect(reassignmentReplicas([0, 1, 2], [1])).toEqual({ replicas: [1, 0, 2], adding: [], removing: [0, 2] });
  });

  it('KRaft completes once every added replica is in the ISR without the removed ones', () => {
    const m = meta([1, 2, 3, 0], [0, 1, 2], [3], [0]);
    expect(isReassignmentInProgress(m)).toBe(true);
    expect(maybeCompleteReassignment(m, [0, 1, 2], false)).toBeNull();
    expect(maybeCompleteReassignment(m, [1, 3, 0], false)).toEqual({ replicas: [1, 2, 3], isr: [1, 3] });
  });

  it('ZooKeeper mode waits for every target replica, kept ones included', () => {
    const m = meta([1, 2, 3, 0], [0, 1, 3], [3], [0]);
    expect(maybeCompleteReassignment(m, [0, 1, 3], false)).toEqual({ replicas: [1, 2, 3], isr: [1, 3] });
    expect(maybeCompleteReassignment(m, [0, 1, 3], true)).toBeNull();
    expect(maybeCompleteReassignment(m, [0, 1, 2, 3], true)).toEqual({ replicas: [1, 2, 3], isr: [1, 2, 3] });
  });

  it('never completes to an empty ISR (only removed replicas in sync)', () => {
    const m = meta([2, 0, 1], [0, 1], [], [0, 1]);
    expect(maybeCompleteReassignment(m, [0, 1], false)).toBeNull();
    expect(maybeCompleteReassignment(m, [0, 2], false)).toEqual({ replicas: [2], isr: [2] });
  });

  it('nothing in progress: nothing to complete', () => {
    expect(maybeCompleteReassignment({ leader: 0, leaderEpoch: 0, partitionEpoch: 0, isr: [0], replicas: [0] }, [0], false)).toBeNull();
  });
});
