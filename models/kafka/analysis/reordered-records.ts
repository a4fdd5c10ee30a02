// Reordered records: per producer and partition, records whose order in the final (reference) log
// differs from their send order (the order of the producer's `send` events for that partition).
//
// Only each record's first copy counts (later copies are duplicates, counted elsewhere), and only
// records present in the log (a failed send leaves a gap, not a reorder). The count is the fewest
// records that must be removed for the rest to be in send order: n minus the longest run of records
// increasing in send order (patience sorting, n log n). So one record delayed past nine later ones
// counts 1, not 9; two records swapped count 1. The reordered records named are the complement of
// one such longest increasing subsequence. Output is sorted by partition, then producer name.

import type { PartitionFinalLog } from './final-logs.ts';
import type { KafkaHistory } from './kafka-history.ts';
import { comparePartitions } from './partition-name.ts';

export interface RecordPlacement {
  record: number;
  /** 0-based position among the producer's sends to the partition. */
  sendIndex: number;
  offset: number;
}

export interface ProducerReorder {
  partition: string;
  producer: string;
  /** The producer instance: 0 until its first restart (RecordHistory.session). */
  session: number;
  /** The producer's records in the partition's final log (first copies). */
  recordsInLog: number;
  reordered: number;
  /** The records out of send order, in log order. */
  reorderedRecords: RecordPlacement[];
  /** The first adjacent pair (in log order) where a record precedes one sent before it. */
  firstInversion: { earlier: RecordPlacement; later: RecordPlacement };
}

export function findReorderedRecords(history: KafkaHistory, logs: ReadonlyMap<string, PartitionFinalLog>): ProducerReorder[] {
  const out: ProducerReorder[] = [];
  const partitions = [...logs.keys()].sort(comparePartitions);
  for (const partition of partitions) {
    const log = logs.get(partition)!;
    // Two passes: counts and inversions per producer instance first, placements only for the
    // instances out of order (a long run's logs hold millions of records, nearly always in order).
    const byProducer = new Map<string, RecordPlacement[]>();
    const inOrder = new Map<string, { records: number; lastSendIndex: number; inverted: boolean }>();
    const records = history.records;
    forEachOwnRecord(history, log, partition, (record, instance) => {
      const sendIndex = records.sendIndexOf(record);
      let s = inOrder.get(instance);
      if (!s) inOrder.set(instance, (s = { records: 0, lastSendIndex: -1, inverted: false }));
      s.records++;
      if (sendIndex < s.lastSendIndex) s.inverted = true;
      s.lastSendIndex = sendIndex;
    });
    for (const [instance, s] of inOrder) if (s.inverted) byProducer.set(instance, []);
    if (byProducer.size > 0)
      forEachOwnRecord(history, log, partition, (record, instance, offset) => byProducer.get(instance)?.push({ record, sendIndex: records.sendIndexOf(record), offset }));
    const producers = [...byProducer.keys()].sort();
    for (const instance of producers) {
      const placements = byProducer.get(instance)!;
      const found = reorderOf(placements);
      const [producer, session] = instance.split('\u0000');
      if (found) out.push({ partition, producer, session: Number(session), recordsInLog: placements.length, ...found });
    }
  }
  return out;
}

/** Calls `f` with each first copy in `log` of a record sent to `partition`, in log order, with its producer instance. */
function forEachOwnRecord(history: KafkaHistory, log: PartitionFinalLog, partition: string, f: (record: number, instance: string, offset: number) => void): void {
  const records = history.records;
  // firstOffset iterates in log order: records were inserted while scanning offsets upwards.
  for (const [record, offset] of log.firstOffset) {
    if (!records.has(record) || records.partition(record) !== partition) continue;
    // Order is promised per producer instance: a restarted producer's records start a new run.
    f(record, `${records.producer(record)}\u0000${records.sessionOf(record)}`, offset);
  }
}

function reorderOf(placements: RecordPlacement[]): Pick<ProducerReorder, 'reordered' | 'reorderedRecords' | 'firstInversion'> | null {
  let firstInversion: ProducerReorder['firstInversion'] | null = null;
  for (let i = 1; i < placements.length && !firstInversion; i++) {
    if (placements[i].sendIndex < placements[i - 1].sendIndex) firstInversion = { earlier: placements[i - 1], later: placements[i] };
  }
  if (!firstInversion) return null;
  const inIncreasingRun = longestIncreasingBySendIndex(placements);
  const reorderedRecords = placements.filter((_, i) => !inIncreasingRun[i]);
  return { reordered: reorderedRecords.length, reorderedRecords, firstInversion };
}

/** Marks one longest subsequence strictly increasing in sendIndex (patience sorting with back-links). */
function longestIncreasingBySendIndex(placements: readonly RecordPlacement[]): boolean[] {
  const n = placements.length;
  const tailIndex: number[] = []; // tailIndex[k]: index of the smallest tail of an increasing run of length k+1
  const previous = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const key = placements[i].sendIndex;
    let lo = 0;
    let hi = tailIndex.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (placements[tailIndex[mid]].sendIndex < key) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[i] = tailIndex[lo - 1];
    tailIndex[lo] = i;
  }
  const member = new Array<boolean>(n).fill(false);
  for (let i = tailIndex.length > 0 ? tailIndex[tailIndex.length - 1] : -1; i >= 0; i = previous[i]) member[i] = true;
  return member;
}
