// A Kafka broker: hosts partition replicas, leads some (produce, fetch serving, ISR and high
// watermark) and follows others (through its ReplicaFetcher), heartbeats the controller quorum
// and learns metadata only from it (a broker cut off from the controller acts on stale metadata,
// which is how zombie leaders happen), flushes and checkpoints to "disk", and loses what a crash,
// power loss or disk loss would lose.
//
// Durable across a process crash: the logs (page cache survives a crash) and the HW checkpoint.
// A power loss (and an AZ outage) also drops records after the flushed offset; losing an
// instance-store disk drops everything; an EBS volume survives instance loss (like power loss).
// Volatile: the metadata image, leader/follower roles, producer state (rebuilt from the log on
// start), fetch sessions and purgatories.
//
// Simplifications: records carry no bytes (fetch size is a record count derived from
// replica.fetch.max.bytes); a stopped broker (controlled shutdown) ignores requests instead of
// refusing connections; AlterPartition is re-sent every ALTER_PARTITION_RETRY_US while pending.

import type { NodeContext, NodeFailure } from '../../../src/sim/model.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import {
  FENCED_LEADER_EPOCH,
  INVALID_PRODUCER_EPOCH,
  NOT_ENOUGH_REPLICAS,
  NOT_ENOUGH_REPLICAS_AFTER_APPEND,
  NOT_LEADER_OR_FOLLOWER,
  OFFSET_OUT_OF_RANGE,
  OUT_OF_ORDER_SEQUENCE_NUMBER,
  REQUEST_TIMED_OUT,
  UNKNOWN_LEADER_EPOCH,
  type AlterPartitionResponse,
  type FetchPartitionData,
  type FetchRequest,
  type KafkaMessage,
  type MetadataRequest,
  type OffsetsForLeaderEpochRequest,
  type ProduceRequest,
  type ProduceResult,
} from '../messages.ts';
import { contains, NO_LEADER, type MetadataImage, type PartitionMeta } from '../controller/metadata-image.ts';
import { PartitionLeader } from './partition-leader.ts';
import { PartitionLog, type LogRecord } from '../storage/partition-log.ts';
import { ProducerStateTable, SEQ_DUPLICATE, SEQ_INVALID_EPOCH, SEQ_OK } from '../storage/producer-state.ts';
import { FOLLOWER_FETCHING, FOLLOWER_TRUNCATING, FollowerState, ReplicaFetcher } from './replica-fetcher.ts';
import { ALTER_PARTITION_RETRY, BROKER_HEARTBEAT, HW_CHECKPOINT, ISR_CHECK, LOG_FLUSH, type KafkaTimer } from '../timers.ts';
import { ConsumerBrokerApi } from './consumer-broker-api.ts';
import { LogCleaner } from '../storage/log-retention.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** replica.high.watermark.checkpoint.interval.ms default. */
const HW_CHECKPOINT_INTERVAL_US = 5_000_000;
const ALTER_PARTITION_RETRY_US = 1_000_000;
/** Registration retry while the controller has not yet registered this process. */
const REGISTRATION_RETRY_US = 100_000;
/** How long a broker waits for the controller before shutting down anyway. */
const CONTROLLED_SHUTDOWN_TIMEOUT_US = 30_000_000;

/** A produce request parked until its acks=all batches are committed or it times out. */
interface DelayedProduce {
  from: number;
  requestId: number;
  results: ProduceResult[];
  waiting: number;
  timerId: number;
}

export class Broker {
  readonly node: number;
  readonly name: string;
  readonly logs: (PartitionLog | null)[];
  readonly producerStates: (ProducerStateTable | null)[];
  readonly leaders: (PartitionLeader | null)[];
  readonly followers: (FollowerState | null)[];
  readonly fetcher: ReplicaFetcher;
  image: MetadataImage | null = null;
  /** Consumer fetches and the group coordinator; null without consumer groups. */
  readonly consumerApi: ConsumerBrokerApi | null;
  /** Retention and compaction; null when no replica here needs it within the run. */
  readonly logCleaner: LogCleaner | null;
  incarnation = 0;
  stopped = false;
  private readonly parkedFetch: (FetchRequest | null)[];
  private readonly parkedFetchTimer: Int32Array;
  private readonly delayed = new Map<number, DelayedProduce>();
  private nextDelayedKey = 1;
  private periodicTimers: number[] = [];
  private shutdownOperation = -1;
  private readonly heartbeatIntervalUs: number;
  private readonly lagUs: number;
  private readonly fetchWaitUs: number;
  private readonly flushCheckUs: number | null;

  constructor(
    readonly world: KafkaWorld,
    readonly index: number,
  ) {
    const layout = world.layout;
    this.node = layout.brokerNode[index];
    this.name = layout.brokerNames[index];
    const n = layout.partitions.length;
    this.logs = new Array(n).fill(null);
    this.producerStates = new Array(n).fill(null);
    let flushCheckUs: number | null = null;
    for (const p of layout.partitionsOfBroker[index]) {
      this.logs[p] = new PartitionLog();
      this.producerStates[p] = new ProducerStateTable();
      const f = layout.partitions[p].flushIntervalUs;
      if (f !== null && (flushCheckUs === null || f < flushCheckUs)) flushCheckUs = f;
    }
    this.flushCheckUs = flushCheckUs === null ? null : Math.max(1000, flushCheckUs);
    this.leaders = new Array(n).fill(null);
    this.followers = new Array(n).fill(null);
    this.parkedFetch = new Array(layout.brokerCount).fill(null);
    this.parkedFetchTimer = new Int32Array(layout.brokerCount).fill(-1);
    this.fetcher = new ReplicaFetcher(this);
    const bc = world.scenario.brokerConfig;
    // ZooKeeper clients ping at a third of the session timeout.
    this.heartbeatIntervalUs = (world.kraft ? bc['broker.heartbeat.interval.ms'] : bc['zookeeper.session.timeout.ms'] / 3) * 1000;
    this.lagUs = bc['replica.lag.time.max.ms'] * 1000;
    this.fetchWaitUs = bc['replica.fetch.wait.max.ms'] * 1000;
    this.consumerApi = (world.scenario.consumerGroups ?? []).length > 0 ? new ConsumerBrokerApi(this) : null;
    const cleaner = new LogCleaner(this);
    this.logCleaner = cleaner.active ? cleaner : null;
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
    this.shutdownOperation = -1;
    this.image = null;
    this.leaders.fill(null);
    this.followers.fill(null);
    this.parkedFetch.fill(null);
    this.parkedFetchTimer.fill(-1);
    this.delayed.clear();
    this.fetcher.reset();
    for (const p of this.world.layout.partitionsOfBroker[this.index]) {
      const log = this.logs[p]!;
      // The in-memory HW is gone; the checkpoint file is what the broker starts from.
      log.highWatermark = Math.min(log.hwCheckpoint, log.logEndOffset);
      this.producerStates[p]!.rebuild(log.records);
    }
    this.sendHeartbeat(ctx);
    this.periodicTimers = [
      ctx.setTimer(Math.min(this.heartbeatIntervalUs, REGISTRATION_RETRY_US), BROKER_HEARTBEAT),
      ctx.setTimer(this.lagUs / 2, ISR_CHECK),
      ctx.setTimer(HW_CHECKPOINT_INTERVAL_US, HW_CHECKPOINT),
      ctx.setTimer(ALTER_PARTITION_RETRY_US, ALTER_PARTITION_RETRY),
    ];
    if (this.flushCheckUs !== null) this.periodicTimers.push(ctx.setTimer(this.flushCheckUs, LOG_FLUSH));
    this.consumerApi?.onStart(ctx);
    this.logCleaner?.onStart(ctx);
  }

  onDown(ctx: Ctx, failure: NodeFailure): void {
    if (failure.kind === 'crash') return; // the page cache survives a process crash
    const instanceStore = this.world.scenario.brokers[this.index].storage === 'instance-store';
    const wipe = failure.kind === 'disk-loss' && instanceStore;
    const cause = failure.kind === 'disk-loss' ? 'disk-loss' : 'power-loss';
    for (const p of this.world.layout.partitionsOfBroker[this.index]) {
      const log = this.logs[p]!;
      const from = log.logEndOffset;
      const removed = wipe ? log.loseAll() : log.loseUnflushed();
      if (removed.length === 0) continue;
      if (cause === 'disk-loss') this.world.stats.recordsLostDiskLoss += removed.length;
      else this.world.stats.recordsLostPowerLoss += removed.length;
      ctx.emit({ type: 'log-lost', partition: this.world.layout.partitions[p].name, fromOffset: from, toOffset: log.logEndOffset, removed, cause });
    }
  }

  /** Clean stop after a controlled shutdown: logs flushed and HW checkpointed, as Kafka does. */
  private stop(ctx: Ctx, operation: number): void {
    for (const id of this.periodicTimers) ctx.cancelTimer(id);
    this.periodicTimers = [];
    for (const p of this.world.layout.partitionsOfBroker[this.index]) {
      const log = this.logs[p]!;
      log.flush(ctx.nowUs);
      log.hwCheckpoint = log.highWatermark;
    }
    // Leadership has moved: parked acks=all produces complete with NOT_LEADER_OR_FOLLOWER.
    for (const p of this.world.layout.partitionsOfBroker[this.index]) {
      const ls = this.leaders[p];
      if (ls !== null) this.failWaiting(ctx, ls);
    }
    for (const dp of this.delayed.values()) ctx.cancelTimer(dp.timerId);
    this.delayed.clear();
    for (let f = 0; f < this.parkedFetchTimer.length; f++) if (this.parkedFetchTimer[f] >= 0) ctx.cancelTimer(this.parkedFetchTimer[f]);
    this.stopped = true;
    this.shutdownOperation = -1;
    const op = this.world.scenario.operations[operation];
    ctx.setTimer(op.durationMs * 1000, { type: 'controlled-shutdown-restart', operation, incarnation: this.incarnation });
  }

  // ---- dispatch ----

  onMessage(ctx: Ctx, from: number, msg: KafkaMessage): void {
    if (this.stopped) {
      // Stands for the refused connection of a stopped broker: the client learns at once that
      // this broker cannot take the write, and refreshes metadata elsewhere.
      if (msg.type === 'produce' && msg.acks !== 0) this.refuseProduce(ctx, from, msg);
      return;
    }
    switch (msg.type) {
      case 'metadata-update':
        return this.applyImage(ctx, msg.image);
      case 'produce':
        return this.onProduce(ctx, from, msg);
      case 'fetch':
        return this.onFetch(ctx, from, msg);
      case 'fetch-response':
        return this.fetcher.onFetchResponse(ctx, this.world.layout.indexOfNode[from], msg);
      case 'offsets-for-leader-epoch':
        return this.onEpochRequest(ctx, from, msg);
      case 'offsets-for-leader-epoch-response':
        return this.fetcher.onEpochResponse(ctx, msg);
      case 'metadata-request':
        return this.onMetadataRequest(ctx, from, msg);
      case 'alter-partition-response':
        return this.onAlterPartitionResponse(ctx, msg);
      case 'controlled-shutdown-response':
        if (this.shutdownOperation >= 0) this.stop(ctx, this.shutdownOperation);
        return;
      default:
        if (this.consumerApi !== null && this.consumerApi.onMessage(ctx, from, msg)) return;
        throw new Error(`broker got message ${msg.type}`);
    }
  }

  onTimer(ctx: Ctx, timer: KafkaTimer): void {
    if (this.stopped) {
      if (timer.type === 'controlled-shutdown-restart' && timer.incarnation === this.incarnation) this.start(ctx);
      return;
    }
    switch (timer.type) {
      case 'broker-heartbeat':
        this.sendHeartbeat(ctx);
        // Until the controller has registered this process (no image yet), retry quickly, as
        // BrokerLifecycleManager retries registration with a short backoff.
        this.periodicTimers[0] = ctx.setTimer(
          this.image === null ? Math.min(this.heartbeatIntervalUs, REGISTRATION_RETRY_US) : this.heartbeatIntervalUs,
          BROKER_HEARTBEAT,
        );
        return;
      case 'isr-check':
        this.checkIsr(ctx);
        this.periodicTimers[1] = ctx.setTimer(this.lagUs / 2, ISR_CHECK);
        return;
      case 'hw-checkpoint':
        for (const p of this.world.layout.partitionsOfBroker[this.index]) this.logs[p]!.hwCheckpoint = this.logs[p]!.highWatermark;
        this.periodicTimers[2] = ctx.setTimer(HW_CHECKPOINT_INTERVAL_US, HW_CHECKPOINT);
        return;
      case 'alter-partition-retry':
        this.retryAlterPartitions(ctx);
        this.periodicTimers[3] = ctx.setTimer(ALTER_PARTITION_RETRY_US, ALTER_PARTITION_RETRY);
        return;
      case 'log-flush':
        this.flushByTime(ctx);
        this.periodicTimers[4] = ctx.setTimer(this.flushCheckUs!, LOG_FLUSH);
        return;
      case 'fetch-wait':
        if (this.parkedFetch[timer.follower]?.requestId === timer.requestId) this.completeParkedFetch(ctx, timer.follower);
        return;
      case 'fetch-timeout':
        return this.fetcher.onFetchTimeout(ctx, timer.leader, timer.requestId);
      case 'fetch-backoff':
        return this.fetcher.onBackoff(ctx, timer.leader);
      case 'epoch-request-timeout':
        return this.fetcher.onEpochRequestTimeout(ctx, timer.partition, timer.requestId);
      case 'produce-timeout':
        return this.expireDelayedProduce(ctx, timer.key);
      case 'controlled-shutdown-start':
        return this.beginControlledShutdown(ctx, timer.operation);
      case 'controlled-shutdown-stop':
        if (timer.incarnation === this.incarnation && this.shutdownOperation === timer.operation) this.stop(ctx, timer.operation);
        return;
      case 'controlled-shutdown-restart':
        return; // stale: the broker crashed and restarted meanwhile
      case 'log-retention-check':
        return this.logCleaner!.onCheck(ctx);
      default:
        if (this.consumerApi !== null && this.consumerApi.onTimer(ctx, timer)) return;
        throw new Error(`broker got timer ${timer.type}`);
    }
  }

  private sendHeartbeat(ctx: Ctx): void {
    const msg: KafkaMessage = {
      type: 'broker-heartbeat',
      broker: this.index,
      incarnation: this.incarnation,
      metadataVersion: this.image === null ? 0 : this.image.version,
    };
    for (const node of this.world.layout.controllerNode) ctx.send(node, msg);
  }

  private beginControlledShutdown(ctx: Ctx, operation: number): void {
    if (!this.world.scenario.brokerConfig['controlled.shutdown.enable']) return this.stop(ctx, operation);
    this.shutdownOperation = operation;
    const msg: KafkaMessage = { type: 'controlled-shutdown', broker: this.index, incarnation: this.incarnation };
    for (const node of this.world.layout.controllerNode) ctx.send(node, msg);
    ctx.setTimer(CONTROLLED_SHUTDOWN_TIMEOUT_US, { type: 'controlled-shutdown-stop', operation, incarnation: this.incarnation });
  }

  // ---- metadata ----

  private applyImage(ctx: Ctx, image: MetadataImage): void {
    if (this.image !== null && image.version <= this.image.version) return;
    // KRaft: until the controller has registered this incarnation, the image describes the process
    // that died (maybe as a leader, with records this restart lost). Acting on it would let a
    // broker that lost its page cache lead again in the same epoch and overwrite acknowledged
    // records. Real brokers register before they replay metadata, so they never see such an image.
    if (this.world.kraft && image.incarnations[this.index] !== this.incarnation) return;
    this.image = image;
    for (const p of this.world.layout.partitionsOfBroker[this.index]) {
      const m = image.partitions[p];
      if (m === undefined) continue;
      if (m.leader === this.index) {
        const ls = this.leaders[p];
        if (ls === null || ls.leaderEpoch < m.leaderEpoch) this.becomeLeader(ctx, p, m);
        else if (m.leaderEpoch === ls.leaderEpoch && m.partitionEpoch > ls.partitionEpoch) {
          ls.isr = m.isr;
          ls.partitionEpoch = m.partitionEpoch;
          ls.pendingIsr = null;
          this.maybeAdvanceHighWatermark(ctx, p);
        }
      } else {
        const fs = this.followers[p];
        if (this.leaders[p] !== null || fs === null || fs.leaderEpoch < m.leaderEpoch) this.becomeFollower(ctx, p, m);
      }
    }
  }

  private becomeLeader(ctx: Ctx, p: number, m: PartitionMeta): void {
    const log = this.logs[p]!;
    this.followers[p] = null;
    const old = this.leaders[p];
    if (old !== null) this.failWaiting(ctx, old);
    log.assignEpoch(m.leaderEpoch, log.logEndOffset);
    this.leaders[p] = new PartitionLeader(
      this.index,
      m.replicas,
      m.leaderEpoch,
      m.partitionEpoch,
      m.isr,
      log.logEndOffset,
      this.world.layout.brokerCount,
      ctx.nowUs,
    );
    if (this.consumerApi !== null && this.world.layout.partitions[p].internal) this.consumerApi.coordinator.onBecomeLeader(ctx, p);
    this.maybeAdvanceHighWatermark(ctx, p);
  }

  private becomeFollower(ctx: Ctx, p: number, m: PartitionMeta): void {
    const ls = this.leaders[p];
    if (ls !== null) {
      this.failWaiting(ctx, ls);
      this.leaders[p] = null;
      if (this.consumerApi !== null && this.world.layout.partitions[p].internal) this.consumerApi.coordinator.onResign(ctx, p);
    }
    if (m.leader === NO_LEADER) {
      this.followers[p] = new FollowerState(NO_LEADER, m.leaderEpoch, FOLLOWER_TRUNCATING);
      return;
    }
    let state = FOLLOWER_TRUNCATING;
    if (!this.world.protocol.truncationByLeaderEpoch) {
      // Before KIP-101 a new follower cuts its log back to its high watermark, then fetches.
      this.truncate(ctx, p, this.logs[p]!.highWatermark, 'high-watermark');
      state = FOLLOWER_FETCHING;
    }
    this.followers[p] = new FollowerState(m.leader, m.leaderEpoch, state);
    this.fetcher.kick(ctx, m.leader);
  }

  private onMetadataRequest(ctx: Ctx, from: number, msg: MetadataRequest): void {
    const parts = this.world.layout.partitionsOfTopic.get(msg.topic) ?? [];
    const leaders = new Array<number>(parts.length);
    for (let i = 0; i < parts.length; i++) leaders[i] = this.image === null ? NO_LEADER : this.image.partitions[parts[i]].leader;
    ctx.send(from, { type: 'metadata-response', requestId: msg.requestId, leaders });
  }

  // ---- log operations ----

  truncate(ctx: Ctx, p: number, offset: number, reason: 'high-watermark' | 'leader-epoch' | 'diverging-epoch'): void {
    const log = this.logs[p]!;
    const from = log.logEndOffset;
    if (this.world.bugs.skipTruncation) return; // bug zoo: keep the divergent suffix
    const removed = log.truncateTo(offset);
    if (removed.length === 0) return;
    this.producerStates[p]!.rebuild(log.records);
    this.world.stats.truncations++;
    this.world.stats.recordsTruncated += removed.length;
    ctx.emit({ type: 'truncate', partition: this.world.layout.partitions[p].name, toOffset: log.logEndOffset, fromOffset: from, removed, reason });
  }

  appendAsFollower(ctx: Ctx, p: number, records: readonly LogRecord[]): void {
    const log = this.logs[p]!;
    const ps = this.producerStates[p]!;
    const name = this.world.layout.partitions[p].name;
    let runStart = 0;
    for (let i = 0; i <= records.length; i++) {
      if (i < records.length && records[i].epoch === records[runStart].epoch) continue;
      const ids = new Array<number>(i - runStart);
      const base = log.logEndOffset;
      for (let j = runStart; j < i; j++) {
        ids[j - runStart] = records[j].id;
        ps.updateFromRecord(records[j], log.logEndOffset);
        log.append(records[j]);
      }
      ctx.emit({ type: 'append', partition: name, role: 'follower', baseOffset: base, leaderEpoch: records[runStart].epoch, records: ids });
      this.world.stats.appendsFollower++;
      runStart = i;
    }
    this.maybeFlushByCount(ctx, p);
  }

  private maybeFlushByCount(ctx: Ctx, p: number): void {
    const log = this.logs[p]!;
    if (log.logEndOffset - log.flushedOffset >= this.world.layout.partitions[p].flushIntervalMessages) log.flush(ctx.nowUs);
  }

  private flushByTime(ctx: Ctx): void {
    for (const p of this.world.layout.partitionsOfBroker[this.index]) {
      const interval = this.world.layout.partitions[p].flushIntervalUs;
      const log = this.logs[p]!;
      if (interval !== null && ctx.nowUs - log.lastFlushUs >= interval) log.flush(ctx.nowUs);
    }
  }

  // ---- leader: produce ----

  private onProduce(ctx: Ctx, from: number, req: ProduceRequest): void {
    const results = new Array<ProduceResult>(req.batches.length);
    const key = this.nextDelayedKey++;
    const dp: DelayedProduce = { from, requestId: req.requestId, results, waiting: 0, timerId: -1 };
    let appended: number[] | null = null;
    for (let i = 0; i < req.batches.length; i++) {
      const batch = req.batches[i];
      const p = batch.partition;
      const ls = this.leaders[p];
      const info = this.world.layout.partitions[p];
      const result: ProduceResult = { batchId: batch.batchId, partition: p, error: null, baseOffset: -1, leaderEpoch: -1 };
      results[i] = result;
      if (ls === null) {
        result.error = NOT_LEADER_OR_FOLLOWER;
        continue;
      }
      result.leaderEpoch = ls.leaderEpoch;
      // min.insync.replicas is checked against the committed ISR before appending.
      if (req.acks === -1 && ls.isr.length < info.minInsyncReplicas) {
        result.error = NOT_ENOUGH_REPLICAS;
        continue;
      }
      const log = this.logs[p]!;
      const n = batch.recordIds.length;
      let baseOffset = log.logEndOffset;
      if (batch.producerId >= 0) {
        const ps = this.producerStates[p]!;
        let check = ps.check(batch.producerId, batch.producerEpoch, batch.baseSequence, batch.baseSequence + n - 1);
        if (check === SEQ_DUPLICATE && this.world.bugs.forgetIdempotentDedup) check = SEQ_OK; // bug zoo
        if (check === SEQ_DUPLICATE) {
          baseOffset = ps.duplicateBaseOffset;
          result.leaderEpoch = ps.duplicateLeaderEpoch;
        } else if (check !== SEQ_OK) {
          result.error = check === SEQ_INVALID_EPOCH ? INVALID_PRODUCER_EPOCH : OUT_OF_ORDER_SEQUENCE_NUMBER;
          continue;
        } else {
          ps.update(batch.producerId, batch.producerEpoch, batch.baseSequence, batch.baseSequence + n - 1, baseOffset, ls.leaderEpoch);
          this.appendAsLeader(ctx, p, ls, batch.recordIds, batch.producerId, batch.producerEpoch, batch.baseSequence);
          (appended ??= []).push(p);
        }
      } else {
        this.appendAsLeader(ctx, p, ls, batch.recordIds, -1, -1, -1);
        (appended ??= []).push(p);
      }
      result.baseOffset = baseOffset;
      // Bug zoo ack-before-isr: acks=all answered like acks=1, without waiting for the ISR.
      if (req.acks === -1 && !this.world.bugs.ackBeforeIsr) {
        const requiredOffset = baseOffset + n;
        if (log.highWatermark >= requiredOffset) {
          if (ls.isr.length < info.minInsyncReplicas) result.error = NOT_ENOUGH_REPLICAS_AFTER_APPEND;
        } else {
          dp.waiting++;
          ls.waiting.push({ key, batch: i, requiredOffset });
        }
      }
    }
    if (req.acks !== 0) {
      if (dp.waiting === 0) ctx.send(from, { type: 'produce-response', requestId: req.requestId, results });
      else {
        dp.timerId = ctx.setTimer(req.timeoutUs, { type: 'produce-timeout', key });
        this.delayed.set(key, dp);
      }
    }
    if (appended !== null) for (const p of appended) this.maybeAdvanceHighWatermark(ctx, p);
  }

  private refuseProduce(ctx: Ctx, from: number, req: ProduceRequest): void {
    const results = req.batches.map((b) => ({ batchId: b.batchId, partition: b.partition, error: NOT_LEADER_OR_FOLLOWER, baseOffset: -1, leaderEpoch: -1 }));
    ctx.send(from, { type: 'produce-response', requestId: req.requestId, results });
  }

  appendAsLeader(ctx: Ctx, p: number, ls: PartitionLeader, ids: number[], pid: number, pepoch: number, baseSeq: number): void {
    const log = this.logs[p]!;
    const base = log.logEndOffset;
    for (let j = 0; j < ids.length; j++) {
      log.append({
        id: ids[j],
        epoch: ls.leaderEpoch,
        producerId: pid,
        producerEpoch: pepoch,
        sequence: pid >= 0 ? baseSeq + j : -1,
        batchSize: j === 0 ? ids.length : 0,
        appendUs: ctx.nowUs,
      });
    }
    this.world.stats.appendsLeader++;
    ctx.emit({ type: 'append', partition: this.world.layout.partitions[p].name, role: 'leader', baseOffset: base, leaderEpoch: ls.leaderEpoch, records: ids.slice() });
    this.maybeFlushByCount(ctx, p);
    this.wakeParkedFetches(ctx, p, ls);
  }

  maybeAdvanceHighWatermark(ctx: Ctx, p: number): void {
    const ls = this.leaders[p];
    if (ls === null) return;
    const log = this.logs[p]!;
    const hw = ls.computeHighWatermark(log, this.world.bugs.hwSkipsIsrMember);
    if (hw <= log.highWatermark) return;
    log.highWatermark = hw;
    ctx.emit({ type: 'hw', partition: this.world.layout.partitions[p].name, hw, leaderEpoch: ls.leaderEpoch });
    if (this.consumerApi !== null) this.consumerApi.onHighWatermark(ctx, p, hw);
    if (ls.waiting.length === 0) return;
    const minIsr = this.world.layout.partitions[p].minInsyncReplicas;
    let kept = 0;
    for (let i = 0; i < ls.waiting.length; i++) {
      const w = ls.waiting[i];
      if (w.requiredOffset > hw) {
        ls.waiting[kept++] = w;
        continue;
      }
      // Kafka's checkEnoughReplicasReachOffset: committed, but was the ISR big enough?
      this.completeWaiting(ctx, w.key, w.batch, ls.isr.length < minIsr ? NOT_ENOUGH_REPLICAS_AFTER_APPEND : null);
    }
    ls.waiting.length = kept;
  }

  private completeWaiting(ctx: Ctx, key: number, batch: number, error: string | null): void {
    const dp = this.delayed.get(key);
    if (dp === undefined) return;
    if (error !== null) dp.results[batch].error = error;
    if (--dp.waiting > 0) return;
    this.delayed.delete(key);
    ctx.cancelTimer(dp.timerId);
    ctx.send(dp.from, { type: 'produce-response', requestId: dp.requestId, results: dp.results });
  }

  private failWaiting(ctx: Ctx, ls: PartitionLeader): void {
    const waiting = ls.waiting.splice(0);
    for (const w of waiting) this.completeWaiting(ctx, w.key, w.batch, NOT_LEADER_OR_FOLLOWER);
  }

  private expireDelayedProduce(ctx: Ctx, key: number): void {
    const dp = this.delayed.get(key);
    if (dp === undefined) return;
    this.delayed.delete(key);
    for (const p of this.world.layout.partitionsOfBroker[this.index]) {
      const ls = this.leaders[p];
      if (ls === null || ls.waiting.length === 0) continue;
      let kept = 0;
      for (const w of ls.waiting) {
        if (w.key === key) dp.results[w.batch].error = REQUEST_TIMED_OUT;
        else ls.waiting[kept++] = w;
      }
      ls.waiting.length = kept;
    }
    ctx.send(dp.from, { type: 'produce-response', requestId: dp.requestId, results: dp.results });
  }

  // ---- leader: fetch serving ----

  private fetchError(p: number, currentLeaderEpoch: number): string | null {
    const ls = this.leaders[p];
    if (ls === null) return NOT_LEADER_OR_FOLLOWER;
    if (this.world.protocol.fetchCarriesLeaderEpoch) {
      if (currentLeaderEpoch < ls.leaderEpoch) return FENCED_LEADER_EPOCH;
      if (currentLeaderEpoch > ls.leaderEpoch) return UNKNOWN_LEADER_EPOCH;
    }
    return null;
  }

  private onFetch(ctx: Ctx, from: number, req: FetchRequest): void {
    const follower = req.broker;
    let respondNow = false;
    for (const part of req.parts) {
      const p = part.partition;
      if (this.fetchError(p, part.currentLeaderEpoch) !== null) {
        respondNow = true;
        continue;
      }
      const log = this.logs[p]!;
      const leo = log.logEndOffset;
      if (part.fetchOffset > leo) {
        respondNow = true;
        continue;
      }
      const ls = this.leaders[p]!;
      ls.updateFollower(follower, part.fetchOffset, leo, ctx.nowUs);
      this.maybeExpandIsr(ctx, p, ls, follower);
      this.maybeAdvanceHighWatermark(ctx, p);
      if (part.fetchOffset < leo) respondNow = true;
    }
    if (this.parkedFetchTimer[follower] >= 0) ctx.cancelTimer(this.parkedFetchTimer[follower]);
    this.parkedFetch[follower] = req;
    this.parkedFetchTimer[follower] = -1;
    if (respondNow) this.completeParkedFetch(ctx, follower);
    else this.parkedFetchTimer[follower] = ctx.setTimer(this.fetchWaitUs, { type: 'fetch-wait', follower, requestId: req.requestId });
  }

  private wakeParkedFetches(ctx: Ctx, p: number, ls: PartitionLeader): void {
    for (const r of ls.replicas) {
      const req = this.parkedFetch[r];
      if (req === null || this.parkedFetchTimer[r] < 0) continue;
      for (const part of req.parts)
        if (part.partition === p) {
          ctx.cancelTimer(this.parkedFetchTimer[r]);
          this.completeParkedFetch(ctx, r);
          break;
        }
    }
  }

  private completeParkedFetch(ctx: Ctx, follower: number): void {
    const req = this.parkedFetch[follower]!;
    this.parkedFetch[follower] = null;
    this.parkedFetchTimer[follower] = -1;
    const parts = new Array<FetchPartitionData>(req.parts.length);
    const maxRecords = this.world.fetchMaxRecords;
    for (let i = 0; i < req.parts.length; i++) {
      const part = req.parts[i];
      const p = part.partition;
      let error = this.fetchError(p, part.currentLeaderEpoch);
      const log = this.logs[p]!;
      const leo = log.logEndOffset;
      if (error === null && part.fetchOffset > leo) error = OFFSET_OUT_OF_RANGE;
      const end = Math.min(leo, part.fetchOffset + maxRecords);
      parts[i] = {
        partition: p,
        error,
        fetchOffset: part.fetchOffset,
        highWatermark: log.highWatermark,
        logEndOffset: leo,
        records: error === null && end > part.fetchOffset ? log.records.slice(part.fetchOffset, end) : EMPTY_RECORDS,
      };
    }
    ctx.send(this.world.layout.brokerNode[follower], { type: 'fetch-response', requestId: req.requestId, parts });
  }

  private onEpochRequest(ctx: Ctx, from: number, req: OffsetsForLeaderEpochRequest): void {
    const error = this.fetchError(req.partition, req.currentLeaderEpoch);
    const r = error === null ? this.logs[req.partition]!.endOffsetForEpoch(req.leaderEpoch) : { epoch: -1, endOffset: -1 };
    ctx.send(from, { type: 'offsets-for-leader-epoch-response', requestId: req.requestId, partition: req.partition, error, leaderEpoch: r.epoch, endOffset: r.endOffset });
  }

  // ---- leader: ISR ----

  /**
   * A follower rejoins when it has reached the HW and (with leader epochs, KAFKA-7128) the start
   * of the leader's epoch; in KRaft only if unfenced and not shutting down (KIP-841).
   */
  private maybeExpandIsr(ctx: Ctx, p: number, ls: PartitionLeader, follower: number): void {
    if (ls.pendingIsr !== null || contains(ls.isr, follower)) return;
    const leo = ls.followerLeo[follower];
    const log = this.logs[p]!;
    if (leo < log.highWatermark) return;
    if (this.world.protocol.isrJoinNeedsLeaderEpochStart && leo < ls.epochStartOffset) return;
    if (this.world.kraft && (this.image === null || this.image.fenced[follower] || this.image.shuttingDown[follower])) return;
    const isr = ls.replicas.filter((r) => r === follower || contains(ls.isr, r));
    this.proposeIsr(ctx, p, ls, isr);
  }

  private checkIsr(ctx: Ctx): void {
    for (const p of this.world.layout.partitionsOfBroker[this.index]) {
      const ls = this.leaders[p];
      if (ls === null || ls.pendingIsr !== null) continue;
      const lagging = ls.laggingFollowers(ctx.nowUs, this.lagUs);
      if (lagging === null) continue;
      this.proposeIsr(ctx, p, ls, ls.isr.filter((r) => !contains(lagging, r)));
    }
  }

  private proposeIsr(ctx: Ctx, p: number, ls: PartitionLeader, isr: readonly number[]): void {
    ls.pendingIsr = isr;
    this.sendAlterPartition(ctx, p, ls);
  }

  private sendAlterPartition(ctx: Ctx, p: number, ls: PartitionLeader): void {
    ls.pendingSentUs = ctx.nowUs;
    const msg: KafkaMessage = {
      type: 'alter-partition',
      broker: this.index,
      partition: p,
      leaderEpoch: ls.leaderEpoch,
      partitionEpoch: ls.partitionEpoch,
      isr: ls.pendingIsr!,
    };
    for (const node of this.world.layout.controllerNode) ctx.send(node, msg);
  }

  private retryAlterPartitions(ctx: Ctx): void {
    for (const p of this.world.layout.partitionsOfBroker[this.index]) {
      const ls = this.leaders[p];
      if (ls !== null && ls.pendingIsr !== null && ctx.nowUs - ls.pendingSentUs >= ALTER_PARTITION_RETRY_US) this.sendAlterPartition(ctx, p, ls);
    }
  }

  private onAlterPartitionResponse(ctx: Ctx, msg: AlterPartitionResponse): void {
    const ls = this.leaders[msg.partition];
    if (ls === null || ls.pendingIsr === null) return;
    const m = msg.meta;
    if (m.leaderEpoch !== ls.leaderEpoch) {
      ls.pendingIsr = null; // deposed: the metadata update will make us a follower
      return;
    }
    if (m.partitionEpoch > ls.partitionEpoch) {
      ls.isr = m.isr;
      ls.partitionEpoch = m.partitionEpoch;
    }
    ls.pendingIsr = null;
    this.maybeAdvanceHighWatermark(ctx, msg.partition);
  }
}

const EMPTY_RECORDS: LogRecord[] = [];
