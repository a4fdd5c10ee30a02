// Which log of a partition the end-of-run analyses judge, and where each record sits in it.
//
// The final log of a partition with a leader at the end is the leader's log, from its log start
// offset to its log end offset: the leader's log is authoritative (followers truncate to it, never
// the reverse). Its committed log is the prefix below the leader's high watermark. Records of the
// final log at or above the high watermark are acknowledged-but-not-yet-committed only in the narrow
// sense that the new leader's HW had not caught up when the run stopped (a newly elected leader
// learns the HW from its followers' next fetches); they are reported, not treated as lost.
//
// A partition whose leader is null at the end, or down, or without the partition's state, or whose log the model did not report, is
// offline. Its reference log, for duplicate and order analyses, is the log of the first ISR member
// (the last leader, which a clean election would pick again), else the most advanced replica
// (highest HW, then LEO, then broker name). For loss, every replica's log counts: a record present
// on any replica of an offline partition is "unreachable", not lost.

import type { FinalPartitionState, FinalReplicaLog, KafkaFinalState } from '../kafka-events.ts';
import { FirstOffsets, type RecordOffsets } from './first-offsets.ts';

type ReferenceLogSource = 'leader' | 'last-isr-member' | 'most-advanced-replica' | 'none';

export interface PartitionFinalLog {
  partition: string;
  online: boolean;
  state: FinalPartitionState;
  reference: FinalReplicaLog | null;
  referenceSource: ReferenceLogSource;
  /** First offset of each record in the reference log. */
  firstOffset: RecordOffsets;
  /** Records present more than once in the reference log, with every offset ascending. */
  duplicateOffsets: Map<number, number[]>;
  /** Offline partitions only: every record present in any replica's log. */
  presentOnAnyReplica: Set<number> | null;
}

export function analyseFinalLogs(final: KafkaFinalState): Map<string, PartitionFinalLog> {
  const out = new Map<string, PartitionFinalLog>();
  for (const state of final.partitions) out.set(state.partition, analysePartition(state));
  return out;
}

function analysePartition(state: FinalPartitionState): PartitionFinalLog {
  // A leader whose broker is down at the end (the controller has not fenced it yet, say for lack
  // of a quorum) serves nothing: the partition is offline, and the down leader's log (maybe
  // emptied by power loss) is no more authoritative than any other replica's.
  // So does a leader that never got the partition's state (a restart the ZooKeeper controller
  // missed, before KIP-380).
  const leaderLog = state.leader === null || state.leaderWithoutState ? undefined : state.logs.find((l) => l.broker === state.leader && l.alive);
  let reference: FinalReplicaLog | null = leaderLog ?? null;
  let referenceSource: ReferenceLogSource = leaderLog ? 'leader' : 'none';
  let presentOnAnyReplica: Set<number> | null = null;
  if (!leaderLog) {
    const lastIsr = state.isr.length > 0 ? state.logs.find((l) => l.broker === state.isr[0]) : undefined;
    if (lastIsr) {
      reference = lastIsr;
      referenceSource = 'last-isr-member';
    } else if (state.logs.length > 0) {
      reference = [...state.logs].sort(moreAdvancedFirst)[0];
      referenceSource = 'most-advanced-replica';
    }
    presentOnAnyReplica = new Set();
    for (const log of state.logs) for (const id of log.records) presentOnAnyReplica.add(id);
  }
  const duplicateOffsets = new Map<number, number[]>();
  // Ids below 0 were removed by compaction (storage/log-cleaner.ts).
  const firstOffset = new FirstOffsets(reference?.records ?? [], reference?.logStartOffset ?? 0, (id, first, offset) => {
    const offsets = duplicateOffsets.get(id);
    if (offsets) offsets.push(offset);
    else duplicateOffsets.set(id, [first, offset]);
  });
  return {
    partition: state.partition,
    online: leaderLog !== undefined,
    state,
    reference,
    referenceSource,
    firstOffset,
    duplicateOffsets,
    presentOnAnyReplica,
  };
}

function moreAdvancedFirst(a: FinalReplicaLog, b: FinalReplicaLog): number {
  if (a.highWatermark !== b.highWatermark) return b.highWatermark - a.highWatermark;
  if (a.logEndOffset !== b.logEndOffset) return b.logEndOffset - a.logEndOffset;
  return a.broker < b.broker ? -1 : a.broker > b.broker ? 1 : 0;
}
