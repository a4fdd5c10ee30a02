// How the controller picks a partition leader (Kafka's PartitionLeaderElectionAlgorithms, and
// PartitionChangeBuilder.electLeader in KRaft), as pure functions of the assignment, the ISR and
// which brokers may lead (unfenced and not shutting down):
// - offline election (a leader fenced, shut down or gone): the first replica in assignment order
//   that is in the ISR and may lead; else, with unclean.leader.election.enable, the first replica
//   that may lead, whose ISR becomes just itself; else none (the partition goes offline, ISR kept).
//   A controlled shutdown elects the same way, the shutting-down broker being unable to lead.
// - preferred-replica election: the first replica in assignment order, if in the ISR and able.
// - with Eligible Leader Replicas (KIP-966, PartitionChangeBuilder.maybePopulateTargetElr and
//   isValidNewLeader): the ELR follows every ISR change, and an empty ISR elects from it; with the
//   ISR and the ELR both empty, the last known leader (lastKnownElr) if it may lead
//   (canElectLastKnownLeader, before an unclean election), as every version did before ELR when
//   the last ISR member came back.

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

/**
 * KIP-966 (PartitionChangeBuilder.canElectLastKnownLeader, 4.1): with the ISR and the ELR empty,
 * the last known leader, if lastKnownElr holds just it and it may lead; else NO_LEADER. Kafka
 * counts it an unclean election (ElectionResult.unclean: the ISR becomes just the leader), though
 * unclean.leader.election.enable plays no part. 4.0 elected it even when fenced (the acceptability
 * test only logged); KAFKA-19522 (4.1.0) made it wait until the broker is unfenced, which is what
 * this models (ksim runs ELR on 4.1 only, where new clusters get it by default).
 */
export function lastKnownLeaderElection(isr: readonly number[], elr: readonly number[], lastKnownElr: readonly number[], canLead: (broker: number) => boolean): number {
  if (isr.length > 0 || elr.length > 0 || lastKnownElr.length !== 1) return NO_LEADER;
  const leader = lastKnownElr[0];
  return leader !== NO_LEADER && canLead(leader) ? leader : NO_LEADER;
}

/**
 * KIP-966 (PartitionChangeBuilder.maybeUpdateLastKnownLeader): lastKnownElr after a change from
 * prev to a partition with ISR isr and leader leader. The change that empties the ISR records the
 * leader it had (the first time only); a change that leaves the partition with a leader clears it.
 */
export function lastKnownElrAfter(prev: { readonly leader: number; readonly isr: readonly number[]; readonly lastKnownElr?: readonly number[] }, isr: readonly number[], leader: number): readonly number[] {
  const known = prev.lastKnownElr ?? EMPTY;
  if (prev.isr.length > 0 && isr.length === 0) return known.length === 1 && known[0] === prev.leader ? known : [prev.leader];
  return leader !== NO_LEADER && known.length > 0 ? EMPTY : known;
}

const EMPTY: readonly number[] = [];
