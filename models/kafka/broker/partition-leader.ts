// A leader replica's view of its partition (Kafka's Partition on the leader): the leader epoch
// and where it started, the committed ISR and an in-flight AlterPartition proposal, and per
// follower its log end offset and last-caught-up time, from which the leader decides ISR
// membership and the high watermark.
//
// Follower tracking follows Kafka's Replica.updateFetchState: a fetch at or past the leader's LEO
// makes the follower caught up now; a fetch at or past the leader LEO seen at the follower's
// previous fetch makes it caught up as of that previous fetch. HW = min LEO over the maximal ISR
// (KIP-497: while a shrink is pending the old, larger ISR still counts; a pending expansion counts
// at once).

import { contains } from '../controller/metadata-image.ts';
import type { PartitionLog } from '../storage/partition-log.ts';

/** A produce batch waiting in the leader's purgatory for the HW (acks=all). */
export interface WaitingAppend {
  key: number;
  batch: number;
  requiredOffset: number;
}

export class PartitionLeader {
  isr: readonly number[];
  pendingIsr: readonly number[] | null = null;
  pendingSentUs = 0;
  readonly followerLeo: Float64Array;
  readonly lastCaughtUpUs: Float64Array;
  readonly lastFetchLeaderLeo: Float64Array;
  readonly lastFetchUs: Float64Array;
  readonly waiting: WaitingAppend[] = [];

  constructor(
    readonly self: number,
    readonly replicas: readonly number[],
    readonly leaderEpoch: number,
    public partitionEpoch: number,
    isr: readonly number[],
    /** The leader's LEO when it became leader (KIP-101/KAFKA-7128: followers must reach it). */
    readonly epochStartOffset: number,
    brokerCount: number,
    nowUs: number,
  ) {
    this.isr = isr;
    this.followerLeo = new Float64Array(brokerCount).fill(-1);
    this.lastCaughtUpUs = new Float64Array(brokerCount);
    this.lastFetchLeaderLeo = new Float64Array(brokerCount).fill(-1);
    this.lastFetchUs = new Float64Array(brokerCount);
    // Kafka resets follower state on a new leader epoch: ISR members count as caught up now.
    for (const r of isr) this.lastCaughtUpUs[r] = nowUs;
  }

  updateFollower(follower: number, fetchOffset: number, leaderLeo: number, nowUs: number): void {
    if (fetchOffset >= leaderLeo) this.lastCaughtUpUs[follower] = nowUs;
    else if (fetchOffset >= this.lastFetchLeaderLeo[follower] && this.lastFetchUs[follower] > this.lastCaughtUpUs[follower])
      this.lastCaughtUpUs[follower] = this.lastFetchUs[follower];
    this.lastFetchLeaderLeo[follower] = leaderLeo;
    this.lastFetchUs[follower] = nowUs;
    this.followerLeo[follower] = fetchOffset;
  }

  inMaximalIsr(r: number): boolean {
    return contains(this.isr, r) || (this.pendingIsr !== null && contains(this.pendingIsr, r));
  }

  /**
   * The HW the maximal ISR allows: min LEO over it (the leader's own LEO included).
   * skipLastFollower is the bug zoo's hw-skips-isr-member: the last follower is left out.
   */
  computeHighWatermark(log: PartitionLog, skipLastFollower = false): number {
    let hw = log.logEndOffset;
    let skipped = -1;
    if (skipLastFollower)
      for (const r of this.replicas) if (r !== this.self && this.inMaximalIsr(r)) skipped = r;
    for (const r of this.replicas) {
      if (r === this.self || r === skipped || !this.inMaximalIsr(r)) continue;
      const leo = this.followerLeo[r];
      if (leo < hw) hw = leo;
    }
    return hw;
  }

  /** ISR members (other than the leader) that have not caught up within lagUs. */
  laggingFollowers(nowUs: number, lagUs: number): number[] | null {
    let out: number[] | null = null;
    for (const r of this.isr) {
      if (r === this.self) continue;
      if (nowUs - this.lastCaughtUpUs[r] > lagUs) (out ??= []).push(r);
    }
    return out;
  }
}
