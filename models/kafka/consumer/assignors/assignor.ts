// The consumer-side partition assignors the group leader runs after JoinGroup
// (ConsumerPartitionAssignor): each takes every member's subscription (and, for the sticky ones,
// the partitions it owns) and returns each member's partitions, parallel to the members list.
// Partitions are global partition indexes; members are ordered by member id, as Kafka sorts them.

import type { AssignmentStrategy } from '../../scenario/kafka-scenario.ts';
import { rangeAssign } from './range-assignor.ts';
import { roundRobinAssign } from './round-robin-assignor.ts';
import { cooperativeStickyAssign, stickyAssign } from './sticky-assignor.ts';

export interface AssignorMember {
  memberId: string;
  topics: readonly string[];
  owned: readonly number[];
}

/** Partitions of each topic, by partition number. */
export type TopicPartitions = ReadonlyMap<string, readonly number[]>;

export function assignPartitions(strategy: AssignmentStrategy, members: readonly AssignorMember[], topics: TopicPartitions): number[][] {
  switch (strategy) {
    case 'range':
      return rangeAssign(members, topics);
    case 'roundrobin':
      return roundRobinAssign(members, topics);
    case 'sticky':
      return stickyAssign(members, topics);
    case 'cooperative-sticky':
      return cooperativeStickyAssign(members, topics);
  }
}

/** Whether the protocol is KIP-429's incremental cooperative rebalancing. */
export function isCooperative(strategy: string): boolean {
  return strategy === 'cooperative-sticky';
}

export function byMemberId(a: AssignorMember, b: AssignorMember): number {
  return a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0;
}

/** Every partition some member subscribes to, topic by topic in name order, partition order. */
export function subscribedPartitions(members: readonly AssignorMember[], topics: TopicPartitions): number[] {
  const names = [...new Set(members.flatMap((m) => m.topics))].sort();
  const out: number[] = [];
  for (const t of names) for (const p of topics.get(t) ?? []) out.push(p);
  return out;
}
