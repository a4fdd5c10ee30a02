// Kafka's ConsumerMetadata: the leader and leader epoch of every subscribed partition, refreshed
// by Metadata requests to a bootstrap broker (and every metadata.max.age.ms, 5 min by default). Leader epochs
// only move forward, so a stale broker's answer cannot roll one back; from 2.2 (KAFKA-7738,
// Metadata.updateLatestMetadata) such an answer does not move the leader either.
//
// Simplification: the bootstrap brokers are tried in order from one drawn at start; a timed-out
// request moves to the next.

import type { NodeContext } from '../../../src/sim/model.ts';
import { NO_LEADER, NOT_CREATED } from '../controller/metadata-image.ts';
import type { KafkaMessage } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';
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
    this.leaders.fill(NO_LEADER);
    this.leaderEpochs.fill(-1);
  }

  /** The bootstrap broker did not answer: try the next one. */
  nextBootstrap(): void {
    this.bootstrapBroker = (this.bootstrapBroker + 1) % this.brokerCount;
  }

  requestUpdate(ctx: Ctx): void {
    if (!this.thread.started || this.inFlight) return;
    this.inFlight = true;
    this.network.send(ctx, this.bootstrapBroker, REQ_METADATA, { type: 'consumer-metadata', requestId: this.network.newRequestId(), partitions: this.partitions });
  }

  /** The Metadata response; true when some partition has no leader. */
  update(leaders: readonly number[], leaderEpochs: readonly number[]): boolean {
    this.inFlight = false;
    let missing = false;
    for (let s = 0; s < this.partitions.length; s++) {
      if (leaders[s] === NOT_CREATED) {
        this.leaders[s] = NO_LEADER; // a broker with older metadata; what exists stays known
        continue;
      }
      if (this.created[s] === 0) {
        this.created[s] = 1;
        this.createdVersion++;
      }
      if (this.refusesOlderLeaderEpochs && leaderEpochs[s] >= 0 && leaderEpochs[s] < this.leaderEpochs[s]) {
        if (this.leaders[s] === NO_LEADER) missing = true;
        continue;
      }
      this.leaders[s] = leaders[s];
      if (leaders[s] === NO_LEADER) missing = true;
      if (leaderEpochs[s] > this.leaderEpochs[s]) this.leaderEpochs[s] = leaderEpochs[s];
    }
    return missing;
  }

  onRequestTimeout(ctx: Ctx): void {
    this.inFlight = false;
    this.nextBootstrap();
    this.requestUpdate(ctx);
  }
}
