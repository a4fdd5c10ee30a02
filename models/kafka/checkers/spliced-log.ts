// A producer's anomaly (a duplicate, a reorder) that a spliced log explains: a follower cut its log
// only to its high watermark, kept below it records its leader never had, and appended the
// leader's records after them. Two flawed paths do so (protocol-flaw events):
// - `undefined-epoch-offset`: it asked where its epoch ended and was answered UNDEFINED_EPOCH_OFFSET
//   (LeaderEpochFileCache.endOffsetFor before KAFKA-7415, 2.1); a 2.1 leader's answer would have had
//   it cut to where the leader's first epoch starts and copy the leader's log.
// - `truncated-to-high-watermark`: before KIP-101 (0.11) every new follower cuts to its high
//   watermark (0.10 ReplicaFetcherThread); what it keeps from where the leader's epoch starts (the
//   leader's log end offset when elected: the leader's records there are of its epoch, the kept
//   ones older) the leader never had. KIP-101's OffsetsForLeaderEpoch would have cut it there.
// Its log then held the producer's later records without the earlier ones the leader had put in
// the kept range; elected, it judged the producer's retries against that spliced history, so
// sequence numbers no longer kept the records once and in order.
//
// Named only with evidence: every offset of the anomaly lies past the kept range, the follower was
// elected with its log past the range's start after the path, and at some offset of the range its
// final log holds another record than one of the same producer's records another replica held
// there: in its final log, or until a truncation or log loss removed it after the path (the
// spliced leader's followers cut back to its log and copy the kept records, so the final logs may
// all agree). Where the replicas disagree at the anomaly's own offsets, log-divergence.ts
// divergenceAtAny judges instead.

import type { RunView } from '../../../src/check/checker.ts';
import type { KafkaRunAnalysis } from '../analysis/kafka-run-analysis.ts';
import type { ElectionAt, KafkaHistory } from '../analysis/kafka-history.ts';
import { firstRemovedOffset, type FinalReplicaLog, type ProtocolFlawEvent } from '../kafka-events.ts';
import type { Cause } from './loss-causes.ts';
import { describeFlawPath, flawPathLabel, ledWithKept } from './protocol-flaw-path.ts';
import { recordName } from './kafka-terms.ts';
import { formatTimeUs } from '../../../src/sim/time.ts';

/**
 * The flawed path whose spliced log `producer`'s anomaly at `offsets` of `partition` lies past,
 * as a version-permitted cause naming its fix (KAFKA-7415, KIP-101); null without that evidence.
 */
export function splicedLogBehind(analysis: KafkaRunAnalysis, run: RunView, partition: string, producer: string, offsets: readonly number[], nodeName: (node: number) => string): Cause | null {
  const logs = (analysis.conclude(run).final?.partitions.find((p) => p.partition === partition)?.logs ?? []) as readonly FinalReplicaLog[];
  const history = analysis.history;
  for (const flaw of history.protocolFlaws) {
    const { event } = flaw;
    if (event.partition !== partition || offsets.some((o) => o < event.logEndOffset)) continue;
    const from = keptFrom(event, flaw.timeUs, history.elections(partition));
    if (from === null || from >= event.logEndOffset) continue;
    const broker = nodeName(flaw.node);
    const led = ledWithKept(history.elections(partition), broker, from, flaw);
    const spliced = logs.find((l) => l.broker === broker);
    if (led === null || spliced === undefined) continue;
    const displaced = displacedRecord(analysis, logs, spliced, producer, from, event.logEndOffset) ?? removedRecord(history, flaw, spliced, producer, from, nodeName);
    if (displaced === null) continue;
    const kept = event.flaw === 'truncated-to-high-watermark' ? `, keeping offsets ${from} to ${event.logEndOffset} that leader never had there` : '';
    const text = describeFlawPath(flaw, broker, `${kept}${led}, its log lacking ${producer}'s ${displaced} there`);
    return { classification: 'permitted', permittedBy: 'version', reason: `${flawPathLabel(analysis.versions, flaw, history.elections(partition))}: ${text}` };
  }
  return null;
}

/**
 * Where the path's kept range starts: for an UNDEFINED_EPOCH_OFFSET answer, where the event says;
 * for a cut to the high watermark, where the followed leader's epoch starts (its log end offset
 * when it took over in that epoch or the latest election before, ElectionAt.epochStartOffset); null for the other paths.
 */
function keptFrom(event: ProtocolFlawEvent, timeUs: number, elections: readonly ElectionAt[]): number | null {
  if (event.flaw === 'undefined-epoch-offset') return event.keptFromOffset ?? 0;
  if (event.flaw !== 'truncated-to-high-watermark') return null;
  let start: number | null = null;
  for (const e of elections) if (e.timeUs <= timeUs && e.event.leaderEpoch <= event.leaderEpoch && e.event.leader !== null) start = e.epochStartOffset;
  return start;
}

/**
 * "r415 (at offset 79 in b2's log until it truncated at 15.101s)": a record of `producer` that a
 * truncation or log loss after the path removed from another replica at an offset of the kept
 * range where `spliced` finally holds another; null if none.
 */
function removedRecord(history: KafkaHistory, flaw: { timeUs: number; node: number; event: ProtocolFlawEvent }, spliced: FinalReplicaLog, producer: string, from: number, nodeName: (node: number) => string): string | null {
  const to = flaw.event.logEndOffset;
  for (const { timeUs, node, event } of history.removals) {
    if (timeUs <= flaw.timeUs || node === flaw.node || event.partition !== flaw.event.partition) continue;
    const first = Math.min(firstRemovedOffset(event), event.fromOffset);
    for (let o = Math.max(from, first, spliced.logStartOffset); o < to && o - first < event.removed.length; o++) {
      const removed = event.removed[o - first];
      const mine = o - spliced.logStartOffset < spliced.records.length ? (spliced.records[o - spliced.logStartOffset] as number) : -1;
      if (mine < 0 || removed === mine || history.records.get(removed)?.producer !== producer) continue;
      const how = event.type === 'truncate' ? 'it truncated' : 'it lost it';
      return `${recordName(removed)} (at offset ${o} in ${nodeName(node)}'s log until ${how} at ${formatTimeUs(timeUs)})`;
    }
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
