// What a broker's replica fetcher is configured with (ReplicaFetcherThread's constructor
// arguments: its broker, the partitions it hosts, replica.fetch.* and the timeouts, its protocol
// capabilities, the follower quota): built by ReplicaFetcherThread.forBroker.

import type { ReplicationQuotaManager } from './replication-quota-manager.ts';
import type { ProtocolFeatures } from '../version/protocol-features.ts';

export interface ReplicaFetcherSetup {
  readonly brokerIndex: number;
  /** Partitions this broker hosts, ascending: fetch requests list them in this order. */
  readonly hostedPartitions: readonly number[];
  /** Node of each broker. */
  readonly brokerNode: readonly number[];
  readonly partitionCount: number;
  /** The broker's capabilities (rewritten in place when it is upgraded). */
  readonly protocol: Pick<ProtocolFeatures, 'truncationByLeaderEpoch' | 'truncationWalksBackEpochs' | 'fetchCarriesLeaderEpoch' | 'alterPartitionCarriesBrokerEpochs' | 'epochCacheAnswersOlderEpochs' | 'truncationOnFetch' | 'followerStartsLogAtBatchBase'>;
  /** replica.fetch.backoff.ms in microseconds. */
  readonly backoffUs: number;
  /** replica.socket.timeout.ms: the bound on connecting to a leader (µs). */
  readonly connectTimeoutUs: number;
  /** The broker's request.timeout.ms: the bound on a fetch or OffsetsForLeaderEpoch request (µs). */
  readonly requestTimeoutUs: number;
  readonly stats: { fetchRequests: number; epochRequests: number };
  /** KIP-73: this broker's follower quota (follower.replication.throttled.rate); absent: nothing throttled. */
  readonly followerQuota?: ReplicationQuotaManager;
  /** Bytes one record stands for (the quota counts bytes). */
  readonly recordBytes?: number;
  /** KIP-227: whether fetches use sessions now (Fetch v7 needs protocol level 1.1-IV0); absent: never. */
  readonly usesFetchSessions?: () => boolean;
  /** Bug zoo (skip-truncation): fetches name no last fetched epoch, so the leader never says the logs diverge. */
  readonly skipsDivergenceCheck?: boolean;
  /** The broker's change count per partition (LogManager.changeStamps: its logs and fetch states move it); absent: every fetch looks at every partition. */
  readonly changeStamps?: Float64Array;
}
