// A produce request's appends wait for the disk as Kafka's request handler thread does: an append
// that reaches log.flush.interval.messages fsyncs inside the log's lock, so the response, the
// request's next batch, the log's next append and the parked follower fetches wait; without a
// flush policy the request is appended and answered at once.

import { describe, expect, it } from 'vitest';
import type { MetadataImage } from '../controller/metadata-image.ts';
import type { ProduceBatch, ProduceRequest } from '../messages.ts';
import { LogManager } from '../storage/log-manager.ts';
import { RecordingContext } from '../testing/recording-context.ts';
import { testWorld } from '../testing/test-world.ts';
import { MetadataCache } from './metadata-cache.ts';
import { ReplicaManager } from './replica-manager.ts';

const FSYNC_US = 2000;

/** b1 leads orders-0 and orders-1 (replicas b1-b3, ISR b1-b3); every append fsyncs when flushMessages is 1. */
function leader(flushMessages: number) {
  const world = testWorld({
    durationMs: 60_000,
    brokers: ['b1', 'b2', 'b3'].map((name, i) => ({ name, az: `az${i + 1}`, storage: { fsyncMs: FSYNC_US / 1000 } })),
    topics: [{ name: 'orders', replicas: [['b1', 'b2', 'b3'], ['b1', 'b2', 'b3']], config: { 'log.flush.interval.messages': flushMessages } }],
  });
  const logs = new LogManager(world, 0, 100);
  const cache = new MetadataCache(0, world.kraft);
  const rm = new ReplicaManager(world, 0, logs, cache);
  const ctx = new RecordingContext(world.layout.brokerNode[0]);
  const meta = { leader: 0, leaderEpoch: 0, partitionEpoch: 0, isr: [0, 1, 2], replicas: [0, 1, 2] };
  const image: MetadataImage = { version: 1, partitions: [meta, { ...meta }], fenced: [false, false, false], shuttingDown: [false, false, false], incarnations: [1, 1, 1] };
  if (cache.update(image, 1)) rm.applyDelta(ctx, image, 1);
  /** Fires every 'produce-append' timer due by nowUs, in time order. */
  const advanceTo = (nowUs: number) => {
    for (;;) {
      const due = ctx.timers.filter((t) => t.timer.type === 'produce-append' && t.atUs <= nowUs && !ctx.cancelled.has(t.id)).sort((a, b) => a.atUs - b.atUs)[0];
      if (due === undefined) break;
      ctx.cancelled.add(due.id);
      ctx.nowUs = due.atUs;
      if (due.timer.type === 'produce-append') rm.produceAppends.resume(ctx, due.timer.key);
    }
    ctx.nowUs = nowUs;
  };
  return { rm, ctx, logs, advanceTo };
}

let nextId = 0;
function produce(partitions: number[], acks: number): ProduceRequest {
  const batches: ProduceBatch[] = partitions.map((partition) => ({ batchId: nextId++, partition, recordIds: [nextId], producerId: -1, producerEpoch: -1, baseSequence: -1 }));
  return { type: 'produce', requestId: nextId++, producer: 0, acks, timeoutUs: 30_000_000, batches };
}

describe('produce appends and the fsync of log.flush.interval.messages', () => {
  it('without a flush policy an acks=1 request is appended and answered at once, with no timer', () => {
    const { rm, ctx, logs } = leader(Number.MAX_SAFE_INTEGER);
    rm.produceAppends.start(ctx, 99, produce([0, 1], 1));
    expect(ctx.sentOf('produce-response')).toHaveLength(1);
    expect(ctx.pendingTimersOf('produce-append')).toEqual([]);
    expect([logs.logs[0]!.logEndOffset, logs.logs[1]!.logEndOffset]).toEqual([1, 1]);
  });

  it('answers an acks=1 request after each of its batches fsynced, one after the other', () => {
    const { rm, ctx, logs, advanceTo } = leader(1);
    rm.produceAppends.start(ctx, 99, produce([0, 1], 1));
    // the handler thread is in orders-0's fsync: orders-1 waits its turn, nothing is answered
    expect(logs.logs[0]!.logEndOffset).toBe(1);
    expect(logs.logs[1]!.logEndOffset).toBe(0);
    advanceTo(FSYNC_US - 1);
    expect(logs.logs[1]!.logEndOffset).toBe(0);
    advanceTo(FSYNC_US);
    expect(logs.logs[1]!.logEndOffset).toBe(1);
    advanceTo(2 * FSYNC_US - 1);
    expect(ctx.sentOf('produce-response')).toEqual([]);
    advanceTo(2 * FSYNC_US);
    expect(ctx.sentOf('produce-response')).toHaveLength(1);
    expect(ctx.sentOf('produce-response')[0].results.map((r) => r.error)).toEqual([null, null]);
  });

  it("holds another request's append to a log until the log's fsync is over (UnifiedLog's lock)", () => {
    const { rm, ctx, logs, advanceTo } = leader(1);
    rm.produceAppends.start(ctx, 98, produce([0], 1));
    advanceTo(500);
    rm.produceAppends.start(ctx, 99, produce([0], 1));
    expect(logs.logs[0]!.logEndOffset).toBe(1);
    advanceTo(FSYNC_US);
    expect(logs.logs[0]!.logEndOffset).toBe(2);
    expect(ctx.sentOf('produce-response')).toHaveLength(1);
    advanceTo(2 * FSYNC_US);
    expect(ctx.sentOf('produce-response')).toHaveLength(2);
  });

  it('completes an acks=all request whose batches the followers fetched while it was still in fsync, once it is through', () => {
    const { rm, ctx, advanceTo } = leader(1);
    rm.produceAppends.start(ctx, 99, produce([0], -1));
    // both followers fetch the record (a fetch reads the log without its lock), then report it
    for (const broker of [1, 2]) rm.fetchMessages(ctx, { type: 'fetch', requestId: 200 + broker, broker, parts: [{ partition: 0, fetchOffset: 0, currentLeaderEpoch: 0 }] });
    for (const broker of [1, 2]) rm.fetchMessages(ctx, { type: 'fetch', requestId: 300 + broker, broker, parts: [{ partition: 0, fetchOffset: 1, currentLeaderEpoch: 0 }] });
    expect(ctx.sentOf('produce-response')).toEqual([]);
    advanceTo(FSYNC_US);
    const [response] = ctx.sentOf('produce-response');
    expect(response.results[0].error).toBeNull();
  });

  it("a follower's parked fetch completes only when the leader's fsync is over", () => {
    const { rm, ctx, advanceTo } = leader(1);
    rm.fetchMessages(ctx, { type: 'fetch', requestId: 201, broker: 1, parts: [{ partition: 0, fetchOffset: 0, currentLeaderEpoch: 0 }] });
    const parked = ctx.sentOf('fetch-response').length;
    rm.produceAppends.start(ctx, 99, produce([0], -1));
    expect(ctx.sentOf('fetch-response')).toHaveLength(parked);
    advanceTo(FSYNC_US);
    expect(ctx.sentOf('fetch-response')).toHaveLength(parked + 1);
  });
});
