// hw-above-isr-leo: a partition's committed offset (its high watermark) above the log end offset of
// a member of its ISR. The HW is min LEO over the ISR, so every record below it is on every in-sync
// replica; that is what makes an acks=all write survive any election from the ISR. Checked on every
// event that moves one side:
// - `hw` (the leader advanced the HW): every current ISR member's LEO must reach it;
// - `truncate` of an ISR member: its new LEO must not drop below the committed offset;
// - `isr-expand`: a joining member must already reach the committed offset;
// - a clean (or preferred, controlled-shutdown) `election`: the new leader must reach it.
//
// The committed offset is the highest HW any leader announced for the partition, across leader
// epochs (a newly elected leader announces its HW only once it passes the one it knew as a
// follower, so the per-epoch figure would start low and miss a leader elected without committed
// records). An unclean election resets it to the new leader's LEO, as Kafka does: committed
// records are given up, and lost-write reports them (permitted by unclean.leader.election.enable).
// So does a clean election of a leader a version's flaw left short (a follower truncated to its HW
// before KIP-101, still in the ISR, as in a rolling upgrade from 0.10 before every broker runs
// inter.broker.protocol.version 0.11): the election is reported, blamed on the flaw, and the
// followers that then truncate to its log are not short of records it never had.
// HW announcements of epochs older than the last unclean election do not count again.
//
// LEOs are tracked per replica from the events its own broker emits: append (base offset + count),
// truncate and log-lost (new LEO), stop-replica (a reassignment removed it: its copy is deleted). A
// completed reassignment may bump the leader epoch with the same leader and no election (KIP-455),
// and so may an ISR shrink (the ZooKeeper controller's removals; KRaft before metadata.version
// 3.6): its event names the epoch the leader's HW announcements come in. A replica that lost records to power or disk loss is exempt until
// it has caught up again (the leader keeps counting the offset of its last fetch before the loss),
// or has been elected, which resets the committed offset to its LEO (another damaged replica still
// short of that stays exempt until it reaches it): not
// fsyncing is Kafka's documented trade-off, and whether the loss reached acknowledged records is
// judged at the end by lost-write (permitted by the fault load only when every in-sync copy went).
// Everything else is a breach: a bug in the model or the known flaw of an old protocol era
// (truncation to the HW before KIP-101, an ISR rejoin below the leader's epoch start before
// KAFKA-7128, a leader's restart the controller missed before KIP-380: missed-bounce.ts, also for a
// replica that carried such a leader's rewritten log until it has the committed records again),
// which the explanation names. So is a shortfall at offsets a follower kept on a flawed path (its
// protocol-flaw event: a truncation skipped after a missed epoch before KAFKA-7164's fix, records
// fetched unfenced before KIP-320): the records there differ between replicas, and the replica
// that later truncates them to its leader's log falls below an HW the other copy made.
//
// Cost: O(ISR) per HW advance, ISR change or election; O(1) per append and truncation.

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { ModelEvent, Violation } from '../../../src/sim/model.ts';
import type { TimeUs } from '../../../src/sim/time.ts';
import type { ElectionEvent, HighWatermarkEvent, IsrChangeEvent, KafkaEvent, KafkaEventType, ProtocolFlawEvent, ReassignmentEvent, StopReplicaEvent, TruncateEvent } from '../kafka-events.ts';
import type { KafkaScenario } from '../scenario/kafka-scenario.ts';
import { InvariantFindings } from './invariant-findings.ts';
import { KafkaNames } from './kafka-names.ts';
import { describeMissingFix } from '../version/protocol-features.ts';
import { describeFlawPath, flawPathLabel } from './protocol-flaw-path.ts';
import { VersionTimeline } from '../analysis/version-timeline.ts';
import { MissedBounces } from './missed-bounce.ts';

const NOT_SEEN = -1;

export class HwAboveIsrLeoChecker implements Checker {
  readonly name = 'hw-above-isr-leo';
  /** What onEvent reads (the kernel dispatches by type). */
  readonly eventTypes: readonly KafkaEventType[] = ['append', 'truncate', 'log-lost', 'hw', 'isr-shrink', 'isr-expand', 'election', 'become-leader', 'reassignment', 'stop-replica', 'version-change', 'protocol-flaw'];
  private readonly names: KafkaNames;
  /** What each broker ran when: a flaw is the version's only if the broker involved lacked its fix then. */
  private readonly versions: VersionTimeline;
  /** Per partition index: [broker] -> LEO (every replica starts empty). */
  private readonly leo: Float64Array[];
  /**
   * Per partition index: [broker] -> 1 while the replica is short after a power or disk loss. The
   * leader may still count the LEO of its last fetch before the loss, so the exemption lasts until
   * the replica is back at that LEO (damagedUntil) and at the committed HW.
   */
  private readonly damaged: Uint8Array[];
  private readonly damagedUntil: Float64Array[];
  private readonly isr: (readonly number[])[];
  private readonly committed: Float64Array;
  /** Leader epoch of the last unclean election; HW announcements of older epochs are ignored. */
  private readonly epochFloor: Float64Array;
  private readonly currentEpoch: Float64Array;
  /**
   * Per partition index: [broker] -> the era's flaw that left the replica short of the committed
   * HW (a truncation to the HW before KIP-101), until it reaches it again: what that replica does
   * while still short (being elected, say) is the same flaw, not a breach of its own.
   */
  private readonly flaw: (string | undefined)[][];
  /** Per partition index: [broker] -> 1 while its flaw is a missed bounce's (missed-bounce.ts). */
  private readonly flawIsBounce: Uint8Array[];
  /**
   * Per partition index: [broker] -> the LEO a truncation to the HW before KIP-101 took the
   * replica down from (0: none), with the flaw, until it has that many records again: the leader
   * still counts the offset of the replica's last fetch, so an HW it advances up to there on that
   * count is the same flaw, even when the truncation itself left nothing committed behind.
   */
  private readonly truncatedFrom: Float64Array[];
  private readonly truncationFlaw: (string | undefined)[][];
  /** Per partition index: the offset ranges followers kept on a flawed path, with the flaw (protocol-flaw events). */
  private readonly keptByFlaw: { fromOffset: number; toOffset: number; flaw: string }[][];
  /** Per partition index: its elections, in time order (who answered a follower on a flawed path: protocol-flaw-path.ts). */
  private readonly elections: { timeUs: TimeUs; event: ElectionEvent }[][];
  private readonly findings = new InvariantFindings(this.name);
  /** Leaders that restarted and took their partition back in the same epoch (missed-bounce.ts). */
  private readonly bounces: MissedBounces;

  /** `names`: the run's lookups, shared by its invariants (KafkaNames.partition remembers the last name asked). */
  constructor(scenario: KafkaScenario, names = new KafkaNames(scenario)) {
    this.names = names;
    this.versions = new VersionTimeline(scenario);
    this.bounces = new MissedBounces(this.versions, scenario);
    const n = this.names.partitionCount;
    const b = this.names.brokerCount;
    this.leo = Array.from({ length: n }, () => new Float64Array(b));
    this.damaged = Array.from({ length: n }, () => new Uint8Array(b));
    this.damagedUntil = Array.from({ length: n }, () => new Float64Array(b));
    this.isr = this.names.replicas.map((r) => r);
    this.flaw = Array.from({ length: n }, () => new Array<string | undefined>(b));
    this.flawIsBounce = Array.from({ length: n }, () => new Uint8Array(b));
    this.truncatedFrom = Array.from({ length: n }, () => new Float64Array(b));
    this.truncationFlaw = Array.from({ length: n }, () => new Array<string | undefined>(b));
    this.keptByFlaw = Array.from({ length: n }, () => []);
    this.elections = Array.from({ length: n }, () => []);
    this.committed = new Float64Array(n);
    this.epochFloor = new Float64Array(n).fill(NOT_SEEN);
    this.currentEpoch = new Float64Array(n).fill(NOT_SEEN);
  }

  onEvent(timeUs: TimeUs, node: number, modelEvent: ModelEvent): void {
    const ev = modelEvent as unknown as KafkaEvent;
    switch (ev.type) {
      case 'append': {
        const p = this.names.partition(ev.partition);
        const b = this.names.brokerOfNode(node);
        if (p < 0 || b < 0) return;
        const leo = ev.baseOffset + ev.records.length;
        this.leo[p][b] = leo;
        if (leo >= this.truncatedFrom[p][b]) this.truncationFlaw[p][b] = undefined;
        if (this.damaged[p][b] === 1 && leo >= this.committed[p] && leo >= this.damagedUntil[p][b]) this.damaged[p][b] = 0;
        return;
      }
      case 'truncate':
        return this.onTruncate(timeUs, node, ev);
      case 'version-change':
        return this.versions.add(timeUs, this.names.brokerOfNode(node), ev);
      case 'stop-replica':
      case 'reassignment':
        return this.onReassignment(node, ev);
      case 'log-lost':
        return this.onLogLost(timeUs, node, ev);
      case 'protocol-flaw':
        return this.onProtocolFlaw(timeUs, node, ev);
      case 'hw':
        return this.onHighWatermark(timeUs, node, ev);
      case 'isr-shrink':
      case 'isr-expand':
        return this.onIsrChange(timeUs, ev);
      case 'become-leader':
        return this.bounces.becameLeader(timeUs, ev.partition, this.names.brokerName(this.names.brokerOfNode(node)), ev.leaderEpoch);
      case 'election':
        return this.onElection(timeUs, ev);
      default:
        return;
    }
  }

  // The cases that build a finding's text in a closure are methods of their own: a closure in
  // onEvent would have V8 allocate a context for ev on every event (183k appends a default run).

  private onHighWatermark(timeUs: TimeUs, node: number, ev: HighWatermarkEvent): void {
    const p = this.names.partition(ev.partition);
    if (p < 0 || ev.leaderEpoch < this.epochFloor[p]) return;
    if (ev.hw > this.committed[p]) this.committed[p] = ev.hw;
    // A deposed leader's HW is checked through the committed offset; its ISR is not ours.
    if (ev.leaderEpoch !== this.currentEpoch[p] && this.currentEpoch[p] !== NOT_SEEN) return;
    const leader = this.names.brokerOfNode(node);
    // Checked here first so that the finding's text closure is made only for a member found short (61k hw events a default run).
    for (const m of this.isr[p])
      if (!this.holdsCommitted(p, m)) this.checkMember(timeUs, p, m, () => `${this.names.brokerName(leader)} advanced the HW to ${ev.hw} in epoch ${ev.leaderEpoch}`);
  }

  private onIsrChange(timeUs: TimeUs, ev: IsrChangeEvent): void {
    const p = this.names.partition(ev.partition);
    if (p < 0) return;
    const before = this.isr[p];
    const after = this.brokersOf(ev.isr);
    this.isr[p] = after;
    // The controller commits a leader change's ISR just before announcing the election (an
    // unclean one may swap the last member); the election, which follows, is checked. A
    // shrink may bump the epoch with the same leader and no election (the ZooKeeper
    // controller's removals; KRaft before 3.6): the leader's HW comes in that epoch.
    if (ev.leaderEpoch > this.currentEpoch[p]) {
      if (ev.type === 'isr-shrink' && this.currentEpoch[p] !== NOT_SEEN) this.currentEpoch[p] = ev.leaderEpoch;
      return;
    }
    if (ev.type === 'isr-expand')
      for (const m of after)
        if (!before.includes(m)) this.checkMember(timeUs, p, m, () => `the ISR expanded to [${ev.isr.join(', ')}] in epoch ${ev.leaderEpoch}`, this.expansionHint(timeUs, p));
  }

  private onElection(timeUs: TimeUs, ev: ElectionEvent): void {
    const p = this.names.partition(ev.partition);
    if (p < 0) return;
    this.bounces.elected(ev.partition, ev.leader, ev.leaderEpoch, timeUs);
    this.elections[p].push({ timeUs, event: ev });
    this.currentEpoch[p] = ev.leaderEpoch;
    this.isr[p] = this.brokersOf(ev.isr);
    if (ev.leader === null) return;
    const leader = this.names.broker(ev.leader);
    if (leader < 0) return;
    if (ev.kind === 'unclean' || this.damaged[p][leader] === 1) return this.giveUpCommitted(p, leader, ev.leaderEpoch);
    const shortBy = this.checkMember(timeUs, p, leader, () => `${ev.kind} election made ${ev.leader} leader of epoch ${ev.leaderEpoch} (ISR [${ev.isr.join(', ')}])`);
    // A leader the version's flaw left short (a truncation to its HW before KIP-101, say) loses
    // the committed records beyond its log as an unclean election does: lost-write judges them,
    // and the followers that truncate to its log are not short of records no longer committed.
    // (A carrier of a missed bounce's rewritten log is not: missed-bounce.ts names the bounce for
    // every replica that copies that log, carrierCause.)
    if (shortBy === 'flaw') this.giveUpCommitted(p, leader, ev.leaderEpoch);
  }

  /**
   * Committed records beyond the new leader's log are given up (lost-write judges them), for
   * good: a deposed leader's HW of an older epoch, arriving later, does not bring them back.
   */
  private giveUpCommitted(p: number, leader: number, leaderEpoch: number): void {
    this.committed[p] = Math.min(this.committed[p], this.leo[p][leader]);
    this.epochFloor[p] = leaderEpoch;
    this.rebaseDamage(p);
  }

  /**
   * A removed replica deleted its copy (its LEO is 0 until it is a replica again); a completed
   * reassignment names the leader epoch the leader goes on in (bumped without an election).
   */
  private onReassignment(node: number, ev: ReassignmentEvent | StopReplicaEvent): void {
    const p = this.names.partition(ev.partition);
    if (p < 0) return;
    if (ev.type === 'reassignment') {
      if (this.currentEpoch[p] !== NOT_SEEN && ev.leaderEpoch > this.currentEpoch[p]) this.currentEpoch[p] = ev.leaderEpoch;
      return;
    }
    const b = this.names.brokerOfNode(node);
    if (b < 0) return;
    this.leo[p][b] = 0;
    this.damaged[p][b] = 0;
  }

  /**
   * After an election that gave up committed records, the new leader's log is the history: a
   * replica still short of the committed offset after its own power loss (one power loss takes
   * different tails from different replicas, as far as the kernel had written each back) stays
   * exempt until it reaches it; the others are exempt no more.
   */
  private rebaseDamage(p: number): void {
    const damaged = this.damaged[p];
    const committed = this.committed[p];
    for (let b = 0; b < damaged.length; b++) {
      if (damaged[b] === 1 && this.leo[p][b] < committed) this.damagedUntil[p][b] = committed;
      else damaged[b] = 0;
    }
  }

  /** A replica lost records to power or disk loss: exempt until it has them again (see above). */
  private onLogLost(timeUs: TimeUs, node: number, ev: Extract<KafkaEvent, { type: 'log-lost' }>): void {
    const p = this.names.partition(ev.partition);
    const b = this.names.brokerOfNode(node);
    if (p < 0 || b < 0) return;
    this.leo[p][b] = ev.toOffset;
    if (ev.removed.length === 0) return;
    this.bounces.lostRecords(ev.partition, this.names.brokerName(b), timeUs);
    this.damaged[p][b] = 1;
    this.damagedUntil[p][b] = Math.max(this.damagedUntil[p][b], ev.fromOffset);
  }

  /** A follower kept records on a flawed path: offsets [keptFromOffset, logEndOffset) may differ from its leader's. */
  private onProtocolFlaw(timeUs: TimeUs, node: number, ev: ProtocolFlawEvent): void {
    const p = this.names.partition(ev.partition);
    const b = this.names.brokerOfNode(node);
    if (p < 0 || b < 0 || ev.flaw === 'truncated-to-high-watermark') return;
    const path = { timeUs, node, event: ev };
    const flaw = `${flawPathLabel(this.versions, path, this.elections[p])}: ${describeFlawPath(path, this.names.brokerName(b))}`;
    this.keptByFlaw[p].push({ fromOffset: ev.keptFromOffset ?? 0, toOffset: ev.logEndOffset, flaw });
  }

  /** The flaw that kept records somewhere in [leo, committed), if any (the first such). */
  private keptFlawBetween(p: number, leo: number, committed: number): string | undefined {
    return this.keptByFlaw[p].find((k) => k.fromOffset < committed && k.toOffset > leo)?.flaw;
  }

  private onTruncate(timeUs: TimeUs, node: number, ev: TruncateEvent): void {
    const p = this.names.partition(ev.partition);
    const b = this.names.brokerOfNode(node);
    if (p < 0 || b < 0) return;
    this.leo[p][b] = ev.toOffset;
    // A restart's log recovery (empty offsets at the tail) follows no leader's log (missed-bounce.ts).
    if (ev.reason !== 'log-recovery') this.bounces.truncated(ev.partition, this.names.brokerName(b));
    const then = ev.reason === 'high-watermark' ? this.versions.at(timeUs) : null;
    const hint =
      then !== null && then.lacks('truncationByLeaderEpoch', b)
        ? `${then.label('truncationByLeaderEpoch', b)}: truncation to the high watermark (${describeMissingFix('truncationByLeaderEpoch')})`
        : undefined;
    if (hint && ev.fromOffset > ev.toOffset) {
      this.truncatedFrom[p][b] = ev.fromOffset;
      this.truncationFlaw[p][b] = hint;
    }
    if (!this.isr[p].includes(b)) return;
    this.checkMember(timeUs, p, b, () => `${this.names.brokerName(b)} truncated from ${ev.fromOffset} (${ev.reason} truncation)`, hint);
  }

  /** Whether member is exempt (damaged) or holds every committed record (then its flaw is over). */
  private holdsCommitted(p: number, member: number): boolean {
    if (this.damaged[p][member] === 1) return true;
    if (this.leo[p][member] < this.committed[p]) return false;
    this.flaw[p][member] = undefined;
    this.bounces.caughtUp(this.names.partitionNames[p], this.names.brokerName(member));
    return true;
  }

  /**
   * Whether member holds the committed records, else what its shortfall was: the version's flaw
   * (a missed bounce's, or another), or a breach. `what` says what happened, built only for a
   * finding (this runs for every ISR member at every HW move).
   */
  private checkMember(timeUs: TimeUs, p: number, member: number, what: () => string, hint?: string): 'held' | 'flaw' | 'bounce' | 'breach' {
    if (this.holdsCommitted(p, member)) return 'held';
    const leo = this.leo[p][member];
    const committed = this.committed[p];
    const text = `${what()}: ISR member ${this.names.brokerName(member)} has LEO ${leo}, below the committed HW ${committed}`;
    // A flaw the simulated era is known for (the hint names its fix) is permitted by the version,
    // and so is what the replica it left short does until it has caught up.
    const byStaleFetch = committed <= this.truncatedFrom[p][member] ? this.truncationFlaw[p][member] : undefined;
    const remembered = hint === undefined ? this.flaw[p][member] : undefined;
    const flaw = hint ?? remembered ?? byStaleFetch ?? this.keptFlawBetween(p, leo, committed);
    const bounceRemembered = remembered !== undefined && this.flawIsBounce[p][member] === 1;
    this.flaw[p][member] = flaw;
    this.flawIsBounce[p][member] = bounceRemembered ? 1 : 0;
    const partition = this.names.partitionNames[p];
    // Its leader retook the partition unnoticed in this epoch, or the member carries (or has just
    // shed) the log of one that did (missed-bounce.ts).
    const bounce = flaw ? undefined : (this.bounces.causeOf(partition, this.currentEpoch[p], timeUs) ?? this.bounces.carrierCause(partition, this.names.brokerName(member), timeUs));
    if (flaw) {
      this.findings.add(partition, timeUs, text, flaw, 'permitted', 'version');
      return bounceRemembered ? 'bounce' : 'flaw';
    }
    if (bounce?.byVersion) {
      // The replica the retaken leader's rewritten log left short stays so under later leaders.
      this.flaw[p][member] = bounce.reason;
      this.flawIsBounce[p][member] = 1;
      this.findings.add(partition, timeUs, text, bounce.reason, 'permitted', 'version');
      return 'bounce';
    }
    this.findings.add(partition, timeUs, text, bounce?.reason ?? 'every ISR member holds every record below the HW');
    return 'breach';
  }

  /**
   * The version's flaw behind an ISR expansion of partition p at timeUs, if its leader lacked the
   * fix then: KAFKA-7128's check is the leader's (Partition.maybeExpandIsr, 2.0.1). The leader is
   * the last elected (an epoch bumped without an election keeps it); any broker if none is known.
   */
  private expansionHint(timeUs: TimeUs, p: number): string | undefined {
    const then = this.versions.at(timeUs);
    const elected = this.elections[p].at(-1)?.event.leader;
    const leader = elected === undefined || elected === null ? -1 : this.names.broker(elected);
    const b = leader < 0 ? undefined : leader;
    return then.lacks('isrJoinNeedsLeaderEpochStart', b)
      ? `${then.label('isrJoinNeedsLeaderEpochStart', b)}: an ISR rejoin below the leader's epoch start (${describeMissingFix('isrJoinNeedsLeaderEpochStart')})`
      : undefined;
  }

  private brokersOf(names: readonly string[]): number[] {
    const out: number[] = [];
    for (const n of names) {
      const b = this.names.broker(n);
      if (b >= 0) out.push(b);
    }
    return out;
  }

  finish(run: RunView): Violation[] {
    this.names.checkTopology(run.topology);
    return this.findings.violations("committed HW above an ISR member's log end offset");
  }
}
