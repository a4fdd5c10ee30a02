// The consuming side of a run's history, from the consumer events: which records each group
// processed and how often, rebalances and how long they took, commits and offset resets. At the
// end, with the final logs, it counts per group the records consumed, processed more than once
// (duplicates: at-least-once redelivery), and never processed (gaps: committed-but-unprocessed
// records of the final committed log below the group's committed offset, which at-most-once
// commits and resets past data produce), and the lag.

import type { ModelEvent } from '../../../src/sim/model.ts';
import type { TimeUs } from '../../../src/sim/time.ts';
import type { ConsumerEvent } from '../consumer-events.ts';
import type { KafkaEventType, KafkaFinalState } from '../kafka-events.ts';
import type { PartitionFinalLog } from './final-logs.ts';
import type { GroupStartPositions } from './group-start-positions.ts';
import { Uint8Column } from '../../../src/sim/chunked-column.ts';

export interface ConsumerGroupFigures {
  group: string;
  /** Distinct records processed at least once. */
  recordsConsumed: number;
  /** process events in all (a record processed twice counts twice). */
  recordsProcessed: number;
  /** Distinct records processed more than once. */
  recordsProcessedMoreThanOnce: number;
  /**
   * Acknowledged records below the group's committed offset that nobody processed: in the final
   * committed log, or deleted by retention since (those also in recordsDeletedUnread).
   */
  recordsNeverProcessed: number;
  /** Of recordsNeverProcessed: deleted by retention before the group processed them. */
  recordsDeletedUnread: number;
  rebalances: number;
  /** Completed rebalances: from rebalance-start to rebalance-end. */
  rebalanceMsTotal: number;
  rebalanceMsMax: number;
  commitsOk: number;
  commitsFailed: number;
  /** Failed commits by cause: the Kafka error, or CommitFailedException for a member removed from the group. */
  commitsFailedByCause: Record<string, number>;
  offsetResets: number;
  /** Sum over the subscribed partitions of HW - committed offset at the end. */
  lagAtEnd: number;
  /**
   * Per partition where the group started new at auto.offset.reset=latest: its first position,
   * below which it owes no record (group-start-positions.ts); absent when there is none.
   */
  owedFrom?: Record<string, number>;
}

/**
 * Times each record id was processed, in a chunked byte column indexed by id (record ids are dense:
 * one byte a record rather than a Map entry's tens, and chunks never copy as a long run grows
 * them); counts past 254 move to a map.
 */
class ProcessedCounts {
  private readonly counts = new Uint8Column();
  private readonly large = new Map<number, number>();
  /** Distinct records processed. */
  size = 0;

  add(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= 2 ** 31) throw new RangeError(`record id ${id}: processed counts need non-negative 31-bit integer ids`);
    if (id >= this.counts.length) this.counts.growTo(id + 1);
    const n = this.counts.get(id);
    if (n === 0) this.size++;
    if (n < 255) this.counts.set(id, n + 1);
    else this.large.set(id, (this.large.get(id) ?? 255) + 1);
  }

  has(id: number): boolean {
    return (id | 0) === id && id >= 0 && id < this.counts.length && this.counts.get(id) > 0;
  }

  /** Distinct records processed more than once. */
  moreThanOnce(): number {
    let n = 0;
    for (let i = 0; i < this.counts.length; i++) if (this.counts.get(i) > 1) n++;
    return n;
  }
}

/** What a checker reads of a group's processing. */
interface ProcessedRecords {
  has(record: number): boolean;
}

const EMPTY: ProcessedRecords = { has: () => false };

class GroupHistory {
  readonly processedCount = new ProcessedCounts();
  processEvents = 0;
  rebalances = 0;
  openRebalanceUs: TimeUs = -1;
  rebalanceUsTotal = 0;
  rebalanceUsMax = 0;
  commitsOk = 0;
  commitsFailed = 0;
  readonly commitFailures = new Map<string, number>();
  offsetResets = 0;
}

/** The event types ConsumerHistory.record reads (the cases of its switch; a test compares them). */
export const CONSUMER_HISTORY_EVENT_TYPES: readonly KafkaEventType[] = ['process', 'rebalance-start', 'rebalance-end', 'commit-ok', 'commit-fail', 'offset-reset'];

export class ConsumerHistory {
  private readonly groups = new Map<string, GroupHistory>();

  record(timeUs: TimeUs, modelEvent: ModelEvent): void {
    const ev = modelEvent as unknown as ConsumerEvent;
    switch (ev.type) {
      case 'process': {
        const g = this.of(ev.group);
        g.processEvents += ev.records.length;
        for (const record of ev.records) g.processedCount.add(record);
        return;
      }
      case 'rebalance-start': {
        const g = this.of(ev.group);
        g.rebalances++;
        if (g.openRebalanceUs < 0) g.openRebalanceUs = timeUs;
        return;
      }
      case 'rebalance-end': {
        const g = this.of(ev.group);
        if (g.openRebalanceUs < 0) return;
        const d = timeUs - g.openRebalanceUs;
        g.rebalanceUsTotal += d;
        if (d > g.rebalanceUsMax) g.rebalanceUsMax = d;
        g.openRebalanceUs = -1;
        return;
      }
      case 'commit-ok':
        this.of(ev.group).commitsOk++;
        return;
      case 'commit-fail': {
        const g = this.of(ev.group);
        g.commitsFailed++;
        g.commitFailures.set(ev.error, (g.commitFailures.get(ev.error) ?? 0) + 1);
        return;
      }
      case 'offset-reset':
        this.of(ev.group).offsetResets++;
        return;
    }
  }

  /** The records the group's members processed (none for a group never seen). */
  processedBy(group: string): ProcessedRecords {
    return this.groups.get(group)?.processedCount ?? EMPTY;
  }

  private of(group: string): GroupHistory {
    let g = this.groups.get(group);
    if (!g) this.groups.set(group, (g = new GroupHistory()));
    return g;
  }

  figures(
    final: KafkaFinalState | undefined,
    logs: ReadonlyMap<string, PartitionFinalLog>,
    deletedByRetention: ReadonlyMap<string, readonly { record: number; ackOffset: number }[]>,
    starts: GroupStartPositions,
  ): ConsumerGroupFigures[] {
    const out: ConsumerGroupFigures[] = [];
    const names = new Set<string>(this.groups.keys());
    for (const fg of final?.consumerGroups ?? []) names.add(fg.group);
    for (const name of [...names].sort()) {
      const g = this.groups.get(name) ?? new GroupHistory();
      const twice = g.processedCount.moreThanOnce();
      let never = 0;
      let deletedUnread = 0;
      let lag = 0;
      const fg = final?.consumerGroups?.find((x) => x.group === name);
      for (const c of fg?.committed ?? []) {
        lag += c.lag;
        const log = logs.get(c.partition);
        if (!log?.reference || c.offset < 0) continue;
        const owes = (offset: number, record: number) => starts.owes(name, c.partition, offset, record);
        for (const r of deletedByRetention.get(c.partition) ?? []) if (r.ackOffset < c.offset && !g.processedCount.has(r.record) && owes(r.ackOffset, r.record)) deletedUnread++;
        const ref = log.reference;
        const end = Math.min(c.offset, ref.highWatermark);
        for (let o = ref.logStartOffset; o < end; o++) {
          const id = ref.records[o - ref.logStartOffset];
          if (id >= 0 && !g.processedCount.has(id) && owes(o, id)) never++;
        }
      }
      const owedFrom = starts.owedFrom(name);
      out.push({
        group: name,
        recordsConsumed: g.processedCount.size,
        recordsProcessed: g.processEvents,
        recordsProcessedMoreThanOnce: twice,
        recordsNeverProcessed: never + deletedUnread,
        recordsDeletedUnread: deletedUnread,
        rebalances: g.rebalances,
        rebalanceMsTotal: g.rebalanceUsTotal / 1000,
        rebalanceMsMax: g.rebalanceUsMax / 1000,
        commitsOk: g.commitsOk,
        commitsFailed: g.commitsFailed,
        commitsFailedByCause: Object.fromEntries([...g.commitFailures].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))),
        offsetResets: g.offsetResets,
        lagAtEnd: lag,
        ...(owedFrom ? { owedFrom } : {}),
      });
    }
    return out;
  }
}
