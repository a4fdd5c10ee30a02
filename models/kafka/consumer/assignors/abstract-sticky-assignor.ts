// Kafka's AbstractStickyAssignor (KIP-54), shared by StickyAssignor and CooperativeStickyAssignor: a
// balanced assignment (every member within one partition of the others) that keeps as many
// partitions with their current owner as balance allows.
//
// Simplification: balance is computed over all members together (Kafka's general algorithm also
// handles members with different subscriptions by a more elaborate search); ties go by member id.

import {
  membersByMemberId,
  subscribedPartitions,
  type AssignorMember,
  type ConsumerPartitionAssignor,
  type RebalanceProtocol,
  type TopicPartitions,
} from './consumer-partition-assignor.ts';

function topicOf(p: number, topics: TopicPartitions): string | null {
  for (const [t, parts] of topics) if (parts.includes(p)) return t;
  return null;
}

export abstract class AbstractStickyAssignor implements ConsumerPartitionAssignor {
  abstract readonly name: string;
  abstract readonly rebalanceProtocol: RebalanceProtocol;
  readonly usesOwnedPartitions = true;

  assign(members: readonly AssignorMember[], topics: TopicPartitions): number[][] {
    const out = members.map((): number[] => []);
    if (members.length === 0) return out;
    const order = membersByMemberId(members);
    const all = subscribedPartitions(members, topics);
    const total = all.length;
    const minQuota = Math.floor(total / members.length);
    let extraSlots = total % members.length;
    const taken = new Set<number>();
    // Keep owned partitions, up to the quota (the first members by id may keep minQuota + 1).
    for (const x of order) {
      const valid = x.m.owned.filter((p) => !taken.has(p) && all.includes(p) && x.m.topics.includes(topicOf(p, topics) ?? ''));
      let quota = minQuota;
      if (extraSlots > 0 && valid.length > minQuota) {
        quota++;
        extraSlots--;
      }
      for (const p of valid.slice(0, quota)) {
        out[x.i].push(p);
        taken.add(p);
      }
    }
    // Hand out the rest to the least-loaded subscribed member.
    for (const p of all) {
      if (taken.has(p)) continue;
      const t = topicOf(p, topics);
      let best = -1;
      for (const x of order) if (x.m.topics.includes(t ?? '') && (best < 0 || out[x.i].length < out[best].length)) best = x.i;
      if (best < 0) continue;
      out[best].push(p);
      taken.add(p);
    }
    for (const a of out) a.sort((x, y) => x - y);
    return out;
  }
}
