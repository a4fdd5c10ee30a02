// Kafka's DelayedProduce and its purgatory: an acks=all produce request is answered once every
// batch in it is committed (the HW reached the batch's end, checkEnoughReplicasReachOffset: with
// NOT_ENOUGH_REPLICAS_AFTER_APPEND if the ISR shrank below min.insync.replicas meanwhile), or
// fails per batch with NOT_LEADER_OR_FOLLOWER when leadership moves and REQUEST_TIMED_OUT when the
// request's timeout passes. Batches wait per partition, in arrival order. Sending the response
// unmutes the client's channel (socket-server.ts), so its next request is read only then.
// A parked request sets no timer of its own: as the purgatory's expiration reaper (SystemTimer)
// expires what is due, one timer is armed at the earliest deadline (clients/request-deadline-timers.ts).

import type { NodeContext } from '../../../src/sim/model.ts';
import { NOT_ENOUGH_REPLICAS_AFTER_APPEND, NOT_LEADER_OR_FOLLOWER, REQUEST_TIMED_OUT, type KafkaMessage, type ProduceResult } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';
import { RequestDeadlineTimers } from '../clients/request-deadline-timers.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** A produce request parked until its acks=all batches are committed or it times out. */
export interface DelayedProduce {
  readonly key: number;
  readonly from: number;
  readonly requestId: number;
  /** The connection the request came on (the socket server's channel it mutes). */
  readonly connection: number;
  readonly results: ProduceResult[];
  /** Batches still waiting for the HW. */
  waiting: number;
  /** When the request times out (its timeout after it came). */
  deadlineUs: number;
  /** Its appends wait for an fsync (produce-appends.ts): held here, answered only once they are through. */
  appending: boolean;
}

/** The one key of the purgatory's timer. */
const PURGATORY = 0;
const PRODUCE_TIMEOUT: readonly KafkaTimer[] = [{ type: 'produce-timeout' }];

/** A produce batch waiting for the HW of its partition to reach requiredOffset. */
interface WaitingBatch {
  key: number;
  batch: number;
  requiredOffset: number;
}

export class DelayedProducePurgatory {
  private readonly delayed = new Map<number, DelayedProduce>();
  private readonly timer = new RequestDeadlineTimers(1, PRODUCE_TIMEOUT);
  private nextKey = 1;
  /** Waiting batches per global partition index. */
  private readonly watchers: WaitingBatch[][];
  /** Told when a response is sent (the broker's socket server); null in unit tests of the purgatory alone. */
  socketServer: { responseSent(to: number, connection: number): void; closed(from: number, connection: number): void } | null = null;

  constructor(
    partitionCount: number,
    /** Partitions this broker hosts, ascending. */
    private readonly hosted: readonly number[],
  ) {
    this.watchers = new Array(partitionCount);
    for (let p = 0; p < partitionCount; p++) this.watchers[p] = [];
  }

  /** Forgets every parked request (process start). Keys keep growing. */
  clear(): void {
    this.delayed.clear();
    this.timer.clear();
    for (const p of this.hosted) this.watchers[p].length = 0;
  }

  /** A new produce request, come on `connection`. */
  create(from: number, requestId: number, results: ProduceResult[], connection: number): DelayedProduce {
    return { key: this.nextKey++, from, requestId, connection, results, waiting: 0, deadlineUs: Infinity, appending: false };
  }

  /** Batch `batch` of dp waits until partition's HW reaches requiredOffset. */
  watch(dp: DelayedProduce, partition: number, batch: number, requiredOffset: number): void {
    dp.waiting++;
    this.watchers[partition].push({ key: dp.key, batch, requiredOffset });
  }

  /**
   * dp's appends wait for an fsync: its batches already appended may complete meanwhile (a
   * follower's fetch moves the HW), so it is held where they find it; it is answered only after
   * tryCompleteElseWatch.
   */
  holdWhileAppending(dp: DelayedProduce): void {
    dp.appending = true;
    this.delayed.set(dp.key, dp);
  }

  /** Answers dp now when nothing in it waits, else parks it until timeoutUs. */
  tryCompleteElseWatch(ctx: Ctx, dp: DelayedProduce, timeoutUs: number): void {
    dp.appending = false;
    if (dp.waiting === 0) {
      this.delayed.delete(dp.key);
      return this.respond(ctx, dp);
    }
    dp.deadlineUs = ctx.nowUs + Math.round(timeoutUs);
    this.timer.arm(ctx, PURGATORY, dp.deadlineUs);
    this.delayed.set(dp.key, dp);
  }

  /** The HW of partition moved to hw: batches now committed complete (checkAndComplete). */
  checkAndComplete(ctx: Ctx, partition: number, hw: number, isrBelowMin: boolean): void {
    const ws = this.watchers[partition];
    if (ws.length === 0) return;
    let kept = 0;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i];
      if (w.requiredOffset > hw) {
        ws[kept++] = w;
        continue;
      }
      // Kafka's checkEnoughReplicasReachOffset: committed, but was the ISR big enough?
      this.completeBatch(ctx, w.key, w.batch, isrBelowMin ? NOT_ENOUGH_REPLICAS_AFTER_APPEND : null);
    }
    ws.length = kept;
  }

  /** This broker no longer leads partition: its waiting batches fail. */
  failPartition(ctx: Ctx, partition: number): void {
    const waiting = this.watchers[partition].splice(0);
    for (const w of waiting) this.completeBatch(ctx, w.key, w.batch, NOT_LEADER_OR_FOLLOWER);
  }

  /** The purgatory's timer: the requests whose timeout passed expire, earliest first; it waits for the next deadline. */
  expireDue(ctx: Ctx): void {
    // the parked requests in arrival order; expire takes the due ones out of the map
    for (const dp of this.timer.takeDue(ctx, PURGATORY, [...this.delayed.values()])) this.expire(ctx, dp);
  }

  /** The request's timeout passed: what still waits fails with REQUEST_TIMED_OUT. */
  private expire(ctx: Ctx, dp: DelayedProduce): void {
    const key = dp.key;
    if (!this.delayed.delete(key)) return;
    for (const p of this.hosted) {
      const ws = this.watchers[p];
      if (ws.length === 0) continue;
      let kept = 0;
      for (const w of ws) {
        if (w.key === key) dp.results[w.batch].error = REQUEST_TIMED_OUT;
        else ws[kept++] = w;
      }
      ws.length = kept;
    }
    this.respond(ctx, dp);
  }

  /** Clean shutdown: parked requests were answered by failPartition (the timer, if it fires, finds none). */
  shutdown(): void {
    this.delayed.clear();
  }

  private completeBatch(ctx: Ctx, key: number, batch: number, error: string | null): void {
    const dp = this.delayed.get(key);
    if (dp === undefined) return;
    if (error !== null) dp.results[batch].error = error;
    if (--dp.waiting > 0 || dp.appending) return;
    this.delayed.delete(key);
    this.respond(ctx, dp);
  }

  /** acks=0: no response; the channel unmutes once the request's appends are through (KafkaApis' NoOpResponse). */
  unmute(dp: DelayedProduce): void {
    this.delayed.delete(dp.key);
    this.socketServer?.responseSent(dp.from, dp.connection);
  }

  /**
   * acks=0 with an error in some batch (NOT_LEADER_OR_FOLLOWER, say): no response can carry it, so
   * the broker closes the producer's connection, and the producer, seeing it closed, refreshes its
   * metadata (KafkaApis.handleProduceRequest: "the server will close socket server so that the
   * producer client will know that some error has happened and will refresh its metadata";
   * requestHelper.closeConnection).
   */
  closeConnection(ctx: Ctx, dp: DelayedProduce): void {
    this.delayed.delete(dp.key);
    this.socketServer?.closed(dp.from, dp.connection);
    ctx.closeAccepted(dp.from);
  }

  private respond(ctx: Ctx, dp: DelayedProduce): void {
    ctx.reply(dp.from, { type: 'produce-response', requestId: dp.requestId, results: dp.results });
    this.socketServer?.responseSent(dp.from, dp.connection);
  }
}
