// Kafka's DelayedFetch and its purgatory, on a partition leader, for both kinds of fetch
// ReplicaManager.fetchMessages serves:
// - follower fetches read up to the LEO; a follower with nothing new to read is parked up to
//   replica.fetch.wait.max.ms and woken by the next append to one of its partitions (one parked
//   fetch per follower broker: its fetch session);
// - consumer fetches (read_uncommitted) read up to the high watermark, held until fetch.min.bytes
//   is available or fetch.max.wait.ms passes, woken when the HW moves. Not the leader:
//   NOT_LEADER_OR_FOLLOWER; in the 'current' era a stale or future current leader epoch is fenced
//   (KIP-320: FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH); an offset below the log start offset or
//   above the log end offset: OFFSET_OUT_OF_RANGE, for followers too (Log.read / UnifiedLog.read's
//   OffsetOutOfRangeException in ReplicaManager.readFromLocalLog; the answer carries the log start
//   offset, standing for the follower's ListOffsets EARLIEST: ReplicaFetcherThread.handleOffsetOutOfRange).
//
// A follower fetch is served in whole batches from the start of the batch holding its fetch offset
// (storage/record-batches.ts). Simplifications: records carry no bytes, so a follower fetch returns
// at most fetchMaxRecords per partition and a consumer's byte count is records times the largest
// producer record size; one parked fetch per consumer node; no fetch from followers (no KIP-392).
// Fetch sessions (KIP-227, 1.1+): fetch-session-cache.ts, for followers and consumers alike.
// A parked fetch does not set and cancel a timer of its own: as the purgatory's expiration reaper
// (DelayedOperationPurgatory, SystemTimer) expires what is due, one timer per follower and one for
// the consumer fetches is armed at the earliest wait's end (clients/request-deadline-timers.ts).

import type { NodeContext } from '../../../src/sim/model.ts';
import { batchBaseAt, endPastGaps, gapsOnly, wholeBatchEnd } from '../storage/record-batches.ts';
import { EARLIEST_OFFSET, LATEST_OFFSET, NOT_LEADER_OR_FOLLOWER, OFFSET_OUT_OF_RANGE, type ConsumerFetchPartitionData, type ConsumerFetchRequest, type FetchPartition, type FetchPartitionData, type FetchRequest, type KafkaMessage } from '../messages.ts';
import { contains } from '../controller/metadata-image.ts';
import { MemoryRecords } from '../storage/log-record-store.ts';
import { UNDEFINED_EPOCH, type PartitionLog } from '../storage/partition-log.ts';
import type { KafkaTimer } from '../timers.ts';
import { RequestDeadlineTimers } from '../clients/request-deadline-timers.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import { ReplicationQuotaManager } from './replication-quota-manager.ts';
import type { Partition } from './partition.ts';
import { FetchSessionCache } from './fetch-session-cache.ts';
import type { FetchSession } from './fetch-session.ts';
import { atLeastVersion } from '../version/kafka-versions.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** What fetch serving reads of its ReplicaManager. */
interface FetchReplicaAccess {
  /** The partition if this broker leads it, else null. */
  leaderPartition(partition: number): Partition | null;
  /** This broker's replica of partition, null when it hosts none. */
  localLog(partition: number): PartitionLog | null;
}

interface DelayedFetchSetup {
  /** Node of each broker, where follower fetch responses go. */
  readonly brokerNode: readonly number[];
  /** Max records one follower fetch returns per partition (replica.fetch.max.bytes / record size). */
  readonly fetchMaxRecords: number;
  /** Bytes one record stands for in fetch.min.bytes. */
  readonly maxRecordBytes: number;
  readonly stats: { consumerFetchRequests: number };
  /** KIP-73: this broker's leader quota (leader.replication.throttled.rate); null: nothing throttled. */
  readonly leaderQuota?: ReplicationQuotaManager;
  /** KIP-227: whether this broker's software keeps fetch sessions (1.1+); absent: it does not. */
  readonly keepsFetchSessions?: () => boolean;
  /** Partitions of the cluster (sizes the session cache). */
  readonly partitionCount?: number;
  /** The broker's change count per partition (LogManager.changeStamps): sessions skip partitions where nothing changed; absent: they skip none. */
  readonly changeStamps?: Float64Array;
  /** KIP-107: whether responses carry the leader's log start offset (Fetch v5, inter.broker.protocol.version 0.11); absent: they do not. */
  readonly sendsLogStartOffset?: () => boolean;
}

interface ParkedConsumerFetch {
  from: number;
  req: ConsumerFetchRequest;
  /** When fetch.max.wait.ms ends for it. */
  deadlineUs: number;
}

/** The one key of the consumer fetches' wait timer. */
const CONSUMERS = 0;
const CONSUMER_FETCH_WAIT: readonly KafkaTimer[] = [{ type: 'consumer-fetch-wait' }];

export class DelayedFetchPurgatory {
  /** The parked fetch of each follower broker and when its wait ends (Infinity: not waiting). */
  private readonly followerFetch: (FetchRequest | null)[];
  private readonly followerWaitUntilUs: Float64Array;
  private readonly followerWaitTimers: RequestDeadlineTimers<KafkaTimer>;
  private consumerFetches: ParkedConsumerFetch[] = [];
  private readonly consumerWaitTimer = new RequestDeadlineTimers(1, CONSUMER_FETCH_WAIT);
  /** KIP-227: the fetch sessions (followers' and consumers') this broker keeps as a leader. */
  private readonly sessions: FetchSessionCache;

  /** The purgatory of a broker of `world` (fetch sizes from its replica.fetch.max.bytes). */
  static forBroker(world: KafkaWorld, brokerIndex: number, replicas: FetchReplicaAccess, changeStamps: Float64Array): DelayedFetchPurgatory {
    const throttles = world.layout.leaderThrottles[brokerIndex];
    const version = world.versions.brokers[brokerIndex];
    const setup: DelayedFetchSetup = {
      ...(throttles.length === 0 ? {} : { leaderQuota: new ReplicationQuotaManager(throttles) }),
      // FetchSessionCache is a broker's since 1.1 (KIP-227), whatever the follower's protocol level.
      keepsFetchSessions: atLeastVersion(() => version.software, '1.1'),
      sendsLogStartOffset: atLeastVersion(() => version.protocolLevel, '0.11'),
      partitionCount: world.layout.partitions.length,
      changeStamps,
      brokerNode: world.layout.brokerNode,
      fetchMaxRecords: world.fetchMaxRecords,
      maxRecordBytes: world.maxRecordBytes,
      stats: world.stats,
    };
    return new DelayedFetchPurgatory(setup, replicas);
  }

  constructor(
    private readonly setup: DelayedFetchSetup,
    private readonly replicas: FetchReplicaAccess,
  ) {
    this.followerFetch = new Array(setup.brokerNode.length).fill(null);
    this.followerWaitUntilUs = new Float64Array(setup.brokerNode.length).fill(Infinity);
    this.followerWaitTimers = new RequestDeadlineTimers(setup.brokerNode.length, setup.brokerNode.map((_, follower): KafkaTimer => ({ type: 'fetch-wait', follower })));
    this.sessions = new FetchSessionCache(setup.partitionCount ?? 0, setup.changeStamps ?? null);
  }

  /** Forgets every parked fetch (process start). */
  reset(): void {
    this.followerFetch.fill(null);
    this.followerWaitUntilUs.fill(Infinity);
    this.followerWaitTimers.clear();
    this.consumerFetches = [];
    this.consumerWaitTimer.clear();
    this.sessions.reset();
  }

  /** Clean shutdown: every parked fetch is answered now, with what the logs have. */
  completeAll(ctx: Ctx): void {
    for (let f = 0; f < this.followerFetch.length; f++) {
      if (this.followerFetch[f] === null || this.followerWaitUntilUs[f] === Infinity) continue;
      this.completeFollowerFetch(ctx, f);
    }
    const parked = this.consumerFetches;
    this.consumerFetches = [];
    for (const f of parked) this.respondToConsumer(ctx, f);
  }

  /**
   * The broker stopped leading `partition` (or leads it in a new epoch): parked fetches that
   * include it complete now, as DelayedFetch.tryComplete does on NOT_LEADER_OR_FOLLOWER.
   */
  completeFetchesOf(ctx: Ctx, partition: number): void {
    for (let f = 0; f < this.followerFetch.length; f++) {
      const req = this.followerFetch[f];
      if (req === null || this.followerWaitUntilUs[f] === Infinity || !req.parts.some((part) => part.partition === partition)) continue;
      this.completeFollowerFetch(ctx, f);
    }
    if (this.consumerFetches.length === 0) return;
    const ready = this.consumerFetches.filter((f) => f.req.parts.some((part) => part.partition === partition));
    if (ready.length === 0) return;
    this.consumerFetches = this.consumerFetches.filter((f) => !ready.includes(f));
    for (const f of ready) this.respondToConsumer(ctx, f);
  }

  /**
   * The error a fetch of partition at currentLeaderEpoch gets, or null. A follower fetch (follower
   * >= 0) from a broker that is not one of the replicas (a reassignment removed it, or the leader
   * has not learned that one added it) is refused as Partition.followerReplicaOrThrow does.
   */
  fetchError(partition: number, currentLeaderEpoch: number, follower = -1): string | null {
    const leader = this.replicas.leaderPartition(partition);
    if (leader === null) return NOT_LEADER_OR_FOLLOWER;
    if (follower >= 0 && !contains(leader.replicas, follower)) return NOT_LEADER_OR_FOLLOWER;
    // KIP-320: checked when the request carries an epoch (Fetch v9+, OffsetsForLeaderEpoch v2+):
    // the sender's protocol level decides, as every broker runs software that checks it by then.
    return leader.checkCurrentLeaderEpoch(currentLeaderEpoch, currentLeaderEpoch >= 0);
  }

  /**
   * KAFKA-10554's leader side (Partition.readRecords, 2.7+): a follower fetch naming its last
   * fetched epoch diverges from this leader's log when the leader's largest epoch at or below it is
   * older, or ends before the fetch offset; the answer is that epoch and its end, with no records
   * and no update of the follower's state. (The leader's own epoch is always cached from
   * makeLeader on, so the epoch asked about is never past it: Kafka's OFFSET_OUT_OF_RANGE for an
   * unknown epoch is not modelled.)
   */
  divergingEpoch(partition: number, part: FetchPartition): { epoch: number; endOffset: number } | null {
    const fetchEpoch = part.lastFetchedEpoch;
    if (fetchEpoch === undefined || fetchEpoch < 0) return null;
    const e = this.replicas.localLog(partition)!.endOffsetForEpoch(fetchEpoch);
    return e.epoch !== UNDEFINED_EPOCH && (e.epoch < fetchEpoch || e.endOffset < part.fetchOffset) ? e : null;
  }

  /** Whether a fetch at fetchOffset is out of partition's log (UnifiedLog.read: below the log start or past the LEO). */
  outOfRange(partition: number, fetchOffset: number): boolean {
    const log = this.replicas.localLog(partition)!;
    return fetchOffset > log.logEndOffset || fetchOffset < log.logStartOffset;
  }

  // ---- follower fetches ----

  /**
   * KIP-227 (FetchSessionCache.newContext): the fetch of node `client` to serve, every partition
   * of its session, or the session error to answer at once with (the request named a session this
   * broker no longer has, or another epoch). A broker before 1.1 ignores sessions.
   */
  private sessionContext<R extends FetchRequest | ConsumerFetchRequest>(client: number, req: R): R | string {
    if (req.sessionEpoch === undefined || this.setup.keepsFetchSessions?.() !== true) return req.sessionId === undefined ? req : { ...req, sessionId: undefined };
    return this.sessions.newContext(client, req);
  }

  /** The follower fetch to serve (sessionContext); null when it was answered with a session error. */
  openFetchSession(ctx: Ctx, req: FetchRequest): FetchRequest | null {
    const node = this.setup.brokerNode[req.broker];
    const served = this.sessionContext(node, req);
    if (typeof served !== 'string') return served;
    ctx.reply(node, { type: 'fetch-response', requestId: req.requestId, error: served, parts: [] });
    return null;
  }

  /**
   * The session of a follower fetch about to be served (ReplicaManager.fetchMessages skips its
   * quiet partitions), its serving begun; null for a sessionless fetch. Call endServe after.
   */
  servingSession(nowUs: number, req: FetchRequest): FetchSession | null {
    const session = this.sessions.sessionFor(req);
    if (session === null || session.parts !== req.parts) return null;
    session.beginServe(nowUs, req.brokerEpoch ?? -1);
    return session;
  }

  /** Before the ISR shrink task reads follower times: those quiet partitions keep are written back. */
  syncFollowerTimes(): void {
    this.sessions.syncFollowerTimes();
  }

  /** Replaces the follower's parked fetch by req: answered now, or parked up to waitUs. */
  completeOrWatchFollowerFetch(ctx: Ctx, req: FetchRequest, respondNow: boolean, waitUs: number): void {
    const follower = req.broker;
    this.followerFetch[follower] = req;
    this.followerWaitUntilUs[follower] = Infinity;
    if (respondNow) return this.completeFollowerFetch(ctx, follower);
    const untilUs = ctx.nowUs + Math.round(waitUs);
    this.followerWaitUntilUs[follower] = untilUs;
    this.followerWaitTimers.arm(ctx, follower, untilUs);
  }

  /** The wait timer of follower: replica.fetch.wait.max.ms passed for its parked fetch, or the timer waits for the fetch parked since. */
  onFollowerFetchWait(ctx: Ctx, follower: number): void {
    this.followerWaitTimers.fired(follower);
    const untilUs = this.followerWaitUntilUs[follower];
    if (this.followerFetch[follower] === null || untilUs === Infinity) return;
    if (untilUs <= ctx.nowUs) this.completeFollowerFetch(ctx, follower);
    else this.followerWaitTimers.arm(ctx, follower, untilUs);
  }

  /** New records in partition: answer the parked fetches of its replicas that include it. */
  tryCompleteFollowerFetches(ctx: Ctx, partition: number, replicas: readonly number[]): void {
    for (const r of replicas) {
      const req = this.followerFetch[r];
      if (req === null || this.followerWaitUntilUs[r] === Infinity) continue;
      if (this.partOf(req, partition) !== undefined && !this.leaderThrottles(ctx.nowUs, partition, r)) this.completeFollowerFetch(ctx, r);
    }
  }

  /** What a parked fetch asks of partition (undefined: it does not fetch it; its session knows without a walk). */
  private partOf(req: FetchRequest | ConsumerFetchRequest, partition: number): FetchPartition | undefined {
    const session = this.sessions.sessionFor(req);
    return session !== null && session.parts === req.parts ? session.partOf(partition) : req.parts.find((part) => part.partition === partition);
  }

  private completeFollowerFetch(ctx: Ctx, follower: number): void {
    const req = this.followerFetch[follower]!;
    this.followerFetch[follower] = null;
    this.followerWaitUntilUs[follower] = Infinity;
    const session = this.sessions.sessionFor(req);
    // A parked fetch is served over its session's partitions as they are (quiet ones skipped).
    const quietSkipped = session !== null && session.parts === req.parts ? session : null;
    const parts: FetchPartitionData[] = [];
    const maxRecords = this.setup.fetchMaxRecords;
    for (let i = 0; i < req.parts.length; i++) {
      if (quietSkipped !== null && quietSkipped.isQuietAt(i)) continue;
      const part = req.parts[i];
      const p = part.partition;
      const error = this.fetchError(p, part.currentLeaderEpoch, follower);
      const log = this.replicas.localLog(p)!;
      const leo = log.logEndOffset;
      // Partition.readRecords checks for divergence before it reads (a diverged follower may be past the LEO).
      const diverging = error === null ? this.divergingEpoch(p, part) : null;
      if (error !== null || diverging !== null || this.outOfRange(p, part.fetchOffset)) {
        this.answerUnread(part, log, error ?? (diverging === null ? OFFSET_OUT_OF_RANGE : null), diverging, session, parts);
        continue;
      }
      let end = Math.min(leo, part.fetchOffset + maxRecords);
      if (this.setup.leaderQuota !== undefined) end = this.setup.leaderQuota.throttledEnd(ctx.nowUs, p, this.replicas.leaderPartition(p), follower, part.fetchOffset, end, this.setup.maxRecordBytes);
      // LogSegment.read serves whole batches, from the start of the one holding fetchOffset (translateOffset), none of them empty offsets.
      const from = end > part.fetchOffset ? batchBaseAt(log, part.fetchOffset, log.segments.segmentBase(part.fetchOffset)) : part.fetchOffset;
      if (end > part.fetchOffset) end = endPastGaps(log, from, wholeBatchEnd(log, from, end), leo);
      const records = end > part.fetchOffset ? end - part.fetchOffset : 0;
      // KIP-227: an incremental response lists a partition only when something in it changed.
      if (session !== null) {
        const must = session.mustRespond(p, records, null, log.highWatermark, log.logStartOffset);
        if (quietSkipped !== null && this.setup.leaderQuota === undefined) quietSkipped.maybeGoQuiet(p, this.replicas.leaderPartition(p)!, log);
        if (!must) continue;
      }
      parts.push(this.partitionData(part, log, null, records > 0 ? log.read(from, end) : MemoryRecords.EMPTY, records > 0 && from < part.fetchOffset ? from : undefined, undefined));
    }
    // Two literals rather than a spread of the session id: a spread after other properties is a runtime call per response.
    const to = this.setup.brokerNode[follower];
    if (session === null) ctx.reply(to, { type: 'fetch-response', requestId: req.requestId, parts });
    else ctx.reply(to, { type: 'fetch-response', requestId: req.requestId, sessionId: req.sessionId, parts });
  }

  /**
   * The answer for a partition a follower fetch does not read (rare, so kept out of the hot loop
   * above, which TurboFan would otherwise compile again when it first happens): its error, or its
   * diverging epoch (KAFKA-10554), with no records; listed unless a session already sent the same.
   */
  private answerUnread(part: FetchPartition, log: PartitionLog, error: string | null, diverging: { epoch: number; endOffset: number } | null, session: FetchSession | null, parts: FetchPartitionData[]): void {
    // KIP-227: an error or a divergence is always listed.
    if (session !== null && !session.mustRespond(part.partition, 0, error, log.highWatermark, log.logStartOffset) && diverging === null) return;
    parts.push(this.partitionData(part, log, error, MemoryRecords.EMPTY, undefined, diverging ?? undefined));
  }

  /** One partition of a follower fetch response, every field set (one object shape for every response part). */
  private partitionData(part: FetchPartition, log: PartitionLog, error: string | null, records: MemoryRecords, recordsBaseOffset: number | undefined, divergingEpoch: { epoch: number; endOffset: number } | undefined): FetchPartitionData {
    return {
      partition: part.partition,
      error,
      fetchOffset: part.fetchOffset,
      highWatermark: log.highWatermark,
      logEndOffset: log.logEndOffset,
      records,
      // The log start offset stands for the follower's ListOffsets EARLIEST after OFFSET_OUT_OF_RANGE (ReplicaFetcherThread.handleOffsetOutOfRange).
      logStartOffset: log.logStartOffset > 0 && (error === OFFSET_OUT_OF_RANGE || this.setup.sendsLogStartOffset?.() === true) ? log.logStartOffset : undefined,
      recordsBaseOffset,
      divergingEpoch,
    };
  }

  /** KIP-73: whether partition's records are withheld from follower now (ReplicationQuotaManager.shouldLeaderThrottle). */
  leaderThrottles(nowUs: number, partition: number, follower: number): boolean {
    const quota = this.setup.leaderQuota;
    return quota !== undefined && quota.shouldLeaderThrottle(nowUs, partition, this.replicas.leaderPartition(partition), follower);
  }

  // ---- consumer fetches ----

  /** A consumer fetch: answered now on an error, without a wait or with enough bytes; else parked. */
  fetchForConsumer(ctx: Ctx, from: number, request: ConsumerFetchRequest): void {
    const req = this.sessionContext(from, request);
    if (typeof req === 'string') return ctx.reply(from, { type: 'consumer-fetch-response', requestId: request.requestId, error: req, parts: [] });
    const parked = this.consumerFetches;
    for (let i = 0; i < parked.length; i++)
      if (parked[i].from === from) {
        parked.splice(i, 1);
        break;
      }
    const f: ParkedConsumerFetch = { from, req, deadlineUs: ctx.nowUs + Math.round(req.maxWaitUs) };
    if (req.maxWaitUs === 0 || this.errorOrMinBytes(req)) return this.respondToConsumer(ctx, f);
    this.consumerWaitTimer.arm(ctx, CONSUMERS, f.deadlineUs);
    parked.push(f);
  }

  /** The consumer fetches' wait timer: those whose fetch.max.wait.ms passed are answered (earliest first); it waits for the next. */
  onConsumerFetchWait(ctx: Ctx): void {
    for (const f of this.consumerWaitTimer.takeDue(ctx, CONSUMERS, this.consumerFetches)) this.respondToConsumer(ctx, f);
  }

  /** The HW of partition moved: answer the parked consumer fetches that now have enough. */
  tryCompleteConsumerFetches(ctx: Ctx, partition: number): void {
    if (this.consumerFetches.length === 0) return;
    let kept = 0;
    const ready: ParkedConsumerFetch[] = [];
    for (const f of this.consumerFetches) {
      const moved = this.partOf(f.req, partition);
      if (moved !== undefined && this.hasMinBytes(f.req, moved)) ready.push(f);
      else this.consumerFetches[kept++] = f;
    }
    this.consumerFetches.length = kept;
    for (const f of ready) this.respondToConsumer(ctx, f);
  }

  private resolveOffset(partition: number, fetchOffset: number): number {
    const log = this.replicas.localLog(partition)!;
    if (fetchOffset === EARLIEST_OFFSET) return log.logStartOffset;
    if (fetchOffset === LATEST_OFFSET) return log.highWatermark;
    return fetchOffset;
  }

  private consumerFetchError(partition: number, fetchOffset: number, currentLeaderEpoch: number): string | null {
    const leader = this.replicas.leaderPartition(partition);
    if (leader === null) return NOT_LEADER_OR_FOLLOWER;
    const fenced = leader.checkCurrentLeaderEpoch(currentLeaderEpoch, currentLeaderEpoch >= 0);
    if (fenced !== null) return fenced;
    const log = this.replicas.localLog(partition)!;
    const offset = this.resolveOffset(partition, fetchOffset);
    if (offset < log.logStartOffset || offset > log.logEndOffset) return OFFSET_OUT_OF_RANGE;
    return null;
  }

  /** Whether req's partitions have fetch.min.bytes to return (counted until they do), `moved`'s (its HW moved) first: the sum is the same in any order. */
  private hasMinBytes(req: ConsumerFetchRequest, moved: FetchPartition): boolean {
    const bytes = this.setup.maxRecordBytes;
    let records = this.recordsToReturn(req, moved);
    for (let i = -1; i < req.parts.length; i++) {
      if (i >= 0 && req.parts[i] !== moved) records += this.recordsToReturn(req, req.parts[i]);
      if (records * bytes >= req.minBytes) return true;
    }
    return false;
  }

  /** Whether a new consumer fetch is answered at once: an error in a partition, or fetch.min.bytes there (one pass). */
  private errorOrMinBytes(req: ConsumerFetchRequest): boolean {
    let records = 0;
    for (const part of req.parts) {
      if (this.consumerFetchError(part.partition, part.fetchOffset, part.currentLeaderEpoch) !== null) return true;
      records += this.recordsToReturn(req, part, false);
    }
    return records * this.setup.maxRecordBytes >= req.minBytes;
  }

  /** The records a consumer fetch would return of part now (0 on an error; checkError false: it has none). */
  private recordsToReturn(req: ConsumerFetchRequest, part: FetchPartition, checkError = true): number {
    if (checkError && this.consumerFetchError(part.partition, part.fetchOffset, part.currentLeaderEpoch) !== null) return 0;
    const log = this.replicas.localLog(part.partition)!;
    const from = this.resolveOffset(part.partition, part.fetchOffset);
    return log.highWatermark > from && !gapsOnly(log, from, log.highWatermark) ? Math.min(log.highWatermark - from, req.maxRecordsPerPartition) : 0;
  }

  private respondToConsumer(ctx: Ctx, f: ParkedConsumerFetch): void {
    const req = f.req;
    const session = this.sessions.sessionFor(req);
    const parts: ConsumerFetchPartitionData[] = [];
    for (let i = 0; i < req.parts.length; i++) {
      const part = req.parts[i];
      const p = part.partition;
      const error = this.consumerFetchError(p, part.fetchOffset, part.currentLeaderEpoch);
      const log = this.replicas.localLog(p);
      const offset = error === null ? this.resolveOffset(p, part.fetchOffset) : part.fetchOffset;
      const end = error === null ? endPastGaps(log!, offset, Math.min(log!.highWatermark, offset + req.maxRecordsPerPartition), log!.highWatermark) : offset;
      const highWatermark = log === null ? -1 : log.highWatermark;
      const logStartOffset = log === null ? -1 : log.logStartOffset;
      // KIP-227: an incremental response lists a partition only when something in it changed. An
      // offset reset (EARLIEST / LATEST) always gets its answer: it stands for Kafka's ListOffsets.
      const changed = session === null || session.mustRespond(p, end - offset, error, highWatermark, logStartOffset);
      if (!changed && part.fetchOffset >= 0) continue;
      parts.push({ partition: p, error, fetchOffset: offset, highWatermark, logStartOffset, records: end > offset ? log!.read(offset, end) : MemoryRecords.EMPTY });
    }
    this.setup.stats.consumerFetchRequests++;
    if (session === null) ctx.reply(f.from, { type: 'consumer-fetch-response', requestId: req.requestId, parts });
    else ctx.reply(f.from, { type: 'consumer-fetch-response', requestId: req.requestId, sessionId: req.sessionId, parts });
  }
}
