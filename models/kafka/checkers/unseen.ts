// unseen (Jepsen's name): acknowledged records no consumer ever polled. Jepsen counts them after
// every operation (analysis/unseen-records.ts) and reports those still unseen at the end; its
// test ends with polls that catch up. A ksim run ends while consumers may still be behind, so an
// unseen record at the end is a finding only when consumers had read past its offset (the
// partition's read frontier, analysis/consumer-timeline.ts): they moved past it without reading
// it. Records ahead of every consumer are lag, counted in the summary (and judged by
// consumer-liveness), not a finding. Only partitions some consumer group subscribes to count, and
// only records some group reading them owes: those below the first position of every such group,
// each new and started at auto.offset.reset=latest, were never any consumer's to read
// (analysis/group-start-positions.ts); the summary counts them apart.
//
// Each unseen record is explained (consumer-causes.ts): lost before anyone read it (its loss's
// class); retention deleted it first (configuration: retention.ms); a reset to latest jumped over
// it (configuration: auto.offset.reset); compaction removed it (configuration); it was written at
// an offset consumers had read past after an election cut the log (the election's class);
// otherwise a breach.
//
// The summary (analysis["unseen"]) is the count over time, sampled each virtual second, and the
// final counts: passed over, and behind every consumer. A record an acks=0 producer sent that no
// log holds at the end (never appended, or lost with the leader that had it: KafkaProducer
// completes an acks=0 send once it is written to the socket, with offset -1, and promises nothing
// more; lost-write classifies its loss) is neither: no consumer could ever read it. It is counted
// apart (acksZeroNotInAnyLog) and out of the unseen at the end.

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { Violation } from '../../../src/sim/model.ts';
import { US_PER_MS } from '../../../src/sim/time.ts';
import type { KafkaRunAnalysis } from '../analysis/kafka-run-analysis.ts';
import { parsePartitionName } from '../analysis/partition-name.ts';
import type { ClientAnalyses } from './client-analyses.ts';
import { groupFindings, groupViolation, RECORDS_NAMED_MAX, type ClassifiedFinding } from './grouped-violations.ts';
import { plural, recordName } from './kafka-terms.ts';
import type { RunCauses } from './run-causes.ts';

interface UnseenRecord {
  partition: string;
  record: number;
  offset: number;
}

export interface UnseenSummary {
  /** [virtual ms, acknowledged records not yet polled] over the subscribed partitions. */
  series: [number, number][];
  unseenAtEnd: number;
  /** Unseen at the end though consumers had read past them: the findings. */
  passedOver: number;
  /** Unseen at the end and ahead of every consumer: lag. */
  behind: number;
  /**
   * Unseen at the end below the first position of every group that reads them, each a new group
   * that started at auto.offset.reset=latest (analysis/group-start-positions.ts): owed to no one.
   * Absent when none.
   */
  notOwed?: number;
  /**
   * Sent by an acks=0 producer and held by no log at the end: never written, or lost with its
   * leader; no consumer could read it, and acks=0 promises nothing. Not in unseenAtEnd. Absent when none.
   */
  acksZeroNotInAnyLog?: number;
  /** The largest count of the sampled series (the last count of each virtual second), and when. */
  maxUnseen: number;
  maxUnseenAtMs: number;
}

export class UnseenChecker implements Checker {
  readonly name = 'unseen';
  private result: UnseenSummary | undefined;

  constructor(
    private readonly analysis: KafkaRunAnalysis,
    private readonly clients: ClientAnalyses,
    private readonly causes: RunCauses,
  ) {}

  finish(run: RunView): Violation[] {
    const groups = this.analysis.scenario.consumerGroups ?? [];
    const topics = new Set(groups.flatMap((g) => g.topics));
    if (topics.size === 0) return [];
    const subscribed = (p: string) => topics.has(parsePartitionName(p).topic);
    const unseen = this.clients.unseen();
    const findings = this.analysis.conclude(run);
    const passed: UnseenRecord[] = [];
    let behind = 0;
    let notOwed = 0;
    let acksZeroNotInAnyLog = 0;
    for (const [partition, values] of unseen.messages) {
      if (!subscribed(partition)) continue;
      const frontier = this.analysis.timeline.frontierAt(partition, run.nowUs);
      const topic = parsePartitionName(partition).topic;
      const readers = groups.filter((g) => g.topics.includes(topic)).map((g) => g.groupId);
      const owed = (offset: number, record: number) => readers.some((g) => findings.startPositions.owes(g, partition, offset, record));
      const log = findings.logs.get(partition);
      for (const v of values) {
        const r = this.analysis.history.records.get(v as number);
        const offset = log?.firstOffset.get(v as number) ?? r?.ackOffset ?? -1;
        if (offset < 0 && r !== undefined && this.analysis.lookup.producer(r.producer)?.acks === '0') acksZeroNotInAnyLog++;
        else if (offset < 0 || offset >= frontier) behind++;
        else if (!owed(offset, v as number)) notOwed++;
        else passed.push({ partition, record: v as number, offset });
      }
    }
    this.result = this.summarize(unseen.series, subscribed, passed.length, behind);
    if (notOwed > 0) this.result.notOwed = notOwed;
    if (acksZeroNotInAnyLog > 0) {
      this.result.acksZeroNotInAnyLog = acksZeroNotInAnyLog;
      this.result.unseenAtEnd -= acksZeroNotInAnyLog;
    }
    if (passed.length === 0) return [];
    const consumer = this.causes.of(run).consumer;
    const classified = passed.map((u): ClassifiedFinding<UnseenRecord> => {
      const cause = consumer.whyUnread(u.partition, u.offset, u.record, {}, run.nowUs);
      return { partition: u.partition, classification: cause.classification, permittedBy: cause.permittedBy, reason: cause.reason, item: u };
    });
    return groupFindings(classified).map((group) => {
      const items = group.items.sort((a, b) => a.offset - b.offset);
      const named = items.slice(0, RECORDS_NAMED_MAX).map((u) => `${recordName(u.record)}@${u.offset}`);
      const more = items.length > named.length ? `, and ${items.length - named.length} more` : '';
      const s = this.result!;
      const body =
        `${plural(items.length, 'acknowledged record')} of ${group.partition} no consumer ever polled, though consumers read past their offsets: ${named.join(', ')}${more}` +
        ` (unseen over time: at most ${s.maxUnseen} at ${(s.maxUnseenAtMs / 1000).toFixed(1)} s, ${s.unseenAtEnd} at the end)`;
      return groupViolation(this.name, group, body, { records: items.slice(0, RECORDS_NAMED_MAX).map((u) => u.record), offsets: items.slice(0, RECORDS_NAMED_MAX).map((u) => u.offset) });
    });
  }

  private summarize(series: readonly { timeUs: number; unseen: Record<string, number> }[], subscribed: (p: string) => boolean, passedOver: number, behind: number): UnseenSummary {
    const out: UnseenSummary = { series: [], unseenAtEnd: 0, passedOver, behind, maxUnseen: 0, maxUnseenAtMs: 0 };
    for (const s of series) {
      let n = 0;
      for (const [p, count] of Object.entries(s.unseen)) if (subscribed(p)) n += count;
      const ms = s.timeUs / US_PER_MS;
      out.series.push([ms, n]);
      if (n > out.maxUnseen) {
        out.maxUnseen = n;
        out.maxUnseenAtMs = ms;
      }
    }
    out.unseenAtEnd = out.series.length > 0 ? out.series[out.series.length - 1][1] : 0;
    return out;
  }

  summary(): object | undefined {
    return this.result;
  }
}
