// The Kafka sweep report's charts: acknowledged records lost, unavailability and produce latency
// per configuration cell, and loss against unavailability with one point per cell (down and to
// the left is better). The engine draws them (src/report/sweep-charts.ts); the field names are
// those of the chart data, so they show in the SVGs' accessibility labels.

import type { CellFigures, SweepChart } from '../../../src/scenario/model-sweep.ts';
import { formatNumber } from '../../../src/report/format-number.ts';

/** A figure known to be present (the always-measured ones). */
function n(f: CellFigures, key: string): number {
  return f[key] as number;
}

const recordsLostMean = { field: 'recordsLostMean', of: (f: CellFigures) => n(f, 'recordsLostMean') };
const unavailabilityP99Seconds = { field: 'unavailabilityP99Seconds', of: (f: CellFigures) => n(f, 'unavailabilityMsP99') / 1000 };

export const KAFKA_SWEEP_CHARTS: readonly SweepChart[] = [
  {
    kind: 'bars',
    id: 'records-lost',
    title: 'Acknowledged records lost per run',
    caption: (seeds) => `Bar: mean over the cell's ${seeds} seeded runs; label: mean (max, runs that lost any).`,
    value: recordsLostMean,
    label: {
      field: 'lossLabel',
      of: (f) => `${formatNumber(n(f, 'recordsLostMean'))} (max ${formatNumber(n(f, 'recordsLostMax'))}, ${f.runsWithLoss}/${f.runs} runs)`,
    },
    axisTitle: 'acknowledged records lost per run (mean)',
    scale: 'linear',
    color: '#d62728',
  },
  {
    kind: 'bars',
    id: 'unavailability-p99',
    title: 'Partition-side writer unavailability p99 per partition',
    caption: () =>
      'Time no leader served a partition\'s writers (acks=all where the cell has them, the ISR below min.insync.replicas included; else acks=0/1), ' +
      'whether or not any writer had something to send then (the client-felt figure per producer is in the table), 99th percentile over partitions and runs.',
    value: unavailabilityP99Seconds,
    label: { field: 'unavailabilityLabel', of: (f) => `${formatNumber(n(f, 'unavailabilityMsP99') / 1000)} s` },
    axisTitle: 'partition-side writer unavailability p99 (s)',
    scale: 'linear',
    color: '#1f77b4',
  },
  {
    kind: 'bars',
    id: 'produce-latency-p99',
    title: 'Produce latency p99',
    caption: () => 'From send() to the acknowledgement, 99th percentile over acknowledged records (symmetric log scale).',
    value: { field: 'produceLatencyMsP99', of: (f) => f.produceLatencyMsP99 },
    label: { field: 'latencyLabel', of: (f) => (f.produceLatencyMsP99 === null ? 'n/a' : `${formatNumber(f.produceLatencyMsP99)} ms`) },
    axisTitle: 'produce latency p99 (ms, symlog)',
    scale: 'symlog',
    color: '#9467bd',
  },
  {
    kind: 'scatter',
    id: 'loss-vs-unavailability',
    title: 'Loss versus unavailability',
    caption: () => 'One point per cell, numbered as in the table: down and to the left is better.',
    x: { ...unavailabilityP99Seconds, title: 'partition-side writer unavailability p99 per partition (s)' },
    y: { ...recordsLostMean, title: 'acknowledged records lost per run (mean)' },
  },
];
