// Test helpers for the assignor unit tests: topics by partition count, members by topic-partition
// names, and an assignment read back as names, so cases read like Kafka's assignor tests.

import type { AssignorMember, ConsumerPartitionAssignor, TopicPartitions } from './consumer-partition-assignor.ts';

/** Topics with `n` partitions each; global partition indexes are 100 * (topic's place + 1) + partition. */
export function topicsOf(counts: Record<string, number>): TopicPartitions {
  return new Map(Object.entries(counts).map(([t, n], i) => [t, Array.from({ length: n }, (_, p) => 100 * (i + 1) + p)]));
}

/** A member subscribed to `topics`, owning the partitions named `owned` ("t1-0"). */
export function member(memberId: string, topics: string[], owned: string[] = []): { memberId: string; topics: string[]; owned: string[] } {
  return { memberId, topics, owned };
}

/** Runs `assignor`; the result by member id, partitions named "topic-n" in assignment order. */
export function assignByName(
  assignor: ConsumerPartitionAssignor,
  counts: Record<string, number>,
  members: ReturnType<typeof member>[],
): Record<string, string[]> {
  const topics = topicsOf(counts);
  const indexOf = (name: string): number => {
    const dash = name.lastIndexOf('-');
    const p = topics.get(name.slice(0, dash))?.[Number(name.slice(dash + 1))];
    if (p === undefined) throw new Error(`no partition ${name}`);
    return p;
  };
  const nameOf = (p: number): string => {
    for (const [t, parts] of topics) if (parts.includes(p)) return `${t}-${parts.indexOf(p)}`;
    throw new Error(`partition ${p} is in no topic`);
  };
  const input: AssignorMember[] = members.map((m) => ({ memberId: m.memberId, topics: m.topics, owned: m.owned.map(indexOf) }));
  const out = assignor.assign(input, topics);
  return Object.fromEntries(members.map((m, i) => [m.memberId, out[i].map(nameOf)]));
}
