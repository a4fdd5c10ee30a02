// Kafka's OffsetFetcher, for what the model's consumer needs of it: auto.offset.reset (requested
// when a partition has no committed offset or its position is out of range; earliest / latest
// resolve at the leader, on the next fetch) and, from 2.3 (KIP-320's consumer side, KAFKA-7747;
// the brokers have it from 2.1), position validation after a leader change: OffsetsForLeaderEpoch to the new leader for the epoch of the
// last consumed record. A position past the end of that epoch on the new leader was truncated,
// and the consumer resets to the divergence point (or fails the partition with
// auto.offset.reset=none) instead of silently skipping the replaced records.

import type { NodeContext } from '../../../src/sim/model.ts';
import { NO_LEADER } from '../controller/metadata-image.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import type { KafkaMessage, OffsetsForLeaderEpochResponse } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';
import type { ApplicationThread } from './application-thread.ts';
import type { ConsumerMetadata } from './consumer-metadata.ts';
import { REQ_EPOCH, type ConsumerNetworkClient, type InFlightRequest } from './consumer-network-client.ts';
import type { FetchBuffer } from './fetch-buffer.ts';
import type { AutoOffsetReset } from '../config/consumer-configs.ts';
import { AWAIT_VALIDATION, type SubscriptionState } from './subscription-state.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

export class OffsetFetcher {
  constructor(
    private readonly world: KafkaWorld,
    /** Member name and group id, for events. */
    private readonly member: string,
    private readonly group: string,
    private readonly resetStrategy: AutoOffsetReset,
    private readonly subscriptions: SubscriptionState,
    private readonly fetchBuffer: FetchBuffer,
    private readonly metadata: ConsumerMetadata,
    private readonly network: ConsumerNetworkClient,
    private readonly thread: ApplicationThread,
  ) {}

  /**
   * SubscriptionState.requestOffsetReset, reported: the position of slot `s` (`fromOffset`) is
   * unusable; `broker` answered so (OFFSET_OUT_OF_RANGE), -1 for a partition without a committed offset.
   */
  requestOffsetReset(ctx: Ctx, s: number, fromOffset: number, reason: 'no-committed-offset' | 'out-of-range', broker = -1): void {
    const strategy = this.resetStrategy;
    this.world.stats.offsetResets++;
    const partition = this.subscriptions.partitionNames[s];
    if (broker < 0) ctx.emit({ type: 'offset-reset', member: this.member, group: this.group, partition, fromOffset, strategy, reason });
    else ctx.emit({ type: 'offset-reset', member: this.member, group: this.group, partition, fromOffset, strategy, reason, ...this.answeredBy(s, broker) });
    this.fetchBuffer.clear(s);
    this.subscriptions.requestOffsetReset(s, strategy);
  }

  /** validatePositionsOnMetadataChange: positions read under an older leader epoch need validating. */
  validatePositionsOnMetadataChange(): void {
    if (!this.world.protocol.consumerValidatesPositions) return;
    const leaderEpochs = this.metadata.leaderEpochs;
    for (let s = 0; s < this.subscriptions.partitions.length; s++) this.subscriptions.maybeValidatePositionForCurrentLeader(s, leaderEpochs[s]);
  }

  /** validatePositionsIfNeeded: OffsetsForLeaderEpoch to the leader of each partition awaiting validation. */
  validatePositionsIfNeeded(ctx: Ctx): void {
    const subs = this.subscriptions;
    for (const p of subs.assigned) {
      const s = subs.slotOf[p];
      if (subs.state[s] !== AWAIT_VALIDATION) continue;
      const leader = this.metadata.leaders[s];
      if (leader === NO_LEADER) continue;
      if (this.network.hasInFlight(REQ_EPOCH, (r) => r.slots![0] === s)) continue;
      this.network.send(
        ctx,
        leader,
        REQ_EPOCH,
        {
          type: 'offsets-for-leader-epoch',
          requestId: this.network.newRequestId(),
          broker: -1,
          partition: p,
          currentLeaderEpoch: this.metadata.leaderEpochs[s],
          leaderEpoch: subs.positionEpoch[s],
        },
        { slots: [s], offsets: [subs.position[s]] },
      );
    }
  }

  onOffsetsForLeaderEpochResponse(ctx: Ctx, req: InFlightRequest, msg: OffsetsForLeaderEpochResponse): void {
    const subs = this.subscriptions;
    const s = req.slots![0];
    if (subs.state[s] !== AWAIT_VALIDATION || subs.position[s] !== req.offsets![0]) return;
    if (msg.error !== null) {
      this.metadata.requestUpdate(ctx);
      return;
    }
    const fromOffset = subs.position[s];
    if (subs.maybeCompleteValidation(s, this.metadata.leaderEpochs[s], msg.endOffset, this.resetStrategy)) {
      this.world.stats.offsetResets++;
      ctx.emit({
        type: 'offset-reset',
        member: this.member,
        group: this.group,
        partition: subs.partitionNames[s],
        fromOffset,
        toOffset: msg.endOffset,
        strategy: this.resetStrategy,
        reason: 'truncation',
        ...this.answeredBy(s, req.broker),
      });
    }
    this.thread.kick(ctx);
  }

  /**
   * The broker that answered for slot `s`, for the reset event: the checkers tell a deposed leader's
   * answer from the current leader's by it. The leader epoch only where the consumer acts on it
   * (KAFKA-7747, 2.3); before, the consumer cannot tell a stale leader.
   */
  private answeredBy(s: number, broker: number): { broker: string; leaderEpoch?: number } {
    const name = this.world.layout.brokerNames[broker];
    return this.world.protocol.consumerValidatesPositions ? { broker: name, leaderEpoch: this.metadata.leaderEpochs[s] } : { broker: name };
  }

  onRequestTimeout(ctx: Ctx): void {
    this.metadata.requestUpdate(ctx);
  }
}
