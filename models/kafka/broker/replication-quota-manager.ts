// Replication throttling (KIP-73), as Kafka's ReplicationQuotaManager: a broker has one leader
// quota (leader.replication.throttled.rate: bytes/s it serves to throttled out-of-sync followers)
// and one follower quota (follower.replication.throttled.rate: bytes/s its throttled out-of-sync
// replicas fetch). The rate is measured as Kafka's Rate over replication.quota.window.num (11)
// samples of replication.quota.window.size.seconds (1 s), the elapsed window never counted below
// (samples - 1) windows; while it is above the quota, the leader leaves throttled partitions out
// of its fetch responses (ReplicaManager.shouldLeaderThrottle) and the follower leaves them out of
// its fetch requests (ReplicaFetcherThread.shouldFollowerThrottle). In-sync replicas are never
// throttled. kafka-reassign-partitions --throttle sets both rates and the throttled-replica lists:
// the partition's replicas before the move as leaders, the replicas it adds as followers.

import { contains } from '../controller/metadata-image.ts';
import type { Partition } from './partition.ts';

const SAMPLES = 11;
const WINDOW_US = 1_000_000;

/** Which partitions a broker throttles from when, as a leader and as a follower (from the operations). */
export interface ReplicationThrottle {
  partition: number;
  fromUs: number;
  bytesPerSec: number;
}

export class ReplicationQuotaManager {
  private readonly sampleBytes = new Float64Array(SAMPLES);
  private readonly sampleStartUs = new Float64Array(SAMPLES).fill(-1);
  private current = 0;
  /** This broker's throttles in time order (each operation with --throttle sets the broker's rate anew). */
  private readonly throttles: readonly ReplicationThrottle[];

  constructor(throttles: readonly ReplicationThrottle[]) {
    this.throttles = [...throttles].sort((a, b) => a.fromUs - b.fromUs);
  }

  /** Whether partition's replicas are in this broker's throttled list at nowUs. */
  isThrottled(partition: number, nowUs: number): boolean {
    for (const t of this.throttles) if (t.partition === partition && t.fromUs <= nowUs) return true;
    return false;
  }

  /** Whether the measured rate is above the broker's throttled rate (the last one set by nowUs). */
  isQuotaExceeded(nowUs: number): boolean {
    let quota = -1;
    for (const t of this.throttles) if (t.fromUs <= nowUs) quota = t.bytesPerSec;
    if (quota <= 0) return false;
    let bytes = 0;
    let oldestUs = nowUs;
    for (let i = 0; i < SAMPLES; i++) {
      const start = this.sampleStartUs[i];
      if (start < 0 || nowUs - start >= SAMPLES * WINDOW_US) continue;
      bytes += this.sampleBytes[i];
      if (start < oldestUs) oldestUs = start;
    }
    const elapsedUs = Math.max(nowUs - oldestUs, (SAMPLES - 1) * WINDOW_US);
    return (bytes * 1_000_000) / elapsedUs > quota;
  }

  /** Bytes sent (leader) or fetched (follower) for throttled partitions at nowUs. */
  record(bytes: number, nowUs: number): void {
    if (this.sampleStartUs[this.current] < 0 || nowUs - this.sampleStartUs[this.current] >= WINDOW_US) {
      this.current = (this.current + 1) % SAMPLES;
      this.sampleStartUs[this.current] = nowUs;
      this.sampleBytes[this.current] = 0;
    }
    this.sampleBytes[this.current] += bytes;
  }

  /**
   * KIP-73 (ReplicaManager.shouldLeaderThrottle), as a leader's quota: whether partition's records
   * are withheld from follower now (throttled, follower out of the ISR of `leader`, the partition led
   * here or null, quota exceeded). A withheld partition counts no bytes, so its fetch waits up to
   * replica.fetch.wait.max.ms (DelayedFetch).
   */
  shouldLeaderThrottle(nowUs: number, partition: number, leader: Partition | null, follower: number): boolean {
    if (!this.isThrottled(partition, nowUs)) return false;
    return leader !== null && !contains(leader.isr, follower) && this.isQuotaExceeded(nowUs);
  }

  /**
   * KIP-73, as a leader's quota: where a follower fetch of p from fetchOffset to end stops. A
   * throttled partition's records go to an out-of-sync follower only while the quota is not
   * exceeded; what goes is recorded (recordBytes a record).
   */
  throttledEnd(nowUs: number, p: number, leader: Partition | null, follower: number, fetchOffset: number, end: number, recordBytes: number): number {
    if (leader === null || contains(leader.isr, follower) || !this.isThrottled(p, nowUs)) return end;
    if (this.isQuotaExceeded(nowUs)) return fetchOffset;
    if (end > fetchOffset) this.record((end - fetchOffset) * recordBytes, nowUs);
    return end;
  }
}
