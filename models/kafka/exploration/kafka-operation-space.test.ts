// The operations `ksim check` generates on a Kafka scenario (kafka-operation-space.ts) are ones the
// scenario format accepts and Kafka would carry out: every drawn case, over many seeds and three
// scenarios (no clients but a producer; a consumer group; the scenario's own operations), resolves
// and builds without a UserError, names only brokers, topics, partitions, producers and members
// that exist, keeps replica sets RF-sized and distinct, only grows a topic, and ends its
// durations inside the fault window.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseArbitrary, resolveCase, type CheckOptions } from '../../../src/explore/check-runner.ts';
import type { CheckCase } from '../../../src/explore/check-case.ts';
import { SeededChoices } from '../../../src/sim/seeded-choices.ts';
import { MODELS, SCENARIO_PRESETS } from '../../index.ts';
import { buildKafkaScenario } from '../scenario/build-kafka-scenario.ts';
import type { KafkaScenarioInput } from '../scenario/kafka-scenario-schema.ts';
import { arrangeKafkaOperations } from './kafka-operation-space.ts';

function cases(raw: Record<string, unknown>, seeds: number, perSeed: number): CheckCase[] {
  const opts: CheckOptions = { raw, models: MODELS, settings: [], runs: 1, seed: 1 };
  const arb = caseArbitrary(opts);
  return Array.from({ length: seeds }, (_, seed) => fc.sample(arb, { seed, numRuns: perSeed })).flat();
}

/** The scenario a case stands for, resolved and built as a run builds it. */
function built(raw: Record<string, unknown>, c: CheckCase) {
  const res = resolveCase({ raw, models: MODELS, settings: [] }, c);
  const config = res.scenario as unknown as KafkaScenarioInput;
  return { config, scenario: buildKafkaScenario(config, new SeededChoices(c.runSeed).stream('kafka.assignment')) };
}

const small = SCENARIO_PRESETS['check-small'];
const withGroup = SCENARIO_PRESETS['msk-3az-outage'];
const withOwnOps = {
  ...small,
  operations: [
    { atMs: 2000, kind: 'create-partitions', topic: 'orders', totalCount: 3 },
    { atMs: 4000, kind: 'controlled-shutdown', broker: 'b2', durationMs: 1000 },
  ],
};

describe('generated operations', () => {
  it.each([
    ['check-small', small, 1.2e4],
    ['msk-3az-outage (a consumer group, 6 brokers)', withGroup, 7.2e4],
    ["check-small with its own create-partitions and shutdown", withOwnOps, 1.2e4],
  ] as const)('on %s: every drawn case resolves and builds, and its operations are valid', (_name, raw, windowMs) => {
    const drawn = cases(raw, 20, 15);
    expect(drawn.some((c) => c.operations.length > 0)).toBe(true);
    const kinds = new Set<string>();
    let aimed = 0;
    let focused = 0;
    for (const c of drawn) {
      const { config, scenario } = built(raw, c);
      const own = ((raw as { operations?: unknown[] }).operations ?? []).length;
      expect(scenario.operations.length).toBe(own + c.operations.length);
      const brokers = config.cluster.brokers.map((b) => b.name);
      const members = scenario.consumerGroups?.flatMap((g) => g.members.map((m) => m.name)) ?? [];
      const counts = new Map(scenario.topics.map((t) => [t.name, t.partitions]));
      for (const op of scenario.operations.slice(own)) {
        kinds.add(op.kind);
        expect(op.atMs).toBeLessThan(windowMs);
        switch (op.kind) {
          case 'controlled-shutdown':
            // a broker, or a broker's role about the run's focus partition, in a run that enables roles or drew a composite
            if (op.broker.startsWith('@')) {
              if (!c.composites) expect(c.swarm!.targets).toContain('roles');
              expect(op.broker).toMatch(new RegExp(`^@(leader|follower|in-sync-follower):${c.swarm!.focus ?? 'orders-\\d+'}$`));
              aimed++;
            } else expect(brokers).toContain(op.broker);
            expect(op.atMs + op.durationMs).toBeLessThanOrEqual(windowMs);
            break;
          case 'preferred-leader-election':
            if (op.topic !== null && op.partition !== null && `${op.topic}-${op.partition}` === c.swarm!.focus) focused++;
            break;
          case 'reassign-partitions':
            expect(op.replicas.length).toBe(3);
            expect(new Set(op.replicas).size).toBe(3);
            expect(op.replicas.every((b) => b >= 0 && b < brokers.length)).toBe(true);
            expect(op.partition).toBeLessThan(counts.get(op.topic)!);
            break;
          case 'delete-records':
            expect(members).toEqual([]); // never with a consumer group (kafka-operation-space.ts says why)
            expect(op.offset).toBeGreaterThanOrEqual(-1);
            break;
          case 'consumer-close':
          case 'consumer-start':
            expect(members).toContain(op.member);
            break;
        }
      }
      // a consumer closed is started again, at least a second later
      const closes = c.operations.filter((op) => op.kind === 'consumer-close');
      for (const close of closes) expect(c.operations.some((op) => op.kind === 'consumer-start' && op.member === close.member && op.atMs >= close.atMs + 1000)).toBe(true);
    }
    // shutdowns aimed at roles, elections of the focus partition
    expect(aimed).toBeGreaterThan(0);
    expect(focused).toBeGreaterThan(0);
    const expected = ['controlled-shutdown', 'rolling-restart', 'preferred-leader-election', 'reassign-partitions', 'producer-restart'];
    for (const k of expected) expect(kinds).toContain(k);
    if (raw !== withOwnOps) expect(kinds).toContain('create-partitions');
    if (raw === withGroup) {
      expect(kinds).toContain('consumer-close');
      expect(kinds).not.toContain('delete-records');
    } else {
      expect(kinds).toContain('delete-records');
      expect(kinds).not.toContain('consumer-close');
    }
    // the scenario's own create-partitions grows orders: generated ones leave it alone
    if (raw === withOwnOps) expect(drawn.flatMap((c) => c.operations).filter((op) => op.kind === 'create-partitions')).toEqual([]);
  }, 120_000);

  it('swarm subsets include operation kinds: some runs only operations, some only faults', () => {
    const drawn = cases(small, 10, 20);
    expect(drawn.some((c) => c.swarm!.kinds.length === 0 && c.swarm!.operations!.length > 0)).toBe(true);
    expect(drawn.some((c) => c.swarm!.kinds.length > 0 && c.swarm!.operations!.length === 0)).toBe(true);
    // operations of kinds the swarm left out come only from composites (a shutdown or a preferred election inside a cut)
    for (const c of drawn)
      for (const op of c.operations)
        if (!c.swarm!.operations!.includes(op.kind === 'consumer-start' ? 'consumer-close' : op.kind)) {
          expect(c.composites).toBeDefined();
          expect(['controlled-shutdown', 'preferred-leader-election']).toContain(op.kind);
        }
  });
});

describe('arrangeKafkaOperations', () => {
  it('makes each create-partitions of a topic an increase over the one before it, in time order', () => {
    const parsed = resolveCaseConfig(small); // orders: 2 partitions
    const out = arrangeKafkaOperations(parsed, [
      { atMs: 500, kind: 'create-partitions', topic: 'orders', totalCount: 3 },
      { atMs: 100, kind: 'create-partitions', topic: 'orders', totalCount: 4 },
      { atMs: 300, kind: 'preferred-leader-election' },
    ]);
    expect(out).toEqual([
      { atMs: 100, kind: 'create-partitions', topic: 'orders', totalCount: 4 },
      { atMs: 300, kind: 'preferred-leader-election' },
      { atMs: 500, kind: 'create-partitions', topic: 'orders', totalCount: 5 },
    ]);
  });
});

function resolveCaseConfig(raw: Record<string, unknown>): unknown {
  return resolveCase({ raw, models: MODELS, settings: [] }, { settings: [], faults: [], operations: [], runSeed: '1' }).scenario;
}
