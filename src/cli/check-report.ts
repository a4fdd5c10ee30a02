// What `ksim check` prints when it ends, whatever ended it (all runs done, a counterexample, the
// time limit, Ctrl-C): runs and shrinking attempts with the rate, what stopped it early, the
// counterexample (its settings, faults, violations and verdict, where its trace is, how to
// reproduce it; its generated operations too) or the runs that passed with violations, and the coverage table. The header
// ("ksim check: SOURCE, seed S") is printed by the command when it starts, not here.

import type { CheckOutcome } from '../explore/check-runner.ts';
import type { CheckCase } from '../explore/check-case.ts';
import { describeVerdict, formatFailOn, judgeRun, VERDICT_CLASS_PHRASE, VERDICT_CLASSES, type FailOnTerms } from '../scenario/verdict.ts';

/** Why a check stopped before it was done: Ctrl-C, or --time-limit-s. */
export type CheckStop = 'interrupt' | 'time-limit';

const STOP_PHRASE: Record<CheckStop, string> = { interrupt: 'Ctrl-C', 'time-limit': 'the time limit' };

interface CheckReportContext {
  runsAsked: number;
  tracePath: string | null;
  failOn: FailOnTerms;
  properties?: readonly string[];
  wallMs: number;
  /** Set when the check stopped early (the outcome says interrupted). */
  stoppedBy: CheckStop | null;
  replayCommands: string[];
  /** The counterexample's keys that follow from the fixed ones, "key=value (source)" (derivedSettingsOf). */
  derivedSettings?: readonly string[];
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** "lost-write in 3, log-divergence in 1": names by runs, most first. */
function byRuns(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([name, n]) => `${name} in ${n}`)
    .join(', ');
}

/**
 * Per class, the runs that passed with violations of that class: "3 runs had violations permitted
 * by the fault load alone (lost-write in 3): see --fail-on"; for the version class, the flaws they
 * blame too (found but not failing under --fail-on KIP-380: "blaming KIP-966 in 3").
 */
function passedWithViolationsLines(o: CheckOutcome, failOn: FailOnTerms): string[] {
  const lines: string[] = [];
  for (const cls of VERDICT_CLASSES) {
    const p = o.passedWithViolations[cls];
    if (p.runs === 0) continue;
    const flaws = byRuns(p.flaws);
    const props = flaws === '' ? byRuns(p.properties) : `${byRuns(p.properties)}; blaming ${flaws}`;
    const what = cls === 'breach' ? 'breaches' : cls === 'fault-load' ? 'violations permitted by the fault load alone' : `violations ${VERDICT_CLASS_PHRASE[cls]}`;
    const why = failOn.includes(cls) ? 'of properties not targeted by --property' : 'that do not fail a run: see --fail-on';
    lines.push(`    ${plural(p.runs, 'run')} had ${what} (${props}) ${why}`);
  }
  return lines;
}

/** The coverage table: runs that reached each situation the model names. */
function coverageLines(coverage: CheckOutcome['coverage'], runs: number): string[] {
  const names = Object.keys(coverage).sort();
  const lines = ['  coverage (runs that reached each situation):'];
  if (names.length === 0) lines.push('    (none of the tracked situations was reached)');
  const width = Math.max(...names.map((n) => n.length), 10);
  for (const n of names)
    lines.push(`    ${n.padEnd(width)}  ${String(coverage[n]).padStart(6)}  ${((coverage[n] / Math.max(1, runs)) * 100).toFixed(0).padStart(3)}%`);
  return lines;
}

/**
 * A case's swarm subsets, as what the run enables: "fault kinds crash, hold; operations
 * preferred-leader-election; targets blind, roles (roles of orders-0)". A composite brings its own
 * fault and operations whatever kinds were drawn alone, so with composites on, they come first and
 * the kinds are said to be beside them ("fault kinds beside them (none)", not a bare "(none)" that
 * reads as no fault at all); targets are those of the faults and operations drawn alone, named
 * only when there are some.
 */
export function swarmPhrase(swarm: NonNullable<CheckCase['swarm']>): string {
  const list = (xs: readonly string[]) => (xs.length ? xs.join(', ') : '(none)');
  const focus = swarm.focus === undefined ? '' : ` (roles of ${swarm.focus})`;
  const composites = swarm.composites ?? [];
  const beside = composites.length > 0 ? ' beside them' : '';
  const parts = [`fault kinds${beside} ${list(swarm.kinds)}`];
  if (swarm.operations !== undefined) parts.push(`operations${beside} ${list(swarm.operations)}`);
  if (composites.length > 0) parts.unshift(`composites ${composites.join(', ')}, each a fault with the faults or operations it holds, aimed at the roles of ${swarm.focus ?? 'the run'}`);
  else if (swarm.composites !== undefined) parts.push('composites (none)');
  const alone = swarm.kinds.length + (swarm.operations?.length ?? 0);
  if (alone > 0 || composites.length === 0) parts.push(`targets ${swarm.targets.join(', ')}${swarm.targets.includes('roles') ? focus : ''}`);
  return parts.join('; ');
}

export function formatCheckReport(o: CheckOutcome, x: CheckReportContext): string {
  const lines: string[] = [];
  const rate = ((o.runs + o.shrinkRuns) / Math.max(1, x.wallMs)) * 1000;
  const stopped = x.stoppedBy === null ? '' : `, stopped by ${STOP_PHRASE[x.stoppedBy]}`;
  lines.push(`  ${plural(o.runs, 'run')}${o.shrinkRuns ? ` + ${o.shrinkRuns} shrinking` : ''} in ${(x.wallMs / 1000).toFixed(1)} s wall (${rate.toFixed(1)} runs/s)${stopped}`);
  const cx = o.counterexample;
  const passedWith = passedWithViolationsLines(o, x.failOn);
  if (!cx) {
    const done = x.stoppedBy === null ? 'every run' : `every run done (${o.runs} of ${x.runsAsked} asked)`;
    if (passedWith.length === 0) lines.push(`  ${done} passed: all checked properties hold`);
    else lines.push(`  no run ${x.stoppedBy === null ? '' : 'done '}failed under --fail-on ${formatFailOn(x.failOn)}, but violations were found that do not fail a run:`, ...passedWith);
  } else {
    const partial = x.stoppedBy === null ? '' : ` so far (shrinking stopped by ${STOP_PHRASE[x.stoppedBy]}: a smaller one may exist)`;
    const ops = cx.case.operations.length > 0 ? ` and ${plural(cx.case.operations.length, 'operation')}` : '';
    lines.push(`  COUNTEREXAMPLE after ${plural(o.runs, 'run')}, shrunk to ${plural(cx.case.faults.length, 'fault')}${ops}${partial}:`);
    lines.push(`    settings: ${cx.case.settings.length ? cx.case.settings.join(' ') : '(none beyond --set)'}; run seed ${cx.case.runSeed}`);
    if (x.derivedSettings !== undefined && x.derivedSettings.length > 0) lines.push(`    following from the fixed keys: ${x.derivedSettings.join(', ')}`);
    for (const f of cx.case.faults) lines.push(`    fault: ${JSON.stringify(f)}`);
    for (const op of cx.case.operations) lines.push(`    operation: ${JSON.stringify(op)}`);
    // Faults aimed at roles, as they fired: whom they hit ("crash: leader of orders-0 (b2)").
    for (const a of cx.report.aimedFaults ?? []) lines.push(`    aimed at ${a}`);
    // The subset the shrunk case draws from (shrinking narrows the swarm toward fewer kinds, as it
    // drops faults): the coverage table counts the generated runs, before shrinking.
    if (cx.case.swarm) lines.push(`    swarm (the kinds the shrunk case draws from): ${swarmPhrase(cx.case.swarm)}`);
    for (const v of cx.report.violations) lines.push(`    ${v.property}: ${v.message}`);
    lines.push(`    ${describeVerdict(judgeRun(cx.report.violations, x.failOn, x.properties, cx.report.notJudged))}`);
    if (passedWith.length > 0) lines.push('  before it, runs that passed with violations that do not fail a run:', ...passedWith);
    lines.push(`  trace: ${x.tracePath}`);
    lines.push('  reproduce:');
    for (const c of x.replayCommands) lines.push(`    ${c}`);
  }
  lines.push(...coverageLines(o.coverage, o.runs));
  return lines.join('\n') + '\n';
}
