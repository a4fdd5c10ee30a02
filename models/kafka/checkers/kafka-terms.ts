// Short phrases that explain a finding in Kafka's own terms (acknowledgements, leader epochs,
// elections, truncations, log losses), shared by the checkers so every message reads the same.
// Times are virtual, as formatTimeUs prints them.

import { formatTimeUs } from '../../../src/sim/time.ts';
import type { ElectionAt, RecordHistory, RecordRemoval } from '../analysis/kafka-history.ts';
import { countUntil } from '../analysis/time-ordered.ts';
import { firstRemovedOffset } from '../kafka-events.ts';

export function recordName(record: number): string {
  return `r${record}`;
}

export function describeAck(r: RecordHistory): string {
  const where = r.ackOffset >= 0 ? ` at offset ${r.ackOffset}` : '';
  const leader = r.ackLeader === null ? '' : ` (leader ${r.ackLeader})`;
  return `acked to ${r.producer} at ${formatTimeUs(r.ackUs)}${where} in leader epoch ${r.ackLeaderEpoch}${leader}`;
}

export function describeOutcome(r: RecordHistory): string {
  switch (r.outcome) {
    case 'acked':
      return describeAck(r);
    case 'failed':
      return `failed definitely (${r.error})`;
    case 'unknown':
      return `outcome unknown (${r.error})`;
    case 'pending':
      return 'still in flight at the end';
  }
}

export function describeElection(e: ElectionAt): string {
  const ev = e.event;
  const at = formatTimeUs(e.timeUs);
  if (ev.leader === null) return `election at ${at} found no eligible replica: offline in epoch ${ev.leaderEpoch}`;
  const from = ev.previousLeader === null ? '' : ` replacing ${ev.previousLeader}`;
  return `${ev.kind} election at ${at} made ${ev.leader} leader of epoch ${ev.leaderEpoch}${from} with LEO ${ev.leaderLogEndOffset}${tookOverWith(e)}, ISR [${ev.isr.join(', ')}]`;
}

/**
 * When the new leader's log grew between the election and its taking over (a fetch response from
 * the old leader appended meanwhile), where its epoch starts, as Partition.makeLeader set it: what
 * the epoch kept and what followers truncate to. Empty when the election's LEO is that start.
 */
function tookOverWith(e: ElectionAt): string {
  if (e.tookOverUs === null || e.epochStartOffset === e.event.leaderLogEndOffset) return '';
  return ` (${e.epochStartOffset} when it took over at ${formatTimeUs(e.tookOverUs)}: epoch ${e.event.leaderEpoch} starts there)`;
}

/**
 * " when it took over at 5.103s": when the new leader's log ended where its epoch starts
 * (Partition.makeLeader's leaderEpochStartOffset, at its become-leader), after the controller's
 * decision the election's time names; texts quote it beside that offset, so the offset has its own
 * time. Empty when no take-over was seen: the offset is then its log end when elected.
 */
export function whenTookOver(e: { tookOverUs: number | null }): string {
  return e.tookOverUs === null ? '' : ` when it took over at ${formatTimeUs(e.tookOverUs)}`;
}

/** " (its log end when it took over at 5.103s)" after an offset where an epoch starts (whenTookOver), or nothing. */
export function tookOverNote(e: { tookOverUs: number | null }): string {
  return e.tookOverUs === null ? '' : ` (its log end${whenTookOver(e)})`;
}

/** "from offset 37, its log end when it took over at 5.103s": where the election's epoch starts (whenTookOver). */
export function epochStartedFrom(e: ElectionAt): string {
  return `from offset ${e.epochStartOffset}${e.tookOverUs === null ? '' : `, its log end${whenTookOver(e)}`}`;
}

export function describeRemoval(removal: RecordRemoval, nodeName: (node: number) => string): string {
  const ev = removal.event;
  const at = formatTimeUs(removal.timeUs);
  const low = Math.min(ev.fromOffset, firstRemovedOffset(ev));
  const high = Math.max(ev.fromOffset, firstRemovedOffset(ev));
  const offsets = high - low <= 1 ? `offset ${low}` : `offsets ${low}..${high - 1}`;
  const broker = nodeName(removal.node);
  if (ev.type === 'truncate') return `${broker} truncated ${offsets} (${ev.reason} truncation) at ${at}`;
  return `${broker} lost ${offsets} to ${ev.cause} at ${at}`;
}

/** Index of the partition's first election at or after timeUs (elections are in time order). */
export function firstElectionFrom(elections: readonly ElectionAt[], timeUs: number): number {
  return countUntil(elections, timeUs, true);
}

export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}
