// The ping fixture (ping-model.ts) as a model the engine can load like any other: its scenario
// keys (nodes, ping.intervalMs, ping.timeoutMs, ping.bug), what `ksim check` explores, what a
// sweep keeps and tabulates (peers lost and found; the worst run lost the most), and how it draws
// on the timeline (lost and found marks, each node's view as a band). Tests load it through
// fixture-registry.ts, a registry module like the product's.

import { z } from 'zod';
import type { ModelDefinition } from '../model-definition.ts';
import type { ModelSweep, SweptRunIdentity } from '../model-sweep.ts';
import type { ModelTimeline } from '../model-timeline.ts';
import { AllFoundChecker, PingModel } from './ping-model.ts';

const shape = {
  nodes: z
    .array(z.strictObject({ name: z.string().min(1), az: z.string().min(1) }))
    .min(1)
    .default([
      { name: 'n1', az: 'az1' },
      { name: 'n2', az: 'az2' },
      { name: 'n3', az: 'az3' },
    ]),
  ping: z
    .strictObject({
      intervalMs: z.number().positive().default(100),
      timeoutMs: z.number().positive().default(400),
      bug: z.enum(['never-forgive', 'assert']).optional(),
    })
    .prefault({}),
};

type Config = { nodes: { name: string; az: string }[]; ping: { intervalMs: number; timeoutMs: number; bug?: 'never-forgive' | 'assert' } };

interface PingRun extends SweptRunIdentity {
  lost: number;
  found: number;
  violations: number;
}

const mean = (values: number[]) => (values.length === 0 ? 0 : Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 1000) / 1000);

const pingSweep: ModelSweep<PingRun> = {
  runFigures: (r) => ({ lost: Number(r.stats.model.lost), found: Number(r.stats.model.found), violations: r.violations.length }),
  figures: [
    {
      key: 'lostMean',
      aggregate: (runs) => mean(runs.map((r) => r.lost)),
      table: { title: 'lost mean', decimals: 1 },
      report: { header: 'lost mean', help: 'peers lost per run, mean' },
    },
    {
      key: 'foundMean',
      aggregate: (runs) => mean(runs.map((r) => r.found)),
      table: { title: 'found mean', decimals: 1 },
      report: { header: 'found mean', help: 'peers found again per run, mean' },
    },
    {
      key: 'violationsMax',
      aggregate: (runs) => (runs.some((r) => r.violations > 0) ? Math.max(...runs.map((r) => r.violations)) : null),
      table: { title: 'violations max', decimals: 0, onlyWhenMeasured: true },
      report: { header: 'violations max', help: 'all-found violations in the worst run', alert: true },
    },
  ],
  worstRun: { figure: 'lost', ranking: 'most peers lost', verb: 'lost', none: 'no run lost a peer' },
  progress: (f) => `${f.lostMean} lost on average`,
  charts: {
    heading: 'Peers lost and found',
    list: [
      {
        kind: 'bars',
        id: 'lost',
        title: 'Peers lost',
        caption: (seeds) => `Mean over ${seeds} runs.`,
        value: { field: 'lostMean', of: (f) => f.lostMean },
        label: { field: 'lostLabel', of: (f) => String(f.lostMean) },
        axisTitle: 'peers lost per run',
        scale: 'linear',
        color: '#d62728',
      },
      {
        kind: 'scatter',
        id: 'lost-vs-found',
        title: 'Lost versus found',
        caption: () => 'One point per cell.',
        x: { field: 'foundMean', title: 'found', of: (f) => f.foundMean ?? 0 },
        y: { field: 'lostMean', title: 'lost', of: (f) => f.lostMean ?? 0 },
      },
    ],
  },
  keyAbbreviations: { 'ping.intervalMs': 'interval' },
};

const pingTimeline: ModelTimeline = {
  roles: ['pinger'],
  laneRoles: (_scenario, nodes) => new Map(nodes.map((n) => [n, 'pinger'])),
  draw: ({ node, event }, c) => {
    if (event.type === 'view') {
      const members = event.members as string[];
      c.segment(`${node} view`, { leader: node, epoch: (c.currentSegment(`${node} view`)?.epoch ?? 0) + 1, members });
      c.count('view');
      return;
    }
    c.count(event.type);
    const band = event.type === 'boot' ? undefined : `${node} view`;
    const e = c.event(event.type, `${node} ${event.type}${event.peer ? ` ${event.peer}` : ''}`, band);
    if (event.type === 'boot') c.sample(e);
    else c.mark(e);
  },
  style: {
    barOrder: ['boot', 'lost', 'found', 'view', 'drop', 'other'],
    colors: { boot: '#2ca02c', lost: '#d62728', found: '#1f77b4', view: '#9467bd' },
    legend: { lost: 'peers lost', found: 'peers found', view: 'view changes' },
    marks: { lost: { shape: 'cross', color: '#d62728', keepWhenCrowded: true } },
    bands: { noun: 'views', title: 'views: who hears whom', membersName: 'hears', leaderRole: 'pinger' },
    storyKinds: ['lost', 'found'],
    legendNote: 'red crosses: peers lost',
  },
};

export const pingDefinition: ModelDefinition<Config> = {
  name: 'ping',
  summary: 'ping fixture: nodes ping each other and count peers lost and found (engine tests)',
  shape,
  nodes: (c) => c.nodes,
  create: ({ config, choices }) => ({
    model: new PingModel({ nodeNames: config.nodes.map((n) => n.name), ...config.ping }, choices.stream('ping')),
    checkers: [new AllFoundChecker()],
  }),
  exploration: {
    configSpace: { 'ping.intervalMs': [100, 50, 250] },
    faultKinds: ['partition', 'isolate-node', 'crash', 'pause'],
    // Half the run fault-free: a stream cut twice in a row keeps its TCP backoff (RTO doubling
    // from 200 ms), so its next retransmission may come over 3 s after the last heal; with 30%
    // (3 s of a 10 s run) a correct model could still count a peer lost at the end.
    settleFraction: 0.5,
    coverage: (r) => [
      ...(Number(r.stats.model.lost) > 0 ? ['a peer lost'] : []),
      ...(Number(r.stats.model.found) > 0 ? ['a peer found again'] : []),
    ],
  },
  describe: ({ stats: { model: s } }) => [`pings ${s.pings}, pongs ${s.pongs}, lost ${s.lost}, found ${s.found}`],
  sweep: pingSweep,
  timeline: pingTimeline,
};
