import { describe, expect, it } from 'vitest';
import type { Violation } from '../sim/model.ts';
import { DEFAULT_FAIL_ON, describeVerdict, judgeRun, parseFailOn, verdictClassOf } from './verdict.ts';

const breach: Violation = { property: 'lost-write', message: 'breach (x): ...', classification: 'breach', partition: 'orders-1' };
const config: Violation = { property: 'lost-write', message: 'permitted ...', classification: 'permitted', permittedBy: 'configuration', partition: 'orders-0' };
const version: Violation = { property: 'log-divergence', message: 'permitted ...', classification: 'permitted', permittedBy: 'version', partition: 'orders-0' };
const faultLoad: Violation = { property: 'lost-write', message: 'permitted ...', classification: 'permitted', permittedBy: 'fault-load', partition: 'orders-2' };
const unclassified: Violation = { property: 'eventual-trust', message: 'n1 still suspects n2' };

describe('the verdict rule', () => {
  it('classes violations by classification and permittedBy; unclassified is a breach', () => {
    expect([breach, config, version, faultLoad, unclassified].map(verdictClassOf)).toEqual(['breach', 'configuration', 'version', 'fault-load', 'breach']);
    // A permitted finding that does not say by what is permitted by the configuration.
    expect(verdictClassOf({ property: 'x', message: '', classification: 'permitted' })).toBe('configuration');
  });

  it('fails on breaches and configuration by default, naming the most severe violation', () => {
    expect(DEFAULT_FAIL_ON).toEqual(['breach', 'configuration']);
    const v = judgeRun([faultLoad, config, breach], DEFAULT_FAIL_ON);
    expect(v.failed).toBe(true);
    expect(v.decidedBy).toBe(breach);
    expect(v.counts).toEqual({ breach: 1, configuration: 1, version: 0, 'fault-load': 1 });
    expect(describeVerdict(v)).toBe('verdict: FAILED, decided by lost-write of orders-1 (breach) under --fail-on breach,configuration');
  });

  it('passes a run whose violations are all of classes not in --fail-on, and says so', () => {
    const v = judgeRun([faultLoad, version], DEFAULT_FAIL_ON);
    expect(v.failed).toBe(false);
    expect(v.decidedBy).toBeNull();
    expect(describeVerdict(v)).toBe(
      'verdict: passed under --fail-on breach,configuration: 1 permitted by the simulated version, 1 permitted by the fault load do not fail a run (see --fail-on)',
    );
    const strict = judgeRun([faultLoad, version], parseFailOn(['all']));
    expect(strict.decidedBy).toBe(version);
  });

  it('with --property, only the targeted properties fail a run', () => {
    expect(judgeRun([breach], DEFAULT_FAIL_ON, ['duplicate']).failed).toBe(false);
    expect(judgeRun([breach], DEFAULT_FAIL_ON, ['lost-write']).failed).toBe(true);
  });

  it('parses --fail-on as comma lists, repeatable, in the rule order; refuses unknown classes', () => {
    expect(parseFailOn(undefined)).toEqual(['breach', 'configuration']);
    expect(parseFailOn(['fault-load,breach'])).toEqual(['breach', 'fault-load']);
    expect(parseFailOn(['version', 'breach'])).toEqual(['breach', 'version']);
    expect(parseFailOn(['none'])).toEqual([]);
    expect(judgeRun([breach], parseFailOn(['none'])).failed).toBe(false);
    expect(() => parseFailOn(['breaches'])).toThrow(/--fail-on "breaches": unknown class; use a comma list of breach, configuration, version, fault-load/);
    expect(() => parseFailOn(['none,breach'])).toThrow(/cannot be combined/);
  });
});
