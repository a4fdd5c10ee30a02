// Kafka's FeatureControlManager (KRaft): the cluster's finalized metadata.version and the
// UpdateFeatures API that raises it (kafka-features.sh upgrade --metadata, the final step of an
// upgrade, docs/upgrade.html). The controller refuses a level some registered broker's software
// does not support (FeatureControlManager.updateFeature: INVALID_UPDATE_VERSION, "Broker N does
// not support this feature"); it learns what each broker supports from its registration, which a
// broker sends again when it restarts on new software (here: from its heartbeats). Once committed,
// the level travels in the metadata image (MetadataImage.finalizedMetadataVersion) and each broker
// speaks it once it replays it (version/cluster-versions.ts).

import type { KafkaWorld } from '../kafka-world.ts';
import type { MetadataLog } from './metadata-log.ts';
import { isOlderVersion, type KafkaVersion } from '../version/kafka-versions.ts';

export class FeatureControlManager {
  /** Per broker: the newest metadata.version its software supports (its running version), as last registered. */
  private readonly supported: KafkaVersion[];
  /** The metadata.version an UpdateFeatures finalized; undefined: the level the cluster was created with. */
  finalized: KafkaVersion | undefined;

  constructor(
    private readonly world: KafkaWorld,
    private readonly log: MetadataLog,
  ) {
    this.supported = world.scenario.brokers.map(() => world.versions.initialVersion);
  }

  /** Broker b registered (or heartbeat) with software supporting up to `version`. */
  onBrokerRegistration(b: number, version: KafkaVersion | undefined): void {
    if (version !== undefined) this.supported[b] = version;
  }

  /**
   * UpdateFeatures for metadata.version `level`: null when finalized (the caller publishes), else
   * Kafka's error and why.
   */
  updateMetadataVersion(level: KafkaVersion): { error: string; detail: string } | null {
    const b = this.supported.findIndex((v) => isOlderVersion(v, level));
    if (b >= 0) {
      const name = this.world.layout.brokerNames[b];
      return { error: 'INVALID_UPDATE_VERSION', detail: `broker ${name} runs Kafka ${this.supported[b]}, which does not support metadata.version ${level}` };
    }
    this.finalized = level;
    this.world.versions.finalizeMetadataVersion(level);
    this.log.dirty = true; // a FeatureLevelRecord: published with the next image
    return null;
  }
}
