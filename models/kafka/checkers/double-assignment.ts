// double-assignment: within one consumer group and one generation, a partition is owned by at most
// one member. Two sources are checked, each on its own: the coordinator's record of a completed
// rebalance (rebalance-end, "memberId=p1,p2" per member) and what each member learned from
// SyncGroup (assignment events, by member name). A partition listed for two members of the same
// group in the same generation, by either source, is a finding. One per (group, generation,
// partition); grouped per partition.
//
// Classified: the classic protocol promises exclusive ownership per generation whatever the
// configuration (eager and cooperative alike; the cooperative protocol hands a revoked partition
// over only in the next generation), so it is a breach, unless the group's state was lost between
// the two assignments: when its __consumer_offsets partition elected a leader without the group's
// records (group-metadata-loss.ts), the coordinator restarts the group from scratch and generation
// numbers repeat. That is permitted by what lost the records: the fault load when every in-sync copy
// was lost (naming the faults), the configuration for an unclean election; a clean election that
// lost them is still a breach. Checked by time: only a loss between the two owners counts.
//
// State is a map per group and generation of partition -> owner; a generation's map is dropped
// once the group moves three generations on, so memory stays bounded by live generations.

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { ModelEvent, Violation } from '../../../src/sim/model.ts';
import type { TimeUs } from '../../../src/sim/time.ts';
import type { ConsumerEvent } from '../consumer-events.ts';
import type { KafkaEventType } from '../kafka-events.ts';
import { groupFindings, groupViolation, RECORDS_NAMED_MAX, type ClassifiedFinding } from './grouped-violations.ts';
import { formatTimeUs } from '../../../src/sim/time.ts';
import type { RunCauses } from './run-causes.ts';

interface DoubleAssignment {
  group: string;
  generation: number;
  partition: string;
  /** The two owners, first seen first. */
  owners: [string, string];
  /** 'coordinator' (rebalance-end) or 'members' (assignment events). */
  source: 'coordinator' | 'members';
  /** When the first owner got it, and when the second. */
  firstUs: TimeUs;
  timeUs: TimeUs;
}

/** partition -> owner and when it got it, per "source\0group\0generation". */
type Owners = Map<string, { member: string; timeUs: TimeUs }>;

export class DoubleAssignmentChecker implements Checker {
  readonly name = 'double-assignment';
  /** What onEvent reads (the kernel dispatches by type). */
  readonly eventTypes: readonly KafkaEventType[] = ['assignment', 'rebalance-end'];
  private readonly owners = new Map<string, Owners>();
  private readonly reported = new Set<string>();
  private readonly findings: DoubleAssignment[] = [];

  constructor(private readonly causes: RunCauses) {}

  onEvent(timeUs: TimeUs, _node: number, modelEvent: ModelEvent): void {
    const ev = modelEvent as unknown as ConsumerEvent;
    if (ev.type === 'assignment') {
      for (const p of ev.partitions) this.own(timeUs, 'members', ev.group, ev.generation, p, ev.member);
    } else if (ev.type === 'rebalance-end' && ev.assignment) {
      for (const entry of ev.assignment) {
        const eq = entry.indexOf('=');
        const member = entry.slice(0, eq);
        const list = entry.slice(eq + 1);
        if (list.length === 0) continue;
        for (const p of list.split(',')) this.own(timeUs, 'coordinator', ev.group, ev.generation, p, member);
      }
    }
  }

  private own(timeUs: TimeUs, source: DoubleAssignment['source'], group: string, generation: number, partition: string, member: string): void {
    const key = `${source}\u0000${group}\u0000${generation}`;
    let owners = this.owners.get(key);
    if (!owners) {
      this.owners.set(key, (owners = new Map()));
      // Older generations can no longer gain owners from the coordinator; members may still learn
      // a late SyncGroup answer, so keep the two before this one.
      this.owners.delete(`${source}\u0000${group}\u0000${generation - 3}`);
    }
    const prev = owners.get(partition);
    if (prev === undefined) {
      owners.set(partition, { member, timeUs });
      return;
    }
    if (prev.member === member) return;
    const once = `${key}\u0000${partition}`;
    if (this.reported.has(once)) return;
    this.reported.add(once);
    this.findings.push({ group, generation, partition, owners: [prev.member, member], source, firstUs: prev.timeUs, timeUs });
  }

  finish(run: RunView): Violation[] {
    if (this.findings.length === 0) return [];
    const groups = this.causes.of(run).groups;
    const classified = this.findings.map((f): ClassifiedFinding<DoubleAssignment> => {
      const loss = groups.lossBetween(f.group, f.firstUs, f.timeUs);
      if (!loss) return { partition: f.partition, classification: 'breach', reason: 'a partition has one owner per generation', item: f };
      const c = loss.cause;
      return { partition: f.partition, classification: c.classification, permittedBy: c.permittedBy, reason: `group ${f.group} restarted from scratch: ${c.reason}`, item: f };
    });
    return groupFindings(classified).map((group) => {
      const items = group.items;
      const named = items
        .slice(0, RECORDS_NAMED_MAX)
        .map((f) => `group ${f.group} generation ${f.generation}: ${f.owners[0]} and ${f.owners[1]} (${f.source === 'coordinator' ? 'coordinator' : 'SyncGroup'}, ${formatTimeUs(f.timeUs)})`);
      const more = items.length > named.length ? `, and ${items.length - named.length} more` : '';
      const body = `${group.partition} assigned to two members in the same generation: ${named.join('; ')}${more}`;
      return groupViolation(this.name, group, body, {
        groups: items.slice(0, RECORDS_NAMED_MAX).map((f) => f.group),
        generations: items.slice(0, RECORDS_NAMED_MAX).map((f) => f.generation),
        owners: items.slice(0, RECORDS_NAMED_MAX).map((f) => f.owners),
      });
    });
  }
}
