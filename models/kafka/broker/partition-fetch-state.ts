// A partition a follower fetches (Kafka's PartitionFetchState, with AbstractFetcherThread's
// ReplicaState): whom it fetches from, in which leader epoch, and whether it is truncating first.
// Every change of it counts in the broker's change count of the partition (LogManager.changeStamps),
// as its log's changes do: a fetch that finds that count unchanged lists the partition as the last
// one did without a look at it (FetchSessionHandler.keepIfUnchanged).

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
  private epoch: number;
  private replicaState: number;

  /** An error for this partition alone (handlePartitionsWithErrors): it waits backoffUs (a delay under way stands). */
  delay(nowUs: number, backoffUs: number): void {
    if (this.delayedUntilUs > nowUs) return;
    this.delayedUntilUs = nowUs + backoffUs;
    this.changed();
  }

  constructor(
    readonly leader: number,
    leaderEpoch: number,
    state: number,
    /** The broker's change count per partition (LogManager.changeStamps) and this partition's index in it; absent: counted nowhere. */
    private readonly changeStamps: Float64Array = new Float64Array(1),
    private readonly partition = 0,
  ) {
    this.epoch = leaderEpoch;
    this.replicaState = state;
    this.changed();
  }

  /** The leader epoch fetches name; moved on in place when a same-leader change skips become-follower (KAFKA-7164). */
  get leaderEpoch(): number {
    return this.epoch;
  }

  set leaderEpoch(epoch: number) {
    this.epoch = epoch;
    this.changed();
  }

  /** TRUNCATING or FETCHING. */
  get state(): number {
    return this.replicaState;
  }

  set state(state: number) {
    this.replicaState = state;
    this.changed();
  }

  private changed(): void {
    this.changeStamps[this.partition]++;
  }
}
