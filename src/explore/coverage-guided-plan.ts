// Coverage-guided search for `ksim check` (issue 14), the synchronous part: which runs a
// generation holds. A run that reached a situation no earlier run reached (a coverage name the
// model reports, or two names together for the first time) joins the corpus; later generations
// mostly mutate corpus schedules (schedule-mutation.ts) instead of drawing new ones, as AFL and
// libFuzzer keep inputs that found new edges (Zalewski, AFL's technical details; Böhme et al.,
// "Coverage-based Greybox Fuzzing as Markov Chain", CCS 2016).
//
// Determinism for any number of worker threads: runs come in generations of GENERATION_SIZE;
// generation g is planned from the corpus as it stood at the end of generation g-1 (runs offered
// in run order), and its mutations draw from one seeded stream in plan order. Threads only change
// when a run finishes, never what runs or in which order its results are taken.

import type { Fault } from '../faults/fault.ts';
import type { Choice } from '../sim/choice.ts';
import type { CheckCase } from './check-case.ts';
import { mutateSchedule, type Mutation, type MutationSpace } from './schedule-mutation.ts';

/** Runs per generation: fixed, so the plan does not depend on the thread count. */
export const GENERATION_SIZE = 16;
/** Share of a generation's runs that mutate a corpus schedule once the corpus holds one. */
const MUTATE_SHARE = 0.75;

/** How a run's case came about: drawn by fast-check (its path replays it), or a parent's mutant. */
export type Origin = { strategy: 'drawn'; path: string } | { strategy: Mutation; parentRun: number };

export interface PlannedRun {
  case: CheckCase;
  origin: Origin;
}

/** Fresh cases by fast-check path ("i" is generated run i), in order. */
export interface FreshCases {
  next(): { case: CheckCase; path: string };
}

/** Coverage names that say what the schedule was, not what the run reached (swarm-coverage.ts). */
const SCHEDULE_NAME = /^(swarm: |fault aimed at |composite: )/;

/** The runs that reached something new, in run order. */
export class CoverageCorpus {
  private readonly seen = new Set<string>();
  readonly entries: { run: number; case: CheckCase }[] = [];

  /** Offers a finished run: it joins when it reached a name, or a pair of names, no earlier run did. True if it joined. */
  offer(run: number, c: CheckCase, coverage: readonly string[]): boolean {
    const names = [...new Set(coverage.filter((n) => !SCHEDULE_NAME.test(n)))].sort();
    const keys = [...names];
    for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) keys.push(`${names[i]} + ${names[j]}`);
    const fresh = keys.filter((k) => !this.seen.has(k));
    for (const k of fresh) this.seen.add(k);
    if (fresh.length === 0) return false;
    this.entries.push({ run, case: c });
    return true;
  }
}

/** A mutant's swarm: its parent's, widened by the kinds and targets of the donor it took from. */
function mergedSwarm(a: CheckCase['swarm'], b: CheckCase['swarm']): CheckCase['swarm'] {
  if (!a || !b) return a ?? b;
  return { kinds: [...new Set([...a.kinds, ...b.kinds])], targets: [...new Set([...a.targets, ...b.targets])] };
}

/**
 * The runs of one generation: `size` runs, each a fresh case or (with MUTATE_SHARE, once `corpus`
 * holds entries) a mutant of a corpus entry, whose settings and run seed it keeps, with one or two
 * mutations of its schedule. Mutants take the faults they add or retarget from a fresh case (drawn
 * for that, not run). `corpus` is the corpus as of the end of the previous generation.
 */
export function planGeneration(size: number, corpus: readonly { run: number; case: CheckCase }[], fresh: FreshCases, space: MutationSpace, choice: Choice): PlannedRun[] {
  const out: PlannedRun[] = [];
  for (let i = 0; i < size; i++) {
    if (corpus.length === 0 || choice.unit() >= MUTATE_SHARE) {
      const f = fresh.next();
      out.push({ case: f.case, origin: { strategy: 'drawn', path: f.path } });
      continue;
    }
    const parent = corpus[choice.below(corpus.length)];
    const donor = fresh.next().case;
    let faults: Fault[] = parent.case.faults;
    let mutation: Mutation = 'shift';
    for (let m = 1 + choice.below(2); m > 0; m--) ({ faults, mutation } = mutateSchedule(faults, donor.faults, space, choice));
    out.push({
      case: { ...parent.case, faults, swarm: mergedSwarm(parent.case.swarm, donor.swarm) },
      origin: { strategy: mutation, parentRun: parent.run },
    });
  }
  return out;
}
