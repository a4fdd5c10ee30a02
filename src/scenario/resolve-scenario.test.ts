// Bad scenarios fail with one line naming the field; good ones resolve with every default stated.
import { describe, expect, it } from 'vitest';
import { MODELS } from './testing/fixture-registry.ts';
import { resolveScenario } from './resolve-scenario.ts';
import { UserError } from './user-error.ts';

const base = { model: 'ping', durationMs: 1000 };
function error(raw: unknown, settings: string[] = []): string {
  try {
    resolveScenario(raw, MODELS, { settings });
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    const msg = (e as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('resolveScenario', () => {
  it('fills in every default', () => {
    const { scenario } = resolveScenario(base, MODELS);
    expect(scenario.seed).toBe('1');
    expect(scenario.network.crossAz.latencyUsMean).toBeGreaterThan(scenario.network.sameAz.latencyUsMean);
    expect(scenario.limits.eventsMax).toBeGreaterThan(0);
    expect(scenario.noise.intervalMsMean).toBe(0);
    expect(scenario.faults).toEqual([]);
  });

  it('names unknown fields, wrong types, bad values and bad references', () => {
    expect(error({ ...base, netwrk: {} })).toMatch(/unknown field "netwrk"/);
    expect(error({ ...base, network: { lossRate: 2 } })).toMatch(/"network\.lossRate"/);
    // links are TCP connections: they never duplicate or reorder for the application
    expect(error({ ...base, network: { duplicateRate: 0.1 } })).toMatch(/^invalid scenario: "network\.duplicateRate": links are TCP connections, which never duplicate/);
    expect(error({ ...base, network: { reorderRate: 0.1 } })).toMatch(/"network\.reorderRate": links are TCP connections, which never reorder/);
    expect(error({ ...base, durationMs: 'long' })).toMatch(/"durationMs"/);
    expect(error({ ...base, faults: [{ atMs: 5, kind: 'meteor' }] })).toMatch(/faults\[0\]/);
    expect(error({ ...base, faults: [{ atMs: 5, kind: 'crash', node: 'zz' }] })).toMatch(
      /"faults\[0\]\.node": unknown node "zz"; nodes are n1, n2, n3/,
    );
    expect(error({ ...base, faults: [{ atMs: 5, kind: 'az-outage', az: 'mars' }] })).toMatch(/unknown AZ "mars"/);
    expect(error({ ...base, faults: [{ atMs: 5000, kind: 'heal' }] })).toMatch(/after durationMs/);
    expect(error({ ...base, model: 'zookeeper' })).toMatch(/unknown model "zookeeper"; use one of "ping"/);
    expect(error([1, 2])).toMatch(/must be a JSON object/);
  });

  it('says how to write a value of the wrong JSON type', () => {
    expect(error({ ...base, durationMs: '2500' })).toBe('invalid scenario: "durationMs": expected number, received string; write 2500, not "2500" (no quotes)');
    expect(error({ ...base, durationMs: true })).toBe('invalid scenario: "durationMs": expected number, received boolean; give a JSON number');
    expect(error({ ...base, durationMs: 'long' })).toBe('invalid scenario: "durationMs": expected number, received string; give a JSON number');
    // a field of more than one type names them all
    expect(error({ ...base, seed: true })).toBe('invalid scenario: "seed": expected string or number, received boolean; give a JSON string');
  });

  it('applies --set overrides, and rejects unknown keys and malformed pairs', () => {
    const { scenario } = resolveScenario(base, MODELS, { settings: ['network.lossRate=0.5', 'durationMs=2500'] });
    expect(scenario.network.lossRate).toBe(0.5);
    expect(scenario.durationMs).toBe(2500);
    expect(error(base, ['acks=1'])).toMatch(/unknown config key "acks"/);
    expect(error(base, ['lossRate'])).toMatch(/expected key=value/);
  });

  it('names every unknown field of a scenario in one line, outer ones first, each with the fields it is closest to', () => {
    expect(error({ ...base, network: { lossRat: 0.1, crossAz: { latencyUsMeen: 5 } }, durationMss: 5 })).toBe(
      'invalid scenario: unknown fields "durationMss" (did you mean "durationMs"?), "network.lossRat" (did you mean "lossRate"?), ' +
        '"network.crossAz.latencyUsMeen" (did you mean "latencyUsMean", "latencyUsMin" or "latencyUsMax"?); ' +
        `remove them or check the spelling: the README's "Scenario format" lists every field and config key`,
    );
    expect(error({ ...base, qqqqqq: 1 })).toMatch(/^invalid scenario: unknown field "qqqqqq"; remove it/);
  });

  it('a misspelt fault kind names the kind it is closest to, then every kind', () => {
    expect(error({ ...base, faults: [{ atMs: 1, kind: 'crsh', node: 'n1' }] })).toMatch(/^invalid scenario: "faults\[0\]\.kind" must be one of the fault kinds \(did you mean "crash"\?\): partition, .*az-restore$/);
    expect(error({ ...base, faults: [{ atMs: 1, kind: 'qqqqqq', node: 'n1' }] })).toMatch(/must be one of the fault kinds: partition/);
  });

  it('an unknown --set key names the closest keys, not every key', () => {
    expect(error(base, ['durationMss=1000'])).toBe(
      `--set durationMss: unknown config key "durationMss" (did you mean "durationMs"?); the README's "Scenario format" lists every field and config key`,
    );
  });

  it('a number out of range names its range and the value given; an infinite one is refused as such', () => {
    expect(error({ ...base, durationMs: -5 })).toBe('invalid scenario: "durationMs" must be more than 0 (got -5); give a value > 0');
    expect(error(base, ['durationMs=-5'])).toContain('"durationMs" must be more than 0 (got -5)');
    // one bound for a field that must be positive: 0 and -5 read alike
    expect(error(base, ['durationMs=0'])).toBe('--set durationMs=0: "durationMs" must be more than 0 (got 0); give a value > 0');
    expect(error({ ...base, network: { crossAz: { latencyUsMean: -5 } } })).toContain('must be at least 0 (got -5)');
    expect(error(base, ['durationMs=1e999'])).toBe("--set durationMs: 1e999 is beyond any finite number; give a value in the field's range");
  });

  it('an error a flag caused in a field it did not write names that flag; the scenario\'s own errors stay its own', () => {
    // the flag wrote limits.virtualMsMax; the error is about durationMs, which only the flag made too long
    expect(error(base, ['network.lossRate=0.1', 'limits.virtualMsMax=500'])).toBe(
      '--set limits.virtualMsMax=500: "durationMs" is 1000, more than limits.virtualMsMax 500; shorten it or raise limits.virtualMsMax',
    );
    // a scenario invalid without flags keeps its own error, whatever flags come with it
    expect(error({ ...base, durationMs: 900_000_000 }, ['network.lossRate=0.1'])).toMatch(/^invalid scenario: "durationMs" is 900000000/);
    // a flag that wrote the field itself is named, not the one that set the limit
    expect(error(base, ['durationMs=2000', 'limits.virtualMsMax=1500'])).toMatch(/^--set durationMs=2000: "durationMs" is 2000/);
  });

  it('an empty --seed is named as the flag', () => {
    expect(() => resolveScenario(base, MODELS, { seed: '' })).toThrow('--seed "": "seed": a non-empty string, or a whole number');
  });

  it('a --seed option overrides the scenario seed', () => {
    expect(resolveScenario({ ...base, seed: 9 }, MODELS, { seed: '77' }).scenario.seed).toBe('77');
    expect(resolveScenario({ ...base, seed: 9 }, MODELS).scenario.seed).toBe('9');
  });
});
