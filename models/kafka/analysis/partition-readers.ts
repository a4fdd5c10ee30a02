// Who reads each partition of a user topic, for the readers' availability (cluster-availability.ts).
// In a consumer group one member reads a partition: the member the group's leader assigned it to
// (ConsumerCoordinator.onJoinComplete, the SyncGroup answer; ConsumerPartitionAssignor). Another
// member of the group never fetches it, however well it reaches the leader, so a partition's
// readers are, per subscribed group, the members it is assigned to, not every member.
//
// - A group's members are known from the assignment each one learns (the model's `assignment`
//   event: its whole assignment for the generation). The readers of a partition in a group are the
//   members whose latest assignment holds it.
// - Between the member that gave it up learning so and the member it moved to learning its own
//   (an eager rebalance revokes everything; the members hear their new assignment one by one), or
//   while nobody holds it at all (the group is rebalancing, or emptied), the members that last
//   held it stay its readers: who reads it next is not known yet, and a rebalance is the group's
//   unavailability, not the partition's.
// - Before a group first assigns the partition, any of its members may get it: all count.
//
// A partition subscribed to by several groups is read by one member of each: the readers are
// their union (served, as other kinds of clients, while one of them is).

import { parsePartitionName } from './partition-name.ts';

interface GroupReaders {
  readonly topics: ReadonlySet<string>;
  /** Every member's node, ascending: the readers of a partition not yet assigned. */
  readonly members: readonly number[];
  /** Per member node, the partitions of its latest assignment. */
  readonly assigned: Map<number, ReadonlySet<string>>;
  /** Per partition, the members that last held it (ascending), kept while none holds it. */
  readonly lastHolders: Map<string, readonly number[]>;
}

export class PartitionReaders {
  private readonly groups = new Map<string, GroupReaders>();

  /** `groups`: each consumer group's id, subscribed topics and member nodes. */
  constructor(groups: readonly { groupId: string; topics: readonly string[]; members: readonly number[] }[]) {
    for (const g of groups)
      this.groups.set(g.groupId, {
        topics: new Set(g.topics),
        members: [...new Set(g.members)].sort((a, b) => a - b),
        assigned: new Map(),
        lastHolders: new Map(),
      });
  }

  /**
   * The member on `node` of `group` learned its whole assignment. Returns the partitions whose
   * readers may have changed (what it held before and what it holds now).
   */
  onAssignment(group: string, node: number, partitions: readonly string[]): string[] {
    const g = this.groups.get(group);
    if (g === undefined) return [];
    const before = g.assigned.get(node) ?? new Set<string>();
    const now = new Set(partitions);
    g.assigned.set(node, now);
    const touched = [...new Set([...before, ...now])];
    for (const partition of touched) {
      const holders = holdersOf(g, partition);
      if (holders.length > 0) g.lastHolders.set(partition, holders);
    }
    return touched;
  }

  /** The nodes reading `partition`, ascending: per subscribed group, its holders (see above). */
  readersOf(partition: string): number[] {
    const { topic } = parsePartitionName(partition);
    const nodes = new Set<number>();
    for (const g of this.groups.values()) {
      if (!g.topics.has(topic)) continue;
      for (const node of g.lastHolders.get(partition) ?? g.members) nodes.add(node);
    }
    return [...nodes].sort((a, b) => a - b);
  }
}

function holdersOf(g: GroupReaders, partition: string): number[] {
  const out: number[] = [];
  for (const [node, partitions] of g.assigned) if (partitions.has(partition)) out.push(node);
  return out.sort((a, b) => a - b);
}
