// The human form of a KafkaRunSummary: a few short lines, figures first, partitions in report
// order, at most a handful of partitions named per line (the rest counted). Number formatting is
// done by hand (no locale) so the lines are the same on every machine.

import type { ClientUnavailabilityTotal, PartitionUnavailabilityRow } from './availability-summary.ts';
import type { ClientKind } from './partition-availability.ts';
import type { ProducerUnavailabilityRow } from './producer-felt-unavailability.ts';
import type { KafkaRunSummary, ProduceLatencyRow } from './run-summary.ts';
import type { ControllerFailover } from './controller-failovers.ts';
import type { ConsumerGroupFigures } from './consumer-history.ts';
import { COMMIT_FAILED_EXCEPTION } from '../consumer/consumer-coordinator.ts';

const PARTITIONS_NAMED_MAX = 5;
/** Upgrade steps named on their line (a rolling upgrade of 6 brokers and its metadata.version: 7). */
const STEPS_NAMED_MAX = 12;

export function describeKafkaRunSummary(s: KafkaRunSummary): string[] {
  const lines: string[] = [];
  let records =
    `records: ${count(s.recordsSent)} sent, ${count(s.recordsAcked)} acked, ${count(s.recordsFailed)} failed, ` +
    `${count(s.recordsUnknown)} unknown`;
  if (s.finalStateAvailable) {
    const acksZero = s.recordsLostAcksZero ?? 0;
    const lostNote = acksZero === 0 ? '' : acksZero === s.recordsLost ? ' (all sent with acks=0, which promises no durability)' : ` (${count(acksZero)} of them sent with acks=0, which promises no durability)`;
    const kept = s.recordsKeptByExitedBroker ?? 0;
    const keptNote = kept === 0 ? '' : ` (${count(kept)} of them kept only on the disk of a broker that exited rather than truncate, Kafka before 2.1: recoverable by hand)`;
    records += `; ${count(s.recordsLost)} lost${lostNote}${keptNote}, ${count(s.recordsDuplicated)} duplicated, ${count(s.recordsReordered)} reordered`;
    if (s.recordsUnreachable > 0) records += `, ${count(s.recordsUnreachable)} unreachable (partition offline)`;
    if (s.recordsCompactedAway > 0) records += `, ${count(s.recordsCompactedAway)} compacted away (a later record of their key kept)`;
  } else records += '; no final logs, loss not judged';
  lines.push(records);
  // Partition-side (whether or not anyone wrote or read then) and client-felt, each named as such:
  // an idle producer's 0 beside a 15 s partition-side figure is the point.
  for (const kind of ['acks=all', 'acks=0/1'] as const) lines.push(`partition-side unavailability for ${kind} writers: ${unavailability(s, kind)}`);
  if (s.unavailabilityByClients.some((t) => t.clients === 'readers')) lines.push(`partition-side unavailability for readers: ${unavailability(s, 'readers')}`);
  const producers = s.unavailabilityByProducers ?? [];
  if (producers.length > 0) lines.push(`client-felt unavailability for producers (a send waiting while no leader served it): ${producersFelt(producers)}`);
  if (s.produceLatency.length > 0) lines.push(`produce latency ms: ${latency(s.produceLatency)}`);
  if (s.produceErrors > 0) lines.push(`produce errors: ${count(s.produceErrors)} failed batch attempts, retried or not${byCode(s.produceErrorsByCode ?? {})}`);
  lines.push(
    `elections: ${count(s.electionsClean)} clean, ${count(s.electionsUnclean)} unclean, ${count(s.electionsPreferred)} preferred, ` +
      `${count(s.electionsControlledShutdown)} controlled-shutdown, ` +
      (s.electionsLastKnownLeader > 0 ? `${count(s.electionsLastKnownLeader)} last known leader (KIP-966), ` : '') +
      `${count(s.electionsOffline)} left offline; ` +
      `ISR ${count(s.isrShrinks)} shrinks, ${count(s.isrExpands)} expands${controllerRemovals(s.isrRemovalsByController ?? 0)}; ` +
      `record copies truncated ${count(s.recordsTruncated)}, lost to power loss ${count(s.recordsLostToPowerLoss)}` +
      (s.recordsLostToDiskLoss > 0 ? `, to disk loss ${count(s.recordsLostToDiskLoss)}` : ''),
  );
  if (s.offsetsPartitions > 0) {
    lines.push(
      `__consumer_offsets: elections ${count(s.offsetsElectionsClean)} clean, ${count(s.offsetsElectionsUnclean)} unclean, ` +
        `${count(s.offsetsElectionsPreferred)} preferred, ${count(s.offsetsElectionsControlledShutdown)} controlled-shutdown, ` +
        `${count(s.offsetsElectionsOffline)} left offline; partition-side unavailability for its groups: ${unavailability(s, 'groups')}`,
    );
  }
  lines.push(...controllerLines(s));
  const steps = s.upgradeSteps ?? [];
  if (steps.length > 0) lines.push(`upgrade steps: ${steps.slice(0, STEPS_NAMED_MAX).join('; ')}${steps.length > STEPS_NAMED_MAX ? `; and ${steps.length - STEPS_NAMED_MAX} more (--json: upgradeSteps)` : ''}`);
  if ((s.operationsRefused ?? []).length > 0) lines.push(`operations refused by Kafka: ${s.operationsRefused.join('; ')}`);
  const exits = s.brokerExits ?? [];
  if (exits.length > 0) lines.push(`brokers exited rather than truncate (Kafka before 2.1, unclean election off: their logs kept, their partitions under-replicated): ${exits.slice(0, 3).join('; ')}${exits.length > 3 ? `; and ${exits.length - 3} more` : ''}`);
  for (const g of s.consumerGroups ?? [])
    lines.push(
      `group ${g.group}: ${count(g.recordsConsumed)} records consumed, ${count(g.recordsProcessedMoreThanOnce)} processed more than once, ` +
        `${count(g.recordsNeverProcessed)} never processed${deletedUnread(g)}${owedFrom(g)}; ${count(g.rebalances)} rebalances (max ${seconds(g.rebalanceMsMax)}, total ${seconds(g.rebalanceMsTotal)}); ` +
        `commits ${count(g.commitsOk)} ok, ${count(g.commitsFailed)} failed${failedByCause(g)}; ${count(g.offsetResets)} offset resets; lag at end ${count(g.lagAtEnd)}`,
    );
  return lines;
}

/**
 * The controller's own ISR removals beside the leaders' shrinks, or nothing: Kafka's
 * IsrShrinksPerSec is marked by the leader's Partition.shrinkIsr only (ReplicaManager.isrShrinkRate,
 * at its AlterPartition's answer from 2.7; its ZooKeeper write before), so a broker fenced or
 * replaced at an election leaves that metric alone.
 */
function controllerRemovals(n: number): string {
  return n === 0 ? '' : `, ${count(n)} controller removals (IsrShrinksPerSec counts the leaders' shrinks only)`;
}

/**
 * " (12 of them since deleted by retention)", or nothing. Retention may have deleted a record a
 * reset had already skipped: the at-least-once violation names the cause of each; this counts
 * only what is gone from the log.
 */
function deletedUnread(g: ConsumerGroupFigures): string {
  return (g.recordsDeletedUnread ?? 0) > 0 ? ` (${count(g.recordsDeletedUnread)} of them since deleted by retention)` : '';
}

/**
 * " (counted from its first positions, orders-0 offset 229, orders-1 offset 142: a new group at
 * auto.offset.reset=latest owes no record below them)", or nothing. Offsets, not counts: the
 * partition@offset form read as the count of each partition's records.
 */
function owedFrom(g: ConsumerGroupFigures): string {
  const starts = Object.entries(g.owedFrom ?? {});
  if (starts.length === 0) return '';
  const named = starts.slice(0, PARTITIONS_NAMED_MAX).map(([p, o]) => `${p} offset ${o}`);
  const more = starts.length > named.length ? `, and ${starts.length - named.length} more partitions` : '';
  const position = starts.length === 1 ? 'position' : 'positions';
  return ` (counted from its first ${position}, ${named.join(', ')}${more}: a new group at auto.offset.reset=latest owes no record below them)`;
}

/** The controller's failovers and lost majorities, a line each kind when there were any. */
function controllerLines(s: KafkaRunSummary): string[] {
  const lines: string[] = [];
  const at = (msValue: number) => `${(msValue / 1000).toFixed(3)} s`;
  const failovers = (s.controllerFailovers ?? []).map((f) => {
    const leaderless = f.leaderlessMs === null || f.leaderlessFromMs === null ? null : `no controller could commit for ${duration(f.leaderlessMs)}, from ${at(f.leaderlessFromMs)}`;
    if (f.to !== f.from) return `${at(f.atMs)} ${f.from} -> ${f.to}` + (leaderless === null ? '' : ` (${leaderless})`);
    const notes = [termEnded(f, at), leaderless].filter((n) => n !== null);
    return `${at(f.atMs)} ${f.to} again${f.epoch === undefined ? '' : ` in epoch ${f.epoch}`} (${notes.join('; ')})`;
  });
  if (failovers.length > 0) lines.push(`controller failovers: ${named(failovers)}`);
  const ended = { 'majority-back': 'majority back', 'lease-lost': 'lost its lease', down: 'went down', replaced: 'another controller active' } as const;
  const losses = (s.controllerMajorityLosses ?? []).map(
    (l) => `${l.controller} at ${at(l.atMs)}, ` + (l.untilMs === null || l.endedBy === null ? 'still at the end' : `${ended[l.endedBy]} at ${at(l.untilMs)}`),
  );
  if (losses.length > 0) lines.push(`controller quorum majority lost (the active controller could not commit): ${named(losses)}`);
  return lines;
}

/**
 * Why the controller active before is active again in a new term (controller-failovers.ts): what
 * ended its previous term. "re-elected" when the changes do not say.
 */
function termEnded(f: ControllerFailover, at: (msValue: number) => string): string {
  if (f.fromEndedBy === undefined || f.fromEndedAtMs === undefined) return 're-elected';
  const when = at(f.fromEndedAtMs);
  if (f.fromEndedBy === 'down') return `re-elected after its process went down at ${when}`;
  if (f.deposedBy !== undefined)
    return `deposed at ${when} by ${f.deposedBy}'s higher epoch${f.deposedEpoch === undefined ? '' : ` ${f.deposedEpoch}`}, from elections ${f.deposedBy} stood in while it did not hear from ${f.from}`;
  if (f.epoch !== undefined) return `resigned at ${when} with no majority of voters fetching from it (KAFKA-15489), then re-elected`;
  return `re-elected after losing its lease at ${when}`;
}

/** The first few of a list, "; "-joined, the rest counted (--json has them all). */
function named(items: string[]): string {
  const shown = items.slice(0, PARTITIONS_NAMED_MAX).join('; ');
  return items.length > PARTITIONS_NAMED_MAX ? `${shown}; and ${items.length - PARTITIONS_NAMED_MAX} more` : shown;
}

/** " (NOT_ENOUGH_REPLICAS 498, NOT_LEADER_OR_FOLLOWER 10)", or nothing (a summary from before they were kept). */
function byCode(counts: Record<string, number>): string {
  const codes = Object.entries(counts);
  return codes.length === 0 ? '' : ` (${codes.map(([code, n]) => `${code} ${count(n)}`).join(', ')})`;
}

/** " (REBALANCE_IN_PROGRESS 8, member removed: CommitFailedException 5)", or nothing. */
function failedByCause(g: ConsumerGroupFigures): string {
  const causes = Object.entries(g.commitsFailedByCause ?? {});
  if (causes.length === 0) return '';
  const name = (cause: string) => (cause === COMMIT_FAILED_EXCEPTION ? `member removed: ${cause}` : cause);
  return ` (${causes.map(([cause, n]) => `${name(cause)} ${count(n)}`).join(', ')})`;
}

/** "p1 2.1 s on 1 partition (of 20.0 s with sends waiting), p2 none (of 3 ms with sends waiting)", the first few producers named. */
function producersFelt(rows: readonly ProducerUnavailabilityRow[]): string {
  const one = (r: ProducerUnavailabilityRow) => {
    const felt = r.unavailableMs > 0 || r.unavailableAtEnd ? `${duration(r.unavailableMs)} on ${count(r.partitionsUnavailable)} partition${r.partitionsUnavailable === 1 ? '' : 's'}` : 'none';
    return `${r.producer} ${felt} (of ${duration(r.sendsWaitingMs)} with sends waiting${r.unavailableAtEnd ? ', still at end' : ''})`;
  };
  const named = rows.slice(0, PARTITIONS_NAMED_MAX).map(one).join(', ');
  return rows.length > PARTITIONS_NAMED_MAX ? `${named}, and ${rows.length - PARTITIONS_NAMED_MAX} more` : named;
}

/** "none", "n/a (no such clients)", or the total then the partitions that went unserved. */
function unavailability(s: KafkaRunSummary, kind: ClientKind): string {
  const total = s.unavailabilityByClients.find((t) => t.clients === kind);
  if (!total) return kind === 'groups' ? 'n/a (it coordinates no group)' : 'n/a (the scenario has none)';
  const parts = s.unavailablePartitions.filter((row) => row.clients === kind).map(partitionUnavailability);
  if (parts.length === 0) return 'none';
  const named = parts.slice(0, PARTITIONS_NAMED_MAX).join(', ');
  const more = parts.length > PARTITIONS_NAMED_MAX ? `, and ${parts.length - PARTITIONS_NAMED_MAX} more` : '';
  const partitions = `${count(total.partitions)} partition${total.partitions === 1 ? '' : 's'}`;
  return `${duration(total.unavailableMs)} in all over ${partitions}${causesPart(total)}; ${named}${more}`;
}

/** The causes kept apart, " (X of it with ..., Y with ...)", or nothing. */
function causesPart(t: ClientUnavailabilityTotal): string {
  const parts: string[] = [];
  const add = (partMs: number, cause: string) => {
    if (partMs > 0) parts.push(`${duration(partMs)} ${parts.length > 0 ? '' : 'of it '}${cause}`);
  };
  add(t.isrBelowMinMs, 'with the ISR below min.insync.replicas');
  add(t.hwStalledMs, 'with the high watermark stalled');
  add(t.headOfLineBlockedMs, "held behind another partition's produce request");
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** The part of a row's time with one cause: "all with X" when it is all of it. */
function share(row: PartitionUnavailabilityRow, partMs: number, cause: string): string | null {
  if (partMs <= 0) return null;
  return partMs === row.unavailableMs ? `all ${cause}` : `${duration(partMs)} of it ${cause}`;
}

function partitionUnavailability(row: PartitionUnavailabilityRow): string {
  const notes: string[] = [];
  const isr = share(row, row.isrBelowMinMs, `with the ISR below min.insync.replicas=${row.minInsyncReplicas}`);
  const stalled = share(row, row.hwStalledMs, 'stalled'); // the totals say what stalled: the high watermark
  // readers: the HW stood while the ISR was below min.insync.replicas, from 3.7 (KAFKA-15583)
  const minIsrText = `with the ISR below min.insync.replicas=${row.minInsyncReplicas}, which the high watermark waits for from Kafka 3.7 (KAFKA-15583)`;
  const stalledOnIsr = share(row, row.hwStalledIsrBelowMinMs ?? 0, minIsrText);
  const held = share(row, row.headOfLineBlockedMs, 'held behind another partition');
  if (isr !== null) notes.push(isr);
  if (stalled !== null) notes.push(stalled);
  if (stalledOnIsr !== null) notes.push(stalledOnIsr);
  if (held !== null) notes.push(held);
  if (row.unavailableAtEnd) notes.push('still at end');
  return `${row.partition} ${duration(row.unavailableMs)}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
}

/** Seconds from 1 s up, milliseconds below (a hand-over of leadership takes a few ms). */
function duration(msValue: number): string {
  if (msValue >= 1000) return seconds(msValue);
  return msValue > 0 && msValue < 1 ? '<1 ms' : `${Math.round(msValue)} ms`;
}

function latency(rows: readonly ProduceLatencyRow[]): string {
  const one = (r: ProduceLatencyRow) => `p50 ${ms(r.latencyMsP50)}, p99 ${ms(r.latencyMsP99)}, max ${ms(r.latencyMsMax)}${startupWait(r)}`;
  if (rows.length === 1) return one(rows[0]);
  return rows.map((r) => `acks=${r.acks} ${one(r)}`).join('; ');
}

/** " (a record sent before the first leader elections, done at 0.100 s; 11.9 after them)", or nothing. */
function startupWait(r: ProduceLatencyRow): string {
  if (r.latencyMsMaxAfterStartup === undefined || r.startupMs === undefined) return '';
  return ` (a record sent before the first leader elections, done at ${(r.startupMs / 1000).toFixed(3)} s; ${ms(r.latencyMsMaxAfterStartup)} after them)`;
}

function seconds(msValue: number): string {
  return `${(msValue / 1000).toFixed(1)} s`;
}

function ms(msValue: number): string {
  return msValue.toFixed(1);
}

/** 59812 -> "59,812". */
function count(n: number): string {
  const digits = String(Math.trunc(Math.abs(n)));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return (n < 0 ? '-' : '') + out;
}
