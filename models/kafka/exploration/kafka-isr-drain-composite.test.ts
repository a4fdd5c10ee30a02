// The "ISR drain + leader power loss" composite (kafka-isr-drain-composite.ts): the focus
// partition's followers out of the ISR one at a time (two controlled shutdowns of the in-sync
// follower, or a follower cut from the leader and then the leader cut from both), each exit
// 1.6-2.5 replica lags after the one before, then the leader's power loss; it finds KIP-966's last
// replica standing on Kafka 4.0 both ways, and nothing on 4.1 (Eligible Leader Replicas).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompositeDraw } from '../../../src/scenario/model-exploration.ts';
import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import { runResolved } from '../../../src/scenario/run-scenario.ts';
import { MODELS, SCENARIO_PRESETS } from '../../index.ts';
import { isrDrainArbitrary } from './kafka-isr-drain-composite.ts';

const on = fc.option(fc.constant(true), { nil: false, freq: 1000 });
const lasting = fc.integer({ min: 1, max: 3000 });

interface Timed {
  atMs: number;
  kind: string;
  durationMs: number;
  [k: string]: unknown;
}

/** The draws with every part, as [first exit, second exit, power loss], and how the followers left. */
function whole(windowMs: number, lagsMs: number[], numRuns = 300): { exit: 'shutdown' | 'cut'; parts: Timed[] }[] {
  const draws = fc.sample(isrDrainArbitrary({ fc, windowMs, partitions: ['orders-0', 'orders-1'], on, lasting }, lagsMs)!, { seed: 7, numRuns });
  return draws.flatMap((d) => {
    const timed = [...d.faults, ...d.operations] as unknown as Timed[];
    if (timed.length !== 3) return [];
    const exit = d.operations.length === 2 ? ('shutdown' as const) : ('cut' as const);
    const loss = timed.find((x) => x.kind === 'power-loss')!;
    const exits = timed.filter((x) => x !== loss).sort((a, b) => a.atMs - b.atMs);
    return [{ exit, parts: [...exits, loss] }];
  });
}

describe('ISR drain + leader power loss', () => {
  it.each([
    [12_000, [2000, 30000]],
    [30_000, [10000]],
  ])('window %i ms, lags %j: two exits of the focus partition\'s followers, then its leader\'s power loss, each in the window', (windowMs, lagsMs) => {
    const draws = whole(windowMs, lagsMs);
    expect(draws.length).toBeGreaterThan(290);
    const exits = new Set<string>();
    for (const { exit, parts } of draws) {
      exits.add(exit);
      const [first, second, loss] = parts;
      const p = (loss.node as string).slice('@leader:'.length);
      expect(loss).toMatchObject({ kind: 'power-loss', node: `@leader:${p}` });
      if (exit === 'shutdown') {
        // the in-sync follower each time: the second names the one still in the ISR
        for (const x of [first, second]) expect(x).toMatchObject({ kind: 'controlled-shutdown', broker: `@in-sync-follower:${p}` });
      } else {
        expect(first).toMatchObject({ kind: 'partition', groups: [[`@in-sync-follower:${p}`], [`@leader:${p}`]] });
        expect(second).toMatchObject({ kind: 'partition', groups: [[`@leader:${p}`], [`@followers:${p}`]] });
      }
      expect(first.atMs).toBeGreaterThanOrEqual(windowMs * 0.05);
      expect(second.atMs).toBeGreaterThan(first.atMs);
      expect(loss.atMs).toBeGreaterThan(second.atMs);
      // the followers stay out past the leader's return, to the window's end
      for (const x of [first, second]) expect(x.atMs + x.durationMs).toBe(windowMs - 2);
      expect(loss.atMs + loss.durationMs).toBeLessThanOrEqual(windowMs - 2);
    }
    expect([...exits].sort()).toEqual(['cut', 'shutdown']);
    // shutdown exits twice as likely as cuts (which need the run's own lag short enough)
    const shutdowns = draws.filter((d) => d.exit === 'shutdown').length;
    expect(shutdowns).toBeGreaterThan(draws.length * 0.58);
    expect(shutdowns).toBeLessThan(draws.length * 0.75);
  });

  it('spaces the exits and the power loss 1.6-2.5 lags apart when they fit the window, scaled down together when not', () => {
    for (const { parts } of whole(30_000, [5000])) {
      const [first, second, loss] = parts;
      for (const gap of [second.atMs - first.atMs, loss.atMs - second.atMs]) {
        expect(gap).toBeGreaterThanOrEqual(8000);
        expect(gap).toBeLessThanOrEqual(12500);
      }
    }
    // a 30 s lag in a 12 s window: the gaps fill the room left after the start (a twentieth) and before the end (another)
    for (const { parts } of whole(12_000, [30000], 50)) expect(parts[2].atMs - parts[0].atMs).toBeLessThanOrEqual(12_000 - 2 - 1200);
  });

  it('shrinks to no part, and is absent without a focus partition or a lag', () => {
    const space = { fc, windowMs: 12_000, partitions: ['orders-0'], on: fc.constant(false), lasting: fc.constant(1000) };
    expect(fc.sample(isrDrainArbitrary(space, [2000])!, { seed: 1, numRuns: 5 }).every((d) => d.faults.length === 0 && d.operations.length === 0)).toBe(true);
    expect(isrDrainArbitrary({ ...space, partitions: [] }, [2000])).toBeNull();
    expect(isrDrainArbitrary(space, [])).toBeNull();
  });

  it("on check-small at Kafka 4.0 (min.insync.replicas=2, a 2 s lag) both ways lose acknowledged writes to KIP-966's last replica standing; on 4.1 neither loses any", () => {
    const draws = fc.sample(isrDrainArbitrary({ fc, windowMs: 12_000, partitions: ['orders-0'], on, lasting }, [2000])!, { seed: 3, numRuns: 20 });
    const byExit = (shutdown: boolean) => draws.find((d) => d.faults.length + d.operations.length === 3 && (d.operations.length === 2) === shutdown)!;
    const losses = (d: CompositeDraw, version: string) => {
      const settings = ['preset=apache', `kafkaVersion=${version}`, 'min.insync.replicas=2', 'replica.lag.time.max.ms=2000', `faults=${JSON.stringify(d.faults)}`, `operations=${JSON.stringify(d.operations)}`];
      return runResolved(resolveScenario({ ...SCENARIO_PRESETS['check-small'], faults: [] }, MODELS, { settings })).violations.filter((v) => v.property === 'lost-write');
    };
    for (const d of [byExit(true), byExit(false)]) {
      const found = losses(d, '4.0');
      expect(found.length).toBeGreaterThan(0);
      for (const v of found) expect(v.reason).toMatch(/as the last ISR member .* still held it \(KIP-966's last replica standing/);
      expect(losses(d, '4.1')).toEqual([]);
    }
  }, 240_000);
});
