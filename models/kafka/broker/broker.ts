// A Kafka broker process (Kafka's BrokerServer): builds its parts and runs their lifecycle. The
// parts: LogManager (logs on disk, flush, checkpoints, retention), MetadataCache (what the
// controller last told it), ReplicaManager (leader and follower replicas, with the
// ReplicaFetcherThread, purgatories and AlterPartitionManager), BrokerLifecycleManager
// (registration, heartbeats, controlled shutdown), the GroupCoordinator when the run has consumer
// groups, and KafkaApis, which routes requests to them. The broker itself starts and stops them,
// schedules the periodic tasks (Kafka's KafkaScheduler) and routes timers.
//
// A process restart forgets everything but the logs and their checkpoints (LogManager says what
// a crash, power loss or disk loss keeps).
//
// Simplification: a stopped broker (controlled shutdown) ignores requests instead of refusing
// connections, except that it refuses produce requests so producers look elsewhere at once.

import type { NodeContext, NodeFailure } from '../../../src/sim/model.ts';
import type { CoordinatorReplicaAccess } from '../group/coordinator-replica-access.ts';
import { GroupCoordinator } from '../group/group-coordinator.ts';
import { OFFSETS_RECORD_BYTES } from '../group/offsets-topic.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import type { KafkaMessage } from '../messages.ts';
import { LogManager } from '../storage/log-manager.ts';
import type { PartitionLog } from '../storage/partition-log.ts';
import { ALTER_PARTITION_RETRY, BROKER_HEARTBEAT, HW_CHECKPOINT, ISR_CHECK, LOG_FLUSH, type KafkaTimer } from '../timers.ts';
import { ALTER_PARTITION_RETRY_US } from './alter-partition-manager.ts';
import { BrokerLifecycleManager, type LifecycleBroker } from './broker-lifecycle-manager.ts';
import { KafkaApis } from './kafka-apis.ts';
import { MetadataCache } from './metadata-cache.ts';
import { ReplicaManager } from './replica-manager.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** replica.high.watermark.checkpoint.interval.ms default. */
const HW_CHECKPOINT_INTERVAL_US = 5_000_000;

/** Periodic tasks, by their slot in Broker.periodicTimers. */
const HEARTBEAT_TASK = 0;
const ISR_EXPIRATION_TASK = 1;
const HW_CHECKPOINT_TASK = 2;
const ALTER_PARTITION_TASK = 3;
const LOG_FLUSH_TASK = 4;

export class Broker implements LifecycleBroker {
  readonly node: number;
  readonly name: string;
  readonly logManager: LogManager;
  readonly metadataCache: MetadataCache;
  readonly replicaManager: ReplicaManager;
  readonly lifecycle: BrokerLifecycleManager;
  /** null without consumer groups. */
  readonly groupCoordinator: GroupCoordinator | null;
  private readonly apis: KafkaApis;
  incarnation = 0;
  stopped = false;
  private periodicTimers: number[] = [];
  private readonly lagUs: number;

  constructor(
    readonly world: KafkaWorld,
    readonly index: number,
  ) {
    const layout = world.layout;
    this.node = layout.brokerNode[index];
    this.name = layout.brokerNames[index];
    this.logManager = new LogManager(world, index, OFFSETS_RECORD_BYTES);
    this.metadataCache = new MetadataCache(index, world.kraft);
    this.replicaManager = new ReplicaManager(world, index, this.logManager, this.metadataCache);
    this.lifecycle = new BrokerLifecycleManager(world, index, this);
    this.lagUs = world.scenario.brokerConfig['replica.lag.time.max.ms'] * 1000;
    this.groupCoordinator = (world.scenario.consumerGroups ?? []).length > 0 ? new GroupCoordinator(world, this.coordinatorReplicaAccess()) : null;
    if (this.groupCoordinator !== null) this.replicaManager.setOffsetsPartitionListener(this.groupCoordinator);
    this.apis = new KafkaApis(layout, this, this.metadataCache, this.replicaManager, this.lifecycle, this.groupCoordinator);
  }

  /** This broker's logs by global partition index (null where it hosts no replica). */
  get logs(): readonly (PartitionLog | null)[] {
    return this.logManager.logs;
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
      appendAsLeader: (ctx, p, ids) => rm.appendRecordsToLeader(ctx, rm.leaderPartition(p)!, ids, -1, -1, -1),
      maybeAdvanceHighWatermark: (ctx, p) => rm.maybeIncrementLeaderHW(ctx, p),
    };
  }

  // ---- lifecycle ----

  onStart(ctx: Ctx): void {
    this.start(ctx);
    const ops = this.world.scenario.operations;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      if (op.broker !== this.name || op.kind !== 'controlled-shutdown') continue;
      const atUs = op.atMs * 1000;
      if (atUs >= ctx.nowUs) ctx.setTimer(atUs - ctx.nowUs, { type: 'controlled-shutdown-start', operation: i });
    }
  }

  /** Process start (boot, restart after a crash, or start after a controlled shutdown). */
  private start(ctx: Ctx): void {
    this.incarnation++;
    this.stopped = false;
    this.lifecycle.reset();
    this.metadataCache.clear();
    this.replicaManager.reset();
    this.logManager.startup();
    this.lifecycle.sendHeartbeat(ctx);
    this.periodicTimers = [
      ctx.setTimer(this.lifecycle.heartbeatDelayUs(false), BROKER_HEARTBEAT),
      ctx.setTimer(this.lagUs / 2, ISR_CHECK),
      ctx.setTimer(HW_CHECKPOINT_INTERVAL_US, HW_CHECKPOINT),
      ctx.setTimer(ALTER_PARTITION_RETRY_US, ALTER_PARTITION_RETRY),
    ];
    if (this.logManager.flushCheckUs !== null) this.periodicTimers.push(ctx.setTimer(this.logManager.flushCheckUs, LOG_FLUSH));
    this.groupCoordinator?.onStart(ctx);
    this.logManager.startRetention(ctx);
  }

  onDown(ctx: Ctx, failure: NodeFailure): void {
    this.logManager.onDown(ctx, failure);
  }

  /** Clean stop after a controlled shutdown: logs flushed and HW checkpointed, as Kafka does. */
  stop(ctx: Ctx, operation: number): void {
    for (const id of this.periodicTimers) ctx.cancelTimer(id);
    this.periodicTimers = [];
    this.logManager.shutdown(ctx.nowUs);
    this.replicaManager.shutdown(ctx);
    this.stopped = true;
    this.lifecycle.reset();
    const op = this.world.scenario.operations[operation];
    ctx.setTimer(op.durationMs * 1000, { type: 'controlled-shutdown-restart', operation, incarnation: this.incarnation });
  }

  // ---- dispatch ----

  onMessage(ctx: Ctx, from: number, msg: KafkaMessage): void {
    if (this.stopped) {
      if (msg.type === 'produce' && msg.acks !== 0) this.apis.refuseProduce(ctx, from, msg);
      return;
    }
    this.apis.handle(ctx, from, msg);
  }

  onTimer(ctx: Ctx, timer: KafkaTimer): void {
    if (this.stopped) {
      if (timer.type === 'controlled-shutdown-restart' && timer.incarnation === this.incarnation) this.start(ctx);
      return;
    }
    if (this.onPeriodicTask(ctx, timer)) return;
    const rm = this.replicaManager;
    switch (timer.type) {
      case 'fetch-wait':
        return rm.delayedFetch.onFollowerFetchWait(ctx, timer.follower, timer.requestId);
      case 'fetch-timeout':
        return rm.fetcher.onFetchTimeout(ctx, timer.leader, timer.requestId);
      case 'fetch-backoff':
        return rm.fetcher.onBackoff(ctx, timer.leader);
      case 'epoch-request-timeout':
        return rm.fetcher.onEpochRequestTimeout(ctx, timer.partition, timer.requestId);
      case 'produce-timeout':
        return rm.delayedProduce.expire(ctx, timer.key);
      case 'controlled-shutdown-start':
        return this.lifecycle.beginControlledShutdown(ctx, timer.operation);
      case 'controlled-shutdown-stop':
        return this.lifecycle.onControlledShutdownTimeout(ctx, timer.operation, timer.incarnation);
      case 'controlled-shutdown-restart':
        return; // stale: the broker crashed and restarted meanwhile
      case 'log-retention-check':
        return this.logManager.cleanupLogs(ctx);
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
        this.periodicTimers[HW_CHECKPOINT_TASK] = ctx.setTimer(HW_CHECKPOINT_INTERVAL_US, HW_CHECKPOINT);
        return true;
      case 'alter-partition-retry':
        this.replicaManager.resendAlterPartitions(ctx);
        this.periodicTimers[ALTER_PARTITION_TASK] = ctx.setTimer(ALTER_PARTITION_RETRY_US, ALTER_PARTITION_RETRY);
        return true;
      case 'log-flush':
        this.logManager.flushDirtyLogs(ctx.nowUs);
        this.periodicTimers[LOG_FLUSH_TASK] = ctx.setTimer(this.logManager.flushCheckUs!, LOG_FLUSH);
        return true;
      default:
        return false;
    }
  }

  private onGroupTimer(ctx: Ctx, timer: KafkaTimer): void {
    const gc = this.groupCoordinator;
    if (gc === null) throw new Error(`broker got timer ${timer.type}`);
    switch (timer.type) {
      case 'group-tick':
        return gc.onTick(ctx);
      case 'offsets-append-timeout':
        return gc.onAppendTimeout(ctx, timer.key);
      case 'consumer-fetch-wait':
        return this.replicaManager.delayedFetch.onConsumerFetchWait(ctx, timer.requestId);
      default:
        throw new Error(`broker got timer ${timer.type}`);
    }
  }
}
