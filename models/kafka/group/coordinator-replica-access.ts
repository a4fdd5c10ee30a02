// What the group coordinator needs from the broker that hosts it, and nothing more: Kafka's
// GroupMetadataManager reads the local replica of a __consumer_offsets partition when it loads
// groups, and writes through ReplicaManager.appendRecords as that partition's leader. A narrow
// view keeps group/ from depending on broker/ (the broker implements it).

import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaMessage } from '../messages.ts';
import type { PartitionLog } from '../storage/partition-log.ts';
import type { KafkaTimer } from '../timers.ts';

export interface CoordinatorReplicaAccess {
  /** Whether this broker leads `partition` now and is not stopped. */
  leads(partition: number): boolean;
  /** Leader epoch of `partition` here, -1 when this broker does not lead it. */
  leaderEpochOf(partition: number): number;
  /** Size of the committed ISR of `partition` led here, 0 when this broker does not lead it. */
  isrSizeOf(partition: number): number;
  /** This broker's replica of `partition`; only for partitions it hosts. */
  localLog(partition: number): PartitionLog;
  /** Appends records as leader of `partition` in its current leader epoch (no producer id). */
  appendAsLeader(ctx: NodeContext<KafkaMessage, KafkaTimer>, partition: number, recordIds: number[]): void;
  /** Moves the high watermark of `partition` if the ISR allows it (completing waiting appends). */
  maybeAdvanceHighWatermark(ctx: NodeContext<KafkaMessage, KafkaTimer>, partition: number): void;
}
