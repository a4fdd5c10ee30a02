// A Kafka sweep cell's figures from its runs' figures (kafka-run-figures.ts), each with its
// columns in sweep.md and the HTML report. The engine hands the runs over in seed order, so sums
// are taken in one fixed order.
//
// - means are over runs (unavailability: over partitions x runs), rounded to 3 decimals;
// - unavailability: per partition and run, for the run's writers (acks=all where it has any,
//   else acks=0/1: kafka-run-figures.ts), p99 by nearest rank over every partition of every run
//   (zeros included): partition-side, whether or not a writer had anything to send then. Readers
//   and __consumer_offsets are in each run's summary (--json), not tabulated;
// - producer unavailability: client-felt, per producer and run, the time it had a send waiting on
//   a partition no leader served to it (analysis/producer-felt-unavailability.ts), mean and p99 by
//   nearest rank over every producer that sent in every run; null when no run had one (a sweep
//   persisted before the figure existed);
// - produce and end-to-end latency p50 / p99: the median over runs of each run's p50 / p99 (a
//   typical run's percentile; a run keeps only its own percentiles, not every sample); max: the
//   largest over runs. Null when no run acknowledged anything (or had no consumer). The table's
//   produce max is the one after the cluster's start-up (a record sent before the topics had
//   leaders waits for the initial elections, not for a fault: analysis/startup-latency.ts); the
//   raw maximum stays in sweep.json, the CSV and the HTML report;
// - consumer figures: means over the runs that had consumer groups; null when none had.

import type { SweepFigure } from '../../../src/scenario/model-sweep.ts';
import { nearestRankPercentile, sortedSamples } from '../analysis/nearest-rank-percentile.ts';
import type { ClientRunUnavailability, ConsumerRunFigures, KafkaRunFigures } from './kafka-run-figures.ts';

type Runs = readonly KafkaRunFigures[];

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const v of values) sum += v;
  return round3(sum / values.length);
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function meanOrNull(values: readonly number[]): number | null {
  return values.length === 0 ? null : mean(values);
}

function medianOrNull(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  const v = nearestRankPercentile(sortedSamples(present), 50);
  return v === undefined ? null : round3(v);
}

function maxOrNull(values: readonly (number | null)[]): number | null {
  let out: number | null = null;
  for (const v of values) if (v !== null && (out === null || v > out)) out = v;
  return out === null ? null : round3(out);
}

type ClientsOf = (r: KafkaRunFigures) => ClientRunUnavailability | null;
const writers: ClientsOf = (r) => r.writers;

/** Every partition of every run with such clients, the unaffected ones (not listed by the run) as zeros; null without any. */
function unavailabilitySamples(runs: Runs, of: ClientsOf): number[] | null {
  let samples: number[] | null = null;
  for (const r of runs) {
    const u = of(r);
    if (!u) continue;
    samples ??= [];
    for (const ms of u.unavailableMs) samples.push(ms);
    for (let i = u.unavailableMs.length; i < u.partitions; i++) samples.push(0);
  }
  return samples;
}

function unavailabilityMean(runs: Runs, of: ClientsOf): number | null {
  const samples = unavailabilitySamples(runs, of);
  return samples === null ? null : mean(samples);
}

function unavailabilityP99(runs: Runs, of: ClientsOf): number | null {
  const samples = unavailabilitySamples(runs, of);
  if (samples === null) return null;
  const p99 = nearestRankPercentile(sortedSamples(samples), 99);
  return p99 === undefined ? 0 : round3(p99);
}

/** Client-felt unavailability of every producer that sent in every run; null when no run says (persisted before the figure). */
function producerSamples(runs: Runs): number[] | null {
  let samples: number[] | null = null;
  for (const r of runs) {
    if (r.producersUnavailableMs === undefined) continue;
    samples ??= [];
    for (const ms of r.producersUnavailableMs) samples.push(ms);
  }
  return samples;
}

function consumers(runs: Runs): ConsumerRunFigures[] {
  return runs.flatMap((r) => (r.consumer ? [r.consumer] : []));
}

const measured = { onlyWhenMeasured: true };

export const KAFKA_CELL_FIGURES: readonly SweepFigure<KafkaRunFigures>[] = [
  {
    key: 'runsWithLoss',
    aggregate: (runs) => runs.filter((r) => r.recordsLost > 0).length,
    table: { title: 'runs with loss', decimals: 0 },
    report: { header: 'runs with loss', help: 'runs that lost at least one acknowledged record', alert: true },
  },
  {
    key: 'recordsLostMean',
    aggregate: (runs) => mean(runs.map((r) => r.recordsLost)),
    table: { title: 'lost mean', decimals: 1 },
    report: { header: 'lost mean', help: 'acknowledged records lost per run, mean', alert: true },
  },
  {
    key: 'recordsLostMax',
    aggregate: (runs) => runs.reduce((m, r) => Math.max(m, r.recordsLost), 0),
    table: { title: 'lost max', decimals: 0 },
    report: { header: 'lost max', help: 'acknowledged records lost in the worst run', alert: true },
  },
  {
    key: 'breaches',
    aggregate: (runs) => sum(runs.map((r) => r.breaches)),
    table: { title: 'breaches', decimals: 0 },
    report: { header: 'breaches', help: 'violations that break the configured guarantee, summed over runs', alert: true },
  },
  {
    key: 'permitted',
    aggregate: (runs) => sum(runs.map((r) => r.permitted)),
    table: { title: 'permitted', decimals: 0 },
    report: { header: 'permitted', help: 'violations the configuration and faults permit (acks=1, unclean election, power loss), summed over runs' },
  },
  {
    key: 'recordsDuplicatedMean',
    aggregate: (runs) => mean(runs.map((r) => r.recordsDuplicated)),
    table: { title: 'dup mean', decimals: 1 },
    report: { header: 'dup mean', help: 'records duplicated in a log per run, mean' },
  },
  {
    key: 'recordsReorderedMean',
    aggregate: (runs) => mean(runs.map((r) => r.recordsReordered)),
    table: { title: 'reorder mean', decimals: 1 },
    report: { header: 'reorder mean', help: 'records out of send order per run, mean' },
  },
  {
    key: 'unavailabilityMsMean',
    aggregate: (runs) => unavailabilityMean(runs, writers) ?? 0,
    table: { title: 'partition unavail ms mean', decimals: 0 },
    report: {
      header: 'partition unavail. mean (s)',
      help:
        'partition-side, per partition and run: time no leader served its writers (from when the leader stopped serving: crash, power loss, pause, ' +
        'shutdown, cut off), whether or not any writer had something to send then, mean. acks=all writers where the run has any ' +
        '(the ISR below min.insync.replicas counts too), else acks=0/1',
      seconds: true,
    },
  },
  {
    key: 'unavailabilityMsP99',
    aggregate: (runs) => unavailabilityP99(runs, writers) ?? 0,
    table: { title: 'partition unavail ms p99', decimals: 0 },
    report: { header: 'partition unavail. p99 (s)', help: 'the same, 99th percentile', seconds: true },
  },
  {
    key: 'producerUnavailabilityMsMean',
    addedLater: true,
    aggregate: (runs) => {
      const samples = producerSamples(runs);
      return samples === null ? null : mean(samples);
    },
    table: { title: 'producer felt unavail ms mean', decimals: 0 },
    report: {
      header: 'producer felt unavail. mean (s)',
      help: 'client-felt, per producer and run: time it had a send waiting for its callback on a partition no leader served to it, mean (a producer idle through an outage felt none of it)',
      seconds: true,
    },
  },
  {
    key: 'producerUnavailabilityMsP99',
    addedLater: true,
    aggregate: (runs) => {
      const samples = producerSamples(runs);
      return samples === null ? null : round3(nearestRankPercentile(sortedSamples(samples), 99) ?? 0);
    },
    report: { header: 'producer felt unavail. p99 (s)', help: 'the same, 99th percentile', seconds: true },
  },
  {
    key: 'produceLatencyMsP50',
    aggregate: (runs) => medianOrNull(runs.map((r) => r.produceLatencyMsP50)),
    table: { title: 'produce ms p50', decimals: 1 },
    report: { header: 'produce p50 (ms)', help: 'send() to acknowledgement, median' },
  },
  {
    key: 'produceLatencyMsP99',
    aggregate: (runs) => medianOrNull(runs.map((r) => r.produceLatencyMsP99)),
    table: { title: 'produce ms p99', decimals: 1 },
    report: { header: 'produce p99 (ms)', help: 'send() to acknowledgement, 99th percentile' },
  },
  {
    key: 'produceLatencyMsMax',
    aggregate: (runs) => maxOrNull(runs.map((r) => r.produceLatencyMsMax)),
    report: { header: 'produce max (ms)', help: 'send() to acknowledgement, slowest, the start-up wait included (a record sent before the topics had leaders)' },
  },
  {
    key: 'produceLatencyMsMaxAfterStartup',
    addedLater: true,
    aggregate: (runs) => maxOrNull(runs.map((r) => r.produceLatencyMsMaxAfterStartup ?? null)),
    table: { title: 'produce ms max after start-up', decimals: 0 },
    report: { header: 'produce max after start-up (ms)', help: 'send() to acknowledgement, slowest of the records sent once the topics had their first leaders' },
  },
  {
    key: 'endToEndLatencyMsP50',
    aggregate: (runs) => medianOrNull(consumers(runs).map((c) => c.endToEndLatencyMsP50)),
    table: { title: 'e2e ms p50', decimals: 1, ...measured },
    report: { header: 'e2e p50 (ms)', help: 'send() to processing by a consumer, median' },
  },
  {
    key: 'endToEndLatencyMsP99',
    aggregate: (runs) => medianOrNull(consumers(runs).map((c) => c.endToEndLatencyMsP99)),
    table: { title: 'e2e ms p99', decimals: 1, ...measured },
    report: { header: 'e2e p99 (ms)', help: 'send() to processing by a consumer, 99th percentile' },
  },
  {
    key: 'consumerDuplicatesMean',
    aggregate: (runs) => meanOrNull(consumers(runs).map((c) => c.duplicates)),
    table: { title: 'consumer dup mean', decimals: 1, ...measured },
    report: { header: 'consumer dup mean', help: 'records a consumer group processed more than once per run, mean' },
  },
  {
    key: 'consumerGapsMean',
    aggregate: (runs) => meanOrNull(consumers(runs).map((c) => c.gaps)),
    table: { title: 'consumer gaps mean', decimals: 1, ...measured },
    report: { header: 'consumer gaps mean', help: 'committed records a consumer group never processed per run, mean', alert: true },
  },
  {
    key: 'rebalanceMsMean',
    aggregate: (runs) => meanOrNull(consumers(runs).map((c) => c.rebalanceMs)),
    table: { title: 'rebalance ms mean', decimals: 0, ...measured },
    report: { header: 'rebalance mean (ms)', help: 'consumer group rebalance duration, mean' },
  },
];
