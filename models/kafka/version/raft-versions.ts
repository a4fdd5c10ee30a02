// What the KRaft controller quorum (Kafka's raft module) does differently from one release to the
// next. The controllers run the scenario's Kafka version (an upgrade restarts brokers only).

import { releaseOf, type KafkaVersion } from './kafka-versions.ts';
import { compareReleases } from './protocol-features.ts';

/**
 * KAFKA-15489 (3.7.0; not in any 3.6.x): a leader resigns when no majority of voters has fetched
 * from it within 1.5 x controller.quorum.fetch.timeout.ms (LeaderState.timeUntilCheckQuorumExpires,
 * KafkaRaftClient.pollLeader). Before it a leader cut off from its majority stays leader of its
 * epoch until it hears of a higher one.
 */
export function raftLeaderChecksQuorum(version: KafkaVersion): boolean {
  return compareReleases(releaseOf(version), '3.7.0') >= 0;
}
