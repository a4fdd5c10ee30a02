// The end-of-run figures of a Kafka run, for the human summary and `--json` stats (published as
// stats.kafkaAnalysis). Flat: scalar fields plus two lists of flat rows (partitions with any
// unavailability, latency per acks), all JSON-serialisable. Definitions:
//
// - sent / acked / failed / unknown: outcomes of `send` events. unknown = send-fail with
//   definite=false plus sends with no outcome when the run ended (the latter also in inFlightAtEnd).
// - lost, unreachable, ackedAboveHighWatermark, belowLogStart: see lost-records.ts and final-logs.ts
//   (final log = the leader's log; committed log = its prefix below the leader's HW).
// - duplicated: records present more than once in a final log (duplicateCopies: the extra copies).
// - reordered: per producer and partition, the fewest records whose removal leaves the rest in send
//   order (reordered-records.ts), summed.
// - unavailability, partition-side: per partition and kind of client (acks=all writers, acks=0/1
//   writers, readers, and for __consumer_offsets the groups it coordinates), whether or not those
//   clients had anything to send or read, the time no leader served them, counted
//   from when the leader stopped serving (crash, power loss, pause, shutdown, cut off from those
//   clients), not from when the controller noticed; for acks=all writers and groups also the time
//   the ISR was below min.insync.replicas, for them and readers the time the high watermark
//   stalled, and for acks=all writers the time their writes were held behind a produce request
//   waiting on another partition of the same leader (head-of-line-blocking.ts), each kept apart
//   (partition-availability.ts, availability-summary.ts). Intervals still open at the end are
//   closed at the end.
// - unavailability, client-felt: per producer, the part of that time (its own: a producer cut off
//   alone counts) it had a send waiting for its callback (producer-felt-unavailability.ts).
// - elections: user topics; __consumer_offsets elections are counted apart (offsetsElections*).
// - latency: from send() to its batch's send-ok, in ms, nearest-rank percentiles (nearest-rank-percentile.ts), per
//   acks setting of the sending producer, plus over all acknowledged sends.
// - truncated / lost to power or disk loss: counted per replica copy.

import type { Acks } from '../config/config-entry.ts';
import { US_PER_MS, type TimeUs } from '../../../src/sim/time.ts';
import { extraCopies } from './duplicate-records.ts';
import type { KafkaHistory } from './kafka-history.ts';
import type { KafkaRunFindings } from './kafka-run-analysis.ts';
import { nearestRankPercentile } from './nearest-rank-percentile.ts';
import { summarizeAvailability, type ClientUnavailabilityTotal, type PartitionUnavailabilityRow } from './availability-summary.ts';
import type { ConsumerGroupFigures } from './consumer-history.ts';
import { summarizeProducerUnavailability, type ProducerUnavailabilityRow } from './producer-felt-unavailability.ts';
import type { ScenarioLookup } from './scenario-lookup.ts';
import { latencyUsMaxAfterStartup } from './startup-latency.ts';
import { upgradeSteps } from './upgrade-steps.ts';
import { controllerFailovers, type ControllerFailover, type ControllerMajorityLoss } from './controller-failovers.ts';
import type { VersionTimeline } from './version-timeline.ts';

export interface ProduceLatencyRow {
  acks: Acks | 'unknown';
  acked: number;
  latencyMsP50: number;
  latencyMsP99: number;
  latencyMsMax: number;
  /**
   * Set only when the maximum is a record sent before the cluster's start-up ended (the last user
   * partition's initial election, at `startupMs`): the largest latency of a record sent from then on.
   */
  latencyMsMaxAfterStartup?: number;
  startupMs?: number;
}

export interface KafkaRunSummary {
  recordsSent: number;
  recordsAcked: number;
  recordsFailed: number;
  recordsUnknown: number;
  recordsInFlightAtEnd: number;
  /** false: the model reported no final logs, so the log-based figures below are all 0. */
  finalStateAvailable: boolean;
  recordsLost: number;
  /**
   * Present when some: of recordsLost, those sent by an acks=0 producer (acknowledged on the
   * socket write with offset -1, KafkaProducer/Sender: acks=0 promises no durability).
   */
  recordsLostAcksZero?: number;
  recordsUnreachable: number;
  /** Present when some: missing from the leader's log, on the disk of a broker that exited rather than truncate (before 2.1). */
  recordsKeptByExitedBroker?: number;
  recordsAckedAboveHighWatermark: number;
  recordsBelowLogStart: number;
  /** Acknowledged records the log cleaner removed (cleanup.policy=compact): superseded, not lost. */
  recordsCompactedAway: number;
  recordsDuplicated: number;
  duplicateCopies: number;
  recordsReordered: number;
  partitions: number;
  partitionsOfflineAtEnd: number;
  /**
   * Partition-side: per kind of client the scenario has ('acks=all', 'acks=0/1', 'readers',
   * 'groups'), in that order, the time its partitions could not serve that kind, whether or not
   * any client had anything to send or read then (availability-summary.ts).
   */
  unavailabilityByClients: ClientUnavailabilityTotal[];
  /** Partition-side: per partition and kind of client with any unavailability, in partition then kind order. */
  unavailablePartitions: PartitionUnavailabilityRow[];
  /**
   * Client-felt: per producer that sent, by name, the time it had a send waiting on a partition
   * no leader served to it (producer-felt-unavailability.ts). A producer idle through an outage
   * felt none of it.
   */
  unavailabilityByProducers: ProducerUnavailabilityRow[];
  latencyPercentileMethod: 'nearest-rank';
  /** Over every acknowledged send; null when nothing was acknowledged. */
  latencyMsP50: number | null;
  latencyMsP99: number | null;
  latencyMsMax: number | null;
  /** Per acks setting, in the order 'all', '1', '0'. */
  produceLatency: ProduceLatencyRow[];
  electionsInitial: number;
  electionsClean: number;
  electionsUnclean: number;
  electionsPreferred: number;
  electionsControlledShutdown: number;
  /** KIP-966 (4.1): the last leader elected again with the ISR and the ELR empty. */
  electionsLastKnownLeader: number;
  /** Elections that found no eligible replica (partition went offline). */
  electionsOffline: number;
  /** The leaders' own ISR shrinks and expansions (AlterPartition), as Kafka's IsrShrinksPerSec and IsrExpandsPerSec count them. */
  isrShrinks: number;
  isrExpands: number;
  /** ISR shrinks the controller made itself (a fenced or shut-down broker, the leader replaced at an election): no broker metric counts them. */
  isrRemovalsByController: number;
  /** __consumer_offsets partitions (0 without consumer groups) and their elections, by kind. */
  offsetsPartitions: number;
  offsetsElectionsInitial: number;
  offsetsElectionsClean: number;
  offsetsElectionsUnclean: number;
  offsetsElectionsPreferred: number;
  offsetsElectionsControlledShutdown: number;
  offsetsElectionsOffline: number;
  recordsTruncated: number;
  recordsLostToPowerLoss: number;
  recordsLostToDiskLoss: number;
  /** Batch attempts a producer saw fail (an error answer, a timeout or a closed connection), retried or not. */
  produceErrors: number;
  /** produceErrors per Kafka error code, most first (ties by name). */
  produceErrorsByCode: Record<string, number>;
  /** Per consumer group (consumer-history.ts); [] without groups. */
  consumerGroups: ConsumerGroupFigures[];
  /** Scripted operations Kafka refused, in time order ("6.000 s update-features metadata.version 4.0: ... (INVALID_UPDATE_VERSION)"). */
  operationsRefused: string[];
  /** Present when some: activations of the controller after the first, with the time no controller could commit (controller-failovers.ts). */
  controllerFailovers?: ControllerFailover[];
  /** Present when some: the active controller unable to commit, no majority of voters fetching. */
  controllerMajorityLosses?: ControllerMajorityLoss[];
  /** Present when the run had version changes: each step of the upgrade in time order ("12.000 s b1 Kafka 3.6 -> 3.7", upgrade-steps.ts). */
  upgradeSteps?: string[];
  /** Present when some broker did: its exits rather than truncate (before 2.1), in time order ("6.415 s b1: log truncation not allowed for ..."). */
  brokerExits?: string[];
}

const ACKS_ORDER: readonly (Acks | 'unknown')[] = ['all', '1', '0', 'unknown'];

export function summarizeKafkaRun(history: KafkaHistory, lookup: ScenarioLookup, findings: KafkaRunFindings, versions: VersionTimeline): KafkaRunSummary {
  const steps = upgradeSteps(lookup.scenario, versions);
  const controllers = controllerFailovers(findings.final?.controllerChanges ?? []);
  const outcomes = countOutcomes(history);
  const partitionNames = new Set<string>(lookup.partitions());
  for (const p of history.electionsByPartition.keys()) partitionNames.add(p);
  for (const p of findings.logs.keys()) partitionNames.add(p);
  const availability = summarizeAvailability(history.availability);
  // The final state is the better witness (it also sees a leader whose log is missing).
  let offlineAtEnd = offlineAtEndByElections(history);
  if (findings.final) {
    offlineAtEnd = 0;
    for (const log of findings.logs.values()) if (!log.online) offlineAtEnd++;
  }
  const { produceLatency, overall } = summarizeProduceLatency(history, lookup);
  const { acked, failed, unknown, inFlight } = outcomes;
  const offsets = history.offsetsElectionsByKind;

  return {
    recordsSent: history.records.size,
    recordsAcked: acked,
    recordsFailed: failed,
    recordsUnknown: unknown + inFlight,
    recordsInFlightAtEnd: inFlight,
    finalStateAvailable: findings.final !== undefined,
    recordsLost: findings.lost.lost.length,
    ...acksZeroLost(findings, lookup),
    recordsUnreachable: findings.lost.unreachable,
    ...(findings.lost.keptByExit > 0 ? { recordsKeptByExitedBroker: findings.lost.keptByExit } : {}),
    recordsAckedAboveHighWatermark: findings.lost.ackedAboveHighWatermark,
    recordsBelowLogStart: findings.lost.belowLogStart,
    recordsCompactedAway: findings.lost.compacted,
    recordsDuplicated: findings.duplicates.length,
    duplicateCopies: extraCopies(findings.duplicates),
    recordsReordered: findings.reorders.reduce((n, r) => n + r.reordered, 0),
    partitions: partitionNames.size,
    partitionsOfflineAtEnd: offlineAtEnd,
    unavailabilityByClients: availability.totals,
    unavailablePartitions: availability.rows,
    unavailabilityByProducers: summarizeProducerUnavailability(history.pendingSends, history.availability, lookup),
    latencyPercentileMethod: 'nearest-rank',
    latencyMsP50: overall(50),
    latencyMsP99: overall(99),
    latencyMsMax: overall(100),
    produceLatency,
    electionsInitial: history.electionsByKind.initial,
    electionsClean: history.electionsByKind.clean,
    electionsUnclean: history.electionsByKind.unclean,
    electionsPreferred: history.electionsByKind.preferred,
    electionsControlledShutdown: history.electionsByKind['controlled-shutdown'],
    electionsLastKnownLeader: history.electionsByKind['last-known-leader'],
    electionsOffline: history.offlineElections,
    operationsRefused: history.operationsRefused.map((o) => `${(o.timeUs / 1e6).toFixed(3)} s ${o.operation} ${o.subject} (${o.error})`),
    ...(history.processExits.length === 0 ? {} : { brokerExits: history.processExits.map((e) => `${(e.timeUs / 1e6).toFixed(3)} s ${findings.nodeName(e.node)}: ${e.event.reason}`) }),
    ...(steps.length === 0 ? {} : { upgradeSteps: steps }),
    ...(controllers.failovers.length === 0 ? {} : { controllerFailovers: controllers.failovers }),
    ...(controllers.majorityLosses.length === 0 ? {} : { controllerMajorityLosses: controllers.majorityLosses }),
    isrShrinks: history.isrShrinks,
    isrExpands: history.isrExpands,
    isrRemovalsByController: history.isrRemovalsByController,
    offsetsPartitions: lookup.scenario.offsetsTopic?.partitions ?? 0,
    offsetsElectionsInitial: offsets.initial,
    offsetsElectionsClean: offsets.clean,
    offsetsElectionsUnclean: offsets.unclean,
    offsetsElectionsPreferred: offsets.preferred,
    offsetsElectionsControlledShutdown: offsets['controlled-shutdown'],
    offsetsElectionsOffline: history.offsetsOfflineElections,
    recordsTruncated: history.recordsTruncated,
    recordsLostToPowerLoss: history.recordsLostToPowerLoss,
    recordsLostToDiskLoss: history.recordsLostToDiskLoss,
    produceErrors: history.produceErrors,
    produceErrorsByCode: Object.fromEntries([...history.produceErrorsByCode].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))),
    consumerGroups: findings.consumerGroups,
  };
}

/** { recordsLostAcksZero } when some lost record was sent with acks=0, else {}. */
function acksZeroLost(findings: KafkaRunFindings, lookup: ScenarioLookup): Pick<KafkaRunSummary, 'recordsLostAcksZero'> {
  const n = findings.lost.lost.filter((r) => lookup.producer(r.producer)?.acks === '0').length;
  return n > 0 ? { recordsLostAcksZero: n } : {};
}

function countOutcomes(history: KafkaHistory): { acked: number; failed: number; unknown: number; inFlight: number } {
  const counts = { acked: 0, failed: 0, unknown: 0, inFlight: 0 };
  for (const id of history.records.ids()) {
    const outcome = history.records.outcome(id);
    if (outcome === 'acked') counts.acked++;
    else if (outcome === 'failed') counts.failed++;
    else if (outcome === 'unknown') counts.unknown++;
    else counts.inFlight++;
  }
  return counts;
}

/** User partitions whose last election left them without a leader. */
function offlineAtEndByElections(history: KafkaHistory): number {
  let n = 0;
  for (const list of history.electionsByPartition.values()) if (list[list.length - 1].event.leader === null) n++;
  return n;
}

function summarizeProduceLatency(history: KafkaHistory, lookup: ScenarioLookup) {
  const produceLatency: ProduceLatencyRow[] = [];
  // Every acks setting's samples (4 bytes a sample: kafka-history.ts), each sorted in place; the
  // overall figures read a merged copy only when there are two settings or more (a long run's
  // million samples are not held twice for the common one-setting run).
  const latenciesUsByAcks = history.latenciesUsByAcks();
  const afterStartup = latencyUsMaxAfterStartup(history, lookup);
  const settings = ACKS_ORDER.filter((acks) => (latenciesUsByAcks.get(acks)?.length ?? 0) > 0);
  for (const acks of settings) {
    const sorted = latenciesUsByAcks.get(acks)!.sort(); // numeric (a typed array), in place: the array is this call's own
    produceLatency.push({
      acks,
      acked: sorted.length,
      latencyMsP50: nearestRankPercentile(sorted, 50)! / US_PER_MS,
      latencyMsP99: nearestRankPercentile(sorted, 99)! / US_PER_MS,
      latencyMsMax: sorted[sorted.length - 1] / US_PER_MS,
      ...startupWait(sorted[sorted.length - 1], afterStartup.byAcks.get(acks), afterStartup.startupUs),
    });
  }
  const allSorted = settings.length === 1 ? latenciesUsByAcks.get(settings[0])! : mergedSorted(settings.map((acks) => latenciesUsByAcks.get(acks)!));
  const overall = (percent: number): number | null => {
    const v = nearestRankPercentile(allSorted, percent);
    return v === undefined ? null : v / US_PER_MS;
  };
  return { produceLatency, overall };
}

/** The row's start-up fields when its maximum (µs) is above the largest after start-up. */
function startupWait(maxUs: number, maxAfterStartupUs: number | undefined, startupUs: TimeUs): Pick<ProduceLatencyRow, 'latencyMsMaxAfterStartup' | 'startupMs'> {
  if (maxAfterStartupUs === undefined || maxAfterStartupUs >= maxUs) return {};
  return { latencyMsMaxAfterStartup: maxAfterStartupUs / US_PER_MS, startupMs: startupUs / US_PER_MS };
}

/** The samples of every array, sorted (numerically). */
function mergedSorted(arrays: (Int32Array | Float64Array)[]): Float64Array {
  const all = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
  let filled = 0;
  for (const a of arrays) {
    all.set(a, filled);
    filled += a.length;
  }
  return all.sort();
}
