// A partition this broker leads (Kafka's Partition, leader side): the leader epoch and where it
// started, the committed ISR and an in-flight AlterPartition proposal, and per follower its log
// end offset and last-caught-up time, from which the leader decides ISR membership and the high
// watermark. A new Partition is made for each leader epoch; a follower has none.
//
// Follower tracking follows Kafka's Replica.updateFetchState: a fetch at or past the leader's LEO
// makes the follower caught up now; a fetch at or past the leader LEO seen at the follower's
// previous fetch makes it caught up as of that previous fetch. HW = min LEO over the maximal ISR
// (KIP-497: while a shrink is pending the old, larger ISR still counts; a pending expansion counts
// at once).

import { contains, type PartitionMeta } from '../controller/metadata-image.ts';
import { FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH } from '../messages.ts';

/**
 * A plain copy of a metadata image's ISR or replicas, which the image keeps deeply frozen: V8
 * optimises neither indexing nor for-of over frozen arrays (each for-of step allocates its
 * iterator result), and the leader walks these on every follower fetch and HW check.
 */
function thawed(brokers: readonly number[]): readonly number[] {
  return brokers.slice();
}

export class Partition {
  isr: readonly number[];
  /** The ISR proposed in an AlterPartition not yet answered (Kafka's PendingExpandIsr/PendingShrinkIsr). */
  pendingIsr: readonly number[] | null = null;
  readonly followerLeo: Float64Array;
  readonly lastCaughtUpUs: Float64Array;
  readonly lastFetchLeaderLeo: Float64Array;
  readonly lastFetchUs: Float64Array;
  /** KIP-903: the broker epoch each follower's last fetch carried (-1: none). */
  readonly followerBrokerEpoch: Int32Array;
  /**
   * Counts changes of the committed ISR or replicas in changeCounts[changeSlot], with the changes
   * of the partition's log (ReplicaManager.changeStamps; a fetch session compares them, broker/fetch-session.ts).
   */
  private changeCounts: Float64Array = new Float64Array(1);
  private changeSlot = 0;

  constructor(
    /** Global partition index. */
    readonly partition: number,
    /** The local broker, the leader. */
    readonly self: number,
    /** The committed replicas; a reassignment (KIP-455) changes them within a leader epoch. */
    public replicas: readonly number[],
    readonly leaderEpoch: number,
    public partitionEpoch: number,
    isr: readonly number[],
    /** The leader's LEO when it became leader (KIP-101/KAFKA-7128: followers must reach it). */
    readonly epochStartOffset: number,
    brokerCount: number,
    nowUs: number,
    /** Where fetch sessions see this leader's changes (LogManager.changeStamps); absent: nowhere. */
    changeStamps?: Float64Array,
  ) {
    this.replicas = thawed(replicas);
    this.isr = thawed(isr);
    this.followerLeo = new Float64Array(brokerCount).fill(-1);
    this.lastCaughtUpUs = new Float64Array(brokerCount);
    this.lastFetchLeaderLeo = new Float64Array(brokerCount).fill(-1);
    this.lastFetchUs = new Float64Array(brokerCount);
    this.followerBrokerEpoch = new Int32Array(brokerCount).fill(-1);
    // Kafka resets follower state on a new leader epoch: ISR members count as caught up now.
    for (const r of isr) this.lastCaughtUpUs[r] = nowUs;
    if (changeStamps !== undefined) this.countChangesIn(changeStamps, partition);
  }

  /** From now on this leader counts its changes in counts[slot] (see changeCounts), starting with one now. */
  countChangesIn(counts: Float64Array, slot: number): void {
    this.changeCounts = counts;
    this.changeSlot = slot;
    counts[slot]++;
  }

  /**
   * Leading on from `previous` (an older epoch of this leader): Kafka's Replica.resetReplicaState
   * with isNewLeader false keeps each follower's log end offset and broker epoch, takes the
   * leader's LEO now as the one seen at its last fetch, and counts ISR members as fetched and
   * caught up now, the others as never.
   */
  keepFollowerStateOf(previous: Partition, nowUs: number): void {
    for (const r of this.replicas) {
      if (r === this.self || !contains(previous.replicas, r)) continue;
      this.followerLeo[r] = previous.followerLeo[r];
      this.followerBrokerEpoch[r] = previous.followerBrokerEpoch[r];
      this.lastFetchLeaderLeo[r] = this.epochStartOffset;
      this.lastFetchUs[r] = contains(this.isr, r) ? nowUs : 0;
    }
  }

  /**
   * KIP-320 (Partition.checkCurrentLeaderEpoch): a request that names an older leader epoch is
   * fenced, a newer one is unknown here. Unchecked when the protocol does not carry the epoch.
   */
  checkCurrentLeaderEpoch(currentLeaderEpoch: number, enforced: boolean): string | null {
    if (!enforced) return null;
    if (currentLeaderEpoch < this.leaderEpoch) return FENCED_LEADER_EPOCH;
    if (currentLeaderEpoch > this.leaderEpoch) return UNKNOWN_LEADER_EPOCH;
    return null;
  }

  updateFollowerFetchState(follower: number, fetchOffset: number, leaderLeo: number, nowUs: number, brokerEpoch = -1): void {
    this.followerBrokerEpoch[follower] = brokerEpoch;
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
  computeHighWatermark(leaderLogEndOffset: number, skipLastFollower = false): number {
    let hw = leaderLogEndOffset;
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

  /**
   * Kafka's Partition.needsExpandIsr and isFollowerInSync: no proposal in flight, the follower is
   * out of the ISR and has reached the HW and (with leader epochs, KAFKA-7128) the start of this
   * leader's epoch. Whether the controller deems it eligible is the caller's check.
   */
  needsExpandIsr(follower: number, highWatermark: number, needsLeaderEpochStart: boolean): boolean {
    if (this.pendingIsr !== null || contains(this.isr, follower)) return false;
    const leo = this.followerLeo[follower];
    if (leo < highWatermark) return false;
    return !needsLeaderEpochStart || leo >= this.epochStartOffset;
  }

  /** The ISR with follower added, in replica-assignment order. */
  isrWith(follower: number): number[] {
    return this.replicas.filter((r) => r === follower || contains(this.isr, r));
  }

  /** ISR members (other than the leader) that have not caught up within lagUs (Partition.getOutOfSyncReplicas). */
  getOutOfSyncReplicas(nowUs: number, lagUs: number): number[] | null {
    let out: number[] | null = null;
    for (const r of this.isr) {
      if (r === this.self) continue;
      if (nowUs - this.lastCaughtUpUs[r] > lagUs) (out ??= []).push(r);
    }
    return out;
  }

  /** The ISR without the given replicas. */
  isrWithout(removed: readonly number[]): number[] {
    return this.isr.filter((r) => !contains(removed, r));
  }


  /** Adopts the controller's committed ISR and replicas (from a metadata image); any proposal is dropped. */
  applyCommittedIsr(meta: PartitionMeta): void {
    this.isr = thawed(meta.isr);
    this.replicas = thawed(meta.replicas);
    this.partitionEpoch = meta.partitionEpoch;
    this.pendingIsr = null;
    this.changeCounts[this.changeSlot]++;
  }

  /**
   * The controller answered this partition's AlterPartition with its committed state. Returns
   * whether the HW may have moved (false when this leader was deposed meanwhile).
   */
  handleAlterPartitionResponse(meta: PartitionMeta): boolean {
    // Partition.handleAlterPartitionUpdate ignores an answer of another leader epoch (deposed, or
    // the epoch bumped by this shrink, KRaft before 3.6): the proposal stays pending until the
    // metadata update makes this broker a follower, or leader of the new epoch.
    if (meta.leaderEpoch !== this.leaderEpoch) return false;
    if (meta.partitionEpoch > this.partitionEpoch) {
      this.isr = thawed(meta.isr);
      this.replicas = thawed(meta.replicas);
      this.partitionEpoch = meta.partitionEpoch;
      this.changeCounts[this.changeSlot]++;
    }
    this.pendingIsr = null;
    return true;
  }
}
