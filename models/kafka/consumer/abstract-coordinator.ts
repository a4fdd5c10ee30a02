// Kafka's AbstractCoordinator: a member's side of the classic group protocol, whatever the group
// is for. FindCoordinator (to a bootstrap broker), JoinGroup / SyncGroup with generations (the
// leader's assignment is the subclass's), and the heartbeat thread: it beats every
// heartbeat.interval.ms while the application processes (KIP-62), marks the coordinator unknown
// when no heartbeat response came for session.timeout.ms, and leaves the group when the
// application has not polled for max.poll.interval.ms (a static member just stops, KIP-345).
// UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION / FENCED_INSTANCE_ID reset the generation: the member
// rejoins as a new one.
//
// A coordinator request that fails with its connection (a timeout, or a reset by the coordinator's
// host) marks the coordinator unknown (CoordinatorResponseHandler.onFailure: a DisconnectException
// -> markCoordinatorUnknown); the member then looks it up again with FindCoordinator.
//
// Simplification: a new member gets its member id from its first JoinGroup (no MEMBER_ID_REQUIRED
// round trip, KIP-394).

import type { NodeContext } from '../../../src/sim/model.ts';
import { NO_LEADER } from '../controller/metadata-image.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import {
  COORDINATOR_NOT_AVAILABLE,
  FENCED_INSTANCE_ID,
  ILLEGAL_GENERATION,
  NOT_COORDINATOR,
  REBALANCE_IN_PROGRESS,
  UNKNOWN_MEMBER_ID,
  type JoinGroupMember,
  type JoinGroupResponse,
  type KafkaMessage,
} from '../messages.ts';
import type { ConsumerConfig } from '../config/consumer-configs.ts';
import type { KafkaTimer } from '../timers.ts';
import type { ApplicationThread } from './application-thread.ts';
import type { ConsumerMetadata } from './consumer-metadata.ts';
import { REQ_FIND, REQ_HEARTBEAT, REQ_JOIN, REQ_SYNC, type ConsumerNetworkClient, type InFlightRequest } from './consumer-network-client.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** What a member asks for in JoinGroup (Kafka's JoinGroupRequestProtocol and subscription). */
export interface JoinGroupMetadata {
  protocol: string;
  topics: readonly string[];
  owned: readonly number[];
}

/** The leader's assignment for SyncGroup: member ids and their partitions, parallel. */
export interface GroupAssignment {
  members: string[];
  partitions: number[][];
}

export abstract class AbstractCoordinator {
  readonly heartbeatIntervalUs: number;
  protected readonly sessionTimeoutUs: number;
  protected readonly rebalanceTimeoutUs: number;
  protected readonly instanceId: string | null;
  /** The coordinator broker (NO_LEADER: unknown). */
  protected coordinator = NO_LEADER;
  protected memberId = '';
  private currentGeneration = -1;
  protected rejoinNeeded = true;
  protected joinInFlight = false;
  private findInFlight = false;
  private heartbeatInFlight = false;
  protected lastHeartbeatOkUs = 0;
  private lastPollUs = 0;
  /**
   * The heartbeat thread left the group (poll timeout) while the application was busy: the
   * partitions are lost at the next poll (onJoinPrepare), not before, as in the Java client, so
   * a commit the application makes meanwhile fails with CommitFailedException.
   */
  protected partitionsLostPending = false;

  constructor(
    protected readonly world: KafkaWorld,
    /** Member name (its client id) and group id. */
    protected readonly member: string,
    protected readonly group: string,
    config: ConsumerConfig,
    protected readonly network: ConsumerNetworkClient,
    protected readonly metadata: ConsumerMetadata,
    protected readonly thread: ApplicationThread,
  ) {
    this.sessionTimeoutUs = config['session.timeout.ms'] * 1000;
    this.heartbeatIntervalUs = config['heartbeat.interval.ms'] * 1000;
    this.rebalanceTimeoutUs = config['max.poll.interval.ms'] * 1000;
    this.instanceId = config['group.instance.id'];
  }

  /** The member's generation, -1 outside the group. */
  get generation(): number {
    return this.currentGeneration;
  }

  /** Process start: no coordinator, no membership, nothing in flight. */
  protected clearMembership(nowUs: number): void {
    this.coordinator = NO_LEADER;
    this.memberId = '';
    this.currentGeneration = -1;
    this.rejoinNeeded = true;
    this.joinInFlight = this.findInFlight = this.heartbeatInFlight = false;
    this.partitionsLostPending = false;
    this.lastPollUs = nowUs;
  }

  /** pollHeartbeat: the application called poll(). */
  protected pollHeartbeat(nowUs: number): void {
    this.lastPollUs = nowUs;
  }

  /** Eager protocols commit and revoke before rejoining; false while a commit must happen first. */
  protected abstract onJoinPrepare(): boolean;
  protected abstract joinGroupMetadata(): JoinGroupMetadata;
  /** The leader's assignment of the members' subscriptions. */
  protected abstract onLeaderElected(protocol: string, members: readonly JoinGroupMember[]): GroupAssignment;
  /** SyncGroup gave this member its assignment for the current generation. */
  protected abstract onJoinComplete(ctx: Ctx, assignment: readonly number[]): void;
  /** The member is no longer part of the group: its partitions are lost, not committed. */
  protected abstract onPartitionsLost(): void;

  // ---- coordinator discovery ----

  /** ensureCoordinatorReady: true when the coordinator is known, else FindCoordinator is under way. */
  ensureCoordinatorReady(ctx: Ctx): boolean {
    if (this.coordinator !== NO_LEADER) return true;
    if (!this.findInFlight) {
      this.findInFlight = true;
      this.network.send(ctx, this.metadata.bootstrap, REQ_FIND, { type: 'find-coordinator', requestId: this.network.newRequestId(), group: this.group });
    }
    return false;
  }

  onFindCoordinatorResponse(ctx: Ctx, coordinator: number): void {
    this.findInFlight = false;
    if (coordinator === NO_LEADER) return this.thread.retryLater(ctx);
    this.coordinator = coordinator;
    ctx.emit({ type: 'coordinator-found', member: this.member, group: this.group, coordinator: this.world.layout.brokerNames[coordinator] });
    this.thread.kick(ctx);
  }

  markCoordinatorUnknown(ctx: Ctx): void {
    if (this.coordinator === NO_LEADER) return;
    this.coordinator = NO_LEADER;
    ctx.emit({ type: 'coordinator-lost', member: this.member, group: this.group });
    this.thread.retryLater(ctx);
  }

  // ---- JoinGroup / SyncGroup ----

  /** Rejoins if a rebalance is needed; false when onJoinPrepare must commit first. */
  protected joinGroupIfNeeded(ctx: Ctx): boolean {
    if (this.partitionsLostPending) {
      this.partitionsLostPending = false;
      this.onPartitionsLost();
    }
    if (!this.rejoinNeeded || this.joinInFlight) return true;
    if (!this.onJoinPrepare()) return false;
    this.sendJoinGroupRequest(ctx);
    return true;
  }

  private sendJoinGroupRequest(ctx: Ctx): void {
    this.joinInFlight = true;
    const { protocol, topics, owned } = this.joinGroupMetadata();
    this.network.send(
      ctx,
      this.coordinator,
      REQ_JOIN,
      {
        type: 'join-group',
        requestId: this.network.newRequestId(),
        group: this.group,
        clientId: this.member,
        memberId: this.memberId,
        instanceId: this.instanceId,
        sessionTimeoutUs: this.sessionTimeoutUs,
        rebalanceTimeoutUs: this.rebalanceTimeoutUs,
        protocol,
        topics,
        owned,
      },
      { timeoutUs: Math.max(this.network.requestTimeoutUs, this.rebalanceTimeoutUs + 5_000_000) },
    );
  }

  onJoinGroupResponse(ctx: Ctx, msg: JoinGroupResponse): void {
    this.joinInFlight = false;
    if (msg.error !== null) return this.onJoinOrSyncError(ctx, msg.error);
    // The session lapsed while the join was in flight (markCoordinatorUnknown): there is no
    // coordinator to send SyncGroup to; rejoin once one is found.
    if (this.coordinator === NO_LEADER) {
      this.rejoinNeeded = true;
      return this.thread.retryLater(ctx);
    }
    this.memberId = msg.memberId;
    this.currentGeneration = msg.generation;
    const assignment = msg.members === null ? null : this.onLeaderElected(msg.protocol, msg.members);
    this.joinInFlight = true;
    this.network.send(
      ctx,
      this.coordinator,
      REQ_SYNC,
      {
        type: 'sync-group',
        requestId: this.network.newRequestId(),
        group: this.group,
        generation: msg.generation,
        memberId: msg.memberId,
        assignedMembers: assignment === null ? null : assignment.members,
        assignedPartitions: assignment === null ? null : assignment.partitions,
      },
      { generation: msg.generation },
    );
  }

  onSyncGroupResponse(ctx: Ctx, error: string | null, assignment: readonly number[], generation: number): void {
    this.joinInFlight = false;
    if (error !== null) return this.onJoinOrSyncError(ctx, error);
    if (generation !== this.currentGeneration) return;
    this.onJoinComplete(ctx, assignment);
  }

  private onJoinOrSyncError(ctx: Ctx, error: string): void {
    if (error === UNKNOWN_MEMBER_ID || error === ILLEGAL_GENERATION || error === FENCED_INSTANCE_ID) this.resetGeneration(ctx);
    else if (error === NOT_COORDINATOR || error === COORDINATOR_NOT_AVAILABLE) this.markCoordinatorUnknown(ctx);
    this.rejoinNeeded = true;
    this.thread.retryLater(ctx);
  }

  /**
   * resetGenerationOnResponseError: the member is no longer part of the group. From the heartbeat
   * thread (resetGenerationOnLeaveGroup after a poll timeout) the partitions are lost only at the
   * application's next poll (`lostAtNextPoll`).
   */
  protected resetGeneration(ctx: Ctx, lostAtNextPoll = false): void {
    this.currentGeneration = -1;
    this.memberId = '';
    this.rejoinNeeded = true;
    if (lostAtNextPoll) this.partitionsLostPending = true;
    else this.onPartitionsLost();
    ctx.emit({ type: 'member-reset', member: this.member, group: this.group });
  }

  /**
   * AbstractCoordinator.maybeLeaveGroup on close(): a dynamic member in the group sends
   * LeaveGroup (one way) and resets its generation; a static member (KIP-345) just stops, and the
   * coordinator keeps its place until session.timeout.ms.
   */
  maybeLeaveGroup(ctx: Ctx): void {
    if (this.instanceId === null && this.currentGeneration >= 0 && this.coordinator !== NO_LEADER && this.memberId !== '')
      this.network.sendOneWay(ctx, this.coordinator, { type: 'leave-group', group: this.group, memberId: this.memberId });
    this.currentGeneration = -1;
    this.memberId = '';
    this.rejoinNeeded = true;
  }

  // ---- the heartbeat thread ----

  /** A heartbeat.interval.ms tick of the heartbeat thread. */
  onHeartbeatTimer(ctx: Ctx): void {
    if (!this.thread.started || this.currentGeneration < 0) return;
    const now = ctx.nowUs;
    // KIP-62: an application stuck between polls leaves the group (a static member just stops).
    if (!this.thread.inPoll && now - this.lastPollUs > this.rebalanceTimeoutUs) {
      ctx.emit({ type: 'poll-timeout', member: this.member, group: this.group, generation: this.currentGeneration });
      if (this.instanceId === null && this.coordinator !== NO_LEADER)
        this.network.sendOneWay(ctx, this.coordinator, { type: 'leave-group', group: this.group, memberId: this.memberId });
      this.resetGeneration(ctx, true);
      return;
    }
    if (now - this.lastHeartbeatOkUs > this.sessionTimeoutUs) {
      this.lastHeartbeatOkUs = now;
      return this.markCoordinatorUnknown(ctx);
    }
    if (this.heartbeatInFlight || this.joinInFlight || this.coordinator === NO_LEADER) return;
    this.heartbeatInFlight = true;
    this.network.send(
      ctx,
      this.coordinator,
      REQ_HEARTBEAT,
      { type: 'heartbeat', requestId: this.network.newRequestId(), group: this.group, generation: this.currentGeneration, memberId: this.memberId },
      { generation: this.currentGeneration },
    );
  }

  onHeartbeatResponse(ctx: Ctx, error: string | null, generation: number): void {
    this.heartbeatInFlight = false;
    if (generation !== this.currentGeneration) return;
    if (error === null) {
      this.lastHeartbeatOkUs = ctx.nowUs;
      return;
    }
    if (error === REBALANCE_IN_PROGRESS) this.rejoinNeeded = true;
    else if (error === ILLEGAL_GENERATION || error === UNKNOWN_MEMBER_ID || error === FENCED_INSTANCE_ID) this.resetGeneration(ctx);
    else if (error === NOT_COORDINATOR || error === COORDINATOR_NOT_AVAILABLE) this.markCoordinatorUnknown(ctx);
    if (this.thread.inPoll) this.thread.kick(ctx);
  }

  /** A coordinator request failed with its connection (timed out, or reset): the coordinator is presumed gone. */
  onRequestFailed(ctx: Ctx, req: InFlightRequest, _error: string): void {
    switch (req.kind) {
      case REQ_FIND:
        this.findInFlight = false;
        this.metadata.nextBootstrap();
        return this.thread.kick(ctx);
      case REQ_JOIN:
      case REQ_SYNC:
        this.joinInFlight = false;
        this.rejoinNeeded = true;
        break;
      case REQ_HEARTBEAT:
        this.heartbeatInFlight = false;
        break;
    }
    this.markCoordinatorUnknown(ctx);
  }
}
