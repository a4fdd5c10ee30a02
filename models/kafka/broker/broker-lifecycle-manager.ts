// Kafka's BrokerLifecycleManager: the broker's side of registration and liveness with the
// controller quorum. Heartbeats carry the process incarnation (a new one is a re-registration,
// KIP-841 fences it until caught up) and the broker's metadata version; until the controller has
// registered this process (no image yet) they are retried quickly. A controlled shutdown
// (controlled.shutdown.enable) asks the controller to move leadership away and stops the broker
// once it answers, or after CONTROLLED_SHUTDOWN_TIMEOUT_US; without it the broker stops at once.
// While it is pending, every heartbeat asks again (KRaft's heartbeat carries wantShutDown while the
// broker is in PENDING_CONTROLLED_SHUTDOWN, BrokerLifecycleManager.sendBrokerHeartbeat), so a
// controller that was not active, or not reachable, at the first request still moves leadership
// away once it is. (ZooKeeper mode retries controlled.shutdown.max.retries times,
// controlled.shutdown.retry.backoff.ms apart; here it asks at the ZooKeeper ping cadence, within
// the same CONTROLLED_SHUTDOWN_TIMEOUT_US.)
// A second shutdown while one is pending does nothing, as in Kafka (BrokerLifecycleManager's
// BeginControlledShutdownEvent in PENDING_CONTROLLED_SHUTDOWN: "already in that state";
// KafkaServer.shutdown's isShuttingDown guard): the broker (broker.ts) refuses it before it gets here.
//
// Heartbeats go to every controller node (brokers learn the active controller by broadcasting);
// each answers, an inactive one with NOT_CONTROLLER. One heartbeat is in flight per controller;
// the channel's request timeout (NodeToControllerChannelManager: min(controller.socket.timeout.ms,
// broker.session.timeout.ms / 2) in KRaft; in ZooKeeper mode the ZooKeeper client's read timeout,
// two thirds of the session) closes the connection, and the next heartbeat opens a new one.

import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import type { BrokerHeartbeatResponse, KafkaMessage } from '../messages.ts';
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
  private readonly requestTimeoutUs: number;
  private nextRequestId = 1;
  /** The heartbeat in flight to each controller (0: none) and its timeout timer. */
  private readonly heartbeatInFlight: Int32Array;
  private readonly heartbeatTimer: Int32Array;

  constructor(
    private readonly world: KafkaWorld,
    private readonly brokerIndex: number,
    private readonly broker: LifecycleBroker,
  ) {
    const bc = world.scenario.brokerConfig;
    // ZooKeeper clients ping at a third of the session timeout and give up on a server after two
    // thirds of it (ClientCnxn's readTimeout).
    this.heartbeatIntervalUs = (world.kraft ? bc['broker.heartbeat.interval.ms'] : bc['zookeeper.session.timeout.ms'] / 3) * 1000;
    this.requestTimeoutUs =
      (world.kraft ? Math.min(bc['controller.socket.timeout.ms'], bc['broker.session.timeout.ms'] / 2) : (bc['zookeeper.session.timeout.ms'] * 2) / 3) * 1000;
    const controllers = world.layout.controllerCount;
    this.heartbeatInFlight = new Int32Array(controllers);
    this.heartbeatTimer = new Int32Array(controllers).fill(-1);
  }

  /** Process start or stop: no shutdown in progress, nothing in flight. */
  reset(): void {
    this.shutdownOperation = -1;
    this.heartbeatInFlight.fill(0);
    this.heartbeatTimer.fill(-1);
  }

  /** Whether a controlled shutdown is pending (asked, the broker not yet stopped). */
  get shuttingDown(): boolean {
    return this.shutdownOperation >= 0;
  }

  /** Delay to the next heartbeat: short until the controller has registered this process. */
  heartbeatDelayUs(registered: boolean): number {
    return registered ? this.heartbeatIntervalUs : Math.min(this.heartbeatIntervalUs, REGISTRATION_RETRY_US);
  }

  /** Heartbeats every controller that has no heartbeat of this broker in flight; asks again to shut down while that is pending. */
  sendHeartbeat(ctx: Ctx): void {
    const controllerNode = this.world.layout.controllerNode;
    if (this.shuttingDown) this.requestControlledShutdown(ctx);
    for (let c = 0; c < controllerNode.length; c++) {
      if (this.heartbeatInFlight[c] !== 0) continue;
      const requestId = this.nextRequestId++;
      this.heartbeatInFlight[c] = requestId;
      ctx.send(controllerNode[c], {
        type: 'broker-heartbeat',
        requestId,
        broker: this.brokerIndex,
        incarnation: this.broker.incarnation,
        metadataVersion: this.broker.metadataVersion,
        supportedMetadataVersion: this.world.versions.brokers[this.brokerIndex].software,
      });
      this.heartbeatTimer[c] = ctx.setTimer(this.requestTimeoutUs, { type: 'controller-heartbeat-timeout', controller: c, requestId });
    }
  }

  /** Controller c answered a heartbeat; true when it is the one in flight. */
  onHeartbeatResponse(ctx: Ctx, c: number, msg: BrokerHeartbeatResponse): boolean {
    if (this.heartbeatInFlight[c] !== msg.requestId) return false;
    this.heartbeatInFlight[c] = 0;
    ctx.cancelTimer(this.heartbeatTimer[c]);
    this.heartbeatTimer[c] = -1;
    return true;
  }

  /** The heartbeat to controller c went unanswered: true when the channel must close its connection. */
  isHeartbeatTimeout(c: number, requestId: number): boolean {
    if (this.heartbeatInFlight[c] !== requestId) return false;
    this.heartbeatTimer[c] = -1;
    return true;
  }

  /** The connection to controller c closed: its heartbeat in flight failed; the next one goes on a new connection. */
  onDisconnect(ctx: Ctx, c: number): void {
    if (this.heartbeatInFlight[c] === 0) return;
    if (this.heartbeatTimer[c] >= 0) ctx.cancelTimer(this.heartbeatTimer[c]);
    this.heartbeatTimer[c] = -1;
    this.heartbeatInFlight[c] = 0;
  }

  /** A scheduled controlled shutdown begins: ask the controller to move leadership away. */
  beginControlledShutdown(ctx: Ctx, operation: number): void {
    if (this.shuttingDown) throw new Error(`controlled shutdown of broker ${this.brokerIndex} begun twice (operations ${this.shutdownOperation} and ${operation})`);
    if (!this.world.scenario.brokerConfig['controlled.shutdown.enable']) return this.broker.stop(ctx, operation);
    this.shutdownOperation = operation;
    this.requestControlledShutdown(ctx);
    ctx.setTimer(CONTROLLED_SHUTDOWN_TIMEOUT_US, { type: 'controlled-shutdown-stop', operation, incarnation: this.broker.incarnation });
  }

  /** Asks every controller (the active one answers) to move this broker's leaderships away. */
  private requestControlledShutdown(ctx: Ctx): void {
    const msg: KafkaMessage = { type: 'controlled-shutdown', requestId: this.nextRequestId++, broker: this.brokerIndex, incarnation: this.broker.incarnation };
    for (const node of this.world.layout.controllerNode) ctx.send(node, msg);
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
