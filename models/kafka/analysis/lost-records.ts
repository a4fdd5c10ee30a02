// Lost records: acknowledged records (send-ok) missing from their partition's final log.
//
// - Online partition: lost when the record is nowhere in the leader's log. Present at or above the
//   leader's HW counts as "acked above HW" (not lost, see final-logs.ts). Missing but acknowledged
//   at an offset below the leader's log start offset counts as "below log start": retention deleted
//   that prefix, so presence cannot be judged (not lost).
// - Offline partition: lost only when present on no replica at all; present on some replica counts
//   as "unreachable" (the data exists but no leader serves it).
// - Partition absent from the final state: every acknowledged record of it is lost (the model's
//   contract is to report every partition).
// Classification is the checker's job; this only finds them, in history (send) order.

import type { PartitionFinalLog } from './final-logs.ts';
import type { KafkaHistory, RecordHistory } from './kafka-history.ts';

export interface LostRecords {
  lost: RecordHistory[];
  unreachable: number;
  ackedAboveHighWatermark: number;
  belowLogStart: number;
  /** The records counted in belowLogStart, per partition, in history order: deleted by retention. */
  deletedByRetention: Map<string, RecordHistory[]>;
}

export function findLostRecords(history: KafkaHistory, logs: ReadonlyMap<string, PartitionFinalLog>): LostRecords {
  const out: LostRecords = { lost: [], unreachable: 0, ackedAboveHighWatermark: 0, belowLogStart: 0, deletedByRetention: new Map() };
  for (const r of history.records.values()) {
    if (r.outcome !== 'acked') continue;
    const log = logs.get(r.partition);
    if (!log) {
      out.lost.push(r);
      continue;
    }
    const offset = log.firstOffset.get(r.record);
    if (log.online) {
      if (offset !== undefined) {
        if (offset >= log.reference!.highWatermark) out.ackedAboveHighWatermark++;
      } else if (r.ackOffset >= 0 && r.ackOffset < log.reference!.logStartOffset) {
        out.belowLogStart++;
        const list = out.deletedByRetention.get(r.partition);
        if (list) list.push(r);
        else out.deletedByRetention.set(r.partition, [r]);
      }
      else out.lost.push(r);
      continue;
    }
    if (offset !== undefined || log.presentOnAnyReplica!.has(r.record)) out.unreachable++;
    else out.lost.push(r);
  }
  return out;
}
