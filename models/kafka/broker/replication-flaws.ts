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
// - KAFKA-7415 (2.1): a leader whose epoch cache holds no entry at or before the epoch a follower
//   asks about answers UNDEFINED_EPOCH_OFFSET, and the follower cuts only to its high watermark,
//   keeping below it records the leader never had (the follower's path is the same in every
//   version; only a leader before 2.1 answers so).

import type { NodeContext } from '../../../src/sim/model.ts';
import type { PartitionMeta } from '../controller/metadata-image.ts';
import type { ProtocolFlawEvent } from '../kafka-events.ts';
import type { KafkaMessage } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';
import type { ProtocolFeatures } from '../version/protocol-features.ts';
import { UNDEFINED_EPOCH, type PartitionLog } from '../storage/partition-log.ts';
import type { FetcherReplicaAccess } from './fetcher-replica-access.ts';
import type { PartitionFetchState } from './partition-fetch-state.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

export class ReplicationFlaws {
  /** Per partition: the newest leader epoch an unfenced fetch was reported for (once per epoch). */
  private readonly unfencedEpochReported: Int32Array;

  constructor(
    /** The broker's capabilities (rewritten in place when it is upgraded). */
    private readonly protocol: Pick<ProtocolFeatures, 'truncationByLeaderEpoch' | 'followerTruncatesAfterMissedEpoch' | 'fetchCarriesLeaderEpoch'>,
    private readonly partitionNames: readonly string[],
    /** Any broker's replica of a partition (KafkaWorld.logsOfBroker), for evidence only. */
    private readonly logOf: (broker: number, p: number) => PartitionLog | null,
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
   * With KIP-101, a follower whose log holds records but no cached leader epoch (written in message
   * format v0/v1: version/message-format.ts) has cut it to its high watermark
   * (AbstractFetcherThread.truncateToHighWatermark): KIP-101's unprotected path, reported as the
   * same flaw (the verdict's label names the log's format, analysis/version-timeline.ts).
   */
  truncatedWithoutEpochs(ctx: Ctx, p: number, fs: PartitionFetchState, log: PartitionLog): void {
    this.emit(ctx, p, 'truncated-to-high-watermark', UNDEFINED_EPOCH, fs.leaderEpoch, log.logEndOffset);
  }

  /**
   * Before KAFKA-7164's fix: told of a newer epoch m by the leader it already follows, a follower
   * only takes the epoch and keeps its log (no truncation). Returns whether it did. It is reported
   * only when the truncation skipped would have cut the log (the leader's log read here as
   * evidence only): an epoch the controller bumped for an ISR shrink leaves nothing to truncate.
   */
  skipsTruncation(ctx: Ctx, p: number, fs: PartitionFetchState, m: PartitionMeta, log: PartitionLog): boolean {
    if (this.protocol.followerTruncatesAfterMissedEpoch || fs.leader !== m.leader || fs.leader < 0) return false;
    const cut = this.truncationCut(log, this.logOf(m.leader, p));
    if (cut >= 0) ctx.emit({ type: 'protocol-flaw', partition: this.partitionNames[p], flaw: 'skipped-truncation', knownLeaderEpoch: fs.leaderEpoch, leaderEpoch: m.leaderEpoch, logEndOffset: log.logEndOffset, keptFromOffset: cut });
    fs.leaderEpoch = m.leaderEpoch;
    return true;
  }

  /**
   * Where becoming follower again would have cut `log`, or -1 if nowhere: by leader epoch
   * (KIP-101) where the leader's log ends the follower's latest epoch, if below its log end;
   * before KIP-101, or with no epoch to ask about, at its high watermark, if it holds records
   * there that the leader does not.
   */
  private truncationCut(log: PartitionLog, leaderLog: PartitionLog | null): number {
    const hw = log.highWatermark;
    if (leaderLog === null) return hw;
    const latest = log.latestEpoch();
    if (this.protocol.truncationByLeaderEpoch && latest >= 0) {
      const end = leaderLog.endOffsetForEpoch(latest).endOffset;
      return end < log.logEndOffset ? end : -1;
    }
    return differsFrom(log, leaderLog, hw) ? hw : -1;
  }

  /**
   * Before KAFKA-7415: the leader answered UNDEFINED_EPOCH_OFFSET to the follower's question about
   * where its epoch ends (fs.askEpoch, or its log's latest), and the follower is about to cut
   * `log` to its high watermark and keep what lies below. Reported when it keeps, from where a
   * 2.1 leader's answer would have had it cut (the start of the leader's first epoch after the one
   * asked: LeaderEpochFileCache.endOffsetFor from 2.1), records the leader's log does not hold
   * there (the leader's log read as evidence only).
   */
  keptOnUndefinedEpochOffset(ctx: Ctx, p: number, fs: PartitionFetchState, log: PartitionLog): void {
    const leaderLog = this.logOf(fs.leader, p);
    const asked = fs.askEpoch >= 0 ? fs.askEpoch : log.latestEpoch();
    const kept = Math.min(log.highWatermark, log.logEndOffset);
    if (leaderLog === null) return;
    const keptFromOffset = Math.min(leaderLog.endOffsetForEpoch(asked, true).endOffset, kept);
    if (keptFromOffset >= kept || !differsFrom(log, leaderLog, keptFromOffset, kept)) return;
    ctx.emit({ type: 'protocol-flaw', partition: this.partitionNames[p], flaw: 'undefined-epoch-offset', knownLeaderEpoch: asked, leaderEpoch: fs.leaderEpoch, logEndOffset: kept, keptFromOffset });
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

/** Whether `log` holds, in offsets [from, to), a record `leaderLog` does not hold at the same offset (compacted records compared by epoch). */
function differsFrom(log: PartitionLog, leaderLog: PartitionLog, from: number, to = log.logEndOffset): boolean {
  if (to > leaderLog.logEndOffset) return true;
  const start = Math.max(from, log.logStartOffset, leaderLog.logStartOffset);
  for (let o = to - 1; o >= start; o--) {
    if (log.epochAt(o) !== leaderLog.epochAt(o)) return true;
    const id = log.idAt(o);
    const leaderId = leaderLog.idAt(o);
    if (id >= 0 && leaderId >= 0 && id !== leaderId) return true;
  }
  return false;
}
