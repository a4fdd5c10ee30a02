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

  constructor(
    readonly leader: number,
    /** The leader epoch fetches name; moved on in place when a same-leader change skips become-follower (KAFKA-7164). */
    public leaderEpoch: number,
    public state: number,
  ) {}
}
