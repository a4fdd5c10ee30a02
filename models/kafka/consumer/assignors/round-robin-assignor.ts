// Kafka's RoundRobinAssignor: every subscribed partition (topics in name order) dealt to the members
// (by member id) in turn, skipping members not subscribed to the partition's topic.

import { membersByMemberId, subscribedTopics, type AssignorMember, type ConsumerPartitionAssignor, type TopicPartitions } from './consumer-partition-assignor.ts';

export class RoundRobinAssignor implements ConsumerPartitionAssignor {
  readonly name = 'roundrobin';
  readonly rebalanceProtocol = 'eager';
  readonly usesOwnedPartitions = false;

  assign(members: readonly AssignorMember[], topics: TopicPartitions): number[][] {
    const out = members.map((): number[] => []);
    const order = membersByMemberId(members);
    if (order.length === 0) return out;
    let next = 0;
    for (const t of subscribedTopics(members))
      for (const p of topics.get(t) ?? []) {
        for (let tries = 0; tries < order.length; tries++) {
          const x = order[next++ % order.length];
          if (x.m.topics.includes(t)) {
            out[x.i].push(p);
            break;
          }
        }
      }
    return out;
  }
}
