// The cases of one `ksim check` by fast-check path, as fast-check itself generates and shrinks
// them: run i is path "i", shrink candidate j of the case at path P is "P:j" (fast-check's
// PathWalker). Generating run i alone only jumps the random generator i times, so any thread that
// holds the check's arbitrary and seed draws exactly the case the one-thread check (runCheck)
// would run at i: the worker threads draw the explored runs themselves (worker-check-task.ts),
// and the main thread draws only the shrink candidates and, once, a failing run's case.

import fc from 'fast-check';
import type { CheckCase } from './check-case.ts';

export class CaseSource {
  private readonly sampled: fc.IRawProperty<[CheckCase], false>;

  constructor(
    arb: fc.Arbitrary<CheckCase>,
    private readonly seed: number,
  ) {
    // The property runCheck checks; fc.sample reads a property, not an arbitrary, only when its
    // isAsync is an own field, hence the plain object around it.
    const p = fc.property(arb, (_c: CheckCase) => true);
    this.sampled = {
      isAsync: () => false,
      generate: (mrng, runId) => p.generate(mrng, runId),
      shrink: (value) => p.shrink(value),
      run: () => null,
      runBeforeEach: () => undefined,
      runAfterEach: () => undefined,
    };
  }

  /** Up to `count` cases from `path` on (fewer at the end of a shrink step). */
  take(path: string, count: number): CheckCase[] {
    return fc.sample(this.sampled, { seed: this.seed, path, numRuns: count }).map((v) => v[0]);
  }
}
