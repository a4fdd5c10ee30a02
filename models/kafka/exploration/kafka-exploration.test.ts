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
