// What a sweep keeps of each run and how a cell's runs become the cell's figures. The figures and
// their aggregation are the model's (its ModelSweep, src/scenario/model-sweep.ts); the engine adds
// each run's seed and trace hash, counts the runs, and hands the model the runs in seed order, so
// sums (floating point included) are taken in one fixed order and the figures do not depend on
// which worker finished first. The worst run has the largest value of the model's ranking figure,
// ties to the lowest seed.

import type { CellFigures, ModelSweep, SweptRunIdentity } from '../../scenario/model-sweep.ts';
import type { RunReport } from '../../scenario/run-report.ts';
import { judgeRun, VERDICT_CLASSES, type VerdictClass } from '../../scenario/verdict.ts';
import type { CellVerdict } from './sweep-result.ts';

/** One run as a sweep keeps it: its identity and the model's figures (plain JSON). */
export type SweptRun = SweptRunIdentity & Record<string, unknown>;

export function sweptRun(report: RunReport, sweep: ModelSweep): SweptRun {
  const notJudged = (report.notJudged ?? []).map((n) => n.property);
  return {
    seed: report.seed,
    traceHash: report.traceHash,
    violationsByClass: judgeRun(report.violations, []).counts,
    ...(notJudged.length > 0 ? { notJudged } : {}),
    ...sweep.runFigures(report),
  };
}

/**
 * The verdict rule over a cell's runs: how many fail under `failOn`, how many have violations of
 * each class, and per property how many could not judge it (neither failed nor passed: a run that
 * did not judge liveness is not counted as one that recovered).
 */
export function cellVerdict(runs: readonly SweptRunIdentity[], failOn: readonly VerdictClass[]): CellVerdict {
  const runsByClass = Object.fromEntries(VERDICT_CLASSES.map((c) => [c, 0])) as Record<VerdictClass, number>;
  const runsNotJudged: Record<string, number> = {};
  let runsFailed = 0;
  for (const r of runs) {
    for (const p of r.notJudged ?? []) runsNotJudged[p] = (runsNotJudged[p] ?? 0) + 1;
    const counts = r.violationsByClass;
    if (!counts) continue;
    for (const c of VERDICT_CLASSES) if (counts[c] > 0) runsByClass[c]++;
    if (failOn.some((c) => counts[c] > 0)) runsFailed++;
  }
  return { failOn: [...failOn], runsFailed, runsByClass, ...(Object.keys(runsNotJudged).length > 0 ? { runsNotJudged } : {}) };
}

function compareSeeds(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Runs in seed order (a copy). */
export function inSeedOrder<Run extends SweptRunIdentity>(runs: readonly Run[]): Run[] {
  return [...runs].sort((a, b) => compareSeeds(a.seed, b.seed));
}

/** A run's value of the ranking figure (0 when it has none). */
export function rankOf<Run extends SweptRunIdentity>(run: Run, sweep: ModelSweep<Run>): number {
  const value = run[sweep.worstRun.figure];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** The worst run: the largest ranking figure, ties to the lowest seed. `runs` must be in seed order. */
export function worstRunOf<Run extends SweptRunIdentity>(runs: readonly Run[], sweep: ModelSweep<Run>): Run {
  let worst = runs[0];
  for (const r of runs) if (rankOf(r, sweep) > rankOf(worst, sweep)) worst = r;
  return worst;
}

export function cellFigures<Run extends SweptRunIdentity>(runsAnyOrder: readonly Run[], sweep: ModelSweep<Run>): CellFigures {
  const runs = inSeedOrder(runsAnyOrder);
  const figures: CellFigures = { runs: runs.length };
  for (const f of sweep.figures) figures[f.key] = f.aggregate(runs);
  return figures;
}
