// Why a record is gone from its partition's log, in Kafka terms and classified by the verdict rule
// (src/scenario/verdict.ts). Shared by lost-write and by every consumer-side checker that meets a
// record removed before a consumer read it (unseen, at-least-once, inconsistent-offsets). The
// first rule that applies, each checked by time against the record's own history:
//
// 1. fault load: no copy survived anything but the faults: every replica that held the record lost
//    it to power or disk loss, or a replica that had lost it that way was elected while no member of
//    the new ISR still held it. Whatever the configuration, replication cannot survive that, so it
//    comes first, before unclean election (an unclean election of an empty replica after every
//    in-sync copy burned is not what lost the record). With acks=0/1 only when the record had
//    reached every member of the ISR of its acknowledgement (acks=all would not have saved it).
//    Names the faults behind the losses. A replica that deleted its copy because a reassignment
//    removed it (KIP-455, StopReplica with delete) holds no copy from then on: it neither counts
//    as a copy that survived nor as a replica standing with the record.
//    Except KIP-966's last replica standing: the replica that lost it was the last ISR member and a
//    replica that left the ISR below min.insync.replicas still held it. That is a documented
//    weakness of every version without Eligible Leader Replicas (4.0 opt-in, 4.1 default, KRaft
//    only: ZooKeeper mode never got it), so permitted by the simulated version, naming KIP-966.
//    From 4.1 the controller elects that replica from the ELR, so the same evidence there is a
//    breach, not the fault load. Unless that replica came back from an unclean shutdown (a crash,
//    a power or disk loss) before the election and had not rejoined the ISR since: KIP-966 takes
//    it out of the ELR as it registers (ReplicationControlManager.handleBrokerUncleanShutdown: it
//    may have lost unflushed records), and 4.1 elects the last known leader as every version did
//    (PartitionChangeBuilder.canElectLastKnownLeader). No version would have kept the record: the
//    fault load, in every version.
// 2. configuration, acks=0/1: the producer did not wait for the in-sync replicas, and the record
//    had not reached all of them when it was acknowledged; and the unclean election too if needed.
// 3. configuration, unclean election: one on the partition at or after the acknowledgement, or one
//    that superseded the acknowledgement's leader epoch (a zombie leader may still acknowledge in
//    its old epoch just after it).
// 4. version: the known flaws of the simulated version that lie on the record's causal chain,
//    earliest first, that is the fix that would have prevented the loss. What starts the chain is
//    what put a replica without the record where it could lead: a truncation that cut what the
//    leader it followed still had (before KIP-101), a restart the ZooKeeper controller missed
//    (before KIP-380: the broker kept its leaderships or its ISR place with what its disk kept), a
//    stale ISR expansion taking back a replica that came back empty (KIP-903: fixed in KRaft 3.5,
//    never in ZooKeeper mode), a leader elected with records a flawed follower path kept where the
//    acknowledging log differs, a leader elected carrying the log of a leader whose bounce the
//    controller missed (it retook its old epoch and wrote it anew, r among it, while the follower
//    kept its own record at r's offset: missed-bounce.ts). A truncation that only followed a
//    leader without the record is a consequence, whatever its era (KIP-279's fix cuts the same
//    records); a flawed truncation of the record stands for the version only when no flaw shows
//    on the chain.
// 5. breach: under acks=all an acknowledged record must survive while one in-sync copy does; a
//    chain step the simulated version has the fix for (a missed bounce under KIP-380) is a breach.

import { formatTimeUs } from '../../../src/sim/time.ts';
import type { ElectionAt, RecordHistory } from '../analysis/kafka-history.ts';
import type { KafkaRunAnalysis, KafkaRunFindings } from '../analysis/kafka-run-analysis.ts';
import { describeMissingFix } from '../version/protocol-features.ts';
import { describeFlawPath, flawPathLabel } from './protocol-flaw-path.ts';
import type { FaultNames } from './fault-names.ts';
import type { Classification, PermittedBy } from './grouped-violations.ts';
import { epochStartedFrom, firstElectionFrom } from './kafka-terms.ts';
import { countUntil } from '../analysis/time-ordered.ts';
import { electedWithinOldSession, electedWithoutLeavingIsr, rejoinedBeforeBounceHandled } from './bounce-shapes.ts';
import { lastReplicaStandingVerdict, standingReplica, type StandingReplica } from './last-replica-standing.ts';
import { inSyncCopiesLeft } from './in-sync-copies.ts';
import { bounceEvidenceOf, missedBounceAtElection } from './missed-bounce.ts';
import { staleIsrRejoin } from './stale-isr-rejoin.ts';
import { uncleanElectionNeeded } from './unclean-election-needed.ts';
import { firstRemovedOffset } from '../kafka-events.ts';

export interface Cause {
  classification: Classification;
  permittedBy?: PermittedBy;
  reason: string;
}

/** Marks a storage loss that is KIP-966's documented weakness, not the fault load alone. */
const KIP_966_WEAKNESS = 'kip-966:';
/** Marks the same loss with Eligible Leader Replicas on: the ELR should have prevented it. */
const ELR_BREACH = 'elr-breach:';

/** A step of the record's causal chain that a known flaw explains: when it started, and whether the version permits it. */
interface ChainFlaw {
  atUs: number;
  text: string;
  byVersion: boolean;
}

export const breach = (reason: string): Cause => ({ classification: 'breach', reason });
export const permitted = (permittedBy: PermittedBy, reason: string): Cause => ({ classification: 'permitted', permittedBy, reason });

export class LossCauses {
  private readonly uncleanElections = new Map<string, ElectionAt[]>();
  /** carriedBounce's verdict per election ("partition timeUs"): one replay of the partition's history, not one a record. */
  private readonly carriedBounces = new Map<string, ChainFlaw | null>();
  private readonly causeByRecord = new Map<number, Cause>();

  constructor(
    private readonly analysis: KafkaRunAnalysis,
    private readonly findings: KafkaRunFindings,
    private readonly faults: FaultNames,
  ) {}

  /**
   * The producer's acks when it let `r` be acknowledged before it reached the whole ISR ("0" or
   * "1"), else null: acks=0/1 matters only then.
   */
  acksThatMattered(r: RecordHistory): string | null {
    const acks = r.outcome === 'acked' ? (this.analysis.lookup.producer(r.producer)?.acks ?? 'all') : 'all';
    return acks !== 'all' && !this.reachedWholeIsr(r) ? acks : null;
  }

  /**
   * Why `r` is no longer in its partition's log (or no longer at the offset it was acknowledged at).
   * Once a record: lost-write and the consumer-side checkers ask again for the same records, and
   * the run's history is final by then (RunCauses builds this at the end of the run).
   */
  classify(r: RecordHistory): Cause {
    let cause = this.causeByRecord.get(r.record);
    if (cause === undefined) this.causeByRecord.set(r.record, (cause = this.causeOf(r)));
    return cause;
  }

  private causeOf(r: RecordHistory): Cause {
    const acks = this.acksThatMattered(r);
    const acksMattered = acks !== null;
    const storageLoss = this.storageLoss(r);
    if (storageLoss?.startsWith(KIP_966_WEAKNESS) && !acksMattered) return permitted('version', storageLoss.slice(KIP_966_WEAKNESS.length));
    if (storageLoss?.startsWith(ELR_BREACH) && !acksMattered) return breach(storageLoss.slice(ELR_BREACH.length));
    if (storageLoss && !acksMattered) return permitted('fault-load', storageLoss);
    const unclean = this.firstUncleanElectionFrom(r.partition, r.ackUs >= 0 ? r.ackUs : r.sendUs) ?? this.uncleanElectionAfterEpoch(r.partition, r.ackLeaderEpoch);
    const uncleanText = unclean && `unclean.leader.election.enable=true: unclean election of ${unclean.event.leader} at ${formatTimeUs(unclean.timeUs)} (epoch ${unclean.event.leaderEpoch} ${epochStartedFrom(unclean)})`;
    // Every necessary cause named: acks=all would not have acknowledged it before the whole ISR had it.
    if (acksMattered) return permitted('configuration', unclean && uncleanElectionNeeded(this.analysis.history, this.findings.nodeName, r, unclean) ? `acks=${acks} and ${uncleanText}` : `acks=${acks}`);
    if (uncleanText) return permitted('configuration', uncleanText);
    const chain = this.chainFlaws(r);
    const known = chain.find((c) => c.byVersion);
    if (known) return permitted('version', known.text);
    const version = this.versionFlaw(r);
    if (version) return permitted('version', version);
    if (chain.length > 0) return breach(chain[0].text);
    const config = this.analysis.lookup.topicConfig(r.partition);
    const producerAcks = r.outcome === 'acked' ? (this.analysis.lookup.producer(r.producer)?.acks ?? 'all') : 'all';
    const acked = producerAcks === 'all' ? 'acks=all' : `acks=${producerAcks} but every in-sync replica had it when acknowledged`;
    return breach(`${acked}, min.insync.replicas=${config['min.insync.replicas']}, no unclean election after the ack, an in-sync copy survived`);
  }

  /**
   * Whether the record was committed: the HW of its leader epoch passed it
   * (Partition.maybeIncrementLeaderHW), so acks=all would have acknowledged it then too.
   * For acks=0 (no offset known): whether every member of the ISR at the acknowledgement had
   * appended it, and every member the ISR took in after it, in the same leader epoch and before
   * the record was first removed, holds it too. A replica
   * joins only at the high watermark (Partition.maybeExpandIsr), so one that joined without the
   * record shows the HW never passed it: an acks=0/1 record the leader acknowledged before it was
   * committed (a pending expansion counts toward the HW before the controller commits it, KIP-497).
   */
  private reachedWholeIsr(r: RecordHistory): boolean {
    if (!this.appendedByWholeIsr(r)) return false;
    // Appended is not yet committed: a follower reports its copy at its next fetch, after its own
    // fsync where a flush policy made one. A record whose HW never passed it in its leader epoch
    // (the power went during the followers' fsync) had not reached the ISR as acks=all waits for.
    return r.ackOffset < 0 || this.analysis.history.committedAt(r.partition, r.ackOffset, r.ackLeaderEpoch) >= 0;
  }

  private appendedByWholeIsr(r: RecordHistory): boolean {
    const history = this.analysis.history;
    const isr = history.isrAt(r.partition, r.ackUs);
    const holders = new Set((r.holders ?? []).map(this.findings.nodeName));
    if (isr.length === 0 || !isr.every((b) => holders.has(b))) return false;
    // Within the leader epoch of the ack: until the next election (whose rules judge the record
    // from there) or the record's first removal.
    const elections = history.elections(r.partition);
    let untilUs = elections[firstElectionFrom(elections, r.ackUs)]?.timeUs ?? Infinity;
    for (const i of r.removals ?? []) untilUs = Math.min(untilUs, history.removals[i].timeUs);
    let before = isr;
    for (const c of history.isrChanges(r.partition)) {
      const added = c.isr.filter((b) => !before.includes(b));
      before = c.isr;
      if (c.timeUs <= r.ackUs || c.timeUs >= untilUs) continue;
      if (added.some((b) => !holders.has(b))) return false;
    }
    return true;
  }

  /** Binary search in the partition's unclean elections (cached), so classifying n records is n log n. */
  private firstUncleanElectionFrom(partition: string, timeUs: number): ElectionAt | undefined {
    const unclean = this.uncleanOf(partition);
    return unclean[firstElectionFrom(unclean, timeUs)];
  }

  private uncleanOf(partition: string): ElectionAt[] {
    let unclean = this.uncleanElections.get(partition);
    if (!unclean) {
      unclean = this.analysis.history.elections(partition).filter((e) => e.event.kind === 'unclean' && e.event.leader !== null);
      this.uncleanElections.set(partition, unclean);
    }
    return unclean;
  }

  /** The first unclean election that started a leader epoch newer than `epoch`, at any time. */
  private uncleanElectionAfterEpoch(partition: string, epoch: number): ElectionAt | undefined {
    if (epoch < 0) return undefined;
    return this.uncleanOf(partition).find((e) => e.event.leaderEpoch > epoch);
  }

  /** Why power or disk loss alone explains this loss, naming the faults, or null when it does not. */
  private storageLoss(r: RecordHistory): string | null {
    if (r.removals === null) return null;
    const removals = this.analysis.history.removals;
    const nodeName = this.findings.nodeName;
    /** Broker name -> time it lost the record to power or disk loss (first time). */
    const lostAt = new Map<string, number>();
    const causes = new Set<string>();
    for (const i of r.removals) {
      const removal = removals[i];
      if (removal.event.type !== 'log-lost') continue;
      const broker = nodeName(removal.node);
      if (!lostAt.has(broker)) lostAt.set(broker, removal.timeUs);
      causes.add(removal.event.cause);
    }
    if (lostAt.size === 0) return null;
    const cause = [...causes].sort().join(' and ');
    const endUs = Number.MAX_SAFE_INTEGER;
    const holders = (r.holders ?? []).filter((n) => !this.analysis.history.deletedCopy(r.partition, n, endUs)).map(nodeName);
    const allRemovalsStorage = r.removals.every((i) => removals[i].event.type === 'log-lost');
    // the faults are named only for the answer given (classify runs for every lost record)
    if (allRemovalsStorage && holders.every((h) => lostAt.has(h))) return `every replica that held it lost it to ${cause}${this.faults.named([...lostAt].map(([node, timeUs]) => ({ node, timeUs })))}`;
    const heldBy = new Set(holders);
    const elections = this.analysis.history.elections(r.partition);
    // From the acknowledgement, or from the send for a record acknowledged only after the loss (an
    // idempotent retry appended it anew: a consumer saw it at the offset the loss took, as 3.4's HW
    // advanced below min.insync.replicas let it, and inconsistent-offsets asks why it left there).
    const firstLossUs = Math.min(...lostAt.values());
    const fromUs = r.ackUs >= 0 && r.ackUs <= firstLossUs ? r.ackUs : r.sendUs;
    for (let i = firstElectionFrom(elections, fromUs); i < elections.length; i++) {
      const e = elections[i];
      const leader = e.event.leader;
      if (leader === null) continue;
      const leaderLostAt = lostAt.get(leader);
      if (leaderLostAt === undefined || leaderLostAt > e.timeUs) continue;
      // It was out of the ISR when it lost the record and back in it when elected: the ISR took it
      // back without the record, which no fault excuses (see staleIsrRejoin).
      if (!this.analysis.history.isrAt(r.partition, leaderLostAt).includes(leader) && e.event.isr.includes(leader)) continue;
      // Every in-sync copy: of the ISR the leader was elected from, the replica it replaced included
      // (in-sync-copies.ts, group-metadata-loss's rule too).
      const electedFrom = { isrBefore: this.analysis.history.isrAt(r.partition, e.timeUs - 1), isrAfter: e.event.isr };
      const heldAtElection = (m: string) => heldBy.has(m) && (lostAt.get(m) ?? Infinity) > e.timeUs;
      if (inSyncCopiesLeft(this.analysis.scenario, electedFrom, heldAtElection, (m) => this.eligibleLeaderReplica(r, lostAt, e.timeUs, m)).length > 0) continue;
      // The evidence decides, then the version: a replica standing with the record is KIP-966's
      // documented weakness without ELR, and with ELR a breach (last-replica-standing.ts).
      const standing = this.eligibleLeaderReplica(r, lostAt, e.timeUs);
      // Elected uncleanly (PartitionChangeBuilder.electAnyLeader: no ISR or ELR member alive) over
      // the replica standing with it, which Kafka would wait for otherwise: the configuration's (rule 3).
      if (standing !== null && e.event.kind === 'unclean') return null;
      // The faults that burned the elected leader's copy, not every copy's.
      const leaderFaults = this.faults.named([{ node: leader, timeUs: leaderLostAt }]);
      if (standing !== null) {
        const by = e.event.kind === 'last-known-leader' ? ' as the last known leader (KIP-966)' : '';
        const lastStanding = `${leader} lost it to ${cause}${leaderFaults} as the last ISR member and was elected at ${formatTimeUs(e.timeUs)}${by}, though ${standing.name}, which left the ISR below min.insync.replicas, still held it`;
        const verdict = lastReplicaStandingVerdict(this.analysis.scenario, standing, lastStanding);
        return verdict.by === 'version' ? `${KIP_966_WEAKNESS}${verdict.text}` : verdict.by === 'breach' ? `${ELR_BREACH}${verdict.text}` : verdict.text;
      }
      return `${leader} lost it to ${cause}${leaderFaults}, then was elected at ${formatTimeUs(e.timeUs)} with no in-sync copy left`;
    }
    return null;
  }

  /**
   * A replica that still held r at electionUs, having left the ISR after r's acknowledgement by a
   * shrink that took the ISR below min.insync.replicas: what KIP-966 puts in the ELR
   * (last-replica-standing.ts), or only `broker` when given. Null if none.
   */
  private eligibleLeaderReplica(r: RecordHistory, lostAt: ReadonlyMap<string, number>, electionUs: number, broker?: string): StandingReplica | null {
    const history = this.analysis.history;
    const nodeName = this.findings.nodeName;
    const minIsr = this.analysis.lookup.topicConfig(r.partition)['min.insync.replicas'];
    const removedBy = (node: number) => (r.removals ?? []).some((i) => history.removals[i].node === node && history.removals[i].timeUs <= electionUs);
    const candidate = (node: number) => broker === undefined || nodeName(node) === broker;
    const holders = (r.holders ?? []).filter((node) => candidate(node) && !lostAt.has(nodeName(node)) && !removedBy(node) && !history.deletedCopy(r.partition, node, electionUs));
    const nodeOf = new Map(holders.map((node) => [nodeName(node), node]));
    const evidence = { isrChanges: history.isrChanges(r.partition), uncleanRestartBetween: (b: string, fromUs: number, untilUs: number) => history.uncleanRestartBetween(nodeOf.get(b)!, fromUs, untilUs) };
    const window = { leftFromUs: r.ackUs, restartsFromUs: r.ackUs >= 0 ? r.ackUs : r.sendUs, electionUs };
    return standingReplica(evidence, [...nodeOf.keys()], () => true, minIsr, window);
  }

  /** The flaws on r's causal chain (chain steps, each explained), earliest first. */
  private chainFlaws(r: RecordHistory): ChainFlaw[] {
    const chain = [this.truncationOfLeadersCopy(r), this.missedBounce(r), staleIsrRejoin(this.analysis, this.findings.nodeName, r), this.divergedLeader(r), this.carriedBounce(r)];
    return chain.filter((c): c is ChainFlaw => c !== null).sort((x, y) => x.atUs - y.atUs);
  }

  /**
   * A broker that lost the record to power or disk loss, started again and led without the
   * controller having handled its bounce (KIP-380's motivation; since 2.2 broker epochs make the
   * controller handle the bounce as a failure, KafkaController.BrokerChange's bouncedBrokerIds:
   * leadership moves to a replica that has the record and the broker leaves the ISR until it
   * catches up). Four shapes: it took its leadership back with no election since the loss (the
   * controller still names it leader); it lost the record inside the ISR, stayed in the ISR with
   * the emptied log, and was elected from it; it was elected while its old session lived and led
   * from that election once its new process registered; or it lost it out of the ISR, was taken back in
   * before the controller would have handled its bounce (its old session's expiry, when the new
   * process registers) and stayed in past it, and was elected (what KIP-380's fix would have
   * undone: the stale expansion alone is staleIsrRejoin). Starts at the loss; null when that is
   * not what happened.
   */
  private missedBounce(r: RecordHistory): ChainFlaw | null {
    const history = this.analysis.history;
    // byVersion: a controller lacked KIP-380 between the loss and the leadership.
    const explained = (text: string, lostUs: number, leadUs: number): ChainFlaw => {
      const missedBy = this.analysis.versions.bounceMissedBetween(lostUs, leadUs);
      return { atUs: lostUs, text: missedBy === null ? text : `${text}: ${missedBy}: ${describeMissingFix('controllerDetectsBrokerBounce')}`, byVersion: missedBy !== null };
    };
    for (const i of r.removals ?? []) {
      const removal = history.removals[i];
      if (removal.event.type !== 'log-lost') continue;
      const broker = this.findings.nodeName(removal.node);
      const lost = `${broker} lost it to ${removal.event.cause} at ${formatTimeUs(removal.timeUs)}`;
      const took = history.leaderships(r.partition).find((l) => l.node === removal.node && l.timeUs > removal.timeUs);
      if (took && !history.elections(r.partition).some((e) => e.timeUs > removal.timeUs && e.timeUs <= took.timeUs))
        return explained(`${lost}, started again and took leadership of ${r.partition} back at ${formatTimeUs(took.timeUs)} with no election since: the controller missed its bounce`, removal.timeUs, took.timeUs);
      const elected = electedWithoutLeavingIsr(this.analysis.history, r.partition, broker, removal.timeUs);
      if (elected !== null)
        return explained(`${lost} inside the ISR, started again, stayed in the ISR without it and was elected leader of ${r.partition} at ${formatTimeUs(elected)}: the controller missed its bounce`, removal.timeUs, elected);
      const led = electedWithinOldSession(this.analysis, this.findings.nodeName, r.partition, removal.node, removal.timeUs);
      if (led !== null) {
        const when = `was elected leader of ${r.partition} at ${formatTimeUs(led.electedUs)} while its old session lived (expiring by ${formatTimeUs(led.expiryUs)} at the latest) and led it from ${formatTimeUs(led.ledUs)}, once its new process had registered`;
        return explained(`${lost}, started again, ${when}: the controller missed its bounce`, removal.timeUs, led.ledUs);
      }
      const rejoined = rejoinedBeforeBounceHandled(this.analysis, r.partition, broker, removal.timeUs);
      if (rejoined !== null && this.analysis.versions.bounceMissedBetween(removal.timeUs, rejoined.electedUs) !== null) {
        const back = `was taken back into the ISR without it at ${formatTimeUs(rejoined.rejoinUs)}, stayed in it through its old session's expiry (at ${formatTimeUs(rejoined.expiryUs)} at the earliest, when a controller that sees the bounce takes it out)`;
        const text = `${lost} out of the ISR, ${back} and was elected leader of ${r.partition} at ${formatTimeUs(rejoined.electedUs)}: the controller missed its bounce`;
        return explained(text, removal.timeUs, rejoined.electedUs);
      }
    }
    return null;
  }

  /**
   * A truncation of the record by a follower while the leader it followed (the last elected
   * before it) still had it: a removal only truncation to the high watermark makes (before KIP-101,
   * Log.truncateTo(highWatermark)); where the leader lacked it, the follower only followed the
   * leader, and what left the leader without it is the chain's start. Null when none did.
   */
  private truncationOfLeadersCopy(r: RecordHistory): ChainFlaw | null {
    const history = this.analysis.history;
    const elections = history.elections(r.partition);
    for (const i of r.removals ?? []) {
      const { timeUs, node, event: ev } = history.removals[i];
      if (ev.type !== 'truncate' || ev.reason !== 'high-watermark') continue;
      const then = this.analysis.versions.at(timeUs);
      if (!then.lacks('truncationByLeaderEpoch', node)) continue;
      const leader = elections[countUntil(elections, timeUs) - 1]?.event.leader ?? null;
      if (leader === null || !this.held(r, leader, timeUs)) continue;
      // A power or disk loss of the same replica before it led would have taken the record anyway.
      const broker = this.findings.nodeName(node);
      const ledUs = elections.find((e) => e.timeUs > timeUs && e.event.leader === broker)?.timeUs ?? Infinity;
      if (this.wipedBetween(r, broker, timeUs, ledUs, 'log-lost')) continue;
      const text = `${then.label('truncationByLeaderEpoch', node)}: truncation to the high watermark (${describeMissingFix('truncationByLeaderEpoch')}): ${this.findings.nodeName(node)} cut it at ${formatTimeUs(timeUs)}, though the leader ${leader} still had it`;
      return { atUs: timeUs, text, byVersion: true };
    }
    return null;
  }

  /**
   * The first leader elected after r's acknowledgement without r, where it held another record at
   * r's offset kept by a flawed follower path (a protocol-flaw event: its log reached past the
   * offset, from below what the fixed version would have cut): its replica diverged from the log
   * that acknowledged r, as log-divergence explains the same offsets. Null otherwise.
   */
  private divergedLeader(r: RecordHistory): ChainFlaw | null {
    if (r.ackOffset < 0) return null;
    const history = this.analysis.history;
    const nodeName = this.findings.nodeName;
    const elections = history.elections(r.partition);
    for (let i = firstElectionFrom(elections, r.ackUs); i < elections.length; i++) {
      const { timeUs: electedUs, event: e } = elections[i];
      if (e.leader === null || this.held(r, e.leader, electedUs)) continue;
      const kept = history.protocolFlaws.find(
        (f) => f.timeUs <= electedUs && f.event.partition === r.partition && nodeName(f.node) === e.leader && f.event.logEndOffset > r.ackOffset && r.ackOffset >= (f.event.keptFromOffset ?? 0),
      );
      if (kept === undefined || this.wipedBetween(r, e.leader, kept.timeUs, electedUs)) return null;
      const then = `, so at offset ${r.ackOffset} it held its own record where the leader that acknowledged this one had written it, and was elected at ${formatTimeUs(electedUs)}`;
      const text = `${flawPathLabel(this.analysis.versions, kept, elections)}: ${describeFlawPath(kept, e.leader, then)}`;
      return { atUs: kept.timeUs, text, byVersion: true };
    }
    return null;
  }

  /**
   * The first leader elected after r's acknowledgement without r, when it carried the log of a
   * leader whose bounce the controller missed (missed-bounce.ts): that leader retook the partition
   * in its old epoch from what its disk kept and wrote the epoch anew, r among it, while a follower
   * that truncated against it kept its own record at r's offset (the same epoch on both, so
   * truncation by leader epoch keeps it as truncation to the high watermark does), then was
   * elected. Starts at the election (the reason names the bounce); null otherwise.
   */
  private carriedBounce(r: RecordHistory): ChainFlaw | null {
    if (r.ackOffset < 0) return null;
    const elections = this.analysis.history.elections(r.partition);
    const e = elections.slice(firstElectionFrom(elections, r.ackUs)).find((x) => x.event.leader !== null && !this.held(r, x.event.leader, x.timeUs));
    if (e === undefined) return null;
    const key = `${r.partition} ${e.timeUs}`;
    if (!this.carriedBounces.has(key)) {
      const election = { leader: e.event.leader!, epoch: e.event.leaderEpoch, electionUs: e.timeUs };
      const carried = missedBounceAtElection(this.analysis, this.findings.nodeName, r.partition, bounceEvidenceOf(this.analysis.history, r.partition), election);
      const text = `${carried?.reason}; ${election.leader} carried that log and was elected at ${formatTimeUs(e.timeUs)} holding its own record where this one had been acknowledged`;
      this.carriedBounces.set(key, carried === undefined ? null : { atUs: e.timeUs, text, byVersion: carried.byVersion });
    }
    return this.carriedBounces.get(key)!;
  }

  /**
   * Whether `broker`'s log lost what it held at r's offset between fromUs and untilUs (a truncation
   * or a power or disk loss down to it or below; only the latter with `only`): what a flawed path
   * kept there, or what a flawed truncation cut, is gone either way, so that path is not what the
   * replica's log came from (a disk loss after it wipes it, say).
   */
  private wipedBetween(r: RecordHistory, broker: string, fromUs: number, untilUs: number, only?: 'log-lost'): boolean {
    const nodeName = this.findings.nodeName;
    return this.analysis.history.removals.some(
      ({ timeUs, node, event }) =>
        timeUs > fromUs && timeUs <= untilUs && event.partition === r.partition && firstRemovedOffset(event) <= r.ackOffset && (only === undefined || event.type === only) && nodeName(node) === broker,
    );
  }

  /** Whether broker held r at timeUs: it appended r and had not removed it by then. */
  private held(r: RecordHistory, broker: string, timeUs: number): boolean {
    const nodeName = this.findings.nodeName;
    if (!(r.holders ?? []).some((n) => nodeName(n) === broker)) return false;
    const removals = this.analysis.history.removals;
    return !(r.removals ?? []).some((i) => removals[i].timeUs <= timeUs && nodeName(removals[i].node) === broker);
  }

  /** A removal of r its era is known to make, naming the fix (when no flaw shows on r's chain); null otherwise. */
  private versionFlaw(r: RecordHistory): string | null {
    for (const i of r.removals ?? []) {
      const { timeUs, node, event: ev } = this.analysis.history.removals[i];
      if (ev.type !== 'truncate') continue;
      // What the truncating broker ran then (the scenario's version, unless upgraded).
      const then = this.analysis.versions.at(timeUs);
      if (ev.reason === 'high-watermark' && then.lacks('truncationByLeaderEpoch', node))
        return `${then.label('truncationByLeaderEpoch', node)}: truncation to the high watermark (${describeMissingFix('truncationByLeaderEpoch')})`;
      if (ev.reason === 'leader-epoch' && then.lacks('truncationWalksBackEpochs', node))
        return `${then.label('truncationWalksBackEpochs', node)}: leader-epoch truncation (${describeMissingFix('truncationWalksBackEpochs')})`;
    }
    return null;
  }
}

