// Kafka's ProducerMetadata for the producer's one topic: the leader of each partition as the
// last metadata response gave it. It is refreshed every metadata.max.age.ms, after
// retry.backoff.ms while some leader is unknown, and at once when a request fails in a way that
// means leadership moved. A metadata request goes to the least-loaded broker
// (NetworkClient.leastLoadedNode); after request.timeout.ms without an answer the next broker is
// tried, and a broker that just failed a request is not asked next.
//
// Simplification: the bootstrap broker is drawn once, when the producer is created.

import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaStats } from '../kafka-stats.ts';
import type { KafkaMessage, MetadataResponse } from '../messages.ts';
import { NO_LEADER } from '../controller/metadata-image.ts';
import { METADATA_REFRESH, type KafkaTimer } from '../timers.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** What the metadata needs of the network client. */
interface MetadataNetwork {
  newCorrelationId(): number;
  leastLoadedNode(startAt: number): number;
}

interface ProducerMetadataConfig {
  topic: string;
  /** Node of each broker, by broker index. */
  brokerNodes: readonly number[];
  partitionCount: number;
  /** metadata.max.age.ms */
  maxAgeUs: number;
  /** retry.backoff.ms: how soon to ask again while a leader is unknown. */
  retryBackoffUs: number;
  /** request.timeout.ms: when to give up on a broker and ask the next. */
  requestTimeoutUs: number;
}

export class ProducerMetadata {
  private readonly leaders: Int32Array;
  /** The correlation id of the metadata request awaiting a response; 0: none. */
  private inFlightRequestId = 0;
  private timeoutTimerId = -1;
  /** The broker asked last; the next request goes there unless another is less loaded. */
  private target: number;
  private refreshAtUs = Infinity;

  constructor(
    private readonly config: ProducerMetadataConfig,
    bootstrapBroker: number,
    private readonly network: MetadataNetwork,
    private readonly stats: Pick<KafkaStats, 'metadataRequests'>,
  ) {
    this.leaders = new Int32Array(config.partitionCount).fill(NO_LEADER);
    this.target = bootstrapBroker;
  }

  /** The leader's broker index of partition `tp` of the topic, or NO_LEADER. */
  leaderOf(tp: number): number {
    return this.leaders[tp];
  }

  /** A new producer process knows no leader: it asks at once and then every metadata.max.age.ms. */
  start(ctx: Ctx): void {
    this.leaders.fill(NO_LEADER);
    this.inFlightRequestId = 0;
    this.refreshAtUs = Infinity;
    this.requestUpdate(ctx);
    this.scheduleRefresh(ctx, this.config.maxAgeUs);
  }

  /** Sends a metadata request unless one is in flight already. */
  requestUpdate(ctx: Ctx): void {
    if (this.inFlightRequestId !== 0) return;
    this.target = this.network.leastLoadedNode(this.target);
    const requestId = this.network.newCorrelationId();
    this.inFlightRequestId = requestId;
    this.stats.metadataRequests++;
    ctx.send(this.config.brokerNodes[this.target], { type: 'metadata-request', requestId, topic: this.config.topic });
    this.timeoutTimerId = ctx.setTimer(this.config.requestTimeoutUs, { type: 'metadata-timeout', requestId });
  }

  /** Some partition has no known leader: ask now, and again after retry.backoff.ms. */
  requestUpdateForUnknownLeader(ctx: Ctx): void {
    this.requestUpdate(ctx);
    this.scheduleRefresh(ctx, this.config.retryBackoffUs);
  }

  /** `broker` just failed a request: do not ask it for metadata next. */
  avoidBroker(broker: number): void {
    if (this.target === broker && this.inFlightRequestId === 0) this.target = (this.target + 1) % this.config.brokerNodes.length;
  }

  /** The 'metadata-timeout' timer: the request went unanswered, so the next broker is asked. */
  onRequestTimeout(ctx: Ctx, requestId: number): void {
    if (this.inFlightRequestId !== requestId) return;
    this.inFlightRequestId = 0;
    this.target = (this.target + 1) % this.config.brokerNodes.length;
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
    ctx.cancelTimer(this.timeoutTimerId);
    let missing = false;
    for (let tp = 0; tp < this.leaders.length; tp++) {
      this.leaders[tp] = msg.leaders[tp];
      if (msg.leaders[tp] === NO_LEADER) missing = true;
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
