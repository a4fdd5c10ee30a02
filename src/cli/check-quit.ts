// What `ksim check` prints when a second Ctrl-C quits it at once: the first Ctrl-C asks the runs
// in progress to finish, the second abandons them. The full summary needs those runs (and the
// smallest counterexample is saved only from a finished one), so this is the summary so far from
// the last progress the runs reported: runs done, whether a run failed and how far its shrinking
// got, and the command that finds the same counterexample again (a check is deterministic: the
// same seed generates and shrinks the same runs).

import type { CheckProgress } from '../explore/check-runner.ts';
import { ksimCommandLine } from '../explore/run-command-line.ts';

interface QuitContext {
  runsAsked: number;
  seed: number;
  /** --scenario, --set, --property, --fail-on and --faults-max as given. */
  caseArgs: string[];
  /** --workers, --traces-dir, --time-limit-s and --json as given: how it ran and where its output went. */
  runArgs: string[];
}

/** The `ksim check` command that runs the same check again, every run of it. */
function sameCheckCommand(q: QuitContext): string {
  return ksimCommandLine(['check', ...q.caseArgs, ...q.runArgs, '--runs', String(q.runsAsked), '--seed', String(q.seed)]);
}

/** The human lines (each ending in a newline). */
export function quitSummary(p: CheckProgress, q: QuitContext): string {
  const lines = [`  quit at once by a second Ctrl-C, the runs in progress abandoned: ${p.runs} of ${q.runsAsked} runs done`];
  if (p.failures === 0) lines.push('  no run failed so far');
  else {
    lines.push(
      `  a run failed; shrinking stopped after ${p.shrinkRuns} shrink runs (smallest so far: ${p.bestFaults ?? '?'} faults or operations); ` +
        'no counterexample saved (a single Ctrl-C saves the smallest so far)',
    );
  }
  lines.push(`  the same check again (it finds the same runs): ${sameCheckCommand(q)}`);
  return lines.map((l) => `${l}\n`).join('');
}

/** The same as one JSON object, for --json. */
export function quitSummaryJson(p: CheckProgress, q: QuitContext): string {
  return (
    JSON.stringify({ interrupted: true, stoppedBy: 'second-interrupt', runs: p.runs, runsAsked: q.runsAsked, shrinkRuns: p.shrinkRuns, failures: p.failures, bestFaults: p.bestFaults, seed: q.seed, sameCheckCommand: sameCheckCommand(q) }) +
    '\n'
  );
}
