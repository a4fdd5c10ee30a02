// The committed cluster metadata as the controller quorum publishes it: per partition the leader,
// leader epoch, partition epoch, ISR and replicas, and per broker whether it is fenced. An image is
// deeply frozen once published (metadata-log.ts produces each from the previous one with immer,
// sharing what did not change), so the same object can travel in many messages: a broker holding
// an old image acts on stale metadata, as a broker cut off from the controller does in Kafka.

import type { KafkaVersion } from '../version/kafka-versions.ts';

/** No leader: the partition is offline. */
export const NO_LEADER = -1;

/**
 * In a Metadata response: the partition does not exist (yet) in the answering broker's metadata
 * (Kafka leaves it out of the topic's partition list; a create-partitions adds it later).
 */
export const NOT_CREATED = -2;

export interface PartitionMeta {
  /** Broker index, or NO_LEADER. */
  readonly leader: number;
  readonly leaderEpoch: number;
  /** Bumped on every leader or ISR change (KIP-497's partition epoch, ZooKeeper's zkVersion). */
  readonly partitionEpoch: number;
  /**
   * Broker indexes in the ISR, in replica-assignment order. Never empty, except with Eligible
   * Leader Replicas (KIP-966), where the last member fenced leaves it for the ELR.
   */
  readonly isr: readonly number[];
  /**
   * KIP-966 (4.1 default, KRaft): replicas that left the ISR while it was below min ISR, so hold
   * every committed record (the HW did not move, KAFKA-15583); leaders when the ISR is empty.
   * Absent: empty (ELR off, or the ISR at or above min ISR).
   */
  readonly elr?: readonly number[];
  /**
   * KIP-966's lastKnownElr as 4.1 keeps it (PartitionChangeBuilder.useLastKnownLeaderInBalancedRecovery,
   * on by default): the leader when the ISR last became empty, elected again once it is unfenced
   * if the ISR and the ELR are still empty. Absent: empty (ELR off, or never leaderless so).
   */
  readonly lastKnownElr?: readonly number[];
  /**
   * Broker indexes. During a reassignment (KIP-455) the target replicas first, then the ones being
   * removed (PartitionReassignmentReplicas: replicas = target + removing).
   */
  readonly replicas: readonly number[];
  /** KIP-455: replicas a reassignment in progress adds (ascending); absent when none is in progress. */
  readonly addingReplicas?: readonly number[];
  /** KIP-455: replicas a reassignment in progress removes (ascending); absent when none is in progress. */
  readonly removingReplicas?: readonly number[];
}

export interface MetadataImage {
  /** Offset of the last applied metadata record; grows with every published change. */
  readonly version: number;
  readonly partitions: readonly PartitionMeta[];
  /** Per broker index: fenced (KRaft) or without a live session (ZooKeeper). */
  readonly fenced: readonly boolean[];
  /** Per broker index: in controlled shutdown (KIP-841: may not join an ISR). */
  readonly shuttingDown: readonly boolean[];
  /**
   * Per broker index: the process incarnation the controller has registered (-1: none yet). A
   * KRaft broker acts on an image only once it registers its current incarnation: a restarted
   * broker's registration is handled (fenced, its leaderships moved, KIP-841) before it can lead.
   */
  readonly incarnations: readonly number[];
  /**
   * KRaft: the metadata.version an UpdateFeatures finalized (FeatureLevelRecord); absent: the level
   * the cluster was created with. A broker speaks it once it replays it (version/cluster-versions.ts).
   */
  readonly finalizedMetadataVersion?: KafkaVersion;
}

export function contains(list: readonly number[], x: number): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === x) return true;
  return false;
}
