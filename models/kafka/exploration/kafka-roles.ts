// The roles a fault may aim at in a Kafka run (src/faults/fault-roles.ts), as Jepsen's Kafka
// nemeses pick their targets: resolved when the fault fires, from the committed metadata the
// active controller holds (ReplicationControlManager's PartitionRegistration: leader, replicas)
// and the quorum's active controller (QuorumState), so "the leader of orders-0" is whoever leads
// it at that moment, after any failover the run already went through.
//
// - `@leader:<topic>-<p>`: the partition's leader (nobody while it is offline);
// - `@followers:<topic>-<p>`: its other replicas, in replica order (nobody while it has no leader:
//   before its first election or offline, no replica follows anyone);
// - `@follower:<topic>-<p>`: the first of them (one follower cut from the controller, KIP-903);
// - `@in-sync-follower:<topic>-<p>`: the first follower still in the ISR, in replica order (nobody
//   once the ISR holds the leader alone): aimed at twice, it takes the followers out of the ISR one
//   at a time, where `@follower` names the same one again (the ISR drain composite, KIP-966);
// - `@out-of-sync:<topic>-<p>`: its replicas outside the ISR (Kafka's out-of-sync replicas), in
//   replica order: a follower that left the ISR stays one while leadership moves among the others,
//   where `@follower` names whichever comes first (the zombie composite's missed epoch, KAFKA-7164);
// - `@active-controller`: the active controller (nobody during a quorum election);
// - `@coordinator:<group.id>`: the group's coordinator, the leader of its __consumer_offsets
//   partition (GroupMetadataManager.partitionFor);
// - `@reader:<topic>-<p>`: the group member the partition is assigned to now, as that member's own
//   assignment says (SubscriptionState; the first group in declaration order when several read
//   it; nobody between assignments): paused or cut for longer than session.timeout.ms, it is the
//   zombie member of AbstractCoordinator's rebalance, which resumes with its old generation after
//   another member took the partition over.

import { NO_LEADER, type PartitionMeta } from '../controller/metadata-image.ts';
import { partitionForGroup } from '../group/offsets-topic.ts';
import { planKafkaScenario } from '../scenario/build-kafka-scenario.ts';
import type { KafkaScenarioInput } from '../scenario/kafka-scenario-schema.ts';

/** What resolving a role reads of the static layout (ClusterLayout's fields). */
interface RoleLayout {
  readonly brokerNode: readonly number[];
  readonly controllerNode: readonly number[];
  readonly offsetsPartitions: readonly number[];
  readonly partitions: readonly { readonly index: number; readonly name: string; readonly internal: boolean; readonly replicas: readonly number[] }[];
}

/** What resolving a role reads of a run, now. */
interface KafkaRoleState {
  readonly layout: RoleLayout;
  readonly partitions: readonly PartitionMeta[];
  /** Index of the active controller, -1 while there is none. */
  readonly activeController: number;
  /** Node indexes of the group members whose assignment holds a partition (global index), in declaration order. */
  readonly readers?: (partition: number) => readonly number[];
}

/** Every role reference a fault of this scenario may name (user topics' partitions, groups). */
export function kafkaFaultRoles(config: unknown): string[] {
  const plan = planKafkaScenario(config as KafkaScenarioInput);
  const roles = ['@active-controller'];
  for (const t of plan.topics)
    for (let p = 0; p < t.partitions; p++) for (const role of ['leader', 'followers', 'follower', 'in-sync-follower', 'out-of-sync']) roles.push(`@${role}:${t.name}-${p}`);
  for (const g of plan.consumerGroups) roles.push(`@coordinator:${g.groupId}`);
  const read = new Set(plan.consumerGroups.flatMap((g) => g.topics));
  for (const t of plan.topics) if (read.has(t.name)) for (let p = 0; p < t.partitions; p++) roles.push(`@reader:${t.name}-${p}`);
  return roles;
}

/** The node indexes holding `role` ("leader:orders-0", without the "@") now; [] when nobody does. */
export function nodesInKafkaRole(state: KafkaRoleState, role: string): number[] {
  const { layout } = state;
  const colon = role.indexOf(':');
  const name = colon < 0 ? role : role.slice(0, colon);
  const arg = colon < 0 ? '' : role.slice(colon + 1);
  if (name === 'active-controller') return state.activeController < 0 ? [] : [layout.controllerNode[state.activeController]];
  if (name === 'coordinator') {
    if (layout.offsetsPartitions.length === 0) return [];
    return leaderOf(state, layout.offsetsPartitions[partitionForGroup(arg, layout.offsetsPartitions.length)]);
  }
  const info = layout.partitions.find((p) => p.name === arg && !p.internal);
  if (!info) return [];
  if (name === 'leader') return leaderOf(state, info.index);
  if (name === 'reader') return (state.readers?.(info.index) ?? []).slice(0, 1);
  const meta = state.partitions[info.index];
  // A partition with no leader (before its first election, or offline) has no followers either:
  // nobody fetches from anyone, as Partition.isLeader is false on every replica.
  const followers = meta === undefined || meta.leader === NO_LEADER ? [] : meta.replicas.filter((b) => b !== meta.leader);
  const nodes = (brokers: readonly number[]) => brokers.map((b) => layout.brokerNode[b]);
  if (name === 'followers') return nodes(followers);
  if (name === 'follower') return nodes(followers.slice(0, 1));
  if (name === 'in-sync-follower') return nodes(followers.filter((b) => meta?.isr.includes(b)).slice(0, 1));
  if (name === 'out-of-sync') return (meta?.replicas ?? info.replicas).filter((b) => meta !== undefined && !meta.isr.includes(b)).map((b) => layout.brokerNode[b]);
  return [];
}

function leaderOf(state: KafkaRoleState, partition: number): number[] {
  const meta = state.partitions[partition];
  return meta === undefined || meta.leader === NO_LEADER ? [] : [state.layout.brokerNode[meta.leader]];
}
