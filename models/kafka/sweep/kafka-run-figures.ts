// The few figures a sweep keeps of one Kafka run: what a cell's aggregates need and nothing more
// (never the event stream), small enough to cross a worker-thread boundary and be persisted per
// cell. Read from the run report: the Kafka run summary (analysis['kafka-summary'],
// analysis/run-summary.ts) and the violations' classification. Null-safe throughout: a run
// without the summary gives zeros and nulls, and consumer figures are null unless the run had
// consumer groups.
//
// - breaches / permitted: violations classified 'breach' / 'permitted'. A violation without a
//   classification counts as a breach: nothing said the configuration allows it.
// - writers: per partition, the time no leader served the run's writers (analysis/
//   partition-availability.ts): its acks=all writers where the run has any (the ISR below
//   min.insync.replicas counts too), else its acks=0/1 writers; writerKind says which. Only
//   non-zero partitions are listed; `partitions` implies the zeros. (Readers and
//   __consumer_offsets are in the run summary, not swept.) This is the partition-side figure:
//   it counts whether or not any writer had something to send then.
// - producersUnavailableMs: per producer that sent, in name order, the client-felt figure: the
//   time it had a send waiting on a partition no leader served to it (analysis/
//   producer-felt-unavailability.ts); zeros included (a run has few producers).
// - consumer figures, summed over the run's groups: records processed more than once
//   (duplicates), records never processed below the committed offset (gaps), time spent
//   rebalancing; end-to-end latency when the summary carries it (the larger p50/p99 of the groups).
// - produce latency max: the raw maximum, and the maximum after the cluster's start-up (a record
//   sent before the topics had leaders waits for the initial elections, not for a fault:
//   analysis/startup-latency.ts), the larger over the acks settings.

import type { SweptRunIdentity } from '../../../src/scenario/model-sweep.ts';
import type { RunReport } from '../../../src/scenario/run-report.ts';
import type { KafkaRunSummary } from '../analysis/run-summary.ts';
import { readKafkaRunSummary } from '../checkers/run-summary-checker.ts';

export interface ConsumerRunFigures {
  duplicates: number;
  gaps: number;
  rebalanceMs: number;
  endToEndLatencyMsP50: number | null;
  endToEndLatencyMsP99: number | null;
}

/** One kind of client's unavailability in one run. */
export interface ClientRunUnavailability {
  /** Partitions these clients use. */
  partitions: number;
  /** Non-zero unavailability per partition, ms, in partition order (the other partitions had none). */
  unavailableMs: number[];
}

export interface KafkaRunFigures extends SweptRunIdentity {
  recordsLost: number;
  breaches: number;
  permitted: number;
  recordsDuplicated: number;
  recordsReordered: number;
  /** Whose unavailability `writers` is: acks=all where the run has such writers, else acks=0/1; null without producers. */
  writerKind: 'acks=all' | 'acks=0/1' | null;
  writers: ClientRunUnavailability | null;
  /** Client-felt unavailability per producer that sent, ms, in name order; absent in runs an older ksim persisted. */
  producersUnavailableMs?: number[];
  produceLatencyMsP50: number | null;
  produceLatencyMsP99: number | null;
  produceLatencyMsMax: number | null;
  /** The largest latency of a record sent after the start-up (analysis/startup-latency.ts); absent in runs an older ksim persisted. */
  produceLatencyMsMaxAfterStartup?: number | null;
  consumer: ConsumerRunFigures | null;
}

function numberOr<T>(value: unknown, fallback: T): number | T {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function largest(values: (number | null)[]): number | null {
  let out: number | null = null;
  for (const v of values) if (v !== null && (out === null || v > out)) out = v;
  return out;
}

function consumerFigures(summary: Partial<KafkaRunSummary>): ConsumerRunFigures | null {
  const groups = summary.consumerGroups;
  if (!Array.isArray(groups) || groups.length === 0) return null;
  let duplicates = 0;
  let gaps = 0;
  let rebalanceMs = 0;
  const p50s: (number | null)[] = [];
  const p99s: (number | null)[] = [];
  for (const g of groups as unknown as Record<string, unknown>[]) {
    duplicates += numberOr(g.recordsProcessedMoreThanOnce, 0);
    gaps += numberOr(g.recordsNeverProcessed, 0);
    rebalanceMs += numberOr(g.rebalanceMsTotal, 0);
    p50s.push(numberOr(g.endToEndLatencyMsP50, null));
    p99s.push(numberOr(g.endToEndLatencyMsP99, null));
  }
  return { duplicates, gaps, rebalanceMs, endToEndLatencyMsP50: largest(p50s), endToEndLatencyMsP99: largest(p99s) };
}

/** Over the acks settings: each one's maximum after the start-up where the summary tells it apart, else its maximum. */
function latencyMsMaxAfterStartup(summary: Partial<KafkaRunSummary>): number | null {
  const rows = (summary.produceLatency ?? []) as unknown as Record<string, unknown>[];
  return largest(rows.map((r) => numberOr(r.latencyMsMaxAfterStartup, numberOr(r.latencyMsMax, null))));
}

function clientUnavailability(summary: Partial<KafkaRunSummary>, kind: 'acks=all' | 'acks=0/1'): ClientRunUnavailability | null {
  const total = (summary.unavailabilityByClients ?? []).find((t) => t.clients === kind);
  if (!total) return null;
  const unavailableMs: number[] = [];
  for (const row of summary.unavailablePartitions ?? []) {
    const ms = numberOr(row.unavailableMs, 0);
    if (row.clients === kind && ms > 0) unavailableMs.push(ms);
  }
  return { partitions: Math.max(numberOr(total.partitions, 0), unavailableMs.length), unavailableMs };
}

export function kafkaRunFigures(report: RunReport): Omit<KafkaRunFigures, keyof SweptRunIdentity> {
  const summary: Partial<KafkaRunSummary> = readKafkaRunSummary(report) ?? {};
  let breaches = 0;
  let permitted = 0;
  for (const v of report.violations) {
    if (v.classification === 'permitted') permitted++;
    else breaches++;
  }
  const acksAll = clientUnavailability(summary, 'acks=all');
  const acksOther = clientUnavailability(summary, 'acks=0/1');
  return {
    recordsLost: numberOr(summary.recordsLost, 0),
    breaches,
    permitted,
    recordsDuplicated: numberOr(summary.recordsDuplicated, 0),
    recordsReordered: numberOr(summary.recordsReordered, 0),
    writerKind: acksAll ? 'acks=all' : acksOther ? 'acks=0/1' : null,
    writers: acksAll ?? acksOther,
    ...(Array.isArray(summary.unavailabilityByProducers) ? { producersUnavailableMs: summary.unavailabilityByProducers.map((p) => numberOr(p.unavailableMs, 0)) } : {}),
    produceLatencyMsP50: numberOr(summary.latencyMsP50, null),
    produceLatencyMsP99: numberOr(summary.latencyMsP99, null),
    produceLatencyMsMax: numberOr(summary.latencyMsMax, null),
    produceLatencyMsMaxAfterStartup: latencyMsMaxAfterStartup(summary),
    consumer: consumerFigures(summary),
  };
}
