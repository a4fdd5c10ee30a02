// `ksim check`: the model checker. Generates runs (swarm-sampled configs, explicit fault
// schedules, run seeds), checks every run's properties, and on a failure shrinks it to the
// smallest failing run, writes its trace to ksim-traces/ (named by scenario, property and hash;
// never the project's regression corpus), and prints both ways to reproduce it: `ksim replay
// TRACE` and `ksim check ... --seed S --path P`. Also prints a coverage table: how many runs
// reached each situation the model names, so a green result says what it covered.
//
// Runs are spread over --workers threads (src/explore/worker-check-engine.ts); the outcome, and so
// everything printed but the wall time and rate, is the same for any count.
//
// It talks while it works: the header at once, progress on stderr (check-progress.ts), and the
// loop lets the event loop turn between runs (check-loop.ts) so the command hears Ctrl-C. Ctrl-C, like
// --time-limit-s, stops the check after the runs (or shrink steps) in progress; the summary so far is
// printed and the smallest counterexample so far saved, with its reproduce commands (exit 130 for
// Ctrl-C). A second Ctrl-C quits at once, abandoning the runs in progress, after printing the
// summary so far from the last progress they reported (check-quit.ts).

import { Command } from 'commander';
import { MODELS } from '../../models/index.ts';
import { derivedSettingsOf, generatedRunLength, type CheckOptions, type GeneratedRunLength, type CheckOutcome, type CheckProgress } from '../explore/check-runner.ts';
import { quitSummary, quitSummaryJson } from './check-quit.ts';
import { saveCounterexample } from '../explore/counterexample-trace.ts';
import { addReproduction, crashedRunOf } from '../scenario/crashed-run.ts';
import { UserError } from '../scenario/user-error.ts';
import { EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK } from './cli-errors.ts';
import type { CliIo } from './cli-io.ts';
import { loadScenario } from './load-scenario.ts';
import { checkOutputDir } from '../files/output-file.ts';
import { checkPropertyNames } from './property-flags.ts';
import { ksimCommandLine, runCommandLine } from '../explore/run-command-line.ts';
import { addFailOnOption, FAIL_ON_EXPLAINED, parseFailOnFlag } from './fail-on-option.ts';
import { verdictJson } from './run-summary.ts';
import { formatFailOn, judgeRun } from '../scenario/verdict.ts';
import { resolveScenario } from '../scenario/resolve-scenario.ts';
import { startableCheck, type StartCheck } from './check-loop.ts';
import { integerFlag, workersFlag } from './integer-flag.ts';
import { checkProgressView, type CheckProgressView } from './check-progress.ts';
import { formatCheckReport, type CheckStop } from './check-report.ts';
import type { ThreadCpuMs } from '../explore/worker-thread-cpu.ts';

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
  workers?: string;
}

const DEFAULT_FAULTS_MAX = 4;
/** The model registry as a module, which each worker thread loads (the same as MODELS). */
const REGISTRY_URL = new URL('../../models/index.ts', import.meta.url).href;
/** Where counterexamples go unless --traces-dir says otherwise: not traces/, the regression corpus. */
const DEFAULT_TRACES_DIR = 'ksim-traces';
/** Explicit faults a generated run may get at most. */
const FAULTS_MAX_MAX = 64;

const EXAMPLES = `
Examples:
  $ npx ksim check                                            safe defaults: expect every run to pass
  $ npx ksim check --set unclean.leader.election.enable=true --set min.insync.replicas=1 --set acks=1
  $ npx ksim check --runs 500 --time-limit-s 60 --scenario my-cluster.json
  $ npx ksim check --seed 42 --path 17:3:0                    replay a reported counterexample
  $ npx ksim check --scenario check-small --set preset=apache --set kafkaVersion=2.1 --fail-on breach,KIP-380
                                                              hunt one known flaw of an old version

Each run draws its own settings from the model's exploration space (keys fixed with --set are not
explored), an explicit fault schedule, and a run seed. The scenario's own "faults" are replaced by
the generated schedule. On a failure the run is shrunk (fewer, earlier, shorter faults) and its
trace saved as ${DEFAULT_TRACES_DIR}/<scenario>-<property>-<trace hash>-<settings hash>.jsonl
(--traces-dir to change).

Runs are spread over --workers threads (default: the machine's cores), each kept alive across runs.
The result is the same for any count: the counterexample is the lowest-numbered failing run, shrunk
by the same steps, and the summary, JSON and trace are those of --workers 1.

Progress goes to stderr: a bar on a terminal, a line every few seconds otherwise. Ctrl-C, like
--time-limit-s, stops after the run in progress on each thread and prints the summary so far,
saving the smallest counterexample found; a second Ctrl-C quits at once.

${FAIL_ON_EXPLAINED} The runs that passed with violations are counted by class.

Exit codes: 0 no run failed (violations that do not fail a run are still counted and shown),
1 a counterexample was found, 2 bad input, 3 a bug in ksim, 130 stopped by Ctrl-C.`;

export function registerCheckCommand(program: Command, io: CliIo, done: (exitCode: number) => void): void {
  const command = program
    .command('check')
    .description('explore generated fault-injected runs, shrink and save any counterexample')
    .option('--scenario <file|preset>', 'base scenario (default: the built-in default scenario)')
    .option('--set <key=value>', 'fix a scenario or model config key for every run (repeatable)', collect)
    .option('--runs <n>', 'generated runs', '100')
    .option('--seed <n>', 'fast-check seed (default: drawn from the clock and printed)')
    .option('--path <p>', 'with --seed: replay the counterexample at this path')
    .option('--time-limit-s <s>', 'stop after this many seconds (as Ctrl-C does: the summary so far, the smallest counterexample so far)')
    .option('--faults-max <n>', 'most drawn entries (a fault, an operation, a composite) and most faults per generated run', String(DEFAULT_FAULTS_MAX))
    .option('--traces-dir <dir>', 'where to save counterexample traces', DEFAULT_TRACES_DIR)
    .option('--workers <n>', "worker threads the runs are spread over (default: the machine's cores; the result is the same for any count)")
    .option('--property <name>', 'only violations of this property fail a run (repeatable or a comma list; default: every property)', collectList)
    .option('--json', 'print one JSON object instead of the report');
  addFailOnOption(command)
    .addHelpText('after', EXAMPLES)
    .action(async (options: CheckCommandOptions) => done(await checkCommand(options, io)));
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** A repeatable flag whose value may also be a comma list, as --fail-on's is. */
function collectList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((v) => v.trim()).filter((v) => v !== '')];
}

interface CheckPlan {
  source: string;
  options: Omit<CheckOptions, 'onProgress' | 'shouldStop'>;
  timeLimitS?: number;
  /** Worker threads the runs are spread over (the outcome is the same for any count). */
  workers: number;
  /** --scenario, --set, --property and --faults-max as given: a (seed, path) replays only with the same ones. */
  caseArgs: string[];
  /** --workers and --traces-dir as given: how the runs are spread and where a counterexample goes, kept in every printed command. */
  runArgs: string[];
  /** --time-limit-s and --json as given: kept in the command that runs the same check again. */
  againArgs: string[];
}

function checkPlan(options: CheckCommandOptions): CheckPlan {
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
  const timeLimitS = options.timeLimitS === undefined ? undefined : integerFlag('time-limit-s', options.timeLimitS, 0, 1, 31_536_000, 'a year');
  const workers = workersFlag(options.workers);
  checkPropertyNames(loaded.raw, settings, options.property ?? [], MODELS);
  if (options.tracesDir !== undefined) checkOutputDir(options.tracesDir, `--traces-dir "${options.tracesDir}"`); // before the runs, not after
  const resolved = () => resolveScenario(loaded.raw, MODELS, { settings });
  const failOn = parseFailOnFlag(
    options.failOn,
    () => resolved().definition.versionFlaws ?? [],
    () => {
      const r = resolved();
      return r.definition.versionFlawsOf?.(r.scenario);
    },
  );
  return {
    source: loaded.source,
    options: { raw: loaded.raw as Record<string, unknown>, models: MODELS, settings, runs, seed, path: options.path, faultsMax, properties: options.property, failOn },
    timeLimitS,
    workers,
    caseArgs: [
      ...(options.scenario === undefined ? [] : ['--scenario', options.scenario]),
      ...settings.flatMap((s) => ['--set', s]),
      ...(options.property ?? []).flatMap((p) => ['--property', p]),
      ...(options.failOn !== undefined ? ['--fail-on', formatFailOn(failOn)] : []),
      ...(faultsMax !== DEFAULT_FAULTS_MAX ? ['--faults-max', String(faultsMax)] : []),
    ],
    runArgs: [
      ...(options.workers !== undefined ? ['--workers', String(workers)] : []),
      ...(options.tracesDir !== undefined && options.tracesDir !== DEFAULT_TRACES_DIR ? ['--traces-dir', options.tracesDir] : []),
    ],
    againArgs: [...(timeLimitS !== undefined ? ['--time-limit-s', String(timeLimitS)] : []), ...(options.json ? ['--json'] : [])],
  };
}

/** The --seed/--path command: a --path replay runs its one case in the main thread, so --workers is left out (the outcome is the same for any count). */
function checkReplayCommand(plan: CheckPlan, seed: number, path: string): string {
  const runArgs = plan.runArgs.filter((a, i, all) => a !== '--workers' && all[i - 1] !== '--workers');
  return ksimCommandLine(['check', ...plan.caseArgs, ...runArgs, '--seed', String(seed), '--path', path]);
}

/**
 * The check's outcome, or its error as the user should see it. A generated run that crashed gets
 * the `ksim check` command that generates it again, and the `ksim run` of the case itself (its
 * settings and fault schedule as --set pairs).
 */
async function explored(plan: CheckPlan, outcome: Promise<CheckOutcome>, scenarioArg: string | undefined): Promise<CheckOutcome> {
  const nowhere = () =>
    new UserError(`--path ${plan.options.path}: no generated case at that path for --seed ${plan.options.seed}; use the path ksim check printed, with the same --scenario, --set and --faults-max`);
  try {
    const out = await outcome;
    // a path past the runs fast-check would generate ran nothing: not a pass
    if (plan.options.path !== undefined && out.runs === 0 && !out.interrupted) throw nowhere();
    return out;
  } catch (e) {
    if (e instanceof UserError) throw e;
    // fast-check's word for a path that leads nowhere with these flags: the user's input.
    if (plan.options.path !== undefined && e instanceof Error && /^Unable to replay/.test(e.message)) throw nowhere();
    const run = crashedRunOf(e);
    if (!run?.check) throw e;
    addReproduction(e, checkReplayCommand(plan, run.check.seed, run.check.path));
    const settings = [...plan.options.settings, ...run.check.settings, `faults=${JSON.stringify(run.check.faults)}`];
    if (run.check.durationMs !== undefined) settings.push(`durationMs=${run.check.durationMs}`);
    if (run.check.operations) settings.push(`operations=${JSON.stringify(run.check.operations)}`);
    throw addReproduction(e, runCommandLine({ scenarioArg: scenarioArg ?? null, settings, seed: run.seed }));
  }
}

const STOPPING: Record<CheckStop, string> = {
  interrupt: 'Ctrl-C: stopping after the run in progress on each worker thread, then printing the summary so far and saving the smallest counterexample found (Ctrl-C again quits at once, with the counts so far and no counterexample saved)',
  'time-limit': 'time limit reached: stopping after the run in progress on each worker thread',
};

/** Runs the check with progress on stderr, stopped by Ctrl-C or the time limit. */
async function runInterruptibly(
  plan: CheckPlan,
  start: StartCheck,
  view: CheckProgressView | null,
  options: CheckCommandOptions,
  io: CliIo,
  progress: () => CheckProgress,
): Promise<{ outcome: CheckOutcome; stop: CheckStop | null }> {
  let stop: CheckStop | null = null;
  const stopAfterRun = (why: CheckStop) => {
    if (stop !== null) return;
    stop = why;
    view?.stopping(STOPPING[why]);
  };
  // The first Ctrl-C stops after the runs in progress; a second quits at once, saying what was found so far.
  let interrupts = 0;
  const unsubscribe = io.onInterrupt?.(() => {
    interrupts++;
    if (interrupts === 1) return stopAfterRun('interrupt');
    if (interrupts > 2 || !io.exitNow) return;
    view?.stop();
    const context = { runsAsked: plan.options.runs, seed: plan.options.seed, caseArgs: plan.caseArgs, runArgs: [...plan.runArgs, ...plan.againArgs] };
    io.out(options.json ? quitSummaryJson(progress(), context) : quitSummary(progress(), context));
    io.exitNow(EXIT_INTERRUPTED);
  });
  // Wall-clock time is the CLI's business: the check itself is only asked whether to stop.
  const timer = plan.timeLimitS === undefined ? undefined : setTimeout(() => stopAfterRun('time-limit'), plan.timeLimitS * 1000);
  view?.start();
  try {
    const outcome = await explored(plan, start(() => stop !== null), options.scenario);
    return { outcome, stop };
  } finally {
    clearTimeout(timer);
    unsubscribe?.();
    view?.stop();
  }
}

export async function checkCommand(options: CheckCommandOptions, io: CliIo): Promise<number> {
  const plan = checkPlan(options);
  const view = options.json ? null : checkProgressView(io, plan.options.runs);
  // The CPU of the runs by kind of thread (the workers, V8's helpers, this thread): JSON only, beside cpuMs.
  let threadCpu: ThreadCpuMs | null = null;
  let latest: CheckProgress = { runs: 0, shrinkRuns: 0, failures: 0, bestFaults: null };
  const onProgress = (p: CheckProgress) => {
    latest = p;
    view?.update(p);
  };
  const start = startableCheck({ ...plan.options, onProgress }, plan.workers, REGISTRY_URL, (cpu) => void (threadCpu = cpu)); // its input errors come before the header
  const runLength = generatedRunLength(resolveScenario({ ...plan.options.raw, faults: [] }, MODELS, { settings: plan.options.settings }), plan.options.settings);
  if (!options.json) io.out(`ksim check: ${plan.source}, seed ${plan.options.seed}\n${runLengthLine(runLength)}`);
  const wallStart = performance.now();
  // CPU of the whole process, every thread (getrusage): the worker threads, V8's compiler and GC
  // helpers and this thread; unlike the rate, it hardly depends on what else the machine runs.
  const cpuStart = process.cpuUsage();
  const { outcome, stop } = await runInterruptibly(plan, start, view, options, io, () => latest);
  const wallMs = performance.now() - wallStart;
  const cpu = process.cpuUsage(cpuStart);
  const cx = outcome.counterexample;
  const tracesDir = options.tracesDir ?? DEFAULT_TRACES_DIR;
  // Named after the violation that decided the run (under --property, the property asked for).
  const decidedBy = cx ? judgeRun(cx.report.violations, plan.options.failOn!, plan.options.properties, cx.report.notJudged).decidedBy?.property : undefined;
  const tracePath = cx ? saveCounterexample(cx, tracesDir, `--traces-dir "${tracesDir}"`, decidedBy) : null;
  // A stop that came after the last run stopped nothing.
  const stoppedBy = outcome.interrupted ? stop : null;
  const replayCommands = cx ? [ksimCommandLine(['replay', tracePath!]), checkReplayCommand(plan, outcome.seed, outcome.path!)] : [];
  const failOn = plan.options.failOn!;
  const derivedSettings = cx ? derivedSettingsOf(plan.options, cx.case) : [];
  if (options.json) {
    io.out(
      JSON.stringify({
        runs: outcome.runs,
        failures: cx ? 1 : 0,
        passed: !cx,
        failOn,
        passedWithViolations: outcome.passedWithViolations,
        interrupted: outcome.interrupted,
        stoppedBy,
        seed: outcome.seed,
        path: outcome.path,
        settings: plan.options.settings,
        runDurationMs: runLength.durationMs,
        runDurationLengthened: runLength.lengthened ?? null,
        counterexample: cx
          ? {
              settings: cx.case.settings,
              derivedSettings,
              faults: cx.case.faults,
              operations: cx.case.operations,
              runSeed: cx.case.runSeed,
              swarm: cx.case.swarm,
              aimedFaults: cx.report.aimedFaults ?? [],
              violations: cx.report.violations,
              verdict: verdictJson(judgeRun(cx.report.violations, failOn, plan.options.properties, cx.report.notJudged)),
              traceHash: cx.report.traceHash,
              faultCount: cx.case.faults.length,
              operationCount: cx.case.operations.length,
              modelStats: cx.report.stats.model,
            }
          : null,
        tracePath,
        replayCommands,
        shrinkRuns: outcome.shrinkRuns,
        coverage: outcome.coverage,
        wallMs: Math.round(wallMs),
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        cpuMsByThread: cpuByThread(threadCpu),
        runsPerSec: Math.round(((outcome.runs + outcome.shrinkRuns) / wallMs) * 1000 * 10) / 10,
      }) + '\n',
    );
  } else {
    io.out(formatCheckReport(outcome, { runsAsked: plan.options.runs, tracePath, failOn, properties: plan.options.properties, wallMs, stoppedBy, replayCommands, derivedSettings }));
  }
  if (stop === 'interrupt') return EXIT_INTERRUPTED;
  return cx ? EXIT_FAILED : EXIT_OK;
}

/** The header's line saying the runs were lengthened, and why; empty when they last what the scenario says. */
function runLengthLine(length: GeneratedRunLength): string {
  if (!length.lengthened) return '';
  const s = (ms: number) => `${ms / 1000} s`;
  return `runs last ${s(length.durationMs)}, not the scenario's ${s(length.lengthened.fromMs)} (${length.lengthened.reason}); --set durationMs to choose\n`;
}

/** The runs' CPU by kind of thread in whole milliseconds; null for a --path replay (one run, no pool) or without Linux's /proc. */
function cpuByThread(cpu: ThreadCpuMs | null): ThreadCpuMs | null {
  return cpu && { workers: Math.round(cpu.workers), main: Math.round(cpu.main), helpers: Math.round(cpu.helpers) };
}
