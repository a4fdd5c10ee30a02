// The metadata quorum (KRaft controllers, or in 'zookeeper' mode the ZooKeeper ensemble with the
// Kafka controller on top), as Kafka's QuorumController: one object stands for every controller
// node, because the committed metadata is shared as the replicated metadata log is (it survives
// any single controller's failure and only the active controller changes it). QuorumState decides
// which controller is active; ClusterControlManager keeps broker registrations and liveness;
// ReplicationControlManager keeps partitions; every committed change is published to all brokers
// as a new immutable MetadataImage. In KRaft the Raft election decides (raft-quorum-state.ts); in
// ZooKeeper mode a lease stands for the ZooKeeper session (quorum-state.ts).
//
// Brokers heartbeat every controller (an inactive one answers NOT_CONTROLLER) and get the current
// image back when theirs is older. Every committed change is pushed to the brokers: in KRaft as
// the answer to each broker's metadata fetch, on the broker's own connection to the controller
// (a broker not connected to it then learns at its next heartbeat); in ZooKeeper mode as the
// controller's UpdateMetadata on its own connection to each broker (ControllerChannelManager).
// ZooKeeper era: ISR additions are not checked against liveness.
//
// A write reaching the active controller while a majority of voters is not fetching from it
// (quorum-state.ts canCommit) cannot commit: Kafka's controller appends it and holds the answer
// until the high watermark passes it (ControllerWriteEvent, deferredEventQueue). It waits here, as
// it arrived, and is carried out once the majority fetches again; if the controller loses its
// lease first, its uncommitted changes are gone (QuorumController.renounce reverts to the last
// committed offset, OffsetControlManager.deactivate) and every waiting request is answered
// NOT_CONTROLLER (deferredEventQueue.failAll). Its periodic work (session expiry, leader
// balancing, admin operations) waits too. Brokers, which see only committed metadata, see none of it.
//
// Simplifications: metadata changes commit instantly (no Raft commit latency); brokers learn the
// active controller by broadcasting; in 'zookeeper' mode the controller is not a broker (its
// failover is the quorum's); controlled shutdown fences the broker as soon as leadership moved.

import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import { NODE_EXISTS, NOT_CONTROLLER, type AlterPartitionRequest, type BrokerHeartbeat, type KafkaMessage } from '../messages.ts';
import type { ControllerChange } from '../kafka-events.ts';
import { QUORUM_TICK, type KafkaTimer } from '../timers.ts';
import { AdminOperations } from './admin-operations.ts';
import { ClusterControlManager } from './cluster-control-manager.ts';
import { FeatureControlManager } from './feature-control-manager.ts';
import type { PartitionMeta } from './metadata-image.ts';
import { MetadataLog } from './metadata-log.ts';
import { ELECTED, FOLLOWING, LEADING, type MetadataQuorum, QuorumState } from './quorum-state.ts';
import { RaftQuorumState } from './raft-quorum-state.ts';
import type { Choice } from '../../../src/sim/choice.ts';
import { raftLeaderChecksQuorum } from '../version/raft-versions.ts';
import { ReplicationControlManager } from './replication-control-manager.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** A broker's request that writes metadata. */
type WriteRequest = Extract<KafkaMessage, { type: 'broker-heartbeat' | 'alter-partition' | 'controlled-shutdown' }>;

const QUORUM_TICK_US = 100_000;

export class QuorumController {
  readonly quorum: MetadataQuorum;
  readonly log = new MetadataLog();
  readonly cluster: ClusterControlManager;
  readonly replication: ReplicationControlManager;
  private readonly admin: AdminOperations;
  readonly features: FeatureControlManager;
  /** Writes appended by the active controller that have not committed, and which controller holds them. */
  private readonly uncommitted: WriteRequest[] = [];
  private uncommittedAt = -1;

  /** choice: the quorum's seeded stream (KRaft's randomised election timeouts). */
  constructor(
    private readonly world: KafkaWorld,
    choice: Choice,
  ) {
    const layout = world.layout;
    this.quorum = world.kraft
      ? new RaftQuorumState(layout.controllerCount, layout.controllerNode, choice, raftLeaderChecksQuorum(world.versions.initialVersion))
      : new QuorumState(layout.controllerCount, layout.controllerNode);
    let cluster: ClusterControlManager | null = null;
    this.replication = new ReplicationControlManager(world, this.log, { isActive: (b) => cluster!.isActive(b), brokerEpoch: (b) => cluster!.incarnation[b] });
    this.cluster = cluster = new ClusterControlManager(world, this.log, this.replication);
    this.features = new FeatureControlManager(world, this.log);
    this.admin = new AdminOperations(world, this.replication, this.features);
  }

  /** The committed state of every partition. */
  get partitions(): readonly PartitionMeta[] {
    return this.replication.partitions;
  }

  onStart(ctx: Ctx, c: number): void {
    // A restarted controller process has lost the writes it held (unanswered: the brokers' requests time out).
    if (this.uncommittedAt === c) this.uncommitted.length = 0;
    this.quorum.onStart(ctx, c);
    ctx.setTimer(QUORUM_TICK_US, QUORUM_TICK);
    // Every controller node arms the admin operations; the one active when they fire runs them.
    const ops = this.world.scenario.operations;
    for (let i = 0; i < ops.length; i++) {
      const atUs = ops[i].atMs * 1000;
      if (this.admin.handles(i) && atUs >= ctx.nowUs) ctx.setTimer(atUs - ctx.nowUs, { type: 'admin-operation', operation: i });
    }
  }

  onTimer(ctx: Ctx, c: number, timer: KafkaTimer): void {
    if (timer.type === 'admin-operation') {
      if (this.quorum.canCommit(c, ctx.nowUs)) this.admin.run(ctx, timer.operation);
      this.publish(ctx);
      return;
    }
    if (timer.type === 'raft-timeout') {
      const wasActive = this.quorum.active === c;
      (this.quorum as RaftQuorumState).onTimeout(ctx, c);
      this.noteStanding(ctx, c, FOLLOWING, wasActive);
      this.settleUncommitted(ctx, c);
      return;
    }
    if (timer.type !== 'quorum-tick') throw new Error(`controller got timer ${timer.type}`);
    const wasActive = this.quorum.active === c;
    const role = this.quorum.tick(ctx, c);
    this.noteStanding(ctx, c, role, wasActive);
    this.settleUncommitted(ctx, c);
    if (role === LEADING && this.quorum.canCommit(c, ctx.nowUs)) {
      this.cluster.checkSessions(ctx);
      this.replication.maybeBalancePartitionLeaders(ctx);
      this.admin.runOverdue(ctx);
    } else if (role === ELECTED) this.activate(ctx);
    this.publish(ctx);
    ctx.setTimer(QUORUM_TICK_US, QUORUM_TICK);
  }

  /**
   * Notes the active controller's changes for the run summary (KafkaWorld.controllerChanges, not
   * events: the trace stays as it was): activation, the lease lost, and its majority lost or back
   * as its tick finds them. KRaft: with the Raft epoch, and for a lease lost on a Raft message
   * (`heardFrom`, the voter that sent it), that voter: only a higher epoch deposes a leader.
   */
  private noteStanding(ctx: Ctx, c: number, role: number, wasActive: boolean, heardFrom = -1): void {
    const changes = this.world.controllerChanges;
    const controllers = this.world.scenario.controllers;
    const controller = controllers[c].name;
    const epoch = this.quorum.epochOf?.(c);
    const note = (change: ControllerChange['change'], deposedBy = -1) =>
      void changes.push({ timeUs: ctx.nowUs, controller, change, ...(epoch === undefined ? {} : { epoch }), ...(deposedBy < 0 ? {} : { deposedBy: controllers[deposedBy].name }) });
    if (role === ELECTED) note('active');
    if (wasActive && this.quorum.active !== c) return note('lease-lost', heardFrom);
    if (this.quorum.active !== c) return;
    let last: ControllerChange['change'] | undefined;
    for (let i = changes.length - 1; i >= 0 && last === undefined; i--) if (changes[i].controller === controller) last = changes[i].change;
    const commits = this.quorum.canCommit(c, ctx.nowUs);
    if (!commits && last !== 'majority-lost') note('majority-lost');
    else if (commits && last === 'majority-lost') note('majority-back');
  }

  private activate(ctx: Ctx): void {
    this.world.stats.controllerActivations++;
    this.cluster.resetSessions(ctx.nowUs);
    this.replication.activate(ctx);
    this.log.dirty = true;
  }

  onMessage(ctx: Ctx, c: number, msg: KafkaMessage): void {
    switch (msg.type) {
      case 'quorum-heartbeat':
        (this.quorum as QuorumState).onPeerHeartbeat(c, msg.controller, ctx.nowUs);
        this.settleUncommitted(ctx, c);
        return;
      case 'raft-heartbeat':
      case 'raft-vote-request':
      case 'raft-vote-response': {
        const wasActive = this.quorum.active === c;
        const role = (this.quorum as RaftQuorumState).onMessage(ctx, c, msg);
        if (role === ELECTED) this.activate(ctx);
        this.noteStanding(ctx, c, role, wasActive, msg.controller);
        this.settleUncommitted(ctx, c);
        break;
      }
      case 'broker-heartbeat':
      case 'alter-partition':
      case 'controlled-shutdown':
        this.settleUncommitted(ctx, c);
        if (!this.quorum.isActive(c, ctx.nowUs)) this.refuse(ctx, msg);
        else if (this.quorum.canCommit(c, ctx.nowUs)) this.write(ctx, msg);
        else {
          if (this.uncommittedAt !== c) this.uncommitted.length = 0; // another controller's, lost with its process
          this.uncommitted.push(msg);
          this.uncommittedAt = c;
        }
        break;
      default:
        throw new Error(`controller got message ${msg.type}`);
    }
    this.publish(ctx);
  }

  /** Carries out a write on the active controller, which commits at once. */
  private write(ctx: Ctx, msg: WriteRequest): void {
    if (msg.type === 'broker-heartbeat') this.onBrokerHeartbeat(ctx, msg);
    else if (msg.type === 'alter-partition') this.onAlterPartition(ctx, msg);
    else {
      this.cluster.beginControlledShutdown(ctx, msg.broker, msg.incarnation);
      ctx.reply(this.world.layout.brokerNode[msg.broker], { type: 'controlled-shutdown-response' });
    }
  }

  /** NOT_CONTROLLER (a controlled shutdown goes unanswered: the broker asks again). */
  private refuse(ctx: Ctx, msg: WriteRequest): void {
    const node = this.world.layout.brokerNode[msg.broker];
    if (msg.type === 'broker-heartbeat') ctx.reply(node, { type: 'broker-heartbeat-response', requestId: msg.requestId, error: NOT_CONTROLLER, image: null });
    else if (msg.type === 'alter-partition') ctx.reply(node, { type: 'alter-partition-response', requestId: msg.requestId, partition: msg.partition, error: NOT_CONTROLLER, meta: null });
  }

  /**
   * Controller c's uncommitted writes: carried out once a majority fetches again (they commit),
   * refused once c lost its lease (renounce: never committed, their changes reverted).
   */
  private settleUncommitted(ctx: Ctx, c: number): void {
    if (this.uncommittedAt !== c || this.uncommitted.length === 0) return;
    const commits = this.quorum.canCommit(c, ctx.nowUs);
    if (!commits && this.quorum.isActive(c, ctx.nowUs)) return;
    const waiting = this.uncommitted.splice(0);
    this.uncommittedAt = -1;
    for (const msg of waiting) {
      if (commits) this.write(ctx, msg);
      else this.refuse(ctx, msg);
    }
    this.publish(ctx);
  }

  private onBrokerHeartbeat(ctx: Ctx, msg: BrokerHeartbeat): void {
    const cluster = this.cluster;
    const b = msg.broker;
    cluster.heartbeat(ctx, b, msg.incarnation);
    this.features.onBrokerRegistration(b, msg.supportedMetadataVersion);
    if (cluster.fenced[b] && !cluster.shuttingDown[b]) {
      this.publish(ctx);
      if (cluster.mayUnfence(b, msg.metadataVersion)) cluster.unfence(ctx, b);
    }
    this.publish(ctx);
    const image = this.log.image;
    ctx.reply(this.world.layout.brokerNode[b], {
      type: 'broker-heartbeat-response',
      requestId: msg.requestId,
      error: cluster.hasRegistered(b, msg.incarnation) ? null : NODE_EXISTS,
      image: image !== null && msg.metadataVersion < this.log.version ? image : null,
    });
  }

  private onAlterPartition(ctx: Ctx, msg: AlterPartitionRequest): void {
    const error = this.replication.alterPartition(ctx, msg);
    ctx.reply(this.world.layout.brokerNode[msg.broker], {
      type: 'alter-partition-response',
      requestId: msg.requestId,
      partition: msg.partition,
      error,
      meta: this.replication.partitions[msg.partition],
    });
  }

  /** Publishes the committed state, if it changed, and pushes it to every broker. */
  private publish(ctx: Ctx): void {
    if (!this.log.dirty) return;
    const active = this.quorum.active;
    if (!this.quorum.canCommit(active, ctx.nowUs)) throw new Error(`metadata changed while controller ${active} cannot commit`);
    const cluster = this.cluster;
    const image = this.log.publish(this.replication.partitions, cluster.fenced, cluster.shuttingDown, cluster.incarnation, this.features.finalized);
    const msg: KafkaMessage = { type: 'metadata-update', image };
    if (this.world.kraft) for (const node of this.world.layout.brokerNode) ctx.reply(node, msg);
    else for (const node of this.world.layout.brokerNode) ctx.send(node, msg);
  }
}
