// The replication protocol a run simulates, as a table of named capabilities. The model asks
// "does this protocol truncate by leader epoch?", never "which era is this?", as Kafka asks
// MetadataVersion.isTruncationOnFetchSupported() (server-common MetadataVersion.java). An era is
// one row; adding an era is adding a row here (the scenario format, its schema and --help take
// the era names and summaries from this table).

export interface ProtocolFeatures {
  /** What the era is, for the scenario schema and --help. */
  readonly summary: string;
  /**
   * KIP-101 (0.11): a follower or restarted broker finds where its log diverges from the
   * leader's with OffsetsForLeaderEpoch and truncates there. Without it, it truncates to its
   * own high-watermark checkpoint (Log.truncateTo(highWatermark) in 0.10 ReplicaFetcherThread),
   * which loses committed records when leadership moves fast.
   */
  readonly truncationByLeaderEpoch: boolean;
  /**
   * KIP-279 (2.0, KAFKA-6361): when the leader answers OffsetsForLeaderEpoch with an older epoch,
   * the follower walks back epoch by epoch to the true divergence point. Without it, the
   * follower trusts the first answer, and a fast leader failover can leave replicas diverged.
   */
  readonly truncationWalksBackEpochs: boolean;
  /**
   * KAFKA-7128 (fixed in 2.0.1 and 2.1.0, Partition.maybeExpandIsr): a follower rejoins the ISR
   * only once it has reached the start offset of the leader's current epoch, not merely the high
   * watermark.
   */
  readonly isrJoinNeedsLeaderEpochStart: boolean;
  /**
   * KIP-320 (2.1): fetches and OffsetsForLeaderEpoch carry the requester's current leader epoch;
   * a leader answers FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH on a mismatch, and consumers
   * validate their position after a leader change.
   */
  readonly fetchCarriesLeaderEpoch: boolean;
  /**
   * KIP-380 (2.2, broker epochs): the ZooKeeper-mode controller tells a broker's incarnations apart
   * by its registration's creation zxid (KafkaController BrokerChange, bouncedBrokerIds), so a
   * broker that restarts just as its old session expires is still handled as failed then started
   * (its leaderships move and it gets a full LeaderAndIsr). Without it the controller reads the
   * same set of live ids and misses the bounce: the new process never gets LeaderAndIsr for its
   * partitions, which stay led by a broker that does not serve them (KIP-380's motivation).
   */
  readonly controllerDetectsBrokerBounce: boolean;
  /**
   * KAFKA-7164 (fixed in 2.0.1 and 2.1.0): a follower told of a newer leader epoch by the same
   * leader it already follows goes through become-follower again and truncates. Before the fix,
   * Partition.makeFollower returned false whenever the leader id was unchanged, so a follower
   * that missed an epoch (another leader in between, which the old leader truncated under) kept
   * fetching with its diverged log. (2.0.1 skips only when the epoch moved by at most one; 2.1
   * forwards every epoch change to the fetcher, KAFKA-7395.)
   */
  readonly followerTruncatesAfterMissedEpoch: boolean;
}

export const PROTOCOL_FEATURES = {
  'hw-truncation': {
    summary: 'before Kafka 0.11: a follower or restarted broker truncates to its high watermark',
    truncationByLeaderEpoch: false,
    truncationWalksBackEpochs: false,
    isrJoinNeedsLeaderEpochStart: false,
    fetchCarriesLeaderEpoch: false,
    controllerDetectsBrokerBounce: false,
    followerTruncatesAfterMissedEpoch: false,
  },
  'kip-101': {
    summary: 'Kafka 0.11: truncation by leader epoch (OffsetsForLeaderEpoch), without KIP-279',
    truncationByLeaderEpoch: true,
    truncationWalksBackEpochs: false,
    isrJoinNeedsLeaderEpochStart: false,
    fetchCarriesLeaderEpoch: false,
    controllerDetectsBrokerBounce: false,
    followerTruncatesAfterMissedEpoch: false,
  },
  'kip-279': {
    summary: 'Kafka 2.0.0: followers walk back epoch by epoch to the divergence point (KIP-279), before KAFKA-7128 and KAFKA-7164',
    truncationByLeaderEpoch: true,
    truncationWalksBackEpochs: true,
    isrJoinNeedsLeaderEpochStart: false,
    fetchCarriesLeaderEpoch: false,
    controllerDetectsBrokerBounce: false,
    followerTruncatesAfterMissedEpoch: false,
  },
  current: {
    summary: 'KIP-279 plus KIP-320: fetches carry the leader epoch and are fenced (the default)',
    truncationByLeaderEpoch: true,
    truncationWalksBackEpochs: true,
    isrJoinNeedsLeaderEpochStart: true,
    fetchCarriesLeaderEpoch: true,
    controllerDetectsBrokerBounce: true,
    followerTruncatesAfterMissedEpoch: true,
  },
} as const satisfies Record<string, ProtocolFeatures>;

/** An era: a row of PROTOCOL_FEATURES, named as in the scenario's `era` field. */
export type ProtocolEra = keyof typeof PROTOCOL_FEATURES;

/** Every era, oldest first. */
export const PROTOCOL_ERAS = Object.keys(PROTOCOL_FEATURES) as ProtocolEra[];

/** The capabilities of an era. */
export function protocolFeaturesOf(era: ProtocolEra): ProtocolFeatures {
  return PROTOCOL_FEATURES[era];
}

/** A capability a protocol era may lack, with the fix that brought it: what a version-permitted verdict names. */
interface ProtocolFix {
  /** The KIP or JIRA, e.g. "KIP-101". */
  fix: string;
  /** The Kafka release that shipped it, e.g. "0.11". */
  release: string;
  /** What goes wrong without it, in a few words. */
  flaw: string;
}

/** The fix behind each capability of PROTOCOL_FEATURES (a later era adds its own). */
const PROTOCOL_FIXES: Readonly<Record<Exclude<keyof ProtocolFeatures, 'summary'>, ProtocolFix>> = {
  truncationByLeaderEpoch: { fix: 'KIP-101', release: '0.11', flaw: 'a follower truncates to its high watermark and loses committed records' },
  truncationWalksBackEpochs: { fix: 'KIP-279 (KAFKA-6361)', release: '2.0', flaw: 'a fast leader failover leaves replicas diverged' },
  isrJoinNeedsLeaderEpochStart: { fix: 'KAFKA-7128', release: '2.0.1', flaw: 'a follower rejoins the ISR before it has the current epoch' },
  fetchCarriesLeaderEpoch: { fix: 'KIP-320', release: '2.1', flaw: 'fetches are not fenced by leader epoch and consumers do not detect truncation' },
  followerTruncatesAfterMissedEpoch: { fix: 'KAFKA-7164', release: '2.0.1', flaw: 'a follower that missed a leader epoch skips truncation when the leader is the same broker again' },
  controllerDetectsBrokerBounce: { fix: 'KIP-380', release: '2.2', flaw: 'the ZooKeeper controller misses a fast broker bounce and its partitions stay unavailable' },
};

/** "KIP-101 (Kafka 0.11): <what goes wrong without it>", for a capability the era lacks. */
export function describeMissingFix(capability: keyof typeof PROTOCOL_FIXES): string {
  const f = PROTOCOL_FIXES[capability];
  return `${f.fix}, fixed in Kafka ${f.release}: without it ${f.flaw}`;
}
