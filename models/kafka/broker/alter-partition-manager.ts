// Kafka's AlterPartitionManager: sends a leader's ISR proposal (AlterPartition, KIP-497) to the
// controller and re-sends it while unanswered. The leader keeps the proposal as its pending ISR
// (Partition.pendingIsr) until the controller's answer or a newer metadata image settles it; a
// leader cut off from the controller therefore cannot shrink its ISR.
//
// Simplification: the request goes to every controller node (only the active one answers) and is
// re-sent every ALTER_PARTITION_RETRY_US while pending, instead of on a response timeout.

import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaMessage } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';
import type { Partition } from './partition.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

export const ALTER_PARTITION_RETRY_US = 1_000_000;

export class AlterPartitionManager {
  /** When each partition's pending proposal was last sent, by global partition index. */
  private readonly sentUs: Float64Array;

  constructor(
    private readonly brokerIndex: number,
    private readonly controllerNodes: readonly number[],
    partitionCount: number,
  ) {
    this.sentUs = new Float64Array(partitionCount);
  }

  /** Proposes isr for a partition led here. */
  submit(ctx: Ctx, partition: Partition, isr: readonly number[]): void {
    partition.pendingIsr = isr;
    this.send(ctx, partition);
  }

  /** Re-sends the proposals of the given leaders left unanswered for ALTER_PARTITION_RETRY_US. */
  resendUnanswered(ctx: Ctx, leaders: readonly (Partition | null)[], partitions: readonly number[]): void {
    for (const p of partitions) {
      const partition = leaders[p];
      if (partition !== null && partition.pendingIsr !== null && ctx.nowUs - this.sentUs[p] >= ALTER_PARTITION_RETRY_US) this.send(ctx, partition);
    }
  }

  private send(ctx: Ctx, partition: Partition): void {
    this.sentUs[partition.partition] = ctx.nowUs;
    const msg: KafkaMessage = {
      type: 'alter-partition',
      broker: this.brokerIndex,
      partition: partition.partition,
      leaderEpoch: partition.leaderEpoch,
      partitionEpoch: partition.partitionEpoch,
      isr: partition.pendingIsr!,
    };
    for (const node of this.controllerNodes) ctx.send(node, msg);
  }
}
