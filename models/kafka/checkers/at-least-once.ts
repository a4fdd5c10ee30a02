// at-least-once: every acknowledged record of a group's subscribed partition below the group's
// final committed offset was processed by some member of the group (a process event), at least
// once. The records owed are those of the partition's final committed log (below its high
// watermark) and, retention-aware, those retention deleted since (acknowledged at an offset below
// the final log start and not lost): a record deleted before the group read it was never processed.
// An unprocessed one is a gap. A group that started new from auto.offset.reset=latest owes nothing
// below its first position on a partition (analysis/group-start-positions.ts; the summary's "owed
// from"); later resets are judged by their causes below.
//
// Each gap is explained by what actually covers it, by time and offset (consumer-causes.ts):
// - polled by the group but never processed: commit before processing or auto commit committed it
//   on poll and the member went away before processing it (configuration: the commit strategy);
//   with commit after processing, a breach (the committed offset passed an unprocessed record);
// - never polled by the group: retention deleted it before the group read it, with the reset that
//   then jumped over it (configuration: retention.ms, auto.offset.reset); a reset to latest jumped
//   over it (configuration); compaction removed it (configuration); it was written at an offset
//   the group had read past, after an election cut the log (unclean: configuration; otherwise the
//   class of what lost the records it replaced); otherwise a breach. A reset that skipped nothing
//   (a new group's first reset to earliest) never explains a gap.

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { Violation } from '../../../src/sim/model.ts';
import type { TimeUs } from '../../../src/sim/time.ts';
import type { KafkaRunAnalysis } from '../analysis/kafka-run-analysis.ts';
import { passOver } from '../analysis/client-history.ts';
import { groupFindings, groupViolation, RECORDS_NAMED_MAX, type ClassifiedFinding } from './grouped-violations.ts';
import { recordName } from './kafka-terms.ts';
import { breach, permitted, type Cause } from './loss-causes.ts';
import type { RunCauses } from './run-causes.ts';
import { memberOf } from './client-analyses.ts';

interface UnprocessedRecord {
  group: string;
  partition: string;
  offset: number;
  record: number;
  committedOffset: number;
  deletedByRetention: boolean;
}

export class AtLeastOnceChecker implements Checker {
  readonly name = 'at-least-once';
  /**
   * Per group: record id -> the first member that polled it, and when; built at the end, only for
   * a group with gaps and only for its gaps (a long run polls millions of records).
   */
  private readonly polled = new Map<string, Map<number, { member: string; timeUs: TimeUs }>>();

  constructor(
    private readonly analysis: KafkaRunAnalysis,
    private readonly causes: RunCauses,
  ) {}

  finish(run: RunView): Violation[] {
    const findings = this.analysis.conclude(run);
    const gaps: UnprocessedRecord[] = [];
    for (const fg of findings.final?.consumerGroups ?? []) {
      const processed = this.analysis.consumers.processedBy(fg.group);
      for (const c of fg.committed) {
        if (c.offset < 0) continue;
        for (const u of this.owed(run, fg.group, c.partition, c.offset)) if (!processed.has(u.record)) gaps.push(u);
      }
    }
    const classified: ClassifiedFinding<UnprocessedRecord>[] = [];
    for (const u of gaps) {
      const cause = this.classify(run, u, gaps);
      classified.push({ partition: u.partition, classification: cause.classification, permittedBy: cause.permittedBy, reason: cause.reason, item: u });
    }
    return groupFindings(classified).map((group) => {
      const items = group.items;
      const named = items.slice(0, RECORDS_NAMED_MAX).map((f) => `${recordName(f.record)}@${f.offset}`);
      const more = items.length > named.length ? `, and ${items.length - named.length} more` : '';
      const deleted = items.filter((f) => f.deletedByRetention).length;
      const body =
        `${items.length} acknowledged record(s) of ${group.partition} below group ${items[0].group}'s committed offset ${items[0].committedOffset} ` +
        `never processed${deleted > 0 ? ` (${deleted} of them since deleted by retention)` : ''}: ${named.join(', ')}${more}`;
      return groupViolation(this.name, group, body, {
        records: items.slice(0, RECORDS_NAMED_MAX).map((f) => f.record),
        offsets: items.slice(0, RECORDS_NAMED_MAX).map((f) => f.offset),
        deletedByRetention: deleted,
      });
    });
  }

  /**
   * The acknowledged records the group owes below `committed`: in the final committed log, or
   * deleted by retention; none below a new group's first position at latest (group-start-positions.ts).
   */
  private *owed(run: RunView, group: string, partition: string, committed: number): Generator<UnprocessedRecord> {
    const findings = this.analysis.conclude(run);
    const ref = findings.logs.get(partition)?.reference;
    if (!ref) return;
    const records = this.analysis.history.records;
    const owes = (offset: number, record: number) => findings.startPositions.owes(group, partition, offset, record);
    for (const r of findings.deletedByRetention.get(partition) ?? [])
      if (r.ackOffset < committed && owes(r.ackOffset, r.record)) yield { group, partition, offset: r.ackOffset, record: r.record, committedOffset: committed, deletedByRetention: true };
    const end = Math.min(committed, ref.highWatermark, ref.logStartOffset + ref.records.length);
    for (let o = ref.logStartOffset; o < end; o++) {
      const id = ref.records[o - ref.logStartOffset];
      if (id < 0 || records.outcome(id) !== 'acked' || !owes(o, id)) continue;
      yield { group, partition, offset: o, record: id, committedOffset: committed, deletedByRetention: false };
    }
  }

  /** Who in `group` first polled each of the group's `gaps`, from the client history (once per group). */
  private polledBy(group: string, gaps: readonly UnprocessedRecord[]): Map<number, { member: string; timeUs: TimeUs }> {
    let map = this.polled.get(group);
    if (map) return map;
    map = new Map();
    const wanted = new Set<number>();
    for (const u of gaps) if (u.group === group) wanted.add(u.record);
    const members = new Set(this.analysis.scenario.consumerGroups?.find((g) => g.groupId === group)?.members.map((m) => m.name) ?? []);
    for (const op of passOver(this.analysis.clients.history.ops)) {
      if (op.f !== 'poll' || !members.has(memberOf(op.process))) continue;
      for (const r of op.reads ?? []) for (const [, v] of r.pairs) if (typeof v === 'number' && wanted.has(v) && !map.has(v)) map.set(v, { member: memberOf(op.process), timeUs: op.timeUs });
    }
    this.polled.set(group, map);
    return map;
  }

  private classify(run: RunView, u: UnprocessedRecord, gaps: readonly UnprocessedRecord[]): Cause {
    const polled = this.polledBy(u.group, gaps).get(u.record);
    if (polled) {
      const strategy = this.strategyOf(u.group);
      if (strategy === 'before-processing') return permitted('configuration', `commit before processing (at most once): ${polled.member} committed it on poll and did not process it`);
      if (strategy === 'auto') return permitted('configuration', `enable.auto.commit=true: offsets committed on poll; ${polled.member} polled it and did not process it`);
      return breach(`commit after processing: ${polled.member} polled it but never processed it, yet the committed offset passed it`);
    }
    return this.causes.of(run).consumer.whyUnread(u.partition, u.offset, u.record, { group: u.group }, run.nowUs);
  }

  /** 'at-least-once' only when every member commits after processing with auto commit off. */
  private strategyOf(group: string): 'at-least-once' | 'before-processing' | 'auto' {
    const spec = this.analysis.scenario.consumerGroups?.find((g) => g.groupId === group);
    if (!spec) return 'auto';
    if (spec.members.some((m) => m.commit === 'before-processing')) return 'before-processing';
    if (spec.members.some((m) => m.commit === 'auto' || m.config['enable.auto.commit'])) return 'auto';
    return 'at-least-once';
  }
}
