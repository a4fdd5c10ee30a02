// Kafka's ReplicaManager: a broker's replicas as leader or follower. It applies metadata images
// (applyDelta: makeLeader / makeFollower), appends produce requests to the partitions it leads
// (appendRecords, with idempotent dedup and the acks=all purgatory), serves follower fetches
// (updating follower state, ISR expansion and the high watermark), answers OffsetsForLeaderEpoch,
// shrinks ISRs of lagging followers (the isr-expiration task), and as a follower appends what its ReplicaFetcherThread
// fetched and truncates where it says. Volatile (gone at a process restart): roles, fetch states, purgatories.

import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import { NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND, NOT_LEADER_OR_FOLLOWER, type AlterPartitionResponse, type FetchRequest, type KafkaMessage, type OffsetsForLeaderEpochRequest, type ProduceRequest, type ProduceResult } from '../messages.ts';
import { contains, NO_LEADER, type MetadataImage, type PartitionMeta } from '../controller/metadata-image.ts';
import type { LogManager } from '../storage/log-manager.ts';
import type { MemoryRecords } from '../storage/log-record-store.ts';
import type { PartitionLog } from '../storage/partition-log.ts';
import { SEQ_DUPLICATE, SEQ_OK, SEQ_UNKNOWN_PRODUCER } from '../storage/producer-state-manager.ts';
import { batchBaseAt, gapsOnly } from '../storage/record-batches.ts';
import type { KafkaTimer } from '../timers.ts';
import { AlterPartitionManager } from './alter-partition-manager.ts';
import { DelayedFetchPurgatory } from './delayed-fetch.ts';
import { DelayedProducePurgatory, type DelayedProduce } from './delayed-produce.ts';
import { ProduceAppends } from './produce-appends.ts';
import type { MetadataCache } from './metadata-cache.ts';
import { Partition } from './partition.ts';
import { ReplicationFlaws } from './replication-flaws.ts';
import { ReplicaFetcherThread } from './replica-fetcher-thread.ts';
import type { TruncationReason } from './fetcher-replica-access.ts';
import { FETCHING, TRUNCATING } from './partition-fetch-state.ts';
import { ZkBrokerRegistration } from './zk-broker-registration.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** The group coordinator as ReplicaManager sees it: told when this broker starts or stops leading a __consumer_offsets partition, and when its HW moves. */
interface OffsetsPartitionListener {
  onBecomeLeader(ctx: Ctx, partition: number): void;
  onResign(ctx: Ctx, partition: number): void;
  onHighWatermark(ctx: Ctx, partition: number, hw: number): void;
}

export class ReplicaManager {
  readonly fetcher: ReplicaFetcherThread;
  readonly delayedFetch: DelayedFetchPurgatory;
  readonly delayedProduce: DelayedProducePurgatory;
  readonly produceAppends: ProduceAppends;
  readonly alterPartitionManager: AlterPartitionManager;
  /** The partitions this broker leads, by global partition index. */
  private readonly leaders: (Partition | null)[];
  private readonly hosted: readonly number[];
  private readonly lagUs: number;
  private readonly fetchWaitUs: number;
  /** ZooKeeper mode: this process's own registration; whether the last image named an older process (no full LeaderAndIsr yet). */
  private readonly registration = new ZkBrokerRegistration();
  private unregistered = false;
  readonly flaws: ReplicationFlaws;
  private readonly features: KafkaWorld['versions']['brokers'][number]['features']; // version/cluster-versions.ts
  /** Set when the run has consumer groups. */
  private offsetsListener: OffsetsPartitionListener | null = null;

  constructor(
    private readonly world: KafkaWorld,
    private readonly brokerIndex: number,
    private readonly logManager: LogManager,
    private readonly metadataCache: MetadataCache,
  ) {
    const layout = world.layout;
    const bc = world.scenario.brokerConfig;
    this.hosted = layout.partitionsOfBroker[brokerIndex];
    this.leaders = new Array(layout.partitions.length).fill(null);
    this.features = world.versions.brokers[brokerIndex].features;
    this.flaws = new ReplicationFlaws(this.features, layout.partitions.map((x) => x.name), (b, p) => world.logsOfBroker[b]?.[p] ?? null);
    this.lagUs = bc['replica.lag.time.max.ms'] * 1000;
    this.fetchWaitUs = bc['replica.fetch.wait.max.ms'] * 1000;
    this.fetcher = ReplicaFetcherThread.forBroker(world, brokerIndex, this, logManager.changeStamps);
    this.delayedFetch = DelayedFetchPurgatory.forBroker(world, brokerIndex, this, logManager.changeStamps);
    this.delayedProduce = new DelayedProducePurgatory(layout.partitions.length, this.hosted);
    this.produceAppends = new ProduceAppends(this, this.delayedProduce, logManager);
    this.alterPartitionManager = new AlterPartitionManager(brokerIndex, layout.controllerNode, layout.partitions.length, bc['controller.socket.timeout.ms'] * 1000);
  }

  setOffsetsPartitionListener(listener: OffsetsPartitionListener): void { this.offsetsListener = listener; }

  /** This process's incarnation, the broker epoch its fetches carry (KIP-903). */
  private incarnation = 0;

  brokerEpoch(): number { return this.incarnation; }

  /** Forgets every role and everything parked (process start of incarnation). */
  reset(incarnation: number): void {
    this.incarnation = incarnation;
    this.leaders.fill(null);
    this.unregistered = false;
    this.registration.reset();
    this.delayedFetch.reset();
    this.delayedProduce.clear();
    this.produceAppends.clear();
    this.fetcher.reset(), this.fetcher.appendFailure?.reset();
    this.alterPartitionManager.reset();
  }

  /**
   * Clean shutdown: what the broker holds is answered before it stops serving. Leadership has
   * moved (controlled shutdown), so parked acks=all produces fail with NOT_LEADER_OR_FOLLOWER and
   * parked fetches are answered with what the log has (or the partition's error).
   */
  shutdown(ctx: Ctx): void {
    for (const p of this.hosted) {
      const leader = this.leaders[p];
      if (leader === null) continue;
      this.delayedProduce.failPartition(ctx, p);
      ctx.emit({ type: 'resign-leader', partition: this.world.layout.partitions[p].name, leaderEpoch: leader.leaderEpoch, reason: 'shutdown' });
    }
    this.delayedProduce.shutdown();
    this.produceAppends.clear();
    this.delayedFetch.completeAll(ctx);
  }

  /** ZooKeeper mode: the controller has not registered this process (it has sent no full LeaderAndIsr). */
  get awaitingRegistration(): boolean { return this.unregistered; }

  /** A heartbeat answer: a process that has just registered unnoticed gets what the controller queued for it. */
  onHeartbeatAnswer(ctx: Ctx, registered: boolean): void {
    const image = this.metadataCache.image;
    if (this.registration.onHeartbeatAnswer(registered) && this.unregistered && image !== null) this.applyDelta(ctx, image, this.incarnation);
  }

  leaderPartition(partition: number): Partition | null { return this.leaders[partition]; }

  localLog(partition: number): PartitionLog | null { return this.logManager.logs[partition]; }

  // ---- metadata ----

  /**
   * Applies a newer metadata image to the local replicas (ReplicaManager.applyDelta, or in
   * ZooKeeper mode the LeaderAndIsr requests it stands for). A restarted ZooKeeper-mode broker has
   * no partition state (ReplicaManager.becomeLeaderOrFollower creates it) until the controller
   * registered its incarnation (onBrokerStartup sends every partition): before it, only what
   * zk-broker-registration.ts lets through (a missed bounce's queued LeaderAndIsr, before
   * KIP-380). (KRaft: no image before registering.)
   */
  applyDelta(ctx: Ctx, image: MetadataImage, incarnation: number): void {
    const registered = image.incarnations[this.brokerIndex] === incarnation;
    this.unregistered = !registered;
    const detectsBounce = this.world.versions.controller.controllerDetectsBrokerBounce;
    for (const p of this.hosted) {
      const m = image.partitions[p];
      if (m === undefined) continue;
      if (!registered && !this.registration.reachesUnregistered(p, m.partitionEpoch, detectsBounce)) continue;
      this.registration.acted(p, m.partitionEpoch);
      if (!contains(m.replicas, this.brokerIndex)) {
        this.stopReplica(ctx, p); // reassigned away (or not yet added): no role, no copy
        continue;
      }
      if (m.leader === this.brokerIndex) {
        const leader = this.leaders[p];
        if (leader === null || leader.leaderEpoch < m.leaderEpoch) this.makeLeader(ctx, p, m);
        else if (m.leaderEpoch === leader.leaderEpoch && m.partitionEpoch > leader.partitionEpoch) {
          leader.applyCommittedIsr(m);
          this.maybeIncrementLeaderHW(ctx, p);
        }
      } else {
        const fs = this.fetcher.fetchState(p);
        if (this.leaders[p] !== null || fs === null) this.makeFollower(ctx, p, m);
        // KAFKA-7164: before 2.0.1 a newer epoch under the same leader skipped everything.
        else if (fs.leaderEpoch < m.leaderEpoch && !this.flaws.skipsTruncation(ctx, p, fs, m, this.logManager.logs[p]!)) this.makeFollower(ctx, p, m);
      }
    }
  }

  /** StopReplica with delete=true (a reassignment removed this broker): no more role, its log deleted. */
  private stopReplica(ctx: Ctx, p: number): void {
    const leader = this.leaders[p];
    if (leader !== null) {
      this.delayedProduce.failPartition(ctx, p);
      this.leaders[p] = null;
      this.logManager.changeStamps[p]++; // fetch sessions see the change (fetch-session.ts)
      ctx.emit({ type: 'resign-leader', partition: this.world.layout.partitions[p].name, leaderEpoch: leader.leaderEpoch, reason: 'stop-replica' });
      this.delayedFetch.completeFetchesOf(ctx, p);
    }
    const fetching = this.fetcher.fetchState(p) !== null;
    this.fetcher.removePartition(p);
    this.logManager.deleteLog(ctx, p, leader !== null || fetching);
  }

  /**
   * Partition.makeLeader. Leading on in a newer epoch (bumped for a shrink or a reassignment) keeps
   * the followers' LEOs (Replica.resetReplicaState, isNewLeader false) and the waiting produces
   * (DelayedProduce checks the HW only); old-epoch fetches are fenced once the HW moves.
   */
  private makeLeader(ctx: Ctx, p: number, m: PartitionMeta): void {
    const log = this.logManager.logs[p]!;
    this.fetcher.removePartition(p);
    const previous = this.leaders[p];
    log.maybeAssignEpochStartOffset(m.leaderEpoch, log.logEndOffset);
    const layout = this.world.layout;
    const leader = new Partition(p, this.brokerIndex, m.replicas, m.leaderEpoch, m.partitionEpoch, m.isr, log.logEndOffset, layout.brokerCount, ctx.nowUs, this.logManager.changeStamps);
    if (previous !== null) leader.keepFollowerStateOf(previous, ctx.nowUs);
    this.leaders[p] = leader;
    ctx.emit({ type: 'become-leader', partition: layout.partitions[p].name, leaderEpoch: m.leaderEpoch, leaderEpochStartOffset: log.logEndOffset });
    if (previous === null && this.offsetsListener !== null && layout.partitions[p].internal) this.offsetsListener.onBecomeLeader(ctx, p);
    if (this.maybeIncrementLeaderHW(ctx, p) && previous !== null) this.delayedFetch.completeFetchesOf(ctx, p);
  }

  private makeFollower(ctx: Ctx, p: number, m: PartitionMeta): void {
    const leader = this.leaders[p];
    if (leader !== null) {
      this.delayedProduce.failPartition(ctx, p);
      this.leaders[p] = null;
      this.logManager.changeStamps[p]++; // fetch sessions see the change (fetch-session.ts)
      ctx.emit({ type: 'resign-leader', partition: this.world.layout.partitions[p].name, leaderEpoch: leader.leaderEpoch, reason: 'new-leader' });
      // DelayedFetch.tryComplete: a parked fetch of a partition no longer led here completes now.
      this.delayedFetch.completeFetchesOf(ctx, p);
      if (this.offsetsListener !== null && this.world.layout.partitions[p].internal) this.offsetsListener.onResign(ctx, p);
    }
    if (m.leader === NO_LEADER) {
      this.fetcher.addPartition(p, NO_LEADER, m.leaderEpoch, TRUNCATING);
      return;
    }
    // Before KIP-101 a new follower cuts its log back to its high watermark, then fetches.
    const state = this.flaws.truncatesToHighWatermark(ctx, p, m.leaderEpoch, this) ? FETCHING : TRUNCATING;
    this.fetcher.addPartition(p, m.leader, m.leaderEpoch, state);
    this.fetcher.kick(ctx, m.leader);
  }

  // ---- leader: produce ----

  /** Appends batch i of a produce request (produce-appends.ts) unless refused: its fsync time (us), or -1 when nothing was appended. */
  appendBatch(ctx: Ctx, req: ProduceRequest, dp: DelayedProduce, i: number): number {
    const batch = req.batches[i];
    const p = batch.partition;
    const leader = this.leaders[p];
    const info = this.world.layout.partitions[p];
    const result: ProduceResult = { batchId: batch.batchId, partition: p, error: null, baseOffset: -1, leaderEpoch: -1, logStartOffset: -1 };
    dp.results[i] = result;
    if (leader === null) {
      result.error = NOT_LEADER_OR_FOLLOWER;
      return -1;
    }
    result.leaderEpoch = leader.leaderEpoch;
    // min.insync.replicas is checked against the committed ISR before appending.
    if (req.acks === -1 && leader.isr.length < info.minInsyncReplicas) {
      result.error = NOT_ENOUGH_REPLICAS;
      return -1;
    }
    const log = this.logManager.logs[p]!;
    const n = batch.recordIds.length;
    let baseOffset = log.logEndOffset;
    let fsyncUs = -1;
    if (batch.producerId >= 0) {
      const ps = this.logManager.producerStates[p]!;
      const unknownAtSequence = batch.baseSequence > 0 && !ps.knows(batch.producerId);
      let check = ps.check(batch.producerId, batch.producerEpoch, batch.baseSequence, batch.baseSequence + n - 1);
      if (check === SEQ_DUPLICATE && this.world.bugs.forgetIdempotentDedup) check = SEQ_OK; // bug zoo
      if (check === SEQ_DUPLICATE) {
        baseOffset = ps.duplicateBaseOffset;
        result.leaderEpoch = ps.duplicateLeaderEpoch;
      } else if (check !== SEQ_OK) {
        result.error = ps.errorOf(check);
        if (check === SEQ_UNKNOWN_PRODUCER) result.logStartOffset = log.logStartOffset; // UNKNOWN_PRODUCER_ID's, ProduceResponse v5 (KAFKA-5793)
        return -1;
      } else {
        ps.update(batch.producerId, batch.producerEpoch, batch.baseSequence, batch.baseSequence + n - 1, baseOffset, leader.leaderEpoch, ctx.nowUs);
        fsyncUs = this.appendRecordsToLeader(ctx, leader, batch.recordIds, batch.producerId, batch.producerEpoch, batch.baseSequence);
        if (unknownAtSequence)
          ctx.emit({ type: 'unknown-producer-append', partition: info.name, producer: this.world.scenario.producers[req.producer].name, baseSequence: batch.baseSequence, record: batch.recordIds[0] });
      }
    } else {
      fsyncUs = this.appendRecordsToLeader(ctx, leader, batch.recordIds, -1, -1, -1);
    }
    // Bug zoo ack-wrong-offset: the producer is told its records landed one offset later.
    result.baseOffset = this.world.bugs.ackWrongOffset && !this.world.layout.partitions[p].internal ? baseOffset + 1 : baseOffset;
    // Bug zoo ack-before-isr: acks=all answered like acks=1, without waiting for the ISR.
    if (req.acks === -1 && !this.world.bugs.ackBeforeIsr) {
      const requiredOffset = baseOffset + n;
      if (log.highWatermark >= requiredOffset) {
        if (leader.isr.length < info.minInsyncReplicas) result.error = NOT_ENOUGH_REPLICAS_AFTER_APPEND;
      } else this.delayedProduce.watch(dp, p, i, requiredOffset);
    }
    return fsyncUs;
  }

  /** Appends records to the log of a partition led here, in its leader epoch (Partition.appendRecordsToLeader); returns its fsync time (us). */
  appendRecordsToLeader(ctx: Ctx, leader: Partition, ids: number[], pid: number, pepoch: number, baseSeq: number): number {
    const p = leader.partition;
    const log = this.logManager.logs[p]!;
    this.logManager.maybeRoll(p, ctx.nowUs);
    const base = log.logEndOffset;
    for (let j = 0; j < ids.length; j++) {
      log.appendAsLeader({
        id: ids[j],
        epoch: leader.leaderEpoch,
        producerId: pid,
        producerEpoch: pepoch,
        sequence: pid >= 0 ? baseSeq + j : -1,
        batchSize: j === 0 ? ids.length : 0,
        appendUs: ctx.nowUs,
      });
    }
    this.world.stats.appendsLeader++;
    ctx.emit({ type: 'append', partition: this.world.layout.partitions[p].name, role: 'leader', baseOffset: base, leaderEpoch: leader.leaderEpoch, records: ids.slice() });
    const fsyncUs = this.logManager.maybeFlush(ctx, p);
    // A parked follower fetch completes once the append is through (an fsync delays it: the caller completes it then).
    if (fsyncUs === 0) this.delayedFetch.tryCompleteFollowerFetches(ctx, p, leader.replicas);
    return fsyncUs;
  }

  /**
   * Moves the HW of a partition led here if the maximal ISR allows it (Partition.maybeIncrementLeaderHW;
   * from 3.7 never while the ISR is below min ISR), then completes what waited for it: offset
   * commits, consumer fetches, acks=all produces. Returns whether it moved.
   */
  maybeIncrementLeaderHW(ctx: Ctx, p: number): boolean {
    const leader = this.leaders[p];
    if (leader === null) return false;
    const log = this.logManager.logs[p]!;
    const info = this.world.layout.partitions[p];
    // KAFKA-15583 (3.7): not while the committed ISR is below min(min.insync.replicas, RF).
    if (this.features.hwWaitsForMinIsr && leader.isr.length < Math.min(info.minInsyncReplicas, leader.replicas.length)) return false;
    const hw = leader.computeHighWatermark(log.logEndOffset, this.world.bugs.hwSkipsIsrMember);
    if (!log.maybeIncrementHighWatermark(hw)) return false;
    ctx.emit({ type: 'hw', partition: info.name, hw, leaderEpoch: leader.leaderEpoch });
    if (this.offsetsListener !== null) {
      if (info.internal) this.offsetsListener.onHighWatermark(ctx, p, hw);
      this.delayedFetch.tryCompleteConsumerFetches(ctx, p);
    }
    this.delayedProduce.checkAndComplete(ctx, p, hw, leader.isr.length < info.minInsyncReplicas);
    return true;
  }

  // ---- leader: follower fetches and ISR ----

  /** A follower's fetch (ReplicaManager.fetchMessages); its session's quiet partitions are skipped (broker/fetch-session.ts), a diverging one (KAFKA-10554) answered without a state update. */
  fetchMessages(ctx: Ctx, req: FetchRequest): void {
    const follower = req.broker;
    let respondNow = false;
    const session = this.delayedFetch.servingSession(ctx.nowUs, req);
    for (let i = 0; i < req.parts.length; i++) {
      if (session !== null && session.isQuietAt(i)) continue;
      const part = req.parts[i];
      const p = part.partition;
      if (this.delayedFetch.fetchError(p, part.currentLeaderEpoch, follower) !== null || this.delayedFetch.divergingEpoch(p, part) !== null || this.delayedFetch.outOfRange(p, part.fetchOffset)) {
        respondNow = true;
        continue;
      }
      const leo = this.logManager.logs[p]!.logEndOffset;
      const leader = this.leaders[p]!;
      const followerLeoBefore = leader.followerLeo[follower];
      leader.updateFollowerFetchState(follower, part.fetchOffset, leo, ctx.nowUs, req.brokerEpoch ?? -1);
      this.maybeExpandIsr(ctx, leader, follower);
      // Partition.updateFollowerFetchState: the HW can only move when the follower's LEO did.
      if (part.fetchOffset !== followerLeoBefore) this.maybeIncrementLeaderHW(ctx, p);
      if (part.fetchOffset < leo && !gapsOnly(this.logManager.logs[p]!, part.fetchOffset, leo) && !this.delayedFetch.leaderThrottles(ctx.nowUs, p, follower)) respondNow = true;
    }
    session?.endServe();
    this.delayedFetch.completeOrWatchFollowerFetch(ctx, req, respondNow, this.fetchWaitUs);
  }

  /** OffsetsForLeaderEpoch: where the requested epoch ends in the leader's log. */
  fetchOffsetForLeaderEpoch(ctx: Ctx, from: number, req: OffsetsForLeaderEpochRequest): void {
    const error = this.delayedFetch.fetchError(req.partition, req.currentLeaderEpoch);
    // 0.11-1.1 answer an undefined epoch asked of an empty cache with the LEO; the 2.0 code (KIP-279's protocol) does not.
    const r = error === null ? this.logManager.logs[req.partition]!.endOffsetForEpoch(req.leaderEpoch, this.features.epochCacheAnswersOlderEpochs, !this.features.truncationWalksBackEpochs) : { epoch: -1, endOffset: -1 };
    ctx.reply(from, { type: 'offsets-for-leader-epoch-response', requestId: req.requestId, partition: req.partition, error, leaderEpoch: r.epoch, endOffset: r.endOffset });
  }

  /** A caught-up follower rejoins the ISR; in KRaft only if unfenced and not shutting down (KIP-841). */
  private maybeExpandIsr(ctx: Ctx, leader: Partition, follower: number): void {
    const hw = this.logManager.logs[leader.partition]!.highWatermark;
    if (!leader.needsExpandIsr(follower, hw, this.features.isrJoinNeedsLeaderEpochStart)) return;
    if (this.world.kraft && !this.metadataCache.isReplicaIsrEligible(follower)) return;
    // KIP-903 (Partition.isReplicaIsrEligible): a fetch below v15 (metadata.version < 3.5-IV1) carries -1 and passes.
    if (this.world.kraft && !this.metadataCache.isBrokerEpochIsrEligible(follower, leader.followerBrokerEpoch[follower])) return;
    this.alterPartitionManager.submit(ctx, leader, leader.isrWith(follower));
  }

  /** The isr-expiration task: followers not caught up within replica.lag.time.max.ms leave the ISR. */
  maybeShrinkIsr(ctx: Ctx): void {
    this.delayedFetch.syncFollowerTimes();
    for (const p of this.hosted) {
      const leader = this.leaders[p];
      if (leader === null || leader.pendingIsr !== null) continue;
      const lagging = leader.getOutOfSyncReplicas(ctx.nowUs, this.lagUs);
      if (lagging === null) continue;
      this.alterPartitionManager.submit(ctx, leader, leader.isrWithout(lagging));
    }
  }

  resendAlterPartitions(ctx: Ctx): void {
    this.alterPartitionManager.resendUnanswered(ctx, this.leaders, this.hosted);
  }

  handleAlterPartitionResponse(ctx: Ctx, controller: number, msg: AlterPartitionResponse): void {
    const leader = this.leaders[msg.partition];
    if (!this.alterPartitionManager.onResponse(ctx, controller, msg) || leader === null || leader.pendingIsr === null) return;
    if (leader.handleAlterPartitionResponse(msg.meta!)) this.maybeIncrementLeaderHW(ctx, msg.partition);
  }

  // ---- follower ----

  truncate(ctx: Ctx, p: number, offset: number, reason: TruncationReason): void {
    const log = this.logManager.logs[p]!;
    const from = log.logEndOffset;
    if (this.world.bugs.skipTruncation) return; // bug zoo: keep the divergent suffix
    const removed = log.truncateTo(offset, offset < from ? batchBaseAt(log, offset) : offset); // Kafka cuts at a batch start
    if (removed.length === 0) return;
    this.logManager.truncated(p, log.logEndOffset);
    this.world.stats.truncations++;
    this.world.stats.recordsTruncated += removed.length;
    ctx.emit({ type: 'truncate', partition: this.world.layout.partitions[p].name, toOffset: log.logEndOffset, fromOffset: from, removed, reason, ...(from - removed.length < log.logEndOffset ? { cutOffset: from - removed.length } : null) });
  }

  /**
   * The DeleteRecords API on the leader (ReplicaManager.deleteRecords): the log start offset moves
   * to `offset` (-1: the high watermark); past the high watermark Kafka answers
   * OFFSET_OUT_OF_RANGE. Followers follow through their fetches. Returns the error, or null.
   */
  deleteRecords(ctx: Ctx, p: number, offset: number): string | null {
    const log = this.logManager.logs[p];
    if (log === null || this.leaders[p] === null) return 'NOT_LEADER_OR_FOLLOWER';
    const to = offset === -1 ? log.highWatermark : offset;
    if (to > log.highWatermark) return 'OFFSET_OUT_OF_RANGE';
    this.logManager.maybeIncrementLogStartOffset(ctx, p, to, 'delete-records');
    return null;
  }

  /**
   * The follower's log starts again at offset (Partition.truncateFullyAndStartAt): behind the leader's log
   * start (ReplicaFetcherThread.handleOffsetOutOfRange), or at the base of the leader's batch holding it (KAFKA-6975).
   */
  truncateFullyAndStartAt(ctx: Ctx, p: number, offset: number): void {
    this.logManager.logs[p]!.truncateFullyAndStartAt(offset, ctx.nowUs);
    this.logManager.truncated(p, offset), this.logManager.producerStates[p]!.truncateHead(offset); // its producer state emptied
    ctx.emit({ type: 'retention', partition: this.world.layout.partitions[p].name, logStartOffset: offset, cause: 'leader' });
  }

  /** A follower's log start follows the leader's (retention's or a DeleteRecords'), never past its own HW. */
  maybeIncrementLogStartOffset(ctx: Ctx, p: number, leaderLogStartOffset: number): void {
    this.logManager.maybeIncrementLogStartOffset(ctx, p, Math.min(leaderLogStartOffset, this.logManager.logs[p]!.highWatermark), 'leader');
  }

  /** Fetched records at fetchOffset: appended, then the leader's HW adopted as far as the log reaches. */
  processPartitionData(ctx: Ctx, p: number, fetchOffset: number, records: MemoryRecords, leaderHighWatermark: number): number {
    const log = this.logManager.logs[p]!;
    let fsyncUs = 0;
    if (records.length > 0) {
      fsyncUs = this.logManager.appendAsFollower(ctx, p, fetchOffset, records);
      this.flaws.appended(ctx, p, this.fetcher.fetchState(p), records.epoch(records.length - 1), log.logEndOffset);
    }
    log.maybeIncrementHighWatermark(leaderHighWatermark < log.logEndOffset ? leaderHighWatermark : log.logEndOffset);
    return fsyncUs;
  }
}
