// Lost records: acknowledged records (send-ok) missing from their partition's final log.
//
// - Online partition: lost when the record is nowhere in the leader's log. Present at or above the
//   leader's HW counts as "acked above HW" (not lost, see final-logs.ts). Missing but acknowledged
//   at an offset below the leader's log start offset counts as "below log start": retention deleted
//   that prefix, so presence cannot be judged (not lost).
// - Offline partition: lost only when present on no replica at all; present on some replica counts
//   as "unreachable" (the data exists but no leader serves it). Acknowledged below the highest log
//   start offset of its replicas counts as "below log start": retention or DeleteRecords deleted
//   it on a replica (a log start offset only moves past committed records), and the followers
//   followed the leader's log start.
// - Kept by a broker that exited rather than truncate (before 2.1, broker/truncation-halt.ts):
//   missing from the leader's log but on that replica's disk. Lost all the same: the cluster reads
//   and writes on without them (new records take their offsets), and the exited broker may exit
//   again whenever it is restarted, until an operator recovers its log by hand (KAFKA-7414 made
//   2.1 truncate instead). Counted in `lost` and also apart (keptByExit, keptByExitIds), so the
//   checker can say a copy survives.
// - Compacted away: missing, but a cleaned copy of it (id -1 - id, storage/log-cleaner.ts) sits in
//   the leader's log (offline: any replica's): a later record of its key superseded it under
//   cleanup.policy=compact, as Kafka's LogCleaner keeps only the last record per key: not lost.
// - Partition absent from the final state: every acknowledged record of it is lost (the model's
//   contract is to report every partition).
// Classification is the checker's job; this only finds them, in history (send) order.

import type { PartitionFinalLog } from './final-logs.ts';
import type { KafkaHistory, RecordHistory } from './kafka-history.ts';

/** A record by id and the offset it was acknowledged at. */
export interface AckedAt {
  record: number;
  ackOffset: number;
}

export interface LostRecords {
  lost: RecordHistory[];
  unreachable: number;
  /** Of `lost`: missing from the online leader's log, held by a replica that exited rather than truncate. */
  keptByExit: number;
  /** The ids of the records counted in keptByExit. */
  keptByExitIds: Set<number>;
  ackedAboveHighWatermark: number;
  belowLogStart: number;
  /** Acknowledged records the log cleaner removed (superseded by a later record of their key): not lost. */
  compacted: number;
  /** The records counted in belowLogStart, per partition, in history order: deleted by retention. */
  deletedByRetention: Map<string, AckedAt[]>;
}

export function findLostRecords(history: KafkaHistory, logs: ReadonlyMap<string, PartitionFinalLog>): LostRecords {
  const out: LostRecords = { lost: [], unreachable: 0, keptByExit: 0, keptByExitIds: new Set(), ackedAboveHighWatermark: 0, belowLogStart: 0, compacted: 0, deletedByRetention: new Map() };
  const cleaned = new Map<string, Set<number>>();
  const compactedAway = (partition: string, log: PartitionFinalLog, id: number): boolean => {
    let ids = cleaned.get(partition);
    if (ids === undefined) cleaned.set(partition, (ids = cleanedIds(log)));
    if (!ids.has(id)) return false;
    out.compacted++;
    return true;
  };
  const records = history.records;
  // Rows are read by column; a RecordHistory is built only for the records a finding keeps.
  for (const id of records.ids()) {
    if (records.outcome(id) !== 'acked') continue;
    const partition = records.partition(id);
    const log = logs.get(partition);
    if (!log) {
      out.lost.push(records.get(id)!);
      continue;
    }
    const offset = log.firstOffset.get(id);
    if (log.online) {
      const ackOffset = records.ackOffsetOf(id);
      if (offset !== undefined) {
        if (offset >= log.reference!.highWatermark) out.ackedAboveHighWatermark++;
      } else if (ackOffset >= 0 && ackOffset < log.reference!.logStartOffset) deleted(out, partition, id, ackOffset);
      else if (keptByExit(log, id)) {
        out.keptByExit++;
        out.keptByExitIds.add(id);
        out.lost.push(records.get(id)!);
      } else if (!compactedAway(partition, log, id)) out.lost.push(records.get(id)!);
      continue;
    }
    if (offset !== undefined || log.presentOnAnyReplica!.has(id)) out.unreachable++;
    else if (records.ackOffsetOf(id) >= 0 && records.ackOffsetOf(id) < highestLogStart(log)) deleted(out, partition, id, records.ackOffsetOf(id));
    else if (!compactedAway(partition, log, id)) out.lost.push(records.get(id)!);
  }
  return out;
}

/** Whether a replica that exited rather than truncate holds the record. */
function keptByExit(log: PartitionFinalLog, id: number): boolean {
  return log.state.logs.some((l) => l.keptRatherThanTruncated === true && l.records.indexOf(id) >= 0);
}

/** A record acknowledged below a log start offset: deleted (retention, DeleteRecords), not lost. */
function deleted(out: LostRecords, partition: string, record: number, ackOffset: number): void {
  out.belowLogStart++;
  const list = out.deletedByRetention.get(partition);
  if (list) list.push({ record, ackOffset });
  else out.deletedByRetention.set(partition, [{ record, ackOffset }]);
}

/** The ids whose cleaned copies (-1 - id) the leader's log holds, or, offline, any replica's. */
function cleanedIds(log: PartitionFinalLog): Set<number> {
  const ids = new Set<number>();
  const logs = log.online ? [log.reference!] : log.state.logs;
  for (const l of logs) for (let i = 0; i < l.records.length; i++) if (l.records[i] < 0) ids.add(-1 - l.records[i]);
  return ids;
}

/** The highest log start offset among an offline partition's replicas. */
function highestLogStart(log: PartitionFinalLog): number {
  let start = 0;
  for (const l of log.state.logs) if (l.logStartOffset > start) start = l.logStartOffset;
  return start;
}
