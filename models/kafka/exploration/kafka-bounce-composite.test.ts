// The "replica bounce + leader failure" composite (kafka-bounce-composite.ts): a focus replica's
// power or disk loss shorter than the broker's session with the controller (a follower's three
// times as often as the leader's), from a twentieth of the window on, then the leader's crash
// after the restart and before that session would have expired, lasting past a session, all
// inside the window; and the session it times against, per metadata mode.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import { MODELS, SCENARIO_PRESETS } from '../../index.ts';
import { brokerSessionTimeoutMs, livenessJudgedAfter, replicaBounceArbitrary } from './kafka-bounce-composite.ts';

const configAt = (settings: string[]) => resolveScenario({ ...SCENARIO_PRESETS['check-small'], faults: [] }, MODELS, { settings }).scenario;
const on = fc.option(fc.constant(true), { nil: false, freq: 1000 });

interface NodeFault {
  atMs: number;
  kind: string;
  node: string;
  durationMs: number;
}

describe('replica bounce + leader failure', () => {
  it('times against zookeeper.session.timeout.ms in ZooKeeper mode, broker.session.timeout.ms in KRaft', () => {
    expect(brokerSessionTimeoutMs(configAt(['preset=apache', 'kafkaVersion=2.1']))).toBe(6000);
    expect(brokerSessionTimeoutMs(configAt(['preset=apache', 'kafkaVersion=4.0']))).toBe(9000);
  });

  it.each([[12_000, 6000], [12_000, 9000], [30_000, 6000]])('window %i ms, session %i ms: a short power or disk loss of a focus replica, then its leader\'s crash inside the session, lasting past it', (windowMs, sessionMs) => {
    const arb = replicaBounceArbitrary({ fc, windowMs, partitions: ['orders-0', 'orders-1'], on }, sessionMs)!;
    const draws = fc.sample(arb, { seed: 5, numRuns: 300 }).filter((d) => d.faults.length === 2);
    expect(draws.length).toBeGreaterThan(290);
    const roles: string[] = [];
    const kinds = new Set<string>();
    for (const d of draws) {
      expect(d.operations).toEqual([]);
      const [bounce, failure] = d.faults as unknown as NodeFault[];
      const p = failure.node.slice('@leader:'.length);
      expect(['orders-0', 'orders-1']).toContain(p);
      expect([`@leader:${p}`, `@follower:${p}`]).toContain(bounce.node);
      roles.push(bounce.node.split(':')[0]);
      kinds.add(bounce.kind);
      expect(['power-loss', 'disk-loss']).toContain(bounce.kind);
      // once the first leaders are elected: the roles name nobody before
      expect(bounce.atMs).toBeGreaterThanOrEqual(windowMs * 0.05);
      expect(failure.kind).toBe('crash');
      expect(bounce.durationMs).toBeLessThanOrEqual(sessionMs / 2);
      const restartMs = bounce.atMs + bounce.durationMs;
      expect(failure.atMs).toBeGreaterThanOrEqual(restartMs);
      expect(failure.atMs).toBeLessThan(bounce.atMs + sessionMs);
      expect(failure.durationMs).toBeGreaterThanOrEqual(Math.min(sessionMs, windowMs / 2));
      expect(failure.atMs + failure.durationMs).toBeLessThanOrEqual(windowMs - 2);
    }
    expect([...kinds].sort()).toEqual(['disk-loss', 'power-loss']);
    const followers = roles.filter((r) => r === '@follower').length;
    expect(followers).toBeGreaterThan(roles.length * 0.65);
    expect(followers).toBeLessThan(roles.length * 0.85);
  });

  it("bounces followers only when the scenario's runs end before liveness-after-heal could judge a leader's missed bounce", () => {
    // 2.1: a 6 s session, a recovery grace of about 48 s: a 20 s run never judges it, a 60 s run may
    expect(livenessJudgedAfter(configAt(['preset=apache', 'kafkaVersion=2.1']), 12_000)).toBe(false);
    expect(livenessJudgedAfter(configAt(['preset=apache', 'kafkaVersion=2.1', 'durationMs=60000']), 36_000)).toBe(true);
    expect(livenessJudgedAfter(configAt(['preset=apache', 'kafkaVersion=2.1', 'durationMs=50000']), 30_000)).toBe(false);
    const roles = (leaderBounces: boolean) =>
      fc.sample(replicaBounceArbitrary({ fc, windowMs: 12_000, partitions: ['orders-0'], on }, 6000, leaderBounces)!, { seed: 5, numRuns: 200 }).flatMap((d) => (d.faults.length === 2 ? [(d.faults[0] as unknown as NodeFault).node] : []));
    expect(new Set(roles(false))).toEqual(new Set(['@follower:orders-0']));
    expect(new Set(roles(true))).toEqual(new Set(['@follower:orders-0', '@leader:orders-0']));
  });

  it('shrinks to either part alone, and is absent without a focus partition', () => {
    const arb = replicaBounceArbitrary({ fc, windowMs: 12_000, partitions: ['orders-0'], on: fc.constant(false) }, 6000)!;
    expect(fc.sample(arb, { seed: 1, numRuns: 5 }).every((d) => d.faults.length === 0)).toBe(true);
    expect(replicaBounceArbitrary({ fc, windowMs: 12_000, partitions: [], on }, 6000)).toBeNull();
  });
});
