// The "zombie replica + leader round trip" composite (kafka-zombie-composite.ts): a focus follower
// cut from the controllers, the leader cut from them just after and just past the session, the
// next leader's controlled shutdown after the leader's cut heals, the follower's cut outlasting it,
// all inside the window; it finds KIP-320's unfenced fetch on Kafka 2.0 (acks=1) and nothing on 2.1.
// The missed-epoch variant cuts the out-of-sync follower from the replicas from the shutdown until
// after its cut from the controllers heals; it finds KAFKA-7164's skipped truncation on 2.0.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import { runResolved } from '../../../src/scenario/run-scenario.ts';
import { MODELS, SCENARIO_PRESETS } from '../../index.ts';
import { zombieReplicaArbitrary } from './kafka-zombie-composite.ts';

const on = fc.option(fc.constant(true), { nil: false, freq: 1000 });
const CONTROLLERS = ['c1', 'c2', 'c3'];

interface Cut {
  atMs: number;
  groups: string[][];
  durationMs: number;
}

describe('zombie replica + leader round trip', () => {
  it.each([[12_000, 6000], [12_000, 9000], [30_000, 6000]])('window %i ms, session %i ms: the follower cut first and longest, the leader cut past the session, the shutdown after it heals', (windowMs, sessionMs) => {
    const arb = zombieReplicaArbitrary({ fc, windowMs, partitions: ['orders-0', 'orders-1'], controllers: CONTROLLERS, on, lasting: fc.integer({ min: 1, max: 3000 }) }, sessionMs)!;
    const draws = fc.sample(arb, { seed: 5, numRuns: 300 }).filter((d) => d.faults.length === 2 && d.operations.length === 1);
    expect(draws.length).toBeGreaterThan(290);
    for (const d of draws) {
      const [follower, leader] = d.faults as unknown as Cut[];
      const shutdown = d.operations[0] as unknown as { atMs: number; kind: string; broker: string; durationMs: number };
      const p = shutdown.broker.slice('@leader:'.length);
      expect(follower.groups).toEqual([[`@follower:${p}`], CONTROLLERS]);
      expect(leader.groups).toEqual([[`@leader:${p}`], CONTROLLERS]);
      expect(follower.atMs).toBeGreaterThanOrEqual(windowMs * 0.05);
      expect(leader.atMs).toBeGreaterThanOrEqual(follower.atMs);
      // the leader's session expires when the room allows it
      if (windowMs >= 2 * sessionMs) expect(leader.durationMs).toBeGreaterThan(sessionMs);
      // and the shutdown leaves the new leader time to write past the zombie's log: 0.6 of the session after the heal at least
      if (windowMs >= 2 * sessionMs) expect(shutdown.atMs - (leader.atMs + leader.durationMs)).toBeGreaterThanOrEqual(sessionMs * 0.6);
      expect(shutdown.kind).toBe('controlled-shutdown');
      expect(shutdown.atMs).toBeGreaterThan(leader.atMs + leader.durationMs);
      expect(follower.atMs + follower.durationMs).toBeGreaterThan(shutdown.atMs);
      expect(follower.atMs + follower.durationMs).toBeLessThanOrEqual(windowMs - 2);
      expect(shutdown.atMs + shutdown.durationMs).toBeLessThanOrEqual(windowMs);
    }
  });

  it('shrinks to any part alone, and is absent without a focus partition or a controller', () => {
    const space = { fc, windowMs: 12_000, partitions: ['orders-0'], controllers: CONTROLLERS, on: fc.constant(false), lasting: fc.constant(1000) };
    expect(fc.sample(zombieReplicaArbitrary(space, 6000)!, { seed: 1, numRuns: 5 }).every((d) => d.faults.length === 0 && d.operations.length === 0)).toBe(true);
    expect(zombieReplicaArbitrary({ ...space, partitions: [] }, 6000)).toBeNull();
    expect(zombieReplicaArbitrary({ ...space, controllers: [] }, 6000)).toBeNull();
  });

  it('on check-small at Kafka 2.0 (acks=1) 7 or more of 8 draws diverge through the unfenced fetch (KIP-320); on 2.1 none', () => {
    const arb = zombieReplicaArbitrary({ fc, windowMs: 12_000, partitions: ['orders-0'], controllers: CONTROLLERS, on, lasting: fc.integer({ min: 1, max: 3000 }) }, 6000)!;
    const draws = fc.sample(arb, { seed: 4, numRuns: 8 });
    const divergences = (version: string) =>
      draws.map((d) => {
        const settings = ['preset=apache', `kafkaVersion=${version}`, 'acks=1', `faults=${JSON.stringify(d.faults)}`, `operations=${JSON.stringify(d.operations)}`];
        return runResolved(resolveScenario({ ...SCENARIO_PRESETS['check-small'], faults: [] }, MODELS, { settings })).violations.filter((v) => v.property === 'log-divergence');
      });
    const old = divergences('2.0').filter((found) => found.some((v) => (v.flaws as string[] | undefined)?.includes('KIP-320')));
    expect(old.length).toBeGreaterThanOrEqual(7);
    expect(divergences('2.1').flat()).toEqual([]);
  }, 120_000);

  describe('missed epoch', () => {
    const arb = zombieReplicaArbitrary({ fc, windowMs: 12_000, partitions: ['orders-0'], controllers: CONTROLLERS, on, lasting: fc.integer({ min: 1, max: 3000 }) }, 6000, true)!;

    it('cuts the out-of-sync replica from the others from the shutdown until past the follower\'s heal, the old leader back in the ISR by then', () => {
      const draws = fc.sample(arb, { seed: 5, numRuns: 300 }).filter((d) => d.faults.length === 3 && d.operations.length === 1);
      expect(draws.length).toBeGreaterThan(290);
      for (const d of draws) {
        const [follower, leader, replicas] = d.faults as unknown as Cut[];
        const shutdown = d.operations[0];
        expect(replicas.groups).toEqual([['@out-of-sync:orders-0'], ['@leader:orders-0', '@followers:orders-0']]);
        expect(replicas.atMs).toBe(shutdown.atMs);
        // the old leader has its least gap to rejoin the ISR (1.5 s of a 6 s session), the follower hears of the election a sixth of the session (1.02 s) after it at the soonest
        expect(shutdown.atMs - (leader.atMs + leader.durationMs)).toBeGreaterThanOrEqual(1500);
        expect(follower.atMs + follower.durationMs - shutdown.atMs).toBeGreaterThanOrEqual(1020);
        expect(replicas.atMs + replicas.durationMs - (follower.atMs + follower.durationMs)).toBeGreaterThanOrEqual(900);
        expect(replicas.atMs + replicas.durationMs).toBeLessThanOrEqual(12_000 - 2);
      }
    });

    it('on check-small at Kafka 2.0 (acks=1) most of 8 draws diverge through the skipped truncation (KAFKA-7164), none through an unfenced fetch; on 2.1 none', () => {
      const draws = fc.sample(arb, { seed: 4, numRuns: 8 });
      const flaws = (version: string) =>
        draws.map((d) => {
          const settings = ['preset=apache', `kafkaVersion=${version}`, 'acks=1', `faults=${JSON.stringify(d.faults)}`, `operations=${JSON.stringify(d.operations)}`];
          const report = runResolved(resolveScenario({ ...SCENARIO_PRESETS['check-small'], faults: [] }, MODELS, { settings }));
          return report.violations.filter((v) => v.property === 'log-divergence').flatMap((v) => (v.flaws as string[] | undefined) ?? ['none']);
        });
      const old = flaws('2.0');
      expect(old.filter((f) => f.includes('KAFKA-7164')).length).toBeGreaterThan(4);
      expect(old.flat().filter((f) => f !== 'KAFKA-7164')).toEqual([]);
      expect(flaws('2.1').flat()).toEqual([]);
    }, 120_000);
  });
});
