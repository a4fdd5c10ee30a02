// Where a consumer group's delivery promise on a partition begins. A brand-new group starting
// from auto.offset.reset=latest owes nothing produced before it first had a position there:
// KafkaConsumer's auto.offset.reset ("latest: automatically reset the offset to the latest
// offset") sends a group with no committed offset to the log end (ListOffsets, LATEST_TIMESTAMP;
// SubscriptionState.requestOffsetReset, Fetcher.resetOffsetsIfNeeded), so the records below it
// were never the group's to read, and neither at-least-once nor unseen may count them.
//
// Only the group's first position on the partition starts it: the group's first reset there had
// reason no-committed-offset and strategy latest, came from no position, the group had committed
// no offset for the partition before it, and no member of the group had a position on it before
// (no earlier reset of the group there). And the partition existed when the group first had a
// position on the topic: a partition added later (create-partitions) is owed whole, since the
// group was already reading the topic when its records were written; a group at latest that
// starts a new partition at its end skips them (KAFKA-12478), which the checkers report. Every
// other reset that skips records (a committed offset lost or expired, out of range, a
// truncation, a second member's reset before the first commit) is still judged by its cause
// (consumer-causes.ts).
//
// A record below the first position is not owed only if it was sent by the time the position was
// set (offset-reset-done): one sent later and written below it (an election cut the log under
// the group's position) is a record produced after the group started, still owed.

import type { TimeUs } from '../../../src/sim/time.ts';
import type { ConsumerTimeline } from './consumer-timeline.ts';
import { parsePartitionName } from './partition-name.ts';

interface GroupStartPosition {
  /** The first offset the group owes. */
  offset: number;
  /** The member whose reset set it, and when the position was set. */
  member: string;
  positionUs: TimeUs;
}

export class GroupStartPositions {
  /** group -> partition -> the start position, only where a new group started at latest. */
  private readonly starts = new Map<string, Map<string, GroupStartPosition>>();

  constructor(
    timeline: ConsumerTimeline,
    /** When a record was sent (µs). */
    private readonly sendUsOf: (record: number) => TimeUs,
    /** When a partition was created (its initial election). */
    createdUs: (partition: string) => TimeUs,
  ) {
    const topicStarts = groupTopicStarts(timeline);
    for (const list of timeline.resets.values()) {
      const first = list[0];
      if (first.reason !== 'no-committed-offset' || first.strategy !== 'latest' || first.fromOffset >= 0) continue;
      if (first.toOffset === null || first.positionUs === undefined) continue;
      if (committedBefore(timeline, first.group, first.partition, first.timeUs)) continue;
      if (createdUs(first.partition) > topicStarts.get(topicKey(first.group, first.partition))!) continue;
      let group = this.starts.get(first.group);
      if (!group) this.starts.set(first.group, (group = new Map()));
      group.set(first.partition, { offset: first.toOffset, member: first.member, positionUs: first.positionUs });
    }
  }

  /** The start position of `group` on `partition`, where a new group started at latest. */
  of(group: string, partition: string): GroupStartPosition | undefined {
    return this.starts.get(group)?.get(partition);
  }

  /** Per partition, the first offset `group` owes (partitions in name order), where it started at latest. */
  owedFrom(group: string): Record<string, number> | undefined {
    const starts = this.starts.get(group);
    if (!starts) return undefined;
    return Object.fromEntries([...starts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([p, s]) => [p, s.offset]));
  }

  /** Whether `group` owes `record`, acknowledged at `offset` of `partition`. */
  owes(group: string, partition: string, offset: number, record: number): boolean {
    const start = this.of(group, partition);
    return start === undefined || offset >= start.offset || this.sendUsOf(record) > start.positionUs;
  }
}

const topicKey = (group: string, partition: string) => `${group}\u0000${parsePartitionName(partition).topic}`;

/** Per "group\0topic": when the group first had a reset (a first position) on a partition of the topic. */
function groupTopicStarts(timeline: ConsumerTimeline): Map<string, TimeUs> {
  const starts = new Map<string, TimeUs>();
  for (const list of timeline.resets.values()) {
    const key = topicKey(list[0].group, list[0].partition);
    const t = starts.get(key);
    if (t === undefined || list[0].timeUs < t) starts.set(key, list[0].timeUs);
  }
  return starts;
}

function committedBefore(timeline: ConsumerTimeline, group: string, partition: string, timeUs: TimeUs): boolean {
  const g = timeline.groups.get(group);
  if (!g) return false;
  for (const c of g.commits) {
    if (c.timeUs > timeUs) return false; // commits are in time order
    if (c.partition === partition) return true;
  }
  return false;
}
