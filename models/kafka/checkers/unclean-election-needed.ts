// Whether an acks=0/1 record's loss needed the unclean election as well as the acks: the record is
// named under both when with unclean.leader.election.enable=false nothing would have lost it.
// With it off, the controller leaves the partition offline until a member of its last ISR comes
// back (PartitionLeaderElectionAlgorithms.offlinePartitionLeaderElection; KRaft
// PartitionChangeBuilder), so the election was needed when it was the first after the
// acknowledgement to put in place a leader without the record (its epoch starting at or below
// the record's offset) and every member of the ISR it replaced still held the record.

import type { ElectionAt, KafkaHistory, RecordHistory } from '../analysis/kafka-history.ts';
import { firstElectionFrom } from './kafka-terms.ts';

export function uncleanElectionNeeded(history: KafkaHistory, nodeName: (node: number) => string, r: RecordHistory, unclean: ElectionAt): boolean {
  if (r.ackOffset < 0) return false;
  const elections = history.elections(r.partition);
  let i = firstElectionFrom(elections, r.ackUs);
  while (i < elections.length && !leaderWithout(elections[i], r)) i++;
  if (elections[i] !== unclean) return false;
  const removed = (node: number) => (r.removals ?? []).some((x) => history.removals[x].node === node && history.removals[x].timeUs <= unclean.timeUs);
  const holding = new Set((r.holders ?? []).filter((node) => !removed(node)).map(nodeName));
  const isr = history.isrAt(r.partition, unclean.timeUs - 1);
  return isr.length > 0 && isr.every((b) => holding.has(b));
}

/** A leader elected after r's acknowledgement whose epoch starts at or below r's offset: one without r. */
function leaderWithout(e: ElectionAt, r: RecordHistory): boolean {
  return e.event.leader !== null && e.event.leaderEpoch > r.ackLeaderEpoch && e.epochStartOffset <= r.ackOffset;
}
