// How the controller picks a partition leader (Kafka's PartitionLeaderElectionAlgorithms, and
// PartitionChangeBuilder.electLeader in KRaft), as pure functions of the assignment, the ISR and
// which brokers may lead (unfenced and not shutting down):
// - offline election (a leader fenced, shut down or gone): the first replica in assignment order
//   that is in the ISR and may lead; else, with unclean.leader.election.enable, the first replica
//   that may lead, whose ISR becomes just itself; else none (the partition goes offline, ISR kept).
//   A controlled shutdown elects the same way, the shutting-down broker being unable to lead.
// - preferred-replica election: the first replica in assignment order, if in the ISR and able.
// - with Eligible Leader Replicas (KIP-966, PartitionChangeBuilder.maybePopulateTargetElr and
//   isValidNewLeader): the ELR follows every ISR change, and an empty ISR elects from it.

import { contains, NO_LEADER } from './metadata-image.ts';

interface ElectionResult {
  /** Broker index, or NO_LEADER when no replica can lead. */
  readonly leader: number;
  readonly isr: readonly number[];
  /** The leader came from outside the ISR (unclean.leader.election.enable). */
  readonly unclean: boolean;
}

export function offlinePartitionLeaderElection(
  assignment: readonly number[],
  isr: readonly number[],
  canLead: (broker: number) => boolean,
  uncleanLeaderElectionEnabled: boolean,
  /** Bug zoo elect-outside-isr: the first live replica wins even when out of sync. */
  electOutsideIsr = false,
): ElectionResult {
  let leader = NO_LEADER;
  for (const r of assignment)
    if (contains(isr, r) && canLead(r)) {
      leader = r;
      break;
    }
  if (electOutsideIsr && !uncleanLeaderElectionEnabled) {
    for (const r of assignment)
      if (canLead(r)) {
        if (r !== leader && !contains(isr, r)) return { leader: r, isr: assignment.filter((x) => x === r || contains(isr, x)), unclean: false };
        break;
      }
  }
  if (leader === NO_LEADER && uncleanLeaderElectionEnabled) {
    for (const r of assignment) if (canLead(r)) return { leader: r, isr: [r], unclean: true };
  }
  return { leader, isr, unclean: false };
}

/** The preferred replica (first in assignment order) if it is in the ISR and can lead, else NO_LEADER. */
export function preferredReplicaPartitionLeaderElection(assignment: readonly number[], isr: readonly number[], canLead: (broker: number) => boolean): number {
  const preferred = assignment[0];
  return contains(isr, preferred) && canLead(preferred) ? preferred : NO_LEADER;
}

/**
 * KIP-966 (PartitionChangeBuilder.maybePopulateTargetElr): the ELR after the ISR goes from
 * prevIsr to isr. At or above min ISR it is empty; below, it gains the members that left and
 * loses those in the ISR and those that shut down uncleanly. Assignment order.
 */
export function eligibleLeaderReplicasAfter(
  assignment: readonly number[],
  prevIsr: readonly number[],
  prevElr: readonly number[],
  isr: readonly number[],
  minInsyncReplicas: number,
  uncleanShutdown = -1,
): readonly number[] {
  if (isr.length >= minInsyncReplicas) return EMPTY;
  const elr = assignment.filter((r) => (contains(prevElr, r) || contains(prevIsr, r)) && !contains(isr, r) && r !== uncleanShutdown);
  return elr.length === 0 ? EMPTY : elr;
}

/** KIP-966: with the ISR empty, the first ELR member in assignment order that may lead; else NO_LEADER. */
export function eligibleLeaderReplicaElection(assignment: readonly number[], isr: readonly number[], elr: readonly number[], canLead: (broker: number) => boolean): number {
  if (isr.length > 0) return NO_LEADER;
  for (const r of assignment) if (contains(elr, r) && canLead(r)) return r;
  return NO_LEADER;
}

const EMPTY: readonly number[] = [];
