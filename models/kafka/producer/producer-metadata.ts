// Kafka's ProducerMetadata for the producer's one topic: the leader of each partition as the
// last metadata response gave it. It is refreshed every metadata.max.age.ms, after
// retry.backoff.ms while some leader is unknown, and at once when a request fails in a way that
// means leadership moved or a connection was lost (NetworkClient's handleServerDisconnect: "the
// disconnect may be the result of stale metadata"). A metadata request goes to the least-loaded
// broker (NetworkClient.leastLoadedNode, which skips brokers in their reconnect backoff); it
// fails with its connection, and after request.timeout.ms the producer closes that connection.
//
// Simplification: the producer knows every broker from the start (no bootstrap list to resolve).

import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaStats } from '../kafka-stats.ts';
import type { KafkaMessage, MetadataResponse } from '../messages.ts';
import { NO_LEADER } from '../controller/metadata-image.ts';
import { METADATA_REFRESH, type KafkaTimer } from '../timers.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** What the metadata needs of the network client. */
interface MetadataNetwork {
  newCorrelationId(): number;
  /** A broker to ask, or a negative number when none can be asked now. */
  leastLoadedNode(nowUs: number): number;
  nextConnectableUs(nowUs: number): number;
  sendOnAnyConnection(ctx: Ctx, broker: number, msg: KafkaMessage): boolean;
}

interface ProducerMetadataConfig {
  topic: string;
  /** The most partitions the topic ever has in the run (create-partitions included). */
  partitionCount: number;
  /** The partitions it has at the start (the count the first metadata response gives). */
  initialPartitionCount: number;
  /** metadata.max.age.ms */
  maxAgeUs: number;
  /** retry.backoff.ms: how soon to ask again while a leader is unknown. */
  retryBackoffUs: number;
  /**
   * Kafka 2.2+ clients (KAFKA-7738, KIP-320's metadata part): a partition's metadata from a
   * response with an older leader epoch than the last seen is ignored
   * (Metadata.updateLatestMetadata), so a broker with stale metadata (a zombie leader cut from
   * the controller) cannot send the producer back to it.
   */
  ignoresOlderLeaderEpochs: boolean;
  /** request.timeout.ms */
  requestTimeoutUs: number;
}

export class ProducerMetadata {
  private readonly leaders: Int32Array;
  /** The last seen leader epoch per partition (-1: none): Metadata.lastSeenLeaderEpochs. */
  private readonly lastSeenLeaderEpochs: Int32Array;
  /**
   * The topic's partition count as the last metadata response gave it: the default partitioner
   * maps keys over this many (Cluster.partitionsForTopic), so partitions a create-partitions adds
   * get records only after the next refresh (metadata.max.age.ms, or one an error triggers).
   */
  partitionCount: number;
  /** The correlation id of the metadata request awaiting a response (0: none) and its broker. */
  private inFlightRequestId = 0;
  private inFlightBroker = -1;
  private timeoutTimerId = -1;
  private refreshAtUs = Infinity;

  constructor(
    private readonly config: ProducerMetadataConfig,
    private readonly network: MetadataNetwork,
    private readonly stats: Pick<KafkaStats, 'metadataRequests'>,
  ) {
    this.leaders = new Int32Array(config.partitionCount).fill(NO_LEADER);
    this.lastSeenLeaderEpochs = new Int32Array(config.partitionCount).fill(-1);
    this.partitionCount = config.initialPartitionCount;
  }

  /** The leader's broker index of partition `tp` of the topic, or NO_LEADER. */
  leaderOf(tp: number): number {
    return this.leaders[tp];
  }

  /** A new producer process knows no leader: it asks at once and then every metadata.max.age.ms. */
  start(ctx: Ctx): void {
    this.leaders.fill(NO_LEADER);
    this.lastSeenLeaderEpochs.fill(-1);
    this.inFlightRequestId = 0;
    this.inFlightBroker = -1;
    this.refreshAtUs = Infinity;
    this.requestUpdate(ctx);
    this.scheduleRefresh(ctx, this.config.maxAgeUs);
  }

  /** Sends a metadata request unless one is in flight already (or, with no broker to ask, tries again once one may be). */
  requestUpdate(ctx: Ctx): void {
    if (this.inFlightRequestId !== 0) return;
    const broker = this.network.leastLoadedNode(ctx.nowUs);
    const requestId = this.network.newCorrelationId();
    if (broker < 0 || !this.network.sendOnAnyConnection(ctx, broker, { type: 'metadata-request', requestId, topic: this.config.topic })) {
      this.scheduleRefresh(ctx, Math.max(this.network.nextConnectableUs(ctx.nowUs) - ctx.nowUs, 0));
      return;
    }
    this.inFlightRequestId = requestId;
    this.inFlightBroker = broker;
    this.stats.metadataRequests++;
    this.timeoutTimerId = ctx.setTimer(this.config.requestTimeoutUs, { type: 'metadata-timeout', requestId });
  }

  /** Some partition has no known leader: ask now, and again after retry.backoff.ms. */
  requestUpdateForUnknownLeader(ctx: Ctx): void {
    this.requestUpdate(ctx);
    this.scheduleRefresh(ctx, this.config.retryBackoffUs);
  }

  /** The broker the metadata request `requestId` waits on (it timed out), or -1 when none is awaited. */
  brokerAwaited(requestId: number): number {
    return this.inFlightRequestId === requestId ? this.inFlightBroker : -1;
  }

  /** The connection to broker is gone (NetworkClient's handleServerDisconnect): a request on it failed; ask again. */
  handleServerDisconnect(ctx: Ctx, broker: number): void {
    if (this.inFlightRequestId !== 0 && this.inFlightBroker === broker) {
      ctx.cancelTimer(this.timeoutTimerId);
      this.inFlightRequestId = 0;
      this.inFlightBroker = -1;
    }
    this.requestUpdate(ctx);
  }

  /** The 'metadata-refresh' timer (only the latest scheduled refresh acts). */
  onRefresh(ctx: Ctx): void {
    if (ctx.nowUs < this.refreshAtUs) return;
    this.refreshAtUs = Infinity;
    this.requestUpdate(ctx);
    this.scheduleRefresh(ctx, this.config.maxAgeUs);
  }

  /** Takes the leaders from a response; false when it answers a request given up on already. */
  handleResponse(ctx: Ctx, msg: MetadataResponse): boolean {
    if (msg.requestId !== this.inFlightRequestId) return false;
    this.inFlightRequestId = 0;
    this.inFlightBroker = -1;
    ctx.cancelTimer(this.timeoutTimerId);
    let missing = false;
    // A partition count never shrinks in Kafka; a broker with older metadata may report fewer.
    if (msg.leaders.length > this.partitionCount) this.partitionCount = msg.leaders.length;
    for (let tp = 0; tp < this.leaders.length; tp++) {
      const epoch = tp < msg.leaderEpochs.length ? msg.leaderEpochs[tp] : -1;
      if (this.config.ignoresOlderLeaderEpochs && epoch >= 0) {
        // Metadata.updateLatestMetadata: an older epoch than the last seen keeps the cached leader.
        if (epoch < this.lastSeenLeaderEpochs[tp]) {
          if (this.leaders[tp] === NO_LEADER && tp < this.partitionCount) missing = true;
          continue;
        }
        this.lastSeenLeaderEpochs[tp] = epoch;
      }
      const leader = tp < msg.leaders.length ? msg.leaders[tp] : NO_LEADER;
      this.leaders[tp] = leader;
      if (leader === NO_LEADER && tp < this.partitionCount) missing = true;
    }
    if (missing) this.scheduleRefresh(ctx, this.config.retryBackoffUs);
    return true;
  }

  private scheduleRefresh(ctx: Ctx, delayUs: number): void {
    const atUs = ctx.nowUs + delayUs;
    if (atUs >= this.refreshAtUs) return;
    this.refreshAtUs = atUs;
    ctx.setTimer(delayUs, METADATA_REFRESH);
  }
}
