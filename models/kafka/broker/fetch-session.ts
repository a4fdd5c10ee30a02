// One fetch session on the leader (KIP-227; Kafka's FetchSession with its CachedPartitions): the
// partitions a fetching node fetches, in Kafka's order (a new one joins at the end), the session
// epoch the next request must carry, and per partition the high watermark and log start offset
// the leader last sent (CachedPartition.maybeUpdateResponseData: an incremental response lists a
// partition only when they or its records changed).
//
// Quiet partitions (ksim's bookkeeping, not Kafka's). Kafka serves an incremental fetch over every
// cached partition (IncrementalFetchContext.foreachPartition), so a follower that leads nothing new
// in most of its session's partitions costs the leader a walk over all of them per fetch. For a
// follower session, a partition the follower has fully caught up on (no error, fetch offset at
// the leader's LEO, an ISR member, the HW and log start offset already sent) is marked quiet, with
// the broker's change count of the partition it was marked under (LogManager.changeStamps: its log
// and its leader state count there, and a new leader or none moves it too). Serving such a
// partition again while that count is unchanged does only one thing:
// the follower's last fetch and last caught-up times become now (Replica.updateFetchState with a
// fetch offset at the LEO); nothing is appended, no ISR or HW moves, the response does not list it.
// So a quiet partition is skipped, and those two times are kept by the session (`servedUs`, the
// time of its last fetch) and written into the Partition when it wakes: when the state it was
// marked under changed (found as the walk reaches it, so the order of what the walk does is
// Kafka's), when the request names or forgets it, when the session closes, and before the ISR
// shrink task reads them (syncFollowerTimes). The fetch offset cannot change underneath: an
// incremental request that changes it names the partition, which wakes it. The walk reads only
// typed arrays for a quiet partition (isQuietAt), so its cost hardly grows with the partitions.

import type { FetchPartition } from '../messages.ts';
import type { PartitionLog } from '../storage/partition-log.ts';
import type { Partition } from './partition.ts';
import { keepAsDoubles } from '../../../src/sim/double-fields.ts';

export class FetchSession {
  /** The session's partitions in Kafka's order (a new one joins at the end): the request the leader serves. */
  parts: FetchPartition[];
  /** The epoch the next request must carry. */
  epoch = 1;
  /** Per partition, its index in parts (-1: not in the session); per index in parts, its partition. */
  private readonly indexOf: Int32Array;
  private readonly partitionAt: Int32Array;
  /** Per partition, the HW and log start offset last sent (NaN: send it). */
  private readonly sentHighWatermark: Float64Array;
  private readonly sentLogStart: Float64Array;
  /** The broker epoch the follower's last fetch carried (KIP-903). */
  private brokerEpoch = -1;
  /** When the leader served this session's latest fetch, and the one before (ReplicaManager.fetchMessages). */
  private servedUs = 0;
  private previousServedUs = 0;
  /** While a fetch is being served: the partitions not reached yet were last served at previousServedUs. */
  private serving = false;
  /** Per partition, whether it is quiet, the leader it went quiet under and the change count it had then. */
  private readonly quiet: Uint8Array;
  private readonly quietLeader: (Partition | null)[];
  private readonly quietStamp: Float64Array;

  constructor(
    readonly id: number,
    /** The follower broker fetching (-1: a consumer, whose partitions never go quiet). */
    readonly follower: number,
    partitionCount: number,
    parts: FetchPartition[],
    /** The leader broker's change count per partition (LogManager.changeStamps); null: no partition goes quiet. */
    private readonly changeStamps: Float64Array | null,
  ) {
    this.parts = parts;
    this.indexOf = new Int32Array(partitionCount).fill(-1);
    this.partitionAt = new Int32Array(partitionCount);
    this.index();
    this.sentHighWatermark = new Float64Array(partitionCount).fill(Number.NaN);
    this.sentLogStart = new Float64Array(partitionCount).fill(Number.NaN);
    this.quiet = new Uint8Array(follower < 0 ? 0 : partitionCount);
    this.quietLeader = follower < 0 ? [] : new Array<Partition | null>(partitionCount).fill(null);
    this.quietStamp = new Float64Array(follower < 0 ? 0 : partitionCount);
    keepAsDoubles(this, ['servedUs', 'previousServedUs']);
  }

  private index(): void {
    this.parts.forEach((part, i) => {
      this.indexOf[part.partition] = i;
      this.partitionAt[i] = part.partition;
    });
  }

  /** What the session fetches of partition p (undefined: not in the session). */
  partOf(p: number): FetchPartition | undefined {
    const i = this.indexOf[p];
    return i < 0 ? undefined : this.parts[i];
  }

  /** FetchSession.update: the request's partitions replace or join the cached ones; forgotten ones leave. */
  update(changed: readonly FetchPartition[], forgotten: readonly number[]): void {
    if (forgotten.length > 0) {
      for (const p of forgotten) {
        if (this.indexOf[p] >= 0) this.wake(p);
        this.indexOf[p] = -1;
        this.sentHighWatermark[p] = Number.NaN;
        this.sentLogStart[p] = Number.NaN;
      }
      this.parts = this.parts.filter((part) => this.indexOf[part.partition] >= 0);
      this.index();
    }
    for (const part of changed) {
      const i = this.indexOf[part.partition];
      if (i >= 0) {
        this.wake(part.partition);
        this.parts[i] = part;
      } else {
        this.indexOf[part.partition] = this.parts.push(part) - 1;
        this.partitionAt[this.parts.length - 1] = part.partition;
      }
    }
  }

  /** CachedPartition.maybeUpdateResponseData: whether the response lists partition p, remembering what it sends. */
  mustRespond(p: number, records: number, error: string | null, highWatermark: number, logStart: number): boolean {
    let must = records > 0;
    if (this.sentHighWatermark[p] !== highWatermark) {
      must = true;
      this.sentHighWatermark[p] = highWatermark;
    }
    if (this.sentLogStart[p] !== logStart) {
      must = true;
      this.sentLogStart[p] = logStart;
    }
    if (error !== null) {
      // An error is always sent, and the HW is sent again once it is gone.
      this.sentHighWatermark[p] = -1;
      must = true;
    }
    return must;
  }

  // ---- quiet partitions (follower sessions) ----

  /** The leader starts serving a fetch of this session at nowUs, carrying brokerEpoch; endServe when done. */
  beginServe(nowUs: number, brokerEpoch: number): void {
    if (brokerEpoch !== this.brokerEpoch) {
      // The follower's broker epoch is recorded per partition on every fetch: none stays quiet.
      for (const part of this.parts) this.wake(part.partition);
      this.brokerEpoch = brokerEpoch;
    }
    this.previousServedUs = this.servedUs;
    this.servedUs = nowUs;
    this.serving = true;
  }

  endServe(): void {
    this.serving = false;
  }

  /**
   * Whether serving the partition at index i of parts needs nothing but the times the session
   * keeps: it is quiet and its change count is as it was (else it wakes, and is served in full).
   */
  isQuietAt(i: number): boolean {
    if (this.follower < 0) return false;
    const p = this.partitionAt[i];
    if (this.quiet[p] === 0) return false;
    if (this.changeStamps![p] === this.quietStamp[p]) return true;
    this.wake(p);
    return false;
  }

  /**
   * After the leader answered for p (DelayedFetchPurgatory): p goes quiet when the follower is a
   * caught-up ISR member whose state is what serving p at this session's last fetch left it (the
   * caller checked there is no error and the fetch offset is at the LEO).
   */
  maybeGoQuiet(p: number, leader: Partition, log: PartitionLog): void {
    const f = this.follower;
    const fetchOffset = this.parts[this.indexOf[p]].fetchOffset;
    if (f < 0 || this.changeStamps === null || fetchOffset !== log.logEndOffset || !leader.isr.includes(f)) return;
    if (leader.followerLeo[f] !== fetchOffset || leader.lastFetchLeaderLeo[f] !== fetchOffset || leader.followerBrokerEpoch[f] !== this.brokerEpoch) return;
    if (leader.lastFetchUs[f] !== this.servedUs || leader.lastCaughtUpUs[f] !== this.servedUs) return;
    if (this.sentHighWatermark[p] !== log.highWatermark || this.sentLogStart[p] !== log.logStartOffset) return;
    this.quiet[p] = 1;
    this.quietLeader[p] = leader;
    this.quietStamp[p] = this.changeStamps[p];
  }

  /** Writes the times of quiet partitions into their leaders' follower state (before something reads them). */
  syncFollowerTimes(): void {
    const f = this.follower;
    if (f < 0) return;
    for (const part of this.parts) {
      if (this.quiet[part.partition] === 0) continue;
      const q = this.quietLeader[part.partition]!;
      q.lastFetchUs[f] = this.servedUs;
      q.lastCaughtUpUs[f] = this.servedUs;
    }
  }

  /** The session closes: its quiet partitions' times are written back. */
  close(): void {
    for (const part of this.parts) this.wake(part.partition);
  }

  /** p is served in full from now on; its follower times become those of its last serving. */
  private wake(p: number): void {
    const f = this.follower;
    if (f < 0 || this.quiet[p] === 0) return;
    const q = this.quietLeader[p]!;
    // Within a fetch being served, the walk reaches p now: it was last served at the fetch before.
    const servedUs = this.serving ? this.previousServedUs : this.servedUs;
    q.lastFetchUs[f] = servedUs;
    q.lastCaughtUpUs[f] = servedUs;
    this.quiet[p] = 0;
    this.quietLeader[p] = null;
  }
}
