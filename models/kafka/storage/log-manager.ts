// A broker's logs on disk (Kafka's LogManager): one PartitionLog and ProducerStateManager per hosted replica, on
// one disk with its OS page cache (storage/page-cache.ts); recovery at process start (the log end at its last
// batch: log-recovery.ts; the HW from its checkpoint file, producer state rebuilt from the log); flushing by
// log.flush.interval.messages on append, and of the closed segment when a log rolls a new one (UnifiedLog.roll,
// by segment.bytes or segment.ms: storage/log-segments.ts); the HW checkpoint (Kafka's
// ReplicaManager.checkpointHighWatermarks, written through these logs); the background tasks LogManager.startup
// schedules (KafkaScheduler), each first log.initial.task.delay.ms after the process starts (InitialTaskDelayMs,
// 30 s, a constant before 3.8: KAFKA-16552), then every period: the flusher (flushDirtyLogs, every
// log.flush.scheduler.interval.ms, by default Long.MAX_VALUE: it runs once), which fsyncs a log last flushed at
// least flush.ms ago; the retention check every log.retention.check.interval.ms, which deletes closed segments
// older than retention.ms or beyond retention.bytes (UnifiedLog.deleteOldSegments, moving the log start offset,
// so a consumer behind it gets OFFSET_OUT_OF_RANGE); the LogCleaner's thread, which compacts compact-policy logs
// from the process start on, every log.cleaner.backoff.ms while none is dirty enough (storage/log-cleaner.ts);
// and what a power loss or a disk loss takes away.
//
// Not modelled: the recovery-point and log-start-offset checkpoint tasks. What a power loss keeps is what was on
// disk, whatever the recovery-point file says (recovery rescans from it, it does not cut there); and retention
// deletes whole segments, so a restart finds the log start at the first remaining segment whether or not the
// checkpoint caught up.
//
// Durable across a process crash: the logs (the page cache survives a crash, and the kernel keeps writing it back
// while the process is down) and the HW checkpoint. A power loss (and an AZ outage) drops what was still dirty in
// the page cache: records after the flushed offset, which the kernel flusher's passes up to that moment are caught
// up into first; losing an instance-store disk drops everything; an EBS volume survives instance loss (like power loss).
//
// A follower runs its own retention and also adopts the leader's log start offset from fetch responses (ReplicaFetcherThread
// .processPartitionData, from 0.11: KIP-107), never past its own HW. Only segments wholly below the HW are deleted.

import type { NodeContext, NodeFailure } from '../../../src/sim/model.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import type { KafkaMessage } from '../messages.ts';
import { JAVA_LONG_MAX } from '../config/config-entry.ts';
import { LOG_CLEANER_PASS, LOG_FLUSH, LOG_RETENTION_CHECK, PRODUCER_ID_EXPIRATION_CHECK, type KafkaTimer } from '../timers.ts';
import { LogCleaner } from './log-cleaner.ts';
import { logConfigOf, segmentRecordsOf, type LogConfig } from './log-config.ts';
import { LogSegments } from './log-segments.ts';
import { PageCache } from './page-cache.ts';
import type { MemoryRecords } from './log-record-store.ts';
import { PartitionLog } from './partition-log.ts';
import { recoverLogEndOffset } from './log-recovery.ts';
import { ProducerStateManager } from './producer-state-manager.ts';
import { isOlderVersion } from '../version/kafka-versions.ts';
import { keepAsDoubles } from '../../../src/sim/double-fields.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** A timer slot with no timer armed. */
const NO_TIMER = -1;

/** A Kafka long in ms as µs, or null for Long.MAX_VALUE (never). */
function longMsToUs(ms: number): number | null {
  return ms >= JAVA_LONG_MAX ? null : ms * 1000;
}

export class LogManager {
  /** By global partition index; null for partitions this broker does not host. */
  readonly logs: (PartitionLog | null)[];
  /**
   * Per partition, a count of the changes of its log and of its leader state here (Partition, hooked
   * by ReplicaManager.makeLeader): a leader's fetch session skips a partition whose count has not
   * moved since it went quiet (broker/fetch-session.ts).
   */
  readonly changeStamps: Float64Array;
  readonly producerStates: (ProducerStateManager | null)[];
  /**
   * flush.ms of each hosted log in µs, null where it never flushes by time: the topic's, else the
   * broker's log.flush.interval.ms, else log.flush.scheduler.interval.ms (KafkaConfig.logFlushIntervalMs).
   */
  private readonly flushIntervalsUs: (number | null)[];
  /** Whether the flusher can flush any hosted log (it is not armed otherwise: it would do nothing). */
  private readonly flushesByTime: boolean;
  /** The flusher's period (log.flush.scheduler.interval.ms); null: it runs once (Long.MAX_VALUE, or <= 0 as KafkaScheduler reads it). */
  private readonly flushSchedulerIntervalUs: number | null;
  /** log.initial.task.delay.ms (LogManager.InitialTaskDelayMs before 3.8). */
  private readonly initialTaskDelayUs: number;
  /** This process's armed task timers, cancelled by a clean shutdown. */
  private flusherTimer = NO_TIMER;
  private retentionTimer = NO_TIMER;
  private cleanerTimer = NO_TIMER;
  /** When this process's cleaner thread started: it looks at the logs then and every backoff after while it finds nothing to clean. */
  private cleanerStartUs = 0;
  /** log.cleaner.backoff.ms in µs; null when log.cleaner.enable=false or Long.MAX (it never looks again). */
  private readonly cleanerBackoffUs: number | null;
  private producerIdExpirationTimer = NO_TIMER;
  /** The OS page cache of this broker's log disk; it outlives the process (crash, restart). */
  readonly pageCache: PageCache;
  private readonly hosted: readonly number[];
  /** Delete-policy logs with retention to do within the run. */
  private readonly retention: LogConfig[] = [];
  /** Compact-policy logs, for the cleaner thread; empty when log.cleaner.enable=false. */
  private readonly compacted: LogConfig[] = [];
  private readonly retentionCheckUs: number;
  private readonly cleaner: LogCleaner;
  /** By partition: whether the cleaner compacts this broker's log of it. */
  private readonly compactedPartition: boolean[];
  /** One fsync of this broker's log disk, in microseconds (scenario storage.fsyncMs). */
  private readonly fsyncUs: number;
  /**
   * By partition: until when an fsync inside an append holds the log's lock (UnifiedLog.append
   * flushes inside `lock synchronized`), so the next append to that log waits; 0 when free.
   */
  private readonly appendLockedUntilUs: Float64Array;

  constructor(
    private readonly world: KafkaWorld,
    private readonly brokerIndex: number,
    /** Bytes of one __consumer_offsets record, for its segment size. */
    offsetsRecordBytes: number,
  ) {
    const layout = world.layout;
    const n = layout.partitions.length;
    this.hosted = layout.partitionsOfBroker[brokerIndex];
    this.logs = new Array(n).fill(null);
    this.changeStamps = new Float64Array(n);
    this.producerStates = new Array(n).fill(null);
    const storage = world.scenario.brokers[brokerIndex].storage;
    this.pageCache = new PageCache({ dirtyExpireUs: storage.dirtyExpireMs * 1000, dirtyWritebackUs: storage.dirtyWritebackMs * 1000 });
    const bc = world.scenario.brokerConfig;
    const schedulerMs = bc['log.flush.scheduler.interval.ms'];
    this.flushSchedulerIntervalUs = schedulerMs <= 0 ? null : longMsToUs(schedulerMs);
    this.initialTaskDelayUs = bc['log.initial.task.delay.ms'] * 1000;
    this.flushIntervalsUs = new Array(n).fill(null);
    this.fsyncUs = Math.round(storage.fsyncMs * 1000);
    this.appendLockedUntilUs = new Float64Array(n);
    for (const p of this.hosted) {
      const info = layout.partitions[p];
      const segments = new LogSegments(segmentRecordsOf(info, info.internal ? offsetsRecordBytes : world.maxRecordBytes), info.topic.config['log.roll.ms'] * 1000);
      this.logs[p] = new PartitionLog(this.pageCache, world.recordStore, world.versions.brokers[brokerIndex].features, segments, world.versions.brokers[brokerIndex].records);
      this.logs[p].countChangesIn(this.changeStamps, p);
      this.producerStates[p] = new ProducerStateManager(world.protocol.unknownProducerAcceptsAnySequence, !isOlderVersion(world.versions.initialVersion, '1.0'));
      const flushMs = info.topic.config['log.flush.interval.ms'] ?? schedulerMs;
      this.flushIntervalsUs[p] = longMsToUs(flushMs);
    }
    this.flushesByTime = this.hosted.some((p) => this.flushIntervalsUs[p] !== null);
    this.retentionCheckUs = bc['log.retention.check.interval.ms'] * 1000;
    for (const p of this.hosted) {
      const info = layout.partitions[p];
      const config = logConfigOf(info, info.internal ? offsetsRecordBytes : world.maxRecordBytes, world.durationUs);
      if (config === null) continue;
      if (!config.compact) this.retention.push(config);
      else if (bc['log.cleaner.enable']) this.compacted.push(config);
    }
    this.cleaner = new LogCleaner((p, id) => this.keyOf(p, id), n);
    this.compactedPartition = new Array<boolean>(n).fill(false);
    for (const c of this.compacted) this.compactedPartition[c.partition] = true;
    this.cleanerBackoffUs = bc['log.cleaner.enable'] ? longMsToUs(bc['log.cleaner.backoff.ms']) : null;
    keepAsDoubles(this, ['cleanerStartUs']);
  }

  /**
   * Process start: each log ends where its last batch does (log-recovery.ts), the in-memory HW is
   * gone, the checkpoint is what the broker starts from; each loaded log counts as flushed now
   * (LocalLog.lastFlushedTime starts at load).
   */
  startup(ctx: Ctx): void {
    for (const p of this.hosted) {
      const log = this.logs[p]!;
      const from = recoverLogEndOffset(log);
      if (from >= 0) ctx.emit({ type: 'truncate', partition: this.world.layout.partitions[p].name, toOffset: log.logEndOffset, fromOffset: from, removed: [], reason: 'log-recovery' });
      log.updateHighWatermark(Math.min(log.highWatermarkCheckpoint, log.logEndOffset));
      log.loaded(ctx.nowUs);
      this.producerStates[p]!.rebuild(log);
    }
  }

  /**
   * At every start of the process, the background tasks (LogManager.startupWithConfigOverrides):
   * the flusher and the retention check first log.initial.task.delay.ms from now, each only when
   * it has something to do within the run; and the producer id expiration check.
   */
  startTasks(ctx: Ctx): void {
    this.flusherTimer = this.flushesByTime ? ctx.setTimer(this.initialTaskDelayUs, LOG_FLUSH) : NO_TIMER;
    this.retentionTimer = this.retention.length > 0 ? ctx.setTimer(this.initialTaskDelayUs, LOG_RETENTION_CHECK) : NO_TIMER;
    this.cleanerStartUs = ctx.nowUs;
    this.cleanerTimer = NO_TIMER;
    if (this.anyDirtyClosedSegments()) this.armCleaner(ctx);
    this.startProducerIdExpiration(ctx);
  }

  /** The background tasks stop (the process stops). */
  stopTasks(ctx: Ctx): void {
    for (const id of [this.flusherTimer, this.retentionTimer, this.cleanerTimer, this.producerIdExpirationTimer]) if (id !== NO_TIMER) ctx.cancelTimer(id);
    this.flusherTimer = this.retentionTimer = this.cleanerTimer = this.producerIdExpirationTimer = NO_TIMER;
  }

  /** Clean shutdown: the background tasks stop, every log is flushed and its HW checkpointed, as Kafka does. */
  shutdown(ctx: Ctx): void {
    this.stopTasks(ctx);
    for (const p of this.hosted) {
      const log = this.logs[p]!;
      log.flush(ctx.nowUs);
      log.checkpointHighWatermark();
    }
  }

  checkpointHighWatermarks(): void {
    for (const p of this.hosted) this.logs[p]!.checkpointHighWatermark();
  }

  /**
   * After an append: log.flush.interval.messages flushes once that many records are unflushed
   * (UnifiedLog.append), and an append that started a new segment fsyncs the ones before it
   * (UnifiedLog.roll, on the scheduler's thread: it holds nothing up). Every roll flushes, so the
   * active segment's base above the recovery point means this append rolled. Returns how long the
   * append's own fsync takes (us; 0 when it flushed nothing): Kafka fsyncs inside the append,
   * holding the log's lock, so whoever appended waits that long, and so does the log's next append.
   */
  maybeFlush(ctx: Ctx, p: number): number {
    const nowUs = ctx.nowUs;
    const log = this.logs[p]!;
    const leo = log.logEndOffset;
    log.segments.rollBySize(leo);
    if (this.compactedPartition[p]) this.maybeArmCleaner(ctx, p);
    // Kafka counts unflushed messages from its recovery point: the OS writing back does not count.
    if (leo - log.recoveryPoint >= this.world.layout.partitions[p].flushIntervalMessages) {
      log.flush(nowUs, this.fsyncUs);
      this.appendLockedUntilUs[p] = nowUs + this.fsyncUs;
      return this.fsyncUs;
    }
    const activeBase = log.segments.activeBase;
    if (activeBase > log.recoveryPoint) log.rollSegment(activeBase, nowUs);
    return 0;
  }

  /**
   * The cleaner thread's next look at the logs, unless one is due: it looks at its start and then
   * every log.cleaner.backoff.ms while it finds nothing to clean (cleaning takes no time here, so
   * its looks keep that beat). Armed only while a compacted log has dirty closed segments: a look
   * at logs without any cleans nothing and is left out.
   */
  private armCleaner(ctx: Ctx): void {
    if (this.cleanerTimer !== NO_TIMER || this.cleanerBackoffUs === null) return;
    const backoff = this.cleanerBackoffUs;
    const next = backoff === 0 ? ctx.nowUs : this.cleanerStartUs + (Math.floor((ctx.nowUs - this.cleanerStartUs) / backoff) + 1) * backoff;
    this.cleanerTimer = ctx.setTimer(next - ctx.nowUs, LOG_CLEANER_PASS);
  }

  private anyDirtyClosedSegments(): boolean {
    return this.compacted.some((c) => this.cleaner.hasDirtyClosedSegments(this.logs[c.partition]!, c.partition));
  }

  /** After a leader's or follower's append to compacted partition p: the cleaner is due once its log has a dirty closed segment. */
  private maybeArmCleaner(ctx: Ctx, p: number): void {
    if (this.cleanerTimer !== NO_TIMER) return;
    if (this.cleaner.hasDirtyClosedSegments(this.logs[p]!, p)) this.armCleaner(ctx);
  }

  /**
   * The cleaner thread's look (CleanerThread.doWork): compacts every log dirty enough, filthiest
   * first (the order does not matter: cleaning takes no time), then sleeps log.cleaner.backoff.ms
   * while a log still has dirty closed segments.
   */
  cleanerPass(ctx: Ctx): void {
    this.cleanerTimer = NO_TIMER;
    for (const config of this.compacted) this.compact(ctx, config);
    if (this.anyDirtyClosedSegments()) this.armCleaner(ctx);
  }

  /** Until when an fsync inside an append holds partition p's log (UnifiedLog's lock); at most nowUs when free. */
  appendLockedUntil(p: number): number {
    return this.appendLockedUntilUs[p];
  }

  /**
   * Before an append whose newest record is stamped newestUs: segment.ms's roll
   * (UnifiedLog.maybeRoll), measured from the active segment's first batch.
   */
  maybeRoll(p: number, newestUs: number): void {
    const log = this.logs[p]!;
    // No record is older than the store's oldest: within segment.ms of it (a run shorter than
    // log.roll.ms, 7 days by default), nothing rolls, and the active segment's first record (a
    // cache miss an append) need not be read. Not when that bound is NaN: then the rule decides.
    if (newestUs - log.store.oldestAppendUs <= log.segments.rollUs) return;
    const leo = log.logEndOffset;
    const active = log.segments.activeBase;
    if (leo > active) log.segments.maybeRollByTime(leo, log.appendUsAt(active), newestUs);
  }

  /**
   * The flusher task (LogManager.flushDirtyLogs): fsyncs every log last flushed at least flush.ms
   * ago; it runs again log.flush.scheduler.interval.ms later, if ever.
   */
  flushDirtyLogs(ctx: Ctx): void {
    const nowUs = ctx.nowUs;
    this.flusherTimer = this.flushSchedulerIntervalUs === null ? NO_TIMER : ctx.setTimer(this.flushSchedulerIntervalUs, LOG_FLUSH);
    for (const p of this.hosted) {
      const interval = this.flushIntervalsUs[p];
      const log = this.logs[p]!;
      // on the scheduler's thread, outside the append lock (UnifiedLog.flush): durable when it completes
      if (interval !== null && nowUs - log.lastFlushUs >= interval) log.flush(nowUs, this.fsyncUs);
    }
  }

  /** What the process going down takes away: nothing on a crash, the page cache or the disk otherwise. */
  onDown(ctx: Ctx, failure: NodeFailure): void {
    this.appendLockedUntilUs.fill(0); // the process that held a log's lock is gone
    if (failure.kind === 'crash') return; // the page cache survives a process crash
    this.pageCache.catchUp(ctx.nowUs); // what the flusher wrote back until now is on disk
    const instanceStore = this.world.scenario.brokers[this.brokerIndex].storage.type === 'instance-store';
    const wipe = failure.kind === 'disk-loss' && instanceStore;
    const cause = failure.kind === 'disk-loss' ? 'disk-loss' : 'power-loss';
    for (const p of this.hosted) {
      const log = this.logs[p]!;
      const from = log.logEndOffset;
      const removed = wipe ? log.loseAll() : log.loseUnflushed(ctx.nowUs);
      if (removed.length === 0) continue;
      if (cause === 'disk-loss') this.world.stats.recordsLostDiskLoss += removed.length;
      else this.world.stats.recordsLostPowerLoss += removed.length;
      ctx.emit({ type: 'log-lost', partition: this.world.layout.partitions[p].name, fromOffset: from, toOffset: log.logEndOffset, removed, cause });
    }
    this.pageCache.lose();
  }

  /**
   * KIP-854: arms the producer id expiration check (every producer.id.expiration.check.interval.ms),
   * only when an id could expire within the run.
   */
  private startProducerIdExpiration(ctx: Ctx): void {
    const bc = this.world.scenario.brokerConfig;
    this.producerIdExpirationTimer =
      bc['producer.id.expiration.ms'] * 1000 < this.world.durationUs ? ctx.setTimer(bc['producer.id.expiration.check.interval.ms'] * 1000, PRODUCER_ID_EXPIRATION_CHECK) : NO_TIMER;
  }

  /** The expiration check: every hosted partition forgets producer ids idle for producer.id.expiration.ms. */
  removeExpiredProducers(ctx: Ctx): void {
    const bc = this.world.scenario.brokerConfig;
    this.producerIdExpirationTimer = ctx.setTimer(bc['producer.id.expiration.check.interval.ms'] * 1000, PRODUCER_ID_EXPIRATION_CHECK);
    for (const p of this.hosted) this.producerStates[p]!.removeExpiredProducers(ctx.nowUs, bc['producer.id.expiration.ms'] * 1000);
  }

  /** The retention check (LogManager.cleanupLogs, every log.retention.check.interval.ms): delete-policy logs' old segments. */
  cleanupLogs(ctx: Ctx): void {
    this.retentionTimer = ctx.setTimer(this.retentionCheckUs, LOG_RETENTION_CHECK);
    for (const config of this.retention) this.deleteOldSegments(ctx, config);
  }

  private deleteOldSegments(ctx: Ctx, config: LogConfig): void {
    const log = this.logs[config.partition]!;
    const start = retainedLogStartOffset(log, config, ctx.nowUs);
    if (!log.maybeIncrementLogStartOffset(start)) return;
    this.truncateProducerStateHead(config.partition, start);
    this.world.stats.retentionDeletes++;
    ctx.emit({ type: 'retention', partition: this.world.layout.partitions[config.partition].name, logStartOffset: start });
  }

  private compact(ctx: Ctx, config: LogConfig): void {
    const result = this.cleaner.maybeClean(this.logs[config.partition]!, config);
    if (result === null) return;
    this.world.stats.recordsCompacted += result.removed;
    ctx.emit({ type: 'compaction', partition: this.world.layout.partitions[config.partition].name, cleanedTo: result.cleanedTo, removed: result.removed });
  }

  private keyOf(partition: number, id: number): string | null {
    const world = this.world;
    if (world.layout.partitions[partition].internal) {
      const key = world.offsetsRecords.compactionKey(id);
      if (key === undefined) throw new Error(`__consumer_offsets record ${id} has no payload`);
      return key;
    }
    return world.recordKeys?.get(id) ?? null;
  }

  /**
   * Before KAFKA-7190 (2.4), Log.maybeIncrementLogStartOffset -> ProducerStateManager.truncateHead:
   * a producer whose last batch is below the new log start offset is forgotten (its next sequence
   * above 0 is then UNKNOWN_PRODUCER_ID). Since 2.4 the state stays until the id expires.
   */
  private truncateProducerStateHead(p: number, logStartOffset: number): void {
    if (isOlderVersion(this.world.versions.brokers[this.brokerIndex].software, '2.4')) this.producerStates[p]!.truncateHead(logStartOffset);
  }

  /**
   * The log start offset moves to `to` (UnifiedLog.maybeIncrementLogStartOffset): by a DeleteRecords
   * request on the leader, or on a follower to the leader's (LogStartOffsetIncrementReason
   * ClientRecordDeletion, LeaderOffsetIncremented).
   */
  maybeIncrementLogStartOffset(ctx: Ctx, p: number, to: number, cause: 'delete-records' | 'leader'): void {
    const log = this.logs[p]!;
    if (!log.maybeIncrementLogStartOffset(to)) return;
    this.truncateProducerStateHead(p, to);
    ctx.emit({ type: 'retention', partition: this.world.layout.partitions[p].name, logStartOffset: to, cause });
  }

  /**
   * StopReplica with delete=true: the replica's log and its checkpoints are deleted
   * (LogManager.asyncDelete); a later reassignment back here starts from an empty log.
   * Emits stop-replica when there was a replica to stop (held, a role, or records).
   */
  deleteLog(ctx: Ctx, p: number, hadRole: boolean): void {
    const log = this.logs[p]!;
    const leo = log.logEndOffset;
    if (!hadRole && leo === 0) return;
    log.loseAll();
    this.cleaner.forget(p);
    this.producerStates[p]!.rebuild(log);
    ctx.emit({ type: 'stop-replica', partition: this.world.layout.partitions[p].name, logEndOffset: leo });
  }

  /**
   * The replica's log was truncated to logEndOffset (UnifiedLog.truncateTo): its producer state is
   * rebuilt, and the cleaner's checkpoint comes down to it (LogCleaner.maybeTruncateCheckpoint).
   */
  truncated(p: number, logEndOffset: number): void {
    this.producerStates[p]!.rebuild(this.logs[p]!);
    this.cleaner.truncated(p, logEndOffset);
  }

  /** Appends records a follower fetched at fetchOffset (UnifiedLog.appendAsFollower), one append event per leader-epoch run; returns its fsync time (us). */
  appendAsFollower(ctx: Ctx, p: number, fetchOffset: number, records: MemoryRecords): number {
    const log = this.logs[p]!;
    const ps = this.producerStates[p]!;
    const name = this.world.layout.partitions[p].name;
    const store = records.store!;
    if (records.length > 0) this.maybeRoll(p, store.appendUs(records.ref(records.length - 1)));
    let runStart = 0;
    for (let i = 0; i <= records.length; i++) {
      if (i < records.length && records.epoch(i) === records.epoch(runStart)) continue;
      const ids = new Array<number>(i - runStart);
      const base = fetchOffset + runStart;
      for (let j = runStart; j < i; j++) {
        ids[j - runStart] = records.id(j);
        ps.updateFromStored(store, records.ref(j), base + j - runStart);
      }
      log.appendAsFollower(base, records, runStart, i, ctx.nowUs);
      ctx.emit({ type: 'append', partition: name, role: 'follower', baseOffset: base, leaderEpoch: records.epoch(runStart), records: ids });
      this.world.stats.appendsFollower++;
      runStart = i;
    }
    return this.maybeFlush(ctx, p);
  }
}

/**
 * The log start offset retention allows now: past every closed segment, wholly below the HW, whose
 * last record is older than retention.ms or whose deletion leaves at least retention.bytes.
 */
export function retainedLogStartOffset(log: PartitionLog, config: LogConfig, nowUs: number): number {
  const leo = log.logEndOffset;
  const activeBase = log.segments.activeBase;
  let start = log.logStartOffset;
  while (start < activeBase) {
    const segmentEnd = log.segments.segmentEnd(start);
    if (segmentEnd > log.highWatermark) break;
    const byTime = config.retentionUs >= 0 && nowUs - log.appendUsAt(segmentEnd - 1) > config.retentionUs;
    const byBytes = config.retentionBytes >= 0 && (leo - segmentEnd) * config.recordBytes >= config.retentionBytes;
    if (!byTime && !byBytes) break;
    start = segmentEnd;
  }
  return start;
}
