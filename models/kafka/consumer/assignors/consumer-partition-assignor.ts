// Kafka's ConsumerPartitionAssignor: what the group leader runs after JoinGroup. It takes every
// member's subscription (and, for the sticky assignors, the partitions the member owns) and returns
// each member's partitions, parallel to the members list. Partitions are global partition indexes;
// ties between members go by member id, as Kafka sorts them.
//
// The shared helpers stand in for AbstractPartitionAssignor's.

/** RebalanceProtocol: EAGER revokes everything before rejoining; COOPERATIVE only what moves (KIP-429). */
export type RebalanceProtocol = 'eager' | 'cooperative';

/** A member's Subscription as the leader sees it. */
export interface AssignorMember {
  memberId: string;
  topics: readonly string[];
  /** ownedPartitions (cooperative) or the previous assignment in the user data (eager sticky). */
  owned: readonly number[];
}

/** Partitions of each topic, by partition number. */
export type TopicPartitions = ReadonlyMap<string, readonly number[]>;

export interface ConsumerPartitionAssignor {
  /** Its partition.assignment.strategy name. */
  readonly name: string;
  readonly rebalanceProtocol: RebalanceProtocol;
  /** Whether it reads the members' owned partitions (so members must send them in JoinGroup). */
  readonly usesOwnedPartitions: boolean;
  assign(members: readonly AssignorMember[], topics: TopicPartitions): number[][];
}

function byMemberId(a: AssignorMember, b: AssignorMember): number {
  return a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0;
}

/** The members with their index in the input, ordered by member id. */
export function membersByMemberId(members: readonly AssignorMember[]): { m: AssignorMember; i: number }[] {
  return members.map((m, i) => ({ m, i })).sort((a, b) => byMemberId(a.m, b.m));
}

/** Every topic some member subscribes to, in name order. */
export function subscribedTopics(members: readonly AssignorMember[]): string[] {
  return [...new Set(members.flatMap((m) => m.topics))].sort();
}

/** Every partition some member subscribes to, topic by topic in name order, partition order. */
export function subscribedPartitions(members: readonly AssignorMember[], topics: TopicPartitions): number[] {
  const out: number[] = [];
  for (const t of subscribedTopics(members)) for (const p of topics.get(t) ?? []) out.push(p);
  return out;
}
