// The follower side of replication on one broker: one fetch session per leader broker covering
// every partition this broker follows from it (one request in flight per pair, the leader
// long-polls it up to replica.fetch.wait.max.ms), and the truncation a follower does before it
// fetches, by protocol era:
// - 'hw-truncation' (before 0.11): truncate to the high watermark on becoming follower (the
//   broker does it in becomeFollower); a fetch past the leader's LEO (OFFSET_OUT_OF_RANGE)
//   truncates to the leader's LEO.
// - 'kip-101': ask the leader (OffsetsForLeaderEpoch) where the follower's latest epoch ends and
//   truncate there.
// - 'kip-279' and 'current': the same, but when the leader answers with an earlier epoch the
//   follower does not have, it truncates to its own end of that epoch and asks again, walking
//   back epoch by epoch (AbstractFetcherThread.getOffsetTruncationState in Kafka 2.0).
// - 'current' also sends the current leader epoch with every fetch (KIP-320); the leader fences
//   stale or future epochs. (Current Kafka finds the divergence inside the fetch response, KIP-595
//   style; the OffsetsForLeaderEpoch walk reaches the same offset.)
//
// Simplification: a fetch with no response is retried after FETCH_REQUEST_TIMEOUT_US
// (replica.socket.timeout.ms default), no TCP reset is modelled.

import type { NodeContext } from '../../../src/sim/model.ts';
import type { Broker } from './broker.ts';
import {
  OFFSET_OUT_OF_RANGE,
  type FetchPartition,
  type FetchResponse,
  type KafkaMessage,
  type OffsetsForLeaderEpochResponse,
} from '../messages.ts';
import { NO_LEADER } from '../controller/metadata-image.ts';
import { UNDEFINED_EPOCH } from '../storage/partition-log.ts';
import type { KafkaTimer } from '../timers.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** replica.socket.timeout.ms default. */
export const FETCH_REQUEST_TIMEOUT_US = 30_000_000;

export const FOLLOWER_TRUNCATING = 0;
export const FOLLOWER_FETCHING = 1;

export class FollowerState {
  constructor(
    readonly leader: number,
    readonly leaderEpoch: number,
    public state: number,
  ) {}
  /** KIP-279 walk-back: the epoch to ask about next (-1: the log's latest). */
  askEpoch = -1;
}

export class ReplicaFetcher {
  /** Fetch request in flight per leader broker (0: none). */
  private readonly inflight: Int32Array;
  private readonly inflightTimer: Int32Array;
  private readonly backoffPending: Uint8Array;
  /** OffsetsForLeaderEpoch request in flight per partition (0: none). */
  private readonly epochInflight: Int32Array;
  private nextRequestId = 1;
  private readonly backoffUs: number;

  constructor(private readonly broker: Broker) {
    const layout = broker.world.layout;
    this.inflight = new Int32Array(layout.brokerCount);
    this.inflightTimer = new Int32Array(layout.brokerCount).fill(-1);
    this.backoffPending = new Uint8Array(layout.brokerCount);
    this.epochInflight = new Int32Array(layout.partitions.length);
    this.backoffUs = broker.world.scenario.brokerConfig['replica.fetch.backoff.ms'] * 1000;
  }

  /** Forgets everything in flight (process restart). Request ids keep growing. */
  reset(): void {
    this.inflight.fill(0);
    this.inflightTimer.fill(-1);
    this.backoffPending.fill(0);
    this.epochInflight.fill(0);
  }

  /** Sends the next fetch to `leader` (and pending truncation requests) unless one is in flight. */
  kick(ctx: Ctx, leader: number): void {
    if (leader === NO_LEADER || leader === this.broker.index) return;
    if (this.inflight[leader] !== 0 || this.backoffPending[leader] !== 0) return;
    const b = this.broker;
    let parts: FetchPartition[] | null = null;
    for (const p of b.world.layout.partitionsOfBroker[b.index]) {
      const fs = b.followers[p];
      if (fs === null || fs.leader !== leader) continue;
      if (fs.state === FOLLOWER_TRUNCATING) {
        if (this.epochInflight[p] === 0) this.sendEpochRequest(ctx, p, fs);
        if (fs.state === FOLLOWER_TRUNCATING) continue;
      }
      (parts ??= []).push({ partition: p, fetchOffset: b.logs[p]!.logEndOffset, currentLeaderEpoch: fs.leaderEpoch });
    }
    if (parts === null) return;
    const requestId = this.nextRequestId++;
    this.inflight[leader] = requestId;
    b.world.stats.fetchRequests++;
    ctx.send(b.world.layout.brokerNode[leader], { type: 'fetch', requestId, broker: b.index, parts });
    this.inflightTimer[leader] = ctx.setTimer(FETCH_REQUEST_TIMEOUT_US, { type: 'fetch-timeout', leader, requestId });
  }

  onFetchTimeout(ctx: Ctx, leader: number, requestId: number): void {
    if (this.inflight[leader] !== requestId) return;
    this.inflight[leader] = 0;
    this.inflightTimer[leader] = -1;
    this.kick(ctx, leader);
  }

  onBackoff(ctx: Ctx, leader: number): void {
    this.backoffPending[leader] = 0;
    this.kick(ctx, leader);
  }

  private backoff(ctx: Ctx, leader: number): void {
    if (this.backoffPending[leader] !== 0) return;
    this.backoffPending[leader] = 1;
    ctx.setTimer(this.backoffUs, { type: 'fetch-backoff', leader });
  }

  onFetchResponse(ctx: Ctx, leader: number, msg: FetchResponse): void {
    if (this.inflight[leader] !== msg.requestId) return;
    this.inflight[leader] = 0;
    ctx.cancelTimer(this.inflightTimer[leader]);
    this.inflightTimer[leader] = -1;
    const b = this.broker;
    let failed = false;
    for (const part of msg.parts) {
      const p = part.partition;
      const fs = b.followers[p];
      if (fs === null || fs.leader !== leader || fs.state !== FOLLOWER_FETCHING) continue;
      const log = b.logs[p]!;
      if (part.error !== null) {
        if (part.error === OFFSET_OUT_OF_RANGE && log.logEndOffset > part.logEndOffset) {
          // The follower is ahead of the leader. Before KIP-101 it truncates to the leader's LEO;
          // with leader epochs it finds the divergence point first.
          if (!b.world.protocol.truncationByLeaderEpoch) b.truncate(ctx, p, part.logEndOffset, 'high-watermark');
          else fs.state = FOLLOWER_TRUNCATING;
        } else failed = true;
        continue;
      }
      if (part.fetchOffset !== log.logEndOffset) continue; // we truncated since sending: stale data
      if (part.records.length > 0) b.appendAsFollower(ctx, p, part.records);
      const hw = part.highWatermark < log.logEndOffset ? part.highWatermark : log.logEndOffset;
      if (hw > log.highWatermark) log.highWatermark = hw;
    }
    if (failed) this.backoff(ctx, leader);
    else this.kick(ctx, leader);
  }

  private sendEpochRequest(ctx: Ctx, p: number, fs: FollowerState): void {
    const b = this.broker;
    const log = b.logs[p]!;
    const epoch = fs.askEpoch >= 0 ? fs.askEpoch : log.latestEpoch();
    if (epoch === UNDEFINED_EPOCH) {
      // Nothing to reconcile: an empty log (or one with no epoch entries) just fetches.
      fs.state = FOLLOWER_FETCHING;
      return;
    }
    const requestId = this.nextRequestId++;
    this.epochInflight[p] = requestId;
    b.world.stats.epochRequests++;
    ctx.send(b.world.layout.brokerNode[fs.leader], {
      type: 'offsets-for-leader-epoch',
      requestId,
      broker: b.index,
      partition: p,
      currentLeaderEpoch: fs.leaderEpoch,
      leaderEpoch: epoch,
    });
    ctx.setTimer(FETCH_REQUEST_TIMEOUT_US, { type: 'epoch-request-timeout', partition: p, requestId });
  }

  onEpochRequestTimeout(ctx: Ctx, p: number, requestId: number): void {
    if (this.epochInflight[p] !== requestId) return;
    this.epochInflight[p] = 0;
    const fs = this.broker.followers[p];
    if (fs !== null) this.kick(ctx, fs.leader);
  }

  onEpochResponse(ctx: Ctx, msg: OffsetsForLeaderEpochResponse): void {
    const p = msg.partition;
    if (this.epochInflight[p] !== msg.requestId) return;
    this.epochInflight[p] = 0;
    const b = this.broker;
    const fs = b.followers[p];
    if (fs === null || fs.state !== FOLLOWER_TRUNCATING) return;
    if (msg.error !== null) {
      // Retry after the backoff: the epoch request goes out with the next kick.
      this.backoff(ctx, fs.leader);
      return;
    }
    const log = b.logs[p]!;
    const leo = log.logEndOffset;
    let done = true;
    if (!b.world.protocol.truncationWalksBackEpochs || msg.leaderEpoch === UNDEFINED_EPOCH) {
      if (msg.endOffset < leo) b.truncate(ctx, p, msg.endOffset, 'leader-epoch');
    } else if (msg.endOffset < leo) {
      const mine = log.endOffsetForEpoch(msg.leaderEpoch);
      if (mine.epoch !== msg.leaderEpoch) {
        // KIP-279: we never had the leader's epoch; cut back to our end of it and ask again.
        b.truncate(ctx, p, Math.min(mine.endOffset, leo), 'diverging-epoch');
        fs.askEpoch = mine.epoch;
        done = mine.epoch === UNDEFINED_EPOCH;
      } else {
        b.truncate(ctx, p, Math.min(mine.endOffset, msg.endOffset, leo), 'leader-epoch');
      }
    }
    if (done) fs.state = FOLLOWER_FETCHING;
    this.kick(ctx, fs.leader);
  }
}
