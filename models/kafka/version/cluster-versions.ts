// What each broker runs during a rolling upgrade, and the capabilities that follow from it (Kafka's
// upgrade procedure, docs/upgrade.html): a broker's software changes when it restarts on the new
// version, and what its own code does changes with it at once; what needs a request version between
// brokers changes only when the protocol level is raised: in ZooKeeper mode each broker's
// inter.broker.protocol.version (ApiVersion.scala 2.x, MetadataVersion.java 3.x), raised by a
// second rolling restart, so read at each broker's restart; in KRaft the cluster's finalized
// metadata.version (FeatureControlManager), which a broker takes from the metadata it replays.
// protocol-features.ts's CAPABILITY_GATES says which capability is which.
//
// Each broker's capabilities are one mutable object its parts keep a reference to, rewritten in
// place when its software or level changes: the hot paths read a field, as they read the run's
// era before. Until an upgrade every row equals the scenario's (protocolOf), so runs without one
// are unchanged.

import { CAPABILITY_GATES, capabilitiesAt, compareReleases, PROTOCOL_CAPABILITIES, type ProtocolCapability, type ProtocolFeatures } from './protocol-features.ts';
import { isOlderVersion, releaseOf, type KafkaVersion } from './kafka-versions.ts';
import { writesRecordsV2 } from './message-format.ts';

/** A broker's (or the controller's) capabilities, rewritten in place on an upgrade. */
type Capabilities = { -readonly [C in ProtocolCapability]: boolean };

/** What one broker runs. */
interface BrokerVersion {
  /** The software the process runs (changes at a restart of an `upgrade`). */
  software: KafkaVersion;
  /**
   * The protocol level the broker speaks to other brokers: its inter.broker.protocol.version
   * (ZooKeeper mode) or the finalized metadata.version it last replayed (KRaft).
   */
  protocolLevel: KafkaVersion;
  /** Its log.message.format.version (null: unset, the IBP's; version/message-format.ts). */
  messageFormat: KafkaVersion | null;
  /** Whether it writes message format v2, whose batches carry leader epochs (the object its logs read). */
  readonly records: { v2: boolean };
  /** Its effective capabilities (the object its parts read). */
  readonly features: Capabilities;
}

function capabilitiesOf(f: Omit<ProtocolFeatures, 'summary' | 'kafka'>): Capabilities {
  return Object.fromEntries(PROTOCOL_CAPABILITIES.map((c) => [c, f[c]])) as Capabilities;
}

/** Whether protocol level `level` allows protocol-gated capability c: from its gate's level, which may precede the fix's release (KAFKA-10554: 2.8 software at inter.broker.protocol.version 2.7-IV1). */
function levelAllows(level: KafkaVersion, c: ProtocolCapability): boolean {
  return compareReleases(releaseOf(level), CAPABILITY_GATES[c].level!) >= 0;
}

export class ClusterVersions {
  readonly brokers: BrokerVersion[];
  /**
   * The controller's capabilities: KRaft's from the finalized metadata.version; ZooKeeper mode's
   * controller is one of the brokers and moves when that broker restarts, and ksim's controller
   * is a node of its own, so it runs the oldest software any broker runs (Kafka's controller may
   * sit on a broker not yet upgraded until the last one restarts).
   */
  readonly controller: Capabilities;
  /** KRaft: the finalized metadata.version the controller committed (ZooKeeper mode: unused). */
  metadataVersion: KafkaVersion;

  constructor(
    /** The version every broker runs at the start (kafka-versions.ts runningVersionOf). */
    readonly initialVersion: KafkaVersion,
    /** The scenario's capabilities (protocolOf): every row's until an upgrade. */
    private readonly initial: ProtocolFeatures,
    brokerCount: number,
    /** Every broker's log.message.format.version at the start (null: unset). */
    messageFormat: KafkaVersion | null = null,
  ) {
    this.metadataVersion = initialVersion;
    this.brokers = Array.from({ length: brokerCount }, () => {
      const v2 = writesRecordsV2(messageFormat, initialVersion);
      const features = capabilitiesOf(initial);
      features.truncationByLeaderEpoch &&= v2;
      return { software: initialVersion, protocolLevel: initialVersion, messageFormat, records: { v2 }, features };
    });
    this.controller = capabilitiesOf(initial);
  }

  /** Broker b starts on `version`'s software (an upgrade's restart). */
  runSoftware(b: number, version: KafkaVersion): void {
    this.brokers[b].software = version;
    this.recompute();
  }

  /** Broker b speaks `level` from now (its inter.broker.protocol.version, or the metadata.version it replayed); false if it already did. */
  setProtocolLevel(b: number, level: KafkaVersion): boolean {
    if (this.brokers[b].protocolLevel === level) return false;
    this.brokers[b].protocolLevel = level;
    this.recompute();
    return true;
  }

  /** Broker b writes log.message.format.version `format` from now (a rolling restart's); false if it already did. */
  setMessageFormat(b: number, format: KafkaVersion): boolean {
    if (this.brokers[b].messageFormat === format) return false;
    this.brokers[b].messageFormat = format;
    this.recompute();
    return true;
  }

  /** KRaft: the controller finalized metadata.version `level` (brokers take it with the metadata). */
  finalizeMetadataVersion(level: KafkaVersion): void {
    this.metadataVersion = level;
    this.recompute();
  }

  /** The oldest software any broker runs. */
  oldestSoftware(): KafkaVersion {
    let oldest = this.brokers[0].software;
    for (const b of this.brokers) if (isOlderVersion(b.software, oldest)) oldest = b.software;
    return oldest;
  }

  /** The first broker whose software is older than `level` (-1: none): it cannot speak that level. */
  brokerBelow(level: KafkaVersion): number {
    return this.brokers.findIndex((b) => isOlderVersion(b.software, level));
  }

  private recompute(): void {
    const oldest = capabilitiesAt(releaseOf(this.oldestSoftware()));
    for (const c of PROTOCOL_CAPABILITIES) {
      const gate = CAPABILITY_GATES[c].gate;
      // The cluster keeps the ELR state it was created with (CAPABILITY_GATES).
      this.controller[c] = c === 'eligibleLeaderReplicas' ? this.initial[c] : gate === 'protocol' ? oldest[c] && levelAllows(this.metadataVersion, c) : oldest[c];
    }
    for (const b of this.brokers) {
      const software = capabilitiesAt(releaseOf(b.software));
      for (const c of PROTOCOL_CAPABILITIES) {
        const gate = CAPABILITY_GATES[c].gate;
        b.features[c] = gate === 'software' ? software[c] : gate === 'protocol' ? software[c] && levelAllows(b.protocolLevel, c) : this.controller[c];
      }
      // A broker writing v0/v1 caches no leader epochs, so its follower truncates to its high watermark (message-format.ts).
      b.records.v2 = writesRecordsV2(b.messageFormat, b.protocolLevel);
      b.features.truncationByLeaderEpoch &&= b.records.v2;
    }
  }
}
