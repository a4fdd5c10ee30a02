// The payloads of every __consumer_offsets record by run-wide record id (see offsets-topic.ts: the
// log holds only ids), stored compactly because a run writes one per committed partition per
// commit: offset commits as four 32-bit columns (id, offset, leader epoch, and the interned
// (compaction key, group, partition) it commits: 16 bytes a record; a group commits the same few
// partitions over and over), group-metadata records (one per completed rebalance, rare) as objects.
// Ids are appended in increasing order (the run-wide id sequence), so a lookup is a binary search.
// The columns are chunked (src/sim/chunked-column.ts): they never copy as a long run grows them.
// Kafka's own layout is the same split: OffsetCommitValue and GroupMetadataValue records keyed by
// OffsetKey (group, topic, partition) and GroupMetadataKey (group) (GroupMetadataManager).

import { ModelAssertionError } from '../../../src/sim/model-assertion-error.ts';
import { Int32Column, NarrowIntColumn } from '../../../src/sim/chunked-column.ts';
import type { GroupMetadataRecord, OffsetsRecord } from './offsets-topic.ts';

const INITIAL_ROWS = 1024;

export class OffsetsRecordTable {
  private rows = 0;
  private readonly ids = new Int32Column(INITIAL_ROWS);
  /** Index into the interned commit targets of each row; -1 for a group-metadata row. */
  private readonly targetIndex = new NarrowIntColumn(true, INITIAL_ROWS);
  /** Offset and leader epoch of a commit row (0 for a group-metadata row). */
  private readonly offsets = new Int32Column(INITIAL_ROWS);
  private readonly leaderEpochs = new NarrowIntColumn(true, INITIAL_ROWS);
  /** Interned commit targets: (compaction key, group, partition), a few per group, not per record. */
  private readonly targetKeys: string[] = [];
  private readonly targetGroups: string[] = [];
  private readonly targetPartitions: number[] = [];
  /** Target indexes by compaction key (one per key unless a key names two targets). */
  private readonly targetsOfKey = new Map<string, number[]>();
  private readonly metadataRecords = new Map<number, GroupMetadataRecord>();

  get size(): number {
    return this.rows;
  }

  /** Stores the payload of record `id`, which must be larger than every id stored before. */
  set(id: number, rec: OffsetsRecord): void {
    const r = this.rows;
    if (r > 0 && id <= this.ids.get(r - 1)) throw new ModelAssertionError(`__consumer_offsets record ${id} stored after ${this.ids.get(r - 1)}`);
    this.ids.push(int32(id, 'id'));
    if (rec.kind === 'group') {
      this.metadataRecords.set(id, rec);
      this.targetIndex.push(-1);
      this.offsets.push(0);
      this.leaderEpochs.push(0);
    } else {
      this.targetIndex.push(this.target(rec.key, rec.group, rec.partition));
      this.offsets.push(int32(rec.offset, 'offset'));
      this.leaderEpochs.push(int32(rec.leaderEpoch, 'leader epoch'));
    }
    this.rows = r + 1;
  }

  /** The payload of record `id` (a fresh object for an offset commit), or undefined when none was stored. */
  get(id: number): OffsetsRecord | undefined {
    const r = this.rowOf(id);
    if (r < 0) return undefined;
    const t = this.targetIndex.get(r);
    if (t < 0) return this.metadataRecords.get(id);
    return {
      kind: 'offset',
      group: this.targetGroups[t],
      partition: this.targetPartitions[t],
      offset: this.offsets.get(r),
      leaderEpoch: this.leaderEpochs.get(r),
      key: this.targetKeys[t],
    };
  }

  /** The compaction key of record `id` without building its payload, or undefined when none was stored. */
  compactionKey(id: number): string | undefined {
    const r = this.rowOf(id);
    if (r < 0) return undefined;
    const t = this.targetIndex.get(r);
    return t < 0 ? this.metadataRecords.get(id)!.key : this.targetKeys[t];
  }

  /** The index of the commit target (key, group, partition), interned on first use. */
  private target(key: string, group: string, partition: number): number {
    let same = this.targetsOfKey.get(key);
    if (same === undefined) this.targetsOfKey.set(key, (same = []));
    for (const t of same) if (this.targetGroups[t] === group && this.targetPartitions[t] === partition) return t;
    const t = this.targetKeys.length;
    this.targetKeys.push(key);
    this.targetGroups.push(group);
    this.targetPartitions.push(partition);
    same.push(t);
    return t;
  }

  private rowOf(id: number): number {
    let lo = 0;
    let hi = this.rows - 1;
    const ids = this.ids;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = ids.get(mid);
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

/** v when it fits a 32-bit column (a run's record ids, offsets and epochs do); else a ModelAssertionError. */
function int32(v: number, field: string): number {
  if ((v | 0) !== v) throw new ModelAssertionError(`__consumer_offsets record ${field} ${v} does not fit the offsets table's 32-bit column`);
  return v;
}
