// `ksim check`: the model checker. Generates runs (swarm-sampled configs, explicit fault
// schedules, run seeds), checks every run's properties, and on a failure shrinks it to the
// smallest failing run, writes its trace to traces/ (named by property and hash), and prints both
// ways to reproduce it: `ksim replay TRACE` and `ksim check ... --seed S --path P`. Also prints a
// coverage table: how many runs reached each situation the model names, so a green result says
// what it covered.

import * as path from 'node:path';
import { Command } from 'commander';
import { MODELS } from '../../models/index.ts';
import { runCheck, type CheckOptions, type CheckOutcome } from '../explore/check-runner.ts';
import { addReproduction, crashedRunOf } from '../scenario/crashed-run.ts';
import { UserError } from '../scenario/user-error.ts';
import { recordTrace } from '../trace/trace-writer.ts';
import { EXIT_FAILED, EXIT_OK } from './cli-errors.ts';
import type { CliIo } from './cli-io.ts';
import { loadScenario } from './load-scenario.ts';
import { checkOutputDir, ensureOutputDir } from '../files/output-file.ts';
import { checkPropertyNames } from './property-flags.ts';
import { runCommandLine, shellQuote } from '../explore/run-command-line.ts';
import { addFailOnOption, FAIL_ON_EXPLAINED } from './fail-on-option.ts';
import { verdictJson } from './run-summary.ts';
import { describeVerdict, formatFailOn, judgeRun, parseFailOn, VERDICT_CLASS_PHRASE, VERDICT_CLASSES } from '../scenario/verdict.ts';

interface CheckCommandOptions {
  scenario?: string;
  set?: string[];
  runs?: string;
  seed?: string;
  path?: string;
  timeLimitS?: string;
  faultsMax?: string;
  tracesDir?: string;
  property?: string[];
  json?: boolean;
  failOn?: string[];
}

const DEFAULT_FAULTS_MAX = 4;
/** Explicit faults a generated run may get at most. */
const FAULTS_MAX_MAX = 64;

const EXAMPLES = `
Examples:
  $ ksim check                                            safe defaults: expect every run to pass
  $ ksim check --set unclean.leader.election.enable=true --set min.insync.replicas=1 --set acks=1
  $ ksim check --runs 500 --time-limit-s 60 --scenario my-cluster.json
  $ ksim check --seed 42 --path 17:3:0                    replay a reported counterexample

Each run draws its own settings from the model's exploration space (keys fixed with --set are not
explored), an explicit fault schedule, and a run seed. The scenario's own "faults" are replaced by
the generated schedule. On a failure the run is shrunk (fewer, earlier, shorter faults) and saved.

${FAIL_ON_EXPLAINED} The runs that passed with violations are counted by class.

Exit codes: 0 no run failed (violations that do not fail a run are still counted and shown),
1 a counterexample was found, 2 bad input, 3 a bug in ksim.`;

export function registerCheckCommand(program: Command, io: CliIo, done: (exitCode: number) => void): void {
  const command = program
    .command('check')
    .description('explore generated fault-injected runs, shrink and save any counterexample')
    .option('--scenario <file|preset>', 'base scenario (default: the built-in default scenario)')
    .option('--set <key=value>', 'fix a scenario or model config key for every run (repeatable)', collect)
    .option('--runs <n>', 'generated runs', '100')
    .option('--seed <n>', 'fast-check seed (default: drawn from the clock and printed)')
    .option('--path <p>', 'with --seed: replay the counterexample at this path')
    .option('--time-limit-s <s>', 'stop generating runs after this many seconds')
    .option('--faults-max <n>', 'most explicit faults per generated run', String(DEFAULT_FAULTS_MAX))
    .option('--traces-dir <dir>', 'where to save counterexample traces', 'traces')
    .option('--property <name>', 'only violations of this property fail a run (repeatable; default: every property)', collect)
    .option('--json', 'print one JSON object instead of the report');
  addFailOnOption(command)
    .addHelpText('after', EXAMPLES)
    .action((options: CheckCommandOptions) => done(checkCommand(options, io)));
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** An integer flag within [min, max]; `why` says why max is where it is. */
function integerFlag(name: string, text: string | undefined, fallback: number, min: number, max: number, why: string): number {
  if (text === undefined) return fallback;
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new UserError(`--${name} ${JSON.stringify(text)}: expected an integer from ${min} to ${max}${why ? ` (${why})` : ''}`);
  return n;
}

interface CheckPlan {
  source: string;
  options: CheckOptions;
  /** --scenario, --set, --property and --faults-max as given: a (seed, path) replays only with the same ones. */
  caseArgs: string[];
}

function checkPlan(options: CheckCommandOptions, io: CliIo): CheckPlan {
  const loaded = loadScenario(options.scenario);
  if (options.path !== undefined && options.seed === undefined) throw new UserError('--path needs the --seed it was reported with');
  if (options.path !== undefined && !/^\d{1,9}(:\d{1,9})*$/.test(options.path))
    throw new UserError(`--path ${JSON.stringify(options.path)}: expected numbers separated by colons (e.g. 17:3:0), as ksim check printed it`);
  const settings = options.set ?? [];
  // Entropy enters here, in the CLI, and is printed so the exploration can be repeated. Seeds are
  // fast-check's 31-bit seeds: a larger one would silently be another seed.
  const seed = options.seed === undefined ? Math.floor(Math.random() * 0x7fffffff) : integerFlag('seed', options.seed, 0, 0, 0x7fffffff, "fast-check's seeds are 31-bit");
  const runs = integerFlag('runs', options.runs, 100, 1, 10_000_000, '');
  const faultsMax = integerFlag('faults-max', options.faultsMax, DEFAULT_FAULTS_MAX, 0, FAULTS_MAX_MAX, 'each is shrunk one by one');
  checkPropertyNames(loaded.raw, settings, options.property ?? [], MODELS);
  if (options.tracesDir !== undefined) checkOutputDir(options.tracesDir, `--traces-dir "${options.tracesDir}"`); // before the runs, not after
  const failOn = parseFailOn(options.failOn);
  const progress = io.isTty?.() && !options.json;
  return {
    source: loaded.source,
    options: {
      raw: loaded.raw as Record<string, unknown>,
      models: MODELS,
      settings,
      runs,
      seed,
      path: options.path,
      timeLimitS: options.timeLimitS === undefined ? undefined : integerFlag('time-limit-s', options.timeLimitS, 0, 1, 31_536_000, 'a year'),
      faultsMax,
      properties: options.property,
      failOn,
      onRun: progress
        ? (i) => {
            if (i % Math.max(1, Math.floor(runs / 20)) === 0) io.err(`\r  ${i}/${runs} runs`);
          }
        : undefined,
    },
    caseArgs: [
      ...(options.scenario === undefined ? [] : ['--scenario', options.scenario]),
      ...settings.flatMap((s) => ['--set', s]),
      ...(options.property ?? []).flatMap((p) => ['--property', p]),
      ...(options.failOn !== undefined ? ['--fail-on', formatFailOn(failOn)] : []),
      ...(faultsMax !== DEFAULT_FAULTS_MAX ? ['--faults-max', String(faultsMax)] : []),
    ],
  };
}

function checkReplayCommand(plan: CheckPlan, seed: number, path: string): string {
  return ['ksim', 'check', ...plan.caseArgs, '--seed', String(seed), '--path', path].map(shellQuote).join(' ');
}

/**
 * The exploration. A generated run that crashed gets the `ksim check` command that generates it
 * again, and the `ksim run` of the case itself (its settings and fault schedule as --set pairs).
 */
function explore(plan: CheckPlan, scenarioArg: string | undefined): CheckOutcome {
  try {
    return runCheck(plan.options);
  } catch (e) {
    // fast-check's word for a path that leads nowhere with these flags: the user's input.
    if (plan.options.path !== undefined && e instanceof Error && /^Unable to replay/.test(e.message))
      throw new UserError(
        `--path ${plan.options.path}: no generated case at that path for --seed ${plan.options.seed}; use the path ksim check printed, with the same --scenario, --set and --faults-max`,
      );
    const run = crashedRunOf(e);
    if (!run?.check) throw e;
    addReproduction(e, checkReplayCommand(plan, run.check.seed, run.check.path));
    const settings = [...plan.options.settings, ...run.check.settings, `faults=${JSON.stringify(run.check.faults)}`];
    throw addReproduction(e, runCommandLine({ scenarioArg: scenarioArg ?? null, settings, seed: run.seed }));
  }
}

export function checkCommand(options: CheckCommandOptions, io: CliIo): number {
  const plan = checkPlan(options, io);
  const wallStart = performance.now();
  const outcome = explore(plan, options.scenario);
  if (plan.options.onRun) io.err('\r');
  const wallMs = performance.now() - wallStart;

  const cx = outcome.counterexample;
  const tracePath = cx ? saveCounterexample(outcome, options.tracesDir ?? 'traces') : undefined;
  const replayCommands = cx ? [['ksim', 'replay', tracePath!].map(shellQuote).join(' '), checkReplayCommand(plan, outcome.seed, outcome.path!)] : [];
  if (options.json) {
    io.out(
      JSON.stringify({
        runs: outcome.runs,
        failures: cx ? 1 : 0,
        passed: !cx,
        failOn: plan.options.failOn,
        passedWithViolations: outcome.passedWithViolations,
        interrupted: outcome.interrupted,
        seed: outcome.seed,
        path: outcome.path,
        settings: plan.options.settings,
        counterexample: cx
          ? {
              settings: cx.case.settings,
              faults: cx.case.faults,
              runSeed: cx.case.runSeed,
              violations: cx.report.violations,
              verdict: verdictJson(judgeRun(cx.report.violations, plan.options.failOn!, plan.options.properties)),
              traceHash: cx.report.traceHash,
              faultCount: cx.case.faults.length,
              modelStats: cx.report.stats.model,
            }
          : null,
        tracePath: tracePath ?? null,
        replayCommands,
        shrinkRuns: outcome.shrinkRuns,
        coverage: outcome.coverage,
        wallMs: Math.round(wallMs),
        runsPerSec: Math.round(((outcome.runs + outcome.shrinkRuns) / wallMs) * 1000 * 10) / 10,
      }) + '\n',
    );
  } else {
    io.out(formatCheckReport(outcome, { source: plan.source, seed: plan.options.seed, wallMs, tracePath, replayCommands, plan }));
  }
  return cx ? EXIT_FAILED : EXIT_OK;
}

/**
 * Per class, the runs that passed with violations of that class: "3 runs had violations permitted
 * by the fault load alone (lost-write in 3): see --fail-on".
 */
function passedWithViolationsLines(o: CheckOutcome, plan: CheckPlan): string[] {
  const lines: string[] = [];
  const failOn = plan.options.failOn!;
  for (const cls of VERDICT_CLASSES) {
    const p = o.passedWithViolations[cls];
    if (p.runs === 0) continue;
    const props = Object.entries(p.properties)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([name, n]) => `${name} in ${n}`)
      .join(', ');
    const runs = `${p.runs} run${p.runs === 1 ? '' : 's'}`;
    const what = cls === 'breach' ? 'breaches' : cls === 'fault-load' ? 'violations permitted by the fault load alone' : `violations ${VERDICT_CLASS_PHRASE[cls]}`;
    const why = failOn.includes(cls) ? 'of properties not targeted by --property' : 'that do not fail a run: see --fail-on';
    lines.push(`    ${runs} had ${what} (${props}) ${why}`);
  }
  return lines;
}

/** traces/<property>-<hash>.jsonl, written atomically like every trace. */
function saveCounterexample(outcome: CheckOutcome, dir: string): string {
  const cx = outcome.counterexample!;
  ensureOutputDir(dir, `--traces-dir "${dir}"`);
  const property = cx.report.violations[0]?.property ?? 'violation';
  const file = path.join(dir, `${property.replace(/[^a-z0-9-]+/gi, '-')}-${cx.report.traceHash}.jsonl`);
  recordTrace(cx.resolution, file);
  return file;
}

function formatCheckReport(
  o: CheckOutcome,
  x: { source: string; seed: number; wallMs: number; tracePath?: string; replayCommands: string[]; plan: CheckPlan },
): string {
  const failOn = x.plan.options.failOn!;
  const lines: string[] = [];
  const rate = ((o.runs + o.shrinkRuns) / x.wallMs) * 1000;
  lines.push(`ksim check: ${x.source}, seed ${x.seed}`);
  lines.push(
    `  ${o.runs} run${o.runs === 1 ? '' : 's'}${o.shrinkRuns ? ` + ${o.shrinkRuns} shrinking` : ''} in ${(x.wallMs / 1000).toFixed(1)} s wall (${rate.toFixed(1)} runs/s)` +
      (o.interrupted ? ', stopped by the time limit' : ''),
  );
  const cx = o.counterexample;
  const passedWith = passedWithViolationsLines(o, x.plan);
  if (!cx) {
    if (passedWith.length === 0) lines.push('  every run passed: all checked properties hold');
    else lines.push(`  no run failed under --fail-on ${formatFailOn(failOn)}, but violations were found that do not fail a run:`, ...passedWith);
  } else {
    lines.push(`  COUNTEREXAMPLE after ${o.runs} run${o.runs === 1 ? '' : 's'}, shrunk to ${cx.case.faults.length} fault${cx.case.faults.length === 1 ? '' : 's'}:`);
    lines.push(`    settings: ${cx.case.settings.length ? cx.case.settings.join(' ') : '(none beyond --set)'}; run seed ${cx.case.runSeed}`);
    for (const f of cx.case.faults) lines.push(`    fault: ${JSON.stringify(f)}`);
    for (const v of cx.report.violations) lines.push(`    ${v.property}: ${v.message}`);
    lines.push(`    ${describeVerdict(judgeRun(cx.report.violations, failOn, x.plan.options.properties))}`);
    if (passedWith.length > 0) lines.push('  before it, runs that passed with violations that do not fail a run:', ...passedWith);
    lines.push(`  trace: ${x.tracePath}`);
    lines.push('  reproduce:');
    for (const c of x.replayCommands) lines.push(`    ${c}`);
  }
  const names = Object.keys(o.coverage).sort();
  lines.push('  coverage (runs that reached each situation):');
  if (names.length === 0) lines.push('    (none of the tracked situations was reached)');
  const width = Math.max(...names.map((n) => n.length), 10);
  for (const n of names)
    lines.push(`    ${n.padEnd(width)}  ${String(o.coverage[n]).padStart(6)}  ${((o.coverage[n] / Math.max(1, o.runs)) * 100).toFixed(0).padStart(3)}%`);
  return lines.join('\n') + '\n';
}
