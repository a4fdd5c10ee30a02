// Kafka's CooperativeStickyAssignor (KIP-429): the sticky assignment, except that a partition moving
// from one member to another is left out of this round's assignment, so its owner revokes it
// (keeping everything else) and rejoins; the follow-up rebalance gives it to its new owner.
// Unaffected partitions stay assigned throughout.

import { AbstractStickyAssignor } from './abstract-sticky-assignor.ts';
import type { AssignorMember, TopicPartitions } from './consumer-partition-assignor.ts';

export class CooperativeStickyAssignor extends AbstractStickyAssignor {
  readonly name = 'cooperative-sticky';
  readonly rebalanceProtocol = 'cooperative';

  override assign(members: readonly AssignorMember[], topics: TopicPartitions): number[][] {
    const target = super.assign(members, topics);
    const owner = new Map<number, number>();
    members.forEach((m, i) => {
      for (const p of m.owned) owner.set(p, i);
    });
    // A partition still owned by another member is withheld until that member has revoked it.
    return target.map((parts, i) =>
      parts.filter((p) => {
        const o = owner.get(p);
        return o === undefined || o === i;
      }),
    );
  }
}
