// The replica sets of a partition reassignment (KIP-455, Kafka 2.4+), as Kafka's
// PartitionReassignmentReplicas (KRaft) and ReplicaAssignment.reassignTo (ZooKeeper mode) compute
// them: while the reassignment is in progress the partition's replicas are the target followed by
// the replicas being removed, with addingReplicas and removingReplicas recorded. It completes
// (maybeCompleteReassignment) once the ISR without the removed replicas is not empty and holds
// every added replica (KRaft); in ZooKeeper mode every target replica must be in the ISR
// (KafkaController.isReassignmentComplete: TRS subset of ISR). Completing leaves replicas = the
// target and drops the removed replicas from the ISR.

import { contains, type PartitionMeta } from './metadata-image.ts';

interface ReassignmentReplicas {
  /** Target first, then removing: the replicas while the reassignment runs. */
  readonly replicas: readonly number[];
  /** In the target, not in the current replicas (ascending, as Kafka's TreeSet). */
  readonly adding: readonly number[];
  /** In the current replicas, not in the target (ascending). */
  readonly removing: readonly number[];
}

const ascending = (a: number, b: number) => a - b;

/** The replica sets that moving `current` to `target` goes through. */
export function reassignmentReplicas(current: readonly number[], target: readonly number[]): ReassignmentReplicas {
  const removing = current.filter((r) => !contains(target, r)).sort(ascending);
  const adding = target.filter((r) => !contains(current, r)).sort(ascending);
  return { replicas: [...target, ...removing], adding, removing };
}

export function isReassignmentInProgress(m: PartitionMeta): boolean {
  return (m.addingReplicas?.length ?? 0) > 0 || (m.removingReplicas?.length ?? 0) > 0;
}

/**
 * The partition's replicas and ISR once its reassignment is complete, given the ISR it is about to
 * have; null while it must wait (or when none is in progress). wholeTargetInIsr: ZooKeeper mode's
 * rule (every target replica in the ISR) instead of KRaft's (every added one).
 */
export function maybeCompleteReassignment(m: PartitionMeta, isr: readonly number[], wholeTargetInIsr: boolean): { replicas: number[]; isr: number[] } | null {
  if (!isReassignmentInProgress(m)) return null;
  const removing = m.removingReplicas ?? [];
  const targetIsr = isr.filter((r) => !contains(removing, r));
  const target = m.replicas.filter((r) => !contains(removing, r));
  if (targetIsr.length === 0 || target.length === 0) return null;
  const mustBeInIsr = wholeTargetInIsr ? target : (m.addingReplicas ?? []);
  for (const r of mustBeInIsr) if (!contains(targetIsr, r)) return null;
  return { replicas: target, isr: targetIsr };
}
