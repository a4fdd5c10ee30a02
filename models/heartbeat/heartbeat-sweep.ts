// How `ksim sweep` tabulates the heartbeat fixture: per run, the suspicions, recoveries, restarts,
// heartbeats received and eventual-trust violations; per cell, their means (and the most
// suspicions of a run), charted as bars per cell and suspicions against recoveries. The worst run
// of a cell is the one with the most suspicions. Proof that the sweep engine knows no Kafka.

import type { ModelSweep, SweptRunIdentity } from '../../src/scenario/model-sweep.ts';

interface HeartbeatRunFigures extends SweptRunIdentity {
  suspicions: number;
  recoveries: number;
  restarts: number;
  heartbeatsReceived: number;
  violations: number;
}

function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const v of values) sum += v;
  return Math.round((sum / values.length) * 1000) / 1000;
}

const count = (value: unknown) => (typeof value === 'number' ? value : 0);

export const heartbeatSweep: ModelSweep<HeartbeatRunFigures> = {
  runFigures: (r) => ({
    suspicions: count(r.stats.model.suspicions),
    recoveries: count(r.stats.model.recoveries),
    restarts: count(r.stats.model.restarts),
    heartbeatsReceived: count(r.stats.model.heartbeatsReceived),
    violations: r.violations.length,
  }),
  figures: [
    {
      key: 'runsViolated',
      aggregate: (runs) => runs.filter((r) => r.violations > 0).length,
      table: { title: 'runs violated', decimals: 0 },
      report: { header: 'runs violated', help: 'runs where a node still suspected a running peer after every fault ended', alert: true },
    },
    {
      key: 'suspicionsMean',
      aggregate: (runs) => mean(runs.map((r) => r.suspicions)),
      table: { title: 'suspicions mean', decimals: 1 },
      report: { header: 'suspicions mean', help: 'peers suspected per run, mean' },
    },
    {
      key: 'suspicionsMax',
      aggregate: (runs) => runs.reduce((m, r) => Math.max(m, r.suspicions), 0),
      table: { title: 'suspicions max', decimals: 0 },
      report: { header: 'suspicions max', help: 'peers suspected in the run with the most' },
    },
    {
      key: 'recoveriesMean',
      aggregate: (runs) => mean(runs.map((r) => r.recoveries)),
      table: { title: 'recoveries mean', decimals: 1 },
      report: { header: 'recoveries mean', help: 'suspicions withdrawn per run, mean' },
    },
    {
      key: 'heartbeatsReceivedMean',
      aggregate: (runs) => mean(runs.map((r) => r.heartbeatsReceived)),
      table: { title: 'heartbeats mean', decimals: 0 },
      report: { header: 'heartbeats mean', help: 'heartbeats received per run, mean' },
    },
  ],
  worstRun: { figure: 'suspicions', ranking: 'most suspicions', verb: 'suspected', none: 'no run suspected a peer' },
  progress: (f) => `${f.suspicionsMean} suspicions on average`,
  charts: {
    heading: 'Suspicions and recoveries per configuration',
    list: [
      {
        kind: 'bars',
        id: 'suspicions',
        title: 'Suspicions per run',
        caption: (seeds) => `Bar: mean over the cell's ${seeds} seeded runs; label: mean (max).`,
        value: { field: 'suspicionsMean', of: (f) => f.suspicionsMean },
        label: { field: 'suspicionsLabel', of: (f) => `${f.suspicionsMean} (max ${f.suspicionsMax})` },
        axisTitle: 'peers suspected per run (mean)',
        scale: 'linear',
        color: '#d62728',
      },
      {
        kind: 'scatter',
        id: 'suspicions-vs-recoveries',
        title: 'Suspicions versus recoveries',
        caption: () => 'One point per cell: on the diagonal, every suspicion was withdrawn.',
        x: { field: 'recoveriesMean', title: 'recoveries per run (mean)', of: (f) => f.recoveriesMean ?? 0 },
        y: { field: 'suspicionsMean', title: 'suspicions per run (mean)', of: (f) => f.suspicionsMean ?? 0 },
      },
    ],
  },
  keyAbbreviations: { 'heartbeat.intervalMs': 'interval', 'heartbeat.suspectAfterMs': 'suspect after' },
};
