// The partition-side availability part of the run summary (the client-felt part, per producer, is
// producer-felt-unavailability.ts): per partition and kind of client, the time no leader
// served those clients, the high watermark stalled, or (acks=all writers) their writes were held
// behind a request waiting on another partition (partition-availability.ts), and per kind the
// totals over the partitions it uses. Kinds the scenario lacks are absent, so a reader can tell "no acks=0/1 writers" from
// "acks=0/1 writers never waited". __consumer_offsets shows as the 'groups' kind only.

import { US_PER_MS } from '../../../src/sim/time.ts';
import type { ClusterAvailability } from './cluster-availability.ts';
import type { ClientKind } from './partition-availability.ts';
import { comparePartitions } from './partition-name.ts';

/** One kind of client of one partition that went unserved at some point. */
export interface PartitionUnavailabilityRow {
  partition: string;
  /** acks=all / acks=0/1 writers, readers (consumer groups), or groups (a __consumer_offsets partition's). */
  clients: ClientKind;
  unavailableMs: number;
  /** Of unavailableMs: a leader served, but refused with the ISR below min.insync.replicas (acks=all, groups). */
  isrBelowMinMs: number;
  /** Of unavailableMs: led, with the ISR large enough, but the high watermark stalled (acks=all, readers, groups). */
  hwStalledMs: number;
  /**
   * Of unavailableMs: served by its own state, but every writer's connection to the leader was held
   * by a request waiting on another partition unserved to them (acks=all; head-of-line-blocking.ts).
   */
  headOfLineBlockedMs: number;
  /** Times these clients went from served to unserved. */
  spells: number;
  unavailableAtEnd: boolean;
  minInsyncReplicas: number;
  /** Of hwStalledMs (readers): while the ISR was below min.insync.replicas, which the HW waits for (KAFKA-15583, 3.7); absent when none. */
  hwStalledIsrBelowMinMs?: number;
}

/** One kind of client over every partition it uses. */
export interface ClientUnavailabilityTotal {
  clients: ClientKind;
  /** Partitions these clients use (for groups: __consumer_offsets partitions coordinating a group). */
  partitions: number;
  unavailableMs: number;
  isrBelowMinMs: number;
  hwStalledMs: number;
  headOfLineBlockedMs: number;
  partitionsUnavailableAtEnd: number;
}

const KIND_ORDER: readonly ClientKind[] = ['acks=all', 'acks=0/1', 'readers', 'groups'];

interface TotalUs {
  partitions: number;
  unavailableUs: number;
  isrBelowMinUs: number;
  hwStalledUs: number;
  headOfLineBlockedUs: number;
  atEnd: number;
}

export function summarizeAvailability(availability: ClusterAvailability): {
  totals: ClientUnavailabilityTotal[];
  rows: PartitionUnavailabilityRow[];
} {
  // Summed in µs (integers), so totals pick up no rounding.
  const totals = new Map<ClientKind, TotalUs>();
  const rows: PartitionUnavailabilityRow[] = [];
  for (const partition of [...availability.partitions.keys()].sort(comparePartitions)) {
    const a = availability.partitions.get(partition)!;
    for (const c of [...a.clients].sort((x, y) => KIND_ORDER.indexOf(x.kind) - KIND_ORDER.indexOf(y.kind))) {
      let total = totals.get(c.kind);
      if (!total) totals.set(c.kind, (total = { partitions: 0, unavailableUs: 0, isrBelowMinUs: 0, hwStalledUs: 0, headOfLineBlockedUs: 0, atEnd: 0 }));
      total.partitions++;
      total.unavailableUs += c.unavailableUs;
      total.isrBelowMinUs += c.isrBelowMinUs;
      total.hwStalledUs += c.hwStalledUs;
      total.headOfLineBlockedUs += c.headOfLineBlockedUs;
      if (c.unavailableAtEnd) total.atEnd++;
      if (c.unavailableUs === 0 && !c.unavailableAtEnd) continue;
      rows.push({
        partition,
        clients: c.kind,
        unavailableMs: c.unavailableUs / US_PER_MS,
        isrBelowMinMs: c.isrBelowMinUs / US_PER_MS,
        hwStalledMs: c.hwStalledUs / US_PER_MS,
        headOfLineBlockedMs: c.headOfLineBlockedUs / US_PER_MS,
        spells: c.spells,
        unavailableAtEnd: c.unavailableAtEnd,
        minInsyncReplicas: a.minInsyncReplicas,
        ...(c.hwStalledIsrBelowMinUs > 0 ? { hwStalledIsrBelowMinMs: c.hwStalledIsrBelowMinUs / US_PER_MS } : {}),
      });
    }
  }
  const out: ClientUnavailabilityTotal[] = [];
  for (const kind of KIND_ORDER) {
    const t = totals.get(kind);
    if (!t) continue;
    out.push({
      clients: kind,
      partitions: t.partitions,
      unavailableMs: t.unavailableUs / US_PER_MS,
      isrBelowMinMs: t.isrBelowMinUs / US_PER_MS,
      hwStalledMs: t.hwStalledUs / US_PER_MS,
      headOfLineBlockedMs: t.headOfLineBlockedUs / US_PER_MS,
      partitionsUnavailableAtEnd: t.atEnd,
    });
  }
  return { totals: out, rows };
}
