// The consumer groups' end state for KafkaFinalState: per group, its coordinator and, per
// subscribed partition, the committed offset as the group's __consumer_offsets partition holds it
// at the end (the last commit in the leader's log, or the first ISR member's when the partition is
// offline, up to its log end: what a coordinator loads, GroupMetadataManager.doLoadGroupsAndOffsets
// and group-metadata-manager.ts; a new leader's high watermark may still lag a commit the old one
// acknowledged) and the lag behind the partition's high watermark.

import type { FinalConsumerGroup, FinalCommittedOffset } from '../kafka-events.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import { NO_LEADER, type PartitionMeta } from '../controller/metadata-image.ts';
import type { PartitionLog } from '../storage/partition-log.ts';
import { partitionForGroup } from './offsets-topic.ts';

/** A broker as far as the end state reads it: its replicas' logs by global partition index. */
interface BrokerLogs {
  readonly logs: readonly (PartitionLog | null)[];
}

export function finalConsumerGroups(world: KafkaWorld, brokers: readonly BrokerLogs[], metadata: readonly PartitionMeta[]): FinalConsumerGroup[] {
  const layout = world.layout;
  const out: FinalConsumerGroup[] = [];
  for (const g of world.scenario.consumerGroups ?? []) {
    const op = layout.offsetsPartitions[partitionForGroup(g.groupId, layout.offsetsPartitions.length)];
    const meta = metadata[op];
    const holder = meta === undefined ? NO_LEADER : meta.leader !== NO_LEADER ? meta.leader : meta.isr[0];
    const committed = new Map<number, number>();
    if (holder !== undefined && holder !== NO_LEADER) {
      const log = brokers[holder].logs[op]!;
      for (let o = log.logStartOffset; o < log.logEndOffset; o++) {
        const id = log.idAt(o);
        if (id < 0) continue;
        const rec = world.offsetsRecords.get(id);
        if (rec !== undefined && rec.kind === 'offset' && rec.group === g.groupId) committed.set(rec.partition, rec.offset);
      }
    }
    const rows: FinalCommittedOffset[] = [];
    for (const t of [...g.topics].sort())
      for (const p of layout.partitionsOfTopic.get(t) ?? []) {
        const m = metadata[p];
        const leader = m === undefined ? NO_LEADER : m.leader;
        const hw = leader === NO_LEADER ? 0 : brokers[leader].logs[p]!.highWatermark;
        const offset = committed.get(p) ?? -1;
        rows.push({ partition: layout.partitions[p].name, offset, lag: Math.max(0, hw - Math.max(0, offset)) });
      }
    out.push({
      group: g.groupId,
      offsetsPartition: layout.partitions[op].name,
      coordinator: meta === undefined || meta.leader === NO_LEADER ? null : layout.brokerNames[meta.leader],
      committed: rows,
    });
  }
  return out;
}
