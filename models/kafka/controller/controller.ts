// The metadata quorum (KRaft controllers, or in 'zookeeper' mode the ZooKeeper ensemble with the
// Kafka controller on top), modelled at the level of its effects rather than Raft internals.
//
// Quorum: controllers heartbeat each other every QUORUM_HEARTBEAT_MS. A controller "has a
// majority" while it has heard from enough peers (itself included) within
// controller.quorum.fetch.timeout.ms. The active controller holds a lease in the shared quorum
// state that it renews on each tick while it has a majority; another controller with a majority
// takes over only once the lease has expired. At most one controller is active at a time, as Raft
// guarantees one leader per epoch. The committed metadata (ControllerQuorum) is one shared object,
// as the replicated metadata log is: it survives any single controller's failure and is mutated
// only by the active controller.
//
// Brokers heartbeat every controller (only the active one answers): a broker not heard from for
// the session timeout is fenced (KRaft broker.session.timeout.ms, ZooKeeper
// zookeeper.session.timeout.ms): removed from every ISR (the last member stays), its leaderships
// re-elected. KRaft (KIP-841): a restarted broker (new incarnation) is fenced and removed from
// ISRs until it has caught up with the metadata; a fenced or shutting-down broker cannot join an
// ISR. ZooKeeper era: a broker that restarts within its session is not noticed (as before
// KAFKA-1120, Kafka 1.1) and ISR additions are not checked against liveness.
//
// Simplifications: metadata changes commit instantly (no Raft commit latency); brokers learn the
// active controller by broadcasting; in 'zookeeper' mode the controller is not a broker (its
// failover is the quorum's); controlled shutdown fences the broker as soon as leadership moved.

import type { NodeContext } from '../../../src/sim/model.ts';
import type { ElectionKind } from '../kafka-events.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import {
  FENCED_LEADER_EPOCH,
  INELIGIBLE_REPLICA,
  INVALID_UPDATE_VERSION,
  type AlterPartitionRequest,
  type BrokerHeartbeat,
  type ControlledShutdownRequest,
  type KafkaMessage,
} from '../messages.ts';
import { contains, NO_LEADER, type MetadataImage, type PartitionMeta } from './metadata-image.ts';
import { QUORUM_TICK, type KafkaTimer } from '../timers.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** Stands for Raft fetch traffic between controllers. */
const QUORUM_HEARTBEAT_US = 500_000;
/** KRaft controller.quorum.fetch.timeout.ms default. */
const QUORUM_TIMEOUT_US = 2_000_000;
const QUORUM_TICK_US = 100_000;

/** The committed metadata and the quorum's leadership: shared by all controller nodes. */
export class ControllerQuorum {
  active = -1;
  leaseUntilUs = -1;
  initialized = false;
  version = 0;
  image: MetadataImage | null = null;
  partitions: PartitionMeta[] = [];
  fenced: boolean[];
  shuttingDown: boolean[];
  /** Registered incarnation per broker; -1 before its first heartbeat. */
  incarnation: number[];
  /** Metadata version a fenced broker must reach before it is unfenced. */
  unfenceAtVersion: number[];
  /** When the active controller last heard from each broker (reset on controller failover). */
  lastHeardUs: number[];
  nextRebalanceUs = 0;
  dirty = false;

  constructor(brokerCount: number) {
    this.fenced = new Array(brokerCount).fill(false);
    this.shuttingDown = new Array(brokerCount).fill(false);
    this.incarnation = new Array(brokerCount).fill(-1);
    this.unfenceAtVersion = new Array(brokerCount).fill(0);
    this.lastHeardUs = new Array(brokerCount).fill(0);
  }
}

export class Controllers {
  readonly quorum: ControllerQuorum;
  /** lastHeardPeerUs[c * n + peer] (volatile). */
  private readonly lastHeardPeerUs: Float64Array;
  private readonly n: number;
  private readonly sessionTimeoutUs: number;
  private readonly rebalanceIntervalUs: number;

  constructor(private readonly world: KafkaWorld) {
    const layout = world.layout;
    this.n = layout.controllerCount;
    this.quorum = new ControllerQuorum(layout.brokerCount);
    this.lastHeardPeerUs = new Float64Array(this.n * this.n).fill(-Infinity);
    const bc = world.scenario.brokerConfig;
    this.sessionTimeoutUs = (world.kraft ? bc['broker.session.timeout.ms'] : bc['zookeeper.session.timeout.ms']) * 1000;
    this.rebalanceIntervalUs = bc['leader.imbalance.check.interval.seconds'] * 1_000_000;
  }

  onStart(ctx: Ctx, c: number): void {
    for (let p = 0; p < this.n; p++) this.lastHeardPeerUs[c * this.n + p] = -Infinity;
    this.lastHeardPeerUs[c * this.n + c] = Infinity;
    this.broadcastQuorumHeartbeat(ctx, c);
    ctx.setTimer(QUORUM_TICK_US, QUORUM_TICK);
  }

  private lastBeatUs = new Map<number, number>();

  private broadcastQuorumHeartbeat(ctx: Ctx, c: number): void {
    this.lastBeatUs.set(c, ctx.nowUs);
    const nodes = this.world.layout.controllerNode;
    for (let p = 0; p < this.n; p++) if (p !== c) ctx.send(nodes[p], { type: 'quorum-heartbeat', controller: c });
  }

  isActive(c: number, nowUs: number): boolean {
    const q = this.quorum;
    return q.active === c && nowUs <= q.leaseUntilUs;
  }

  private hasMajority(c: number, nowUs: number): boolean {
    let heard = 0;
    for (let p = 0; p < this.n; p++) if (nowUs - this.lastHeardPeerUs[c * this.n + p] <= QUORUM_TIMEOUT_US) heard++;
    return heard * 2 > this.n;
  }

  onTimer(ctx: Ctx, c: number, timer: KafkaTimer): void {
    if (timer.type !== 'quorum-tick') throw new Error(`controller got timer ${timer.type}`);
    const now = ctx.nowUs;
    if (now - (this.lastBeatUs.get(c) ?? -Infinity) >= QUORUM_HEARTBEAT_US) this.broadcastQuorumHeartbeat(ctx, c);
    const q = this.quorum;
    const majority = this.hasMajority(c, now);
    if (q.active === c) {
      if (majority) {
        q.leaseUntilUs = now + QUORUM_TIMEOUT_US;
        this.checkSessions(ctx);
        this.maybeRebalance(ctx);
      } else if (now > q.leaseUntilUs) {
        q.active = -1;
      }
    } else if (majority && (q.active === -1 || now > q.leaseUntilUs) && this.lowestHeard(c, now)) {
      this.activate(ctx, c);
    }
    this.publish(ctx);
    ctx.setTimer(QUORUM_TICK_US, QUORUM_TICK);
  }

  /** The lowest-numbered controller this one hears from (itself included) is the candidate. */
  private lowestHeard(c: number, nowUs: number): boolean {
    for (let p = 0; p < c; p++) if (nowUs - this.lastHeardPeerUs[c * this.n + p] <= QUORUM_TIMEOUT_US) return false;
    return true;
  }

  private activate(ctx: Ctx, c: number): void {
    const q = this.quorum;
    q.active = c;
    q.leaseUntilUs = ctx.nowUs + QUORUM_TIMEOUT_US;
    this.world.stats.controllerActivations++;
    // A new active controller gives every broker a full session before fencing it.
    for (let b = 0; b < q.lastHeardUs.length; b++) q.lastHeardUs[b] = ctx.nowUs;
    if (!q.initialized) this.createPartitions(ctx);
    q.nextRebalanceUs = ctx.nowUs + this.rebalanceIntervalUs;
    q.dirty = true;
  }

  /** Topics exist from the start: each partition led by its preferred replica, ISR = replicas. */
  private createPartitions(ctx: Ctx): void {
    const q = this.quorum;
    q.initialized = true;
    for (const info of this.world.layout.partitions) {
      const meta: PartitionMeta = { leader: info.replicas[0], leaderEpoch: 0, partitionEpoch: 0, isr: info.replicas, replicas: info.replicas };
      q.partitions.push(meta);
      this.emitElection(ctx, info.index, 'initial', meta, NO_LEADER);
    }
  }

  onMessage(ctx: Ctx, c: number, msg: KafkaMessage): void {
    switch (msg.type) {
      case 'quorum-heartbeat':
        this.lastHeardPeerUs[c * this.n + msg.controller] = ctx.nowUs;
        return;
      case 'broker-heartbeat':
        if (this.isActive(c, ctx.nowUs)) this.onBrokerHeartbeat(ctx, msg);
        break;
      case 'alter-partition':
        if (this.isActive(c, ctx.nowUs)) this.onAlterPartition(ctx, msg);
        break;
      case 'controlled-shutdown':
        if (this.isActive(c, ctx.nowUs)) this.onControlledShutdown(ctx, msg);
        break;
      default:
        throw new Error(`controller got message ${msg.type}`);
    }
    this.publish(ctx);
  }

  private onBrokerHeartbeat(ctx: Ctx, msg: BrokerHeartbeat): void {
    const q = this.quorum;
    const b = msg.broker;
    q.lastHeardUs[b] = ctx.nowUs;
    if (q.incarnation[b] !== msg.incarnation) {
      // Incarnation 1 is the broker's first start; a later one seen first is a restart the
      // controller missed (it crashed before its first heartbeat got through) and must fence too.
      const firstRegistration = q.incarnation[b] === -1 && msg.incarnation === 1;
      q.incarnation[b] = msg.incarnation;
      q.dirty = true; // the registration itself is metadata the broker waits for
      if (q.shuttingDown[b]) {
        q.shuttingDown[b] = false;
        q.dirty = true;
      }
      // KRaft: a new incarnation re-registers fenced (KIP-841). ZooKeeper: a restart inside the
      // session goes unnoticed.
      if (!firstRegistration && this.world.kraft && !q.fenced[b]) this.fence(ctx, b, 'clean');
    }
    if (q.fenced[b] && !q.shuttingDown[b]) {
      if (q.dirty) this.publish(ctx);
      if (!this.world.kraft || msg.metadataVersion >= q.unfenceAtVersion[b]) this.unfence(ctx, b);
    }
    if (q.dirty) this.publish(ctx);
    if (q.image && msg.metadataVersion < q.version) ctx.send(this.world.layout.brokerNode[b], { type: 'metadata-update', image: q.image });
  }

  private checkSessions(ctx: Ctx): void {
    const q = this.quorum;
    for (let b = 0; b < q.fenced.length; b++)
      if (!q.fenced[b] && ctx.nowUs - q.lastHeardUs[b] > this.sessionTimeoutUs) this.fence(ctx, b, 'clean');
  }

  /** Removes b from every ISR (keeping a last member) and moves its leaderships. */
  private fence(ctx: Ctx, b: number, kind: ElectionKind): void {
    const q = this.quorum;
    q.fenced[b] = true;
    this.world.stats.brokerFencings++;
    q.dirty = true;
    for (const p of this.world.layout.partitionsOfBroker[b]) {
      const m = q.partitions[p];
      let isr = m.isr;
      if (contains(isr, b) && isr.length > 1) isr = isr.filter((r) => r !== b);
      if (m.leader === b) this.elect(ctx, p, isr, kind);
      else if (isr !== m.isr) this.commit(ctx, p, { ...m, isr, partitionEpoch: m.partitionEpoch + 1 });
    }
    // The version the broker must catch up to before it may be unfenced (KRaft).
    q.unfenceAtVersion[b] = q.version + 1;
  }

  private unfence(ctx: Ctx, b: number): void {
    const q = this.quorum;
    q.fenced[b] = false;
    this.world.stats.brokerUnfencings++;
    q.dirty = true;
    for (const p of this.world.layout.partitionsOfBroker[b]) if (q.partitions[p].leader === NO_LEADER) this.elect(ctx, p, q.partitions[p].isr, 'clean');
  }

  private eligible(b: number): boolean {
    return !this.quorum.fenced[b] && !this.quorum.shuttingDown[b];
  }

  /**
   * Elects a leader for p from the given ISR: the first replica in assignment order that is in
   * the ISR and eligible; else, when the topic allows unclean election, the first eligible
   * replica (the ISR becomes just that replica); else none (offline, ISR kept).
   */
  private elect(ctx: Ctx, p: number, isr: readonly number[], kind: ElectionKind): void {
    const q = this.quorum;
    const m = q.partitions[p];
    const info = this.world.layout.partitions[p];
    let leader = NO_LEADER;
    for (const r of m.replicas)
      if (contains(isr, r) && this.eligible(r)) {
        leader = r;
        break;
      }
    if (this.world.bugs.electOutsideIsr && !info.uncleanLeaderElection) {
      // Bug zoo elect-outside-isr: the first live replica wins even when out of sync.
      for (const r of m.replicas)
        if (this.eligible(r)) {
          if (r !== leader && !contains(isr, r)) {
            leader = r;
            const chosen = r;
            isr = m.replicas.filter((x) => x === chosen || contains(isr, x));
          }
          break;
        }
    }
    if (leader === NO_LEADER && info.uncleanLeaderElection) {
      for (const r of m.replicas)
        if (this.eligible(r)) {
          leader = r;
          kind = 'unclean';
          isr = [r];
          break;
        }
    }
    if (leader === NO_LEADER && m.leader === NO_LEADER) {
      if (isr !== m.isr) this.commit(ctx, p, { ...m, isr, partitionEpoch: m.partitionEpoch + 1 });
      return;
    }
    const next: PartitionMeta = { leader, leaderEpoch: m.leaderEpoch + 1, partitionEpoch: m.partitionEpoch + 1, isr, replicas: m.replicas };
    this.commit(ctx, p, next);
    this.emitElection(ctx, p, kind, next, m.leader);
  }

  private emitElection(ctx: Ctx, p: number, kind: ElectionKind, m: PartitionMeta, previousLeader: number): void {
    const layout = this.world.layout;
    this.world.stats.election(m.leader === NO_LEADER ? 'offline' : kind);
    ctx.emit({
      type: 'election',
      partition: layout.partitions[p].name,
      kind,
      leader: m.leader === NO_LEADER ? null : layout.brokerNames[m.leader],
      leaderEpoch: m.leaderEpoch,
      isr: layout.brokerNamesOf(m.isr),
      previousLeader: previousLeader === NO_LEADER ? null : layout.brokerNames[previousLeader],
      leaderLogEndOffset: m.leader === NO_LEADER ? -1 : this.world.logEndOffsetOf(m.leader, p),
    });
  }

  /** Replaces p's committed state; emits the ISR change if the ISR changed. */
  private commit(ctx: Ctx, p: number, next: PartitionMeta): void {
    const q = this.quorum;
    const prev = q.partitions[p];
    q.partitions[p] = next;
    q.dirty = true;
    if (prev.isr === next.isr) return;
    let same = prev.isr.length === next.isr.length;
    for (let i = 0; same && i < next.isr.length; i++) same = prev.isr[i] === next.isr[i];
    if (same) return;
    const shrink = next.isr.length < prev.isr.length;
    if (shrink) this.world.stats.isrShrinks++;
    else this.world.stats.isrExpands++;
    ctx.emit({
      type: shrink ? 'isr-shrink' : 'isr-expand',
      partition: this.world.layout.partitions[p].name,
      isr: this.world.layout.brokerNamesOf(next.isr),
      leaderEpoch: next.leaderEpoch,
    });
  }

  private onAlterPartition(ctx: Ctx, msg: AlterPartitionRequest): void {
    const q = this.quorum;
    const p = msg.partition;
    const m = q.partitions[p];
    let error: string | null = null;
    if (m.leader !== msg.broker || m.leaderEpoch !== msg.leaderEpoch) error = FENCED_LEADER_EPOCH;
    else if (m.partitionEpoch !== msg.partitionEpoch) error = INVALID_UPDATE_VERSION;
    else {
      if (!contains(msg.isr, msg.broker)) throw new Error(`AlterPartition from leader ${msg.broker} without itself in the ISR`);
      for (const r of msg.isr) {
        if (!contains(m.replicas, r)) throw new Error(`AlterPartition adds non-replica ${r}`);
        if (this.world.kraft && !contains(m.isr, r) && !this.eligible(r)) error = INELIGIBLE_REPLICA;
      }
    }
    if (error === null) {
      const isr = m.replicas.filter((r) => contains(msg.isr, r));
      this.commit(ctx, p, { ...m, isr, partitionEpoch: m.partitionEpoch + 1 });
    } else this.world.stats.alterPartitionRejected++;
    ctx.send(this.world.layout.brokerNode[msg.broker], { type: 'alter-partition-response', partition: p, error, meta: q.partitions[p] });
  }

  private onControlledShutdown(ctx: Ctx, msg: ControlledShutdownRequest): void {
    const q = this.quorum;
    const b = msg.broker;
    if (q.incarnation[b] !== msg.incarnation) {
      q.incarnation[b] = msg.incarnation;
      q.dirty = true;
    }
    if (!q.shuttingDown[b]) {
      q.shuttingDown[b] = true;
      q.dirty = true;
      if (!q.fenced[b]) this.fence(ctx, b, 'controlled-shutdown');
    }
    ctx.send(this.world.layout.brokerNode[b], { type: 'controlled-shutdown-response' });
  }

  /**
   * auto.leader.rebalance.enable: every leader.imbalance.check.interval.seconds, a broker whose
   * share of preferred partitions it does not lead exceeds leader.imbalance.per.broker.percentage
   * gets those partitions back where it is in the ISR and eligible.
   */
  private maybeRebalance(ctx: Ctx): void {
    const q = this.quorum;
    const bc = this.world.scenario.brokerConfig;
    if (!bc['auto.leader.rebalance.enable'] || ctx.nowUs < q.nextRebalanceUs) return;
    q.nextRebalanceUs = ctx.nowUs + this.rebalanceIntervalUs;
    const layout = this.world.layout;
    for (let b = 0; b < layout.brokerCount; b++) {
      let preferred = 0;
      let notLed = 0;
      for (const p of layout.partitionsOfBroker[b]) {
        const m = q.partitions[p];
        if (m.replicas[0] !== b) continue;
        preferred++;
        if (m.leader !== b) notLed++;
      }
      if (preferred === 0 || (notLed * 100) / preferred <= bc['leader.imbalance.per.broker.percentage']) continue;
      for (const p of layout.partitionsOfBroker[b]) {
        const m = q.partitions[p];
        if (m.replicas[0] !== b || m.leader === b || !contains(m.isr, b) || !this.eligible(b)) continue;
        const next: PartitionMeta = { ...m, leader: b, leaderEpoch: m.leaderEpoch + 1, partitionEpoch: m.partitionEpoch + 1 };
        this.commit(ctx, p, next);
        this.emitElection(ctx, p, 'preferred', next, m.leader);
      }
    }
  }

  /** Publishes a new immutable image and pushes it to every broker. */
  private publish(ctx: Ctx): void {
    const q = this.quorum;
    if (!q.dirty) return;
    q.dirty = false;
    q.version++;
    q.image = {
      version: q.version,
      partitions: q.partitions.slice(),
      fenced: q.fenced.slice(),
      shuttingDown: q.shuttingDown.slice(),
      incarnations: q.incarnation.slice(),
    };
    const msg: KafkaMessage = { type: 'metadata-update', image: q.image };
    for (const node of this.world.layout.brokerNode) ctx.send(node, msg);
  }
}
