// The payloads of every __consumer_offsets record by run-wide record id (see offsets-topic.ts: the
// log holds only ids), stored compactly because a run writes one per committed partition per
// commit: offset commits as columns (group, partition, offset, leader epoch, compaction key, about
// 24 bytes a record), group-metadata records (one per completed rebalance, rare) as objects. Ids
// are appended in increasing order (the run-wide id sequence), so a lookup is a binary search.
// Kafka's own layout is the same split: OffsetCommitValue and GroupMetadataValue records keyed by
// OffsetKey (group, topic, partition) and GroupMetadataKey (group) (GroupMetadataManager).

import { ModelAssertionError } from '../../../src/sim/model-assertion-error.ts';
import type { GroupMetadataRecord, OffsetsRecord } from './offsets-topic.ts';

const INITIAL_ROWS = 1024;

export class OffsetsRecordTable {
  private rows = 0;
  private ids = new Float64Array(INITIAL_ROWS);
  /** Index into keys (compaction key) of each row; -1 for a group-metadata row. */
  private keyIndex = new Int32Array(INITIAL_ROWS);
  private groupIndex = new Int32Array(INITIAL_ROWS);
  private partitions = new Int32Array(INITIAL_ROWS);
  private offsets = new Float64Array(INITIAL_ROWS);
  private leaderEpochs = new Int32Array(INITIAL_ROWS);
  /** Interned group ids and compaction keys (a few per group and partition, not per record). */
  private readonly groups: string[] = [];
  private readonly groupOf = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly keyOf = new Map<string, number>();
  private readonly metadataRecords = new Map<number, GroupMetadataRecord>();

  get size(): number {
    return this.rows;
  }

  /** Stores the payload of record `id`, which must be larger than every id stored before. */
  set(id: number, rec: OffsetsRecord): void {
    const r = this.rows;
    if (r > 0 && id <= this.ids[r - 1]) throw new ModelAssertionError(`__consumer_offsets record ${id} stored after ${this.ids[r - 1]}`);
    if (r === this.ids.length) this.grow();
    this.ids[r] = id;
    if (rec.kind === 'group') {
      this.metadataRecords.set(id, rec);
      this.keyIndex[r] = -1;
    } else {
      this.keyIndex[r] = intern(rec.key, this.keys, this.keyOf);
      this.groupIndex[r] = intern(rec.group, this.groups, this.groupOf);
      this.partitions[r] = rec.partition;
      this.offsets[r] = rec.offset;
      this.leaderEpochs[r] = rec.leaderEpoch;
    }
    this.rows = r + 1;
  }

  /** The payload of record `id` (a fresh object for an offset commit), or undefined when none was stored. */
  get(id: number): OffsetsRecord | undefined {
    const r = this.rowOf(id);
    if (r < 0) return undefined;
    if (this.keyIndex[r] < 0) return this.metadataRecords.get(id);
    return {
      kind: 'offset',
      group: this.groups[this.groupIndex[r]],
      partition: this.partitions[r],
      offset: this.offsets[r],
      leaderEpoch: this.leaderEpochs[r],
      key: this.keys[this.keyIndex[r]],
    };
  }

  /** The compaction key of record `id` without building its payload, or undefined when none was stored. */
  compactionKey(id: number): string | undefined {
    const r = this.rowOf(id);
    if (r < 0) return undefined;
    const k = this.keyIndex[r];
    return k < 0 ? this.metadataRecords.get(id)!.key : this.keys[k];
  }

  private rowOf(id: number): number {
    let lo = 0;
    let hi = this.rows - 1;
    const ids = this.ids;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = ids[mid];
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private grow(): void {
    const n = this.ids.length * 2;
    this.ids = grown(this.ids, new Float64Array(n));
    this.keyIndex = grown(this.keyIndex, new Int32Array(n));
    this.groupIndex = grown(this.groupIndex, new Int32Array(n));
    this.partitions = grown(this.partitions, new Int32Array(n));
    this.offsets = grown(this.offsets, new Float64Array(n));
    this.leaderEpochs = grown(this.leaderEpochs, new Int32Array(n));
  }
}

function grown<T extends Float64Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

function intern(s: string, values: string[], indexOf: Map<string, number>): number {
  let i = indexOf.get(s);
  if (i === undefined) {
    i = values.length;
    values.push(s);
    indexOf.set(s, i);
  }
  return i;
}
