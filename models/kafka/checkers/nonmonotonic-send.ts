// nonmonotonic-send: a producer's records land in a partition's final log out of the order the
// producer sent them (its `send` events for that partition). Counted as in
// analysis/reordered-records.ts: the fewest records whose removal leaves the rest in send order.
//
// Classified by the producer's configuration:
// - permitted when enable.idempotence=false, retries > 0 and max.in.flight.requests.per.connection
//   > 1: a failed batch is retried after a later batch in flight has been appended.
// - breach otherwise: an idempotent producer (max.in.flight <= 5) keeps order by sequence numbers;
//   with one request in flight or no retries nothing can overtake.
// - but an idempotent reorder lying past a batch a leader accepted at a sequence above 0 with no
//   state for the producer id, with a record sent before that batch written behind it, is
//   KAFKA-15591's (sequence-gap-accepted.ts): permitted by the version, no simulated release fixes it.
// - but records out of order where the replicas diverged are the divergence's (log-divergence), and
//   records past a log a follower spliced after an UNDEFINED_EPOCH_OFFSET answer are that flaw's
//   (before KAFKA-7415, spliced-log.ts): permitted by the version.
// Explained with the first adjacent inversion (which record, sent when, at which offset).

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { Violation } from '../../../src/sim/model.ts';
import type { KafkaRunAnalysis } from '../analysis/kafka-run-analysis.ts';
import type { ProducerReorder, RecordPlacement } from '../analysis/reordered-records.ts';
import { groupFindings, groupViolation, RECORDS_NAMED_MAX, type ClassifiedFinding } from './grouped-violations.ts';
import { formatTimeUs } from '../../../src/sim/time.ts';
import { plural, recordName } from './kafka-terms.ts';
import { divergenceAtAny } from './log-divergence.ts';
import { splicedLogBehind } from './spliced-log.ts';
import { gapAcceptedCause, sequenceGapsAccepted } from './sequence-gap-accepted.ts';

export class NonmonotonicSendChecker implements Checker {
  readonly name = 'nonmonotonic-send';

  /** Reads the shared analysis; the run's events reach it through the RunSummaryChecker. */
  constructor(private readonly analysis: KafkaRunAnalysis) {}

  finish(run: RunView): Violation[] {
    const findings = this.analysis.conclude(run);
    const classified = findings.reorders.map((r) => this.classify(run, r, findings.nodeName));
    return groupFindings(classified).map((group) => {
      const reorders = group.items;
      const total = reorders.reduce((n, r) => n + r.reordered, 0);
      const perProducer = reorders.map((r) => `${r.producer}: ${r.reordered} of ${r.recordsInLog}`).join(', ');
      const named = reorders.flatMap((r) => r.reorderedRecords).slice(0, RECORDS_NAMED_MAX);
      const more = total > named.length ? `, and ${total - named.length} more` : '';
      const first = reorders[0];
      const { earlier, later } = first.firstInversion;
      const body =
        `${plural(total, 'record')} out of send order in ${group.partition} (${perProducer}): ` +
        `${named.map((p) => `${recordName(p.record)}@${p.offset}`).join(', ')}${more}. ` +
        `${first.producer}'s ${placement(earlier)} precedes ${placement(later)}`;
      return groupViolation(this.name, group, body, {
        count: total,
        producers: reorders.map((r) => r.producer),
        records: named.map((p) => p.record),
        offsets: named.map((p) => p.offset),
      });
    });
  }

  private classify(run: RunView, r: ProducerReorder, nodeName: (node: number) => string): ClassifiedFinding<ProducerReorder> {
    const p = this.analysis.lookup.producer(r.producer);
    let reason: string;
    let permitted = false;
    // A record out of order where the replicas diverged, at its offset or at the offset of the
    // later-sent record it follows (two histories spliced between them), is what the divergence left: its cause.
    const guarded = p !== undefined && (p.idempotent || p.maxInFlight <= 1 || p.retries === 0);
    const offsets = [...r.reorderedRecords.map((x) => x.offset), r.firstInversion.earlier.offset];
    const divergence = guarded ? divergenceAtAny(this.analysis, run, r.partition, offsets, nodeName) : null;
    if (divergence) return { partition: r.partition, classification: divergence.classification, permittedBy: divergence.permittedBy, reason: `the replicas diverged where it sits: ${divergence.reason}`, item: r };
    const spliced = guarded ? splicedLogBehind(this.analysis, run, r.partition, r.producer, offsets, nodeName) : null;
    if (spliced) return { partition: r.partition, classification: spliced.classification, permittedBy: spliced.permittedBy, reason: `the leader's log was spliced before it: ${spliced.reason}`, item: r };
    if (p?.idempotent) {
      // A leader took a later batch past the gap and the earlier ones were written behind it: KAFKA-15591.
      const gap = sequenceGapsAccepted(this.analysis, run, r.partition, r.producer).find((g) => offsets.every((o) => o >= g.offset));
      if (gap) {
        const cause = gapAcceptedCause(gap, nodeName);
        const reason = `${idempotentSetting(p.maxInFlight)}: sequence numbers should keep order, but ${cause.reason}; max.in.flight.requests.per.connection=1 avoids it`;
        return { partition: r.partition, classification: cause.classification, permittedBy: cause.permittedBy, reason, item: r };
      }
    }
    if (!p) reason = `producer ${r.producer} not in the scenario`;
    else if (p.idempotent) reason = idempotentReason(this.analysis, r, p.maxInFlight, nodeName);
    else if (p.maxInFlight <= 1) reason = 'max.in.flight.requests.per.connection=1: nothing can overtake';
    else if (p.retries === 0) reason = 'retries=0: no batch is resent to overtake another';
    else {
      permitted = true;
      reason = `enable.idempotence=false, retries=${p.retries}, max.in.flight.requests.per.connection=${p.maxInFlight}: a retried batch can land after a later one`;
    }
    return { partition: r.partition, classification: permitted ? 'permitted' : 'breach', reason, item: r };
  }
}

function placement(p: RecordPlacement): string {
  return `${recordName(p.record)} (send #${p.sendIndex + 1}) at offset ${p.offset}`;
}

const idempotentSetting = (maxInFlight: number) => `enable.idempotence=true with max.in.flight.requests.per.connection=${maxInFlight}`;

/**
 * Why an idempotent producer's records landed out of order, KAFKA-15591 aside (sequence-gap-accepted.ts):
 * sequence numbers should have kept them in order. A leader's acceptance of the producer's batch past
 * a gap in the partition is named, though the reorder does not lie past it (no evidence it is the cause).
 */
function idempotentReason(analysis: KafkaRunAnalysis, r: ProducerReorder, maxInFlight: number, nodeName: (node: number) => string): string {
  const setting = idempotentSetting(maxInFlight);
  const gap = analysis.history.unknownProducerAppends.find(({ event }) => event.partition === r.partition && event.producer === r.producer);
  if (!gap) return `${setting}: sequence numbers keep order`;
  const { timeUs, node, event } = gap;
  return (
    `${setting}: sequence numbers keep order (at ${formatTimeUs(timeUs)} ${nodeName(node)} accepted ${r.producer}'s batch from ` +
    `${recordName(event.record)} at sequence ${event.baseSequence} with no state for its producer id, but the reorder does not lie past it with an earlier-sent record written behind it)`
  );
}
