// The fixture model and its checker: a correct detector recovers trust after every fault heals;
// one with sticky suspicions is caught; a fault still in force at the end is not held against it.
import { describe, expect, it } from 'vitest';
import { MODELS, SCENARIO_PRESETS } from '../index.ts';

const HEARTBEAT_SCENARIO = SCENARIO_PRESETS['heartbeat-az-outage'];
import { resolveScenario } from '../../src/scenario/resolve-scenario.ts';
import { runResolved } from '../../src/scenario/run-scenario.ts';

const run = (extra: Record<string, unknown>, settings: string[] = []) =>
  runResolved(resolveScenario({ ...HEARTBEAT_SCENARIO, ...extra }, MODELS, { settings }));

describe('heartbeat fixture', () => {
  it('suspects peers during faults and trusts everyone again once they heal', () => {
    const r = run({});
    expect(r.violations).toEqual([]);
    expect(r.stats.model.suspicions).toBeGreaterThan(0);
    expect(r.stats.model.recoveries).toBe(r.stats.model.suspicions);
  });

  it('eventual-trust catches a detector whose suspicions never clear', () => {
    const r = run({}, ['heartbeat.bug="sticky-suspicion"']);
    expect(r.violations.length).toBeGreaterThan(0);
    expect(r.violations[0].property).toBe('eventual-trust');
    expect(r.violations[0].message).toMatch(/still suspects/);
  });

  it('does not demand trust while a fault is still in force at the end', () => {
    const r = run({ faults: [{ atMs: 1000, kind: 'isolate-node', node: 'n2' }], durationMs: 5000 });
    expect(r.stats.model.suspicions).toBeGreaterThan(0);
    expect(r.violations).toEqual([]);
  });

  it('same seed, same hash; another seed, another hash', () => {
    expect(run({}).traceHash).toBe(run({}).traceHash);
    expect(run({ seed: '2' }).traceHash).not.toBe(run({}).traceHash);
  });
});
