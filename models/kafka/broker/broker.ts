// A Kafka broker process (Kafka's BrokerServer): builds its parts and runs their lifecycle. The
// parts: LogManager (logs on disk, flush, checkpoints, retention), MetadataCache (what the
// controller last told it), ReplicaManager (leader and follower replicas, with the
// ReplicaFetcherThread, purgatories and AlterPartitionManager), BrokerLifecycleManager
// (registration, heartbeats, controlled shutdown), the GroupCoordinator when the run has consumer
// groups, and KafkaApis routing requests to them behind the SocketServer (one request at a time per
// connection). The broker starts and stops them, schedules periodic tasks (KafkaScheduler), routes timers.
//
// A process restart forgets everything but the logs and their checkpoints (LogManager says what a
// crash, power or disk loss keeps). A clean stop (controlled shutdown) answers what the broker holds,
// then stops listening: connections reset, new ones refused, so its peers learn at once; it listens
// again when it starts (KRaft: kraft-broker-startup.ts says when).

import { isRoleRef } from '../../../src/faults/fault-roles.ts';
import type { NodeContext, NodeFailure } from '../../../src/sim/model.ts';
import type { CoordinatorReplicaAccess } from '../group/coordinator-replica-access.ts';
import { GroupCoordinator } from '../group/group-coordinator.ts';
import { OFFSETS_RECORD_BYTES } from '../group/offsets-topic.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import type { KafkaMessage } from '../messages.ts';
import { LogManager } from '../storage/log-manager.ts';
import type { PartitionLog } from '../storage/partition-log.ts';
import { ROLE_BROKER, ROLE_CONTROLLER } from '../cluster-layout.ts';
import { BROKER_HEARTBEAT, HW_CHECKPOINT, ISR_CHECK, type KafkaTimer } from '../timers.ts';
import { BrokerLifecycleManager, type LifecycleBroker } from './broker-lifecycle-manager.ts';
import { KraftBrokerStartup } from './kraft-broker-startup.ts';
import { KafkaApis } from './kafka-apis.ts';
import { MetadataCache } from './metadata-cache.ts';
import { ReplicaManager } from './replica-manager.ts';
import { SocketServer, type RequestHandler } from './socket-server.ts';
import { ROLLING_RESTART_CHECK_US, type RollingRestartOperator } from './rolling-restart.ts';
import { TruncationHalt } from './truncation-halt.ts';
import { FetcherAppendFailure } from './fetcher-append-failure.ts';
import { isOlderVersion, type KafkaVersion } from '../version/kafka-versions.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** Periodic tasks, by their slot in Broker.periodicTimers. */
const HEARTBEAT_TASK = 0;
const ISR_EXPIRATION_TASK = 1;
const HW_CHECKPOINT_TASK = 2;

export class Broker implements LifecycleBroker, RequestHandler {
  readonly node: number;
  readonly name: string;
  readonly logManager: LogManager;
  readonly metadataCache: MetadataCache;
  readonly replicaManager: ReplicaManager;
  readonly lifecycle: BrokerLifecycleManager;
  /** null without consumer groups. */
  readonly groupCoordinator: GroupCoordinator | null;
  private readonly apis: KafkaApis;
  private readonly socketServer = new SocketServer();
  readonly truncationHalt: TruncationHalt; // before 2.1: logs kept by exiting rather than truncate
  readonly kraftStartup: KraftBrokerStartup | null; // KRaft: when the process serves requests after it starts
  incarnation = 0;
  stopped = false;
  private periodicTimers: number[] = [];
  private readonly lagUs: number;
  /** replica.high.watermark.checkpoint.interval.ms in µs. */
  private readonly hwCheckpointIntervalUs: number;

  constructor(
    readonly world: KafkaWorld,
    readonly index: number,
    /** The run's rolling-restart operator (scenario operation `rolling-restart`). */
    private readonly operator: RollingRestartOperator,
  ) {
    const layout = world.layout;
    this.node = layout.brokerNode[index];
    this.name = layout.brokerNames[index];
    this.logManager = new LogManager(world, index, OFFSETS_RECORD_BYTES);
    this.metadataCache = new MetadataCache(index, world.kraft);
    this.replicaManager = new ReplicaManager(world, index, this.logManager, this.metadataCache);
    this.lifecycle = new BrokerLifecycleManager(world, index, this);
    this.lagUs = world.scenario.brokerConfig['replica.lag.time.max.ms'] * 1000;
    this.hwCheckpointIntervalUs = world.scenario.brokerConfig['replica.high.watermark.checkpoint.interval.ms'] * 1000;
    this.groupCoordinator = (world.scenario.consumerGroups ?? []).length > 0 ? new GroupCoordinator(world, this.coordinatorReplicaAccess()) : null;
    if (this.groupCoordinator !== null) this.replicaManager.setOffsetsPartitionListener(this.groupCoordinator);
    this.apis = new KafkaApis(layout, this, this.metadataCache, this.replicaManager, this.lifecycle, this.groupCoordinator);
    this.replicaManager.delayedProduce.socketServer = this.socketServer;
    this.truncationHalt = new TruncationHalt(world, index, (ctx, restartUs) => this.exitProcess(ctx, restartUs));
    [this.replicaManager.fetcher.truncationHalt, this.replicaManager.fetcher.appendFailure] = [this.truncationHalt, new FetcherAppendFailure(layout.partitions.map((p) => p.name), layout.brokerNames, () => world.versions.brokers[index].features.fetcherFailsPartitionAlone)];
    this.kraftStartup = world.kraft ? new KraftBrokerStartup(index, this, (ctx) => this.lifecycle.sendHeartbeat(ctx), (...a) => this.onMessage(...a)) : null;
  }

  /** This broker's logs by global partition index (null where it hosts no replica). */
  get logs(): readonly (PartitionLog | null)[] {
    return this.logManager.logs;
  }

  /**
   * Whether the controller names this broker p's leader but the process holds no state for p: a
   * ZooKeeper-mode restart the controller has not registered (waiting for its old session to
   * expire, or a bounce the controller missed before KIP-380), or a restart that has had no
   * metadata since it started: in KRaft BrokerServer.startup publishes none (so ReplicaManager
   * leads nothing) until the active controller has acknowledged its registration as caught up
   * (initialCatchUpFuture); in ZooKeeper mode it has had no LeaderAndIsr. A broker restarted out of
   * the controller's reach serves nothing.
   */
  leadsWithoutState(p: number): boolean {
    if (this.stopped || this.replicaManager.leaderPartition(p) !== null) return false;
    return this.replicaManager.awaitingRegistration || this.metadataCache.image === null;
  }

  /** KRaft: the broker replayed a finalized metadata.version (its protocol level from now). */
  replayMetadataVersion(ctx: Ctx, level: KafkaVersion): void {
    if (this.world.versions.setProtocolLevel(this.index, level)) this.emitVersionChange(ctx);
  }

  /** What this broker runs now, for the checkers (VersionChangeEvent). */
  private emitVersionChange(ctx: Ctx, withFormat = false): void {
    const me = this.world.versions.brokers[this.index];
    ctx.emit({ type: 'version-change', software: me.software, protocolLevel: me.protocolLevel, ...(withFormat && me.messageFormat !== null ? { messageFormat: me.messageFormat } : {}) });
  }

  get metadataVersion(): number {
    return this.metadataCache.version;
  }

  private coordinatorReplicaAccess(): CoordinatorReplicaAccess {
    const rm = this.replicaManager;
    return {
      leads: (p) => rm.leaderPartition(p) !== null && !this.stopped,
      leaderEpochOf: (p) => rm.leaderPartition(p)?.leaderEpoch ?? -1,
      isrSizeOf: (p) => rm.leaderPartition(p)?.isr.length ?? 0,
      localLog: (p) => rm.localLog(p)!,
      // the coordinator's append does not wait for its own fsync (the commit waits for the followers', which come later)
      appendAsLeader: (ctx, p, ids) => {
        const leader = rm.leaderPartition(p)!;
        if (rm.appendRecordsToLeader(ctx, leader, ids, -1, -1, -1) > 0) rm.delayedFetch.tryCompleteFollowerFetches(ctx, p, leader.replicas);
      },
      maybeAdvanceHighWatermark: (ctx, p) => rm.maybeIncrementLeaderHW(ctx, p),
    };
  }

  // ---- lifecycle ----

  onStart(ctx: Ctx): void {
    this.start(ctx);
    const ops = this.world.scenario.operations;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      // One aimed at a role is armed on every broker: whoever holds the role when it fires acts (operation-aim.ts).
      if (op.kind !== 'controlled-shutdown' || (op.broker !== this.name && !isRoleRef(op.broker))) continue;
      const atUs = op.atMs * 1000;
      if (atUs >= ctx.nowUs) ctx.setTimer(atUs - ctx.nowUs, { type: 'controlled-shutdown-start', operation: i });
    }
    this.armRollingRestarts(ctx);
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      // Every replica arms it; the one leading when it fires answers (the admin client sends DeleteRecords to the leader).
      if (op.kind !== 'delete-records' || op.atMs * 1000 < ctx.nowUs) continue;
      const p = this.world.layout.partitionsOfTopic.get(op.topic)![op.partition];
      if (this.logManager.logs[p] !== null) ctx.setTimer(op.atMs * 1000 - ctx.nowUs, { type: 'delete-records', operation: i });
    }
  }

  /** A delete-records operation: carried out if this broker leads the partition now. */
  private onDeleteRecords(ctx: Ctx, operation: number): void {
    const op = this.world.scenario.operations[operation];
    if (op.kind !== 'delete-records') return;
    const p = this.world.layout.partitionsOfTopic.get(op.topic)![op.partition];
    if (this.replicaManager.leaderPartition(p) === null) return;
    const error = this.replicaManager.deleteRecords(ctx, p, op.offset);
    ctx.emit({ type: 'operation', operation: op.kind, subject: `${op.topic}-${op.partition} below ${op.offset === -1 ? 'the high watermark' : op.offset}`, topic: op.topic, error });
  }

  /** Whether this broker holds the role controlled shutdown `operation` aims at (resolved once, when it first fires: operation-aim.ts). */
  private aimedAt(ctx: Ctx, operation: number): boolean {
    const op = this.world.scenario.operations[operation];
    return op.kind === 'controlled-shutdown' && isRoleRef(op.broker) && this.world.operationAim.isTarget(operation, op.kind, op.broker, this.index, ctx.nowUs);
  }

  /** Arms this broker's turn in every rolling restart it has not stopped for yet. */
  private armRollingRestarts(ctx: Ctx): void {
    for (const { operation, atUs } of this.operator.pendingFor(this.name))
      ctx.setTimer(Math.max(0, atUs - ctx.nowUs), { type: 'rolling-restart-check', operation });
  }

  /**
   * A controlled-shutdown operation's time: this broker's own, or one aimed at a role if this
   * broker holds it now. The broker begins its controlled shutdown, unless one is already pending
   * (Kafka does nothing on a second one: BrokerLifecycleManager stays in
   * PENDING_CONTROLLED_SHUTDOWN, KafkaServer.shutdown's isShuttingDown guard), so the first
   * operation's restart stands; the operation says it was refused.
   */
  private onControlledShutdownStart(ctx: Ctx, operation: number): void {
    const op = this.world.scenario.operations[operation];
    if (op.kind !== 'controlled-shutdown') return;
    if (isRoleRef(op.broker) && !this.aimedAt(ctx, operation)) return;
    if (this.lifecycle.shuttingDown) return this.refuseShutdown(ctx, operation, 'already shutting down');
    this.lifecycle.beginControlledShutdown(ctx, operation);
  }

  /** A controlled-shutdown operation that finds nothing to shut down: an operation refused, with why. */
  private refuseShutdown(ctx: Ctx, operation: number, why: 'already shutting down' | 'not running'): void {
    ctx.emit({ type: 'operation', operation: this.world.scenario.operations[operation].kind, subject: this.name, topic: null, error: why });
  }

  /** A rolling restart's check: stop now if it is this broker's turn, else check again later. */
  private onRollingRestartCheck(ctx: Ctx, operation: number): void {
    // Shutting down for another operation: its turn comes once the broker is back (armRollingRestarts).
    if (this.lifecycle.shuttingDown) return void ctx.setTimer(ROLLING_RESTART_CHECK_US, { type: 'rolling-restart-check', operation });
    if (this.operator.mayStop(operation, this.name, ctx.nowUs)) {
      const op = this.world.scenario.operations[operation];
      const subject = op.kind === 'upgrade' ? `${this.name} stops to upgrade to Kafka ${op.to}` : `${this.name} stops`;
      ctx.emit({ type: 'operation', operation: op.kind, subject, topic: null, error: null });
      this.lifecycle.beginControlledShutdown(ctx, operation);
    }
    else if (this.operator.pendingFor(this.name).some((p) => p.operation === operation)) ctx.setTimer(ROLLING_RESTART_CHECK_US, { type: 'rolling-restart-check', operation });
  }

  /**
   * Before the restart that ends operation i: an upgrade's broker starts on its new software; a
   * rolling restart raising inter.broker.protocol.version (or log.message.format.version) starts with it, unless its software does
   * not know that version (Kafka's broker would not start with it: it keeps its old setting, and
   * the operation says why).
   */
  private restartOn(ctx: Ctx, operation: number): void {
    const op = this.world.scenario.operations[operation];
    const versions = this.world.versions;
    const me = versions.brokers[this.index];
    if (op.kind === 'upgrade') {
      versions.runSoftware(this.index, op.to);
      const level = this.world.kraft ? `metadata.version ${me.protocolLevel}` : `inter.broker.protocol.version ${me.protocolLevel}`;
      ctx.emit({ type: 'operation', operation: op.kind, subject: `${this.name} starts on Kafka ${op.to} (${level})`, topic: null, error: null });
      this.emitVersionChange(ctx);
    } else if (op.kind === 'rolling-restart' && (op.interBrokerProtocolVersion !== undefined || op.logMessageFormatVersion !== undefined)) {
      const [ibp, format] = [op.interBrokerProtocolVersion ?? me.protocolLevel, op.logMessageFormatVersion]; // the format's check against the IBP: plan-upgrades.ts
      const known = !isOlderVersion(me.software, ibp);
      const changed = known && [versions.setProtocolLevel(this.index, ibp), format !== undefined && versions.setMessageFormat(this.index, format)].includes(true);
      const what = [op.interBrokerProtocolVersion && `inter.broker.protocol.version ${known ? ibp : `${me.protocolLevel}: Kafka ${me.software} does not know ${ibp}`}`, known && format && `log.message.format.version ${format}`].filter(Boolean);
      ctx.emit({ type: 'operation', operation: op.kind, subject: `${this.name} starts with ${what.join(' and ')}`, topic: null, error: known ? null : 'UNSUPPORTED_VERSION' });
      if (changed) this.emitVersionChange(ctx, format !== undefined);
    } else return;
    // ProducerStateManager.checkSequence follows the software (KIP-360; KAFKA-5793 in 1.0).
    for (const ps of this.logManager.producerStates)
      if (ps !== null) [ps.acceptsUnknownProducerAnySequence, ps.answersUnknownProducerId] = [me.features.unknownProducerAcceptsAnySequence, !isOlderVersion(me.software, '1.0')];
  }

  /** Process start (boot, restart after a crash, or start after a controlled shutdown). */
  private start(ctx: Ctx): void {
    this.incarnation++;
    this.stopped = false;
    this.socketServer.reset();
    ctx.setListening(this.kraftStartup?.begin(this.world.versions.brokers[this.index].software) ?? true);
    this.lifecycle.reset();
    this.metadataCache.clear();
    this.replicaManager.reset(this.incarnation);
    this.logManager.startup(ctx);
    this.lifecycle.sendHeartbeat(ctx);
    this.periodicTimers = [
      ctx.setTimer(this.lifecycle.heartbeatDelayUs(false), BROKER_HEARTBEAT),
      ctx.setTimer(this.lagUs / 2, ISR_CHECK),
      ctx.setTimer(this.hwCheckpointIntervalUs, HW_CHECKPOINT),
    ];
    this.groupCoordinator?.onStart(ctx);
    this.logManager.startTasks(ctx);
  }

  onDown(ctx: Ctx, failure: NodeFailure): void {
    this.logManager.onDown(ctx, failure);
  }

  /** The process exits on its own (truncation-halt.ts) as it crashes on a live host; restartUs later (null: never) it starts again. */
  private exitProcess(ctx: Ctx, restartUs: number | null): void {
    for (const id of this.periodicTimers) ctx.cancelTimer(id);
    this.periodicTimers = [];
    this.logManager.stopTasks(ctx);
    this.logManager.onDown(ctx, { kind: 'crash', wasUp: true });
    ctx.setListening(false);
    this.replicaManager.reset(this.incarnation);
    this.socketServer.reset();
    this.stopped = true;
    this.lifecycle.reset();
    if (restartUs !== null) ctx.setTimer(restartUs, { type: 'halt-restart', incarnation: this.incarnation });
  }

  /**
   * Clean stop after a controlled shutdown: parked requests answered, logs flushed and HW
   * checkpointed, as Kafka does; then the process stops serving (its connections reset).
   */
  stop(ctx: Ctx, operation: number): void {
    for (const id of this.periodicTimers) ctx.cancelTimer(id);
    this.periodicTimers = [];
    this.logManager.shutdown(ctx);
    this.replicaManager.shutdown(ctx);
    ctx.setListening(false);
    this.replicaManager.reset(this.incarnation);
    this.socketServer.reset();
    this.stopped = true;
    this.lifecycle.reset();
    const op = this.world.scenario.operations[operation];
    const durationMs = op.kind === 'controlled-shutdown' || op.kind === 'rolling-restart' || op.kind === 'upgrade' ? op.durationMs : 0;
    ctx.setTimer(durationMs * 1000, { type: 'controlled-shutdown-restart', operation, incarnation: this.incarnation });
  }

  // ---- dispatch ----
  onMessage(ctx: Ctx, from: number, msg: KafkaMessage, connection = ctx.connection): void {
    if (this.stopped || this.kraftStartup?.holds(from, msg, connection)) return; // stopped: only a stale delivery gets here
    if (!SocketServer.orders(msg)) this.apis.handle(ctx, from, msg);
    else if (this.socketServer.receive(from, connection, msg)) this.handleClientRequest(ctx, from, msg, connection);
    this.socketServer.processReady(ctx, this);
  }

  /** A client request the socket server let through (its channel is muted until the response is sent). */
  handleClientRequest(ctx: Ctx, from: number, msg: KafkaMessage, connection: number): void {
    this.apis.handle(ctx, from, msg, connection);
    // Answered at once (metadata); a produce is answered, or acks=0's unmuted, once its appends are through (produce-appends.ts).
    if (msg.type !== 'produce') this.socketServer.responseSent(from, connection);
  }

  /** One of this broker's own connections is up: to a leader it fetches from. */
  onConnect(ctx: Ctx, peer: number): void {
    if (this.stopped || this.world.layout.roleOfNode[peer] !== ROLE_BROKER) return;
    this.replicaManager.fetcher.onConnect(ctx, this.world.layout.indexOfNode[peer]);
  }

  /** The network closed one of this broker's own connections: to a leader, or to a controller. */
  onDisconnect(ctx: Ctx, peer: number): void {
    if (this.stopped) return;
    const layout = this.world.layout;
    const i = layout.indexOfNode[peer];
    if (layout.roleOfNode[peer] === ROLE_BROKER) this.replicaManager.fetcher.onDisconnect(ctx, i);
    else if (layout.roleOfNode[peer] === ROLE_CONTROLLER) this.controllerConnectionClosed(ctx, i);
  }

  /** The connection to controller c is gone (closed by the network, or by this broker on a timeout): the heartbeat and AlterPartition requests on it failed. */
  private controllerConnectionClosed(ctx: Ctx, c: number, timedOut = false): void {
    this.lifecycle.onDisconnect(ctx, c, timedOut);
    this.replicaManager.alterPartitionManager.onDisconnect(ctx, c);
  }

  /** The channel to controller c timed out: it closes the connection. */
  private closeControllerConnection(ctx: Ctx, c: number): void {
    ctx.disconnect(this.world.layout.controllerNode[c]);
    this.controllerConnectionClosed(ctx, c, true);
  }

  onTimer(ctx: Ctx, timer: KafkaTimer): void {
    this.handleTimer(ctx, timer);
    // A produce timeout, or an ISR change the timer led to, may have answered a request in progress.
    if (!this.stopped) this.socketServer.processReady(ctx, this);
  }

  private handleTimer(ctx: Ctx, timer: KafkaTimer): void {
    if (this.stopped) {
      if (timer.type === 'controlled-shutdown-restart' && timer.incarnation === this.incarnation) {
        this.restartOn(ctx, timer.operation);
        this.start(ctx);
        this.operator.restarted(timer.operation, this.name, ctx.nowUs);
        this.armRollingRestarts(ctx);
      } else if (timer.type === 'halt-restart' && timer.incarnation === this.incarnation) {
        this.start(ctx);
        this.armRollingRestarts(ctx);
      } else if (timer.type === 'controlled-shutdown-start') {
        // A shutdown aimed at a role is resolved (and logged) even when it finds this broker
        // stopped; it is refused here only if it names this broker, or this broker holds the role.
        const op = this.world.scenario.operations[timer.operation];
        if (op.kind === 'controlled-shutdown' && (!isRoleRef(op.broker) || this.aimedAt(ctx, timer.operation))) this.refuseShutdown(ctx, timer.operation, 'not running');
      }
      return;
    }
    if (this.onPeriodicTask(ctx, timer)) return;
    const rm = this.replicaManager;
    switch (timer.type) {
      case 'fetch-wait':
        return rm.delayedFetch.onFollowerFetchWait(ctx, timer.follower);
      case 'fetch-timeout':
        return rm.fetcher.onFetchTimeout(ctx, timer.leader);
      case 'fetch-connect-timeout':
        return rm.fetcher.onConnectTimeout(ctx, timer.leader);
      case 'alter-partition-retry':
        return rm.resendAlterPartitions(ctx);
      case 'alter-partition-timeout':
        for (const c of rm.alterPartitionManager.onRequestTimeout(ctx, timer.partition, timer.requestId)) this.closeControllerConnection(ctx, c);
        return;
      case 'controller-heartbeat-timeout':
        if (this.lifecycle.isHeartbeatTimeout(timer.controller, timer.requestId)) this.closeControllerConnection(ctx, timer.controller);
        return;
      case 'fetch-backoff':
        return rm.fetcher.onBackoff(ctx, timer.leader);
      case 'epoch-request-timeout':
        return rm.fetcher.onEpochRequestTimeout(ctx, timer.partition, timer.requestId);
      case 'produce-timeout':
        return rm.delayedProduce.expireDue(ctx);
      case 'produce-append':
        return rm.produceAppends.resume(ctx, timer.key);
      case 'controlled-shutdown-start':
        return this.onControlledShutdownStart(ctx, timer.operation);
      case 'controlled-shutdown-stop':
        return this.lifecycle.onControlledShutdownTimeout(ctx, timer.operation, timer.incarnation);
      case 'controlled-shutdown-restart':
      case 'halt-restart':
        return; // stale: the broker crashed and restarted meanwhile
      case 'rolling-restart-check':
        return this.onRollingRestartCheck(ctx, timer.operation);
      case 'delete-records':
        return this.onDeleteRecords(ctx, timer.operation);
      case 'log-flush':
        return this.logManager.flushDirtyLogs(ctx);
      case 'log-retention-check':
        return this.logManager.cleanupLogs(ctx);
      case 'log-cleaner-pass':
        return this.logManager.cleanerPass(ctx);
      case 'producer-id-expiration-check':
        return this.logManager.removeExpiredProducers(ctx);
      default:
        return this.onGroupTimer(ctx, timer);
    }
  }

  /** Runs a periodic task and re-arms it; false when timer is not one. */
  private onPeriodicTask(ctx: Ctx, timer: KafkaTimer): boolean {
    switch (timer.type) {
      case 'broker-heartbeat':
        this.lifecycle.sendHeartbeat(ctx);
        this.periodicTimers[HEARTBEAT_TASK] = ctx.setTimer(this.lifecycle.heartbeatDelayUs(this.metadataCache.image !== null), BROKER_HEARTBEAT);
        return true;
      case 'isr-check':
        this.replicaManager.maybeShrinkIsr(ctx);
        this.periodicTimers[ISR_EXPIRATION_TASK] = ctx.setTimer(this.lagUs / 2, ISR_CHECK);
        return true;
      case 'hw-checkpoint':
        this.logManager.checkpointHighWatermarks();
        this.periodicTimers[HW_CHECKPOINT_TASK] = ctx.setTimer(this.hwCheckpointIntervalUs, HW_CHECKPOINT);
        return true;
      default:
        return false;
    }
  }

  private onGroupTimer(ctx: Ctx, timer: KafkaTimer): void {
    const gc = this.groupCoordinator;
    if (gc === null) throw new Error(`broker got timer ${timer.type}`);
    switch (timer.type) {
      case 'member-session-expiry':
        return gc.onMemberSessionExpiry(ctx, timer);
      case 'group-join-deadline':
        return gc.onJoinDeadline(ctx, timer.group);
      case 'offsets-append-timeout':
        return gc.onAppendTimeout(ctx);
      case 'consumer-fetch-wait':
        return this.replicaManager.delayedFetch.onConsumerFetchWait(ctx);
      default:
        throw new Error(`broker got timer ${timer.type}`);
    }
  }
}
