// A check case's arbitrary whose shrinking ends with absolute-time steps. fast-check shrinks the
// drawn entries (fault-schedule-arbitrary.ts), and half of them start a gap after the entry drawn
// before them: dropping that anchor moves the entry after it, so a fault or an operation that does
// nothing (an operation aimed at a leader at 0 ms, before there is one) can stay in a shrunk
// counterexample only because the next one is timed from it. Once fast-check's own candidates all
// pass, this arbitrary offers the greedy steps of schedule-shrink.ts on the case as it stands:
// each operation or fault dropped, each fault shortened or moved earlier, every other entry kept
// at its time. A case reached that way shrinks on by the same steps.
//
// The shrink tree stays a function of the case, so a counterexample still replays by its
// fast-check path: a node's candidates are fast-check's, in fast-check's order, then these.

import fc from 'fast-check';
import type { CheckCase } from './check-case.ts';
import { shrinkCandidates } from './schedule-shrink.ts';

/** What a value remembers to shrink from: fast-check's own context, or none once a greedy step took it. */
interface CaseContext {
  inner: unknown;
  greedy: boolean;
}

class AbsoluteShrinkArbitrary extends fc.Arbitrary<CheckCase> {
  constructor(private readonly inner: fc.Arbitrary<CheckCase>) {
    super();
  }

  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<CheckCase> {
    const v = this.inner.generate(mrng, biasFactor);
    return new fc.Value(v.value_, { inner: v.context, greedy: false } satisfies CaseContext);
  }

  canShrinkWithoutContext(value: unknown): value is CheckCase {
    return this.inner.canShrinkWithoutContext(value);
  }

  shrink(value: CheckCase, context: unknown): fc.Stream<fc.Value<CheckCase>> {
    const ctx = context as CaseContext | undefined;
    const greedy = fc.Stream.of(...shrinkCandidates(value)).map((c) => new fc.Value(c, { inner: undefined, greedy: true } satisfies CaseContext));
    if (ctx?.greedy) return greedy;
    const own = this.inner.shrink(value, ctx?.inner).map((v) => new fc.Value(v.value_, { inner: v.context, greedy: false } satisfies CaseContext));
    return own.join(greedy);
  }
}

/** The case arbitrary with absolute-time shrink steps after fast-check's own. */
export function withAbsoluteShrinks(inner: fc.Arbitrary<CheckCase>): fc.Arbitrary<CheckCase> {
  return new AbsoluteShrinkArbitrary(inner);
}
