// at-least-once: every acknowledged record of a group's subscribed partition that sits in the
// partition's final committed log (the reference log below its high watermark) below the group's
// final committed offset was processed by some member of the group (a process event), at least
// once. An unprocessed one is a gap.
//
// Classified by how the group commits (ConsumerMemberSpec.commit and enable.auto.commit):
// - breach when every member commits after processing (commit-after-processing, auto commit off):
//   the committed offset only passes processed records, unless one of the causes below intervened.
// - permitted (configuration) for commit-before-processing (at most once: a crash between the
//   commit and the processing skips records) and for auto commit (offsets committed on poll).
// - permitted (configuration) when a member of the group reset its position on that partition by
//   auto.offset.reset (latest, or past data deleted by retention), or an unclean election of the
//   partition or of the group's __consumer_offsets partition happened.
// Linear in the final logs and the process events: a set of processed record ids per group.

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { ModelEvent, Violation } from '../../../src/sim/model.ts';
import { formatTimeUs, type TimeUs } from '../../../src/sim/time.ts';
import type { KafkaEvent } from '../kafka-events.ts';
import type { KafkaRunAnalysis } from '../analysis/kafka-run-analysis.ts';
import { groupFindings, groupViolation, RECORDS_NAMED_MAX, type ClassifiedFinding } from './grouped-violations.ts';
import { recordName } from './kafka-terms.ts';

interface UnprocessedRecord {
  group: string;
  partition: string;
  offset: number;
  record: number;
  committedOffset: number;
}

export class AtLeastOnceChecker implements Checker {
  readonly name = 'at-least-once';
  private readonly processed = new Map<string, Set<number>>();
  /** "group\0partition" -> first offset reset of any member. */
  private readonly resets = new Map<string, { timeUs: TimeUs; member: string; strategy: string }>();
  /** Partition (user or __consumer_offsets) -> first unclean election. */
  private readonly unclean = new Map<string, TimeUs>();

  constructor(private readonly analysis: KafkaRunAnalysis) {}

  onEvent(timeUs: TimeUs, _node: number, modelEvent: ModelEvent): void {
    const ev = modelEvent as unknown as KafkaEvent;
    switch (ev.type) {
      case 'process': {
        let set = this.processed.get(ev.group);
        if (!set) this.processed.set(ev.group, (set = new Set()));
        set.add(ev.record);
        return;
      }
      case 'offset-reset': {
        const key = `${ev.group}\u0000${ev.partition}`;
        if (!this.resets.has(key)) this.resets.set(key, { timeUs, member: ev.member, strategy: ev.strategy });
        return;
      }
      case 'election':
        if (ev.kind === 'unclean' && !this.unclean.has(ev.partition)) this.unclean.set(ev.partition, timeUs);
        return;
    }
  }

  finish(run: RunView): Violation[] {
    const findings = this.analysis.conclude(run);
    const records = this.analysis.history.records;
    const classified: ClassifiedFinding<UnprocessedRecord>[] = [];
    for (const fg of findings.final?.consumerGroups ?? []) {
      const strategy = this.strategyOf(fg.group);
      const processed = this.processed.get(fg.group);
      for (const c of fg.committed) {
        const ref = findings.logs.get(c.partition)?.reference;
        if (!ref || c.offset < 0) continue;
        const end = Math.min(c.offset, ref.highWatermark, ref.logStartOffset + ref.records.length);
        let cause: { permitted: boolean; reason: string } | null = null;
        for (let o = ref.logStartOffset; o < end; o++) {
          const id = ref.records[o - ref.logStartOffset];
          if (id < 0 || processed?.has(id) || records.get(id)?.outcome !== 'acked') continue;
          cause ??= this.causeOf(fg.group, c.partition, fg.offsetsPartition, strategy);
          classified.push({
            partition: c.partition,
            classification: cause.permitted ? 'permitted' : 'breach',
            permittedBy: cause.permitted ? 'configuration' : undefined,
            reason: cause.reason,
            item: { group: fg.group, partition: c.partition, offset: o, record: id, committedOffset: c.offset },
          });
        }
      }
    }
    return groupFindings(classified).map((group) => {
      const items = group.items;
      const named = items.slice(0, RECORDS_NAMED_MAX).map((f) => `${recordName(f.record)}@${f.offset}`);
      const more = items.length > named.length ? `, and ${items.length - named.length} more` : '';
      const body =
        `${items.length} acknowledged record(s) of ${group.partition} below group ${items[0].group}'s committed offset ${items[0].committedOffset} ` +
        `never processed: ${named.join(', ')}${more}`;
      return groupViolation(this.name, group, body, {
        records: items.slice(0, RECORDS_NAMED_MAX).map((f) => f.record),
        offsets: items.slice(0, RECORDS_NAMED_MAX).map((f) => f.offset),
      });
    });
  }

  /** 'at-least-once' only when every member commits after processing with auto commit off. */
  private strategyOf(group: string): 'at-least-once' | 'before-processing' | 'auto' {
    const spec = this.analysis.scenario.consumerGroups?.find((g) => g.groupId === group);
    if (!spec) return 'auto';
    if (spec.members.some((m) => m.commit === 'before-processing')) return 'before-processing';
    if (spec.members.some((m) => m.commit === 'auto' || m.config['enable.auto.commit'])) return 'auto';
    return 'at-least-once';
  }

  private causeOf(group: string, partition: string, offsetsPartition: string, strategy: ReturnType<AtLeastOnceChecker['strategyOf']>): { permitted: boolean; reason: string } {
    if (strategy === 'before-processing') return { permitted: true, reason: 'commit before processing (at most once)' };
    if (strategy === 'auto') return { permitted: true, reason: 'enable.auto.commit: offsets committed on poll' };
    const reset = this.resets.get(`${group}\u0000${partition}`);
    if (reset) return { permitted: true, reason: `${reset.member} reset its position by auto.offset.reset=${reset.strategy} at ${formatTimeUs(reset.timeUs)}` };
    for (const p of [partition, offsetsPartition]) {
      const at = this.unclean.get(p);
      if (at !== undefined) return { permitted: true, reason: `unclean election of ${p} at ${formatTimeUs(at)}` };
    }
    return { permitted: false, reason: 'commit after processing (at least once)' };
  }
}
