// Why consumers missed, skipped or re-read records, in Kafka terms and classified by the verdict
// rule, for every consumer-side checker. A cause is found by what it covered, never by being the
// first event of its kind: an auto.offset.reset counts only when it moved the position across the
// offsets in question, retention only when it deleted them before they were read, an election only
// when it cut the log below offsets consumers had already read, each before the anomaly. When
// nothing explains it, it is a breach.
//
// - A reset is explained by why it happened: no committed offset (a new group: the configured
//   auto.offset.reset; a group whose committed offset vanished: the loss of its __consumer_offsets
//   partition, group-metadata-loss.ts), out of range below the log start (retention.ms), or above
//   the log end / a detected truncation (KIP-320) after an election that cut the log (unclean:
//   configuration; clean: why the records it cut were lost, loss-causes.ts).
// - A forward jump of a reset over records skips them because of the strategy (latest):
//   configuration; records below the new log start were deleted by retention: configuration.
// - A record written at an offset consumers had already read past was written after an election
//   that cut the log below it (the consumer before 2.3, KIP-320's consumer side, does not notice and reads on).
//   Classified by the cut's cause (an unclean election: configuration; a loss: its class), except
//   that a consumer before 2.3 that carried its position over the cut met a breach only because it
//   does not validate its position after a leader change: the version (KAFKA-7747).
// Reasons name the setting and the event, not the single record, so the records one event explains
// are reported together.

import { formatTimeUs, type TimeUs } from '../../../src/sim/time.ts';
import type { OffsetReset } from '../analysis/consumer-timeline.ts';
import type { ElectionAt, RecordHistory, RecordRemoval } from '../analysis/kafka-history.ts';
import type { KafkaRunAnalysis, KafkaRunFindings } from '../analysis/kafka-run-analysis.ts';
import { countUntil } from '../analysis/time-ordered.ts';
import { protocolLabel, protocolOf } from '../version/kafka-versions.ts';
import { describeMissingFix } from '../version/protocol-features.ts';
import type { GroupMetadataCauses } from './group-metadata-loss.ts';
import { breach, permitted, type Cause, type LossCauses } from './loss-causes.ts';
import { tookOverNote } from './kafka-terms.ts';
import { firstRemovedOffset } from '../kafka-events.ts';

/** Whose reads: a whole group (at-least-once), one member (poll-skip), or any consumer (unseen). */
interface Readers {
  group?: string;
  member?: string;
}

export class ConsumerCauses {
  /** Per partition: acknowledged records by the offset they were acknowledged at. */
  private readonly byOffset = new Map<string, Map<number, RecordHistory[]>>();

  constructor(
    private readonly analysis: KafkaRunAnalysis,
    private readonly findings: KafkaRunFindings,
    private readonly loss: LossCauses,
    private readonly groups: GroupMetadataCauses,
  ) {}

  /**
   * Why `readers` never read the record at `offset` of `partition` (id `record`, -1 if unknown),
   * though their position passed it by `byUs`.
   */
  whyUnread(partition: string, offset: number, record: number, readers: Readers, byUs: TimeUs): Cause {
    const r = record >= 0 ? this.analysis.history.records.get(record) : undefined;
    if (r !== undefined && this.lostSet().has(r.record) && this.removedBy(r, byUs)) return this.prefixed('lost before it was read', this.loss.classify(r));
    const compacted = this.compactedBefore(partition, offset, byUs);
    if (compacted) return compacted;
    // What moved the readers past the offset first: retention deleting it while they were behind
    // it (then a reset jumps the gap), or a reset jumping over records that were still there.
    const reset = this.resets(partition, readers).find((x) => x.timeUs <= byUs && x.toOffset !== null && startOf(x) <= offset && offset < x.toOffset);
    const retention = this.retentionBefore(partition, offset, reset ? reset.timeUs : byUs, readers, reset);
    if (retention) return retention;
    if (reset) return permitted('configuration', `auto.offset.reset=${reset.strategy}: ${describeReset(reset)}, over records that were still in the log`);
    const writtenUs = r ? (r.ackUs >= 0 ? r.ackUs : r.sendUs) : -1;
    if (writtenUs >= 0 && this.analysis.timeline.frontierAt(partition, writtenUs) > offset) {
      const cut = this.electionBelow(partition, offset, writtenUs);
      const why = cut ? this.electionCause(partition, cut, offset) : this.removalBelow(partition, offset, writtenUs, this.leaderAt(partition, writtenUs));
      if (why) return this.prefixed('written at offsets consumers had already read past', why);
    }
    // Nothing else explains it, it is not in the judged log, and an election went on without it:
    // lost, or only on a replica of a partition offline at the end (unreachable), it was gone from
    // the log consumers read. Or a truncation or log loss took it before it was read though a copy
    // survives where no one reads it (a broker that exited rather than truncate keeps its log;
    // lost-write counts it lost, noting the copy): the replica that lost it led on without an election (a
    // restart the ZooKeeper controller missed), and the loss's cause is why consumers passed it.
    if (r !== undefined && this.findings.logs.get(partition)?.firstOffset.get(r.record) === undefined) {
      if (this.leftBehindBy(r, byUs)) return this.prefixed('left behind by an election before it was read', this.loss.classify(r));
      if (this.removedBy(r, byUs)) return this.prefixed('removed from the log consumers read before it was read', this.loss.classify(r));
    }
    return breach(`no reset, retention, compaction or truncation explains how ${who(readers)} passed records of ${partition} without reading them`);
  }

  /**
   * Why a consumer's position went back on `partition` between `fromUs` and `toUs` (its next poll
   * started at `toOffset`, at or before the last offset it had read): a reset of that member.
   */
  whyBackwards(partition: string, member: string, lastOffset: number, toOffset: number, fromUs: TimeUs, toUs: TimeUs): Cause {
    const reset = this.resets(partition, { member }).find((x) => x.timeUs >= fromUs && x.timeUs <= toUs && x.toOffset !== null && x.toOffset <= lastOffset);
    if (!reset) return breach(`${member} read ${partition} again with no reset or rebalance in between`);
    const why = this.resetCause(reset);
    return { ...why, reason: `${resetKind(reset)}; ${why.reason}` };
  }

  /** Why the reset happened, classified by its root cause. */
  resetCause(reset: OffsetReset): Cause {
    const strategy = `auto.offset.reset=${reset.strategy}`;
    if (reset.reason === 'no-committed-offset') {
      const committed = [...this.analysis.timeline.group(reset.group).commits].filter((c) => c.partition === reset.partition && c.timeUs < reset.timeUs);
      if (committed.length === 0) return permitted('configuration', `${strategy}: group ${reset.group} had no committed offset for ${reset.partition}`);
      const lastCommit = committed[committed.length - 1];
      const loss = this.groups.lossBetween(reset.group, lastCommit.timeUs, reset.timeUs);
      if (loss) return loss.cause;
      return breach(`group ${reset.group}'s committed offset ${lastCommit.offset} of ${reset.partition} (${formatTimeUs(lastCommit.timeUs)}) vanished without a loss of its __consumer_offsets partition`);
    }
    const start = this.logStartAt(reset.partition, reset.timeUs);
    if (reset.reason === 'out-of-range' && reset.fromOffset < start)
      return permitted('configuration', `${this.retentionSetting(reset.partition)}: retention deleted ${reset.partition} below offset ${start} before ${reset.member} read offset ${reset.fromOffset}; ${strategy}`);
    const deposed = reset.reason === 'out-of-range' ? this.deposedLeaderAnswer(reset) : null;
    if (deposed) return deposed;
    // The broker that answered OFFSET_OUT_OF_RANGE, or whose OffsetsForLeaderEpoch answer showed the
    // truncation (KIP-320); the controller's leader when the event does not name it. Its own loss
    // of the offset after the last election that cut below it (a leader that lost its log and led
    // on: a restart the ZooKeeper controller missed) is the nearer cause: consumers read past that
    // election's cut from the new leader before the leader lost it.
    const answering = reset.broker ?? this.leaderAt(reset.partition, reset.timeUs);
    const removal = (afterUs: TimeUs) =>
      reset.reason === 'out-of-range' || reset.reason === 'truncation' ? this.removalBelow(reset.partition, reset.fromOffset - 1, reset.timeUs, answering, afterUs) : null;
    const cut = this.electionBelow(reset.partition, reset.fromOffset - 1, reset.timeUs, true);
    if (cut) return removal(cut.timeUs) ?? this.electionCause(reset.partition, cut, reset.fromOffset - 1, reset.fromOffset);
    const removed = removal(-1);
    return removed ?? breach(`${reset.member}'s position became invalid (${reset.reason}) with no election that cut the log below it`);
  }

  /**
   * An OFFSET_OUT_OF_RANGE answered by a broker the controller had deposed (a zombie leader: its
   * metadata, or the consumer's, still named it). Before KIP-320 (2.1) the consumer takes a stale
   * broker's metadata as it comes (Metadata v7 first carries the leader epoch) and its fetch
   * carries no leader epoch to be fenced by (Fetcher: OFFSET_OUT_OF_RANGE resets the position when
   * it is still the one fetched), so the zombie's shorter log resets it: the version. The brokers
   * fence followers from 2.1, but the consumer sends its leader epoch in fetches only from 2.3
   * (KAFKA-7440 / KAFKA-7747; its metadata tracks epochs from 2.2, KAFKA-7738), so 2.1-2.2 runs
   * are permitted by the version too. From 2.3 the zombie answers FENCED_LEADER_EPOCH /
   * UNKNOWN_LEADER_EPOCH instead: a breach.
   */
  private deposedLeaderAnswer(reset: OffsetReset): Cause | null {
    if (reset.broker === undefined) return null;
    const elections = this.analysis.history.elections(reset.partition);
    const e = elections[countUntil(elections, reset.timeUs) - 1];
    if (e === undefined || e.event.leader === reset.broker) return null;
    const now = e.event.leader === null ? `left it without a leader` : `made ${e.event.leader} leader of epoch ${e.event.leaderEpoch}`;
    const known = reset.leaderEpoch === undefined ? '' : ` (the consumer knew leader epoch ${reset.leaderEpoch})`;
    const zombie = `${reset.broker}, no longer the leader of ${reset.partition} (the ${e.event.kind} election at ${formatTimeUs(e.timeUs)} ${now}), answered ${reset.member}'s fetch at offset ${reset.fromOffset} with OFFSET_OUT_OF_RANGE${known}`;
    const label = protocolLabel(this.analysis.scenario);
    const features = protocolOf(this.analysis.scenario);
    if (!features.consumerValidatesPositions) {
      const metadata = features.metadataRefusesOlderLeaderEpochs ? '' : `; nor does its metadata check leader epochs (${describeMissingFix('metadataRefusesOlderLeaderEpochs')})`;
      return permitted('version', `${zombie}: ${label}: ${describeMissingFix('consumerValidatesPositions')}${metadata}`);
    }
    return breach(`${zombie}, though ${label}'s consumer fetches carry its leader epoch (KIP-320), which fences them`);
  }

  /**
   * No election cut the log, yet `broker` (the one that answered, or wrote) had lost `offset` of
   * `partition`, which consumers had read, by `timeUs`: a truncation or a log loss removed it while
   * the broker kept leading (a restart the ZooKeeper controller missed, say). Why it went is why
   * the acknowledged record there was lost; null when no such removal (after `afterUs`).
   */
  private removalBelow(partition: string, offset: number, timeUs: TimeUs, broker: string | null, afterUs: TimeUs = -1): Cause | null {
    const history = this.analysis.history;
    for (const x of this.removalsOn(partition, broker, timeUs, afterUs)) {
      const first = firstRemovedOffset(x.event);
      if (first > offset || x.event.fromOffset <= offset) continue;
      const how = x.event.type === 'log-lost' ? x.event.cause : `truncation (${x.event.reason})`;
      const cut = `${broker} lost offsets ${first}..${x.event.fromOffset - 1} of ${partition} to ${how} at ${formatTimeUs(x.timeUs)}, below offsets consumers had read`;
      for (const id of x.event.removed) {
        const r = history.records.get(id);
        if (r && r.ackUs >= 0 && r.ackUs <= x.timeUs && r.ackOffset >= first && r.ackOffset <= offset) return this.prefixed(cut, this.loss.classify(r));
      }
      return breach(`${cut}, with no loss of an acknowledged record to explain it`);
    }
    return null;
  }

  /** The log losses and truncations of `partition` on `broker` in (`afterUs`, `untilUs`], newest first. */
  private *removalsOn(partition: string, broker: string | null, untilUs: TimeUs, afterUs: TimeUs = -1): Generator<RecordRemoval> {
    const removals = this.analysis.history.removals;
    for (let i = removals.length - 1; i >= 0; i--) {
      const x = removals[i];
      if (x.timeUs <= afterUs) return;
      if (x.timeUs <= untilUs && x.event.partition === partition && this.findings.nodeName(x.node) === broker) yield x;
    }
  }

  /** The partition's leader per the controller at `timeUs` (its last election then), or null. */
  private leaderAt(partition: string, timeUs: TimeUs): string | null {
    const elections = this.analysis.history.elections(partition);
    return elections[countUntil(elections, timeUs) - 1]?.event.leader ?? null;
  }

  /**
   * Why the election `e` cut the log of `partition` below `offset`, which consumers had read
   * (`position`: where the consumer in question stood, past `offset`).
   */
  electionCause(partition: string, e: ElectionAt, offset: number, position = offset + 1): Cause {
    const cut = `${e.event.kind} election of ${e.event.leader} at ${formatTimeUs(e.timeUs)} cut the log of ${partition} to ${e.epochStartOffset}${tookOverNote(e)}`;
    const features = protocolOf(this.analysis.scenario);
    // Before KIP-320 the consumer does not see the truncation: it reads on from its old position.
    const noKip320 = features.consumerValidatesPositions ? '' : `; ${protocolLabel(this.analysis.scenario)}${notValidating}, so it read on without noticing`;
    if (e.event.kind === 'unclean') return permitted('configuration', `unclean.leader.election.enable=true: ${cut}${noKip320}`);
    // The records it cut up to `offset` first; then the rest of the cut, up to what consumers had
    // read by then: one cut, one cause, also for an offset whose own record was never acknowledged
    // (its ack failed, and the producer's retry landed elsewhere).
    const readUpTo = Math.max(offset + 1, this.analysis.timeline.frontierAt(partition, e.timeUs));
    for (let o = e.epochStartOffset; o < readUpTo; o++) {
      for (const r of this.recordsAt(partition, o)) {
        if (r.ackUs < 0 || r.ackUs > e.timeUs || !r.removals) continue;
        return this.unvalidatedPosition(partition, e, position, this.prefixed(cut, this.loss.classify(r)));
      }
    }
    const lostByLeader = this.leaderLossBelow(partition, e, offset);
    if (lostByLeader) return this.unvalidatedPosition(partition, e, position, this.prefixed(cut, this.loss.classify(lostByLeader)));
    return this.unvalidatedPosition(partition, e, position, breach(`${cut}, below offsets consumers had read, with no loss to explain it`));
  }

  /**
   * `cut`, the cause of the election `e`'s cut, as a consumer at `position` met it. One that had
   * read past the new leader's log end when it was elected (its position above that log end and
   * no further than consumers had read by then) and whose version does not validate positions
   * after a leader change (before 2.3: Fetcher has no validateOffsetsIfNeeded and its fetches
   * carry no current leader epoch; KAFKA-7747 / KIP-320's consumer side) reads on from there:
   * past the records written anew below it, or into OFFSET_OUT_OF_RANGE and a reset. From 2.3 it
   * would go back to the divergence point (OffsetsForLeaderEpoch) and read them. So where nothing
   * else permits it (the cut is a breach: the lost records are lost-write's to report), its skip
   * or re-read is permitted by the version; an unclean election, the fault load or another flaw
   * that permits the cut keeps its class, naming the 2.3 fix only in the reason.
   */
  private unvalidatedPosition(partition: string, e: ElectionAt, position: number, cut: Cause): Cause {
    if (protocolOf(this.analysis.scenario).consumerValidatesPositions) return cut;
    if (position <= e.epochStartOffset || position > this.analysis.timeline.frontierAt(partition, e.timeUs)) return cut;
    const label = protocolLabel(this.analysis.scenario);
    if (cut.classification !== 'breach') return { ...cut, reason: `${cut.reason}; ${label}${notValidating}, so it read on without noticing` };
    return permitted('version', `${label}${notValidating}, so it read on past the cut without noticing; the cut: ${cut.reason}`);
  }

  /**
   * No record acknowledged by the election was cut, yet consumers had read past the new leader's
   * log end: what they read was committed (a consumer reads below the high watermark), its
   * acknowledgement still on its way or lost. The record the new leader itself last lost (power
   * loss, truncation) at an offset in [its log end, `offset`] before the election: why its copies
   * went is why the leader's log ended short. Undefined when the leader lost none there.
   */
  private leaderLossBelow(partition: string, e: ElectionAt, offset: number): RecordHistory | undefined {
    const history = this.analysis.history;
    for (const x of this.removalsOn(partition, e.event.leader, e.timeUs)) {
      const first = firstRemovedOffset(x.event);
      for (let o = Math.max(first, e.epochStartOffset); o < x.event.fromOffset && o <= offset; o++) {
        const r = history.records.get(x.event.removed[o - first]);
        if (r) return r;
      }
    }
    return undefined;
  }

  /**
   * The last election of `partition` at or before `timeUs` that cut the log below `offset`: its new
   * leader's log ended at or below it, though consumers had already read past it (`readPast`: when
   * the caller knows that already, a consumer's position beyond it, say). None when a later one
   * elected a leader whose log reached past `offset`: that log was whole again, and what cut it
   * since was no election (removalBelow).
   */
  electionBelow(partition: string, offset: number, timeUs: TimeUs, readPast = false): ElectionAt | undefined {
    const elections = this.analysis.history.elections(partition);
    for (let i = elections.length - 1; i >= 0; i--) {
      const e = elections[i];
      if (e.timeUs > timeUs || e.event.leader === null || e.event.kind === 'initial') continue;
      if (e.epochStartOffset > offset) return undefined;
      if (readPast || this.analysis.timeline.frontierAt(partition, e.timeUs) > offset) return e;
    }
    return undefined;
  }

  /** Resets of `partition` by the readers, in time order. */
  resets(partition: string, readers: Readers): OffsetReset[] {
    const out: OffsetReset[] = [];
    for (const [key, list] of this.analysis.timeline.resets) {
      if (!key.endsWith(`\u0000${partition}`)) continue;
      for (const x of list) if ((readers.group === undefined || x.group === readers.group) && (readers.member === undefined || x.member === readers.member)) out.push(x);
    }
    return out.sort((a, b) => a.timeUs - b.timeUs);
  }

  /** Compaction removed the record at `offset` before `byUs`: configuration. */
  compactedBefore(partition: string, offset: number, byUs: TimeUs): Cause | null {
    const c = (this.analysis.timeline.compaction.get(partition) ?? []).find((x) => x.timeUs <= byUs && x.offset > offset);
    if (!c) return null;
    return permitted('configuration', `cleanup.policy=compact: the log cleaner removed them before they were read (a later record has the same key)`);
  }

  /** Retention deleted `offset` by `byUs` (before `reset`, the jump over it, when there was one): configuration. */
  private retentionBefore(partition: string, offset: number, byUs: TimeUs, readers: Readers, jump: OffsetReset | undefined): Cause | null {
    const r = (this.analysis.timeline.retention.get(partition) ?? []).find((x) => x.timeUs <= byUs && x.offset > offset);
    if (!r) return null;
    const reset = jump ? `; then ${describeReset(jump)}` : '';
    if (r.deleteRecords)
      return permitted('configuration', `delete-records: a DeleteRecords request at ${formatTimeUs(r.timeUs)} moved the log start to ${r.offset} before ${who(readers)} read them${reset}`);
    return permitted('configuration', `${this.retentionSetting(partition)}: retention deleted them before ${who(readers)} read them${reset}`);
  }

  private retentionSetting(partition: string): string {
    const c = this.analysis.lookup.topicConfig(partition);
    const ms = `retention.ms=${c['log.retention.ms']}`;
    return c['log.retention.bytes'] >= 0 ? `${ms}, retention.bytes=${c['log.retention.bytes']}` : ms;
  }

  /** The highest log start offset retention had moved `partition` to by `timeUs` (any replica). */
  logStartAt(partition: string, timeUs: TimeUs): number {
    let start = 0;
    for (const x of this.analysis.timeline.retention.get(partition) ?? []) if (x.timeUs <= timeUs && x.offset > start) start = x.offset;
    return start;
  }

  recordsAt(partition: string, offset: number): RecordHistory[] {
    let index = this.byOffset.get(partition);
    if (!index) {
      index = new Map();
      // Reads the columns, and builds a snapshot only of the partition's acknowledged records.
      const records = this.analysis.history.records;
      for (const id of records.ids()) {
        const ackOffset = records.ackOffsetOf(id);
        if (ackOffset < 0 || records.partition(id) !== partition) continue;
        const r = records.get(id)!;
        const list = index.get(ackOffset);
        if (list) list.push(r);
        else index.set(ackOffset, [r]);
      }
      this.byOffset.set(partition, index);
    }
    return index.get(offset) ?? [];
  }

  /** Whether a truncation or log loss removed `r` from some replica at or before `timeUs`. */
  removedBy(r: RecordHistory, timeUs: TimeUs): boolean {
    return (r.removals ?? []).some((i) => this.analysis.history.removals[i].timeUs <= timeUs);
  }

  /**
   * Whether an election of a later leader epoch than r's acknowledgement, by timeUs, made a leader
   * whose log ended at or below r's offset: the partition's log went on without r
   * (Partition.makeLeader: the new leader's log is the log), though the replica that held it
   * removed nothing yet (down, say, to the end of the run). By epoch, not time: with acks=1 the old
   * leader may acknowledge just after the election that deposed it.
   */
  private leftBehindBy(r: RecordHistory, timeUs: TimeUs): boolean {
    if (r.ackOffset < 0 || r.ackLeaderEpoch < 0) return false;
    return this.analysis.history
      .elections(r.partition)
      .some((e) => e.timeUs <= timeUs && e.event.leaderEpoch > r.ackLeaderEpoch && e.event.leader !== null && e.epochStartOffset <= r.ackOffset);
  }

  /** Ids of the lost records (a RecordHistory is a snapshot: compare ids, not objects). */
  private lost: Set<number> | null = null;

  private lostSet(): Set<number> {
    return (this.lost ??= new Set(this.findings.lost.lost.map((r) => r.record)));
  }

  private prefixed(what: string, cause: Cause): Cause {
    return { ...cause, reason: `${cause.reason}; ${what}` };
  }
}

/** "'s consumer does not validate ... (KAFKA-7747 (KAFKA-7440), fixed in Kafka 2.3)", after a version's label. */
const notValidating = `'s consumer does not validate its position after a leader change (${describeMissingFix('consumerValidatesPositions').split(':')[0]})`;

function startOf(reset: OffsetReset): number {
  return reset.fromOffset < 0 ? 0 : reset.fromOffset;
}

function who(readers: Readers): string {
  if (readers.member !== undefined) return readers.member;
  if (readers.group !== undefined) return `group ${readers.group}`;
  return 'the consumers';
}

/** "m1 reset by auto.offset.reset=earliest (truncation)": a reset's kind, the same for every reset of its kind. */
export function resetKind(x: OffsetReset): string {
  return `${x.member} reset by auto.offset.reset=${x.strategy} (${x.reason})`;
}

/** "w1's reset at 23.1s (out-of-range, auto.offset.reset=latest) moved its position from 161 to 460". */
function describeReset(x: OffsetReset): string {
  const from = x.fromOffset < 0 ? 'no position' : `position ${x.fromOffset}`;
  const to = x.toOffset === null ? 'nowhere yet' : String(x.toOffset);
  return `${x.member}'s reset at ${formatTimeUs(x.timeUs)} (${x.reason}, auto.offset.reset=${x.strategy}) moved it from ${from} to ${to}`;
}
