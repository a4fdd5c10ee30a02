// log-divergence: two replicas of a partition hold different records (or the same record from different leader
// epochs) at an offset below both their high watermarks. Below its HW a replica holds only committed records, and
// committed records are the same on every replica: that is what lets a consumer read from any in-sync replica and a
// new leader continue the log. Judged on the final logs (KafkaFinalState) of the replicas that hold the committed
// log at the end: the ISR, the ELR (KIP-966: eligible to lead) and the leader, alive or not. A replica outside them
// makes no promise from Kafka 0.11: it truncates to the leader when it rejoins (ReplicaFetcherThread,
// KIP-101/KIP-279), and what it held is lost only if it is elected first, which lost-write and inconsistent-offsets
// judge (a follower stuck on a dead connection to its restarted leader, replica.socket.timeout.ms, keeps its old HW
// to the end of the run: Kafka 2.3, a power loss of the last ISR member). Before KIP-101 (0.10) it does not: a
// follower truncates to its own HW (ReplicaManager.makeFollowers, and to the leader's LEO only on
// OFFSET_OUT_OF_RANGE), so what it holds below its HW stays there when it rejoins, and a replica of such a broker
// is compared too. From 0.11 a follower whose fetcher failed on a batch below its log end (fetcher-failed; KIP-461)
// is not: out of the ISR, it keeps what it held, but only an unclean election could make it lead. Comparing each
// replica with the committed log holder of highest HW (the pivot) over the offsets below both HWs finds every
// disagreeing pair: two replicas that each agree with the pivot below their own HW agree with each other below the
// lower one (every holder's HW is at most the pivot's). Empty offsets (left by a truncation inside a batch:
// PartitionLog.truncateTo) agree whatever epoch ksim stamps on them: Kafka's logs hold no batch there. Linear in
// the total log length. One finding per replica that disagrees, at the first offset; where the two logs hold the
// same records below the lower HW and differ only in the leader epoch stamped on some (a batch a replica kept from
// another epoch), the text says so.
//
// Classified, first rule that applies, each checked against the divergent offset:
// - permitted by the simulated version, by evidence: a protocol-flaw event of either replica while
//   its log reached the offset: before KIP-101 a new follower cut its log only to its high
//   watermark; before KAFKA-7164 a follower that missed an epoch kept its log under the same
//   leader; before KIP-320 a zombie follower fetched records of an epoch it never heard of
//   (KAFKA-6880). A later version would have truncated the record, whatever rewrote the offset.
// - permitted by the configuration: an unclean election on the partition whose new leader's log
//   ended at or below that offset (its log replaces the committed one; replicas that have not yet
//   truncated keep their old HW).
// - permitted by the fault load: a replica that lost that offset to power or disk loss was later
//   elected leader with its log ending at or below it (it rewrote offsets others had committed);
//   before KIP-380 (2.2), permitted by the version when it lost them inside the ISR and was
//   elected from the ISR it never left (the ZooKeeper controller missed its bounce). Where the
//   record displaced at the offset is an acknowledged one, its loss's own cause decides
//   (loss-causes.ts, as lost-write and inconsistent-offsets judge it: KIP-966's last replica
//   standing, a breach with ELR, acks=0/1), so one loss is never judged two ways.
// - permitted by the simulated version: a replica that lost that offset took leadership back with
//   no election (the ZooKeeper controller missed its bounce, before KIP-380; a breach after it);
//   an era without truncation by leader epoch (KIP-101) or without KIP-279's walk back to the
//   divergence point.
// - permitted by the simulated version, by evidence, for a replica pair (not for a client's read):
//   before KAFKA-7415 (2.1), a replica that led an epoch briefly from a log holding no older epoch
//   kept that epoch's records when the next leader, which never had it, answered with an older one.
// - breach otherwise.

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { Violation } from '../../../src/sim/model.ts';
import { formatTimeUs } from '../../../src/sim/time.ts';
import type { KafkaRunAnalysis } from '../analysis/kafka-run-analysis.ts';
import { firstRemovedOffset, type FinalPartitionState, type FinalReplicaLog } from '../kafka-events.ts';
import { GAP_RECORD_ID } from '../storage/log-record-store.ts';
import { groupFindings, groupViolation, type ClassifiedFinding } from './grouped-violations.ts';
import type { Cause } from './loss-causes.ts';
import { mostSevere } from './client-analyses.ts';
import type { RunCauses } from './run-causes.ts';
import { describeElection, recordName, whenTookOver } from './kafka-terms.ts';
import { electedWithinOldSession, electedWithoutLeavingIsr, rejoinedBeforeBounceHandled } from './bounce-shapes.ts';
import { describeMissingFix } from '../version/protocol-features.ts';
import { describeFlawPath, flawPathLabel, ledWithKept } from './protocol-flaw-path.ts';

interface DivergentReplica {
  partition: string;
  pivot: string;
  replica: string;
  offset: number;
  pivotRecord: number;
  pivotEpoch: number;
  replicaRecord: number;
  replicaEpoch: number;
  /** min of the two HWs: every offset below it should agree. */
  commonHighWatermark: number;
  /** The replica is outside the ISR, ELR and leader, kept because its broker truncates to its own HW on rejoining (before KIP-101). */
  outsideIsr: boolean;
  /** The last offset whose epoch stamp alone differs when the logs hold the same records below commonHighWatermark; else -1. */
  stampOnlyUntil: number;
}

const DIVERGENCES_NAMED_MAX = 3;

const KEPT_BY_HW_TRUNCATION =
  '; a replica outside the ISR keeps its records below its own HW when it rejoins, since a follower truncates only to its HW before KIP-101';

export class LogDivergenceChecker implements Checker {
  readonly name = 'log-divergence';

  /** Reads the shared analysis; the run's events reach it through the RunSummaryChecker. */
  constructor(
    private readonly analysis: KafkaRunAnalysis,
    private readonly causes: RunCauses,
  ) {}

  finish(run: RunView): Violation[] {
    const findings = this.analysis.conclude(run);
    if (!findings.final) return [];
    const divergent: DivergentReplica[] = [];
    for (const state of findings.final.partitions) {
      const holders = committedLogHolders(state);
      const kept = state.logs.filter((l) => !holders.includes(l) && this.keepsLogBelowHwOnRejoin(l.broker, run.nowUs));
      divergent.push(...findDivergentReplicas(state.partition, holders, kept, state.leader));
    }
    const classified = divergent.map((d) => this.classify(run, d, findings.nodeName));
    return groupFindings(classified).map((group) => {
      const items = group.items;
      const first = items[0];
      const named = items.slice(0, DIVERGENCES_NAMED_MAX).map((d) => `${d.replica}${d.outsideIsr ? ' (outside the ISR)' : ''} vs ${d.pivot} at offset ${d.offset}`);
      const more = items.length > named.length ? `, and ${items.length - named.length} more` : '';
      const body =
        `replicas of ${group.partition} disagree below their HWs: ${named.join(', ')}${more}. ` +
        `At offset ${first.offset} (both HWs above it, the lower at ${first.commonHighWatermark}) ${describeFirstDifference(first)}` +
        (items.some((d) => d.outsideIsr) ? KEPT_BY_HW_TRUNCATION : '') +
        this.explainElections(group.partition);
      return groupViolation(this.name, group, body, {
        replicas: items.map((d) => [d.pivot, d.replica]),
        offsets: items.map((d) => d.offset),
      });
    });
  }

  /**
   * Whether the broker's replica keeps what it holds below its HW when it rejoins the ISR: its
   * software or protocol level at the end of the run lacks KIP-101's truncation by leader epoch.
   */
  private keepsLogBelowHwOnRejoin(broker: string, endUs: number): boolean {
    const node = this.analysis.scenario.brokers.findIndex((b) => b.name === broker);
    return node >= 0 && this.analysis.versions.at(endUs).lacks('truncationByLeaderEpoch', node);
  }

  private classify(run: RunView, d: DivergentReplica, nodeName: (node: number) => string): ClassifiedFinding<DivergentReplica> {
    let cause = divergenceCause(this.analysis, d.partition, d.offset, nodeName, [d.replica, d.pivot]);
    if (cause.permittedBy === 'fault-load') cause = this.displacedRecordsCause(run, d) ?? cause;
    if (cause.classification === 'breach') {
      const logs = this.analysis.conclude(run).final?.partitions.find((p) => p.partition === d.partition)?.logs ?? [];
      cause = epochCacheFlaw(this.analysis, d, logs) ?? cause;
    }
    return { partition: d.partition, classification: cause.classification, permittedBy: cause.permittedBy, reason: cause.reason, item: d };
  }

  /** The loss cause of the acknowledged records the divergence displaced from the final log at its offset; null if none. */
  private displacedRecordsCause(run: RunView, d: DivergentReplica): Cause | null {
    const { loss } = this.causes.of(run);
    const finalLog = this.analysis.conclude(run).logs.get(d.partition);
    const causes: Cause[] = [];
    for (const record of [d.pivotRecord, d.replicaRecord]) {
      const r = record >= 0 ? this.analysis.history.records.get(record) : undefined;
      if (r?.removals && r.outcome === 'acked' && finalLog?.firstOffset.get(r.record) !== d.offset) causes.push(loss.classify(r));
    }
    return causes.length > 0 ? mostSevere(causes) : null;
  }

  private explainElections(partition: string): string {
    const elections = this.analysis.history.elections(partition).filter((e) => e.event.kind !== 'initial');
    if (elections.length === 0) return '; no election after the initial one';
    const shown = elections.slice(-3).map(describeElection);
    const more = elections.length > shown.length ? `${elections.length - shown.length} earlier elections; ` : '';
    return `; ${more}${shown.join('; ')}`;
  }
}

/**
 * "b1 holds r2 of epoch 0, b2 holds r7 of epoch 0 there", or, when only the leader-epoch stamp
 * differs below the lower HW, that the records are the same and which offsets carry other epochs.
 */
function describeFirstDifference(d: DivergentReplica): string {
  if (d.stampOnlyUntil >= 0) {
    const offsets = d.stampOnlyUntil > d.offset ? `offsets ${d.offset}..${d.stampOnlyUntil}` : `offset ${d.offset}`;
    return (
      `${d.pivot} and ${d.replica} hold the same record ${recordName(d.pivotRecord)} there, stamped with leader epoch ${d.pivotEpoch} on ${d.pivot} and ${d.replicaEpoch} on ${d.replica}: ` +
      `below the lower HW their logs hold the same records and differ only in the leader epoch stamped on ${offsets}`
    );
  }
  const cut = 'no record (a truncation cut its batch)';
  const replicaHolds = d.replicaRecord === GAP_RECORD_ID ? cut : d.replicaRecord < 0 ? 'nothing' : `${recordName(d.replicaRecord)} of epoch ${d.replicaEpoch}`;
  return `${d.pivot} holds ${d.pivotRecord === GAP_RECORD_ID ? cut : `${recordName(d.pivotRecord)} of epoch ${d.pivotEpoch}`}, ${d.replica} holds ${replicaHolds} there`;
}

/** The logs of the replicas that hold the committed log at the end: ISR, ELR and leader (see the header). */
function committedLogHolders(state: FinalPartitionState): FinalReplicaLog[] {
  return state.logs.filter((l) => l.broker === state.leader || state.isr.includes(l.broker) || (state.elr?.includes(l.broker) ?? false));
}

/**
 * The replicas that disagree below both HWs with the committed log holder of highest HW (the
 * pivot): the other holders and the `kept` replicas outside them (pure; linear).
 */
function findDivergentReplicas(partition: string, holders: readonly FinalReplicaLog[], kept: readonly FinalReplicaLog[], leader: string | null): DivergentReplica[] {
  if (holders.length === 0 || holders.length + kept.length < 2) return [];
  let pivot = holders[0];
  for (const l of holders) {
    const better =
      l.highWatermark > pivot.highWatermark ||
      (l.highWatermark === pivot.highWatermark && (l.broker === leader || (pivot.broker !== leader && l.broker < pivot.broker)));
    if (better) pivot = l;
  }
  const out: DivergentReplica[] = [];
  for (const l of [...holders, ...kept]) {
    if (l === pivot) continue;
    const from = Math.max(l.logStartOffset, pivot.logStartOffset);
    const to = Math.min(l.highWatermark, pivot.highWatermark);
    for (let offset = from; offset < to; offset++) {
      const i = offset - l.logStartOffset;
      const j = offset - pivot.logStartOffset;
      const record = i < l.records.length ? l.records[i] : -1;
      const epoch = i < l.epochs.length ? l.epochs[i] : -1;
      if (record === pivot.records[j] && (epoch === pivot.epochs[j] || record === GAP_RECORD_ID)) continue;
      out.push({
        partition,
        pivot: pivot.broker,
        replica: l.broker,
        offset,
        pivotRecord: pivot.records[j],
        pivotEpoch: pivot.epochs[j],
        replicaRecord: record,
        replicaEpoch: epoch,
        commonHighWatermark: to,
        outsideIsr: !holders.includes(l),
        stampOnlyUntil: stampOnlyUntil(l, pivot, offset, to),
      });
      break;
    }
  }
  return out;
}

/**
 * The last offset in [from, to) where the two logs' epochs differ, if they hold the same record at
 * every offset there (only the leader-epoch stamp differs); else -1.
 */
function stampOnlyUntil(l: FinalReplicaLog, pivot: FinalReplicaLog, from: number, to: number): number {
  let last = -1;
  for (let offset = from; offset < to; offset++) {
    const i = offset - l.logStartOffset;
    const j = offset - pivot.logStartOffset;
    if (i >= l.records.length || l.records[i] !== pivot.records[j]) return -1;
    if (l.epochs[i] !== pivot.epochs[j] && l.records[i] !== GAP_RECORD_ID) last = offset;
  }
  return last;
}

/**
 * Why replicas of `partition` may disagree at `offset`, first rule that applies (the module's
 * opening comment): an unclean election, a leader that had lost the offset to storage loss, the
 * era's flaw, or else a breach. Also explains a record a client read at an offset another replica
 * now holds differently (inconsistent-offsets).
 */
export function divergenceCause(analysis: KafkaRunAnalysis, partition: string, offset: number, nodeName: (node: number) => string, pair?: readonly string[]): Cause {
  // A flawed follower path that kept or put the divergent record there: a later version would
  // have truncated it, whatever election or loss rewrote the offset.
  const flaws = flawsBehind(analysis, partition, offset, nodeName, pair);
  if (flaws !== '') return { classification: 'permitted', reason: flaws, permittedBy: 'version' };
  const elections = analysis.history.elections(partition);
  // Only an election whose new leader's log ended at or below the divergent offset rewrote it.
  const unclean = elections.find((e) => e.event.kind === 'unclean' && e.event.leader !== null && e.epochStartOffset <= offset);
  if (unclean)
    return { classification: 'permitted', reason: `unclean.leader.election.enable=true: unclean election of ${unclean.event.leader} at ${formatTimeUs(unclean.timeUs)}`, permittedBy: 'configuration' };
  // A replica that lost the offset to power or disk loss, then led: it rewrote offsets other replicas had committed.
  const lostAt = new Map<string, { timeUs: number; node: number; cause: string }>();
  for (const removal of analysis.history.removals) {
    const ev = removal.event;
    // Only a loss that removed the divergent offset itself ([toOffset, fromOffset)) rewrote it.
    if (ev.type !== 'log-lost' || ev.partition !== partition || ev.toOffset > offset || ev.fromOffset <= offset) continue;
    const broker = nodeName(removal.node);
    if (!lostAt.has(broker)) lostAt.set(broker, { timeUs: removal.timeUs, node: removal.node, cause: lossCause(analysis, partition, broker, nodeName) });
  }
  for (const e of elections) {
    const lost = e.event.leader === null ? undefined : lostAt.get(e.event.leader);
    if (lost === undefined || lost.timeUs > e.timeUs || e.epochStartOffset > offset) continue;
    // Before KIP-380 the ZooKeeper controller missed the bounce of a broker that lost the offset
    // and was elected from the ISR it never left, or within its old session, or after a stale
    // expansion took it back in before that session could expire (bounce-shapes.ts: loss-causes.ts
    // names the same shapes for the records it lost); from 2.2 the controller would have handled the
    // bounce as a failure and not made it leader without its log.
    const missed = analysis.versions.bounceMissedBetween(lost.timeUs, e.timeUs);
    const shape = missed === null ? null : missedBounceShape(analysis, nodeName, partition, e.event.leader!, lost, e.timeUs);
    if (missed !== null && shape !== null)
      return {
        classification: 'permitted',
        reason: `${missed}: ${describeMissingFix('controllerDetectsBrokerBounce')}: ${e.event.leader} lost records to ${lost.cause} at ${formatTimeUs(lost.timeUs)}${shape} and was elected at ${formatTimeUs(e.timeUs)}`,
        permittedBy: 'version',
      };
    return { classification: 'permitted', reason: `${e.event.leader} lost records to ${lost.cause} at ${formatTimeUs(lost.timeUs)}, then led from ${formatTimeUs(e.timeUs)}`, permittedBy: 'fault-load' };
  }
  // A replica that lost the offset, started again and took leadership back with no election since:
  // the ZooKeeper controller missed its bounce (before KIP-380) and left it leader without its log.
  for (const took of analysis.history.leaderships(partition)) {
    const broker = nodeName(took.node);
    const lost = lostAt.get(broker);
    if (lost === undefined || lost.timeUs >= took.timeUs || elections.some((e) => e.timeUs > lost.timeUs && e.timeUs <= took.timeUs)) continue;
    const what = `${broker} lost records to ${lost.cause} at ${formatTimeUs(lost.timeUs)} and took leadership back at ${formatTimeUs(took.timeUs)} with no election since`;
    const missed = analysis.versions.bounceMissedBetween(lost.timeUs, took.timeUs);
    if (missed !== null) return { classification: 'permitted', reason: `${missed}: ${describeMissingFix('controllerDetectsBrokerBounce')}: ${what}`, permittedBy: 'version' };
    return { classification: 'breach', reason: `${what}: the controller missed its bounce` };
  }
  // KIP-101 and KIP-279 leave no protocol-flaw mark of their own: a version that lacked the fix
  // at some point of the run is the cause.
  for (const fix of ['truncationByLeaderEpoch', 'truncationWalksBackEpochs'] as const) {
    const lacking = analysis.versions.lastLacking(fix);
    if (lacking !== null) return { classification: 'permitted', reason: `${lacking.label(fix)}: ${describeMissingFix(fix)}`, permittedBy: 'version' };
  }
  return { classification: 'breach', reason: 'no unclean election and no leader that lost records: committed records are the same on every replica' };
}

/**
 * KAFKA-7415's evidence (fixed in 2.1, LeaderEpochFileCache.endOffsetFor): one replica of the pair
 * holds at the offset a record of epoch E it wrote as leader of E, elected with its log ending at
 * or below the offset, and its final log holds no older epoch up to the offset, where the other holds an older
 * epoch's record. The next leader never had E and answered its OffsetsForLeaderEpoch with an older
 * epoch, whose end a log caching only E could not look up ("unknown epoch"), so the follower took
 * the leader's offset and kept its records. Null unless its broker lacked the fix when it followed.
 */
function epochCacheFlaw(analysis: KafkaRunAnalysis, d: Pick<DivergentReplica, 'partition' | 'offset' | 'replica' | 'replicaEpoch' | 'pivot' | 'pivotEpoch'>, logs: readonly FinalReplicaLog[]): Cause | null {
  const sides = [
    { broker: d.replica, epoch: d.replicaEpoch, other: d.pivotEpoch },
    { broker: d.pivot, epoch: d.pivotEpoch, other: d.replicaEpoch },
  ];
  const elections = analysis.history.elections(d.partition);
  for (const { broker, epoch, other } of sides) {
    if (epoch < 0 || other >= epoch) continue;
    const i = elections.findIndex((e) => e.event.leader === broker && e.event.leaderEpoch === epoch && e.epochStartOffset <= d.offset);
    const next = elections[i + 1];
    const log = logs.find((l) => l.broker === broker);
    if (i < 0 || next === undefined || log === undefined || oldestEpochUpTo(log, d.offset) < epoch) continue;
    const node = analysis.scenario.brokers.findIndex((b) => b.name === broker);
    const then = analysis.versions.at(next.timeUs);
    if (!then.lacks('epochCacheAnswersOlderEpochs', node)) continue;
    const led = `${broker}, elected leader of epoch ${epoch} at ${formatTimeUs(elections[i].timeUs)} with its log ending at ${elections[i].epochStartOffset}${whenTookOver(elections[i])}, led it briefly`;
    const kept = `following ${next.event.leader ?? 'no leader'} (epoch ${next.event.leaderEpoch}, elected at ${formatTimeUs(next.timeUs)}), it kept its records of epoch ${epoch} from offset ${d.offset}, an epoch that leader never had`;
    return { classification: 'permitted', permittedBy: 'version', reason: `${then.label('epochCacheAnswersOlderEpochs', node)}: ${led}; ${kept} (${describeMissingFix('epochCacheAnswersOlderEpochs')})` };
  }
  return null;
}

/**
 * KAFKA-7415's evidence for the replica `holder` against each replica holding another record at
 * `offset` in the final logs (epochCacheFlaw), as log-divergence judges a pair: for a record a
 * client saw at an offset the final log holds differently (inconsistent-offsets). Null if none fits.
 */
export function epochCacheFlawAt(analysis: KafkaRunAnalysis, run: RunView, partition: string, offset: number, holder: string): Cause | null {
  const logs = (analysis.conclude(run).final?.partitions.find((p) => p.partition === partition)?.logs ?? []) as readonly FinalReplicaLog[];
  const at = (l: FinalReplicaLog) => (offset >= l.logStartOffset && offset - l.logStartOffset < l.records.length ? offset - l.logStartOffset : -1);
  const mine = logs.find((l) => l.broker === holder);
  const i = mine === undefined ? -1 : at(mine);
  if (mine === undefined || i < 0) return null;
  for (const l of logs) {
    const j = at(l);
    if (l === mine || j < 0 || l.records[j] === mine.records[i]) continue;
    const pair = { partition, offset, replica: holder, replicaEpoch: mine.epochs[i], pivot: l.broker, pivotEpoch: l.epochs[j] };
    const flaw = epochCacheFlaw(analysis, pair, logs);
    if (flaw !== null) return flaw;
  }
  return null;
}

/**
 * The oldest epoch the log holds at or below `offset`: what its epoch cache held when it followed.
 * Records above the kept ones came later, fetched from the next leader (older epochs among them
 * when that leader's log was older: KAFKA-7415 keeps the brief leader's records below them).
 */
function oldestEpochUpTo(log: FinalReplicaLog, offset: number): number {
  let oldest = Infinity;
  const end = Math.min(log.epochs.length, offset - log.logStartOffset + 1);
  for (let i = 0; i < end; i++) oldest = Math.min(oldest, log.epochs[i]);
  return oldest;
}

/**
 * How a broker that lost records at lost.timeUs came to be elected at electedUs unnoticed by a
 * controller without KIP-380, as a phrase for the reason ("inside the ISR, stayed in it"), or null
 * when none of the missed-bounce shapes (bounce-shapes.ts) fits that election.
 */
function missedBounceShape(
  analysis: KafkaRunAnalysis,
  nodeName: (node: number) => string,
  partition: string,
  broker: string,
  lost: { timeUs: number; node: number },
  electedUs: number,
): string | null {
  if (electedWithoutLeavingIsr(analysis.history, partition, broker, lost.timeUs) === electedUs) return ' inside the ISR, stayed in it';
  const led = electedWithinOldSession(analysis, nodeName, partition, lost.node, lost.timeUs);
  if (led !== null && led.electedUs === electedUs) return `, started again within its old ZooKeeper session (expiring by ${formatTimeUs(led.expiryUs)} at the latest)`;
  const rejoined = rejoinedBeforeBounceHandled(analysis, partition, broker, lost.timeUs);
  if (rejoined !== null && rejoined.electedUs === electedUs) return ` out of the ISR, was taken back into it without them at ${formatTimeUs(rejoined.rejoinUs)} and stayed through its old session's expiry`;
  return null;
}

/**
 * The flawed follower paths (protocol-flaw events) a replica of the partition took while its log
 * reached the divergent offset (of the pair, when given) and whose effect there no later removal
 * wiped: what kept or put the divergent record below the HWs. '' if none.
 */
function flawsBehind(analysis: KafkaRunAnalysis, partition: string, offset: number, nodeName: (node: number) => string, pair?: readonly string[]): string {
  const [named, labels]: [string[], string[]] = [[], []];
  for (const flaw of analysis.history.protocolFlaws) {
    const { node, event } = flaw;
    const broker = nodeName(node);
    const led = pair === undefined || pair.includes(broker) ? '' : ledWithKept(analysis.history.elections(partition), broker, offset, flaw);
    if (event.partition !== partition || led === null || event.logEndOffset <= offset || offset < (event.keptFromOffset ?? 0)) continue;
    // What the path kept at the offset, a later truncation or power or disk loss of the same
    // replica wiped: not where its log's record there came from (loss-causes.ts wipedBetween).
    if (wipedAfter(analysis, partition, node, offset, flaw.timeUs)) continue;
    const text = describeFlawPath(flaw, broker, led);
    if (named.includes(text)) continue;
    named.push(text);
    labels.push(flawPathLabel(analysis.versions, flaw, analysis.history.elections(partition)));
  }
  if (named.length === 0) return '';
  // One label when every flaw had the same cause ("Kafka 2.0: ..."), else one per flaw.
  if (labels.every((l) => l === labels[0])) return `${labels[0]}: ${named.join('; then ')}`;
  return named.map((text, i) => `${labels[i]}: ${text}`).join('; then ');
}

/** Whether `node`'s replica of the partition lost `offset` after fromUs (a removal down to it or below). */
function wipedAfter(analysis: KafkaRunAnalysis, partition: string, node: number, offset: number, fromUs: number): boolean {
  return analysis.history.removals.some((r) => r.timeUs > fromUs && r.node === node && r.event.partition === partition && firstRemovedOffset(r.event) <= offset);
}

function lossCause(analysis: KafkaRunAnalysis, partition: string, broker: string, nodeName: (node: number) => string): string {
  const r = analysis.history.removals.find((x) => x.event.type === 'log-lost' && x.event.partition === partition && nodeName(x.node) === broker);
  return r && r.event.type === 'log-lost' ? r.event.cause : 'storage loss';
}

/**
 * The cause of a divergence at the first of `offsets` where the replicas of `partition` hold
 * different records in their final logs (what a divergent copy of a record came from: a duplicate,
 * a reorder); null when they agree at every one of them.
 */
export function divergenceAtAny(analysis: KafkaRunAnalysis, run: RunView, partition: string, offsets: readonly number[], nodeName: (node: number) => string): Cause | null {
  const state = analysis.conclude(run).final?.partitions.find((p) => p.partition === partition);
  if (!state) return null;
  const logs = state.logs as readonly FinalReplicaLog[];
  for (const offset of offsets) {
    let held: { broker: string; record: number; epoch: number } | undefined;
    for (const l of logs) {
      const i = offset - l.logStartOffset;
      if (i < 0 || i >= l.records.length) continue;
      const record: number = l.records[i];
      if (held === undefined) held = { broker: l.broker, record, epoch: l.epochs[i] };
      else if (record !== held.record) {
        const cause = divergenceCause(analysis, partition, offset, nodeName);
        if (cause.classification !== 'breach') return cause;
        // As log-divergence judges the pair: KAFKA-7415 kept a brief leader's records above what it lost.
        const pair = { partition, offset, pivot: held.broker, pivotEpoch: held.epoch, replica: l.broker, replicaEpoch: l.epochs[i] };
        return epochCacheFlaw(analysis, pair, logs) ?? cause;
      }
    }
  }
  return null;
}
