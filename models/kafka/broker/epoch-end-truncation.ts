// Where a follower cuts its log from the leader's answer about an epoch's end (Kafka's
// AbstractFetcherThread.getOffsetTruncationState, and ReplicaFetcherThread.maybeTruncate before 2.0):
// an OffsetsForLeaderEpoch answer, or a fetch response's divergingEpoch (KAFKA-10554). Used by
// replica-fetcher-thread.ts; kept apart so the fetcher's hot handlers stay small.

import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaMessage, OffsetsForLeaderEpochResponse } from '../messages.ts';
import { UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET } from '../storage/partition-log.ts';
import type { KafkaTimer } from '../timers.ts';
import type { PartitionFetchState } from './partition-fetch-state.ts';
import type { ReplicaFetcherSetup } from './replica-fetcher-setup.ts';
import type { FetcherReplicaAccess, TruncationReason } from './fetcher-replica-access.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/**
 * Truncates where the leader's answer says the logs diverge; returns whether truncation is
 * done (false: KIP-279 walks back and asks about an earlier epoch).
 *
 * Without KIP-279 (0.11-1.1 ReplicaFetcherThread.maybeTruncate, OffsetsForLeaderEpoch v0): the
 * answer is an offset only, and the follower cuts to min(answer, LEO), or to its high watermark
 * when it is UNDEFINED_EPOCH_OFFSET (as 2.0's getOffsetTruncationState does). With KIP-279 (2.0+
 * AbstractFetcherThread.getOffsetTruncationState): the leader answers (epoch, end offset) for the
 * largest epoch it has at or below the one asked; the follower looks up its own end of that
 * epoch and cuts to min(its end, the leader's end, LEO) whatever its LEO is, or, if it never
 * had that epoch, cuts to its end of the largest epoch below it and asks again.
 */
export function truncateToEpochEndOffset(
  ctx: Ctx,
  replicas: FetcherReplicaAccess,
  protocol: ReplicaFetcherSetup['protocol'],
  p: number,
  fs: PartitionFetchState,
  msg: Pick<OffsetsForLeaderEpochResponse, 'leaderEpoch' | 'endOffset'>,
): boolean {
  const log = replicas.localLog(p)!;
  const leo = log.logEndOffset;
  const cut = (offset: number, reason: TruncationReason) => offset < leo && replicas.truncate(ctx, p, offset, reason);
  const unknownEnd = msg.endOffset === UNDEFINED_EPOCH_OFFSET; // a leader before 2.1 caching no entry around the epoch asked
  if (unknownEnd || !protocol.truncationWalksBackEpochs || msg.leaderEpoch === UNDEFINED_EPOCH) {
    // Asked with no epoch cached, UNDEFINED_EPOCH_OFFSET is KIP-101's path, not KAFKA-7415's lookup.
    const noEpochs = log.latestEpoch() === UNDEFINED_EPOCH;
    if (unknownEnd && !noEpochs) replicas.flaws?.keptOnUndefinedEpochOffset(ctx, p, fs, log); // evidence, before the cut
    cut(unknownEnd ? log.highWatermark : Math.min(msg.endOffset, leo), unknownEnd ? 'high-watermark' : 'leader-epoch');
    if (unknownEnd && noEpochs && log.logEndOffset < leo) replicas.flaws?.truncatedWithoutEpochs(ctx, p, fs, log);
    return true;
  }
  const mine = log.endOffsetForEpoch(msg.leaderEpoch, protocol.epochCacheAnswersOlderEpochs);
  if (mine.epoch === UNDEFINED_EPOCH) {
    // The follower tracks no epoch at or below the leader's: the leader's offset is all it has.
    cut(Math.min(msg.endOffset, leo), 'leader-epoch');
    return true;
  }
  if (mine.epoch !== msg.leaderEpoch) {
    // KIP-279: we never had the leader's epoch; cut back to our end of the largest epoch below it and ask again.
    cut(Math.min(mine.endOffset, leo), 'diverging-epoch');
    fs.askEpoch = mine.epoch;
    return false;
  }
  cut(Math.min(mine.endOffset, msg.endOffset, leo), 'leader-epoch');
  return true;
}
