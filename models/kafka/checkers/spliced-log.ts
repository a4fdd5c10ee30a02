// A producer's anomaly (a duplicate, a reorder) that a spliced log explains: a follower that asked
// where its epoch ended and was answered UNDEFINED_EPOCH_OFFSET (LeaderEpochFileCache.endOffsetFor
// before KAFKA-7415, 2.1) cut its log only to its high watermark, kept below it records its leader
// never had, and appended the leader's records after them (protocol-flaw `undefined-epoch-offset`).
// Its log then held the producer's later records without the earlier ones the leader had put in
// the kept range; elected, it judged the producer's retries against that spliced history, so
// sequence numbers no longer kept the records once and in order. A 2.1 leader's answer would have
// had the follower cut to where the leader's first epoch starts and copy the leader's log.
//
// Named only with evidence in the final logs: every offset of the anomaly lies past the kept
// range, the follower was elected with its log past the range's start after the path, and at some
// offset of the range its final log still holds another record than a replica holding there one
// of the same producer's records. Where the replicas disagree at the anomaly's own offsets,
// log-divergence.ts divergenceAtAny judges instead.

import type { RunView } from '../../../src/check/checker.ts';
import type { KafkaRunAnalysis } from '../analysis/kafka-run-analysis.ts';
import type { FinalReplicaLog } from '../kafka-events.ts';
import type { Cause } from './loss-causes.ts';
import { describeFlawPath, flawPathLabel, ledWithKept } from './protocol-flaw-path.ts';
import { recordName } from './kafka-terms.ts';

/**
 * The flawed path whose spliced log `producer`'s anomaly at `offsets` of `partition` lies past,
 * as a version-permitted cause naming KAFKA-7415; null without that evidence.
 */
export function splicedLogBehind(analysis: KafkaRunAnalysis, run: RunView, partition: string, producer: string, offsets: readonly number[], nodeName: (node: number) => string): Cause | null {
  const logs = (analysis.conclude(run).final?.partitions.find((p) => p.partition === partition)?.logs ?? []) as readonly FinalReplicaLog[];
  const history = analysis.history;
  for (const flaw of history.protocolFlaws) {
    const { event } = flaw;
    const from = event.keptFromOffset ?? 0;
    if (event.flaw !== 'undefined-epoch-offset' || event.partition !== partition || offsets.some((o) => o < event.logEndOffset)) continue;
    const broker = nodeName(flaw.node);
    const led = ledWithKept(history.elections(partition), broker, from, flaw);
    const spliced = logs.find((l) => l.broker === broker);
    if (led === null || spliced === undefined) continue;
    const displaced = displacedRecord(analysis, logs, spliced, producer, from, event.logEndOffset);
    if (displaced === null) continue;
    const text = describeFlawPath(flaw, broker, `${led}, its log lacking ${producer}'s ${displaced} there`);
    return { classification: 'permitted', permittedBy: 'version', reason: `${flawPathLabel(analysis.versions, flaw, history.elections(partition))}: ${text}` };
  }
  return null;
}

/** "r232 (at offset 0 in b1's log)": a record of `producer` another replica holds in [from, to) where `spliced` holds another; null if none. */
function displacedRecord(analysis: KafkaRunAnalysis, logs: readonly FinalReplicaLog[], spliced: FinalReplicaLog, producer: string, from: number, to: number): string | null {
  const at = (l: FinalReplicaLog, o: number) => (o >= l.logStartOffset && o - l.logStartOffset < l.records.length ? (l.records[o - l.logStartOffset] as number) : -1);
  for (let o = from; o < to; o++) {
    const mine = at(spliced, o);
    if (mine < 0) continue;
    for (const l of logs) {
      const other = at(l, o);
      if (l === spliced || other < 0 || other === mine || analysis.history.records.get(other)?.producer !== producer) continue;
      return `${recordName(other)} (at offset ${o} in ${l.broker}'s log)`;
    }
  }
  return null;
}
