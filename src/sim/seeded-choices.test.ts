import { describe, expect, it } from 'vitest';
import { SeededChoices } from './seeded-choices.ts';
import { chance, exponential } from './choice.ts';

const draw = (c: { unit(): number }, n: number) => Array.from({ length: n }, () => c.unit());

describe('SeededChoices', () => {
  it('gives the same sequence for the same seed and stream name', () => {
    expect(draw(new SeededChoices('42').stream('net'), 20)).toEqual(draw(new SeededChoices('42').stream('net'), 20));
  });

  it('gives different sequences for different seeds and for different stream names', () => {
    const a = draw(new SeededChoices('42').stream('net'), 5);
    expect(draw(new SeededChoices('43').stream('net'), 5)).not.toEqual(a);
    expect(draw(new SeededChoices('42').stream('faults'), 5)).not.toEqual(a);
  });

  it('an extra draw in one stream does not shift another', () => {
    const plain = new SeededChoices('7');
    const net1 = draw(plain.stream('net'), 10);
    const disturbed = new SeededChoices('7');
    draw(disturbed.stream('workload'), 1000); // another subsystem draws a lot first
    expect(draw(disturbed.stream('net'), 10)).toEqual(net1);
  });

  it('below(n) stays in range and covers it', () => {
    const c = new SeededChoices('1').stream('x');
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = c.below(7);
      expect(Number.isInteger(v) && v >= 0 && v < 7).toBe(true);
      seen.add(v);
    }
    expect(seen.size).toBe(7);
  });

  it('chance and exponential have the requested statistics', () => {
    const c = new SeededChoices('3').stream('x');
    let hits = 0;
    for (let i = 0; i < 20000; i++) if (chance(c, 0.25)) hits++;
    expect(hits / 20000).toBeGreaterThan(0.23);
    expect(hits / 20000).toBeLessThan(0.27);
    let sum = 0;
    for (let i = 0; i < 20000; i++) sum += exponential(c, 100);
    expect(sum / 20000).toBeGreaterThan(95);
    expect(sum / 20000).toBeLessThan(105);
  });
});
