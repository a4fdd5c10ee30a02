// Kafka's ConsumerMetadata: the leader and leader epoch of every subscribed partition, refreshed
// by Metadata requests to a bootstrap broker (and every metadata.max.age.ms, 5 min by default). Leader epochs
// only move forward, so a stale broker's answer cannot roll one back; from 2.2 (KAFKA-7738,
// Metadata.updateLatestMetadata) such an answer does not move the leader either. A request goes
// no sooner than the refresh backoff allows (Metadata.timeToNextUpdate: retry.backoff.ms after the
// last response or failed request, growing from 3.7: clients/metadata-backoff.ts); one asked for
// within it goes when it has passed (NetworkClient.poll sleeps until DefaultMetadataUpdater.maybeUpdate's time).
//
// Simplification: the bootstrap brokers are tried in order from one drawn at start; a timed-out
// request moves to the next.

import type { NodeContext } from '../../../src/sim/model.ts';
import { NO_LEADER, NOT_CREATED } from '../controller/metadata-image.ts';
import type { KafkaMessage } from '../messages.ts';
import { CONSUMER_METADATA_BACKOFF, type KafkaTimer } from '../timers.ts';
import type { MetadataBackoff } from '../clients/metadata-backoff.ts';
import type { ApplicationThread } from './application-thread.ts';
import { REQ_METADATA, type ConsumerNetworkClient } from './consumer-network-client.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

export class ConsumerMetadata {
  /** Leader broker per partition slot (NO_LEADER: unknown). */
  readonly leaders: Int32Array;
  /** Highest leader epoch seen per partition slot. */
  readonly leaderEpochs: Int32Array;
  /**
   * 1 per partition slot the metadata shows as existing: the initial partitions, and those a
   * create-partitions added once a Metadata response listed them. Counts only grow.
   */
  readonly created: Uint8Array;
  /** Bumped whenever `created` changes (Metadata.updateVersion, as far as partitions go). */
  createdVersion = 0;
  private bootstrapBroker: number;
  private inFlight = false;
  /** An update was asked for within the backoff: sent when the 'consumer-metadata-backoff' timer fires. */
  private updatePending = false;
  /** When the pending 'consumer-metadata-backoff' timer fires (Infinity: none). */
  private backoffTimerAtUs = Infinity;

  constructor(
    /** Global partition index per slot. */
    private readonly partitions: readonly number[],
    private readonly brokerCount: number,
    bootstrap: number,
    private readonly network: ConsumerNetworkClient,
    private readonly thread: ApplicationThread,
    /** Whether each slot's partition exists from the start (not added by a create-partitions). */
    initial: readonly boolean[],
    /** KAFKA-7738 (2.2): an answer with an older leader epoch than the last seen keeps the leader. */
    private readonly refusesOlderLeaderEpochs: boolean,
    /** When the next request may go (Metadata.timeToAllowUpdate). */
    private readonly backoff: MetadataBackoff,
  ) {
    this.leaders = new Int32Array(partitions.length);
    this.leaderEpochs = new Int32Array(partitions.length);
    this.created = Uint8Array.from(initial, (b) => (b ? 1 : 0));
    this.bootstrapBroker = bootstrap;
  }

  /** The broker FindCoordinator and Metadata requests go to. */
  get bootstrap(): number {
    return this.bootstrapBroker;
  }

  /** Process start: nothing known, nothing in flight. */
  clear(): void {
    this.inFlight = false;
    this.backoff.clear();
    this.updatePending = false;
    this.backoffTimerAtUs = Infinity;
    this.leaders.fill(NO_LEADER);
    this.leaderEpochs.fill(-1);
  }

  /** The bootstrap broker did not answer: try the next one. */
  nextBootstrap(): void {
    this.bootstrapBroker = (this.bootstrapBroker + 1) % this.brokerCount;
  }

  requestUpdate(ctx: Ctx): void {
    if (!this.thread.started || this.inFlight) return;
    const allowedUs = this.backoff.allowedAt(ctx.nowUs);
    if (ctx.nowUs < allowedUs) {
      this.updatePending = true;
      if (allowedUs < this.backoffTimerAtUs) {
        this.backoffTimerAtUs = allowedUs;
        ctx.setTimer(allowedUs - ctx.nowUs, CONSUMER_METADATA_BACKOFF);
      }
      return;
    }
    this.updatePending = false;
    this.inFlight = true;
    this.network.send(ctx, this.bootstrapBroker, REQ_METADATA, { type: 'consumer-metadata', requestId: this.network.newRequestId(), partitions: this.partitions });
  }

  /** The 'consumer-metadata-backoff' timer (only the latest acts): sends the update asked for within the backoff. */
  onBackoffTimer(ctx: Ctx): void {
    if (ctx.nowUs < this.backoffTimerAtUs) return;
    this.backoffTimerAtUs = Infinity;
    if (this.updatePending) this.requestUpdate(ctx);
  }

  /** The Metadata response at nowUs; true when some partition has no leader. */
  update(nowUs: number, leaders: readonly number[], leaderEpochs: readonly number[]): boolean {
    this.inFlight = false;
    let missing = false;
    let newerEpoch = false;
    for (let s = 0; s < this.partitions.length; s++) {
      if (leaders[s] === NOT_CREATED) {
        this.leaders[s] = NO_LEADER; // a broker with older metadata; what exists stays known
        continue;
      }
      if (this.created[s] === 0) {
        this.created[s] = 1;
        this.createdVersion++;
      }
      // Metadata.updateLatestMetadata (3.7): a first or newer epoch is progress; -1, the broker knows no leaders yet, is not.
      if (leaderEpochs[s] > this.leaderEpochs[s]) newerEpoch = true;
      if (this.refusesOlderLeaderEpochs && leaderEpochs[s] >= 0 && leaderEpochs[s] < this.leaderEpochs[s]) {
        if (this.leaders[s] === NO_LEADER) missing = true;
        continue;
      }
      this.leaders[s] = leaders[s];
      if (leaders[s] === NO_LEADER) missing = true;
      if (leaderEpochs[s] > this.leaderEpochs[s]) this.leaderEpochs[s] = leaderEpochs[s];
    }
    this.backoff.onResponse(nowUs, newerEpoch);
    return missing;
  }

  onRequestTimeout(ctx: Ctx): void {
    this.inFlight = false;
    this.backoff.onFailedRequest(ctx.nowUs);
    this.nextBootstrap();
    this.requestUpdate(ctx);
  }
}
