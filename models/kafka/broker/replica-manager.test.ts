import { describe, expect, it } from 'vitest';
import type { MetadataImage, PartitionMeta } from '../controller/metadata-image.ts';
import {
  INVALID_PRODUCER_EPOCH,
  NOT_ENOUGH_REPLICAS,
  NOT_LEADER_OR_FOLLOWER,
  REQUEST_TIMED_OUT,
  type ProduceBatch,
  type ProduceRequest,
} from '../messages.ts';
import type { ProtocolEra } from '../version/protocol-features.ts';
import { LogManager } from '../storage/log-manager.ts';
import { GAP_RECORD_ID, MemoryRecords } from '../storage/log-record-store.ts';
import { RecordingContext } from '../testing/recording-context.ts';
import { testWorld } from '../testing/test-world.ts';
import { MetadataCache } from './metadata-cache.ts';
import { ReplicaManager } from './replica-manager.ts';
import { FETCHING, TRUNCATING } from './partition-fetch-state.ts';

/** Broker `self` of b1-b3, replicas of partition orders-0 on all three, min.insync.replicas 2. */
function replicaManager(self = 0, era: ProtocolEra = 'current') {
  const world = testWorld({ durationMs: 60_000, era, brokerConfig: { 'min.insync.replicas': 2 } });
  const logs = new LogManager(world, self, 100);
  const cache = new MetadataCache(self, world.kraft);
  const rm = new ReplicaManager(world, self, logs, cache);
  const ctx = new RecordingContext(world.layout.brokerNode[self]);
  let version = 0;
  const apply = (meta: Partial<PartitionMeta>) => {
    const image: MetadataImage = {
      version: ++version,
      partitions: [{ leader: 0, leaderEpoch: 0, partitionEpoch: 0, isr: [0, 1, 2], replicas: [0, 1, 2], ...meta }],
      fenced: [false, false, false],
      shuttingDown: [false, false, false],
      incarnations: [1, 1, 1],
    };
    if (cache.update(image, 1)) rm.applyDelta(ctx, image, 1);
  };
  return { world, rm, ctx, apply, log: logs.logs[0]! };
}

let nextBatchId = 0;
function produce(recordIds: number[], over: Partial<ProduceBatch> = {}, acks = -1): ProduceRequest {
  const batch: ProduceBatch = { batchId: nextBatchId++, partition: 0, recordIds, producerId: -1, producerEpoch: -1, baseSequence: -1, ...over };
  return { type: 'produce', requestId: batch.batchId, producer: 0, acks, timeoutUs: 30_000_000, batches: [batch] };
}

/** Follower `broker` fetches partition 0 at offset (naming the epoch of its last record, Fetch v12, when lastFetchedEpoch is given). */
function fetchFrom(rm: ReplicaManager, ctx: RecordingContext, broker: number, offset: number, epoch = 0, lastFetchedEpoch?: number): void {
  const part = { partition: 0, fetchOffset: offset, currentLeaderEpoch: epoch, ...(lastFetchedEpoch === undefined ? {} : { lastFetchedEpoch }) };
  rm.fetchMessages(ctx, { type: 'fetch', requestId: 100 + broker, broker, parts: [part] });
}

describe('ReplicaManager as leader', () => {
  it('answers acks=all once the ISR has the records, with their offset', () => {
    const { rm, ctx, apply, log } = replicaManager();
    apply({});
    rm.produceAppends.start(ctx, 99, produce([1, 2, 3]));
    expect(log.logEndOffset).toBe(3);
    expect(ctx.sentOf('produce-response')).toEqual([]);
    fetchFrom(rm, ctx, 1, 3);
    expect(ctx.sentOf('produce-response')).toEqual([]); // b3 is in the ISR and has nothing yet
    fetchFrom(rm, ctx, 2, 3);
    expect(log.highWatermark).toBe(3);
    expect(ctx.sentOf('produce-response')).toEqual([
      { type: 'produce-response', requestId: expect.any(Number), results: [{ batchId: expect.any(Number), partition: 0, error: null, baseOffset: 0, leaderEpoch: 0, logStartOffset: -1 }] },
    ]);
    expect(ctx.eventsOf('hw').map((e) => e.hw)).toEqual([3]);
  });

  it('refuses what it does not lead, and acks=all below min.insync.replicas', () => {
    const { rm, ctx, apply, log } = replicaManager(1);
    apply({});
    rm.produceAppends.start(ctx, 99, produce([1]));
    expect(ctx.sentOf('produce-response')[0].results[0].error).toBe(NOT_LEADER_OR_FOLLOWER);
    ctx.clear();
    apply({ leader: 1, leaderEpoch: 1, partitionEpoch: 1, isr: [1] });
    rm.produceAppends.start(ctx, 99, produce([2]));
    expect(ctx.sentOf('produce-response')[0].results[0]).toMatchObject({ error: NOT_ENOUGH_REPLICAS, leaderEpoch: 1 });
    expect(log.logEndOffset).toBe(0);
    rm.produceAppends.start(ctx, 99, produce([3], {}, 1));
    expect(ctx.sentOf('produce-response')[1].results[0]).toMatchObject({ error: null, baseOffset: 0 });
  });

  it('answers a retried idempotent batch with its original offset instead of appending it again', () => {
    const { rm, ctx, apply, log } = replicaManager();
    apply({ isr: [0] });
    const idempotent = { producerId: 7, producerEpoch: 0, baseSequence: 0 };
    rm.produceAppends.start(ctx, 99, produce([1, 2], idempotent, 1));
    rm.produceAppends.start(ctx, 99, produce([1, 2], idempotent, 1));
    expect(log.logEndOffset).toBe(2);
    expect(ctx.sentOf('produce-response').map((r) => r.results[0].baseOffset)).toEqual([0, 0]);
    rm.produceAppends.start(ctx, 99, produce([3], { producerId: 7, producerEpoch: -2, baseSequence: 2 }, 1));
    expect(ctx.sentOf('produce-response')[2].results[0].error).toBe(INVALID_PRODUCER_EPOCH);
  });

  it('fails a parked produce when its timeout passes or leadership moves', () => {
    const { rm, ctx, apply } = replicaManager();
    apply({});
    rm.produceAppends.start(ctx, 99, produce([1]));
    expect(ctx.pendingTimersOf('produce-timeout')).toEqual([{ type: 'produce-timeout' }]);
    ctx.nowUs = 29_999_999;
    rm.delayedProduce.expireDue(ctx); // not yet: the timer waits for the deadline
    expect(ctx.sentOf('produce-response')).toEqual([]);
    ctx.nowUs = 30_000_000;
    rm.delayedProduce.expireDue(ctx);
    expect(ctx.sentOf('produce-response')[0].results[0].error).toBe(REQUEST_TIMED_OUT);
    rm.produceAppends.start(ctx, 99, produce([2]));
    apply({ leader: 1, leaderEpoch: 1, partitionEpoch: 1 });
    expect(ctx.sentOf('produce-response')[1].results[0].error).toBe(NOT_LEADER_OR_FOLLOWER);
  });

  it('proposes to drop a follower that has not caught up within replica.lag.time.max.ms', () => {
    const { rm, ctx, apply, world } = replicaManager();
    apply({});
    rm.produceAppends.start(ctx, 99, produce([1], {}, 1));
    ctx.nowUs = 20_000_000;
    fetchFrom(rm, ctx, 1, 1);
    fetchFrom(rm, ctx, 2, 0);
    ctx.nowUs = 31_000_000;
    rm.maybeShrinkIsr(ctx);
    const [proposal] = ctx.sentOf('alter-partition');
    expect(proposal).toMatchObject({ broker: 0, partition: 0, leaderEpoch: 0, partitionEpoch: 0, isr: [0, 1] });
    expect(ctx.sent.filter((s) => s.msg.type === 'alter-partition').map((s) => s.to)).toEqual(world.layout.controllerNode);
    // An inactive controller's NOT_CONTROLLER settles nothing; a proposal whose request timed out
    // (controller.socket.timeout.ms) goes again after the retry delay; the answer is adopted.
    rm.handleAlterPartitionResponse(ctx, 1, { type: 'alter-partition-response', requestId: proposal.requestId, partition: 0, error: 'NOT_CONTROLLER', meta: null });
    expect(rm.leaderPartition(0)!.pendingIsr).toEqual([0, 1]);
    const [timeout] = ctx.pendingTimersOf('alter-partition-timeout');
    expect(rm.alterPartitionManager.onRequestTimeout(ctx, timeout.partition, timeout.requestId)).toEqual([0, 2]); // controller 1 answered
    ctx.clear();
    rm.resendAlterPartitions(ctx);
    const [again] = ctx.sentOf('alter-partition');
    expect(ctx.sentOf('alter-partition')).toHaveLength(world.layout.controllerCount);
    ctx.clear();
    rm.resendAlterPartitions(ctx); // in flight: not again
    expect(ctx.sentOf('alter-partition')).toEqual([]);
    rm.handleAlterPartitionResponse(ctx, 0, { type: 'alter-partition-response', requestId: again.requestId, partition: 0, error: null, meta: { leader: 0, leaderEpoch: 0, partitionEpoch: 1, isr: [0, 1], replicas: [0, 1, 2] } });
    expect(rm.leaderPartition(0)).toMatchObject({ isr: [0, 1], partitionEpoch: 1, pendingIsr: null });
    expect(rm.localLog(0)!.highWatermark).toBe(1);
  });

  it('leads on in an epoch the controller bumped for a shrink: keeps its followers\' log end offsets and its waiting produces (Partition.makeLeader, isNewLeader false)', () => {
    const { rm, ctx, apply, log } = replicaManager();
    apply({});
    rm.produceAppends.start(ctx, 99, produce([1, 2]));
    fetchFrom(rm, ctx, 1, 2);
    fetchFrom(rm, ctx, 2, 1);
    expect(log.highWatermark).toBe(1);
    // b3 leaves the ISR in epoch 1 (ZooKeeper controller, or KRaft before 3.6): b2 already has
    // both records, so the HW reaches 2 at once and the produce is answered, not failed.
    apply({ leaderEpoch: 1, partitionEpoch: 1, isr: [0, 1] });
    expect(rm.leaderPartition(0)).toMatchObject({ leaderEpoch: 1, isr: [0, 1] });
    expect(log.highWatermark).toBe(2);
    expect(ctx.sentOf('produce-response').map((r) => r.results[0].error)).toEqual([null]);
    // A produce waiting across the bump completes when the ISR reaches it.
    rm.produceAppends.start(ctx, 99, produce([3]));
    apply({ leaderEpoch: 2, partitionEpoch: 2, isr: [0, 1] });
    expect(ctx.sentOf('produce-response')).toHaveLength(1);
    fetchFrom(rm, ctx, 1, 3, 2);
    expect(ctx.sentOf('produce-response').map((r) => r.results[0].error)).toEqual([null, null]);
  });

  it('answers a fetch whose last fetched epoch diverges from its log with divergingEpoch at once, without taking the follower\'s offset (KAFKA-10554)', () => {
    const { rm, ctx, apply, log } = replicaManager();
    apply({});
    rm.produceAppends.start(ctx, 99, produce([1, 2, 3]));
    fetchFrom(rm, ctx, 1, 3, 0, 0);
    fetchFrom(rm, ctx, 2, 3, 0, 0);
    apply({ leaderEpoch: 2, partitionEpoch: 2 });
    rm.produceAppends.start(ctx, 99, produce([4, 5]));
    ctx.clear();
    // b2 holds offsets 3-4 from an epoch-1 leader this one never followed: epoch 1 ends, here, where epoch 0 does.
    fetchFrom(rm, ctx, 1, 5, 2, 1);
    const [diverged] = ctx.sentOf('fetch-response');
    expect(diverged.parts[0]).toMatchObject({ error: null, divergingEpoch: { epoch: 0, endOffset: 3 } });
    expect(diverged.parts[0].records.length).toBe(0);
    fetchFrom(rm, ctx, 2, 5, 2, 2); // b3 has all five
    expect(log.highWatermark).toBe(3); // b2's offset 5 was not taken: the HW waits for b2 at 3
    // Decoy: a fetch whose last epoch the leader has up to its offset does not diverge.
    ctx.clear();
    fetchFrom(rm, ctx, 1, 3, 2, 0);
    expect(ctx.sentOf('fetch-response')[0].parts[0].divergingEpoch).toBeUndefined();
    expect(ctx.sentOf('fetch-response')[0].parts[0].records.length).toBe(2);
  });

  it('fences a follower fetch from an older leader epoch (KIP-320)', () => {
    const { rm, ctx, apply } = replicaManager();
    apply({ leaderEpoch: 3 });
    fetchFrom(rm, ctx, 1, 0, 2);
    expect(ctx.sentOf('fetch-response')[0].parts[0].error).toBe('FENCED_LEADER_EPOCH');
  });
});

describe('ReplicaManager as follower', () => {
  it('truncates to its HW on becoming follower before KIP-101, and not after', () => {
    for (const era of ['hw-truncation', 'kip-101'] as const) {
      const { rm, ctx, apply, log, world } = replicaManager(1, era);
      apply({ leader: 1, isr: [0, 1] });
      for (const id of [1, 2, 3]) rm.produceAppends.start(ctx, 99, produce([id], {}, 1));
      fetchFrom(rm, ctx, 0, 3);
      expect(log.highWatermark).toBe(3);
      rm.produceAppends.start(ctx, 99, produce([4], {}, 1));
      expect(log.highWatermark).toBe(3);
      ctx.clear();
      apply({ leader: 0, leaderEpoch: 1, partitionEpoch: 1, isr: [0] });
      expect(log.logEndOffset).toBe(era === 'hw-truncation' ? 3 : 4);
      expect(ctx.connects).toEqual([world.layout.brokerNode[0]]); // the fetcher connects to its new leader first
      rm.fetcher.onConnect(ctx, 0);
      expect(ctx.sentOf(era === 'hw-truncation' ? 'fetch' : 'offsets-for-leader-epoch')).toHaveLength(1);
    }
  });

  // KAFKA-7164's sequence from b3's side: it follows b1 in epoch 0 with b1's uncommitted r1; it
  // misses epoch 1 (b2 led, b1 truncated r1); it learns of epoch 2, led by b1 again.
  it('a follower that missed an epoch skips truncation when the leader is the same broker again, before KAFKA-7164\'s fix', () => {
    for (const era of ['kip-279', 'current'] as const) {
      const { rm, ctx, apply, log } = replicaManager(2, era);
      apply({ leader: 0, isr: [0, 1, 2] });
      rm.fetcher.onConnect(ctx, 0);
      rm.processPartitionData(ctx, 0, 0, MemoryRecords.of([{ id: 1, epoch: 0, producerId: -1, producerEpoch: -1, sequence: -1, batchSize: 1, appendUs: 0 }]), 0);
      expect(log.logEndOffset).toBe(1);
      ctx.clear();
      const before = rm.fetcher.fetchState(0);
      apply({ leader: 0, leaderEpoch: 2, partitionEpoch: 2, isr: [0, 1, 2] });
      const fs = rm.fetcher.fetchState(0)!;
      expect(fs.leaderEpoch).toBe(2);
      if (era === 'kip-279') {
        // Kafka 2.0.0: Partition.makeFollower returns false (same leader): still fetching past r1.
        expect(fs).toBe(before);
        expect(fs.state).toBe(FETCHING);
        expect(ctx.sentOf('offsets-for-leader-epoch')).toEqual([]);
      } else {
        // Every epoch change goes through become-follower (a new fetch state); from 2.8 it fetches
        // at once, naming epoch 0 for the leader to check (KAFKA-10554), where 2.1-2.7 truncate first.
        expect(fs).not.toBe(before);
        expect(fs.state).toBe(FETCHING);
      }
    }
  });
});

// Batch-granular logs: the leader serves a follower from the start of the batch holding its fetch
// offset, and a follower's truncation inside a batch cuts the whole batch while its log end offset
// becomes the truncation offset, over gap entries. Decoys: one-record batches change nothing.
describe('ReplicaManager with record batches', () => {
  /** Broker b1 leading orders-0, its log holding `batches`, one acks=1 produce each. */
  function leaderWith(batches: number[][]) {
    const l = replicaManager();
    l.apply({});
    for (const recordIds of batches) l.rm.produceAppends.start(l.ctx, 99, produce(recordIds, {}, 1));
    l.ctx.clear();
    return l;
  }
  const servedAt = (l: ReturnType<typeof leaderWith>, offset: number) => (fetchFrom(l.rm, l.ctx, 1, offset), l.ctx.sentOf('fetch-response').at(-1)!.parts[0]);

  it('a leader serves a fetch from the start of the batch holding the fetch offset (LogSegment.read)', () => {
    const part = servedAt(leaderWith([[1, 2, 3, 4]]), 2);
    expect(part.recordsBaseOffset).toBe(0);
    expect(part.records.toArray().map((r) => r.id)).toEqual([1, 2, 3, 4]);
  });

  it('decoy: one-record batches are served from the fetch offset', () => {
    const part = servedAt(leaderWith([[1], [2], [3], [4]]), 2);
    expect(part.recordsBaseOffset).toBeUndefined();
    expect(part.records.toArray().map((r) => r.id)).toEqual([3, 4]);
  });

  it('a truncation inside a batch cuts the batch; the log end offset is the truncation offset, over a gap (Log.truncateTo)', () => {
    const l = leaderWith([[1, 2, 3, 4], [5]]);
    l.apply({ leader: 1, leaderEpoch: 1, isr: [1, 2] });
    l.ctx.clear();
    l.rm.truncate(l.ctx, 0, 2, 'leader-epoch');
    expect([l.log.logEndOffset, l.log.idAt(0), l.log.idAt(1)]).toEqual([2, GAP_RECORD_ID, GAP_RECORD_ID]);
    expect(l.ctx.eventsOf('truncate')).toEqual([{ type: 'truncate', partition: 'orders-0', toOffset: 2, fromOffset: 5, removed: [1, 2, 3, 4, 5], reason: 'leader-epoch', cutOffset: 0 }]);
  });

  it('decoy: a truncation between batches keeps every record below it', () => {
    const l = leaderWith([[1], [2], [3], [4], [5]]);
    l.apply({ leader: 1, leaderEpoch: 1, isr: [1, 2] });
    l.ctx.clear();
    l.rm.truncate(l.ctx, 0, 2, 'leader-epoch');
    expect([l.log.logEndOffset, l.log.idAt(0), l.log.idAt(1)]).toEqual([2, 1, 2]);
    expect(l.ctx.eventsOf('truncate')).toEqual([{ type: 'truncate', partition: 'orders-0', toOffset: 2, fromOffset: 5, removed: [3, 4, 5], reason: 'leader-epoch' }]);
  });
});
