import { describe, expect, it } from 'vitest';
import type { Violation } from '../sim/model.ts';
import { DEFAULT_FAIL_ON, describeVerdict, flawLabelsOf, flawsOf, judgeRun, parseFailOn, parseFailOnTerms, verdictClassOf } from './verdict.ts';

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

  describe('a flaw named instead of the version class', () => {
    const FLAWS = ['KIP-101', 'KIP-380', 'KIP-966', 'KAFKA-15583'];
    const kip966: Violation = { ...version, property: 'lost-write', flaws: ['KIP-966'] };
    const kip380: Violation = { ...version, partition: 'orders-1', flaws: ['KIP-380'] };

    it('reads the flaws a finding blames, of any class: a breach may name the fix its version lacks', () => {
      expect(flawsOf(kip966)).toEqual(['KIP-966']);
      expect(flawsOf(version)).toEqual([]);
      const kip903 = { ...breach, flaws: ['KIP-903'] };
      expect(flawsOf(kip903)).toEqual(['KIP-903']);
      expect(judgeRun([kip903], parseFailOnTerms(['KIP-903'], [...FLAWS, 'KIP-903'])).decidedBy).toBe(kip903);
      expect(judgeRun([kip903], parseFailOnTerms(['KIP-380'], FLAWS)).failed).toBe(false);
    });

    it('a run blamed on KIP-966 does not fail under --fail-on KIP-380, and says what it found; it does under version and KIP-966', () => {
      const only380 = judgeRun([kip966], parseFailOnTerms(['KIP-380'], FLAWS));
      expect(only380.failed).toBe(false);
      expect(only380.flawsNotFailing).toEqual(['KIP-966']);
      expect(describeVerdict(only380)).toBe('verdict: passed under --fail-on KIP-380: 1 permitted by the simulated version (KIP-966) do not fail a run (see --fail-on)');
      expect(judgeRun([kip966], parseFailOnTerms(['version'], FLAWS)).decidedBy).toBe(kip966);
      expect(judgeRun([kip966], parseFailOnTerms(['kip-966'], FLAWS)).decidedBy).toBe(kip966);
      // the flaw named fails its own findings, beside the others
      const both = judgeRun([kip966, kip380], parseFailOnTerms(['breach,KIP-380'], FLAWS));
      expect(both.decidedBy).toBe(kip380);
      expect(describeVerdict(both)).toMatch(/^verdict: FAILED, decided by log-divergence of orders-1 \(permitted by the simulated version\) under --fail-on breach,KIP-380$/);
      // a finding with no flaws named is not failed by a flaw term
      expect(judgeRun([version], parseFailOnTerms(['KIP-380'], FLAWS)).failed).toBe(false);
      // the classes still fail as before
      expect(judgeRun([breach, kip966], parseFailOnTerms(['breach,KIP-380'], FLAWS)).decidedBy).toBe(breach);
    });

    it('a finding with two names of one flaw is counted once, under its label, and fails under either name', () => {
      const names = [...FLAWS, 'KIP-320', 'KAFKA-6880'];
      const zombie: Violation = { ...version, flaws: ['KIP-320', 'KAFKA-6880'], flawLabels: { 'KIP-320': 'KIP-320 (KAFKA-6880)', 'KAFKA-6880': 'KIP-320 (KAFKA-6880)' } };
      expect(flawLabelsOf(zombie)).toEqual(['KIP-320 (KAFKA-6880)']);
      expect(flawLabelsOf(zombie, ['KAFKA-6880'])).toEqual(['KIP-320 (KAFKA-6880)']);
      expect(flawLabelsOf(zombie, ['KIP-380'])).toEqual([]);
      // without labels, each name is its own
      expect(flawLabelsOf({ ...zombie, flawLabels: undefined })).toEqual(['KIP-320', 'KAFKA-6880']);
      const passed = judgeRun([zombie, kip966], parseFailOnTerms(['KIP-380'], names));
      expect(passed.flawsNotFailing).toEqual(['KIP-320 (KAFKA-6880)', 'KIP-966']);
      expect(describeVerdict(passed)).toBe('verdict: passed under --fail-on KIP-380: 2 permitted by the simulated version (KIP-320 (KAFKA-6880), KIP-966) do not fail a run (see --fail-on)');
      expect(judgeRun([zombie], parseFailOnTerms(['kafka-6880'], names)).decidedBy).toBe(zombie);
      expect(judgeRun([zombie], parseFailOnTerms(['KIP-320'], names)).decidedBy).toBe(zombie);
    });

    it('parses flaw names in any case, after the classes, each once; refuses an unknown one naming the valid ones', () => {
      expect(parseFailOnTerms(['kip-380,breach', 'KIP-380', 'KIP-101'], FLAWS)).toEqual(['breach', 'KIP-380', 'KIP-101']);
      expect(() => parseFailOnTerms(['KIP-381'], FLAWS)).toThrow(
        '--fail-on "KIP-381": unknown class or flaw (did you mean "KIP-380"?); use a comma list of breach, configuration, version, fault-load (or all, none), or a flaw the simulated versions have: KIP-101, KIP-380, KIP-966, KAFKA-15583',
      );
      // without a model's flaws (ksim sweep), a flaw name is an unknown class
      expect(() => parseFailOn(['KIP-380'])).toThrow(/--fail-on "KIP-380": unknown class; use/);
      expect(() => parseFailOnTerms(['none,KIP-380'], FLAWS)).toThrow(/cannot be combined/);
    });
  });
});
