// RoundRobinAssignor: every subscribed partition (topics in name order) dealt to the members (by
// member id) in turn, skipping members not subscribed to the partition's topic.

import { byMemberId, type AssignorMember, type TopicPartitions } from './assignor.ts';

export function roundRobinAssign(members: readonly AssignorMember[], topics: TopicPartitions): number[][] {
  const out = members.map((): number[] => []);
  const order = members.map((m, i) => ({ m, i })).sort((a, b) => byMemberId(a.m, b.m));
  if (order.length === 0) return out;
  const names = [...new Set(members.flatMap((m) => m.topics))].sort();
  let next = 0;
  for (const t of names)
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
