// ksim check lengthens a generated run so a fault can outlast the broker's session with the
// controller (fault-targeting.ts kafkaRunDurationMsMin, check-runner.ts generatedRunLength): with
// ZooKeeper's 18 s session (Kafka 2.5+), check-small's 20 s runs almost never failed over.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { caseArbitrary, caseScenario, generatedRunLength, resolveCase, runCheck } from '../../../src/explore/check-runner.ts';
import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import { MODELS, SCENARIO_PRESETS } from '../../index.ts';
import { kafkaRunDurationMsMin } from './fault-targeting.ts';

const raw = { ...SCENARIO_PRESETS['check-small'] } as Record<string, unknown>;
const base = (settings: string[]) => resolveScenario({ ...raw, faults: [] }, MODELS, { settings });

describe('the shortest run a Kafka scenario needs', () => {
  it('holds 2.2 ZooKeeper sessions of 18 s (Kafka 2.5+): 40 s, naming the setting', () => {
    const min = kafkaRunDurationMsMin(base(['preset=apache', 'kafkaVersion=2.5']).scenario);
    expect(min?.durationMs).toBe(40_000);
    expect(min?.reason).toMatch(/^zookeeper\.session\.timeout\.ms 18000/);
  });

  it("asks nothing more of check-small's 20 s under KRaft (9 s) or ZooKeeper before 2.5 (6 s)", () => {
    expect(kafkaRunDurationMsMin(base(['preset=apache', 'kafkaVersion=2.4']).scenario)).toBeUndefined();
    expect(kafkaRunDurationMsMin(base(['preset=apache', 'kafkaVersion=3.7', 'metadataMode=kraft']).scenario)).toBeUndefined();
    expect(kafkaRunDurationMsMin(base([]).scenario)).toBeUndefined();
  });

  it('follows a stated session timeout', () => {
    expect(kafkaRunDurationMsMin(base(['preset=apache', 'kafkaVersion=2.4', 'zookeeper.session.timeout.ms=30000']).scenario)?.durationMs).toBe(66_000);
  });
});

describe('generated runs', () => {
  it('are lengthened, and say why, unless durationMs is fixed with --set', () => {
    const zk = ['preset=apache', 'kafkaVersion=2.5'];
    expect(generatedRunLength(base(zk), zk)).toEqual({ durationMs: 40_000, lengthened: { fromMs: 20_000, reason: expect.stringMatching(/zookeeper\.session\.timeout\.ms/) } });
    const fixed = [...zk, 'durationMs=25000'];
    expect(generatedRunLength(base(fixed), fixed)).toEqual({ durationMs: 25_000 });
    expect(generatedRunLength(base([]), [])).toEqual({ durationMs: 20_000 });
  });

  it('carry their length in the case, so the counterexample and its trace replay it', () => {
    const [lengthened] = fc.sample(caseArbitrary({ raw, models: MODELS, settings: ['preset=apache', 'kafkaVersion=2.5'], runs: 0, seed: 3 }), { seed: 3, numRuns: 1 });
    expect(lengthened.durationMs).toBe(40_000);
    expect(resolveCase({ raw, models: MODELS, settings: [] }, lengthened).scenario.durationMs).toBe(40_000);
    const [asStated] = fc.sample(caseArbitrary({ raw, models: MODELS, settings: [], runs: 0, seed: 3 }), { seed: 3, numRuns: 1 });
    expect(asStated.durationMs).toBeUndefined();
    expect(caseScenario(raw, asStated).durationMs).toBe(20_000);
  });

  it('fail over after a broker loses its 18 s ZooKeeper session in a third of them or more (was 8 in 60 at 20 s)', () => {
    const settings = ['preset=apache', 'kafkaVersion=2.5'];
    const lengthened = runCheck({ raw, models: MODELS, settings, runs: 30, seed: 3, failOn: [] });
    const asStated = runCheck({ raw, models: MODELS, settings: [...settings, 'durationMs=20000'], runs: 30, seed: 3, failOn: [] });
    expect(lengthened.coverage['clean leader failover'] ?? 0).toBeGreaterThanOrEqual(10);
    expect(asStated.coverage['clean leader failover'] ?? 0).toBeLessThan(lengthened.coverage['clean leader failover']! / 2);
  }, 300_000);
});
