// The check loop on the heartbeat fixture: a correct model passes, a broken one is caught,
// shrunk to a small case, and the (seed, path) pair replays exactly that case.
import { describe, expect, it } from 'vitest';
import { MODELS } from '../../models/index.ts';
import { runCheck } from './check-runner.ts';

const raw = { model: 'heartbeat', durationMs: 10_000 };

describe('runCheck', () => {
  it('passes every run of a correct model and counts coverage', () => {
    const out = runCheck({ raw, models: MODELS, settings: [], runs: 25, seed: 1 });
    expect(out.failed).toBe(false);
    expect(out.runs).toBe(25);
    expect(out.coverage['a peer suspected']).toBeGreaterThan(0);
  });

  it('catches a broken model, shrinks the case, and replays it from (seed, path)', () => {
    const settings = ['heartbeat.bug="sticky-suspicion"'];
    const out = runCheck({ raw, models: MODELS, settings, runs: 100, seed: 1, faultsMax: 6 });
    expect(out.failed).toBe(true);
    const cx = out.counterexample!;
    expect(cx.report.violations[0].property).toBe('eventual-trust');
    // one fault is enough to leave a sticky suspicion; shrinking must find that
    expect(cx.case.faults.length).toBe(1);
    expect(out.shrinkRuns).toBeGreaterThan(0);

    const again = runCheck({ raw, models: MODELS, settings, runs: 100, seed: out.seed, path: out.path! });
    expect(again.failed).toBe(true);
    expect(again.counterexample!.case).toEqual(cx.case);
    expect(again.counterexample!.report.traceHash).toBe(cx.report.traceHash);
  });

  it('fails only on the targeted properties when given, still reporting the others', () => {
    const settings = ['heartbeat.bug="sticky-suspicion"'];
    const elsewhere = runCheck({ raw, models: MODELS, settings, runs: 20, seed: 1, properties: ['no-such-property'] });
    expect(elsewhere.failed).toBe(false);
    const targeted = runCheck({ raw, models: MODELS, settings, runs: 20, seed: 1, properties: ['eventual-trust'] });
    expect(targeted.failed).toBe(true);
  });
});

describe('caseArbitrary', () => {
  it('leaves keys the scenario states out of exploration, like --set keys', async () => {
    const fc = (await import('fast-check')).default;
    const { caseArbitrary } = await import('./check-runner.ts');
    const explored = (rawScenario: Record<string, unknown>) =>
      new Set(fc.sample(caseArbitrary({ raw: rawScenario, models: MODELS, settings: [], runs: 1, seed: 1 }), { seed: 1, numRuns: 30 }).flatMap((c) => c.settings.map((s) => s.split('=')[0])));
    const kafka = { model: 'kafka', durationMs: 10_000, cluster: { brokers: 3 }, topics: [{ name: 't', partitions: 1 }], producers: [{ name: 'p1', az: 'use1-az1', topic: 't', ratePerSec: 10 }] };
    expect(explored(kafka).has('linger.ms')).toBe(true);
    const stated = explored({ ...kafka, config: { 'linger.ms': 20 }, cluster: { brokers: 3, 'broker.rack': 'none' } });
    expect(stated.has('linger.ms')).toBe(false);
    expect(stated.has('broker.rack')).toBe(false);
  });
});
