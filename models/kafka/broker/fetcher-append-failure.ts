// A follower handed records it cannot append: the leader serves a fetch from the start of the
// batch holding the fetch offset (LogSegment.read -> translateOffset), so when a truncation left
// the follower's log end inside one of the leader's batches the response starts below it, and
// Log.append refuses the batch (0.11: IllegalArgumentException "Out of order offsets"; from 1.1
// UnexpectedAppendOffsetException). What follows is the follower's software's:
// - before KIP-461 (2.3): AbstractFetcherThread.processFetchRequest rethrows it as a
//   KafkaException, which ends the fetcher thread (ShutdownableThread.run logs "Error due to" and
//   stops). Every partition the thread fetched from that leader stops replicating; partitions
//   later added for that leader join the dead thread (AbstractFetcherManager.addFetcherForPartitions
//   reuses the thread in fetcherThreadMap). It goes when no partition is left on it
//   (shutdownIdleFetcherThreads) or the broker process restarts.
// - from KIP-461 (KAFKA-8346, 2.3): markPartitionFailed removes that partition alone from the
//   fetcher, until it becomes a follower again (addFetcherForPartitions).
// A follower whose empty log starts at the leader's log start inside a batch (DeleteRecords moved it
// there; the follower reset to it after OFFSET_OUT_OF_RANGE) is handed that whole batch too: from
// KAFKA-6975 (1.0.2, 1.1.1, 2.0.0; Partition.appendRecordsToFollowerOrFutureReplica) it restarts its
// log at the batch's base offset (restartAtBatchBase); before, it fails as above, at every retry.
// One fetcher thread per leader broker (num.replica.fetchers = 1).

import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaMessage } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';
import type { FetcherReplicaAccess } from './fetcher-replica-access.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

export class FetcherAppendFailure {
  /** Per leader broker: 1 once the fetcher thread for it ended. */
  private readonly threadEnded: Uint8Array;

  constructor(
    private readonly partitionNames: readonly string[],
    private readonly brokerNames: readonly string[],
    /** Whether the follower's software has KIP-461 now (a rolling upgrade changes it at the restart). */
    private readonly failsPartitionAlone: () => boolean,
  ) {
    this.threadEnded = new Uint8Array(brokerNames.length);
  }

  /** Whether the fetcher thread for `leader` ended: it fetches nothing and asks nothing. */
  ended(leader: number): boolean {
    return this.threadEnded[leader] === 1;
  }

  /** The process started: new fetcher threads. */
  reset(): void {
    this.threadEnded.fill(0);
  }

  /** No partition is left on the thread for `leader`: Kafka shuts it down, and the next partition gets a new one. */
  idle(leader: number): void {
    this.threadEnded[leader] = 0;
  }

  /**
   * The follower of partition p could not append the leader's batch starting at batchBaseOffset
   * below its log end (fetchOffset). Returns true when the thread for `leader` ended (the rest of
   * the response is not handled), false when p alone failed (the caller removes it).
   */
  fail(ctx: Ctx, p: number, leader: number, fetchOffset: number, batchBaseOffset: number, followed: readonly number[], emptyLog = false): boolean {
    const partitionAlone = this.failsPartitionAlone();
    const names = this.partitionNames;
    const stopped = partitionAlone ? [names[p]] : followed.map((q) => names[q]);
    const event = { type: 'fetcher-failed', partition: names[p], leader: this.brokerNames[leader], fetchOffset, batchBaseOffset, stopped } as const;
    ctx.emit(emptyLog ? { ...event, emptyLogInsideBatch: true } : event);
    if (partitionAlone) return false;
    this.threadEnded[leader] = 1;
    return true;
  }
}

/**
 * KAFKA-6975 (Partition.appendRecordsToFollowerOrFutureReplica, 1.0.2, 1.1.1, 2.0.0): records handed
 * from batchBase, below the follower's LEO, are appended there when its log is empty (LEO = log
 * start: it started at the leader's log start inside that batch) and its software has the fix: the
 * log starts again at the batch's base. Returns where they go, or -1: Log.append refuses them.
 */
export function restartAtBatchBase(ctx: Ctx, replicas: FetcherReplicaAccess, fixed: boolean, p: number, batchBase: number): number {
  const log = replicas.localLog(p)!;
  if (!fixed || log.logEndOffset !== log.logStartOffset || replicas.truncateFullyAndStartAt === undefined) return -1;
  replicas.truncateFullyAndStartAt(ctx, p, batchBase);
  return batchBase;
}
