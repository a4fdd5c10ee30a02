// Kafka's BrokerLifecycleManager: the broker's side of registration and liveness with the
// controller quorum. Heartbeats carry the process incarnation (a new one is a re-registration,
// KIP-841 fences it until caught up) and the broker's metadata version; until the controller has
// registered this process (no image yet) they are retried quickly. A controlled shutdown
// (controlled.shutdown.enable) asks the controller to move leadership away and stops the broker
// once it answers, or after CONTROLLED_SHUTDOWN_TIMEOUT_US; without it the broker stops at once.
//
// Heartbeats go to every controller node (only the active one answers): brokers learn the active
// controller by broadcasting.

import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import type { KafkaMessage } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** Registration retry while the controller has not yet registered this process. */
const REGISTRATION_RETRY_US = 100_000;
/** How long a broker waits for the controller before shutting down anyway. */
export const CONTROLLED_SHUTDOWN_TIMEOUT_US = 30_000_000;

/** What the lifecycle manager needs of its broker. */
export interface LifecycleBroker {
  readonly incarnation: number;
  /** Version of the broker's metadata image (0: none yet). */
  readonly metadataVersion: number;
  /** Stops the process cleanly for the given controlled-shutdown operation. */
  stop(ctx: Ctx, operation: number): void;
}

export class BrokerLifecycleManager {
  /** The controlled-shutdown operation waiting for the controller's answer (-1: none). */
  private shutdownOperation = -1;
  private readonly heartbeatIntervalUs: number;

  constructor(
    private readonly world: KafkaWorld,
    private readonly brokerIndex: number,
    private readonly broker: LifecycleBroker,
  ) {
    const bc = world.scenario.brokerConfig;
    // ZooKeeper clients ping at a third of the session timeout.
    this.heartbeatIntervalUs = (world.kraft ? bc['broker.heartbeat.interval.ms'] : bc['zookeeper.session.timeout.ms'] / 3) * 1000;
  }

  /** Process start or stop: no shutdown in progress. */
  reset(): void {
    this.shutdownOperation = -1;
  }

  /** Delay to the next heartbeat: short until the controller has registered this process. */
  heartbeatDelayUs(registered: boolean): number {
    return registered ? this.heartbeatIntervalUs : Math.min(this.heartbeatIntervalUs, REGISTRATION_RETRY_US);
  }

  sendHeartbeat(ctx: Ctx): void {
    const msg: KafkaMessage = {
      type: 'broker-heartbeat',
      broker: this.brokerIndex,
      incarnation: this.broker.incarnation,
      metadataVersion: this.broker.metadataVersion,
    };
    for (const node of this.world.layout.controllerNode) ctx.send(node, msg);
  }

  /** A scheduled controlled shutdown begins: ask the controller to move leadership away. */
  beginControlledShutdown(ctx: Ctx, operation: number): void {
    if (!this.world.scenario.brokerConfig['controlled.shutdown.enable']) return this.broker.stop(ctx, operation);
    this.shutdownOperation = operation;
    const msg: KafkaMessage = { type: 'controlled-shutdown', broker: this.brokerIndex, incarnation: this.broker.incarnation };
    for (const node of this.world.layout.controllerNode) ctx.send(node, msg);
    ctx.setTimer(CONTROLLED_SHUTDOWN_TIMEOUT_US, { type: 'controlled-shutdown-stop', operation, incarnation: this.broker.incarnation });
  }

  /** The controller has moved leadership away: stop. */
  onControlledShutdownResponse(ctx: Ctx): void {
    if (this.shutdownOperation >= 0) this.broker.stop(ctx, this.shutdownOperation);
  }

  /** The controller did not answer in time: stop anyway (unless this is a stale timer). */
  onControlledShutdownTimeout(ctx: Ctx, operation: number, incarnation: number): void {
    if (incarnation === this.broker.incarnation && this.shutdownOperation === operation) this.broker.stop(ctx, operation);
  }
}
