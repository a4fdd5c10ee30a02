// duplicate: a record present more than once in its partition's final log (the leader's log; for an
// offline partition, the reference log of analysis/final-logs.ts). The usual cause is a producer
// retry of a batch the broker had in fact appended (the response was lost or timed out).
//
// Classified by the producer's configuration:
// - permitted when enable.idempotence=false and retries > 0: Kafka promises at-least-once then.
// - breach otherwise: an idempotent producer's retry carries the same sequence number and the
//   leader drops it (also across a leader change, the producer state is replicated); with
//   retries=0 nothing is ever resent. A record unknown to the history is a breach too.
// - but a copy at an offset where the replicas' final logs disagree is what that divergence left
//   behind (a leader that rewrote offsets after a restart its controller missed, say): the
//   divergence's cause, as log-divergence classifies it; and copies past a log a follower spliced
//   after an UNDEFINED_EPOCH_OFFSET answer (before KAFKA-7415, spliced-log.ts) are that flaw's.
// - An idempotent producer before KIP-360 (1.0-2.4) that re-sent the record under sequences
//   restarted at 0 on UNKNOWN_PRODUCER_ID (sequences-reset: its last acknowledged offset below the
//   leader's log start offset) while an earlier attempt may have been in the log is named in the
//   reason (KIP-360's first motivation: "resetting the sequence number is safe only if we are
//   guaranteed that the produce request was not written"), but stays a breach, not the version's
//   flaw: the leader took the resend as new only because it had no state for a producer whose copy
//   it still held, and a 2.5+ leader without that state accepts the original retry at any sequence,
//   a duplicate too. (A producer id reset writes nothing twice: RecordAccumulator.drain never gives
//   a sequenced batch the new id, and Sender.completeBatch drops the old id's retries.)
// - An idempotent producer's record first written in a batch a leader accepted at a sequence above
//   0 with no state for the producer id, ahead of lower sequences still in flight, and again after
//   the earlier-sent records written behind it (the epoch bump re-sequenced the unfinished batches
//   from 0, this one among them): KAFKA-15591's (sequence-gap-accepted.ts), permitted by the version.
// Explained with every copy's offset and leader epoch and the record's outcome as the client saw it.

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { Violation } from '../../../src/sim/model.ts';
import type { DuplicatedRecord } from '../analysis/duplicate-records.ts';
import type { KafkaRunAnalysis } from '../analysis/kafka-run-analysis.ts';
import { groupFindings, groupViolation, RECORDS_NAMED_MAX, type ClassifiedFinding } from './grouped-violations.ts';
import { describeOutcome, plural, recordName } from './kafka-terms.ts';
import { divergenceAtAny } from './log-divergence.ts';
import { splicedLogBehind } from './spliced-log.ts';
import { gapAcceptedCause, sequenceGapsAccepted, type SequenceGapAccepted } from './sequence-gap-accepted.ts';
import { formatTimeUs } from '../../../src/sim/time.ts';

export class DuplicateChecker implements Checker {
  readonly name = 'duplicate';

  /** Reads the shared analysis; the run's events reach it through the RunSummaryChecker. */
  constructor(private readonly analysis: KafkaRunAnalysis) {}

  finish(run: RunView): Violation[] {
    const findings = this.analysis.conclude(run);
    const classified = findings.duplicates.map((d) => this.classify(run, d, findings.nodeName));
    return groupFindings(classified).map((group) => {
      const dups = group.items;
      const named = dups.slice(0, RECORDS_NAMED_MAX).map((d) => `${recordName(d.record)}@${d.offsets.join('+')}`);
      const more = dups.length > named.length ? `, and ${dups.length - named.length} more` : '';
      const body =
        `${plural(dups.length, 'record')} more than once in the final log of ${group.partition}: ${named.join(', ')}${more}. ` +
        this.explain(dups[0]);
      return groupViolation(this.name, group, body, {
        records: dups.slice(0, RECORDS_NAMED_MAX).map((d) => d.record),
        offsets: dups.slice(0, RECORDS_NAMED_MAX).map((d) => d.offsets),
        extraCopies: dups.reduce((n, d) => n + d.offsets.length - 1, 0),
      });
    });
  }

  private classify(run: RunView, d: DuplicatedRecord, nodeName: (node: number) => string): ClassifiedFinding<DuplicatedRecord> {
    const r = this.analysis.history.records.get(d.record);
    const producer = r ? this.analysis.lookup.producer(r.producer) : undefined;
    let reason: string;
    let permitted = false;
    // A copy at an offset where the replicas diverged is what the divergence left in the log: its cause.
    const divergence = r && producer && (producer.idempotent || producer.retries === 0) ? divergenceAtAny(this.analysis, run, d.partition, d.offsets, nodeName) : null;
    if (divergence) return { partition: d.partition, classification: divergence.classification, permittedBy: divergence.permittedBy, reason: `the replicas diverged where a copy sits: ${divergence.reason}`, item: d };
    // Past a log a flawed follower path spliced (before KAFKA-7415): the producer's history on that leader had a hole.
    const spliced = r && producer && (producer.idempotent || producer.retries === 0) ? splicedLogBehind(this.analysis, run, d.partition, r.producer, d.offsets, nodeName) : null;
    if (spliced) return { partition: d.partition, classification: spliced.classification, permittedBy: spliced.permittedBy, reason: `the leader's log was spliced before the copies: ${spliced.reason}`, item: d };
    // A batch a leader took past a sequence gap, written again under the epoch bumped to fill the gap: KAFKA-15591.
    const gap = r && producer?.idempotent ? this.writtenAgainAfterGap(run, r.producer, d) : undefined;
    if (gap) {
      const cause = gapAcceptedCause(gap, nodeName);
      const reason = `enable.idempotence=true: the leader drops a retried batch by its sequence number, but ${cause.reason}; ${r!.producer} then re-sent it under a bumped producer epoch, from sequence 0`;
      return { partition: d.partition, classification: cause.classification, permittedBy: cause.permittedBy, reason, item: d };
    }
    if (!r) reason = 'record never sent';
    else if (!producer) reason = `producer ${r.producer} not in the scenario`;
    else if (producer.idempotent) reason = 'enable.idempotence=true: the leader drops a retried batch by its sequence number' + this.resentUnderResetSequences(r.producer, d);
    else if (producer.retries === 0) reason = 'retries=0: the producer never resends';
    else {
      permitted = true;
      reason = `enable.idempotence=false with retries=${producer.retries}: a retried batch is appended again`;
    }
    return { partition: d.partition, classification: permitted ? 'permitted' : 'breach', reason, item: d };
  }

  /**
   * The batch a leader accepted past a gap (sequence-gap-accepted.ts) whose resend wrote `d` again:
   * its first copy lies from that batch to the first earlier-sent record written behind it (the
   * leader's history of the producer began there), another copy after that record.
   */
  private writtenAgainAfterGap(run: RunView, producer: string, d: DuplicatedRecord): SequenceGapAccepted | undefined {
    const first = d.offsets[0];
    return sequenceGapsAccepted(this.analysis, run, d.partition, producer).find((g) => first >= g.offset && first < g.overtakenOffset && d.offsets.some((o) => o > g.overtakenOffset));
  }

  /** '; but ...' when the producer re-sent the record under sequences it restarted at 0 (before KIP-360), else ''. */
  private resentUnderResetSequences(producer: string, d: DuplicatedRecord): string {
    const reset = this.analysis.history.sequencesResets.find(({ event: e }) => e.producer === producer && e.partition === d.partition && e.mayBeInLog.includes(d.record));
    if (reset === undefined) return '';
    return (
      `; but ${producer} re-sent ${recordName(d.record)} under sequences restarted at 0 after UNKNOWN_PRODUCER_ID at ${formatTimeUs(reset.timeUs)} ` +
      `(Kafka 1.0-2.4's TransactionManager.canRetry: its last acknowledged offset below the log start offset ${reset.event.logStartOffset}) while an earlier attempt may have been in the log, ` +
      'and the leader, with no state for the producer, took it as new'
    );
  }

  private explain(d: DuplicatedRecord): string {
    const copies = d.offsets.map((o, i) => `offset ${o} (epoch ${d.leaderEpochs[i]})`).join(', ');
    const r = this.analysis.history.records.get(d.record);
    const who = r ? `sent by ${r.producer}, ${describeOutcome(r)}` : 'never sent';
    const epochs = new Set(d.leaderEpochs);
    const straddles = epochs.size > 1 ? '; the copies straddle a leader change' : '';
    return `${recordName(d.record)} (${who}) sits at ${copies}${straddles}`;
  }
}
