// The model checker's loop: generate runs (swarm-sampled configs, an explicit fault schedule, a
// run seed) with fast-check, run each through the simulator, fail a run by the one verdict rule
// (src/scenario/verdict.ts: the classes in --fail-on, by default breaches and violations the
// configuration permits), count the violations of passing runs by class, and let
// fast-check shrink a failure to the smallest run that still fails. A failure is reproducible two
// ways: its (seed, path) replays the generated case through fast-check, and the case itself is a
// plain scenario that `ksim run` or a trace replays.
//
// Coverage counts what the runs reached (as named by the model), over the generated runs only,
// not the shrinking attempts, so a user sees what a green result actually exercised.
//
// The loop is synchronous and knows no clock: whoever drives it reports progress through
// `onProgress` (after every run, shrinking included) and stops it through `shouldStop` (polled
// before every run). A stop ends the exploration, or the shrinking, after the run in progress, as
// fast-check's own time limit does: the counterexample is then the smallest found so far, and its
// (seed, path) still replays exactly that case.

import fc from 'fast-check';
import { withAbsoluteShrinks } from './absolute-shrink-arbitrary.ts';
import type { Fault } from '../faults/fault.ts';
import type { ModelDefinition } from '../scenario/model-definition.ts';
import { keysLeftAlone, type CompositeArbitraries, type ExploredOperation, type ModelExploration, type OperationArbitraries, type OperationSpace } from '../scenario/model-exploration.ts';
import { resolveScenario, type Resolution } from '../scenario/resolve-scenario.ts';
import type { RunReport } from '../scenario/run-report.ts';
import { runResolved } from '../scenario/run-scenario.ts';
import { markCheckCase } from '../scenario/crashed-run.ts';
import { UserError } from '../scenario/user-error.ts';
import { DEFAULT_FAIL_ON, flawLabelsOf, judgeRun, VERDICT_CLASSES, verdictClassOf, type FailOnTerms, type VerdictClass } from '../scenario/verdict.ts';
import { faultScheduleArbitrary } from './fault-schedule-arbitrary.ts';
import type { CheckCase } from './check-case.ts';
import { settingKey, settingsArbitrary } from './swarm-arbitrary.ts';
import { scheduleCoverage } from './swarm-coverage.ts';

export interface CheckOptions {
  /** The base scenario (its own explicit faults are replaced by generated ones). */
  raw: Record<string, unknown>;
  models: readonly ModelDefinition[];
  /** --set pairs: fixed for every run, left out of exploration. */
  settings: readonly string[];
  runs: number;
  /** fast-check seed. */
  seed: number;
  /** fast-check path: replays the case at that path (with seed) instead of exploring. */
  path?: string;
  faultsMax?: number;
  /** Only violations of these properties fail a run (default: all); others are still reported. */
  properties?: readonly string[];
  /** Which classes of violation fail a run (src/scenario/verdict.ts; default: breach, configuration). */
  failOn?: FailOnTerms;
  /**
   * Runs last what the scenario says, never lengthened (generatedRunLength): for the API's
   * arbitraries, whose fault schedules and configs a user runs on the scenario as given.
   */
  keepScenarioDuration?: boolean;
  /** Called after every run, generated or shrinking. */
  onProgress?(progress: CheckProgress): void;
  /** Polled before every run, generated or shrinking: true stops the check after the run in progress. */
  shouldStop?(): boolean;
}

/** Where a check stands, after each run. */
export interface CheckProgress {
  /** Generated runs done (shrinking attempts not included). */
  runs: number;
  shrinkRuns: number;
  /** Generated runs that failed: 0, or 1 once a counterexample was found (shrinking follows it). */
  failures: number;
  /** Explicit faults and generated operations of the smallest failing run so far; null before any run failed. */
  bestFaults: number | null;
}

export interface Counterexample {
  case: CheckCase;
  resolution: Resolution;
  report: RunReport;
}

export interface CheckOutcome {
  /** Generated runs executed (shrinking attempts not included). */
  runs: number;
  shrinkRuns: number;
  failed: boolean;
  /** Stopped early by `shouldStop`: fewer runs than asked, or a counterexample not fully shrunk. */
  interrupted: boolean;
  seed: number;
  path: string | null;
  counterexample: Counterexample | null;
  /** Situation name -> runs that reached it. */
  coverage: Record<string, number>;
  /**
   * Generated runs that passed although they had violations, by the class that let them pass
   * (not in --fail-on, or not a --property target), with the properties involved: what a green
   * result did not fail on, so it is never hidden.
   */
  passedWithViolations: Record<VerdictClass, PassedWithViolations>;
}

export interface PassedWithViolations {
  runs: number;
  /** Property -> runs in which it was violated in this class. */
  properties: Record<string, number>;
  /** The version class: flaw ("KIP-966") -> runs with a finding that blames it. */
  flaws: Record<string, number>;
}

/**
 * The scenario a case stands for: the base with the case's settings, seed and faults, and its
 * operations after the scenario's own (the `operations` list of the scenario; untouched when the
 * case has none, so a model without operations never sees the key).
 */
export function resolveCase(opts: Pick<CheckOptions, 'raw' | 'models' | 'settings'>, c: CheckCase): Resolution {
  return resolveScenario(caseScenario(opts.raw, c), opts.models, {
    settings: [...opts.settings, ...c.settings],
    seed: c.runSeed,
  });
}

/** The base scenario with the case's faults and operations (not its settings or seed). */
export function caseScenario(raw: Record<string, unknown>, c: Pick<CheckCase, 'faults' | 'operations' | 'durationMs'>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw, faults: c.faults };
  if (c.durationMs !== undefined) out.durationMs = c.durationMs;
  if (c.operations.length > 0) out.operations = mergedOperations(raw, c.operations);
  return out;
}

/** The scenario's own operations, then the case's. */
function mergedOperations(raw: Record<string, unknown>, generated: readonly ExploredOperation[]): unknown[] {
  return [...(Array.isArray(raw.operations) ? (raw.operations as unknown[]) : []), ...generated];
}

/**
 * The keys exploration left to the model because they follow from a fixed one (derivedKeys: Kafka's
 * producer derives enable.idempotence from acks, say), each with the value case `c` ran with and
 * where it came from, as "key=value (source)", once per distinct value and source. A finding
 * "permitted by the configuration" may hang on one of them though no setting of the case names it.
 */
export function derivedSettingsOf(opts: Pick<CheckOptions, 'raw' | 'models' | 'settings'>, c: CheckCase): string[] {
  const res = resolveCase(opts, c);
  const exploration = res.definition.exploration;
  if (!exploration) return [];
  const fixed = [...opts.settings.map(settingKey), ...(exploration.keysSetIn?.(opts.raw) ?? [])];
  const derived = keysLeftAlone(exploration, fixed).slice(fixed.length).filter((k) => !fixed.includes(k));
  const sources = res.definition.configSources?.(res.scenario, res.settings) ?? {};
  const out = new Set<string>();
  for (const key of derived)
    for (const scope of Object.keys(sources).sort()) {
      const entry = sources[scope][key];
      if (entry !== undefined) out.add(`${key}=${String(entry.value)} (${entry.source})`);
    }
  return [...out];
}

export function caseArbitrary(opts: CheckOptions): fc.Arbitrary<CheckCase> {
  const base = resolveScenario({ ...opts.raw, faults: [] }, opts.models, { settings: opts.settings });
  const exploration = base.definition.exploration;
  if (!exploration) throw new UserError(`model "${base.definition.name}" does not support ksim check`);
  const names = base.topology.names;
  const fixed = [...opts.settings.map(settingKey), ...(exploration.keysSetIn?.(opts.raw) ?? [])];
  const { durationMs, lengthened } = generatedRunLength(base, opts.settings, opts.keepScenarioDuration);
  // Keys the model derives from a fixed one, and keys the scenario's version does not have, are
  // drawn as before (so the runs of every other search stay what they were) but not applied.
  const derived = [...keysLeftAlone(exploration, fixed).slice(fixed.length), ...(exploration.keysAbsentIn?.(base.scenario) ?? [])];
  const windowMs = Math.floor(durationMs * (1 - exploration.settleFraction));
  const durationsMs = exploration.faultDurationsMs?.(base.scenario);
  const operationSpace: OperationSpace = { fc, windowMs, durationsMs: durationsMs ?? [] };
  const drawn = fc.record({
    settings: settingsArbitrary(exploration.configSpace, fixed, exploration.configWeights).map((s) => s.filter((x) => !derived.includes(settingKey(x)))),
    schedule: faultScheduleArbitrary({
      nodes: exploration.faultTargets?.(names) ?? [...names],
      azs: base.topology.azs,
      kinds: exploration.faultKinds,
      windowMs,
      faultsMax: opts.faultsMax ?? 4,
      faultDurationMsMax: Math.max(1, Math.floor(durationMs * 0.3)),
      splits: exploration.targetedSplits?.(base.scenario),
      roles: exploration.targetedRoles?.(base.scenario),
      ...(exploration.roleHeldFromMs ? { roleHeldFromMs: oncePerRole((role) => exploration.roleHeldFromMs!(base.scenario, role)) } : {}),
      ...(exploration.roleSubjects ? { roleSubjects: oncePerRole((role) => exploration.roleSubjects!(base.scenario, role)) } : {}),
      durationsMs,
      operations: exploration.operationArbitraries?.(base.scenario, operationSpace),
      operationsAimedAt: aimedOperations(exploration, base.scenario, operationSpace),
      compositesAimedAt: aimedComposites(exploration, base.scenario, operationSpace),
    }),
    runSeed: fc.integer({ min: 0, max: 0x7fffffff }).map(String),
  });
  const arrange = (ops: ExploredOperation[]) => (ops.length > 0 && exploration.arrangeOperations ? exploration.arrangeOperations(base.scenario, ops) : ops);
  const cases = drawn.map(({ settings, schedule, runSeed }) => {
    const c: CheckCase = { settings, faults: schedule.faults, operations: arrange(schedule.operations), runSeed, swarm: schedule.swarm };
    if (lengthened) c.durationMs = durationMs;
    if (schedule.composites.length > 0) c.composites = schedule.composites;
    return c;
  });
  return withAbsoluteShrinks(cases);
}

/** How long each generated run lasts, and why when that is longer than the scenario says. */
export interface GeneratedRunLength {
  durationMs: number;
  /** Set when ksim check lengthened the scenario's durationMs (ModelExploration.runDurationMsMin). */
  lengthened?: { fromMs: number; reason: string };
}

/**
 * The length of every generated run of a check on `base` (the scenario resolved with the --set
 * pairs, no faults): its durationMs, or the model's shortest run that lets its slowest failure
 * detector act when that is longer, unless durationMs is fixed with --set or keepScenarioDuration
 * asks for the scenario's own. Throws a UserError when
 * the scenario has no duration.
 */
export function generatedRunLength(base: Resolution, settings: readonly string[], keepScenarioDuration = false): GeneratedRunLength {
  const durationMs = base.scenario.durationMs;
  if (durationMs === undefined) throw new UserError('"durationMs": ksim check needs a scenario with a duration');
  if (keepScenarioDuration || settings.some((s) => settingKey(s) === 'durationMs')) return { durationMs };
  const min = base.definition.exploration?.runDurationMsMin?.(base.scenario);
  if (min === undefined || min.durationMs <= durationMs) return { durationMs };
  return { durationMs: min.durationMs, lengthened: { fromMs: durationMs, reason: min.reason } };
}

/** `ask`, asked once per role (the model plans the scenario to answer). */
function oncePerRole<T>(ask: (role: string) => T): (role: string) => T {
  const known = new Map<string, T>();
  return (role) => {
    if (!known.has(role)) known.set(role, ask(role));
    return known.get(role)!;
  };
}

/** The model's composites aimed at a run's focus roles, built once per set of roles. */
function aimedComposites(exploration: ModelExploration, config: unknown, space: OperationSpace): ((roles: readonly string[]) => CompositeArbitraries) | undefined {
  if (!exploration.compositeArbitraries) return undefined;
  const built = new Map<string, CompositeArbitraries>();
  return (roles) => {
    const key = roles.join('\n');
    let arbitraries = built.get(key);
    if (arbitraries === undefined) built.set(key, (arbitraries = exploration.compositeArbitraries!(config, { ...space, roles })));
    return arbitraries;
  };
}

/** The model's operations aimed at a run's roles, built once per set of roles (a run's focus). */
function aimedOperations(exploration: ModelExploration, config: unknown, space: OperationSpace): ((roles: readonly string[]) => OperationArbitraries) | undefined {
  if (!exploration.operationArbitraries) return undefined;
  const built = new Map<string, OperationArbitraries>();
  return (roles) => {
    const key = roles.join('\n');
    let arbitraries = built.get(key);
    if (arbitraries === undefined) built.set(key, (arbitraries = exploration.operationArbitraries!(config, { ...space, roles })));
    return arbitraries;
  };
}

/**
 * One check as fast-check runs it: the property (each run simulated and judged, progress and
 * coverage counted), fast-check's parameters, and the outcome of its run details. runCheck runs it
 * synchronously; a caller that must keep its event loop turning between runs (the CLI, to hear
 * Ctrl-C) wraps the same property into an asynchronous one: fast-check generates and shrinks the
 * same cases, by the same paths, either way.
 */
export interface CheckSession {
  property: fc.IPropertyWithHooks<[CheckCase]>;
  parameters: fc.Parameters<[CheckCase]>;
  /** The outcome of fast-check's details; re-runs the counterexample (its report), which may throw. */
  outcome(details: fc.RunDetails<[CheckCase]>): CheckOutcome;
}

export function checkSession(opts: CheckOptions): CheckSession {
  const arb = caseArbitrary(opts);
  const counts = emptyCounts();
  const { progress, coverage, passedWithViolations } = counts;

  // A --path replays the one case at that path: fast-check would go on to the case's later
  // siblings in the shrink tree once it passes, so the replay stops itself after its run.
  let replayed = false;
  const property = fc.property(arb, (c) => {
    if (opts.path !== undefined && replayed) throw new fc.PreconditionFailure(true);
    replayed = true;
    const result = evaluateCase(opts, c);
    countCase(counts, c, result);
    opts.onProgress?.({ ...progress });
    return !result.failed;
  });

  const parameters: fc.Parameters<[CheckCase]> = {
    numRuns: opts.runs,
    seed: opts.seed,
    path: opts.path,
    endOnFailure: opts.path !== undefined, // a replayed case is already shrunk
    markInterruptAsFailure: false,
  };

  const outcome = (details: fc.RunDetails<[CheckCase]>): CheckOutcome => {
    const c = details.failed && details.counterexample ? details.counterexample[0] : null;
    const counterexample = c && counterexampleOf(opts, c, details.seed, details.counterexamplePath ?? '');
    return {
      runs: progress.runs,
      shrinkRuns: progress.shrinkRuns,
      failed: counterexample !== null,
      interrupted: details.interrupted && !(opts.path !== undefined && replayed),
      seed: details.seed,
      path: details.counterexamplePath,
      counterexample,
      coverage,
      passedWithViolations,
    };
  };
  return { property, parameters, outcome };
}

/**
 * The counterexample a failing case stands for, its run repeated for the report. A case whose run
 * throws (a model assertion, a run limit) fails and shrinks like any other; repeating it here
 * rethrows that error for the caller to report, with the (seed, path) that generates it.
 */
export function counterexampleOf(opts: Pick<CheckOptions, 'raw' | 'models' | 'settings'>, c: CheckCase, seed: number, path: string): Counterexample {
  const resolution = resolveCase(opts, c);
  try {
    return { case: c, resolution, report: runResolved(resolution) };
  } catch (e) {
    throw markCheckCase(e, { seed, path, settings: c.settings, faults: c.faults, operations: c.operations.length > 0 ? mergedOperations(opts.raw, c.operations) : undefined, durationMs: c.durationMs });
  }
}

export function runCheck(opts: CheckOptions): CheckOutcome {
  const session = checkSession(opts);
  return session.outcome(fc.check(stoppable(session.property, opts.shouldStop), session.parameters));
}

/**
 * The property, stopped on request: once `shouldStop` says so, its next run answers fast-check
 * with an interrupting precondition failure instead of running, as fast-check's own
 * interruptAfterTimeLimit does (SkipAfterProperty), so the shrink reached so far is kept and its
 * path replays. (The CLI's asynchronous wrapper, src/cli/check-loop.ts, stops the same way.)
 */
function stoppable<T extends [unknown]>(property: fc.IPropertyWithHooks<T>, shouldStop: (() => boolean) | undefined): fc.IRawProperty<T, false> {
  if (!shouldStop) return property;
  return {
    isAsync: () => false,
    generate: (mrng, runId) => property.generate(mrng, runId),
    shrink: (value) => property.shrink(value),
    run: (v) => (shouldStop() ? new fc.PreconditionFailure(true) : property.run(v)),
    runBeforeEach: () => property.runBeforeEach(),
    runAfterEach: () => property.runAfterEach(),
  };
}

/** What one run of a case left for the check's counts: its verdict, coverage and violations. */
export interface CaseResult {
  failed: boolean;
  /** Situations the run reached, as the model names them. */
  coverage: string[];
  /** Per verdict class (in order of first violation), the properties violated in it (in order). */
  violations: [VerdictClass, string[]][];
  /** The flaws its version findings blame, each once, by label (verdict.ts flawLabelsOf): what passedWithViolations counts for the class. */
  flaws: string[];
}

/**
 * Runs one case and judges it by the one verdict rule. Throws what the run throws (a model
 * assertion, a run limit): fast-check counts that as a failure, and the worker pool does the same.
 */
export function evaluateCase(opts: Pick<CheckOptions, 'raw' | 'models' | 'settings' | 'failOn' | 'properties'>, c: CheckCase): CaseResult {
  const resolution = resolveCase(opts, c);
  // judged, never named or shown: the counterexample's repeated run (counterexampleOf) carries
  // the hash and the summary
  const report = runResolved(resolution, { unhashed: true, judgeOnly: true });
  const verdict = judgeRun(report.violations, opts.failOn ?? DEFAULT_FAIL_ON, opts.properties, report.notJudged);
  const coverage = [...resolution.definition.exploration!.coverage(report), ...scheduleCoverage(c.swarm, c.faults, c.operations, c.composites)];
  return { failed: verdict.failed, coverage, violations: violationsByClass(report), flaws: [...new Set(report.violations.filter((v) => verdictClassOf(v) === 'version').flatMap((v) => flawLabelsOf(v)))] };
}

/** A check's running counts, which every run (generated or shrinking) adds to in run order. */
export interface CheckCounts {
  progress: CheckProgress;
  /** Situation name -> generated runs that reached it. */
  coverage: Record<string, number>;
  passedWithViolations: Record<VerdictClass, PassedWithViolations>;
}

export function emptyCounts(): CheckCounts {
  return {
    progress: { runs: 0, shrinkRuns: 0, failures: 0, bestFaults: null },
    coverage: {},
    passedWithViolations: Object.fromEntries(VERDICT_CLASSES.map((c) => [c, { runs: 0, properties: {}, flaws: {} }])) as Record<VerdictClass, PassedWithViolations>,
  };
}

/**
 * Adds one run to the counts: before the first failure it is a generated run (coverage counted,
 * and its violations if it passed), after it a shrinking attempt. A failure is the smallest
 * failing run so far: fast-check keeps the first failing shrink candidate as its counterexample.
 */
export function countCase(counts: CheckCounts, c: CheckCase, result: CaseResult): void {
  const { progress, coverage } = counts;
  if (progress.failures > 0) {
    progress.shrinkRuns++;
  } else {
    progress.runs++;
    for (const name of result.coverage) coverage[name] = (coverage[name] ?? 0) + 1;
    if (!result.failed) countPassedWithViolations(counts.passedWithViolations, result);
  }
  if (result.failed) {
    progress.failures = 1;
    progress.bestFaults = c.faults.length + c.operations.length;
  }
}

/** A run's violations by class, each class and property once, in order of first violation. */
function violationsByClass(report: RunReport): [VerdictClass, string[]][] {
  const seen = new Map<VerdictClass, Set<string>>();
  for (const v of report.violations) {
    const cls = verdictClassOf(v);
    let props = seen.get(cls);
    if (!props) seen.set(cls, (props = new Set()));
    props.add(v.property);
  }
  return [...seen].map(([cls, props]) => [cls, [...props]]);
}

/** A passing run's violations, counted once per class and property. */
function countPassedWithViolations(into: Record<VerdictClass, PassedWithViolations>, { violations, flaws }: CaseResult): void {
  for (const f of flaws) into.version.flaws[f] = (into.version.flaws[f] ?? 0) + 1;
  for (const [cls, props] of violations) {
    into[cls].runs++;
    for (const p of props) into[cls].properties[p] = (into[cls].properties[p] ?? 0) + 1;
  }
}
