// The Kafka model's timeline: lanes are brokers, then controllers, producers and consumers within
// each AZ; a row per partition shows its leader (the broker's colour), leader epoch and ISR over
// time, user topics before internal ones (__consumer_offsets); the drawing of each event is in
// kafka-timeline-draw.ts, what a violation names in kafka-violation-subjects.ts.

import type { ModelTimeline, TimelineStyle } from '../../../src/scenario/model-timeline.ts';
import { drawKafkaEvent } from './kafka-timeline-draw.ts';
import { kafkaSubjectsFromMessage, kafkaViolationSubjects } from './kafka-violation-subjects.ts';

const STYLE: TimelineStyle = {
  barOrder: ['ack', 'send', 'unknown', 'fail', 'append', 'replicate', 'hw', 'poll', 'process', 'commit', 'control', 'drop', 'produce-error', 'truncate', 'log-lost', 'other'],
  colors: {
    send: '#9aa5b1',
    ack: '#2ca02c',
    fail: '#d62728',
    unknown: '#ff7f0e',
    append: '#1f77b4',
    replicate: '#9ecae1',
    hw: '#6baed6',
    control: '#9467bd',
    truncate: '#b00020',
    'log-lost': '#8c564b',
    'produce-error': '#d62728',
    poll: '#17becf',
    process: '#bcbd22',
    commit: '#7f7f7f',
  },
  legend: {
    ack: 'acks',
    send: 'sends',
    fail: 'failed sends',
    unknown: 'unknown outcomes',
    append: 'leader appends (records)',
    replicate: 'follower appends (records)',
    hw: 'HW updates',
    control: 'elections, ISR changes',
    truncate: 'truncations',
    'log-lost': 'log losses',
  },
  marks: {
    election: { shape: 'flag', color: '#6a1b9a', bandOnly: true, keepWhenCrowded: true },
    isr: { shape: 'ring', color: '#6a1b9a', bandOnly: true },
    truncate: { shape: 'cross', color: '#b00020', keepWhenCrowded: true },
    'log-lost': { shape: 'cross', color: '#8c564b', keepWhenCrowded: true },
    operation: { shape: 'flag', color: '#e377c2', keepWhenCrowded: true },
  },
  bands: { noun: 'partitions', title: 'partitions: leader (colour), epoch and ISR', membersName: 'ISR', leaderRole: 'broker' },
  storyKinds: ['send', 'ack', 'truncate', 'log-lost', 'fail', 'unknown'],
  legendNote: 'purple triangles: elections; pink triangles: scripted operations; crosses: truncations (red) and power/disk losses (brown)',
};

function names(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((v) => (typeof v === 'string' ? v : (v as { name?: unknown })?.name)).filter((n): n is string => typeof n === 'string');
}

/** Roles as the scenario names its nodes; a node it does not name gets a role from its name (b1, c1, p1). */
function laneRoles(scenario: Record<string, unknown>, nodes: readonly string[]): Map<string, string> {
  const roles = new Map<string, string>();
  const cluster = (scenario.cluster ?? {}) as Record<string, unknown>;
  for (const n of names(cluster.brokers)) roles.set(n, 'broker');
  for (const n of names(cluster.controllers)) roles.set(n, 'controller');
  for (const n of names(scenario.producers)) roles.set(n, 'producer');
  // Group members are listed, or counted and named "<group.id>-1".. (kafka-scenario-schema.ts).
  for (const group of Array.isArray(scenario.consumerGroups) ? (scenario.consumerGroups as Record<string, unknown>[]) : []) {
    const members = group.members;
    if (typeof members === 'number') for (let i = 1; i <= members; i++) roles.set(`${String(group['group.id'])}-${i}`, 'consumer');
    else for (const n of names(members)) roles.set(n, 'consumer');
  }
  for (const n of nodes) if (!roles.has(n)) roles.set(n, roleFromName(n));
  return roles;
}

function roleFromName(name: string): string {
  if (/^b\d+$/.test(name)) return 'broker';
  if (/^c\d+$/.test(name)) return 'controller';
  if (/^p\d+$/.test(name)) return 'producer';
  return 'node';
}

/** User topics first, internal ones (__consumer_offsets) after; by topic, then partition index. */
function comparePartitions(a: string, b: string): number {
  const key = (name: string) => {
    const dash = name.lastIndexOf('-');
    return { internal: name.startsWith('__'), topic: name.slice(0, dash), index: Number(name.slice(dash + 1)) };
  };
  const ka = key(a);
  const kb = key(b);
  return Number(ka.internal) - Number(kb.internal) || (ka.topic < kb.topic ? -1 : ka.topic > kb.topic ? 1 : ka.index - kb.index);
}

export const kafkaTimeline: ModelTimeline = {
  roles: ['broker', 'controller', 'producer', 'consumer'],
  laneRoles,
  draw: drawKafkaEvent,
  compareBands: comparePartitions,
  style: STYLE,
  violationSubjects: kafkaViolationSubjects,
  subjectsFromMessage: kafkaSubjectsFromMessage,
};
