// The consumer groups' end state: the committed offset is what a coordinator loads from the
// __consumer_offsets leader's log, up to its log end (GroupMetadataManager.doLoadGroupsAndOffsets).
import { describe, expect, it } from 'vitest';
import type { PartitionMeta } from '../controller/metadata-image.ts';
import { PartitionLog } from '../storage/partition-log.ts';
import { testWorld } from '../testing/test-world.ts';
import { finalConsumerGroups } from './final-consumer-groups.ts';
import { partitionForGroup } from './offsets-topic.ts';

describe('finalConsumerGroups', () => {
  it("reads a commit a new leader holds above its high watermark, as its coordinator loaded it", () => {
    const world = testWorld({
      topics: [{ name: 'orders', replicas: [['b1', 'b2', 'b3']] }],
      consumerGroups: [{ groupId: 'g', members: [{ name: 'm1', az: 'az1' }] }],
      durationMs: 1000,
    });
    const layout = world.layout;
    const offsets = layout.offsetsPartitions[partitionForGroup('g', layout.offsetsPartitions.length)];
    const orders = layout.partitionsOfTopic.get('orders')![0];
    // Commits of 361 then 362; the old leader acknowledged both, the new one has learnt a HW covering the first only.
    const log = new PartitionLog();
    for (const [id, offset] of [
      [100, 361],
      [101, 362],
    ]) {
      world.offsetsRecords.set(id, { kind: 'offset', group: 'g', partition: orders, offset, leaderEpoch: 0, key: 'g/orders-0' });
      log.appendAsLeader({ id, epoch: 0, producerId: -1, producerEpoch: -1, sequence: -1, batchSize: 1, appendUs: 0 });
    }
    log.maybeIncrementHighWatermark(1);
    const logs = layout.partitions.map((_, p) => (p === offsets ? log : p === orders ? new PartitionLog() : null));
    const metadata = layout.partitions.map((): PartitionMeta => ({ leader: 0, leaderEpoch: 1, partitionEpoch: 1, isr: [0, 1, 2], replicas: [0, 1, 2] }));
    const [group] = finalConsumerGroups(world, [{ logs }, { logs: [] }, { logs: [] }], metadata);
    expect(group.committed).toEqual([{ partition: 'orders-0', offset: 362, lag: 0 }]);
  });
});
