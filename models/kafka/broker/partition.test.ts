import { describe, expect, it } from 'vitest';
import { FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH } from '../messages.ts';
import { Partition } from './partition.ts';

const LAG_US = 30_000_000;

/** Broker 0 leads partition 0 with replicas 0, 1, 2 at leader epoch 5, starting at offset 10. */
function leader(isr: number[] = [0, 1, 2], nowUs = 0): Partition {
  return new Partition(0, 0, [0, 1, 2], 5, 7, isr, 10, 3, nowUs);
}

describe('Partition (leader)', () => {
  it('computes the HW as the min LEO over the ISR, the leader included', () => {
    const p = leader();
    p.updateFollowerFetchState(1, 12, 15, 0);
    p.updateFollowerFetchState(2, 14, 15, 0);
    expect(p.computeHighWatermark(15)).toBe(12);
    // An out-of-sync replica does not hold the HW back.
    const q = leader([0, 2]);
    q.updateFollowerFetchState(1, 3, 15, 0);
    q.updateFollowerFetchState(2, 14, 15, 0);
    expect(q.computeHighWatermark(15)).toBe(14);
    expect(leader([0]).computeHighWatermark(15)).toBe(15);
  });

  it('counts a pending ISR change in the maximal ISR (KIP-497)', () => {
    const p = leader([0, 1]);
    p.updateFollowerFetchState(1, 15, 15, 0);
    p.updateFollowerFetchState(2, 11, 15, 0);
    expect(p.computeHighWatermark(15)).toBe(15);
    p.pendingIsr = [0, 1, 2]; // expansion in flight: counts at once
    expect(p.computeHighWatermark(15)).toBe(11);
    const q = leader([0, 1, 2]);
    q.updateFollowerFetchState(1, 15, 15, 0);
    q.updateFollowerFetchState(2, 11, 15, 0);
    q.pendingIsr = [0, 1]; // shrink in flight: the old ISR still counts
    expect(q.computeHighWatermark(15)).toBe(11);
  });

  it('leaves out the last ISR follower under the hw-skips-isr-member bug', () => {
    const p = leader();
    p.updateFollowerFetchState(1, 14, 15, 0);
    p.updateFollowerFetchState(2, 9, 15, 0);
    expect(p.computeHighWatermark(15, true)).toBe(14);
  });

  it('finds followers that have not caught up within replica.lag.time.max.ms', () => {
    const p = leader([0, 1, 2], 0);
    expect(p.getOutOfSyncReplicas(LAG_US, LAG_US)).toBeNull();
    p.updateFollowerFetchState(1, 15, 15, 20_000_000); // caught up at 20 s
    p.updateFollowerFetchState(2, 12, 15, 20_000_000); // behind at 20 s
    expect(p.getOutOfSyncReplicas(40_000_000, LAG_US)).toEqual([2]);
    expect(p.isrWithout([2])).toEqual([0, 1]);
  });

  it('counts a follower as caught up at its previous fetch once it reaches the LEO seen then', () => {
    const p = leader([0, 1], 0);
    p.updateFollowerFetchState(1, 10, 15, 5_000_000);
    p.updateFollowerFetchState(1, 15, 20, 8_000_000); // reached 15, the leader LEO at the 5 s fetch
    expect(p.lastCaughtUpUs[1]).toBe(5_000_000);
    p.updateFollowerFetchState(1, 20, 20, 9_000_000);
    expect(p.lastCaughtUpUs[1]).toBe(9_000_000);
  });

  it('lets a follower rejoin at the HW, and with KAFKA-7128 only from the leader epoch start', () => {
    const p = leader([0, 1]);
    p.updateFollowerFetchState(2, 8, 12, 0);
    expect(p.needsExpandIsr(2, 8, false)).toBe(true);
    expect(p.needsExpandIsr(2, 8, true)).toBe(false); // epoch started at 10
    expect(p.needsExpandIsr(2, 9, false)).toBe(false); // below the HW
    expect(p.needsExpandIsr(1, 0, false)).toBe(false); // already in
    p.updateFollowerFetchState(2, 10, 12, 0);
    expect(p.needsExpandIsr(2, 8, true)).toBe(true);
    expect(p.isrWith(2)).toEqual([0, 1, 2]);
    p.pendingIsr = [0];
    expect(p.needsExpandIsr(2, 8, true)).toBe(false); // a proposal is in flight
  });

  it('fences fetches from other leader epochs only when the protocol carries them (KIP-320)', () => {
    const p = leader();
    expect(p.checkCurrentLeaderEpoch(4, true)).toBe(FENCED_LEADER_EPOCH);
    expect(p.checkCurrentLeaderEpoch(6, true)).toBe(UNKNOWN_LEADER_EPOCH);
    expect(p.checkCurrentLeaderEpoch(5, true)).toBeNull();
    expect(p.checkCurrentLeaderEpoch(4, false)).toBeNull();
  });

  it("adopts the controller's answer to its AlterPartition, unless deposed meanwhile", () => {
    const p = leader([0, 1, 2]);
    p.pendingIsr = [0, 1];
    expect(p.handleAlterPartitionResponse({ leader: 0, leaderEpoch: 5, partitionEpoch: 8, isr: [0, 1], replicas: [0, 1, 2] })).toBe(true);
    expect([p.isr, p.partitionEpoch, p.pendingIsr]).toEqual([[0, 1], 8, null]);
    // A stale answer (older partition epoch) clears the proposal but keeps the ISR.
    p.pendingIsr = [0, 1, 2];
    expect(p.handleAlterPartitionResponse({ leader: 0, leaderEpoch: 5, partitionEpoch: 7, isr: [0], replicas: [0, 1, 2] })).toBe(true);
    expect([p.isr, p.partitionEpoch, p.pendingIsr]).toEqual([[0, 1], 8, null]);
    p.pendingIsr = [0];
    // Another leader epoch (deposed, or bumped by the shrink): ignored, the proposal stays pending
    // until the metadata update (Partition.handleAlterPartitionUpdate).
    expect(p.handleAlterPartitionResponse({ leader: 1, leaderEpoch: 6, partitionEpoch: 9, isr: [1], replicas: [0, 1, 2] })).toBe(false);
    expect([p.isr, p.pendingIsr]).toEqual([[0, 1], [0]]);
    expect(p.handleAlterPartitionResponse({ leader: 0, leaderEpoch: 6, partitionEpoch: 9, isr: [0], replicas: [0, 1, 2] })).toBe(false);
    expect([p.isr, p.pendingIsr]).toEqual([[0, 1], [0]]);
  });

  it('walks plain copies of the frozen ISR and replicas a metadata image hands it', () => {
    // Frozen arrays are slow to walk in V8 (no inlined for-of or indexing): the leader keeps copies.
    const meta = Object.freeze({ leader: 0, leaderEpoch: 5, partitionEpoch: 8, isr: Object.freeze([0, 1]), replicas: Object.freeze([0, 1, 2]) });
    const p = new Partition(0, 0, meta.replicas, 5, 7, meta.isr, 10, 3, 0);
    expect([Object.isFrozen(p.isr), Object.isFrozen(p.replicas)]).toEqual([false, false]);
    p.applyCommittedIsr(meta);
    expect([Object.isFrozen(p.isr), Object.isFrozen(p.replicas)]).toEqual([false, false]);
    const answer = Object.freeze({ ...meta, partitionEpoch: 9, isr: Object.freeze([0]) });
    expect(p.handleAlterPartitionResponse(answer)).toBe(true);
    expect([Object.isFrozen(p.isr), Object.isFrozen(p.replicas)]).toEqual([false, false]);
    // The copies hold the same brokers; the image keeps its own, frozen.
    expect([p.isr, p.replicas, Object.isFrozen(answer.isr)]).toEqual([[0], [0, 1, 2], true]);
  });
});
