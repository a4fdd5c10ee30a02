// Kafka's ClusterControlManager with its BrokerHeartbeatManager: broker registrations and
// liveness as the controller quorum commits them. A broker not heard from for the session timeout
// (KRaft broker.session.timeout.ms, ZooKeeper zookeeper.session.timeout.ms) is fenced; KRaft
// (KIP-841): a restarted broker (new incarnation) re-registers fenced and is unfenced once it has
// caught up with the metadata it was fenced at; a broker in controlled shutdown is fenced as soon
// as its leaderships moved.
// ZooKeeper mode: a restarted broker cannot register while the ephemeral /brokers/ids znode of its
// old session exists (KafkaZkClient.CheckedEphemeral fails with NODEEXISTS in every ZooKeeper-era
// release: KAFKA-7165's retry in 2.2 only re-creates a znode the same client's expired session
// owned; KafkaServer.startup fails and the process exits), so it registers only once the old
// session expired; the heartbeat answer says NODE_EXISTS until then. ksim keeps the process up,
// retrying (as a supervisor restarting it would) and acting on nothing
// (broker/zk-broker-registration.ts). Once the session expired the controller handles the failure
// (onBrokerFailure: leaderships move, the broker leaves ISRs), then the new registration
// (onBrokerStartup: a full LeaderAndIsr). Before KIP-380 (2.2) the BrokerChange handler compares
// broker ids only: a new process that re-creates the znode before the controller reads the
// children is a bounce it misses (KIP-380's race; ksim lets a waiting process win it, registering
// as the old znode goes). The broker stays live in the controller's view and gets no full
// LeaderAndIsr; the requests the controller queued for its id since the old process died still
// reach it (ControllerChannelManager retries them until the broker is removed, which a missed
// bounce never does). What fencing does to partitions is the ReplicationControlManager's business,
// told through BrokerFencingListener.

import type { NodeContext } from '../../../src/sim/model.ts';
import type { ElectionKind } from '../kafka-events.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import type { KafkaMessage } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';
import type { MetadataLog } from './metadata-log.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** Who moves partitions when a broker is fenced or unfenced. */
interface BrokerFencingListener {
  handleBrokerFenced(ctx: Ctx, broker: number, kind: ElectionKind): void;
  handleBrokerUnfenced(ctx: Ctx, broker: number): void;
  /** A broker registers again after an unclean shutdown (KIP-966: it leaves every ISR and ELR). */
  handleBrokerUncleanShutdown(ctx: Ctx, broker: number): void;
}

export class ClusterControlManager {
  /** Per broker: fenced (KRaft) or without a live session (ZooKeeper). */
  readonly fenced: boolean[];
  readonly shuttingDown: boolean[];
  /** Registered incarnation per broker; -1 before its first heartbeat. */
  readonly incarnation: number[];
  /** Metadata version a fenced broker must reach before it is unfenced. */
  readonly unfenceAtVersion: number[];
  /** ZooKeeper mode: a restarted process waiting for its old session to expire (-1: none). */
  private readonly waitingIncarnation: number[];
  /** ZooKeeper mode before KIP-380: the process whose bounce the controller missed (-1: none). */
  private readonly missedIncarnation: number[];
  /** When the active controller last heard from each broker (reset on controller failover). */
  private readonly lastHeardUs: number[];
  private readonly sessionTimeoutUs: number;

  constructor(
    private readonly world: KafkaWorld,
    private readonly log: MetadataLog,
    private readonly listener: BrokerFencingListener,
  ) {
    const n = world.layout.brokerCount;
    this.fenced = new Array(n).fill(false);
    this.shuttingDown = new Array(n).fill(false);
    this.incarnation = new Array(n).fill(-1);
    this.unfenceAtVersion = new Array(n).fill(0);
    this.lastHeardUs = new Array(n).fill(0);
    this.waitingIncarnation = new Array(n).fill(-1);
    this.missedIncarnation = new Array(n).fill(-1);
    const bc = world.scenario.brokerConfig;
    this.sessionTimeoutUs = (world.kraft ? bc['broker.session.timeout.ms'] : bc['zookeeper.session.timeout.ms']) * 1000;
  }

  /** Unfenced and not shutting down: may lead and join ISRs (ClusterControlManager.isActive). */
  isActive(broker: number): boolean {
    return !this.fenced[broker] && !this.shuttingDown[broker];
  }

  /** A new active controller gives every broker a full session before fencing it. */
  resetSessions(nowUs: number): void {
    for (let b = 0; b < this.lastHeardUs.length; b++) this.lastHeardUs[b] = nowUs;
  }

  /** A heartbeat from incarnation of broker b (KRaft heartbeat, or a ZooKeeper session's ping). */
  heartbeat(ctx: Ctx, b: number, incarnation: number): void {
    if (incarnation === this.incarnation[b] || incarnation === this.missedIncarnation[b]) {
      this.lastHeardUs[b] = ctx.nowUs;
      return;
    }
    if (!this.world.kraft && this.incarnation[b] !== -1 && !this.fenced[b] && !this.shuttingDown[b]) {
      // ZooKeeper: the old session's znode is still there; this process cannot register yet.
      this.waitingIncarnation[b] = incarnation;
      return;
    }
    this.lastHeardUs[b] = ctx.nowUs;
    this.registerIncarnation(ctx, b, incarnation);
  }

  /**
   * ZooKeeper mode: whether incarnation of broker b has its /brokers/ids znode (registered, or
   * registered as the old one went in a bounce the controller missed); KRaft: always.
   */
  hasRegistered(b: number, incarnation: number): boolean {
    return this.world.kraft || incarnation === this.incarnation[b] || incarnation === this.missedIncarnation[b];
  }

  /** A heartbeat from a new incarnation of broker: it registers again. */
  private registerIncarnation(ctx: Ctx, b: number, incarnation: number): void {
    // Incarnation 1 is the broker's first start; a later one seen first is a restart the
    // controller missed (it crashed before its first heartbeat got through) and must fence too.
    const firstRegistration = this.incarnation[b] === -1 && incarnation === 1;
    this.incarnation[b] = incarnation;
    this.waitingIncarnation[b] = -1;
    this.missedIncarnation[b] = -1;
    this.log.dirty = true; // the registration itself is metadata the broker waits for
    // KIP-966's clean shutdown detection: a restart not preceded by a controlled shutdown was
    // unclean (BrokerRegistrationRequest.previousBrokerEpoch is -1 without the clean-shutdown file).
    const clean = this.shuttingDown[b];
    if (this.shuttingDown[b]) {
      this.shuttingDown[b] = false;
      this.log.dirty = true;
    }
    if (!firstRegistration && !clean && this.world.kraft) this.listener.handleBrokerUncleanShutdown(ctx, b);
    // KRaft: a new incarnation re-registers fenced (KIP-841). ZooKeeper: it registers only once
    // its old session is gone (fenced), and is unfenced by the heartbeat that registered it.
    if (!firstRegistration && this.world.kraft && !this.fenced[b]) this.fence(ctx, b, 'clean');
  }

  /** Whether a fenced broker reporting metadataVersion may be unfenced now. */
  mayUnfence(b: number, metadataVersion: number): boolean {
    return !this.world.kraft || metadataVersion >= this.unfenceAtVersion[b];
  }

  /**
   * Fences brokers whose session expired. ZooKeeper mode handles every expired session of one
   * check in one BrokerChange event (KafkaController.onBrokerFailure(deadBrokers)): all are dead
   * before any election, so none of them is elected. KRaft fences one stale broker per controller
   * event (ReplicationControlManager.maybeFenceOneStaleBroker, rescheduled at once for the next):
   * the others are still unfenced when the first one's partitions elect.
   */
  checkSessions(ctx: Ctx): void {
    const expired: number[] = [];
    for (let b = 0; b < this.fenced.length; b++) {
      if (this.fenced[b] || ctx.nowUs - this.lastHeardUs[b] <= this.sessionTimeoutUs) continue;
      if (this.waitingIncarnation[b] !== -1 && !this.world.versions.controller.controllerDetectsBrokerBounce) {
        // Before KIP-380: the waiting process re-creates the znode as the old one expires; the
        // controller sees the same live ids and misses the bounce (the process learns it has
        // registered from its next heartbeat's answer).
        this.missedIncarnation[b] = this.waitingIncarnation[b];
        this.waitingIncarnation[b] = -1;
        this.lastHeardUs[b] = ctx.nowUs;
        this.world.stats.missedBrokerBounces++;
        continue;
      }
      expired.push(b);
    }
    if (!this.world.kraft) for (const b of expired) this.fenced[b] = true;
    for (const b of expired) this.fence(ctx, b, 'clean');
  }

  /** A broker asks to shut down: it is fenced once its leaderships have moved. */
  beginControlledShutdown(ctx: Ctx, b: number, incarnation: number): void {
    if (this.incarnation[b] !== incarnation) {
      this.incarnation[b] = incarnation;
      this.log.dirty = true;
    }
    if (this.shuttingDown[b]) return;
    this.shuttingDown[b] = true;
    this.log.dirty = true;
    if (!this.fenced[b]) this.fence(ctx, b, 'controlled-shutdown');
  }

  fence(ctx: Ctx, b: number, kind: ElectionKind): void {
    this.fenced[b] = true;
    this.world.stats.brokerFencings++;
    this.log.dirty = true;
    this.listener.handleBrokerFenced(ctx, b, kind);
    // The version the broker must catch up to before it may be unfenced (KRaft).
    this.unfenceAtVersion[b] = this.log.version + 1;
  }

  unfence(ctx: Ctx, b: number): void {
    this.fenced[b] = false;
    this.world.stats.brokerUnfencings++;
    this.log.dirty = true;
    this.listener.handleBrokerUnfenced(ctx, b);
  }
}
