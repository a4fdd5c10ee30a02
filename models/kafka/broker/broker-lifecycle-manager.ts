// Kafka's BrokerLifecycleManager: the broker's side of registration and liveness with the
// controller quorum. Heartbeats carry the process incarnation (a new one is a re-registration,
// KIP-841 fences it until caught up) and the broker's metadata version; until the controller has
// registered this process (no image yet) they are retried quickly. A controlled shutdown
// (controlled.shutdown.enable) asks the controller to move leadership away and stops the broker
// once it answers, or once the broker gives up waiting; without it the broker stops at once.
// How long it waits is each mode's own (the same in every release ksim simulates):
// - KRaft (BrokerServer.shutdown, 2.8-3.9): lifecycleManager.controlledShutdownFuture.get(5 minutes)
//   (3.8 on: what is left of KafkaBroker.shutdown()'s 5-minute deadline). While it is pending every
//   heartbeat asks again (wantShutDown while in PENDING_CONTROLLED_SHUTDOWN,
//   BrokerLifecycleManager.sendBrokerHeartbeat), so a controller that was not active, or not
//   reachable, at the first request still moves leadership away once it is.
// - ZooKeeper (KafkaServer.controlledShutdown, 0.10.2-3.9): up to controlled.shutdown.max.retries
//   attempts (default 3), each a ControlledShutdown request that fails on the broker's
//   request.timeout.ms (NetworkClient; the connect is bounded by controller.socket.timeout.ms, the
//   same 30 s by default, not told apart here) or on a closed connection, followed by a
//   controlled.shutdown.retry.backoff.ms sleep (default 5 s), the last one included; then it
//   proceeds "to do an unclean shutdown". An attempt that finds no controller registered sends
//   nothing and only sleeps (here: no controller has answered this process's heartbeats as the
//   active one). ksim models the two settings at their defaults.
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
import { NOT_CONTROLLER, type BrokerHeartbeatResponse, type KafkaMessage } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** Registration retry while the controller has not yet registered this process. */
const REGISTRATION_RETRY_US = 100_000;
/** KRaft: how long BrokerServer.shutdown waits for the controller's approval (5 minutes, 2.8-3.9). */
const KRAFT_CONTROLLED_SHUTDOWN_WAIT_US = 300_000_000;
/** ZooKeeper mode: KafkaConfig's controlled.shutdown.max.retries and controlled.shutdown.retry.backoff.ms defaults (0.10.2-3.9). */
const ZK_CONTROLLED_SHUTDOWN_ATTEMPTS = 3;
const ZK_CONTROLLED_SHUTDOWN_BACKOFF_US = 5_000_000;

/** What bounds a controlled shutdown's wait for the controller, from the run's settings. */
interface ControlledShutdownWait {
  /** The longest the broker waits before it stops anyway. */
  readonly maxUs: number;
  /**
   * How long after the controller can be reached again the broker has asked again and heard, at
   * worst: a heartbeat stuck until the channel's timeout, then the next one (KRaft); an attempt
   * timing out, then the backoff and the next attempt (ZooKeeper); a second for the round trips.
   */
  readonly askAgainUs: number;
}

/** The controlled-shutdown wait of a run in this metadata mode with these broker settings. */
export function controlledShutdownWait(kraft: boolean, bc: { 'request.timeout.ms': number; 'broker.heartbeat.interval.ms': number; 'broker.session.timeout.ms': number; 'controller.socket.timeout.ms': number }): ControlledShutdownWait {
  if (kraft) {
    const channelTimeoutMs = Math.min(bc['controller.socket.timeout.ms'], bc['broker.session.timeout.ms'] / 2);
    return { maxUs: KRAFT_CONTROLLED_SHUTDOWN_WAIT_US, askAgainUs: (bc['broker.heartbeat.interval.ms'] + channelTimeoutMs + 1000) * 1000 };
  }
  const attemptUs = bc['request.timeout.ms'] * 1000 + ZK_CONTROLLED_SHUTDOWN_BACKOFF_US;
  return { maxUs: ZK_CONTROLLED_SHUTDOWN_ATTEMPTS * attemptUs, askAgainUs: attemptUs + 1_000_000 };
}

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
  /** ZooKeeper mode: the controlled-shutdown attempts made so far, and the timer ending the current one (-1: none). */
  private shutdownAttempts = 0;
  private shutdownAttemptTimer = -1;
  /** ZooKeeper mode: until when the current attempt's request is in flight (then the backoff sleep). */
  private shutdownRequestDeadlineUs = 0;
  /** Per controller: whether its last heartbeat answer came from the active controller (ZooKeeper mode: the controller the broker would find registered). */
  private readonly answeredAsActive: Uint8Array;
  private readonly heartbeatIntervalUs: number;
  private readonly requestTimeoutUs: number;
  /** ZooKeeper mode: a controlled-shutdown attempt's request timeout (the broker's request.timeout.ms). */
  private readonly shutdownRequestTimeoutUs: number;
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
    this.shutdownRequestTimeoutUs = bc['request.timeout.ms'] * 1000;
    const controllers = world.layout.controllerCount;
    this.heartbeatInFlight = new Int32Array(controllers);
    this.heartbeatTimer = new Int32Array(controllers).fill(-1);
    this.answeredAsActive = new Uint8Array(controllers);
  }

  /** Process start or stop: no shutdown in progress, nothing in flight. */
  reset(): void {
    this.shutdownOperation = -1;
    this.shutdownAttempts = 0;
    this.shutdownAttemptTimer = -1;
    this.answeredAsActive.fill(0);
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

  /** Heartbeats every controller that has no heartbeat of this broker in flight; KRaft: asks again to shut down while that is pending. */
  sendHeartbeat(ctx: Ctx): void {
    const controllerNode = this.world.layout.controllerNode;
    if (this.shuttingDown && this.world.kraft) this.requestControlledShutdown(ctx);
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
    this.answeredAsActive[c] = msg.error === NOT_CONTROLLER ? 0 : 1;
    return true;
  }

  /** The heartbeat to controller c went unanswered: true when the channel must close its connection. */
  isHeartbeatTimeout(c: number, requestId: number): boolean {
    if (this.heartbeatInFlight[c] !== requestId) return false;
    this.heartbeatTimer[c] = -1;
    return true;
  }

  /**
   * The connection to controller c closed: its heartbeat in flight failed; the next one goes on a
   * new connection. ZooKeeper mode: closed by the network (a reset), a controlled-shutdown attempt
   * in flight fails too (IOException), and the next one follows after the backoff; one the broker
   * closed on its own heartbeat's or AlterPartition's timeout (timedOut) stands for its ZooKeeper
   * session or its AlterIsr channel, not the controlled-shutdown client's connection.
   */
  onDisconnect(ctx: Ctx, c: number, timedOut: boolean): void {
    if (!timedOut && this.shutdownAttemptTimer >= 0 && ctx.nowUs < this.shutdownRequestDeadlineUs) {
      this.shutdownRequestDeadlineUs = ctx.nowUs;
      ctx.cancelTimer(this.shutdownAttemptTimer);
      this.shutdownAttemptTimer = this.setAttemptTimer(ctx, ZK_CONTROLLED_SHUTDOWN_BACKOFF_US);
    }
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
    if (!this.world.kraft) return this.attemptControlledShutdown(ctx);
    this.requestControlledShutdown(ctx);
    ctx.setTimer(KRAFT_CONTROLLED_SHUTDOWN_WAIT_US, { type: 'controlled-shutdown-stop', operation, incarnation: this.broker.incarnation });
  }

  /** ZooKeeper mode: one ControlledShutdown attempt; it fails after the request timeout, then the backoff sleep (the timer covers both). */
  private attemptControlledShutdown(ctx: Ctx): void {
    this.shutdownAttempts++;
    if (!this.answeredAsActive.includes(1)) {
      this.shutdownRequestDeadlineUs = ctx.nowUs; // "No controller registered in ZooKeeper": sleep, retry
      this.shutdownAttemptTimer = this.setAttemptTimer(ctx, ZK_CONTROLLED_SHUTDOWN_BACKOFF_US);
      return;
    }
    this.shutdownRequestDeadlineUs = ctx.nowUs + this.shutdownRequestTimeoutUs;
    this.requestControlledShutdown(ctx);
    this.shutdownAttemptTimer = this.setAttemptTimer(ctx, this.shutdownRequestTimeoutUs + ZK_CONTROLLED_SHUTDOWN_BACKOFF_US);
  }

  private setAttemptTimer(ctx: Ctx, delayUs: number): number {
    return ctx.setTimer(delayUs, { type: 'controlled-shutdown-stop', operation: this.shutdownOperation, incarnation: this.broker.incarnation });
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

  /**
   * The controller did not answer in time (unless this is a stale timer): KRaft stops anyway;
   * ZooKeeper mode tries again until its attempts are used up, then stops.
   */
  onControlledShutdownTimeout(ctx: Ctx, operation: number, incarnation: number): void {
    if (incarnation !== this.broker.incarnation || this.shutdownOperation !== operation) return;
    this.shutdownAttemptTimer = -1;
    if (!this.world.kraft && this.shutdownAttempts < ZK_CONTROLLED_SHUTDOWN_ATTEMPTS) return this.attemptControlledShutdown(ctx);
    this.broker.stop(ctx, operation);
  }
}
