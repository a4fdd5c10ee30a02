// The check loop on the ping fixture: a correct model passes, a broken one is caught, shrunk to a
// small case, and the (seed, path) pair replays exactly that case.
import { describe, expect, it } from 'vitest';
import { MODELS } from '../scenario/testing/fixture-registry.ts';
import { caseScenario, runCheck } from './check-runner.ts';

const raw = { model: 'ping', durationMs: 10_000 };

describe('runCheck', () => {
  it('passes every run of a correct model and counts coverage', () => {
    const out = runCheck({ raw, models: MODELS, settings: [], runs: 25, seed: 1 });
    expect(out.failed).toBe(false);
    expect(out.runs).toBe(25);
    expect(out.coverage['a peer lost']).toBeGreaterThan(0);
  });

  it('catches a broken model, shrinks the case, and replays it from (seed, path)', () => {
    const settings = ['ping.bug="never-forgive"'];
    const out = runCheck({ raw, models: MODELS, settings, runs: 100, seed: 1, faultsMax: 6 });
    expect(out.failed).toBe(true);
    const cx = out.counterexample!;
    expect(cx.report.violations[0].property).toBe('all-found');
    // one fault is enough to lose a peer for good; shrinking must find that
    expect(cx.case.faults.length).toBe(1);
    expect(out.shrinkRuns).toBeGreaterThan(0);

    const again = runCheck({ raw, models: MODELS, settings, runs: 100, seed: out.seed, path: out.path!, faultsMax: 6 });
    expect(again.failed).toBe(true);
    expect(again.counterexample!.case).toEqual(cx.case);
    expect(again.counterexample!.report.traceHash).toBe(cx.report.traceHash);
  });

  it('fails only on the targeted properties when given, still reporting the others', () => {
    const settings = ['ping.bug="never-forgive"'];
    const elsewhere = runCheck({ raw, models: MODELS, settings, runs: 20, seed: 1, properties: ['no-such-property'] });
    expect(elsewhere.failed).toBe(false);
    const targeted = runCheck({ raw, models: MODELS, settings, runs: 20, seed: 1, properties: ['all-found'] });
    expect(targeted.failed).toBe(true);
  });
});

describe('runCheck stopped by shouldStop', () => {
  it('stops exploring after the run in progress and reports progress after every run', () => {
    const seen: number[] = [];
    const out = runCheck({ raw, models: MODELS, settings: [], runs: 50, seed: 1, onProgress: (p) => seen.push(p.runs), shouldStop: () => seen.length >= 7 });
    expect(out.interrupted).toBe(true);
    expect(out.failed).toBe(false);
    expect(out.runs).toBe(7);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('stopped while shrinking, keeps the smallest failure so far, and its (seed, path) replays it', () => {
    const settings = ['ping.bug="never-forgive"'];
    const full = runCheck({ raw, models: MODELS, settings, runs: 100, seed: 1, faultsMax: 6 });
    expect(full.shrinkRuns).toBeGreaterThan(3);
    let shrinks = 0;
    let best: number | null = null;
    const stopped = runCheck({
      raw,
      models: MODELS,
      settings,
      runs: 100,
      seed: 1,
      faultsMax: 6,
      onProgress: (p) => {
        shrinks = p.shrinkRuns;
        best = p.bestFaults;
      },
      shouldStop: () => shrinks >= 2,
    });
    expect(stopped.interrupted).toBe(true);
    expect(stopped.failed).toBe(true);
    expect(stopped.runs).toBe(full.runs);
    expect(stopped.shrinkRuns).toBe(2);
    expect(stopped.counterexample!.case.faults.length).toBe(best);
    // the partial shrink is where the full one passed: the full path goes on from it
    expect(`${full.path}:`.startsWith(`${stopped.path}:`)).toBe(true);
    expect(full.counterexample!.case.faults.length).toBeLessThanOrEqual(best!);
    const again = runCheck({ raw, models: MODELS, settings, runs: 100, seed: 1, path: stopped.path!, faultsMax: 6 });
    expect(again.counterexample!.case).toEqual(stopped.counterexample!.case);
    expect(again.counterexample!.report.traceHash).toBe(stopped.counterexample!.report.traceHash);
  });
});

describe('caseArbitrary', () => {
  it('leaves keys fixed with --set out of exploration', async () => {
    const fc = (await import('fast-check')).default;
    const { caseArbitrary } = await import('./check-runner.ts');
    const explored = (settings: string[]) =>
      new Set(fc.sample(caseArbitrary({ raw, models: MODELS, settings, runs: 1, seed: 1 }), { seed: 1, numRuns: 30 }).flatMap((c) => c.settings.map((s) => s.split('=')[0])));
    expect(explored([]).has('ping.intervalMs')).toBe(true);
    expect(explored(['ping.intervalMs=70']).has('ping.intervalMs')).toBe(false);
  });
});

describe('caseScenario', () => {
  const op = (atMs: number, kind: string) => ({ atMs, kind });
  it("runs a case's generated operations after the scenario's own, and leaves a scenario without generated ones as it is", () => {
    const raw = { model: 'm', faults: [{ atMs: 1, kind: 'crash', node: 'a' }], operations: [op(500, 'own')] };
    const faults = [{ atMs: 2, kind: 'pause' as const, node: 'b', durationMs: 3 }];
    expect(caseScenario(raw, { faults, operations: [op(100, 'drawn')] })).toEqual({ model: 'm', faults, operations: [op(500, 'own'), op(100, 'drawn')] });
    expect(caseScenario({ model: 'm' }, { faults: [], operations: [op(100, 'drawn')] })).toEqual({ model: 'm', faults: [], operations: [op(100, 'drawn')] });
    expect(caseScenario({ model: 'm' }, { faults: [], operations: [] })).toEqual({ model: 'm', faults: [] });
    expect(caseScenario(raw, { faults: [], operations: [] }).operations).toEqual([op(500, 'own')]);
  });
});
