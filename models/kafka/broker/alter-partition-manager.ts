// Kafka's AlterPartitionManager (DefaultAlterPartitionManager over a NodeToControllerChannelManager):
// sends a leader's ISR proposal (AlterPartition, KIP-497) to the controller and sends it again
// until it is answered. The leader keeps the proposal as its pending ISR (Partition.pendingIsr)
// until the controller's answer or a newer metadata image settles it; a leader cut off from the
// controller therefore cannot shrink its ISR.
//
// Kafka never times out an AlterPartition: its channel's request timeout
// (controller.socket.timeout.ms) closes the connection and the request goes again, as it does
// after a disconnect; a NOT_CONTROLLER answer sends it again once the controller is found, any
// other error after 50 ms.
//
// Simplifications: the request goes to every controller node (the broker does not track which is
// active); inactive ones answer NOT_CONTROLLER. One proposal per request, and the broker's
// connection to a controller is shared with its heartbeats (Kafka opens one per channel).

import type { NodeContext } from '../../../src/sim/model.ts';
import { NOT_CONTROLLER, type AlterPartitionResponse, type KafkaMessage } from '../messages.ts';
import { ALTER_PARTITION_RETRY, type KafkaTimer } from '../timers.ts';
import { contains } from '../controller/metadata-image.ts';
import type { Partition } from './partition.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** DefaultAlterPartitionManager's retry delay after an error answer. */
export const ALTER_PARTITION_RETRY_US = 50_000;

export class AlterPartitionManager {
  private nextRequestId = 1;
  /** The request in flight per partition (0: none) and which controllers answered it (bit per controller). */
  private readonly inflight: Int32Array;
  private readonly answered: Int32Array;
  private retryScheduled = false;

  constructor(
    private readonly brokerIndex: number,
    private readonly controllerNodes: readonly number[],
    partitionCount: number,
    /** controller.socket.timeout.ms in µs. */
    private readonly requestTimeoutUs: number,
  ) {
    this.inflight = new Int32Array(partitionCount);
    this.answered = new Int32Array(partitionCount);
  }

  /** Process start: nothing in flight. */
  reset(): void {
    this.inflight.fill(0);
    this.answered.fill(0);
    this.retryScheduled = false;
  }

  /** Proposes isr for a partition led here. */
  submit(ctx: Ctx, partition: Partition, isr: readonly number[]): void {
    partition.pendingIsr = isr;
    this.send(ctx, partition);
  }

  /** The retry timer: sends again every pending proposal with no request in flight. */
  resendUnanswered(ctx: Ctx, leaders: readonly (Partition | null)[], partitions: readonly number[]): void {
    this.retryScheduled = false;
    for (const p of partitions) {
      const partition = leaders[p];
      if (partition !== null && partition.pendingIsr !== null && this.inflight[p] === 0) this.send(ctx, partition);
    }
  }

  /**
   * A controller's answer (controller: its index). True when it settles the proposal (the caller
   * applies it); false for a NOT_CONTROLLER or a stale answer.
   */
  onResponse(ctx: Ctx, controller: number, msg: AlterPartitionResponse): boolean {
    const p = msg.partition;
    if (msg.requestId !== this.inflight[p]) return false;
    this.answered[p] |= 1 << controller;
    if (msg.error === NOT_CONTROLLER) {
      if (this.answered[p] === (1 << this.controllerNodes.length) - 1) this.failed(ctx, p); // nobody is active yet
      return false;
    }
    this.inflight[p] = 0;
    return true;
  }

  /**
   * The channel's request timeout: returns the controllers whose connections must close (those
   * that did not answer); the request goes again.
   */
  onRequestTimeout(ctx: Ctx, partition: number, requestId: number): number[] {
    if (this.inflight[partition] !== requestId) return [];
    const silent: number[] = [];
    for (let c = 0; c < this.controllerNodes.length; c++) if ((this.answered[partition] & (1 << c)) === 0) silent.push(c);
    this.failed(ctx, partition);
    return silent;
  }

  /** The connection to controller c closed: requests it had not answered go again. */
  onDisconnect(ctx: Ctx, controller: number): void {
    for (let p = 0; p < this.inflight.length; p++)
      if (this.inflight[p] !== 0 && (this.answered[p] & (1 << controller)) === 0) this.failed(ctx, p);
  }

  private failed(ctx: Ctx, partition: number): void {
    this.inflight[partition] = 0;
    if (this.retryScheduled) return;
    this.retryScheduled = true;
    ctx.setTimer(ALTER_PARTITION_RETRY_US, ALTER_PARTITION_RETRY);
  }

  private send(ctx: Ctx, partition: Partition): void {
    const requestId = this.nextRequestId++;
    this.inflight[partition.partition] = requestId;
    this.answered[partition.partition] = 0;
    const msg: KafkaMessage = {
      type: 'alter-partition',
      requestId,
      broker: this.brokerIndex,
      partition: partition.partition,
      leaderEpoch: partition.leaderEpoch,
      partitionEpoch: partition.partitionEpoch,
      isr: partition.pendingIsr!,
      // KIP-903: a new member's epoch as its fetch carried it (the others are not checked).
      brokerEpochs: partition.pendingIsr!.map((r) => (r === partition.self || contains(partition.isr, r) ? -1 : partition.followerBrokerEpoch[r])),
    };
    for (const node of this.controllerNodes) ctx.send(node, msg);
    ctx.setTimer(this.requestTimeoutUs, { type: 'alter-partition-timeout', partition: partition.partition, requestId });
  }
}
