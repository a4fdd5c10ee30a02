// Kafka's ConsumerCoordinator: the consumer's side of group membership (AbstractCoordinator) plus
// what a consumer group adds to it. The leader runs the assignor of the group's protocol; a new
// assignment's partitions get their committed offsets by OffsetFetch (auto.offset.reset without
// one). Rebalances happen inside poll(), between batches: eager protocols commit (auto-commit /
// after-processing) and revoke everything before rejoining; cooperative-sticky keeps its
// partitions and revokes only what the new assignment takes away, then rejoins (KIP-429).
//
// Commits: auto (enable.auto.commit: inside poll every auto.commit.interval.ms, async, and sync
// before an eager rebalance), after-processing (at least once), before-processing (at most once);
// commitSync waits and retries retriable errors (up to default.api.timeout.ms), async does not.
// ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID / FENCED_INSTANCE_ID fail the commit
// (CommitFailedException) and make the member rejoin; its partitions are lost, not committed. A
// member removed for exceeding max.poll.interval.ms fails its next commit without a request.
//
// Simplifications: default.api.timeout.ms is fixed at Kafka's default (60 s); the assignor runs
// with the leader's own strategy.

import type { NodeContext } from '../../../src/sim/model.ts';
import { NO_LEADER } from '../controller/metadata-image.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import {
  COORDINATOR_NOT_AVAILABLE,
  FENCED_INSTANCE_ID,
  ILLEGAL_GENERATION,
  NETWORK_EXCEPTION,
  NETWORK_TIMEOUT,
  NOT_COORDINATOR,
  REBALANCE_IN_PROGRESS,
  UNKNOWN_MEMBER_ID,
  type JoinGroupMember,
  type KafkaMessage,
} from '../messages.ts';
import type { ConsumerMemberSpec } from '../scenario/kafka-scenario.ts';
import type { KafkaTimer } from '../timers.ts';
import { AbstractCoordinator, type GroupAssignment, type JoinGroupMetadata } from './abstract-coordinator.ts';
import type { ApplicationThread } from './application-thread.ts';
import { assignorFor } from './assignors/assignor-registry.ts';
import type { ConsumerPartitionAssignor } from './assignors/consumer-partition-assignor.ts';
import type { ConsumerMetadata } from './consumer-metadata.ts';
import { REQ_COMMIT, REQ_OFFSET_FETCH, type ConsumerNetworkClient, type InFlightRequest } from './consumer-network-client.ts';
import type { FetchBuffer } from './fetch-buffer.ts';
import type { OffsetFetcher } from './offset-fetcher.ts';
import { INITIALIZING, NOT_ASSIGNED, type ConsumedOffsets, type SubscriptionState } from './subscription-state.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

const DEFAULT_API_TIMEOUT_US = 60_000_000;
/** The Java client's exception for a commit by a member no longer in the group (no error code: no request is sent). */
export const COMMIT_FAILED_EXCEPTION = 'CommitFailedException';

/** A commitSync the application is blocked in. */
interface PendingSyncCommit extends ConsumedOffsets {
  deadlineUs: number;
}

export class ConsumerCoordinator extends AbstractCoordinator {
  private readonly assignor: ConsumerPartitionAssignor;
  private readonly autoCommitIntervalUs: number;
  private offsetFetchInFlight = false;
  private nextAutoCommitUs = 0;
  /** Eager sticky: the assignment before revocation, sent as the subscription's user data. */
  private previousAssignment: number[] = [];
  private syncCommit: PendingSyncCommit | null = null;
  /**
   * ConsumerCoordinator.assignmentSnapshot: the metadata's createdVersion when this member, as
   * the group's leader, computed the assignment (-1: it did not). Only the leader watches for new
   * partitions; when its metadata shows more, it rejoins and the group rebalances.
   */
  private assignmentSnapshot = -1;
  /** This member ran the assignment in the join under way (ConsumerCoordinator.isLeader). */
  private isLeader = false;

  constructor(
    world: KafkaWorld,
    private readonly spec: ConsumerMemberSpec,
    group: string,
    private readonly subscriptions: SubscriptionState,
    private readonly fetchBuffer: FetchBuffer,
    private readonly offsetFetcher: OffsetFetcher,
    network: ConsumerNetworkClient,
    metadata: ConsumerMetadata,
    thread: ApplicationThread,
  ) {
    super(world, spec.name, group, spec.config, network, metadata, thread);
    this.assignor = assignorFor(spec.config['partition.assignment.strategy']);
    this.autoCommitIntervalUs = spec.config['auto.commit.interval.ms'] * 1000;
  }

  private get cooperative(): boolean {
    return this.assignor.rebalanceProtocol === 'cooperative';
  }

  /** Process start: no membership, no assignment, nothing in flight. */
  clear(nowUs: number): void {
    this.clearMembership(nowUs);
    this.assignmentSnapshot = -1;
    this.isLeader = false;
    this.offsetFetchInFlight = false;
    this.syncCommit = null;
    this.revokeAll();
    this.nextAutoCommitUs = nowUs + this.autoCommitIntervalUs;
  }

  /**
   * ConsumerCoordinator.poll with updateFetchPositions' committed-offset lookup: find the
   * coordinator, rejoin if needed, fetch committed offsets for new partitions, auto-commit. False
   * when the application must commitSync before the member may rejoin (eager onJoinPrepare).
   */
  poll(ctx: Ctx): boolean {
    this.pollHeartbeat(ctx.nowUs);
    if (!this.ensureCoordinatorReady(ctx)) return true;
    if (!this.joinGroupIfNeeded(ctx)) return false;
    if (!this.offsetFetchInFlight && !this.joinInFlight) this.fetchCommittedOffsets(ctx);
    if (this.spec.config['enable.auto.commit'] && ctx.nowUs >= this.nextAutoCommitUs && this.generation >= 0) {
      this.nextAutoCommitUs = ctx.nowUs + this.autoCommitIntervalUs;
      if (this.subscriptions.hasUncommitted()) this.commitOffsetsAsync(ctx);
    }
    return true;
  }

  // ---- rebalance ----

  protected onJoinPrepare(): boolean {
    if (!this.cooperative && this.generation >= 0 && this.spec.commit !== 'before-processing' && this.subscriptions.hasUncommitted()) return false;
    if (!this.cooperative) this.revokeAll();
    return true;
  }

  /** The commit onJoinPrepare asked for is done (or failed): an eager member revokes everything now. */
  revokeBeforeJoin(): void {
    if (!this.cooperative) this.revokeAll();
  }

  protected joinGroupMetadata(): JoinGroupMetadata {
    const owned = this.subscriptions.assigned.slice();
    return {
      protocol: this.assignor.name,
      topics: [...this.subscriptions.topicPartitions.keys()],
      owned: this.assignor.usesOwnedPartitions ? (owned.length > 0 ? owned : this.previousAssignment) : [],
    };
  }

  protected onLeaderElected(protocol: string, members: readonly JoinGroupMember[]): GroupAssignment {
    // The assignor sees the partitions the leader's metadata has (assignor.assign(metadata.fetch(), ...)).
    const created = this.metadata.created;
    const slotOf = this.subscriptions.slotOf;
    const topicPartitions = new Map<string, readonly number[]>();
    for (const [topic, parts] of this.subscriptions.topicPartitions) topicPartitions.set(topic, parts.filter((p) => created[slotOf[p]] === 1));
    this.isLeader = true;
    this.assignmentSnapshot = this.metadata.createdVersion;
    const partitions = assignorFor(protocol).assign(members, topicPartitions);
    if (this.world.bugs.assignPartitionTwice && partitions.length > 1 && partitions[0].length > 0) partitions[1] = [...partitions[1], partitions[0][0]]; // bug zoo
    return { members: members.map((m) => m.memberId), partitions };
  }

  protected onJoinComplete(ctx: Ctx, assignment: readonly number[]): void {
    if (!this.isLeader) this.assignmentSnapshot = -1;
    this.isLeader = false;
    const subs = this.subscriptions;
    const next = new Set(assignment);
    const revoked: number[] = [];
    for (const p of subs.assigned) if (!next.has(p)) revoked.push(p);
    const added: number[] = [];
    for (const p of assignment) if (subs.state[subs.slotOf[p]] === NOT_ASSIGNED) added.push(p);
    this.rejoinNeeded = false;
    if (revoked.length > 0) {
      // KIP-429: revoke only what moved (committing it first), then rejoin so it can be reassigned.
      if (this.spec.commit !== 'before-processing' && subs.hasUncommitted()) this.commitOffsetsAsync(ctx);
      for (const p of revoked) this.revoke(subs.slotOf[p]);
      this.rejoinNeeded = true;
    }
    subs.assignFromSubscribed(assignment, added);
    this.previousAssignment = [...assignment];
    this.lastHeartbeatOkUs = ctx.nowUs;
    const names = this.world.layout.partitions;
    ctx.emit({
      type: 'assignment',
      member: this.member,
      group: this.group,
      generation: this.generation,
      partitions: assignment.map((p) => names[p].name),
      revoked: revoked.map((p) => names[p].name),
    });
    this.thread.kick(ctx);
  }

  /**
   * ConsumerCoordinator.rejoinNeededOrPending: the leader rejoins when its metadata changed since
   * it assigned ("cached metadata has changed"), so partitions a create-partitions added are
   * assigned once the leader's metadata shows them.
   */
  maybeRejoinOnMetadataChange(): void {
    if (this.assignmentSnapshot >= 0 && this.assignmentSnapshot !== this.metadata.createdVersion) {
      this.assignmentSnapshot = -1;
      this.rejoinNeeded = true;
    }
  }

  protected onPartitionsLost(): void {
    this.revokeAll();
  }

  private revoke(s: number): void {
    this.subscriptions.unassign(s);
    this.fetchBuffer.clear(s);
  }

  private revokeAll(): void {
    for (let s = 0; s < this.subscriptions.partitions.length; s++) this.fetchBuffer.clear(s);
    this.subscriptions.unassignAll();
  }

  // ---- committed offsets ----

  /** refreshCommittedOffsetsIfNeeded: OffsetFetch for the partitions waiting for a position. */
  private fetchCommittedOffsets(ctx: Ctx): void {
    const slots = this.subscriptions.initializingSlots();
    if (slots.length === 0 || this.coordinator === NO_LEADER) return;
    this.offsetFetchInFlight = true;
    this.network.send(
      ctx,
      this.coordinator,
      REQ_OFFSET_FETCH,
      { type: 'offset-fetch', requestId: this.network.newRequestId(), group: this.group, partitions: slots.map((s) => this.subscriptions.partitions[s]) },
      { slots },
    );
  }

  onOffsetFetchResponse(ctx: Ctx, req: InFlightRequest, error: string | null, offsets: number[], epochs: number[]): void {
    this.offsetFetchInFlight = false;
    if (error !== null) return this.markCoordinatorUnknown(ctx);
    const subs = this.subscriptions;
    const slots = req.slots!;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i];
      if (subs.state[s] !== INITIALIZING) continue;
      ctx.emit({ type: 'offset-fetch', member: this.member, group: this.group, partition: subs.partitionNames[s], offset: offsets[i] });
      this.fetchBuffer.clear(s);
      if (offsets[i] < 0) {
        subs.committed[s] = -1;
        this.offsetFetcher.requestOffsetReset(ctx, s, -1, 'no-committed-offset');
        continue;
      }
      subs.seekToCommitted(s, offsets[i], epochs[i], this.world.protocol.consumerValidatesPositions, this.world.bugs.seekPastCommittedOffset);
    }
    this.offsetFetcher.validatePositionsIfNeeded(ctx);
    this.thread.kick(ctx);
  }

  // ---- offset commits ----

  commitOffsetsAsync(ctx: Ctx): void {
    const { slots, offsets } = this.subscriptions.uncommittedPositions();
    if (slots.length > 0 && this.coordinator !== NO_LEADER) this.sendOffsetCommit(ctx, slots, offsets, false);
  }

  /** commitSync: the application (already blocked) waits until it succeeds, fails or times out. */
  commitOffsetsSync(ctx: Ctx): void {
    const { slots, offsets } = this.subscriptions.uncommittedPositions();
    this.syncCommit = { slots, offsets, deadlineUs: ctx.nowUs + DEFAULT_API_TIMEOUT_US };
    if (slots.length === 0) return this.finishSyncCommit(ctx);
    this.resendSyncCommit(ctx);
  }

  /** Sends the blocking commit unless it is in flight, once the coordinator is known. */
  resendSyncCommit(ctx: Ctx): void {
    const sync = this.syncCommit;
    if (sync === null) return;
    if (ctx.nowUs >= sync.deadlineUs) {
      // commitSync gives up after default.api.timeout.ms (a TimeoutException to the application).
      this.world.stats.offsetCommitsFailed++;
      const names = sync.slots.map((s) => this.subscriptions.partitionNames[s]);
      ctx.emit({ type: 'commit-fail', member: this.member, group: this.group, generation: this.generation, partitions: names, offsets: sync.offsets, error: 'TIMEOUT' });
      return this.finishSyncCommit(ctx);
    }
    if (this.network.hasInFlight(REQ_COMMIT, (r) => r.sync)) return;
    if (!this.ensureCoordinatorReady(ctx)) return;
    this.sendOffsetCommit(ctx, sync.slots, sync.offsets, true);
  }

  private sendOffsetCommit(ctx: Ctx, slots: number[], offsets: number[], sync: boolean): void {
    const subs = this.subscriptions;
    if (this.generation < 0) return this.failCommitOutsideGroup(ctx, slots, offsets, sync);
    const partitions = slots.map((s) => subs.partitions[s]);
    // The last consumed record's leader epoch rides the commit from 2.3 (KAFKA-7747); 2.1-2.2's
    // SubscriptionState.allConsumed commits the bare position.
    const withEpochs = this.world.protocol.consumerValidatesPositions;
    const leaderEpochs = slots.map((s) => (withEpochs ? subs.positionEpoch[s] : -1));
    this.world.stats.offsetCommits++;
    ctx.emit({
      type: 'commit',
      member: this.member,
      group: this.group,
      generation: this.generation,
      partitions: slots.map((s) => subs.partitionNames[s]),
      offsets: offsets.slice(),
      sync,
    });
    this.network.send(
      ctx,
      this.coordinator,
      REQ_COMMIT,
      {
        type: 'offset-commit',
        requestId: this.network.newRequestId(),
        group: this.group,
        generation: this.generation,
        memberId: this.memberId,
        instanceId: this.instanceId,
        partitions,
        offsets,
        leaderEpochs,
      },
      { slots, offsets, sync, generation: this.generation },
    );
  }

  onOffsetCommitResponse(ctx: Ctx, req: InFlightRequest, error: string | null): void {
    const slots = req.slots!;
    const offsets = req.offsets!;
    const names = slots.map((s) => this.subscriptions.partitionNames[s]);
    if (error === null) {
      this.subscriptions.markCommitted(slots, offsets);
      ctx.emit({ type: 'commit-ok', member: this.member, group: this.group, generation: req.generation, partitions: names, offsets });
    } else {
      this.world.stats.offsetCommitsFailed++;
      ctx.emit({ type: 'commit-fail', member: this.member, group: this.group, generation: req.generation, partitions: names, offsets, error });
    }
    // A commit lost with its connection is retriable and the coordinator is presumed gone
    // (ConsumerCoordinator: DisconnectException -> markCoordinatorUnknown, RetriableCommitFailedException).
    const retriable = error === NOT_COORDINATOR || error === COORDINATOR_NOT_AVAILABLE || error === NETWORK_TIMEOUT || error === NETWORK_EXCEPTION;
    if (retriable) this.markCoordinatorUnknown(ctx);
    else if (error === REBALANCE_IN_PROGRESS) this.rejoinNeeded = true;
    else if (error === ILLEGAL_GENERATION || error === UNKNOWN_MEMBER_ID || error === FENCED_INSTANCE_ID) this.resetGeneration(ctx);
    if (!req.sync || this.syncCommit === null) return;
    if (retriable && ctx.nowUs < this.syncCommit.deadlineUs) return this.thread.retryLater(ctx);
    this.finishSyncCommit(ctx);
  }

  /**
   * sendOffsetCommitRequest when generationIfStable() is null: the member was removed from the
   * group (a poll timeout) and has not rejoined, so the commit fails at once, without a request:
   * CommitFailedException ("it is likely that the consumer was kicked out of the group").
   */
  private failCommitOutsideGroup(ctx: Ctx, slots: number[], offsets: number[], sync: boolean): void {
    this.world.stats.offsetCommitsFailed++;
    const partitions = slots.map((s) => this.subscriptions.partitionNames[s]);
    ctx.emit({ type: 'commit-fail', member: this.member, group: this.group, generation: this.generation, partitions, offsets: offsets.slice(), error: COMMIT_FAILED_EXCEPTION });
    if (sync && this.syncCommit !== null) this.finishSyncCommit(ctx);
  }

  private finishSyncCommit(ctx: Ctx): void {
    this.syncCommit = null;
    this.thread.onCommitSyncDone(ctx);
  }

  override onRequestFailed(ctx: Ctx, req: InFlightRequest, error: string): void {
    if (req.kind === REQ_COMMIT) return this.onOffsetCommitResponse(ctx, req, error);
    if (req.kind === REQ_OFFSET_FETCH) this.offsetFetchInFlight = false;
    super.onRequestFailed(ctx, req, error);
  }
}
