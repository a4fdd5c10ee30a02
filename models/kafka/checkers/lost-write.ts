// lost-write: an acknowledged record (send-ok) missing from its partition's final log, i.e. the
// leader's log at the end of the run (see analysis/final-logs.ts for the definition, the committed
// prefix below the HW, and offline partitions, where only a record on no replica at all is lost).
//
// Classified per record by LossCauses (loss-causes.ts): permitted by the fault load when no copy
// survived anything but power or disk loss (before any configuration rule: an unclean election
// after every in-sync copy burned is not what lost it), permitted by the configuration for acks=0/1
// or an unclean election after the ack, permitted by the simulated version for a removal its era is
// known to make (naming the KIP), a breach otherwise.
// Explained from the events: the ack (time, offset, leader epoch, leader), the truncations and log
// losses that removed it (replica, offsets, reason, time), and the elections after the ack.

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { Violation } from '../../../src/sim/model.ts';
import { formatTimeUs } from '../../../src/sim/time.ts';
import type { KafkaRunAnalysis, KafkaRunFindings } from '../analysis/kafka-run-analysis.ts';
import type { RecordHistory } from '../analysis/kafka-history.ts';
import { comparePartitions } from '../analysis/partition-name.ts';
import { groupFindings, groupViolation, RECORDS_NAMED_MAX, type ClassifiedFinding } from './grouped-violations.ts';
import { describeAck, describeElection, describeRemoval, firstElectionFrom, plural, recordName } from './kafka-terms.ts';
import { protocolOf } from '../version/kafka-versions.ts';
import { flawsNamedIn } from '../version/protocol-features.ts';
import type { LossCauses } from './loss-causes.ts';
import type { RunCauses } from './run-causes.ts';

const REMOVALS_EXPLAINED_MAX = 4;
const ELECTIONS_EXPLAINED_MAX = 3;

export class LostWriteChecker implements Checker {
  readonly name = 'lost-write';

  /** Reads the shared analysis; the run's events reach it through the RunSummaryChecker. */
  constructor(
    private readonly analysis: KafkaRunAnalysis,
    private readonly causes: RunCauses,
  ) {}

  finish(run: RunView): Violation[] {
    const findings = this.analysis.conclude(run);
    const lost = [...findings.lost.lost].sort(
      (a, b) => comparePartitions(a.partition, b.partition) || a.ackOffset - b.ackOffset || a.record - b.record,
    );
    const loss = this.causes.of(run).loss;
    const classified = lost.map((r) => this.classify(r, loss));
    return groupFindings(classified).map((group) => {
      const records = group.items;
      const first = records[0];
      const named = records.slice(0, RECORDS_NAMED_MAX).map((r) => `${recordName(r.record)}@${r.ackOffset}`);
      const more = records.length > named.length ? `, and ${records.length - named.length} more` : '';
      const body =
        `${plural(records.length, 'acknowledged record')} missing from the final log of ${group.partition} ` +
        `(${this.describeLog(group.partition, findings)}): ${named.join(', ')}${more}. ` +
        `${recordName(first.record)}: ${this.explain(first, findings, loss)}${keptByExitNote(records, findings)}`;
      return groupViolation(this.name, group, body, {
        records: records.slice(0, RECORDS_NAMED_MAX).map((r) => r.record),
        ackOffsets: records.slice(0, RECORDS_NAMED_MAX).map((r) => r.ackOffset),
        producers: [...new Set(records.map((r) => r.producer))].sort(),
      });
    });
  }

  private classify(r: RecordHistory, loss: LossCauses): ClassifiedFinding<RecordHistory> {
    const cause = loss.classify(r);
    return { partition: r.partition, classification: cause.classification, permittedBy: cause.permittedBy, reason: cause.reason, item: r };
  }

  private describeLog(partition: string, findings: KafkaRunFindings): string {
    const log = findings.logs.get(partition);
    if (!log) return 'partition missing from the final state';
    if (!log.online) return 'offline at the end, on no replica';
    const ref = log.reference!;
    return `leader ${ref.broker}, epoch ${log.state.leaderEpoch}, LEO ${ref.logEndOffset}, HW ${ref.highWatermark}`;
  }

  private explain(r: RecordHistory, findings: KafkaRunFindings, loss: LossCauses): string {
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
    const hwTruncated = removals.some((i) => {
      const ev = this.analysis.history.removals[i].event;
      return ev.type === 'truncate' && ev.reason === 'high-watermark';
    });
    // Only when that is what the record's cause blames: a truncation to the HW under a leader
    // without the record (a missed bounce's empty leader, say) only followed it.
    const blamesKip101 = () => flawsNamedIn([loss.classify(r).reason]).includes('KIP-101');
    if (hwTruncated && !protocolOf(this.analysis.scenario).truncationByLeaderEpoch && blamesKip101()) parts.push('truncation to the high watermark is the known pre-KIP-101 loss of this era');
    return parts.join('; ');
  }
}

/**
 * What survives of records kept by a broker that exited rather than truncate (before 2.1,
 * broker/truncation-halt.ts): a copy on that disk, which the cluster does not serve; empty when
 * none of `records` is so kept.
 */
function keptByExitNote(records: readonly RecordHistory[], findings: KafkaRunFindings): string {
  const kept = records.filter((r) => findings.lost.keptByExitIds.has(r.record)).length;
  if (kept === 0) return '';
  const which = kept === records.length ? (kept === 1 ? 'it' : 'all of them') : `${kept} of them`;
  return (
    `. A copy of ${which} survives only on the disk of a broker that exited rather than truncate (before 2.1, KAFKA-7414: ` +
    `its ReplicaFetcherThread exits when the leader's log ends below its own and unclean.leader.election.enable is false); ` +
    `the cluster reads and writes on without them, and only an operator can recover them from that disk`
  );
}
