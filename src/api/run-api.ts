// ksim's library API: a run or a model check of a scenario from a user's own code and test suite,
// with the same scenario validation, verdict rule (src/scenario/verdict.ts) and engine as the CLI
// (resolve-scenario.ts, run-scenario.ts, explore/check-runner.ts, trace/trace-writer.ts). Only the
// output differs: plain typed objects instead of printed summaries.

import { MODELS } from '../../models/index.ts';
import { caseScenario, runCheck } from '../explore/check-runner.ts';
import { ksimCommandLine, runCommandLine } from '../explore/run-command-line.ts';
import type { CheckCase } from '../explore/check-case.ts';
import type { Fault } from '../faults/fault.ts';
import type { RunReport } from '../scenario/run-report.ts';
import type { ExploredOperation } from '../scenario/model-exploration.ts';
import { runResolved } from '../scenario/run-scenario.ts';
import { describeVerdict, flawsOf, judgeRun, parseFailOn, verdictClassOf, type FailOnTerms, type NotJudged, type VerdictClass } from '../scenario/verdict.ts';
import { recordTrace } from '../trace/trace-writer.ts';
import { resolve, scenarioObject, type ScenarioInput } from './scenario-input.ts';


export interface RunOptions {
  /** Root seed (overrides the scenario's). */
  seed?: number | string;
  /** `key=value` overrides, as `--set` takes them. */
  settings?: readonly string[];
  /**
   * Classes of violation that fail the run: breach, configuration, version, fault-load (default
   * breach, configuration); or flaws of the simulated version ("KIP-380": only the version findings
   * that blame it fail the run).
   */
  failOn?: FailOnTerms;
  /** Writes the run's trace here (replay with `ksim replay FILE`, view with `ksim timeline FILE`). */
  trace?: string;
  /**
   * For a scenario object: the file the repeat commands (runCommand, replayCommands) name as
   * `--scenario`, where the caller saves the object as JSON (default `<its name>.scenario.json`).
   */
  scenarioFile?: string;
}

/** The `--scenario` argument that repeats a run: a preset by name, an object by the file it is saved as. */
export function scenarioArgOf(scenario: ScenarioInput, options: { scenarioFile?: string }): string {
  if (typeof scenario === 'string') return scenario;
  return options.scenarioFile ?? `${typeof scenario.name === 'string' && scenario.name !== '' ? scenario.name : 'scenario'}.scenario.json`;
}

export interface ClassifiedViolation {
  /** The property violated ("lost-write", "poll-skip"...). */
  property: string;
  /** Its class under the verdict rule. */
  verdictClass: VerdictClass;
  /** The known flaws a version finding blames ("KIP-966"), as failOn may name them; empty for other classes. */
  flaws: string[];
  /** The partition it concerns, when it concerns one. */
  partition?: string;
  /** The explanation: what happened, to which records, and what permitted it (a setting, a KIP, the faults). */
  message: string;
  /** Every field the checker reported (records, offsets, causes...). */
  details: Record<string, unknown>;
}

export interface RunResult {
  seed: string;
  scenario: string;
  model: string;
  /** Pins every event of the run: the same scenario and seed give the same hash on any machine. */
  traceHash: string;
  virtualMs: number;
  events: number;
  violations: ClassifiedViolation[];
  verdict: {
    failed: boolean;
    failOn: FailOnTerms;
    /** The property of the violation that failed the run, or null. */
    decidedBy: string | null;
    /** That violation's index in `violations` (a property can have violations of several classes), or -1. */
    decidedByIndex: number;
    counts: Record<VerdictClass, number>;
    /** Properties the run could not judge, and why: neither passed nor failed, in no class. */
    notJudged: readonly NotJudged[];
    /** The verdict in one line, as `ksim run` prints it. */
    line: string;
  };
  /** Summary figures per checker (records sent, acked, lost; availability; latency...). */
  summary: Record<string, object>;
  /** The trace written (RunOptions.trace). */
  tracePath?: string;
  /** `ksim run` repeating this run (a scenario object named as RunOptions.scenarioFile). */
  runCommand: string;
  /** The engine's full report. */
  report: RunReport;
}

export function resultOf(report: RunReport, failOn: FailOnTerms, runCommand: string, tracePath?: string): RunResult {
  const verdict = judgeRun(report.violations, failOn, undefined, report.notJudged);
  return {
    seed: report.seed,
    scenario: report.scenario,
    model: report.model,
    traceHash: report.traceHash,
    virtualMs: report.virtualMs,
    events: report.events,
    violations: report.violations.map((v) => ({
      property: v.property,
      verdictClass: verdictClassOf(v),
      flaws: flawsOf(v),
      ...(typeof v.partition === 'string' ? { partition: v.partition } : {}),
      message: v.message,
      details: { ...v },
    })),
    verdict: { failed: verdict.failed, failOn: verdict.failOn, decidedBy: verdict.decidedBy?.property ?? null, decidedByIndex: verdict.decidedBy === null ? -1 : report.violations.indexOf(verdict.decidedBy), counts: verdict.counts, notJudged: verdict.notJudged, line: describeVerdict(verdict) },
    summary: report.analysis,
    ...(tracePath !== undefined ? { tracePath } : {}),
    runCommand,
    report,
  };
}

/**
 * Runs a scenario once (deterministic: the same scenario and seed give the same run and trace
 * hash) and judges it by the verdict rule.
 * @throws UserError for an invalid scenario or setting (one line naming the field and the fix).
 */
export function runScenario(scenario: ScenarioInput, options: RunOptions = {}): RunResult {
  const resolution = resolve(scenario, options);
  const failOn = options.failOn ?? parseFailOn(undefined);
  const report = options.trace !== undefined ? recordTrace(resolution, options.trace).report : runResolved(resolution);
  const command = runCommandLine({ scenarioArg: scenarioArgOf(scenario, options), settings: options.settings ?? [], seed: report.seed, tracePath: options.trace });
  return resultOf(report, failOn, command, options.trace);
}

/** `ksim run` repeating one generated case: the fixed settings, the case's settings, faults and operations. */
export function caseRunCommand(scenario: ScenarioInput, options: { settings?: readonly string[]; scenarioFile?: string }, c: CheckCase): string {
  const settings = [...(options.settings ?? []), ...c.settings, `faults=${JSON.stringify(c.faults)}`];
  // Generated operations run after the scenario's own: the run command states the merged list.
  if (c.operations.length > 0) settings.push(`operations=${JSON.stringify(caseScenario(scenarioObject(scenario), c).operations)}`);
  return runCommandLine({ scenarioArg: scenarioArgOf(scenario, options), settings, seed: c.runSeed });
}

export interface CheckScenarioOptions {
  /** Generated runs (default 100). */
  runs?: number;
  /** fast-check seed (default 1): the same seed explores the same runs. */
  seed?: number;
  /** With seed: replay the counterexample at this fast-check path instead of exploring. */
  path?: string;
  settings?: readonly string[];
  /** As RunOptions.failOn. */
  failOn?: FailOnTerms;
  /** Only violations of these properties fail a run (the others are still counted). */
  properties?: readonly string[];
  /**
   * Polled before every run, generated or shrinking: return true to stop after the run in progress
   * (the runs done so far count; a counterexample found is kept, shrunk as far as it got). The
   * engine has no clock: a time limit is the caller's, a deadline read from its own clock.
   */
  shouldStop?: () => boolean;
  /** Faults per generated schedule at most (default 4). */
  faultsMax?: number;
  /** Writes the counterexample's trace here. */
  trace?: string;
  /** As RunOptions.scenarioFile. */
  scenarioFile?: string;
}

export interface CheckResult {
  passed: boolean;
  runs: number;
  shrinkRuns: number;
  interrupted: boolean;
  seed: number;
  /** fast-check path of the counterexample (replay with checkScenario(s, { seed, path })). */
  path: string | null;
  counterexample: null | {
    /** The generated config settings, fault schedule, operations and run seed of the shrunk failing run. */
    settings: string[];
    faults: Fault[];
    /** Generated administrative operations (run after the scenario's own). */
    operations: ExploredOperation[];
    runSeed: string;
    run: RunResult;
    /** Commands that reproduce it: `ksim check ... --seed S --path P`, and `ksim replay TRACE` with a trace. */
    replayCommands: string[];
  };
  /** Situations the runs reached (coverage), runs per name. */
  coverage: Record<string, number>;
}

/**
 * Model-checks a scenario like `ksim check`: generated configurations and fault schedules, each
 * run judged by the verdict rule, a failure shrunk to the smallest failing run.
 * @throws UserError for an invalid scenario, setting or option.
 */
export function checkScenario(scenario: ScenarioInput, options: CheckScenarioOptions = {}): CheckResult {
  const failOn = options.failOn ?? parseFailOn(undefined);
  const outcome = runCheck({
    raw: scenarioObject(scenario),
    models: MODELS,
    settings: options.settings ?? [],
    runs: options.runs ?? 100,
    seed: options.seed ?? 1,
    path: options.path,
    shouldStop: options.shouldStop,
    faultsMax: options.faultsMax,
    properties: options.properties,
    failOn,
  });
  const cx = outcome.counterexample;
  let counterexample: CheckResult['counterexample'] = null;
  if (cx) {
    const report = options.trace !== undefined ? recordTrace(cx.resolution, options.trace).report : cx.report;
    const scenarioArg = scenarioArgOf(scenario, options);
    const caseArgs = ['--scenario', scenarioArg, ...(options.settings ?? []).flatMap((s) => ['--set', s]), ...(options.properties ?? []).flatMap((p) => ['--property', p])];
    const replayCommands = [ksimCommandLine(['check', ...caseArgs, '--seed', String(outcome.seed), '--path', outcome.path ?? ''])];
    if (options.trace !== undefined) replayCommands.unshift(ksimCommandLine(['replay', options.trace]));
    const run = resultOf(report, failOn, caseRunCommand(scenario, options, cx.case), options.trace);
    counterexample = { settings: cx.case.settings, faults: cx.case.faults, operations: cx.case.operations, runSeed: cx.case.runSeed, run, replayCommands };
  }
  return {
    passed: !outcome.failed,
    runs: outcome.runs,
    shrinkRuns: outcome.shrinkRuns,
    interrupted: outcome.interrupted,
    seed: outcome.seed,
    path: outcome.path,
    counterexample,
    coverage: outcome.coverage,
  };
}
