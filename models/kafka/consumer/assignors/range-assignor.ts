// RangeAssignor: per topic, the members subscribed to it (by member id) get consecutive ranges of
// its partitions; the first (partitions % members) members get one extra.

import { byMemberId, type AssignorMember, type TopicPartitions } from './assignor.ts';

export function rangeAssign(members: readonly AssignorMember[], topics: TopicPartitions): number[][] {
  const out = members.map((): number[] => []);
  const order = members.map((m, i) => ({ m, i })).sort((a, b) => byMemberId(a.m, b.m));
  const names = [...new Set(members.flatMap((m) => m.topics))].sort();
  for (const t of names) {
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
