// KIP-966's last replica standing, one rule for every checker that judges an election of a replica
// that lost committed data to power or disk loss (lost-write through loss-causes.ts, for a record;
// group-metadata-loss, for a group's state in __consumer_offsets): the ISR shrank below
// min.insync.replicas with a replica that still held the data leaving it, then the last ISR member
// lost the data and was elected again. Without Eligible Leader Replicas (KRaft 4.0 opt-in, 4.1
// default; ZooKeeper mode never got it) that is the version's documented weakness; with ELR the
// controller elects that replica from the ELR, so the same evidence is a breach. Unless the replica
// came back from an unclean shutdown (a crash, a power or disk loss) before the election and had not
// rejoined the ISR since: KIP-966 takes it out of the ELR as it registers
// (ReplicationControlManager.handleBrokerUncleanShutdown: it may have lost unflushed records), and
// every version elects the last known leader (PartitionChangeBuilder.canElectLastKnownLeader): the
// fault load, in every version.

import { formatTimeUs, type TimeUs } from '../../../src/sim/time.ts';
import type { KafkaScenario } from '../scenario/kafka-scenario.ts';
import { isOlderVersion, protocolLabel, protocolOf, runningVersionOf } from '../version/kafka-versions.ts';
import { describeFixKraftOnly, describeMissingFix } from '../version/protocol-features.ts';

/** The replica KIP-966 would have put in the ELR, and when it came back from an unclean shutdown since (null: it is trusted). */
export interface StandingReplica {
  name: string;
  uncleanUpUs: TimeUs | null;
}

/** What a partition's history tells of its ISR and of its brokers' restarts. */
interface StandingEvidence {
  /** The partition's ISR after each election and ISR change, in time order. */
  isrChanges: readonly { timeUs: TimeUs; isr: readonly string[] }[];
  /** When the broker came back up from the last unclean shutdown that began at or after fromUs and ended by untilUs; null if none. */
  uncleanRestartBetween: (broker: string, fromUs: TimeUs, untilUs: TimeUs) => TimeUs | null;
}

/**
 * Among `candidates`, a replica that left the ISR in [leftFromUs, electionUs] by a change that took
 * it below min.insync.replicas and still held the lost data at the election (heldFrom: given when
 * it left): what KIP-966 puts in the ELR, distrusted if it came back from an unclean shutdown begun
 * since restartsFromUs and has not rejoined the ISR since. One KIP-966 still trusts comes first; null if none.
 */
export function standingReplica(
  evidence: StandingEvidence,
  candidates: readonly string[],
  heldFrom: (broker: string, leftUs: TimeUs) => boolean,
  minIsr: number,
  window: { leftFromUs: TimeUs; restartsFromUs: TimeUs; electionUs: TimeUs },
): StandingReplica | null {
  const { leftFromUs, restartsFromUs, electionUs } = window;
  const changes = evidence.isrChanges;
  let distrusted: { name: string; uncleanUpUs: TimeUs } | null = null;
  for (const name of candidates) {
    for (let i = 1; i < changes.length; i++) {
      const c = changes[i];
      if (c.timeUs < leftFromUs || c.timeUs > electionUs) continue;
      if (!changes[i - 1].isr.includes(name) || c.isr.includes(name) || c.isr.length >= minIsr || !heldFrom(name, c.timeUs)) continue;
      const upUs = evidence.uncleanRestartBetween(name, restartsFromUs, electionUs);
      if (upUs === null || changes.some((x) => x.timeUs > upUs && x.timeUs <= electionUs && x.isr.includes(name))) return { name, uncleanUpUs: null };
      distrusted ??= { name, uncleanUpUs: upUs };
      break;
    }
  }
  return distrusted;
}

/**
 * The verdict on `lastStanding` (what happened: the last ISR member lost the data and was elected,
 * though `standing` still held it): the fault load when KIP-966 distrusts that replica, the
 * version without ELR, a breach with it.
 */
export function lastReplicaStandingVerdict(scenario: KafkaScenario, standing: StandingReplica, lastStanding: string): { by: 'fault-load' | 'version' | 'breach'; text: string } {
  if (standing.uncleanUpUs !== null) {
    const distrust = `${standing.name} came back from an unclean shutdown at ${formatTimeUs(standing.uncleanUpUs)}, which takes a replica out of the ELR (KIP-966: it may have lost unflushed records), so no replica Kafka could trust had it`;
    return { by: 'fault-load', text: `${lastStanding}: ${distrust}` };
  }
  if (!protocolOf(scenario).eligibleLeaderReplicas) {
    // ELR is the KRaft controller's (PartitionChangeBuilder): ZooKeeper mode never got it, as KIP-903's fix.
    const fix = scenario.metadataMode !== 'kraft' ? describeFixKraftOnly('eligibleLeaderReplicas') : describeMissingFix('eligibleLeaderReplicas');
    return { by: 'version', text: `${lastStanding} (KIP-966's last replica standing: ${fix}${upgradedWithoutElr(scenario)})` };
  }
  return { by: 'breach', text: `${lastStanding}: with Eligible Leader Replicas on (${protocolLabel(scenario)}) it was in the ELR and should have been elected (KIP-966)` };
}

/**
 * "; this cluster was created on Kafka 4.0, and upgrading it to 4.1 leaves ELR off": a KRaft
 * cluster keeps the eligible.leader.replicas.version it was created with (on only for clusters
 * created on 4.1; protocol-features.ts eligibleLeaderReplicas), so brokers upgraded to 4.1 still
 * lack it. Empty when no upgrade reaches 4.1.
 */
function upgradedWithoutElr(scenario: KafkaScenario): string {
  if (scenario.metadataMode !== 'kraft') return '';
  const to = scenario.operations.flatMap((op) => (op.kind === 'upgrade' && !isOlderVersion(op.to, '4.1') ? [op.to] : []));
  if (to.length === 0) return '';
  return `; this cluster was created on Kafka ${runningVersionOf(scenario)}, and upgrading it to ${to[to.length - 1]} leaves ELR off (eligible.leader.replicas.version is on only for clusters created on 4.1)`;
}
