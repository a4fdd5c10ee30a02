// The consumer side of a run as a timeline of the events that can explain a consumer anomaly, kept
// with their times and offset ranges so a cause is found by what it covered, never by being the
// first event of its kind: each auto.offset.reset (from which position to which, why), retention
// and compaction of each partition, how far consumers had read each partition over time, and the
// __consumer_offsets partitions' elections, log losses and high watermarks (whose loss takes a
// group's committed offsets and metadata with it). Also the group-level events the consumer
// liveness property and the coverage names need: poll timeouts, expired members, rebalances,
// commit failures by cause, process starts.

import type { TimeUs } from '../../../src/sim/time.ts';
import type { ElectionEvent, KafkaEvent, KafkaEventType } from '../kafka-events.ts';
import { TimeColumn } from '../../../src/sim/time-column.ts';
import { Int32Column, NarrowIntColumn } from '../../../src/sim/chunked-column.ts';
import { Interned } from './interned.ts';
import { OffsetSteps } from './offset-steps.ts';

export interface OffsetReset {
  timeUs: TimeUs;
  group: string;
  member: string;
  partition: string;
  /** The unusable position (-1: none, for a group without a committed offset). */
  fromOffset: number;
  /** Where the reset moved the position; null until the leader answered (or never). */
  toOffset: number | null;
  /** When the position was set (offset-reset-done; the reset's own time for a truncation); absent until then. */
  positionUs?: TimeUs;
  strategy: string;
  reason: 'no-committed-offset' | 'out-of-range' | 'truncation';
  /** The broker whose answer made the position unusable (out-of-range, truncation), if the event named it. */
  broker?: string;
  /** The leader epoch the consumer knew for it (KIP-320 eras only). */
  leaderEpoch?: number;
}

interface LogStartMove {
  timeUs: TimeUs;
  node: number;
  /** retention: the new log start offset; compaction: offsets below it were cleaned. */
  offset: number;
  /** A DeleteRecords request moved it, not retention. */
  deleteRecords?: boolean;
}

export interface OffsetsPartitionElection {
  timeUs: TimeUs;
  event: ElectionEvent;
  /** The highest high watermark any leader of the partition had announced before it. */
  hwBefore: number;
  /** What the epoch kept: the leader's LEO when it took over (become-leader), until then when elected (kafka-history.ts ElectionAt). */
  epochStartOffset: number;
  /** When the leader took over with that LEO (its latest become-leader in the epoch); null until it does. */
  tookOverUs: TimeUs | null;
}

interface OffsetsPartitionLoss {
  timeUs: TimeUs;
  node: number;
  fromOffset: number;
  toOffset: number;
  cause: 'power-loss' | 'disk-loss' | 'truncation';
  /** The highest high watermark any leader of the partition had announced before it. */
  hwBefore: number;
}

interface GroupEvents {
  pollTimeouts: { timeUs: TimeUs; member: string }[];
  expirations: { timeUs: TimeUs; memberId: string }[];
  rebalanceStarts: { timeUs: TimeUs; reason: string }[];
  rebalanceEnds: { timeUs: TimeUs; generation: number; members: number }[];
  /** Commit failures by error (CommitFailedException, ILLEGAL_GENERATION, ...). */
  commitFailures: Map<string, number>;
  /** Acknowledged commits, in arrival order. */
  commits: CommitLog;
}

interface Commit {
  timeUs: TimeUs;
  member: string;
  partition: string;
  offset: number;
}

/**
 * A group's acknowledged commits by columns (a commit per partition every auto.commit.interval.ms
 * adds up over a long run); iterating builds each Commit as it is read.
 */
class CommitLog implements Iterable<Commit> {
  /** In time order: 4 bytes a commit (TimeColumn). */
  private readonly timeUs = new TimeColumn(64);
  /** Committed offsets fit 32 bits (a run's offsets do: the record store's ids are 32-bit). Chunked columns: they never copy as they grow. */
  private readonly offsets = new Int32Column(64);
  /** Interned names: 16 bits until there are more than 65,536. */
  private readonly members = new NarrowIntColumn(false, 64);
  private readonly partitions = new NarrowIntColumn(false, 64);
  private readonly names = new Interned();

  get length(): number {
    return this.offsets.length;
  }

  /** A commit's fields as arguments: no Commit object, nor a closure, per committed partition. */
  push(timeUs: TimeUs, member: string, partition: string, offset: number): void {
    if ((offset | 0) !== offset) throw new RangeError(`committed offset ${offset}: the commit log stores 32-bit offsets`);
    this.timeUs.push(timeUs);
    this.offsets.push(offset);
    this.members.push(this.names.id(member));
    this.partitions.push(this.names.id(partition));
  }

  *[Symbol.iterator](): Iterator<Commit> {
    for (let i = 0; i < this.offsets.length; i++)
      yield { timeUs: this.timeUs.get(i), member: this.names.values[this.members.get(i)], partition: this.names.values[this.partitions.get(i)], offset: this.offsets.get(i) };
  }
}

const push = <K, V>(map: Map<K, V[]>, key: K, value: V): void => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

/** The event types ConsumerTimeline.record reads (the cases of its switches; a test compares them). */
export const CONSUMER_TIMELINE_EVENT_TYPES: readonly KafkaEventType[] = [
  'offset-reset', 'offset-reset-done', 'retention', 'compaction', 'poll', 'consumer-start', 'poll-timeout', 'member-expired', 'rebalance-start', 'rebalance-end',
  'commit-fail', 'commit-ok', 'hw', 'election', 'isr-shrink', 'isr-expand', 'become-leader', 'log-lost', 'truncate',
];

export class ConsumerTimeline {
  /** Per "group\0partition", in time order. */
  readonly resets = new Map<string, OffsetReset[]>();
  readonly retention = new Map<string, LogStartMove[]>();
  readonly compaction = new Map<string, LogStartMove[]>();
  /** Per partition: the highest offset any consumer had polled past (its poll's toOffset), over time. */
  readonly readFrontier = new Map<string, OffsetSteps>();
  readonly offsetsElections = new Map<string, OffsetsPartitionElection[]>();
  readonly offsetsLosses = new Map<string, OffsetsPartitionLoss[]>();
  /** Per __consumer_offsets partition: each time a broker took its leadership (become-leader), in time order. */
  readonly offsetsLeaderships = new Map<string, { timeUs: TimeUs; node: number; leaderEpoch: number }[]>();
  /** Per __consumer_offsets partition: its ISR after each election and ISR change, in time order. */
  readonly offsetsIsr = new Map<string, { timeUs: TimeUs; isr: string[] }[]>();
  /** Per __consumer_offsets partition: its highest announced high watermark over time (a row per rise: one per commit). */
  readonly offsetsHwRises = new Map<string, OffsetSteps>();
  readonly groups = new Map<string, GroupEvents>();
  /** Member -> times its process started (more than one: it restarted). */
  readonly starts = new Map<string, TimeUs[]>();
  private readonly offsetsHw = new Map<string, number>();
  /** "member\0partition" -> the reset waiting for its offset-reset-done. */
  private readonly pendingReset = new Map<string, OffsetReset>();

  /** "__consumer_offsets-": built once, not per `hw` event. */
  private readonly offsetsPrefix: string;

  constructor(offsetsTopic: string) {
    this.offsetsPrefix = `${offsetsTopic}-`;
  }

  isOffsetsPartition(partition: string): boolean {
    return partition.startsWith(this.offsetsPrefix);
  }

  group(name: string): GroupEvents {
    let g = this.groups.get(name);
    if (!g) {
      g = { pollTimeouts: [], expirations: [], rebalanceStarts: [], rebalanceEnds: [], commitFailures: new Map(), commits: new CommitLog() };
      this.groups.set(name, g);
    }
    return g;
  }

  record(timeUs: TimeUs, node: number, ev: KafkaEvent): void {
    switch (ev.type) {
      case 'offset-reset': {
        const reset: OffsetReset = { timeUs, group: ev.group, member: ev.member, partition: ev.partition, fromOffset: ev.fromOffset, toOffset: ev.toOffset ?? null, strategy: ev.strategy, reason: ev.reason };
        if (ev.broker !== undefined) reset.broker = ev.broker;
        if (ev.leaderEpoch !== undefined) reset.leaderEpoch = ev.leaderEpoch;
        if (reset.toOffset !== null) reset.positionUs = timeUs;
        push(this.resets, `${ev.group}\u0000${ev.partition}`, reset);
        if (reset.toOffset === null) this.pendingReset.set(`${ev.member}\u0000${ev.partition}`, reset);
        return;
      }
      case 'offset-reset-done': {
        const key = `${ev.member}\u0000${ev.partition}`;
        const reset = this.pendingReset.get(key);
        if (reset) {
          reset.toOffset = ev.offset;
          reset.positionUs = timeUs;
        }
        this.pendingReset.delete(key);
        return;
      }
      case 'retention':
        return push(this.retention, ev.partition, this.logStartMove(timeUs, node, ev.partition, ev.logStartOffset, ev.cause));
      case 'compaction':
        return push(this.compaction, ev.partition, { timeUs, node, offset: ev.cleanedTo });
      case 'poll':
        return this.onPoll(timeUs, ev.partition, ev.toOffset);
      case 'consumer-start':
        return push(this.starts, ev.member, timeUs);
      default:
        return this.recordGroupOrOffsets(timeUs, node, ev);
    }
  }

  private recordGroupOrOffsets(timeUs: TimeUs, node: number, ev: KafkaEvent): void {
    switch (ev.type) {
      case 'poll-timeout':
        this.group(ev.group).pollTimeouts.push({ timeUs, member: ev.member });
        return;
      case 'member-expired':
        this.group(ev.group).expirations.push({ timeUs, memberId: ev.memberId });
        return;
      case 'rebalance-start':
        this.group(ev.group).rebalanceStarts.push({ timeUs, reason: ev.reason });
        return;
      case 'rebalance-end':
        this.group(ev.group).rebalanceEnds.push({ timeUs, generation: ev.generation, members: ev.members });
        return;
      case 'commit-fail': {
        const f = this.group(ev.group).commitFailures;
        f.set(ev.error, (f.get(ev.error) ?? 0) + 1);
        return;
      }
      case 'commit-ok': {
        const g = this.group(ev.group);
        for (let i = 0; i < ev.partitions.length; i++) g.commits.push(timeUs, ev.member, ev.partitions[i], ev.offsets[i]);
        return;
      }
      case 'hw':
        if (this.isOffsetsPartition(ev.partition) && ev.hw > (this.offsetsHw.get(ev.partition) ?? 0)) {
          this.offsetsHw.set(ev.partition, ev.hw);
          let rises = this.offsetsHwRises.get(ev.partition);
          if (!rises) this.offsetsHwRises.set(ev.partition, (rises = new OffsetSteps()));
          rises.push(timeUs, ev.hw);
        }
        return;
      case 'election':
        if (!this.isOffsetsPartition(ev.partition)) return;
        push(this.offsetsElections, ev.partition, { timeUs, event: ev, hwBefore: this.offsetsHw.get(ev.partition) ?? 0, epochStartOffset: ev.leaderLogEndOffset, tookOverUs: null });
        return push(this.offsetsIsr, ev.partition, { timeUs, isr: ev.isr });
      case 'isr-shrink':
      case 'isr-expand':
        if (this.isOffsetsPartition(ev.partition)) push(this.offsetsIsr, ev.partition, { timeUs, isr: ev.isr });
        return;
      case 'become-leader':
        if (!this.isOffsetsPartition(ev.partition)) return;
        push(this.offsetsLeaderships, ev.partition, { timeUs, node, leaderEpoch: ev.leaderEpoch });
        for (const e of this.offsetsElections.get(ev.partition) ?? [])
          if (e.event.leaderEpoch === ev.leaderEpoch) {
            e.epochStartOffset = ev.leaderEpochStartOffset;
            e.tookOverUs = timeUs;
          }
        return;
      case 'log-lost':
        if (this.isOffsetsPartition(ev.partition) && ev.removed.length > 0)
          push(this.offsetsLosses, ev.partition, { timeUs, node, fromOffset: ev.toOffset, toOffset: ev.fromOffset, cause: ev.cause, hwBefore: this.offsetsHw.get(ev.partition) ?? 0 });
        return;
      case 'truncate':
        if (this.isOffsetsPartition(ev.partition) && ev.removed.length > 0)
          push(this.offsetsLosses, ev.partition, { timeUs, node, fromOffset: ev.toOffset, toOffset: ev.fromOffset, cause: 'truncation', hwBefore: this.offsetsHw.get(ev.partition) ?? 0 });
        return;
    }
  }

  /**
   * A replica's new log start: a follower that took its leader's (cause 'leader') deleted for the
   * reason the first replica to reach that offset did (retention, or a DeleteRecords request).
   */
  private logStartMove(timeUs: TimeUs, node: number, partition: string, offset: number, cause: 'delete-records' | 'leader' | undefined): LogStartMove {
    const deleteRecords = cause === 'leader' ? (this.retention.get(partition) ?? []).find((m) => m.offset >= offset)?.deleteRecords === true : cause === 'delete-records';
    return deleteRecords ? { timeUs, node, offset, deleteRecords } : { timeUs, node, offset };
  }

  private onPoll(timeUs: TimeUs, partition: string, toOffset: number): void {
    let list = this.readFrontier.get(partition);
    if (!list) this.readFrontier.set(partition, (list = new OffsetSteps()));
    if (toOffset > list.last) list.push(timeUs, toOffset);
  }

  /** The furthest any consumer had read `partition` (the next offset after its reads) by `timeUs`; 0 if none. */
  frontierAt(partition: string, timeUs: TimeUs): number {
    return this.readFrontier.get(partition)?.at(timeUs) ?? 0;
  }
}
