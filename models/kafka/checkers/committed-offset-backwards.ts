// committed-offset-backwards: a consumer group's committed offset of a partition never moves
// backwards. The committed offset moves on every acknowledged commit (commit-ok, in arrival order)
// and, at the end, is what the group's coordinator loads from its __consumer_offsets partition (the
// final state: a coordinator failover reloads the group from the new leader's log). A commit-ok, or
// the final loaded offset, below the previous committed offset is a finding.
//
// Classified:
// - permitted (configuration) when an unclean election of the group's __consumer_offsets partition
//   happened since the previous commit: the new leader's log may lack the latest offset commits.
// - permitted (configuration) when the member that committed the lower offset reset its position on
//   that partition by auto.offset.reset since the previous commit (earliest, or KIP-320 truncation
//   detection, moves the position back on purpose).
// - permitted (fault load) when the __consumer_offsets partition lost records to power or disk loss
//   since the previous commit: every in-sync copy of the commit may be gone.
// - breach otherwise: the coordinator accepted an offset that a fenced or stale member computed
//   (a commit from an old generation), or lost an acknowledged commit without cause.
// A final loaded offset of -1 (nothing committed) after commits counts as moving back to -1.

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { ModelEvent, Violation } from '../../../src/sim/model.ts';
import { formatTimeUs, type TimeUs } from '../../../src/sim/time.ts';
import type { KafkaEvent, KafkaFinalState } from '../kafka-events.ts';
import type { KafkaScenario } from '../scenario/kafka-scenario.ts';
import { partitionForGroup } from '../group/offsets-topic.ts';
import { groupFindings, groupViolation, RECORDS_NAMED_MAX, type ClassifiedFinding } from './grouped-violations.ts';

interface OffsetMovedBack {
  group: string;
  partition: string;
  fromOffset: number;
  toOffset: number;
  /** When the previous (higher) offset was committed, and by whom. */
  fromUs: TimeUs;
  fromMember: string;
  /** When the lower offset arrived; the end of the run for the final loaded offset. */
  atUs: TimeUs;
  /** The member whose commit-ok carried the lower offset; null for the final loaded offset. */
  member: string | null;
  generation: number;
  /** The member reset this partition by auto.offset.reset since fromUs. */
  resetSince: boolean;
}

interface Committed {
  offset: number;
  timeUs: TimeUs;
  member: string;
}

export class CommittedOffsetBackwardsChecker implements Checker {
  readonly name = 'committed-offset-backwards';
  /** "group\0partition" -> last committed. */
  private readonly committed = new Map<string, Committed>();
  /** "group\0member\0partition" -> time of the member's last offset reset of the partition. */
  private readonly resets = new Map<string, TimeUs>();
  /** Per __consumer_offsets partition, times of unclean elections / log losses, ascending. */
  private readonly uncleanUs = new Map<string, TimeUs[]>();
  private readonly lostUs = new Map<string, TimeUs[]>();
  private readonly findings: OffsetMovedBack[] = [];
  private readonly offsetsTopic: string;

  constructor(private readonly scenario: KafkaScenario) {
    this.offsetsTopic = scenario.offsetsTopic?.name ?? '__consumer_offsets';
  }

  onEvent(timeUs: TimeUs, _node: number, modelEvent: ModelEvent): void {
    const ev = modelEvent as unknown as KafkaEvent;
    switch (ev.type) {
      case 'commit-ok':
        for (let i = 0; i < ev.partitions.length; i++) this.commit(timeUs, ev.group, ev.partitions[i], ev.offsets[i], ev.member, ev.generation);
        return;
      case 'offset-reset':
        this.resets.set(`${ev.group}\u0000${ev.member}\u0000${ev.partition}`, timeUs);
        return;
      case 'election':
        if (ev.kind === 'unclean' && this.isOffsetsPartition(ev.partition)) push(this.uncleanUs, ev.partition, timeUs);
        return;
      case 'log-lost':
        if (this.isOffsetsPartition(ev.partition) && ev.removed.length > 0) push(this.lostUs, ev.partition, timeUs);
        return;
    }
  }

  private isOffsetsPartition(partition: string): boolean {
    return partition.startsWith(`${this.offsetsTopic}-`);
  }

  private commit(timeUs: TimeUs, group: string, partition: string, offset: number, member: string, generation: number): void {
    const key = `${group}\u0000${partition}`;
    const prev = this.committed.get(key);
    if (prev !== undefined && offset < prev.offset) {
      const reset = this.resets.get(`${group}\u0000${member}\u0000${partition}`);
      this.findings.push({
        group,
        partition,
        fromOffset: prev.offset,
        toOffset: offset,
        fromUs: prev.timeUs,
        fromMember: prev.member,
        atUs: timeUs,
        member,
        generation,
        resetSince: reset !== undefined && reset >= prev.timeUs,
      });
    }
    this.committed.set(key, { offset, timeUs, member });
  }

  finish(run: RunView): Violation[] {
    const final = run.model.final as KafkaFinalState | undefined;
    const offsetsPartitionOf = new Map<string, string>();
    for (const fg of final?.consumerGroups ?? []) {
      offsetsPartitionOf.set(fg.group, fg.offsetsPartition);
      for (const c of fg.committed) {
        const prev = this.committed.get(`${fg.group}\u0000${c.partition}`);
        if (prev === undefined || c.offset >= prev.offset) continue;
        this.findings.push({
          group: fg.group,
          partition: c.partition,
          fromOffset: prev.offset,
          toOffset: c.offset,
          fromUs: prev.timeUs,
          fromMember: prev.member,
          atUs: run.nowUs,
          member: null,
          generation: -1,
          resetSince: false,
        });
      }
    }
    const offsetsPartition = (group: string): string | undefined => {
      const known = offsetsPartitionOf.get(group);
      if (known !== undefined) return known;
      const n = this.scenario.offsetsTopic?.partitions;
      return n ? `${this.offsetsTopic}-${partitionForGroup(group, n)}` : undefined;
    };
    const classified = this.findings.map((f) => this.classify(f, offsetsPartition(f.group)));
    return groupFindings(classified).map((group) => {
      const items = group.items;
      const named = items.slice(0, RECORDS_NAMED_MAX).map((f) => describe(f));
      const more = items.length > named.length ? `, and ${items.length - named.length} more` : '';
      const body = `committed offset of ${group.partition} moved backwards: ${named.join('; ')}${more}`;
      return groupViolation(this.name, group, body, {
        groups: items.slice(0, RECORDS_NAMED_MAX).map((f) => f.group),
        moves: items.slice(0, RECORDS_NAMED_MAX).map((f) => [f.fromOffset, f.toOffset]),
      });
    });
  }

  private classify(f: OffsetMovedBack, offsetsPartition: string | undefined): ClassifiedFinding<OffsetMovedBack> {
    const between = (times: Map<string, TimeUs[]>): TimeUs | undefined => {
      const lists = offsetsPartition !== undefined ? [times.get(offsetsPartition) ?? []] : [...times.values()];
      for (const list of lists) for (const t of list) if (t >= f.fromUs && t <= f.atUs) return t;
      return undefined;
    };
    const where = offsetsPartition ?? this.offsetsTopic;
    const unclean = between(this.uncleanUs);
    if (unclean !== undefined)
      return { partition: f.partition, classification: 'permitted', permittedBy: 'configuration', reason: `unclean election of ${where} at ${formatTimeUs(unclean)}`, item: f };
    if (f.resetSince)
      return { partition: f.partition, classification: 'permitted', permittedBy: 'configuration', reason: `${f.member} reset its position by auto.offset.reset`, item: f };
    const lost = between(this.lostUs);
    if (lost !== undefined)
      return { partition: f.partition, classification: 'permitted', permittedBy: 'fault-load', reason: `${where} lost records at ${formatTimeUs(lost)}`, item: f };
    return { partition: f.partition, classification: 'breach', reason: 'an acknowledged commit is never undone', item: f };
  }
}

function push(map: Map<string, TimeUs[]>, key: string, timeUs: TimeUs): void {
  const list = map.get(key);
  if (list) list.push(timeUs);
  else map.set(key, [timeUs]);
}

function describe(f: OffsetMovedBack): string {
  const by = f.member === null ? `the coordinator's log at the end holds ${f.toOffset}` : `${f.member} (generation ${f.generation}) committed ${f.toOffset} at ${formatTimeUs(f.atUs)}`;
  return `group ${f.group} had ${f.fromOffset} (committed by ${f.fromMember} at ${formatTimeUs(f.fromUs)}), then ${by}`;
}
