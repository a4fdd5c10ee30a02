// Kafka's RangeAssignor: per topic, the members subscribed to it (by member id) get consecutive
// ranges of its partitions; the first (partitions % members) members get one extra.

import { membersByMemberId, subscribedTopics, type AssignorMember, type ConsumerPartitionAssignor, type TopicPartitions } from './consumer-partition-assignor.ts';

export class RangeAssignor implements ConsumerPartitionAssignor {
  readonly name = 'range';
  readonly rebalanceProtocol = 'eager';
  readonly usesOwnedPartitions = false;

  assign(members: readonly AssignorMember[], topics: TopicPartitions): number[][] {
    const out = members.map((): number[] => []);
    const order = membersByMemberId(members);
    for (const t of subscribedTopics(members)) {
      const parts = topics.get(t) ?? [];
      const subscribed = order.filter((x) => x.m.topics.includes(t));
      if (subscribed.length === 0) continue;
      const per = Math.floor(parts.length / subscribed.length);
      const extra = parts.length % subscribed.length;
      let next = 0;
      subscribed.forEach((x, k) => {
        const n = per + (k < extra ? 1 : 0);
        for (let j = 0; j < n; j++) out[x.i].push(parts[next++]);
      });
    }
    return out;
  }
}
