// An idempotent producer's anomaly (a reorder, a duplicate) that KAFKA-15591 explains: a leader
// with no state for the producer id accepted its batch at a first sequence above 0
// (unknown-producer-append; ProducerAppendInfo.checkSequence takes any first sequence then, since
// Kafka 2.5), ahead of the producer's lower sequences, still in flight to an older leader. The
// lower sequences then come back OUT_OF_ORDER_SEQUENCE_NUMBER; when none of the producer's
// batches of the partition was acknowledged yet, the producer bumps its epoch and re-sequences
// every unfinished batch from 0 (TransactionManager.canRetry, startSequencesAtBeginning): the
// lower ones are written behind the accepted batch, and the accepted batch and those after it,
// whose responses it never got, are written a second time under the new epoch.
//
// Named only with evidence, in the final log: the accepted batch's first record sits at some
// offset, a record the producer sent before it in the same session sits after it (the gap filled
// behind it). A reorder is the flaw's when every offset of it lies at or past the accepted batch;
// a duplicate when its first copy lies from the accepted batch to the first earlier-sent record
// written behind it, and another copy after that record (the resend under the bumped epoch).
//
// Permitted by the simulated version (KAFKA-15591, protocol-features.ts PROTOCOL_REGRESSIONS): no
// release ksim simulates fixes it. apache/kafka PR #23234 rejects the first sequence on a
// partition that never held a record; the accepted batch's offset tells which case this was (at
// offset 0 the leader's log had never held one), and the reason says so.

import type { RunView } from '../../../src/check/checker.ts';
import type { KafkaRunAnalysis, KafkaRunFindings } from '../analysis/kafka-run-analysis.ts';
import type { UnknownProducerAppendEvent } from '../kafka-events.ts';
import type { Cause } from './loss-causes.ts';
import { describeRegression } from '../version/protocol-features.ts';
import { recordName } from './kafka-terms.ts';
import { formatTimeUs } from '../../../src/sim/time.ts';

/** A batch a leader accepted past a sequence gap, and the earlier-sent record written behind it. */
export interface SequenceGapAccepted {
  timeUs: number;
  node: number;
  event: UnknownProducerAppendEvent;
  /** The final-log offset of the accepted batch's first record. */
  offset: number;
  /** The first record the producer sent before the batch (same session) that sits after it. */
  overtaken: number;
  overtakenOffset: number;
}

/** Per run's findings, per partition and producer: each anomaly of theirs asks again. */
const found = new WeakMap<KafkaRunFindings, Map<string, SequenceGapAccepted[]>>();

/** Every batch of `producer` a leader of `partition` accepted past a gap that the final log shows filled behind it. */
export function sequenceGapsAccepted(analysis: KafkaRunAnalysis, run: RunView, partition: string, producer: string): SequenceGapAccepted[] {
  if (analysis.history.unknownProducerAppends.length === 0) return [];
  const findings = analysis.conclude(run);
  let byPair = found.get(findings);
  if (byPair === undefined) found.set(findings, (byPair = new Map()));
  const key = `${partition}\u0000${producer}`;
  let gaps = byPair.get(key);
  if (gaps === undefined) byPair.set(key, (gaps = scan(analysis, findings, partition, producer)));
  return gaps;
}

function scan(analysis: KafkaRunAnalysis, findings: KafkaRunFindings, partition: string, producer: string): SequenceGapAccepted[] {
  const log = findings.logs.get(partition);
  const reference = log?.reference;
  if (!log || !reference) return [];
  const records = analysis.history.records;
  const out: SequenceGapAccepted[] = [];
  for (const { timeUs, node, event } of analysis.history.unknownProducerAppends) {
    if (event.partition !== partition || event.producer !== producer || !records.has(event.record)) continue;
    const offset = log.firstOffset.get(event.record);
    if (offset === undefined) continue;
    const session = records.sessionOf(event.record);
    const sendIndex = records.sendIndexOf(event.record);
    for (let i = offset + 1 - reference.logStartOffset; i < reference.records.length; i++) {
      const r = reference.records[i];
      if (!records.has(r) || records.producer(r) !== producer || records.partition(r) !== partition) continue;
      if (records.sessionOf(r) !== session || records.sendIndexOf(r) >= sendIndex) continue;
      out.push({ timeUs, node, event, offset, overtaken: r, overtakenOffset: reference.logStartOffset + i });
      break;
    }
  }
  return out;
}

/** The version-permitted cause: what the leader accepted, what was written behind it, KAFKA-15591. */
export function gapAcceptedCause(gap: SequenceGapAccepted, nodeName: (node: number) => string): Cause {
  const { timeUs, node, event, offset } = gap;
  const where =
    offset === 0
      ? 'at offset 0, into a log that had never held a record'
      : `at offset ${offset}, into a log that already held records (a case apache/kafka PR #23234 leaves as it is)`;
  return {
    classification: 'permitted',
    permittedBy: 'version',
    reason:
      `at ${formatTimeUs(timeUs)} ${nodeName(node)} accepted ${event.producer}'s batch from ${recordName(event.record)} at sequence ${event.baseSequence} ` +
      `with no state for its producer id, ${where}, and ${recordName(gap.overtaken)}, sent before it, was written behind it at offset ${gap.overtakenOffset} ` +
      `(${describeRegression('KAFKA-15591')})`,
  };
}
