// Whether an election left an in-sync copy of committed data, one rule for every checker that asks
// whether power or disk loss alone (the fault load) explains a loss: lost-write through
// loss-causes.ts, for a record; group-metadata-loss, for a group's state in __consumer_offsets.
// The copies that count are those of the ISR the leader was elected from: the ISR just before the
// election (the replica it replaced included: a controlled shutdown or a crash takes the old leader
// out of the new ISR with its copy intact) and the new ISR. A member that still held the data is an
// in-sync copy that survived, so the loss is not the fault load's (a flaw on the chain or a breach
// decides), unless it is a replica standing with the data (it left the ISR below
// min.insync.replicas, last-replica-standing.ts) that the KIP-966 rule judges instead:
// - one KIP-966 distrusts: it came back from an unclean shutdown before the election without
//   rejoining since (ReplicationControlManager.handleBrokerUncleanShutdown: it may have lost
//   unflushed records), so no version would have elected it;
// - in KRaft, any: the controller keeps the last ISR member whatever its restart lost (a fenced
//   broker leaves every ISR but the one it is last in, ReplicationControlManager.handleBrokerFenced),
//   and only Eligible Leader Replicas elect the replica standing: KIP-966's documented weakness.
//   In ZooKeeper mode the ISR the controller elected from keeps counting it: what left the emptied
//   replica in the ISR (a bounce the controller missed, KIP-380) is on the chain.

import type { KafkaScenario } from '../scenario/kafka-scenario.ts';
import type { StandingReplica } from './last-replica-standing.ts';

/** The ISR the leader was elected from, as the partition's history tells it. */
interface ElectedFrom {
  /** The ISR just before the election (its last election or ISR change before it). */
  isrBefore: readonly string[];
  /** The ISR the election left. */
  isrAfter: readonly string[];
}

/**
 * The members of the ISR the leader was elected from that still held the data at the election
 * (heldAtElection) and count as in-sync copies: not a replica standing (standingOf: the
 * last-replica-standing.ts evidence on that one broker) that the KIP-966 rule judges. Empty: every
 * in-sync copy was lost.
 */
export function inSyncCopiesLeft(
  scenario: KafkaScenario,
  electedFrom: ElectedFrom,
  heldAtElection: (broker: string) => boolean,
  standingOf: (broker: string) => StandingReplica | null,
): string[] {
  const members = [...new Set([...electedFrom.isrBefore, ...electedFrom.isrAfter])];
  const judgedStanding = (standing: StandingReplica | null) => standing !== null && (standing.uncleanUpUs !== null || scenario.metadataMode === 'kraft');
  return members.filter((b) => heldAtElection(b) && !judgedStanding(standingOf(b)));
}
