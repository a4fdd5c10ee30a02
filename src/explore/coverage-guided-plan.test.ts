// The corpus keeps the runs that reached a situation (or a pair of situations) no earlier run
// reached, ignoring names that only describe the schedule; a generation is all fresh draws until
// the corpus has entries, then mostly mutants of them, and the same plan for the same seed.
import { describe, expect, it } from 'vitest';
import type { Fault } from '../faults/fault.ts';
import { SeededChoices } from '../sim/seeded-choices.ts';
import type { CheckCase } from './check-case.ts';
import { CoverageCorpus, planGeneration, type FreshCases } from './coverage-guided-plan.ts';

const crash = (atMs: number, node: string): Fault => ({ atMs, kind: 'crash', node, durationMs: 1000 });
const caseOf = (faults: Fault[]): CheckCase => ({ settings: ['x=1'], runSeed: '7', faults, operations: [] });

describe('CoverageCorpus', () => {
  it('keeps a run with a new situation or a new pair, not a repeat or a schedule-only name', () => {
    const corpus = new CoverageCorpus();
    expect(corpus.offer(0, caseOf([]), ['a', 'swarm: 1 fault kind'])).toBe(true);
    expect(corpus.offer(1, caseOf([]), ['a'])).toBe(false);
    expect(corpus.offer(2, caseOf([]), ['a', 'swarm: 4+ fault kinds', 'fault aimed at leader'])).toBe(false);
    expect(corpus.offer(3, caseOf([]), ['b'])).toBe(true);
    expect(corpus.offer(4, caseOf([]), ['b', 'a'])).toBe(true); // the pair is new
    expect(corpus.offer(5, caseOf([]), ['a', 'b'])).toBe(false);
    expect(corpus.entries.map((e) => e.run)).toEqual([0, 3, 4]);
  });
});

/** Fresh cases: one crash each, at 100 ms times its index. */
function freshCases(): FreshCases & { taken: number } {
  const f = { taken: 0, next: () => ({ case: caseOf([crash(100 * f.taken, 'b2')]), path: String(f.taken++) }) };
  return f;
}
const space = { windowMs: 12_000, faultsMax: 4, durationsMs: [1500] };

describe('planGeneration', () => {
  it('draws every run fresh while the corpus is empty, by fast-check path in order', () => {
    const plan = planGeneration(5, [], freshCases(), space, new SeededChoices('1').stream('g'));
    expect(plan.map((p) => p.origin)).toEqual([0, 1, 2, 3, 4].map((i) => ({ strategy: 'drawn', path: String(i) })));
  });

  it('mostly mutates corpus runs, keeping their settings and run seed, the same plan for the same seed', () => {
    const corpus = [{ run: 3, case: { ...caseOf([crash(2000, 'b1')]), runSeed: '99' } }];
    const plan = (seed: string) => planGeneration(16, corpus, freshCases(), space, new SeededChoices(seed).stream('g'));
    const a = plan('1');
    expect(plan('1')).toEqual(a);
    const mutants = a.filter((p) => p.origin.strategy !== 'drawn');
    expect(mutants.length).toBeGreaterThan(8);
    expect(mutants.length).toBeLessThan(16);
    for (const m of mutants) {
      expect(m.origin).toMatchObject({ parentRun: 3 });
      expect(m.case.runSeed).toBe('99');
      expect(m.case.faults).not.toEqual([]);
    }
    expect(corpus[0].case.faults).toEqual([crash(2000, 'b1')]);
  });
});
