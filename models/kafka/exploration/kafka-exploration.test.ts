// What `ksim check` explores in a Kafka scenario: Kafka config keys are sampled unless the
// scenario states them itself (its `config` map, `broker.rack`), like keys fixed with --set.
import { describe, expect, it } from 'vitest';
import { MODELS } from '../../index.ts';

describe('caseArbitrary', () => {
  it('leaves keys the scenario states out of exploration, like --set keys', async () => {
    const fc = (await import('fast-check')).default;
    const { caseArbitrary } = await import('../../../src/explore/check-runner.ts');
    const explored = (rawScenario: Record<string, unknown>) =>
      new Set(fc.sample(caseArbitrary({ raw: rawScenario, models: MODELS, settings: [], runs: 1, seed: 1 }), { seed: 1, numRuns: 30 }).flatMap((c) => c.settings.map((s) => s.split('=')[0])));
    const kafka = { model: 'kafka', durationMs: 10_000, cluster: { brokers: 3 }, topics: [{ name: 't', partitions: 1 }], producers: [{ name: 'p1', az: 'use1-az1', topic: 't', ratePerSec: 10 }] };
    expect(explored(kafka).has('linger.ms')).toBe(true);
    const stated = explored({ ...kafka, config: { 'linger.ms': 20 }, cluster: { brokers: 3, 'broker.rack': 'none' } });
    expect(stated.has('linger.ms')).toBe(false);
    expect(stated.has('broker.rack')).toBe(false);
  });
});

describe('swarmed settings of an older version', () => {
  it("draw the version's own default or an explored value, never current Kafka's default", async () => {
    const fc = (await import('fast-check')).default;
    const { caseArbitrary } = await import('../../../src/explore/check-runner.ts');
    const { resolveScenario } = await import('../../../src/scenario/resolve-scenario.ts');
    const { planKafkaScenario } = await import('../scenario/build-kafka-scenario.ts');
    const raw = { model: 'kafka', kafkaVersion: '2.0', preset: 'apache', durationMs: 10_000, cluster: { brokers: 3 }, topics: [{ name: 't', partitions: 1, 'replication.factor': 3 }], producers: [{ name: 'p1', az: 'use1-az1', topic: 't', ratePerSec: 10 }] };
    const lags = new Set<unknown>();
    const lingers = new Set<unknown>();
    for (const c of fc.sample(caseArbitrary({ raw, models: MODELS, settings: [], runs: 1, seed: 1 }), { seed: 3, numRuns: 40 })) {
      const plan = planKafkaScenario(resolveScenario(raw, MODELS, { settings: c.settings }).scenario as never);
      lags.add(plan.brokerConfig['replica.lag.time.max.ms']);
      lingers.add(plan.producers[0].config['linger.ms']);
    }
    // Kafka 2.0: replica.lag.time.max.ms 10 s (30 s from 2.5, KIP-537), linger.ms 0 (5 from 4.0, KIP-1030)
    expect([...lags].sort()).toEqual([10_000, 2000].sort());
    expect([...lingers].sort()).toEqual([0, 50].sort());
  });
});

describe('the flush policy', () => {
  it('is a flush per message in about one run in ten (under it a power loss loses nothing), the scenario\'s own policy otherwise', async () => {
    const fc = (await import('fast-check')).default;
    const { caseArbitrary } = await import('../../../src/explore/check-runner.ts');
    const { SCENARIO_PRESETS } = await import('../../index.ts');
    const cases = fc.sample(caseArbitrary({ raw: SCENARIO_PRESETS['check-small'], models: MODELS, settings: [], runs: 1, seed: 1 }), { seed: 7, numRuns: 600 });
    const flushes = cases.map((c) => c.settings.find((s) => s.startsWith('log.flush.interval.messages=')));
    expect(new Set(flushes)).toEqual(new Set([undefined, 'log.flush.interval.messages=1']));
    // two candidates alike gave it two runs in five (fast-check's draws lean to the first)
    const perMessage = flushes.filter((f) => f !== undefined).length / cases.length;
    expect(perMessage).toBeGreaterThan(0.05);
    expect(perMessage).toBeLessThan(0.15);
  });
});

describe('faultHorizonOf: when the scripted operations are over, at worst, and what that is made of', () => {
  // KRaft defaults: BrokerServer waits 5 minutes; a heartbeat every 2 s, stuck at worst until the channel's 4.5 s timeout
  const KRAFT = { maxMs: 300_000, askAgainMs: 7_500 };
  // ZooKeeper defaults: 3 attempts of request.timeout.ms (30 s) then a 5 s backoff
  const ZK = { maxMs: 105_000, askAgainMs: 36_000 };

  it('a controlled shutdown: the broker\'s wait for the controller, then its time down (a fresh-user trial read "over, at worst, at 64.0 s" with nothing saying why)', async () => {
    const { faultHorizonOf } = await import('./kafka-exploration.ts');
    const horizon = faultHorizonOf({ operations: [{ atMs: 29_000, kind: 'controlled-shutdown', durationMs: 5000 }], cluster: { brokers: [1, 2, 3] } }, KRAFT);
    expect(horizon.lastDisruptionEndMs).toBe(41_500);
    expect(horizon.lastDisruption).toBe('the controlled-shutdown at 29.0 s is over, at worst (the broker waits up to 7.5 s for the controller to move its leaderships away, then is down 5.0 s),');
    expect(faultHorizonOf({ operations: [{ atMs: 29_000, kind: 'controlled-shutdown', durationMs: 5000 }], cluster: { brokers: [1, 2, 3] } }, ZK).lastDisruptionEndMs).toBe(70_000);
  });

  it('the wait outlasts the faults by one more ask at worst, and never the broker\'s own limit (KRaft 5 minutes, ZooKeeper its three attempts)', async () => {
    const { faultHorizonOf } = await import('./kafka-exploration.ts');
    const cut = { atMs: 20_000, kind: 'partition' as const, groups: [['b1'], ['k1']], durationMs: 80_000 };
    const op = { atMs: 29_000, kind: 'controlled-shutdown' as const, durationMs: 5000 };
    // the cut heals at 100 s: KRaft asks again within 7.5 s of it
    expect(faultHorizonOf({ faults: [cut], operations: [op], cluster: { brokers: [1, 2, 3] } }, KRAFT).lastDisruptionEndMs).toBe(100_000 + 7_500 + 5000);
    // ZooKeeper gives up after 105 s: down 120 s from 134 s
    const long = faultHorizonOf({ faults: [{ ...cut, durationMs: 180_000 }], operations: [{ ...op, durationMs: 120_000 }], cluster: { brokers: [1, 2, 3] } }, ZK);
    expect(long.lastDisruptionEndMs).toBe(29_000 + 105_000 + 120_000);
    expect(long.lastDisruption).toContain('the broker waits up to 105.0 s');
  });

  it('a rolling restart: its brokers in turn, each a controlled shutdown and the ISR wait before the next; one queued behind another says from when', async () => {
    const { faultHorizonOf } = await import('./kafka-exploration.ts');
    const rolling = { kind: 'rolling-restart' as const, durationMs: 3000, isrWaitMs: 10_000 };
    const one = faultHorizonOf({ operations: [{ atMs: 5000, ...rolling }], cluster: { brokers: [1, 2, 3] } }, KRAFT);
    expect(one.lastDisruptionEndMs).toBe(5000 + 3 * 10_500 + 2 * 10_000);
    expect(one.lastDisruption).toBe(
      'the rolling-restart at 5.0 s is over, at worst (3 brokers in turn: the broker waits up to 7.5 s for the controller to move its leaderships away, then is down 3.0 s; the next stops up to 10.0 s (isrWaitMs) later, once the ISR is full),',
    );
    const queued = faultHorizonOf({ operations: [{ atMs: 5000, ...rolling }, { atMs: 6000, ...rolling, brokers: ['b1'] }], cluster: { brokers: [1, 2, 3] } }, KRAFT);
    expect(queued.lastDisruptionEndMs).toBe(56_500 + 10_500);
    expect(queued.lastDisruption).toMatch(/^the rolling-restart at 6\.0 s is over, at worst \(from 56\.5 s, after the rolling operations before it, the broker waits up to 7\.5 s .*, then is down 3\.0 s\),$/);
  });

  it('decoy: a fault ending last says it heals, with nothing added', async () => {
    const { faultHorizonOf } = await import('./kafka-exploration.ts');
    // the shutdown at 1 s is answered (7.5 s at worst) before the outage begins at 10 s
    const horizon = faultHorizonOf({ faults: [{ atMs: 10_000, kind: 'isolate-az', az: 'a2', durationMs: 80_000 }], operations: [{ atMs: 1000, kind: 'controlled-shutdown', durationMs: 5000 }], cluster: { brokers: [1, 2, 3] } }, KRAFT);
    expect(horizon.lastDisruption).toBe('the isolate-az at 10.0 s heals');
    // one begun during the outage waits for it: the outage's end, one more ask, then its time down
    const during = faultHorizonOf({ faults: [{ atMs: 10_000, kind: 'isolate-az', az: 'a2', durationMs: 80_000 }], operations: [{ atMs: 29_000, kind: 'controlled-shutdown', durationMs: 5000 }], cluster: { brokers: [1, 2, 3] } }, KRAFT);
    expect(during.lastDisruptionEndMs).toBe(90_000 + 7_500 + 5000);
  });
});
