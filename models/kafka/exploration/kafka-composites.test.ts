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
const LEADER_CUT = [[`@leader:${P}`], [`@followers:${P}`]];
const FOLLOWER_CUT = [[`@follower:${P}`], [`@leader:${P}`, `@followers:${P}`]];
const REPLICA_CUTS = [LEADER_CUT, FOLLOWER_CUT];
const CONTROLLER_CUTS = [[[`@leader:${P}`], ['c1', 'c2', 'c3']], [[`@follower:${P}`], ['c1', 'c2', 'c3']]];

/** The three cuts drawn as one kind, and which of them a draw of it is. */
const GROUP = 'cut + leadership moved';
function memberOf(d: CompositeDraw): string {
  if (CONTROLLER_CUTS.some((c) => JSON.stringify(c) === JSON.stringify((d.faults[0] as unknown as { groups: string[][] }).groups))) return 'controller cut + leader chain';
  return d.operations[0].kind === 'preferred-leader-election' ? 'replica cut + preferred election' : 'replica cut + role shutdown';
}
const GROUPED = ['replica cut + role shutdown', 'replica cut + preferred election', 'controller cut + leader chain'];

/** 300 draws of a kind with both parts (all but about 1 in 500); of a grouped kind, its draws among 900 of the group. */
function drawn(kind: string, from = focused): (CompositeDraw & { cut: { atMs: number; durationMs: number; groups: string[][] } })[] {
  const grouped = GROUPED.includes(kind);
  return fc
    .sample(from[grouped ? GROUP : kind], { seed: 3, numRuns: grouped ? 900 : 300 })
    .filter((d) => d.faults.length === 1 && d.operations.length > 0)
    .filter((d) => !grouped || memberOf(d) === kind)
    .map((d) => ({ ...d, cut: d.faults[0] as unknown as { atMs: number; durationMs: number; groups: string[][] } }));
}

describe('Kafka composites', () => {
  it('are a replica cut with a leader chain; a replica cut with a role shutdown or a preferred election inside, or a controller cut with a leader chain, as one kind; an ISR drain, a replica\'s bounce, a zombie replica (two ways) and a stale expansion; the same kinds whatever the roles', () => {
    const kinds = [
      'replica cut + leader chain',
      GROUP,
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
    ['replica cut + leader chain', [FOLLOWER_CUT]],
    ['replica cut + role shutdown', REPLICA_CUTS],
    ['replica cut + preferred election', REPLICA_CUTS],
    ['controller cut + leader chain', CONTROLLER_CUTS],
  ])('%s: a two-way partition of the focus partition\'s roles, in the window, no longer than four fifths of it, its operations inside it', (kind, cuts) => {
    const draws = drawn(kind);
    // a grouped kind's members each a third of the group's draws
    expect(draws.length).toBeGreaterThan(GROUPED.includes(kind) ? 250 : 290);
    expect(draws.length).toBeLessThan(GROUPED.includes(kind) ? 350 : 301);
    const seen = new Set<string>();
    for (const { cut, faults, operations } of draws) {
      expect(faults[0].kind).toBe('partition');
      expect(cuts.map((c) => JSON.stringify(c))).toContain(JSON.stringify(cut.groups));
      seen.add(JSON.stringify(cut.groups));
      expect(cut.durationMs).toBeLessThanOrEqual(WINDOW_MS * 0.8);
      // long enough for a replica to fall behind: a twentieth of the window at least
      expect(cut.durationMs).toBeGreaterThanOrEqual(WINDOW_MS * 0.05);
      expect(cut.atMs + cut.durationMs).toBeLessThanOrEqual(WINDOW_MS - 2);
      // not before the first leaders are elected: from a twentieth of the window on
      expect(cut.atMs).toBeGreaterThanOrEqual(WINDOW_MS * 0.05);
      const end = cut.atMs + cut.durationMs;
      // the first operation after the cut's first twentieth (of what leaves a chain's second room, for
      // the follower's), before it heals; a chain's second within the cut too, 0.1 to 5 s after the first
      const room = kind === 'replica cut + leader chain' ? cut.durationMs - 100 : cut.durationMs;
      expect(operations[0].atMs).toBeGreaterThanOrEqual(cut.atMs + Math.floor(room * 0.05));
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
        expect(operations[1].atMs - operations[0].atMs).toBeGreaterThanOrEqual(Math.min(100, end - operations[0].atMs));
        expect(operations[1].atMs - operations[0].atMs).toBeLessThanOrEqual(5000);
      } else if (kind.endsWith('role shutdown')) {
        // the role the cut leaves reachable: shutting down the isolated one would end the cut's effect
        expect(operations).toHaveLength(1);
        expect(operations[0].broker).toBe(JSON.stringify(cut.groups) === JSON.stringify(FOLLOWER_CUT) ? `@leader:${P}` : `@follower:${P}`);
      } else {
        expect(operations).toEqual([{ atMs: operations[0].atMs, kind: 'preferred-leader-election', topic: 'orders', partition: 1 }]);
      }
    }
    expect(seen.size).toBe(cuts.length);
  });

  it('replica cut + leader chain: both shutdowns while the cut follower is still in the ISR under the shortest replica.lag.time.max.ms a run may have', () => {
    // exploration may give the lag 2000 ms: the follower it cuts leaves the ISR after that, and is
    // then never elected, nor is the next leader once that follower, leading, shrank the ISR to itself
    const explored = kafkaCompositeArbitraries(config, space(['@leader:orders-1', '@follower:orders-1']), { 'replica.lag.time.max.ms': [null, 2000] });
    const draws = drawn('replica cut + leader chain', explored);
    expect(draws.length).toBeGreaterThan(290);
    for (const { cut, operations } of draws) {
      expect(operations[0].atMs - cut.atMs).toBeLessThanOrEqual(1800);
      expect(operations[1].atMs - operations[0].atMs).toBeLessThanOrEqual(1800);
    }
    // without that lag, later and further apart
    const offsets = drawn('replica cut + leader chain').map((d) => d.operations[0].atMs - d.cut.atMs);
    expect(offsets.filter((o) => o > 1800).length).toBeGreaterThan(60);
  });

  it('start the first operation a scenario timeout into the cut as well as at a share of it', () => {
    const offsets = drawn('replica cut + role shutdown').map((d) => d.operations[0].atMs - d.cut.atMs);
    expect(offsets.filter((o) => o === 1800).length).toBeGreaterThan(10);
    expect(offsets.filter((o) => o === 2200).length).toBeGreaterThan(10);
  });
});
