// An upgrade's progress for the run summary: which broker ran which version when, from the run's
// version-change events (the `upgrade`, `rolling-restart` with inter.broker.protocol.version and
// `update-features` operations) replayed from what every broker ran at the start
// (version/cluster-versions.ts). One step per change a user would name: a broker's software
// ("b1 Kafka 3.6 -> 3.7"), a ZooKeeper broker's inter.broker.protocol.version, and KRaft's
// finalized metadata.version (the controller's; each broker replaying it is not a step of its own).

import type { KafkaScenario } from '../scenario/kafka-scenario.ts';
import { ClusterVersions } from '../version/cluster-versions.ts';
import { initialMessageFormatOf } from '../version/message-format.ts';
import { protocolOf, runningVersionOf } from '../version/kafka-versions.ts';
import type { VersionTimeline } from './version-timeline.ts';

/** "12.000 s b1 Kafka 3.6 -> 3.7", in time order; [] without version changes. */
export function upgradeSteps(scenario: KafkaScenario, timeline: VersionTimeline): string[] {
  if (timeline.changes.length === 0) return [];
  const versions = new ClusterVersions(runningVersionOf(scenario), protocolOf(scenario), scenario.brokers.length, initialMessageFormatOf(scenario.brokerConfig));
  const steps: string[] = [];
  for (const { timeUs, broker, event } of timeline.changes) {
    const at = `${(timeUs / 1e6).toFixed(3)} s`;
    if (event.software === null) {
      const from = versions.metadataVersion;
      versions.finalizeMetadataVersion(event.protocolLevel);
      if (from !== event.protocolLevel) steps.push(`${at} metadata.version ${from} -> ${event.protocolLevel} (finalized by the controller)`);
      continue;
    }
    if (broker < 0 || broker >= versions.brokers.length) continue;
    const name = scenario.brokers[broker].name;
    const before = { ...versions.brokers[broker] };
    versions.runSoftware(broker, event.software);
    versions.setProtocolLevel(broker, event.protocolLevel);
    if (before.software !== event.software) steps.push(`${at} ${name} Kafka ${before.software} -> ${event.software}`);
    // KRaft brokers take the metadata.version the controller finalized: its own step says so.
    else if (scenario.metadataMode !== 'kraft' && before.protocolLevel !== event.protocolLevel)
      steps.push(`${at} ${name} inter.broker.protocol.version ${before.protocolLevel} -> ${event.protocolLevel}`);
  }
  return steps;
}
