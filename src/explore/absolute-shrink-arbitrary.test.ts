// The absolute-time shrink steps after fast-check's own: a case whose drawn entries fast-check
// cannot take apart (here an arbitrary with no shrinks at all, as a linked entry is for its anchor)
// still loses the operation and the fault the failure does not need and shortens the one it needs;
// the shrunk case replays by its fast-check path; a case fast-check shrinks fully needs no step.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fault } from '../faults/fault.ts';
import type { CheckCase } from './check-case.ts';
import { withAbsoluteShrinks } from './absolute-shrink-arbitrary.ts';

const NEEDED: Fault = { atMs: 3000, kind: 'power-loss', node: 'b2', durationMs: 1 };
const DRAWN: CheckCase = {
  settings: [],
  runSeed: '1',
  // A shutdown at 0 ms aimed at a leader there is not yet, and a cut the failure does not need.
  operations: [{ atMs: 0, kind: 'controlled-shutdown', broker: '@leader:orders-0', durationMs: 1 }],
  faults: [{ atMs: 111, kind: 'partition', groups: [['b2'], ['b1', 'b3']], durationMs: 4000 }, NEEDED],
};

/** Fails while the power loss of b2 is there, whatever else the case holds. */
const fails = (c: CheckCase) => !c.faults.some((f) => f.kind === 'power-loss' && f.node === 'b2');

describe('withAbsoluteShrinks', () => {
  it('drops what the failure does not need at absolute times where fast-check offers nothing, and replays by path', () => {
    const unshrinkable = fc.constant(DRAWN);
    const plain = fc.check(fc.property(unshrinkable, fails), { seed: 1, numRuns: 1 });
    expect(plain.counterexample?.[0]).toEqual(DRAWN); // fast-check alone keeps everything

    const details = fc.check(fc.property(withAbsoluteShrinks(unshrinkable), fails), { seed: 1, numRuns: 1 });
    const shrunk = details.counterexample![0];
    expect(shrunk.operations).toEqual([]);
    // The needed fault stays at its time (moving it earlier still fails, so it moves: 3000 -> 0).
    expect(shrunk.faults).toHaveLength(1);
    expect(shrunk.faults[0]).toMatchObject({ kind: 'power-loss', node: 'b2', durationMs: 1 });

    const replayed = fc.check(fc.property(withAbsoluteShrinks(unshrinkable), fails), { seed: 1, numRuns: 1, path: details.counterexamplePath! });
    expect(replayed.counterexample?.[0]).toEqual(shrunk);
  });

  it('a failure that needs a fault at its time keeps that time; fast-check\'s own shrinks come first', () => {
    const atItsTime = (c: CheckCase) => !c.faults.some((f) => f.kind === 'power-loss' && f.atMs === 3000);
    const details = fc.check(fc.property(withAbsoluteShrinks(fc.constant(DRAWN)), atItsTime), { seed: 1, numRuns: 1 });
    expect(details.counterexample![0].faults).toEqual([NEEDED]);

    // An arbitrary fast-check shrinks itself: the integer shrinks to its bound by fast-check's steps.
    const withCount = fc.integer({ min: 0, max: 1000 }).map((n): CheckCase => ({ ...DRAWN, runSeed: String(n) }));
    const bySeed = fc.check(fc.property(withAbsoluteShrinks(withCount), (c) => Number(c.runSeed) < 500), { seed: 3, numRuns: 100 });
    expect(bySeed.counterexample![0].runSeed).toBe('500');
  });
});
