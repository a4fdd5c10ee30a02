// A produce request's appends on this broker (ReplicaManager.appendRecords -> appendToLocalLog ->
// Partition.appendRecordsToLeader -> UnifiedLog.append), done by one request handler thread batch
// by batch in the request's order. An append that reaches log.flush.interval.messages fsyncs
// inside the log's lock (UnifiedLog.append calls flush within `lock synchronized`), so the handler
// thread waits for the disk before the request's next batch and before the response (or, for
// acks=0, before the channel is unmuted: KafkaApis sends the NoOpResponse from the append's
// callback; with an error in any batch it closes the connection instead), and the log's next
// append, from any request, waits for the lock. Without a flush
// policy nothing waits, and a request is appended and answered (or parked) in one step.

import type { NodeContext } from '../../../src/sim/model.ts';
import type { ProduceRequest, ProduceResult, KafkaMessage } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';
import type { DelayedFetchPurgatory } from './delayed-fetch.ts';
import type { DelayedProduce, DelayedProducePurgatory } from './delayed-produce.ts';
import type { Partition } from './partition.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** What the appends need of the replica manager. */
interface LeaderAppender {
  /** Appends batch i of req unless refused: how long the append's own fsync takes (us), or -1 when nothing was appended. */
  appendBatch(ctx: Ctx, req: ProduceRequest, dp: DelayedProduce, i: number): number;
  /** Moves partition p's HW if its ISR allows (Partition.maybeIncrementLeaderHW). */
  maybeIncrementLeaderHW(ctx: Ctx, p: number): boolean;
  leaderPartition(p: number): Partition | null;
  readonly delayedFetch: DelayedFetchPurgatory;
}

/** Until when an fsync inside an append holds partition p's log (storage/log-manager.ts). */
interface AppendLocks {
  appendLockedUntil(p: number): number;
}

/** A request part-way through its appends, waiting for the disk. */
interface Appending {
  readonly req: ProduceRequest;
  readonly dp: DelayedProduce;
  /** The next batch to append. */
  next: number;
  /** Until when the handler thread is in this request's last fsync. */
  busyUntilUs: number;
  /** Partitions appended to, in order, for their HW moves once the request is through. */
  appended: number[] | null;
  /** Partitions whose append fsynced: their parked follower fetches complete once the request is through. */
  fsynced: number[] | null;
}

export class ProduceAppends {
  /** Requests waiting for an fsync, by their DelayedProduce key. */
  private readonly waiting = new Map<number, Appending>();

  constructor(
    private readonly replicas: LeaderAppender,
    private readonly delayedProduce: DelayedProducePurgatory,
    private readonly locks: AppendLocks,
  ) {}

  /** A produce request come from `from` on `connection`: appended batch by batch, then answered or parked. */
  start(ctx: Ctx, from: number, req: ProduceRequest, connection = -1): void {
    const dp = this.delayedProduce.create(from, req.requestId, new Array<ProduceResult>(req.batches.length), connection);
    this.appendFrom(ctx, { req, dp, next: 0, busyUntilUs: 0, appended: null, fsynced: null });
  }

  /** The disk is done with what a waiting request waited for (its 'produce-append' timer). */
  resume(ctx: Ctx, key: number): void {
    const a = this.waiting.get(key);
    if (a === undefined) return; // the process restarted or stopped meanwhile
    this.waiting.delete(key);
    this.appendFrom(ctx, a);
  }

  /** Forgets every waiting request (process start, clean shutdown): its timer finds nothing. */
  clear(): void {
    this.waiting.clear();
  }

  private appendFrom(ctx: Ctx, a: Appending): void {
    const batches = a.req.batches;
    for (; a.next < batches.length; a.next++) {
      const readyUs = Math.max(a.busyUntilUs, this.locks.appendLockedUntil(batches[a.next].partition));
      if (readyUs > ctx.nowUs) return this.wait(ctx, a, readyUs);
      const fsyncUs = this.replicas.appendBatch(ctx, a.req, a.dp, a.next);
      if (fsyncUs < 0) continue;
      (a.appended ??= []).push(batches[a.next].partition);
      if (fsyncUs > 0) (a.fsynced ??= []).push(batches[a.next].partition);
      a.busyUntilUs = ctx.nowUs + fsyncUs;
    }
    // the last batch's fsync: the response waits for it too
    if (a.busyUntilUs > ctx.nowUs) return this.wait(ctx, a, a.busyUntilUs);
    // ReplicaManager.appendRecords' completion actions: parked follower fetches of what was appended
    if (a.fsynced !== null)
      for (const p of a.fsynced) {
        const leader = this.replicas.leaderPartition(p);
        if (leader !== null) this.replicas.delayedFetch.tryCompleteFollowerFetches(ctx, p, leader.replicas);
      }
    if (a.req.acks !== 0) this.delayedProduce.tryCompleteElseWatch(ctx, a.dp, a.req.timeoutUs);
    else if (a.dp.results.some((r) => r !== undefined && r.error !== null)) this.delayedProduce.closeConnection(ctx, a.dp);
    else this.delayedProduce.unmute(a.dp);
    if (a.appended !== null) for (const p of a.appended) this.replicas.maybeIncrementLeaderHW(ctx, p);
  }

  private wait(ctx: Ctx, a: Appending, untilUs: number): void {
    this.delayedProduce.holdWhileAppending(a.dp);
    this.waiting.set(a.dp.key, a);
    ctx.setTimer(untilUs - ctx.nowUs, { type: 'produce-append', key: a.dp.key });
  }
}
