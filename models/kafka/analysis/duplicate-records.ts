// Duplicated records: a record id present more than once in its partition's final (reference) log,
// typically a producer retry of a batch the broker had already appended. Counted as records (a
// record with three copies is one duplicated record) and as extra copies (two). Output is sorted by
// partition, then first offset.

import type { PartitionFinalLog } from './final-logs.ts';
import { comparePartitions } from './partition-name.ts';

export interface DuplicatedRecord {
  partition: string;
  record: number;
  /** Every offset the record occupies, ascending. */
  offsets: number[];
  /** Leader epoch of each copy, parallel to offsets. */
  leaderEpochs: number[];
}

export function findDuplicatedRecords(logs: ReadonlyMap<string, PartitionFinalLog>): DuplicatedRecord[] {
  const out: DuplicatedRecord[] = [];
  const partitions = [...logs.keys()].sort(comparePartitions);
  for (const partition of partitions) {
    const log = logs.get(partition)!;
    if (log.duplicateOffsets.size === 0) continue;
    const reference = log.reference!;
    const found: DuplicatedRecord[] = [];
    for (const [record, offsets] of log.duplicateOffsets) {
      const leaderEpochs = offsets.map((o) => reference.epochs[o - reference.logStartOffset]);
      found.push({ partition, record, offsets, leaderEpochs });
    }
    found.sort((a, b) => a.offsets[0] - b.offsets[0]);
    out.push(...found);
  }
  return out;
}

export function extraCopies(duplicates: readonly DuplicatedRecord[]): number {
  let n = 0;
  for (const d of duplicates) n += d.offsets.length - 1;
  return n;
}
