// A partition a follower fetches (Kafka's PartitionFetchState, with AbstractFetcherThread's
// ReplicaState): whom it fetches from, in which leader epoch, and whether it is truncating first.

/** AbstractFetcherThread's ReplicaState. */
export const TRUNCATING = 0;
export const FETCHING = 1;

/** A followed partition's fetch state (Kafka's PartitionFetchState). */
export class PartitionFetchState {
  /** KIP-279 walk-back: the epoch to ask about next (-1: the log's latest). */
  askEpoch = -1;
  /** PartitionFetchState.isReplicaInSync: the last fetch left no lag behind the leader's HW. */
  inSync = false;
  /**
   * PartitionFetchState.delay (AbstractFetcherThread.delayPartitions): after an error for this
   * partition alone it is neither fetched nor truncated until then (µs), while the other
   * partitions from its leader go on; a new state (a new leader or epoch) starts undelayed.
   */
  delayedUntilUs = 0;

  /** An error for this partition alone (handlePartitionsWithErrors): it waits backoffUs (a delay under way stands). */
  delay(nowUs: number, backoffUs: number): void {
    if (this.delayedUntilUs <= nowUs) this.delayedUntilUs = nowUs + backoffUs;
  }

  constructor(
    readonly leader: number,
    /** The leader epoch fetches name; moved on in place when a same-leader change skips become-follower (KAFKA-7164). */
    public leaderEpoch: number,
    public state: number,
  ) {}
}
