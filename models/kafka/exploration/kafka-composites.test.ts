// The composites `ksim check` draws on a Kafka cluster (kafka-composites.ts): each a partition
// fault between roles of the run's focus partition (a replica from all the others, or from the
// controllers) with its operations inside the cut, placed relative to the cut's start, the cut
// inside the window; aimed at the focus only.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompositeDraw } from '../../../src/scenario/model-exploration.ts';
import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import { MODELS, SCENARIO_PRESETS } from '../../index.ts';
import { kafkaCompositeArbitraries } from './kafka-composites.ts';

const WINDOW_MS = 12_000;
const config = resolveScenario({ ...SCENARIO_PRESETS['check-small'], faults: [] }, MODELS, {}).scenario;
const space = (roles: string[]) => ({ fc, windowMs: WINDOW_MS, durationsMs: [1800, 2200, 9000, 27000], roles });
const focused = kafkaCompositeArbitraries(config, space(['@active-controller', '@leader:orders-1', '@follower:orders-1']));
const P = 'orders-1';
const REPLICA_CUTS = [[[`@leader:${P}`], [`@followers:${P}`]], [[`@follower:${P}`], [`@leader:${P}`, `@followers:${P}`]]];
const CONTROLLER_CUTS = [[[`@leader:${P}`], ['c1', 'c2', 'c3']], [[`@follower:${P}`], ['c1', 'c2', 'c3']]];

function drawn(kind: string): (CompositeDraw & { cut: { atMs: number; durationMs: number; groups: string[][] } })[] {
  return fc
    .sample(focused[kind], { seed: 3, numRuns: 300 })
    .filter((d) => d.faults.length === 1 && d.operations.length > 0) // both parts (all but about 1 in 500)
    .map((d) => ({ ...d, cut: d.faults[0] as unknown as { atMs: number; durationMs: number; groups: string[][] } }));
}

describe('Kafka composites', () => {
  it('are a replica cut or a controller cut with a leader chain, a role shutdown or a preferred election inside, an ISR drain, a replica\'s bounce, a zombie replica (two ways) and a stale expansion; the same kinds whatever the roles', () => {
    const kinds = [
      'replica cut + leader chain',
      'replica cut + role shutdown',
      'replica cut + preferred election',
      'controller cut + leader chain',
      'ISR drain + leader power loss',
      'replica bounce + leader failure',
      'zombie replica + leader round trip',
      'zombie replica + missed epoch',
      'stale ISR expansion + disk loss',
    ];
    expect(Object.keys(focused)).toEqual(kinds);
    expect(Object.keys(kafkaCompositeArbitraries(config, space(['@leader:orders-0', '@leader:orders-1'])))).toEqual(kinds);
    expect(kafkaCompositeArbitraries(config, space(['@active-controller']))).toEqual({});
  });

  it.each([
    ['replica cut + leader chain', REPLICA_CUTS],
    ['replica cut + role shutdown', REPLICA_CUTS],
    ['replica cut + preferred election', REPLICA_CUTS],
    ['controller cut + leader chain', CONTROLLER_CUTS],
  ])('%s: a two-way partition of the focus partition\'s roles, in the window, no longer than four fifths of it, its operations inside it', (kind, cuts) => {
    const draws = drawn(kind);
    expect(draws.length).toBeGreaterThan(290);
    const seen = new Set<string>();
    for (const { cut, faults, operations } of draws) {
      expect(faults[0].kind).toBe('partition');
      expect(cuts.map((c) => JSON.stringify(c))).toContain(JSON.stringify(cut.groups));
      seen.add(JSON.stringify(cut.groups));
      expect(cut.durationMs).toBeLessThanOrEqual(WINDOW_MS * 0.8);
      expect(cut.atMs + cut.durationMs).toBeLessThanOrEqual(WINDOW_MS - 2);
      // not before the first leaders are elected: from a twentieth of the window on
      expect(cut.atMs).toBeGreaterThanOrEqual(WINDOW_MS * 0.05);
      const end = cut.atMs + cut.durationMs;
      // the first operation after the cut's first twentieth, before it heals; a chain's second within the cut too, and at most 5 s after the first
      expect(operations[0].atMs).toBeGreaterThanOrEqual(cut.atMs + Math.floor(cut.durationMs * 0.05));
      expect(operations[0].atMs).toBeLessThan(end);
      for (const op of operations) {
        expect(op.atMs).toBeLessThanOrEqual(end);
        if (op.kind === 'controlled-shutdown') expect(op.atMs + (op.durationMs as number)).toBeLessThanOrEqual(WINDOW_MS);
      }
      if (kind.endsWith('leader chain')) {
        expect(operations.map((op) => [op.kind, op.broker])).toEqual([
          ['controlled-shutdown', `@leader:${P}`],
          ['controlled-shutdown', `@leader:${P}`],
        ]);
        expect(operations[1].atMs - operations[0].atMs).toBeGreaterThanOrEqual(1);
        expect(operations[1].atMs - operations[0].atMs).toBeLessThanOrEqual(5000);
      } else if (kind.endsWith('role shutdown')) {
        expect(operations).toHaveLength(1);
        expect([`@leader:${P}`, `@follower:${P}`]).toContain(operations[0].broker);
      } else {
        expect(operations).toEqual([{ atMs: operations[0].atMs, kind: 'preferred-leader-election', topic: 'orders', partition: 1 }]);
      }
    }
    expect(seen.size).toBe(cuts.length);
  });

  it('start the first operation a scenario timeout into the cut as well as at a share of it', () => {
    const offsets = drawn('replica cut + role shutdown').map((d) => d.operations[0].atMs - d.cut.atMs);
    expect(offsets.filter((o) => o === 1800).length).toBeGreaterThan(10);
    expect(offsets.filter((o) => o === 2200).length).toBeGreaterThan(10);
  });
});
