// What a follower's ReplicaFetcherThread needs of its broker's replicas (in Kafka, its calls into
// ReplicaManager, Partition and UnifiedLog): the local logs, the broker epoch, truncation, and the
// append of fetched records. ReplicaManager provides it; tests provide a stub.

import type { PartitionFetchState } from './partition-fetch-state.ts';
import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaMessage } from '../messages.ts';
import type { MemoryRecords } from '../storage/log-record-store.ts';
import type { PartitionLog } from '../storage/partition-log.ts';
import type { KafkaTimer } from '../timers.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** Why a follower cut its log, as the truncate event names it. */
export type TruncationReason = 'high-watermark' | 'leader-epoch' | 'diverging-epoch';

/** What the fetcher needs of its broker's replicas (ReplicaFetcherThread's ReplicaManager calls). */
export interface FetcherReplicaAccess {
  localLog(partition: number): PartitionLog | null;
  /** This broker's epoch (process incarnation), which fetches carry (KIP-903). */
  brokerEpoch(): number;
  /** Cuts the local log back to offset (and says so). */
  truncate(ctx: Ctx, partition: number, offset: number, reason: TruncationReason): void;
  /** Appends fetched records at fetchOffset and adopts the leader's HW as far as the local log reaches. */
  /** Returns the append's fsync time (us; log.flush.interval.messages, UnifiedLog.append): the thread's next fetch waits for it. */
  processPartitionData(ctx: Ctx, partition: number, fetchOffset: number, records: MemoryRecords, leaderHighWatermark: number): number;
  /** The log starts again at offset, empty (UnifiedLog.truncateFullyAndStartAt: behind the leader's log start, or KAFKA-6975). */
  truncateFullyAndStartAt?(ctx: Ctx, partition: number, offset: number): void;
  /** The leader's log start offset moved (DeleteRecords): the follower's follows, up to its HW. */
  maybeIncrementLogStartOffset?(ctx: Ctx, partition: number, leaderLogStartOffset: number): void;
  /** Older versions' paths, reported as evidence (replication-flaws.ts): what the follower keeps after an UNDEFINED_EPOCH_OFFSET answer. */
  readonly flaws?: {
    keptOnUndefinedEpochOffset(ctx: Ctx, partition: number, fs: PartitionFetchState, log: PartitionLog): void;
    /** The follower, holding records but no cached leader epoch, has cut its log to its high watermark. */
    truncatedWithoutEpochs(ctx: Ctx, partition: number, fs: PartitionFetchState, log: PartitionLog): void;
  };
}
