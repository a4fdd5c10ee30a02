// The "stale ISR expansion + disk loss" composite (kafka-stale-expansion-composite.ts): a focus
// follower's controlled shutdown, the leader's link to the active controller held from its
// restart (a little before it) for well under the session, the follower's disk lost inside the hold and the follower cut
// from the leader from then on, the leader's controlled shutdown after the hold; it finds KIP-903's
// stale expansion on Kafka 3.4 (instance store, min.insync.replicas=1) and nothing on 3.5.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import { runResolved } from '../../../src/scenario/run-scenario.ts';
import { MODELS, SCENARIO_PRESETS } from '../../index.ts';
import { staleExpansionArbitrary } from './kafka-stale-expansion-composite.ts';

const on = fc.option(fc.constant(true), { nil: false, freq: 1000 });
const lasting = fc.integer({ min: 1, max: 6000 });

interface Timed {
  atMs: number;
  kind: string;
  durationMs: number;
  [k: string]: unknown;
}

describe('stale ISR expansion + disk loss', () => {
  it.each([[16_000, 9000], [16_000, 6000], [40_000, 9000]])('window %i ms, session %i ms: shutdown, then the hold under the session, the disk loss and the cut inside it, the leader\'s shutdown after it', (windowMs, sessionMs) => {
    const draws = fc.sample(staleExpansionArbitrary({ fc, windowMs, partitions: ['orders-0', 'orders-1'], on, lasting }, sessionMs)!, { seed: 5, numRuns: 300 });
    const whole = draws.filter((d) => d.faults.length === 3 && d.operations.length === 2);
    expect(whole.length).toBeGreaterThan(290);
    for (const d of whole) {
      const [hold, loss, cut] = d.faults as unknown as Timed[];
      const [down, exit] = d.operations as unknown as Timed[];
      const p = (down.broker as string).slice('@follower:'.length);
      expect([down.kind, down.broker, exit.kind, exit.broker]).toEqual(['controlled-shutdown', `@follower:${p}`, 'controlled-shutdown', `@leader:${p}`]);
      expect(hold).toMatchObject({ kind: 'hold', from: `@leader:${p}`, to: '@active-controller' });
      expect(hold.atMs).toBeGreaterThan(down.atMs);
      expect(hold.atMs).toBeLessThanOrEqual(down.atMs + down.durationMs);
      expect(hold.durationMs).toBeLessThan(sessionMs);
      expect(loss).toMatchObject({ kind: 'disk-loss', node: `@follower:${p}` });
      expect(loss.atMs).toBeGreaterThan(hold.atMs);
      expect(loss.atMs).toBeLessThan(hold.atMs + hold.durationMs);
      expect(cut).toMatchObject({ kind: 'partition', groups: [[`@follower:${p}`], [`@leader:${p}`]], atMs: loss.atMs });
      expect(exit.atMs).toBeGreaterThan(hold.atMs + hold.durationMs);
      expect(cut.atMs + cut.durationMs).toBeGreaterThanOrEqual(exit.atMs);
      expect(cut.atMs + cut.durationMs).toBeLessThanOrEqual(windowMs - 2);
      expect(exit.atMs + exit.durationMs).toBeLessThanOrEqual(windowMs);
      expect(down.atMs).toBeGreaterThanOrEqual(windowMs * 0.05);
    }
  });

  it('shrinks to no part, and is absent without a focus partition', () => {
    const space = { fc, windowMs: 16_000, partitions: ['orders-0'], on: fc.constant(false), lasting: fc.constant(1000) };
    expect(fc.sample(staleExpansionArbitrary(space, 9000)!, { seed: 1, numRuns: 5 }).every((d) => d.faults.length === 0 && d.operations.length === 0)).toBe(true);
    expect(staleExpansionArbitrary({ ...space, partitions: [] }, 9000)).toBeNull();
  });

  it('on check-small at Kafka 3.4 (instance store, min.insync.replicas=1) some of 8 draws lose writes to the stale expansion (KIP-903); on 3.5 none', () => {
    const draws = fc.sample(staleExpansionArbitrary({ fc, windowMs: 12_000, partitions: ['orders-0'], on, lasting }, 9000)!, { seed: 1, numRuns: 8 });
    const losses = (version: string) =>
      draws.map((d) => {
        const settings = ['preset=apache', `kafkaVersion=${version}`, 'cluster.storage=instance-store', 'min.insync.replicas=1', `faults=${JSON.stringify(d.faults)}`, `operations=${JSON.stringify(d.operations)}`];
        return runResolved(resolveScenario({ ...SCENARIO_PRESETS['check-small'], faults: [] }, MODELS, { settings })).violations.filter((v) => v.property === 'lost-write');
      });
    const old = losses('3.4').filter((found) => found.some((v) => /KIP-903/.test(String(v.reason))));
    expect(old.length).toBeGreaterThan(0);
    expect(losses('3.5').flat()).toEqual([]);
  }, 240_000);
});
