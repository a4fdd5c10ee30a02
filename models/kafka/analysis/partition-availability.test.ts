import { describe, expect, it } from 'vitest';
import type { ElectionEvent, IsrChangeEvent } from '../kafka-events.ts';
import { PartitionAvailability } from './partition-availability.ts';

const election = (leader: string | null, leaderEpoch: number, isr: string[]): ElectionEvent => ({
  type: 'election',
  partition: 'orders-0',
  kind: leader === null ? 'clean' : 'clean',
  leader,
  leaderEpoch,
  isr,
  previousLeader: null,
  leaderLogEndOffset: 0,
});
const isr = (type: 'isr-shrink' | 'isr-expand', members: string[], leaderEpoch: number): IsrChangeEvent => ({
  type,
  partition: 'orders-0',
  isr: members,
  leaderEpoch,
});

describe('PartitionAvailability', () => {
  it('sums offline and ISR-below-min intervals, disjointly, and closes an open one at the run end', () => {
    const a = new PartitionAvailability('orders-0', 2);
    a.onElection(1_000, election('b1', 0, ['b1', 'b2', 'b3']));
    a.onIsrChange(2_000, isr('isr-shrink', ['b1'], 0)); // below min from 2 ms
    a.onIsrChange(5_000, isr('isr-expand', ['b1', 'b2'], 0)); // 3 ms below min
    a.onElection(10_000, election(null, 1, ['b1'])); // offline from 10 ms
    a.onElection(14_000, election('b1', 2, ['b1'])); // 4 ms offline; below min again from 14 ms
    a.onElection(20_000, election(null, 3, ['b1'])); // 6 ms below min; offline from 20 ms, never back
    a.close(50_000); // 30 ms more offline
    expect(a.offlineUs).toBe(4_000 + 30_000);
    expect(a.isrBelowMinUs).toBe(3_000 + 6_000);
    expect(a.offlineSpells).toBe(2);
    expect(a.isrBelowMinSpells).toBe(2);
    expect(a.offlineAtEnd).toBe(true);
    expect(a.isrBelowMinAtEnd).toBe(false);
  });

  it('does not count time before the first election, and keeps an open ISR-below-min interval to the end', () => {
    const a = new PartitionAvailability('orders-0', 2);
    a.onElection(7_000, election('b1', 0, ['b1']));
    a.close(9_000);
    expect(a.offlineUs).toBe(0);
    expect(a.isrBelowMinUs).toBe(2_000);
    expect(a.isrBelowMinAtEnd).toBe(true);
  });

  it('ignores ISR changes stamped with an older leader epoch', () => {
    const a = new PartitionAvailability('orders-0', 2);
    a.onElection(0, election('b1', 0, ['b1', 'b2']));
    a.onElection(1_000, election('b2', 1, ['b2', 'b3']));
    a.onIsrChange(2_000, isr('isr-shrink', ['b1'], 0));
    a.close(3_000);
    expect(a.isrBelowMinUs).toBe(0);
  });
});
