import { describe, expect, it } from 'vitest';
import { EnumeratedChoices } from './enumerated-choices.ts';

describe('EnumeratedChoices', () => {
  it('walks every choice sequence of a small tree exactly once', () => {
    // a "run": choose a in [0,3); if a == 2 choose b in [0,2) as well
    const e = new EnumeratedChoices({ depthMax: 10, unitSteps: 4 });
    const seen: string[] = [];
    do {
      const c = e.stream('any');
      const a = c.below(3);
      const b = a === 2 ? c.below(2) : -1;
      seen.push(`${a}/${b}`);
    } while (e.advance());
    expect(seen).toEqual(['0/-1', '1/-1', '2/0', '2/1']);
  });

  it('discretises unit() into midpoints and stops enumerating past depthMax', () => {
    const e = new EnumeratedChoices({ depthMax: 1, unitSteps: 2 });
    const seen: number[][] = [];
    do {
      const c = e.stream('any');
      seen.push([c.unit(), c.unit()]);
    } while (e.advance());
    expect(seen).toEqual([
      [0.25, 0.25],
      [0.75, 0.25],
    ]);
  });
});
