// The follower side of replication on one broker (Kafka's ReplicaFetcherThread with the loop of
// AbstractFetcherThread): one fetch session per leader broker covering every partition this
// broker follows from it (one request in flight per pair, the leader long-polls it up to
// replica.fetch.wait.max.ms), and the truncation a follower does before it fetches, by the
// protocol's capabilities (version/protocol-features.ts):
// - without truncationByLeaderEpoch (before 0.11, KIP-101): the follower truncates to its high
//   watermark on becoming follower (ReplicaManager.makeFollower does it) and enters Fetching at
//   once; a fetch past the leader's LEO (OFFSET_OUT_OF_RANGE) truncates to the leader's LEO; one
//   below the leader's log start starts the log again there (handleOffsetOutOfRange, every version).
//   Before 2.1 (any era) with unclean election off for the topic, the broker exits instead (truncation-halt.ts).
// - truncationByLeaderEpoch: a new follower is Truncating; it asks the leader
//   (OffsetsForLeaderEpoch) where its latest epoch ends and truncates there; a log with no cached
//   epoch (message format v0/v1, version/message-format.ts) truncates to its high watermark. A
//   broker writing v0/v1 lacks truncationByLeaderEpoch (version/cluster-versions.ts).
// - truncationWalksBackEpochs (KIP-279): when the leader answers with an earlier epoch the
//   follower does not have, it truncates to its own end of that epoch and asks again, walking
//   back epoch by epoch (AbstractFetcherThread.getOffsetTruncationState in Kafka 2.0).
// - fetchCarriesLeaderEpoch (KIP-320): every fetch names the follower's current leader epoch;
//   the leader fences stale or future epochs.
// - truncationOnFetch (KAFKA-10554, 2.8): a new follower whose log has an epoch fetches at once,
//   naming its last fetched epoch; a diverging answer (divergingEpoch) truncates as an
//   OffsetsForLeaderEpoch answer would (walking back one fetch at a time), then it fetches again.
// Connections (BrokerBlockingSender): one per leader, one request in flight; connects bounded by replica.socket.timeout.ms, requests by
// request.timeout.ms (clients/request-deadline-timers.ts); a timeout, failed connect or reset fails what was in flight and the fetcher backs off
// replica.fetch.backoff.ms; a partition's own error delays it alone. Fetch sessions (KIP-227): clients/fetch-session-handler.ts (a session error
// refetches in full at once). A batch below its LEO: fetcher-append-failure.ts.

import type { NodeContext } from '../../../src/sim/model.ts';
import { OFFSET_OUT_OF_RANGE, type FetchPartition, type FetchPartitionData, type FetchRequest, type FetchResponse, type KafkaMessage, type OffsetsForLeaderEpochResponse } from '../messages.ts';
import { NO_LEADER } from '../controller/metadata-image.ts';
import { UNDEFINED_EPOCH, type PartitionLog } from '../storage/partition-log.ts';
import type { KafkaTimer } from '../timers.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import { ReplicationQuotaManager } from './replication-quota-manager.ts';
import { FetchSessionHandler } from '../clients/fetch-session-handler.ts';
import { RequestDeadlineTimers } from '../clients/request-deadline-timers.ts';
import { atLeastVersion } from '../version/kafka-versions.ts';
import { FETCHING, PartitionFetchState, TRUNCATING } from './partition-fetch-state.ts';
import type { ReplicaFetcherSetup } from './replica-fetcher-setup.ts';
import type { TruncationHalt } from './truncation-halt.ts';
import { restartAtBatchBase, type FetcherAppendFailure } from './fetcher-append-failure.ts';
import type { FetcherReplicaAccess } from './fetcher-replica-access.ts';
import { truncateToEpochEndOffset } from './epoch-end-truncation.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

// The fetcher's connection to a leader.
const [NOT_CONNECTED, CONNECTING, CONNECTED] = [0, 1, 2];

export class ReplicaFetcherThread {
  private readonly fetchStates: (PartitionFetchState | null)[];
  /** Fetch request in flight per leader broker (0: none). */
  private readonly inflight: Int32Array;
  /** When the fetch in flight to each leader times out (request.timeout.ms after it was sent). */
  private readonly inflightDeadlineUs: Float64Array;
  private readonly deadlines: RequestDeadlineTimers<KafkaTimer>;
  private readonly backoffPending: Uint8Array;
  /** Per leader broker: 0 no connection, 1 connecting (its timer in connectTimer), 2 connected. */
  private readonly connection: Uint8Array;
  private readonly connectTimer: Int32Array;
  /** OffsetsForLeaderEpoch request in flight per partition (0: none). */
  private readonly epochInflight: Int32Array;
  /** Per leader broker, the hosted partitions followed from it, ascending: a fetch to a leader visits only those. */
  private readonly followedFrom: number[][];
  private readonly hosted: Uint8Array;
  /** KIP-227: the fetch session with each leader broker, and whether the fetch in flight to it used it. */
  private sessions: FetchSessionHandler[];
  private readonly inflightInSession: Uint8Array;
  private nextRequestId = 1;
  truncationHalt: TruncationHalt | null = null; // set by the broker: before 2.1 a follower ahead of its leader may not truncate
  appendFailure: FetcherAppendFailure | null = null; // set by the broker: a batch below the LEO ends the thread or fails the partition

  /** The fetcher of broker brokerIndex, configured from its broker config (replica.fetch.*, timeouts). */
  static forBroker(world: KafkaWorld, brokerIndex: number, replicas: FetcherReplicaAccess, changeStamps: Float64Array): ReplicaFetcherThread {
    const layout = world.layout;
    const bc = world.scenario.brokerConfig;
    const throttles = layout.followerThrottles[brokerIndex];
    const setup: ReplicaFetcherSetup = {
      brokerIndex,
      hostedPartitions: layout.partitionsOfBroker[brokerIndex],
      brokerNode: layout.brokerNode,
      partitionCount: layout.partitions.length,
      protocol: world.versions.brokers[brokerIndex].features,
      backoffUs: bc['replica.fetch.backoff.ms'] * 1000,
      connectTimeoutUs: bc['replica.socket.timeout.ms'] * 1000,
      requestTimeoutUs: bc['request.timeout.ms'] * 1000,
      stats: world.stats,
      ...(throttles.length === 0 ? {} : { followerQuota: new ReplicationQuotaManager(throttles), recordBytes: world.maxRecordBytes }),
      // ReplicaFetcherThread.fetchRequestVersion: Fetch v7 (sessions) from inter.broker.protocol.version 1.1-IV0.
      usesFetchSessions: atLeastVersion(() => world.versions.brokers[brokerIndex].protocolLevel, '1.1'),
      skipsDivergenceCheck: world.bugs.skipTruncation,
      changeStamps,
    };
    return new ReplicaFetcherThread(setup, replicas);
  }

  constructor(
    private readonly setup: ReplicaFetcherSetup,
    private readonly replicas: FetcherReplicaAccess,
  ) {
    const brokerCount = setup.brokerNode.length;
    this.fetchStates = new Array(setup.partitionCount).fill(null);
    this.inflight = new Int32Array(brokerCount);
    this.inflightDeadlineUs = new Float64Array(brokerCount);
    this.deadlines = new RequestDeadlineTimers(brokerCount, setup.brokerNode.map((_, leader): KafkaTimer => ({ type: 'fetch-timeout', leader })));
    this.backoffPending = new Uint8Array(brokerCount);
    this.connection = new Uint8Array(brokerCount);
    this.connectTimer = new Int32Array(brokerCount).fill(-1);
    this.epochInflight = new Int32Array(setup.partitionCount);
    this.followedFrom = setup.brokerNode.map(() => []);
    this.hosted = new Uint8Array(setup.partitionCount);
    for (const p of setup.hostedPartitions) this.hosted[p] = 1;
    this.sessions = this.newSessions();
    this.inflightInSession = new Uint8Array(brokerCount);
  }

  private newSessions = (): FetchSessionHandler[] => this.setup.brokerNode.map(() => new FetchSessionHandler(this.setup.partitionCount));

  /** Forgets every followed partition and everything in flight (process start). Request ids keep growing. */
  reset(): void {
    this.fetchStates.fill(null);
    this.inflight.fill(0);
    this.deadlines.clear();
    this.backoffPending.fill(0);
    this.connection.fill(NOT_CONNECTED);
    this.connectTimer.fill(-1);
    this.epochInflight.fill(0);
    for (const list of this.followedFrom) list.length = 0;
    this.sessions = this.newSessions();
  }

  fetchState(partition: number): PartitionFetchState | null { return this.fetchStates[partition]; }

  /** Starts following partition (ReplicaFetcherManager.addFetcherForPartitions); call kick to fetch. */
  addPartition(partition: number, leader: number, leaderEpoch: number, state: number): void {
    // Another leader means another fetcher thread (one per source broker): an OffsetsForLeaderEpoch in flight to the old leader is that thread's.
    if (this.fetchStates[partition]?.leader !== leader) this.epochInflight[partition] = 0;
    this.removePartition(partition);
    // KAFKA-10554 (AbstractFetcherThread.partitionFetchState): a log with an epoch skips the OffsetsForLeaderEpoch round.
    const onFetch = state === TRUNCATING && this.setup.protocol.truncationOnFetch && (this.replicas.localLog(partition)?.latestEpoch() ?? UNDEFINED_EPOCH) !== UNDEFINED_EPOCH;
    this.fetchStates[partition] = new PartitionFetchState(leader, leaderEpoch, onFetch ? FETCHING : state, this.setup.changeStamps, partition);
    const list = this.hosted[partition] === 1 ? this.followedFrom[leader] : undefined;
    if (list === undefined) return;
    let i = list.length;
    while (i > 0 && list[i - 1] > partition) i--;
    list.splice(i, 0, partition);
  }

  removePartition(partition: number): void {
    const fs = this.fetchStates[partition];
    if (fs === null) return;
    this.fetchStates[partition] = null;
    const list = this.followedFrom[fs.leader];
    const i = list === undefined ? -1 : list.indexOf(partition);
    if (i >= 0) list.splice(i, 1);
    // The last partition from that leader gone, Kafka shuts its fetcher thread down (AbstractFetcherManager.shutdownIdleFetcherThreads), and its session with it.
    if (i >= 0 && list.length === 0) (this.endSession(fs.leader), this.appendFailure?.idle(fs.leader));
  }

  /** The session with leader ends (the next fetch is full); an answer to the fetch in flight no longer concerns it. */
  private endSession(leader: number): void {
    this.sessions[leader].handleError();
    this.inflightInSession[leader] = 0;
  }

  /** Sends the next fetch to `leader` (and pending truncation requests) unless one is in flight; connects first. */
  kick(ctx: Ctx, leader: number): void {
    if (leader === NO_LEADER || leader === this.setup.brokerIndex) return;
    if (this.inflight[leader] !== 0 || this.backoffPending[leader] !== 0 || this.appendFailure?.ended(leader) === true) return;
    if (this.connection[leader] !== CONNECTED) return this.connect(ctx, leader);
    const session = this.setup.usesFetchSessions?.() === true ? this.sessions[leader] : null;
    session?.begin(); // KIP-227: an incremental request lists (and allocates) only what changed
    let parts: FetchPartition[] | null = null;
    let fetched = 0;
    let throttled = false;
    let delayedUntilUs = Infinity;
    // A partition whose log, fetch state and epoch carrying (the sign) are unchanged is listed as last time, unread (no quota: it may throttle).
    const stamps = this.setup.followerQuota === undefined ? this.setup.changeStamps : undefined;
    const sign = this.setup.protocol.fetchCarriesLeaderEpoch ? 1 : -1;
    for (const p of this.followedFrom[leader]) {
      if (session !== null && stamps !== undefined && session.keepIfUnchanged(p, sign * (stamps[p] + 1))) {
        fetched++;
        continue;
      }
      const fs = this.fetchStates[p]!;
      if (fs.delayedUntilUs > ctx.nowUs) {
        delayedUntilUs = Math.min(delayedUntilUs, fs.delayedUntilUs);
        continue;
      }
      if (fs.state === TRUNCATING) {
        if (this.epochInflight[p] === 0) this.sendEpochRequest(ctx, p, fs);
        if (fs.state === TRUNCATING) continue;
      }
      if (this.shouldFollowerThrottle(ctx, p, fs)) {
        throttled = true;
        continue;
      }
      // Fetch v10 carries the leader epoch (KIP-320), v12 the last fetched epoch (KAFKA-10554); an older request version none (-1, unchecked).
      const log = this.replicas.localLog(p)!;
      const fetchOffset = log.logEndOffset;
      const currentLeaderEpoch = this.setup.protocol.fetchCarriesLeaderEpoch ? fs.leaderEpoch : -1;
      fetched++;
      // Listed again when its offset changes (as any change of its last fetched epoch does); only then is its epoch cache read.
      if (session !== null && !session.add(p, fetchOffset, currentLeaderEpoch, stamps === undefined ? Number.NaN : sign * (stamps[p] + 1))) continue;
      const lastFetchedEpoch = this.setup.protocol.truncationOnFetch && this.setup.skipsDivergenceCheck !== true ? log.latestEpoch() : -1;
      (parts ??= []).push({ partition: p, fetchOffset, currentLeaderEpoch, lastFetchedEpoch });
    }
    if (fetched === 0) {
      // an empty fetch waits replica.fetch.backoff.ms (maybeFetch), or until the first delayed partition is ready
      if (throttled) this.backoff(ctx, leader);
      else if (delayedUntilUs !== Infinity) this.backoff(ctx, leader, delayedUntilUs - ctx.nowUs);
      return;
    }
    const requestId = this.nextRequestId++;
    this.inflight[leader] = requestId;
    this.setup.stats.fetchRequests++;
    // Fetch v15 carries the replica's broker epoch (KIP-903); before it the leader sees -1 (unchecked).
    const brokerEpoch = this.setup.protocol.alterPartitionCarriesBrokerEpochs ? this.replicas.brokerEpoch() : -1;
    this.inflightInSession[leader] = session === null ? 0 : 1;
    const broker = this.setup.brokerIndex;
    // Literals rather than a spread of the session's fields: a spread after other properties is a runtime call per fetch.
    const s = session === null ? null : session.finish(parts ?? []);
    const req: FetchRequest =
      s === null
        ? { type: 'fetch', requestId, broker, brokerEpoch, parts: parts! }
        : { type: 'fetch', requestId, broker, brokerEpoch, sessionId: s.sessionId, sessionEpoch: s.sessionEpoch, parts: s.parts, forgotten: s.forgotten };
    ctx.send(this.setup.brokerNode[leader], req);
    const deadlineUs = ctx.nowUs + this.setup.requestTimeoutUs;
    this.inflightDeadlineUs[leader] = deadlineUs;
    this.deadlines.arm(ctx, leader, deadlineUs);
  }

  /** KIP-73 (ReplicaFetcherThread.shouldFollowerThrottle): an out-of-sync throttled replica waits while the quota is exceeded. */
  private shouldFollowerThrottle(ctx: Ctx, p: number, fs: PartitionFetchState): boolean {
    const quota = this.setup.followerQuota;
    return quota !== undefined && !fs.inSync && quota.isThrottled(p, ctx.nowUs) && quota.isQuotaExceeded(ctx.nowUs);
  }

  /** awaitReady: opens the connection to leader, bounded by replica.socket.timeout.ms; the fetch goes once it is up. */
  private connect(ctx: Ctx, leader: number): void {
    if (this.connection[leader] !== NOT_CONNECTED || this.followedFrom[leader].length === 0) return;
    this.connection[leader] = CONNECTING;
    ctx.connect(this.setup.brokerNode[leader]);
    this.connectTimer[leader] = ctx.setTimer(this.setup.connectTimeoutUs, { type: 'fetch-connect-timeout', leader });
  }

  /** The connection to leader is up. */
  onConnect(ctx: Ctx, leader: number): void {
    if (this.connection[leader] !== CONNECTING) return;
    this.connection[leader] = CONNECTED;
    ctx.cancelTimer(this.connectTimer[leader]);
    this.connectTimer[leader] = -1;
    this.kick(ctx, leader);
  }

  /** replica.socket.timeout.ms passed without a connection: give up on it and back off. */
  onConnectTimeout(ctx: Ctx, leader: number): void {
    if (this.connection[leader] !== CONNECTING) return;
    this.connectTimer[leader] = -1;
    this.close(ctx, leader);
  }

  /** The deadline timer of leader: a fetch past request.timeout.ms makes the fetcher close the connection (BrokerBlockingSender) and back off. */
  onFetchTimeout(ctx: Ctx, leader: number): void {
    this.deadlines.fired(leader);
    if (this.inflight[leader] === 0) return;
    if (this.inflightDeadlineUs[leader] <= ctx.nowUs) this.close(ctx, leader);
    else this.deadlines.arm(ctx, leader, this.inflightDeadlineUs[leader]);
  }

  private close(ctx: Ctx, leader: number): void {
    ctx.disconnect(this.setup.brokerNode[leader]);
    this.onDisconnect(ctx, leader);
  }

  /**
   * The connection to leader is gone (closed here, refused, reset by the leader's host): what was
   * in flight on it failed; the fetcher backs off replica.fetch.backoff.ms before it tries again.
   */
  onDisconnect(ctx: Ctx, leader: number): void {
    if (this.connection[leader] === NOT_CONNECTED) return;
    this.connection[leader] = NOT_CONNECTED;
    if (this.connectTimer[leader] >= 0) ctx.cancelTimer(this.connectTimer[leader]);
    this.connectTimer[leader] = -1;
    // A fetch that failed ends the session (FetchSessionHandler.handleError); the session outlives the connection otherwise.
    if (this.inflight[leader] !== 0) this.endSession(leader);
    this.inflight[leader] = 0;
    for (const p of this.followedFrom[leader]) this.epochInflight[p] = 0;
    this.backoff(ctx, leader);
  }

  onBackoff(ctx: Ctx, leader: number): void {
    this.backoffPending[leader] = 0;
    this.kick(ctx, leader);
  }

  private backoff(ctx: Ctx, leader: number, delayUs = this.setup.backoffUs): void {
    if (this.backoffPending[leader] !== 0) return;
    this.backoffPending[leader] = 1;
    ctx.setTimer(delayUs, { type: 'fetch-backoff', leader });
  }

  onFetchResponse(ctx: Ctx, leader: number, msg: FetchResponse): void {
    if (this.inflight[leader] !== msg.requestId) return;
    this.inflight[leader] = 0;
    if (this.inflightInSession[leader] === 1 && !this.sessions[leader].handleResponse(msg.sessionId, msg.error)) return this.kick(ctx, leader);
    let fsyncUs = 0;
    for (const part of msg.parts) {
      const p = part.partition;
      const fs = this.fetchStates[p];
      if (fs === null || fs.leader !== leader || fs.state !== FETCHING) continue;
      const log = this.replicas.localLog(p)!;
      // The rare cases (an error, a divergence, a batch below the LEO) each in a function of their own, so this hot loop stays small.
      if (part.error !== null) {
        if (this.onPartitionError(ctx, p, fs, log, part)) return;
        continue;
      }
      if (part.fetchOffset !== log.logEndOffset) continue; // we truncated since sending: stale data
      if (part.divergingEpoch !== undefined && this.setup.protocol.truncationOnFetch) {
        this.truncateOnFetchResponse(ctx, p, fs, part.divergingEpoch);
        continue;
      }
      let base = part.fetchOffset;
      if (part.recordsBaseOffset !== undefined) {
        // A batch from below the fetch offset: 2.0+ restarts an empty log at its base (KAFKA-6975), else the append fails.
        base = restartAtBatchBase(ctx, this.replicas, this.setup.protocol.followerStartsLogAtBatchBase, p, part.recordsBaseOffset);
        if (base < 0 && this.appendFailure !== null) {
          if (this.onBatchBelowLogEnd(ctx, p, leader, part, log.logEndOffset === log.logStartOffset)) return;
          continue;
        }
        if (base < 0) base = part.fetchOffset;
      }
      if (part.records.length > 0) this.truncationHalt?.resumed(p);
      fsyncUs += this.replicas.processPartitionData(ctx, p, base, part.records, part.highWatermark);
      const quota = this.setup.followerQuota;
      // ReplicaFetcherThread.processPartitionData: traffic of in-sync and out-of-sync replicas alike counts toward the quota.
      if (quota !== undefined && quota.isThrottled(p, ctx.nowUs)) quota.record(part.records.length * this.setup.recordBytes!, ctx.nowUs);
      fs.inSync = part.highWatermark <= log.logEndOffset;
      if (part.logStartOffset !== undefined) this.replicas.maybeIncrementLogStartOffset?.(ctx, p, part.logStartOffset);
    }
    if (fsyncUs > 0) this.backoff(ctx, leader, fsyncUs);
    else this.kick(ctx, leader);
  }

  /** A partition's error in a fetch response; returns whether the broker exits (nothing more of the response is handled). */
  private onPartitionError(ctx: Ctx, p: number, fs: PartitionFetchState, log: PartitionLog, part: FetchPartitionData): boolean {
    if (part.error === OFFSET_OUT_OF_RANGE && log.logEndOffset > part.logEndOffset) {
      // The follower is ahead of the leader. Before 2.1 its broker may exit (nothing more of this response is handled).
      if (this.truncationHalt?.applies(p)) {
        this.truncationHalt.exit(ctx, p, part.logEndOffset);
        return true;
      }
      // Before KIP-101 it truncates to the leader's LEO; with leader epochs it finds the divergence point first.
      if (!this.setup.protocol.truncationByLeaderEpoch) this.replicas.truncate(ctx, p, part.logEndOffset, 'high-watermark');
      else fs.state = TRUNCATING;
    } else if (part.error === OFFSET_OUT_OF_RANGE && (part.logStartOffset ?? 0) > log.logEndOffset && this.replicas.truncateFullyAndStartAt !== undefined) {
      this.replicas.truncateFullyAndStartAt(ctx, p, part.logStartOffset!); // the answer's log start stands for ListOffsets EARLIEST
    } else fs.delay(ctx.nowUs, this.setup.backoffUs);
    return false;
  }

  /** A batch starting below the log end (fetcher-append-failure.ts): returns whether the thread ended (nothing more of the response is handled). */
  private onBatchBelowLogEnd(ctx: Ctx, p: number, leader: number, part: FetchPartitionData, emptyLog: boolean): boolean {
    if (this.appendFailure!.fail(ctx, p, leader, part.fetchOffset, part.recordsBaseOffset!, this.followedFrom[leader], emptyLog)) return true;
    this.removePartition(p);
    return false;
  }

  private sendEpochRequest(ctx: Ctx, p: number, fs: PartitionFetchState): void {
    const log = this.replicas.localLog(p)!;
    const epoch = fs.askEpoch >= 0 ? fs.askEpoch : log.latestEpoch();
    // No cached epoch (empty, or format v0/v1 records only): 0.11-1.1 ask about UNDEFINED_EPOCH all the same (buildLeaderEpochRequest):
    // a leader with no epoch cached answers its LEO, one with epochs UNDEFINED_EPOCH_OFFSET. 2.0
    // answers UNDEFINED_EPOCH_OFFSET and 2.2+ does not ask (AbstractFetcherThread.truncateToHighWatermark):
    // the follower cuts to its high watermark, KIP-101's unprotected path, reported as its flaw.
    const asksUndefined = !this.setup.protocol.truncationWalksBackEpochs && log.logEndOffset > 0;
    if (epoch === UNDEFINED_EPOCH && !asksUndefined) {
      if (log.highWatermark < log.logEndOffset) {
        this.replicas.truncate(ctx, p, log.highWatermark, 'high-watermark');
        this.replicas.flaws?.truncatedWithoutEpochs(ctx, p, fs, log);
      }
      fs.state = FETCHING;
      return;
    }
    const requestId = this.nextRequestId++;
    this.epochInflight[p] = requestId;
    this.setup.stats.epochRequests++;
    ctx.send(this.setup.brokerNode[fs.leader], {
      type: 'offsets-for-leader-epoch',
      requestId,
      broker: this.setup.brokerIndex,
      partition: p,
      currentLeaderEpoch: this.setup.protocol.fetchCarriesLeaderEpoch ? fs.leaderEpoch : -1, // OffsetsForLeaderEpoch v2 (KIP-320)
      leaderEpoch: epoch,
    });
    ctx.setTimer(this.setup.requestTimeoutUs, { type: 'epoch-request-timeout', partition: p, requestId });
  }

  /** The OffsetsForLeaderEpoch request timed out: as a fetch, it closes the connection to the leader. */
  onEpochRequestTimeout(ctx: Ctx, p: number, requestId: number): void {
    if (this.epochInflight[p] !== requestId) return;
    this.epochInflight[p] = 0;
    const fs = this.fetchStates[p];
    if (fs !== null && fs.leader !== NO_LEADER && this.connection[fs.leader] !== NOT_CONNECTED) this.close(ctx, fs.leader);
  }

  onEpochResponse(ctx: Ctx, msg: OffsetsForLeaderEpochResponse): void {
    const p = msg.partition;
    if (this.epochInflight[p] !== msg.requestId) return;
    this.epochInflight[p] = 0;
    const fs = this.fetchStates[p];
    if (fs === null || fs.state !== TRUNCATING) return;
    if (msg.error !== null) {
      // Retry after the partition's backoff: the epoch request goes out with a kick after it.
      fs.delay(ctx.nowUs, this.setup.backoffUs);
      this.kick(ctx, fs.leader);
      return;
    }
    if (truncateToEpochEndOffset(ctx, this.replicas, this.setup.protocol, p, fs, msg)) fs.state = FETCHING;
    this.kick(ctx, fs.leader);
  }

  /**
   * KAFKA-10554 (AbstractFetcherThread.truncateOnFetchResponse): the leader's divergingEpoch is
   * taken as an OffsetsForLeaderEpoch answer; the partition stays Fetching, and its next fetch names
   * the epoch it now ends with (a KIP-279 walk-back goes on one fetch at a time). The truncation
   * also drops an epoch entry left at the LEO (KAFKA-10706, 2.8, Log.truncateTo), else a follower
   * that led an epoch without appending would name that epoch again and again.
   */
  private truncateOnFetchResponse(ctx: Ctx, p: number, fs: PartitionFetchState, diverging: { epoch: number; endOffset: number }): void {
    truncateToEpochEndOffset(ctx, this.replicas, this.setup.protocol, p, fs, { leaderEpoch: diverging.epoch, endOffset: diverging.endOffset });
    this.replicas.localLog(p)!.truncateEpochsAtEnd();
    fs.askEpoch = -1;
  }
}
