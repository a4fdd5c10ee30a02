// inconsistent-offsets (Jepsen's name): one offset of a partition held two different records, as
// the clients saw it: an acknowledgement and a poll, or two polls, disagree about what is at that
// offset (analysis/version-orders.ts). Kafka reassigns an offset only when it truncates a log and
// writes it again.
//
// Explained by the record that was displaced (the one no longer at that offset in the final log;
// where the final log cannot show the offset, below its start or in a partition offline at the end
// whose reference log lost it, the record acknowledged there in the latest leader epoch that some
// replica still holds is the survivor):
// why it was removed, by loss-causes.ts (acks=0/1 or an unclean election: configuration; every
// in-sync copy lost: the fault load; a protocol flaw of the era: the version; otherwise a breach).
// A displaced record that was never removed but still sits at that offset on another replica
// comes from replicas that diverged: it takes the divergence's cause (log-divergence.ts: an
// unclean election, a leader that lost the offset to storage loss, the era's flaw such as
// KIP-279's fast failover; where that finds nothing, KAFKA-7415's evidence for the replica holding
// it, as log-divergence takes it for a pair: a brief leader that kept its epoch's records before
// 2.1; else a breach). One that was never removed and sits nowhere at that
// offset (or at another offset) is a breach: the leader assigned or reported offsets wrongly.

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { Violation } from '../../../src/sim/model.ts';
import type { InconsistentOffset } from '../analysis/version-orders.ts';
import { mostSevere, readName } from './client-analyses.ts';
import type { ClientAnalyses } from './client-analyses.ts';
import { groupFindings, groupViolation, RECORDS_NAMED_MAX, type ClassifiedFinding } from './grouped-violations.ts';
import { breach, permitted, type Cause } from './loss-causes.ts';
import { divergenceCause, epochCacheFlawAt } from './log-divergence.ts';
import { plural } from './kafka-terms.ts';
import type { RunCauses } from './run-causes.ts';
import type { KafkaRunAnalysis } from '../analysis/kafka-run-analysis.ts';
import type { PartitionFinalLog } from '../analysis/final-logs.ts';

/** Whether the final log holds the record at that offset: its first place, or a retried copy's later one. */
function holdsAt(log: PartitionFinalLog, record: number, offset: number): boolean {
  return log.firstOffset.get(record) === offset || (log.duplicateOffsets.get(record)?.includes(offset) ?? false);
}

export class InconsistentOffsetsChecker implements Checker {
  readonly name = 'inconsistent-offsets';

  constructor(
    private readonly analysis: KafkaRunAnalysis,
    private readonly clients: ClientAnalyses,
    private readonly causes: RunCauses,
  ) {}

  finish(run: RunView): Violation[] {
    const orders = this.clients.orders();
    if (orders.errors.length === 0) return [];
    const classified = orders.errors.map((e): ClassifiedFinding<InconsistentOffset> => {
      const cause = this.classify(run, e);
      return { partition: e.key, classification: cause.classification, permittedBy: cause.permittedBy, reason: cause.reason, item: e };
    });
    return groupFindings(classified).map((group) => {
      const items = group.items;
      const named = items.slice(0, RECORDS_NAMED_MAX).map((e) => `offset ${e.offset}: ${e.values.map((v) => readName(v, null)).join(', ')}`);
      const more = items.length > named.length ? `, and ${items.length - named.length} more` : '';
      return groupViolation(this.name, group, `${plural(items.length, 'offset')} of ${group.partition} held two records: ${named.join('; ')}${more}`, {
        offsets: items.slice(0, RECORDS_NAMED_MAX).map((e) => e.offset),
        values: items.slice(0, RECORDS_NAMED_MAX).map((e) => e.values),
      });
    });
  }

  private classify(run: RunView, e: InconsistentOffset): Cause {
    const { loss } = this.causes.of(run);
    const log = this.analysis.conclude(run).logs.get(e.key);
    const causes: Cause[] = [];
    const survivor = this.survivorOutsideFinalLog(run, e);
    for (const v of e.values) {
      const r = typeof v === 'number' ? this.analysis.history.records.get(v) : undefined;
      if (!r) {
        causes.push(breach(`${readName(v, e.offset)} was never sent`));
        continue;
      }
      if ((log !== undefined && holdsAt(log, r.record, e.offset)) || r.record === survivor) continue; // the survivor
      const deletedByRetention = log?.reference !== null && log?.reference !== undefined && e.offset < log.reference.logStartOffset;
      if (!r.removals && deletedByRetention) continue; // the survivor, since deleted by retention
      const holder = r.removals ? undefined : this.replicaHolding(run, e.key, e.offset, r.record);
      if (r.removals) causes.push(loss.classify(r));
      else if (holder !== undefined) {
        // Still at that offset on a replica that diverged from the final log (its old leader, say):
        // acknowledged by acks=0/1 before the ISR had it, the producer's setting lost it;
        // otherwise the divergence's cause, with KAFKA-7415's evidence for that replica as
        // log-divergence takes it (a brief leader that kept its epoch's records).
        const acks = loss.acksThatMattered(r);
        if (acks !== null) causes.push(permitted('configuration', `acks=${acks}: the displaced record was acknowledged before every in-sync replica had it`));
        else {
          const cause = divergenceCause(this.analysis, e.key, e.offset, (n) => this.analysis.conclude(run).nodeName(n));
          causes.push((cause.classification === 'breach' ? epochCacheFlawAt(this.analysis, run, e.key, e.offset, holder) : null) ?? cause);
        }
      } else {
        const at = log?.firstOffset.get(r.record);
        causes.push(breach(`${readName(v, e.offset)} was never removed from ${e.key}${at === undefined ? '' : `; it is at offset ${at}`}`));
      }
    }
    return causes.length > 0 ? mostSevere(causes) : breach(`the final log of ${e.key} holds none of them at offset ${e.offset}`);
  }

  /**
   * The record the offset ended with when the final log cannot show it, else undefined:
   * - below the final log's start (retention, DeleteRecords): the one acknowledged there in the
   *   latest leader epoch;
   * - in a partition offline at the end whose reference log holds none of the offset's records (its
   *   last leader lost them to power loss and never led again, say: a bounce the ZooKeeper
   *   controller missed): the one acknowledged there in the latest leader epoch that a replica
   *   still holds at that offset. The others were displaced; it was not, it is only unreachable.
   */
  private survivorOutsideFinalLog(run: RunView, e: InconsistentOffset): number | undefined {
    const log = this.analysis.conclude(run).logs.get(e.key);
    const ref = log?.reference;
    if (!log || !ref) return undefined;
    const belowStart = e.offset < ref.logStartOffset;
    const unshown = !log.online && !e.values.some((v) => typeof v === 'number' && holdsAt(log, v, e.offset));
    if (!belowStart && !unshown) return undefined;
    let best: { record: number; epoch: number } | undefined;
    for (const v of e.values) {
      const r = typeof v === 'number' ? this.analysis.history.records.get(v) : undefined;
      if (!r || r.ackOffset !== e.offset) continue;
      if (!belowStart && !this.heldBySomeReplica(run, e.key, e.offset, r.record)) continue;
      if (best === undefined || r.ackLeaderEpoch > best.epoch) best = { record: r.record, epoch: r.ackLeaderEpoch };
    }
    return best?.record;
  }

  /** Whether some replica's final log (alive or not) holds the record at that offset. */
  private heldBySomeReplica(run: RunView, partition: string, offset: number, record: number): boolean {
    return this.replicaHolding(run, partition, offset, record) !== undefined;
  }

  /** The first replica whose final log (alive or not) holds the record at that offset; undefined if none. */
  private replicaHolding(run: RunView, partition: string, offset: number, record: number): string | undefined {
    const state = this.analysis.conclude(run).final?.partitions.find((p) => p.partition === partition);
    return state?.logs.find((l) => offset >= l.logStartOffset && l.records[offset - l.logStartOffset] === record)?.broker;
  }
}
