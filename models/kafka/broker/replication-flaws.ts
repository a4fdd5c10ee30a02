// The follower paths of older versions that let replicas diverge, kept apart from ReplicaManager
// so that the current protocol reads plainly, and reported as protocol-flaw events
// (kafka-events.ts): the evidence log-divergence names instead of guessing from the version.
// Only versions with the flaw take these paths, so runs of later versions are unchanged.
// - KIP-101 (0.11): a new follower cut its log back to its high-watermark checkpoint, keeping
//   whatever lay below it even where the new leader's log differs (KIP-101's second scenario).
// - KAFKA-7164 (fixed in 2.0.1): Partition.makeFollower returned false when the leader was the
//   same broker, so a follower that missed epochs kept its log when told of the newer one.
// - KAFKA-6880 / KIP-320 (2.1): a fetch names no leader epoch, so a follower that never heard of
//   a leader change (a zombie) appends what the leader of a later epoch serves.

import type { NodeContext } from '../../../src/sim/model.ts';
import type { PartitionMeta } from '../controller/metadata-image.ts';
import type { ProtocolFlawEvent } from '../kafka-events.ts';
import type { KafkaMessage } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';
import type { ProtocolFeatures } from '../version/protocol-features.ts';
import type { FetcherReplicaAccess, PartitionFetchState } from './replica-fetcher-thread.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

export class ReplicationFlaws {
  /** Per partition: the newest leader epoch an unfenced fetch was reported for (once per epoch). */
  private readonly unfencedEpochReported: Int32Array;

  constructor(
    /** The broker's capabilities (rewritten in place when it is upgraded). */
    private readonly protocol: Pick<ProtocolFeatures, 'truncationByLeaderEpoch' | 'followerTruncatesAfterMissedEpoch' | 'fetchCarriesLeaderEpoch'>,
    private readonly partitionNames: readonly string[],
  ) {
    this.unfencedEpochReported = new Int32Array(partitionNames.length).fill(-1);
  }

  /**
   * Before KIP-101: a replica becoming follower of the leader of leaderEpoch truncates to its high
   * watermark and fetches from there, with no way to find where its log diverges. Returns whether
   * it did (the follower then starts fetching, not truncating).
   */
  truncatesToHighWatermark(ctx: Ctx, p: number, leaderEpoch: number, replicas: FetcherReplicaAccess): boolean {
    if (this.protocol.truncationByLeaderEpoch) return false;
    const log = replicas.localLog(p)!;
    const knownLeaderEpoch = log.latestEpoch();
    replicas.truncate(ctx, p, log.highWatermark, 'high-watermark');
    this.emit(ctx, p, 'truncated-to-high-watermark', knownLeaderEpoch, leaderEpoch, log.logEndOffset);
    return true;
  }

  /**
   * Before KAFKA-7164's fix: told of a newer epoch m by the leader it already follows, a follower
   * only takes the epoch and keeps its log of logEndOffset (no truncation). Returns whether it did.
   */
  skipsTruncation(ctx: Ctx, p: number, fs: PartitionFetchState, m: PartitionMeta, logEndOffset: number): boolean {
    if (this.protocol.followerTruncatesAfterMissedEpoch || fs.leader !== m.leader || fs.leader < 0) return false;
    this.emit(ctx, p, 'skipped-truncation', fs.leaderEpoch, m.leaderEpoch, logEndOffset);
    fs.leaderEpoch = m.leaderEpoch;
    return true;
  }

  /** Before KIP-320: a follower knowing fs's epoch appended records up to logEndOffset, the newest of recordsEpoch. */
  appended(ctx: Ctx, p: number, fs: PartitionFetchState | null, recordsEpoch: number, logEndOffset: number): void {
    if (this.protocol.fetchCarriesLeaderEpoch || fs === null || recordsEpoch <= fs.leaderEpoch || recordsEpoch <= this.unfencedEpochReported[p]) return;
    this.unfencedEpochReported[p] = recordsEpoch;
    this.emit(ctx, p, 'unfenced-fetch', fs.leaderEpoch, recordsEpoch, logEndOffset);
  }

  private emit(ctx: Ctx, p: number, flaw: ProtocolFlawEvent['flaw'], knownLeaderEpoch: number, leaderEpoch: number, logEndOffset: number): void {
    ctx.emit({ type: 'protocol-flaw', partition: this.partitionNames[p], flaw, knownLeaderEpoch, leaderEpoch, logEndOffset });
  }
}
