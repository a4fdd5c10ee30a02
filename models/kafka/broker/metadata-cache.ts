// A broker's copy of the cluster metadata (Kafka's KRaftMetadataCache, or the ZooKeeper-era
// MetadataCache fed by UpdateMetadata): the latest image the controller pushed to it. A broker
// learns metadata only from the controller, so one cut off from it acts on stale metadata, which
// is how zombie leaders happen; producers and consumers asking it get stale answers too.

import { NO_LEADER, type MetadataImage } from '../controller/metadata-image.ts';

export class MetadataCache {
  private current: MetadataImage | null = null;

  constructor(
    private readonly brokerIndex: number,
    private readonly kraft: boolean,
  ) {}

  /** null until the first image this process accepts. */
  get image(): MetadataImage | null {
    return this.current;
  }

  /** Version of the cached image (0: none), as heartbeats report it. */
  get version(): number {
    return this.current === null ? 0 : this.current.version;
  }

  /** Forgets the image (process start). */
  clear(): void {
    this.current = null;
  }

  /**
   * Takes image if it is newer; returns whether it did. KRaft: until the controller has
   * registered this incarnation, the image describes the process that died (maybe as a leader,
   * with records this restart lost). Acting on it would let a broker that lost its page cache lead
   * again in the same epoch and overwrite acknowledged records. Real brokers register before they
   * replay metadata, so they never see such an image.
   */
  update(image: MetadataImage, incarnation: number): boolean {
    if (this.current !== null && image.version <= this.current.version) return false;
    if (this.kraft && image.incarnations[this.brokerIndex] !== incarnation) return false;
    this.current = image;
    return true;
  }

  /** The leader of partition as this broker knows it (NO_LEADER: offline, unknown or not created yet). */
  leaderOf(partition: number): number {
    return this.current?.partitions[partition]?.leader ?? NO_LEADER;
  }

  /**
   * How many of a topic's partitions (global indexes by partition number) this broker's metadata
   * has: all of the initial ones, and those a create-partitions added once it learnt of them. Without
   * any image yet, the initial ones (the broker answers with them all offline).
   */
  createdCount(topicPartitions: readonly number[], initial: (partition: number) => boolean): number {
    const image = this.current;
    let n = 0;
    while (n < topicPartitions.length && (image === null ? initial(topicPartitions[n]) : image.partitions[topicPartitions[n]] !== undefined)) n++;
    return n;
  }

  /**
   * KIP-903 (Partition.isBrokerEpochIsrEligible): the broker epoch a fetch carried matches the
   * registration in the cache, or the fetch carried none (-1).
   */
  isBrokerEpochIsrEligible(broker: number, fetchBrokerEpoch: number): boolean {
    const image = this.current;
    return fetchBrokerEpoch === -1 || (image !== null && image.incarnations[broker] === fetchBrokerEpoch);
  }

  /** KIP-841: a fenced or shutting-down broker may not join an ISR (unknown without an image). */
  isReplicaIsrEligible(broker: number): boolean {
    const image = this.current;
    return image !== null && !image.fenced[broker] && !image.shuttingDown[broker];
  }
}
