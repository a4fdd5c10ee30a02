// lost-write: an acknowledged record (send-ok) missing from its partition's final log, i.e. the
// leader's log at the end of the run (see analysis/final-logs.ts for the definition, the committed
// prefix below the HW, and offline partitions, where only a record on no replica at all is lost).
//
// Classified per record, first rule that applies:
// - permitted, acks=0/1: the producer did not wait for the in-sync replicas.
// - permitted, unclean election: an unclean election on the partition at or after the ack, or one
//   that superseded the ack's leader epoch (a replica outside the ISR became leader and the others
//   truncated to it; a zombie leader cut off from the controller may still acknowledge in its old
//   epoch just after such an election, alone if min.insync.replicas lets it).
// - permitted, power/disk loss: every replica that appended the record lost it to power loss
//   (unflushed page cache) or disk loss; or a replica that had lost it that way was then elected
//   while no member of the new ISR still held it (the only in-sync copies were the lost ones).
//   Permitted by the fault load, not the configuration (permittedBy: 'fault-load').
// - breach otherwise: under acks=all an acknowledged record must survive while one in-sync copy
//   does. A breach is a bug in the model or a known loss of the simulated protocol era.
// Explained from the events: the ack (time, offset, leader epoch, leader), the truncations and log
// losses that removed it (replica, offsets, reason, time), and the elections after the ack.

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { Violation } from '../../../src/sim/model.ts';
import { formatTimeUs } from '../../../src/sim/time.ts';
import type { KafkaRunAnalysis, KafkaRunFindings } from '../analysis/kafka-run-analysis.ts';
import type { ElectionAt, RecordHistory } from '../analysis/kafka-history.ts';
import { comparePartitions } from '../analysis/partition-name.ts';
import { groupFindings, groupViolation, RECORDS_NAMED_MAX, type ClassifiedFinding } from './grouped-violations.ts';
import { describeAck, describeElection, describeRemoval, firstElectionFrom, plural, recordName } from './kafka-terms.ts';
import { protocolFeaturesOf } from '../version/protocol-features.ts';

const REMOVALS_EXPLAINED_MAX = 4;
const ELECTIONS_EXPLAINED_MAX = 3;

export class LostWriteChecker implements Checker {
  readonly name = 'lost-write';
  private readonly uncleanElections = new Map<string, ElectionAt[]>();

  /** Reads the shared analysis; the run's events reach it through the RunSummaryChecker. */
  constructor(private readonly analysis: KafkaRunAnalysis) {}

  finish(run: RunView): Violation[] {
    const findings = this.analysis.conclude(run);
    const lost = [...findings.lost.lost].sort(
      (a, b) => comparePartitions(a.partition, b.partition) || a.ackOffset - b.ackOffset || a.record - b.record,
    );
    const classified = lost.map((r) => this.classify(r, findings));
    return groupFindings(classified).map((group) => {
      const records = group.items;
      const first = records[0];
      const named = records.slice(0, RECORDS_NAMED_MAX).map((r) => `${recordName(r.record)}@${r.ackOffset}`);
      const more = records.length > named.length ? `, and ${records.length - named.length} more` : '';
      const body =
        `${plural(records.length, 'acknowledged record')} missing from the final log of ${group.partition} ` +
        `(${this.describeLog(group.partition, findings)}): ${named.join(', ')}${more}. ` +
        `${recordName(first.record)}: ${this.explain(first, findings)}`;
      return groupViolation(this.name, group, body, {
        records: records.slice(0, RECORDS_NAMED_MAX).map((r) => r.record),
        ackOffsets: records.slice(0, RECORDS_NAMED_MAX).map((r) => r.ackOffset),
        producers: [...new Set(records.map((r) => r.producer))].sort(),
      });
    });
  }

  private classify(r: RecordHistory, findings: KafkaRunFindings): ClassifiedFinding<RecordHistory> {
    const permitted = (reason: string): ClassifiedFinding<RecordHistory> => ({
      partition: r.partition,
      classification: 'permitted',
      reason,
      item: r,
    });
    const acks = this.analysis.lookup.producer(r.producer)?.acks ?? 'all';
    if (acks !== 'all') return permitted(`acks=${acks}`);
    const unclean = this.firstUncleanElectionFrom(r.partition, r.ackUs) ?? this.uncleanElectionAfterEpoch(r.partition, r.ackLeaderEpoch);
    if (unclean) {
      return permitted(`unclean election of ${unclean.event.leader} at ${formatTimeUs(unclean.timeUs)} (epoch ${unclean.event.leaderEpoch}, LEO ${unclean.event.leaderLogEndOffset})`);
    }
    const storageLoss = this.storageLoss(r, findings);
    if (storageLoss) return { ...permitted(storageLoss), permittedBy: 'fault-load' };
    const config = this.analysis.lookup.topicConfig(r.partition);
    return {
      partition: r.partition,
      classification: 'breach',
      reason: `acks=all, min.insync.replicas=${config['min.insync.replicas']}, no unclean election after the ack, an in-sync copy survived`,
      item: r,
    };
  }

  /** Binary search in the partition's unclean elections (cached), so classifying n records is n log n. */
  private firstUncleanElectionFrom(partition: string, timeUs: number): ElectionAt | undefined {
    let unclean = this.uncleanElections.get(partition);
    if (!unclean) {
      unclean = this.analysis.history.elections(partition).filter((e) => e.event.kind === 'unclean' && e.event.leader !== null);
      this.uncleanElections.set(partition, unclean);
    }
    return unclean[firstElectionFrom(unclean, timeUs)];
  }

  /** The first unclean election that started a leader epoch newer than `epoch`, at any time. */
  private uncleanElectionAfterEpoch(partition: string, epoch: number): ElectionAt | undefined {
    this.firstUncleanElectionFrom(partition, 0); // fills the cache
    for (const e of this.uncleanElections.get(partition)!) if (e.event.leaderEpoch > epoch) return e;
    return undefined;
  }

  /** Why power or disk loss excuses this loss, or null when it does not. */
  private storageLoss(r: RecordHistory, findings: KafkaRunFindings): string | null {
    if (r.removals === null) return null;
    const removals = this.analysis.history.removals;
    /** Broker name -> time it lost the record to power or disk loss (first time). */
    const lostAt = new Map<string, number>();
    const causes = new Set<string>();
    for (const i of r.removals) {
      const removal = removals[i];
      if (removal.event.type !== 'log-lost') continue;
      const broker = findings.nodeName(removal.node);
      if (!lostAt.has(broker)) lostAt.set(broker, removal.timeUs);
      causes.add(removal.event.cause);
    }
    if (lostAt.size === 0) return null;
    const cause = [...causes].sort().join(' and ');
    const holders = (r.holders ?? []).map(findings.nodeName);
    const allRemovalsStorage = r.removals.every((i) => removals[i].event.type === 'log-lost');
    if (allRemovalsStorage && holders.every((h) => lostAt.has(h))) {
      return `every replica that held it lost it to ${cause}`;
    }
    const heldBy = new Set(holders);
    const elections = this.analysis.history.elections(r.partition);
    for (let i = firstElectionFrom(elections, r.ackUs); i < elections.length; i++) {
      const e = elections[i];
      const leader = e.event.leader;
      if (leader === null) continue;
      const leaderLostAt = lostAt.get(leader);
      if (leaderLostAt === undefined || leaderLostAt > e.timeUs) continue;
      const noIsrCopy = e.event.isr.every((m) => !heldBy.has(m) || (lostAt.get(m) ?? Infinity) <= e.timeUs);
      if (noIsrCopy) return `${leader} lost it to ${cause}, then was elected at ${formatTimeUs(e.timeUs)} with no in-sync copy left`;
    }
    return null;
  }

  private describeLog(partition: string, findings: KafkaRunFindings): string {
    const log = findings.logs.get(partition);
    if (!log) return 'partition missing from the final state';
    if (!log.online) return 'offline at the end, on no replica';
    const ref = log.reference!;
    return `leader ${ref.broker}, epoch ${log.state.leaderEpoch}, LEO ${ref.logEndOffset}, HW ${ref.highWatermark}`;
  }

  private explain(r: RecordHistory, findings: KafkaRunFindings): string {
    // What happened to the record after its ack, in time order: its removals and the elections.
    const timeline: { timeUs: number; text: string }[] = [];
    const removals = r.removals ?? [];
    for (const i of removals.slice(0, REMOVALS_EXPLAINED_MAX)) {
      const removal = this.analysis.history.removals[i];
      timeline.push({ timeUs: removal.timeUs, text: describeRemoval(removal, findings.nodeName) });
    }
    const elections = this.analysis.history.elections(r.partition);
    const after = elections.slice(firstElectionFrom(elections, r.ackUs));
    for (const e of after.slice(0, ELECTIONS_EXPLAINED_MAX)) timeline.push({ timeUs: e.timeUs, text: describeElection(e) });
    timeline.sort((a, b) => a.timeUs - b.timeUs);
    const parts = [`sent by ${r.producer} at ${formatTimeUs(r.sendUs)}, ${describeAck(r)}`, ...timeline.map((t) => t.text)];
    if (removals.length > REMOVALS_EXPLAINED_MAX) parts.push(`${removals.length - REMOVALS_EXPLAINED_MAX} more removals`);
    if (after.length > ELECTIONS_EXPLAINED_MAX) parts.push(`${after.length - ELECTIONS_EXPLAINED_MAX} more elections`);
    if (removals.length === 0 && after.length === 0) parts.push('no truncation, log loss or election of it was reported');
    const era = this.analysis.scenario.era;
    const hwTruncated = removals.some((i) => {
      const ev = this.analysis.history.removals[i].event;
      return ev.type === 'truncate' && ev.reason === 'high-watermark';
    });
    if (hwTruncated && !protocolFeaturesOf(era).truncationByLeaderEpoch) parts.push('truncation to the high watermark is the known pre-KIP-101 loss of this era');
    return parts.join('; ');
  }
}
