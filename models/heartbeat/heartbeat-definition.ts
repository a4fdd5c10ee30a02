// Registers the heartbeat fixture model with the scenario format: a list of nodes with their AZs
// and the detector's timing; what `ksim check` explores, what `ksim sweep` tabulates
// (heartbeat-sweep.ts) and how `ksim timeline` draws it (heartbeat-timeline.ts).

import { z } from 'zod';
import type { ModelDefinition } from '../../src/scenario/model-definition.ts';
import { EventualTrustChecker } from './eventual-trust-checker.ts';
import { HeartbeatModel } from './heartbeat-model.ts';
import { heartbeatSweep } from './heartbeat-sweep.ts';
import { heartbeatTimeline } from './heartbeat-timeline.ts';

const shape = {
  nodes: z
    .array(z.strictObject({ name: z.string().min(1), az: z.string().min(1) }))
    .min(1)
    .default([
      { name: 'n1', az: 'az1' },
      { name: 'n2', az: 'az2' },
      { name: 'n3', az: 'az3' },
    ]),
  heartbeat: z
    .strictObject({
      intervalMs: z.number().positive().default(100),
      suspectAfterMs: z.number().positive().default(500),
      bug: z.enum(['sticky-suspicion', 'assert-on-suspect']).optional(),
    })
    .prefault({}),
};

type Config = {
  nodes: { name: string; az: string }[];
  heartbeat: { intervalMs: number; suspectAfterMs: number; bug?: 'sticky-suspicion' | 'assert-on-suspect' };
};

export const heartbeatDefinition: ModelDefinition<Config> = {
  name: 'heartbeat',
  summary: 'heartbeat failure detector (kernel test fixture)',
  shape,
  nodes: (c) => c.nodes,
  create: ({ config }) => ({
    model: new HeartbeatModel({ nodeNames: config.nodes.map((n) => n.name), ...config.heartbeat }),
    checkers: [new EventualTrustChecker()],
  }),
  exploration: {
    configSpace: { 'heartbeat.intervalMs': [100, 50, 250], 'heartbeat.suspectAfterMs': [500, 300, 1000] },
    faultKinds: ['partition', 'partition-one-way', 'isolate-node', 'isolate-az', 'crash', 'power-loss', 'pause', 'az-outage'],
    settleFraction: 0.3,
    coverage: (r) => {
      const out: string[] = [];
      const s = r.stats.model;
      if ((s.suspicions as number) > 0) out.push('a peer suspected');
      if ((s.restarts as number) > 0) out.push('a node restarted');
      if (r.stats.kernel.messagesStalled > 0) out.push('traffic cut by a partition');
      return out;
    },
  },
  describe: ({ stats: { model: s } }) => [
    `heartbeats received ${s.heartbeatsReceived}, suspicions ${s.suspicions}, recoveries ${s.recoveries}, restarts ${s.restarts}`,
  ],
  sweep: heartbeatSweep,
  timeline: heartbeatTimeline,
};
