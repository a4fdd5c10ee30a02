// Kafka's ReplicationControlManager: the committed state of every partition (leader, leader
// epoch, partition epoch, ISR, replicas) and every change to it: creation (each partition led by
// its preferred replica, ISR = replicas), elections when a leader is fenced, shut down or comes
// back (partition-leader-election.ts), ISR removal of fenced brokers (the last member stays),
// AlterPartition requests from leaders (checked against leader epoch and partition epoch,
// KIP-497; in KRaft an ineligible replica may not join, KIP-841), and preferred-leader rebalancing
// (auto.leader.rebalance.enable), and partition reassignments (KIP-455,
// alterPartitionReassignments: the target replicas are added, and the change that brings every
// added replica into the ISR completes it, as PartitionChangeBuilder.completeReassignmentIfNeeded
// does). Every change bumps the partition epoch; a new leader, or replicas removed, bump the
// leader epoch, and so does an ISR shrink in ZooKeeper mode when the controller removes a broker,
// and in KRaft before metadata.version 3.6 (leaderEpochAfterShrink). Each committed PartitionMeta is a new immutable object.

import type { NodeContext } from '../../../src/sim/model.ts';
import type { ElectionKind } from '../kafka-events.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import { FENCED_LEADER_EPOCH, INELIGIBLE_REPLICA, INVALID_UPDATE_VERSION, type AlterPartitionRequest, type KafkaMessage } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';
import { isOlderVersion, versionOfScenario } from '../version/kafka-versions.ts';
import { contains, NO_LEADER, type PartitionMeta } from './metadata-image.ts';
import type { MetadataLog } from './metadata-log.ts';
import {
  eligibleLeaderReplicaElection,
  eligibleLeaderReplicasAfter,
  lastKnownElrAfter,
  lastKnownLeaderElection,
  offlinePartitionLeaderElection,
  preferredReplicaPartitionLeaderElection,
} from './partition-leader-election.ts';
import { isReassignmentInProgress, maybeCompleteReassignment, reassignmentReplicas } from './partition-reassignment-replicas.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** Which brokers may lead or join an ISR (the ClusterControlManager's view). */
interface BrokerActivity {
  isActive(broker: number): boolean;
  /** The registered broker epoch (process incarnation), -1 before any. */
  brokerEpoch(broker: number): number;
}

export class ReplicationControlManager {
  /** Committed state by global partition index (empty until the first controller activates). */
  readonly partitions: PartitionMeta[] = [];
  private initialized = false;
  private nextRebalanceUs = 0;
  private readonly rebalanceIntervalUs: number;
  private readonly canLead: (broker: number) => boolean;
  private readonly brokerEpoch: (broker: number) => number;
  /** KIP-966 Eligible Leader Replicas (KRaft, 4.1 default): the ISR may empty into the ELR. */
  private readonly elrEnabled: boolean;
  /**
   * Whether the controller honours unclean.leader.election.enable: ZooKeeper mode always; the KRaft
   * controller from 3.9 only (KAFKA-12670: before it ConfigurationControlManager.
   * uncleanLeaderElectionEnabledForTopic returned false, "TODO: support configuring unclean leader
   * election"; an unclean election came only from the ElectLeaders API, and the partition stayed offline).
   */
  private readonly uncleanByConfig: boolean;

  constructor(
    private readonly world: KafkaWorld,
    private readonly log: MetadataLog,
    brokers: BrokerActivity,
  ) {
    this.rebalanceIntervalUs = world.scenario.brokerConfig['leader.imbalance.check.interval.seconds'] * 1_000_000;
    this.canLead = (b) => brokers.isActive(b);
    this.brokerEpoch = (b) => brokers.brokerEpoch(b);
    this.elrEnabled = world.kraft && world.protocol.eligibleLeaderReplicas;
    const version = versionOfScenario(world.scenario);
    this.uncleanByConfig = !world.kraft || version === undefined || !isOlderVersion(version, '3.9');
  }

  /** A controller became active: topics exist from the start; the rebalance timer restarts. */
  activate(ctx: Ctx): void {
    if (!this.initialized) this.createPartitions(ctx);
    this.nextRebalanceUs = ctx.nowUs + this.rebalanceIntervalUs;
  }

  private createPartitions(ctx: Ctx): void {
    this.initialized = true;
    for (const info of this.world.layout.partitions) {
      if (info.addedBy >= 0) continue; // created by its create-partitions operation
      const meta: PartitionMeta = { leader: info.replicas[0], leaderEpoch: 0, partitionEpoch: 0, isr: info.replicas, replicas: info.replicas };
      this.partitions.push(meta);
      this.emitElection(ctx, info.index, 'initial', meta, NO_LEADER);
    }
  }

  /** Removes b from every ISR (keeping a last member) and moves its leaderships. */
  handleBrokerFenced(ctx: Ctx, b: number, kind: ElectionKind): void {
    for (const p of this.world.layout.partitionsOfBroker[b]) {
      const m = this.partitions[p];
      if (m === undefined || !contains(m.replicas, b)) continue; // not created yet, or not (or no longer) a replica
      let isr = m.isr;
      // With ELR the last member leaves too (into the ELR); before, it stays (ISR never empty).
      if (contains(isr, b) && (isr.length > 1 || this.elrEnabled)) isr = isr.filter((r) => r !== b);
      if (m.leader === b) this.elect(ctx, p, isr, kind);
      else if (isr !== m.isr) this.commit(ctx, p, { ...m, isr, ...this.elrField(this.elrAfter(p, isr)), leaderEpoch: this.leaderEpochAfterShrink(m, true), partitionEpoch: m.partitionEpoch + 1 });
    }
  }

  /**
   * The leader epoch once the ISR of m shrinks with its leader staying (byController: the
   * controller removes a fenced or shutting-down broker, not the leader's own AlterPartition):
   * - ZooKeeper mode bumps it when the controller removes a replica, in every version
   *   (ReplicaStateMachine.doRemoveReplicasFromIsr writes LeaderAndIsr.newLeaderAndIsr, epoch + 1),
   *   and keeps it for a leader's own shrink (its ZooKeeper write before 2.7, AlterIsr after, KIP-497);
   * - KRaft bumps it on every shrink before metadata.version 3.6-IV0
   *   (PartitionChangeBuilder.triggerLeaderEpochBumpIfNeeded, MetadataVersion
   *   .isLeaderEpochBumpRequiredOnIsrShrink; KAFKA-15021 stopped it), and keeps it after.
   * Every replica then fences requests of the old epoch and followers truncate anew.
   */
  private leaderEpochAfterShrink(m: PartitionMeta, byController: boolean): number {
    const bump = this.world.kraft ? isOlderVersion(this.world.versions.metadataVersion, '3.6') : byController;
    return bump ? m.leaderEpoch + 1 : m.leaderEpoch;
  }

  /**
   * KIP-966 (ReplicationControlManager.handleBrokerUncleanShutdown): a broker registering after an
   * unclean shutdown (a crash or power loss, no controlled shutdown) may have lost unflushed
   * records, so it leaves the ISR and the ELR of every partition. Only with ELR.
   */
  handleBrokerUncleanShutdown(ctx: Ctx, b: number): void {
    if (!this.elrEnabled) return;
    for (const p of this.world.layout.partitionsOfBroker[b]) {
      const m = this.partitions[p];
      if (m === undefined || (!contains(m.isr, b) && !contains(m.elr ?? [], b))) continue;
      const isr = m.isr.filter((r) => r !== b);
      const elr = this.elrAfter(p, isr, b);
      // Every such change runs an election (PartitionChangeBuilder.build), b unable to lead: an
      // offline partition whose ELR just emptied may elect its last known leader.
      if (m.leader === b || m.leader === NO_LEADER) this.elect(ctx, p, isr, 'clean', elr, b);
      else this.commit(ctx, p, { ...m, isr, ...this.elrField(elr), partitionEpoch: m.partitionEpoch + 1 });
    }
  }

  /** The elr field of a committed PartitionMeta: absent without ELR, so those images are as before. */
  private elrField(elr: readonly number[] | undefined): { elr?: readonly number[] } {
    return this.elrEnabled ? { elr: elr ?? [] } : {};
  }

  /** The ELR of p once its ISR becomes isr (undefined without ELR). */
  private elrAfter(p: number, isr: readonly number[], uncleanShutdown = -1): readonly number[] | undefined {
    if (!this.elrEnabled) return undefined;
    const m = this.partitions[p];
    return eligibleLeaderReplicasAfter(m.replicas, m.isr, m.elr ?? [], isr, this.world.layout.partitions[p].minInsyncReplicas, uncleanShutdown);
  }

  /** b may lead again: its offline partitions elect. */
  handleBrokerUnfenced(ctx: Ctx, b: number): void {
    for (const p of this.world.layout.partitionsOfBroker[b]) {
      const m = this.partitions[p];
      if (m?.leader === NO_LEADER && contains(m.replicas, b)) this.elect(ctx, p, m.isr, 'clean');
    }
  }

  /**
   * Elects a leader for p from isr, then (KIP-966, the ISR empty) from the ELR, then (the ELR empty
   * too) its last known leader, then uncleanly if enabled; with none able, the partition goes (or
   * stays) offline. `excluded` may not lead in this change: a broker registering after an unclean
   * shutdown (generateLeaderAndIsrUpdates' brokerWithUncleanShutdown, not an acceptable leader).
   */
  private elect(ctx: Ctx, p: number, isr: readonly number[], kind: ElectionKind, elrGiven?: readonly number[], excluded = NO_LEADER): void {
    const m = this.partitions[p];
    const info = this.world.layout.partitions[p];
    const canLead = excluded === NO_LEADER ? this.canLead : (r: number) => r !== excluded && this.canLead(r);
    let elr = elrGiven ?? this.elrAfter(p, isr);
    const fromElr = elr === undefined ? NO_LEADER : eligibleLeaderReplicaElection(m.replicas, isr, elr, canLead);
    const lastKnown = elr === undefined || fromElr !== NO_LEADER ? NO_LEADER : lastKnownLeaderElection(isr, elr, m.lastKnownElr ?? [], canLead);
    const elected =
      fromElr !== NO_LEADER || lastKnown !== NO_LEADER
        ? { leader: fromElr !== NO_LEADER ? fromElr : lastKnown, isr: [fromElr !== NO_LEADER ? fromElr : lastKnown], unclean: false }
        : offlinePartitionLeaderElection(m.replicas, isr, canLead, info.uncleanLeaderElection && this.uncleanByConfig, this.world.bugs.electOutsideIsr);
    // ZooKeeper mode keeps the ISR's live members only (Election.scala leaderForOffline: isr.filter(
    // isReplicaOnline)): brokers that died in the same BrokerChange leave with the election.
    const result = this.world.kraft || elected.leader === NO_LEADER || elected.isr.every(this.canLead) ? elected : { ...elected, isr: elected.isr.filter(this.canLead) };
    if (fromElr !== NO_LEADER) elr = elr!.filter((r) => r !== fromElr);
    // An unclean leader's ISR of one starts afresh (maybeUpdateRecordElr), the last known leader's too.
    else if ((result.unclean || lastKnown !== NO_LEADER) && elr !== undefined) elr = undefined;
    if (result.leader === NO_LEADER && m.leader === NO_LEADER) {
      if (result.isr !== m.isr || elr !== m.elr) this.commit(ctx, p, { ...m, isr: result.isr, ...this.elrField(elr), partitionEpoch: m.partitionEpoch + 1 });
      return;
    }
    // The spread keeps a reassignment in progress (addingReplicas, removingReplicas).
    const next: PartitionMeta = { ...m, leader: result.leader, leaderEpoch: m.leaderEpoch + 1, partitionEpoch: m.partitionEpoch + 1, isr: result.isr, ...this.elrField(elr) };
    // An election from outside the ISR (unclean, the ELR, the last known leader) sets the ISR to
    // its leader in the same change (PartitionChangeBuilder; ZooKeeper: ElectionUtil /
    // PartitionStateMachine): no ISR expansion (Partition.expandIsr, IsrExpandsPerSec), and the
    // election event says the ISR it set.
    this.commit(ctx, p, next, result.isr.every((r) => contains(m.isr, r)) ? 'controller' : 'election');
    this.emitElection(ctx, p, lastKnown !== NO_LEADER ? 'last-known-leader' : result.unclean ? 'unclean' : kind, next, m.leader);
  }

  /**
   * An AlterPartition from p's leader: committed if it comes from the current leader epoch and
   * partition epoch. Returns the error (null on success); the committed state is the answer.
   */
  alterPartition(ctx: Ctx, msg: AlterPartitionRequest): string | null {
    const p = msg.partition;
    const m = this.partitions[p];
    let error: string | null = null;
    if (m.leader !== msg.broker || m.leaderEpoch !== msg.leaderEpoch) error = FENCED_LEADER_EPOCH;
    else if (m.partitionEpoch !== msg.partitionEpoch) error = INVALID_UPDATE_VERSION;
    else {
      if (!contains(msg.isr, msg.broker)) throw new Error(`AlterPartition from leader ${msg.broker} without itself in the ISR`);
      // AlterPartition v3 (KIP-903) from metadata.version 3.5-IV1 (the controller's finalized level).
      const checkEpochs = this.world.kraft && this.world.versions.controller.alterPartitionCarriesBrokerEpochs;
      for (let i = 0; i < msg.isr.length; i++) {
        const r = msg.isr[i];
        if (!contains(m.replicas, r)) throw new Error(`AlterPartition adds non-replica ${r}`);
        if (this.world.kraft && !contains(m.isr, r) && !this.canLead(r)) error = INELIGIBLE_REPLICA;
        // KIP-903: a new member whose fetch came from an older registration is not eligible.
        const epoch = msg.brokerEpochs?.[i] ?? -1;
        if (checkEpochs && epoch !== -1 && epoch !== this.brokerEpoch(r)) error = INELIGIBLE_REPLICA;
      }
    }
    if (error === null) {
      const isr = m.replicas.filter((r) => contains(msg.isr, r));
      const shrinks = m.isr.some((r) => !contains(isr, r));
      const leaderEpoch = shrinks ? this.leaderEpochAfterShrink(m, false) : m.leaderEpoch;
      const next: PartitionMeta = { ...m, isr, ...this.elrField(this.elrAfter(p, isr)), leaderEpoch, partitionEpoch: m.partitionEpoch + 1 };
      if (!isReassignmentInProgress(m) || !this.maybeCompleteReassignment(ctx, p, next)) this.commit(ctx, p, next, 'leader');
    } else this.world.stats.alterPartitionRejected++;
    return error;
  }

  /**
   * AlterPartitionReassignments for one partition (ReplicationControlManager.changePartitionReassignment,
   * KIP-455): replicas become the target followed by the replicas it removes, addingReplicas and
   * removingReplicas are recorded, and the reassignment completes at once when the ISR already
   * allows it (a reordering, or only removals). KRaft keeps the leader epoch (the replicas only
   * grew); ZooKeeper mode bumps it so every replica gets a LeaderAndIsr (KafkaController
   * .onPartitionReassignment, step A2). A reassignment of a reassigning partition starts from its
   * current (merged) replicas, as KRaft does. Returns Kafka's error, or null.
   */
  alterPartitionReassignment(ctx: Ctx, p: number, target: readonly number[]): string | null {
    const m = this.partitions[p];
    if (m === undefined) return 'UNKNOWN_TOPIC_OR_PARTITION';
    const r = reassignmentReplicas(m.replicas, target);
    const inProgress = r.adding.length > 0 || r.removing.length > 0;
    const next: PartitionMeta = {
      leader: m.leader,
      leaderEpoch: this.world.kraft || m.leader === NO_LEADER ? m.leaderEpoch : m.leaderEpoch + 1,
      partitionEpoch: m.partitionEpoch + 1,
      isr: m.isr,
      // The ELR and the last known leader stay (PartitionChangeBuilder.maybePopulateTargetElr:
      // the ISR did not change); dropping them would let an offline partition elect a replica KIP-966 does not trust.
      ...this.elrField(m.elr),
      ...(m.lastKnownElr === undefined ? {} : { lastKnownElr: m.lastKnownElr }),
      replicas: r.replicas,
      ...(inProgress ? { addingReplicas: r.adding, removingReplicas: r.removing } : {}),
    };
    this.commit(ctx, p, next);
    this.emitReassignment(ctx, p, inProgress ? 'started' : 'completed', next);
    if (inProgress) this.maybeCompleteReassignment(ctx, p, next);
    return null;
  }

  /**
   * Commits `next` (a change to reassigning partition p) with its reassignment completed, if the
   * ISR allows it (PartitionChangeBuilder.build: completeReassignmentIfNeeded, then an ONLINE
   * election): replicas = the target, the removed replicas leave the ISR; the leader stays if it
   * is still in the ISR and able, else the first target replica in the ISR and able leads
   * (ZooKeeper's ReassignPartitionLeaderElectionStrategy picks the same). The leader epoch is
   * bumped when the leader changed or replicas were removed (triggerLeaderEpochBumpIfNeeded), and
   * always in ZooKeeper mode (moveReassignedPartitionLeaderIfRequired). Returns whether it completed.
   */
  private maybeCompleteReassignment(ctx: Ctx, p: number, next: PartitionMeta): boolean {
    const done = maybeCompleteReassignment(next, next.isr, !this.world.kraft);
    if (done === null) return false;
    let leader = next.leader;
    if (leader === NO_LEADER || !contains(done.isr, leader) || !this.canLead(leader)) {
      leader = NO_LEADER;
      for (const r of done.replicas)
        if (contains(done.isr, r) && this.canLead(r)) {
          leader = r;
          break;
        }
    }
    const removed = next.replicas.length > done.replicas.length;
    const bump = leader !== next.leader || removed || !this.world.kraft;
    const elr = this.elrField(next.elr?.filter((r) => contains(done.replicas, r)));
    const completed: PartitionMeta = { leader, leaderEpoch: bump ? next.leaderEpoch + 1 : next.leaderEpoch, partitionEpoch: next.partitionEpoch, isr: done.isr, ...elr, replicas: done.replicas };
    // The leader's ISR change that completes it (an AlterPartition: reassigning partitions complete only there), as its own event.
    if (next.isr !== this.partitions[p].isr) this.commit(ctx, p, next, 'leader');
    this.commit(ctx, p, completed);
    this.emitReassignment(ctx, p, 'completed', completed);
    if (leader !== next.leader) this.emitElection(ctx, p, 'clean', completed, next.leader);
    return true;
  }

  private emitReassignment(ctx: Ctx, p: number, phase: 'started' | 'completed', m: PartitionMeta): void {
    const layout = this.world.layout;
    ctx.emit({
      type: 'reassignment',
      partition: layout.partitions[p].name,
      phase,
      replicas: layout.brokerNamesOf(m.replicas),
      adding: layout.brokerNamesOf(m.addingReplicas ?? []),
      removing: layout.brokerNamesOf(m.removingReplicas ?? []),
      leaderEpoch: m.leaderEpoch,
    });
  }

  /**
   * auto.leader.rebalance.enable: every leader.imbalance.check.interval.seconds, a broker whose
   * share of preferred partitions it does not lead exceeds leader.imbalance.per.broker.percentage
   * gets those partitions back where it is in the ISR and eligible.
   */
  maybeBalancePartitionLeaders(ctx: Ctx): void {
    const bc = this.world.scenario.brokerConfig;
    if (!bc['auto.leader.rebalance.enable'] || ctx.nowUs < this.nextRebalanceUs) return;
    this.nextRebalanceUs = ctx.nowUs + this.rebalanceIntervalUs;
    const layout = this.world.layout;
    for (let b = 0; b < layout.brokerCount; b++) {
      let preferred = 0;
      let notLed = 0;
      for (const p of layout.partitionsOfBroker[b]) {
        const m = this.partitions[p];
        if (m === undefined || m.replicas[0] !== b) continue;
        preferred++;
        if (m.leader !== b) notLed++;
      }
      if (preferred === 0 || (notLed * 100) / preferred <= bc['leader.imbalance.per.broker.percentage']) continue;
      for (const p of layout.partitionsOfBroker[b]) {
        const m = this.partitions[p];
        if (m !== undefined && m.replicas[0] === b) this.electPreferredLeader(ctx, p);
      }
    }
  }

  /**
   * The ElectLeaders API with ElectionType.PREFERRED (KIP-460), for one partition: the preferred
   * replica (the first in the assignment) becomes leader when it is in the ISR and eligible.
   * Returns Kafka's error: null (elected), ELECTION_NOT_NEEDED or PREFERRED_LEADER_NOT_AVAILABLE.
   */
  electPreferredLeader(ctx: Ctx, p: number): string | null {
    const m = this.partitions[p];
    const preferred = m.replicas[0];
    if (m.leader === preferred) return 'ELECTION_NOT_NEEDED';
    if (preferredReplicaPartitionLeaderElection(m.replicas, m.isr, this.canLead) !== preferred) return 'PREFERRED_LEADER_NOT_AVAILABLE';
    const next: PartitionMeta = { ...m, leader: preferred, leaderEpoch: m.leaderEpoch + 1, partitionEpoch: m.partitionEpoch + 1 };
    this.commit(ctx, p, next);
    this.emitElection(ctx, p, 'preferred', next, m.leader);
    return null;
  }

  /**
   * CreatePartitions (ReplicationControlManager.createPartitions): each new partition is
   * registered with ISR = its replicas that are active (unfenced, not shutting down) and the
   * first of them as leader. With no active replica Kafka refuses the whole request
   * (INVALID_REPLICATION_FACTOR) and nothing is created; returns that error, or null.
   */
  addPartitions(ctx: Ctx, indexes: readonly number[]): string | null {
    const layout = this.world.layout;
    const isrs = indexes.map((p) => layout.partitions[p].replicas.filter((b) => this.canLead(b)));
    if (isrs.some((isr) => isr.length === 0)) return 'INVALID_REPLICATION_FACTOR';
    indexes.forEach((p, i) => {
      const replicas = layout.partitions[p].replicas;
      const isr = isrs[i].length === replicas.length ? replicas : isrs[i];
      const meta: PartitionMeta = { leader: isr[0], leaderEpoch: 0, partitionEpoch: 0, isr, replicas };
      this.partitions[p] = meta;
      this.log.dirty = true;
      this.emitElection(ctx, p, 'initial', meta, NO_LEADER);
    });
    return null;
  }

  /**
   * Replaces p's committed state; emits the ISR change if the ISR changed, saying who changed it
   * (`by`): the leader's AlterPartition (Partition.shrinkIsr / expandIsr, what Kafka's
   * IsrShrinksPerSec and IsrExpandsPerSec count) or the controller itself (a fenced or shut-down
   * broker removed, an election, a reassignment completed: no broker metric counts it); none when
   * an election from outside the ISR set it (the election event says the ISR it set).
   */
  private commit(ctx: Ctx, p: number, change: PartitionMeta, by: 'leader' | 'controller' | 'election' = 'controller'): void {
    const prev = this.partitions[p];
    const next = this.elrEnabled ? withLastKnownElr(prev, change) : change;
    this.partitions[p] = next;
    this.log.dirty = true;
    if (prev.isr === next.isr || by === 'election') return;
    let same = prev.isr.length === next.isr.length;
    for (let i = 0; same && i < next.isr.length; i++) same = prev.isr[i] === next.isr[i];
    if (same) return;
    const shrink = next.isr.length < prev.isr.length;
    // The controller only ever takes replicas out; they come back at their leader's AlterPartition.
    if (by === 'controller' && !shrink) throw new Error(`controller grew the ISR of partition ${p} without an election`);
    if (by === 'controller') this.world.stats.isrRemovalsByController++;
    else if (shrink) this.world.stats.isrShrinks++;
    else this.world.stats.isrExpands++;
    ctx.emit({
      type: shrink ? 'isr-shrink' : 'isr-expand',
      partition: this.world.layout.partitions[p].name,
      isr: this.world.layout.brokerNamesOf(next.isr),
      leaderEpoch: next.leaderEpoch,
      ...(by === 'controller' ? { byController: true as const } : {}),
    });
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
}

/** change with the lastKnownElr KIP-966 keeps across the change from prev (the same object when it holds). */
function withLastKnownElr(prev: PartitionMeta, change: PartitionMeta): PartitionMeta {
  const known = lastKnownElrAfter(prev, change.isr, change.leader);
  if (known === change.lastKnownElr || (known.length === 0 && change.lastKnownElr === undefined)) return change;
  return { ...change, lastKnownElr: known };
}
