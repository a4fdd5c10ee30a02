// Swarm sampling of settings (swarm-arbitrary.ts): each explored key gets one of its candidates a
// run, each as likely unless the model weighs them (ModelExploration.configWeights), and shrinks
// toward the first candidate either way.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { settingsArbitrary } from './swarm-arbitrary.ts';

const space = { 'a.ms': [null, 10], 'b.mode': ['x', 'y'] };
const share = (settings: string[][], setting: string) => settings.filter((s) => s.includes(setting)).length / settings.length;

describe('settingsArbitrary', () => {
  it('draws a weighted key by its weights, the other keys as before', () => {
    const plain = fc.sample(settingsArbitrary(space, []), { seed: 3, numRuns: 2000 });
    const weighted = fc.sample(settingsArbitrary(space, [], { 'a.ms': [9, 1] }), { seed: 3, numRuns: 2000 });
    expect(share(plain, 'a.ms=10')).toBeGreaterThan(0.3);
    expect(share(weighted, 'a.ms=10')).toBeGreaterThan(0.05);
    expect(share(weighted, 'a.ms=10')).toBeLessThan(0.15);
    // the unweighted key keeps its share
    expect(Math.abs(share(weighted, 'b.mode="y"') - share(plain, 'b.mode="y"'))).toBeLessThan(0.05);
    expect(share(fc.sample(settingsArbitrary(space, [], { 'a.ms': [1, 9] }), { seed: 3, numRuns: 2000 }), 'a.ms=10')).toBeGreaterThan(0.8);
  });

  it('shrinks a weighted key toward its first candidate', () => {
    const out = fc.check(
      fc.property(settingsArbitrary(space, ['b.mode'], { 'a.ms': [1, 9] }), () => false),
      { seed: 1 },
    );
    expect(out.counterexample?.[0]).toEqual([]);
  });

  it('refuses weights that do not give each candidate a positive integer', () => {
    expect(() => settingsArbitrary(space, [], { 'a.ms': [1] })).toThrow(/one positive integer per candidate/);
    expect(() => settingsArbitrary(space, [], { 'a.ms': [1, 0] })).toThrow(/one positive integer per candidate/);
  });
});
