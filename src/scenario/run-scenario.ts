// Runs one resolved scenario: seeds the choice streams, builds the model and its checkers, runs
// the kernel and collects the verdict. The one place where a scenario becomes a run, shared by
// `ksim run`, `ksim replay`, the property suites and the benchmarks; so the one place that marks
// an error a run throws with the run it came from (crashed-run.ts).

import type { Checker, KernelView, RunView } from '../check/checker.ts';
import type { ChoiceSource } from '../sim/choice.ts';
import { SeededChoices } from '../sim/seeded-choices.ts';
import { Simulation } from '../kernel/simulation.ts';
import { msToUs } from '../sim/time.ts';
import type { LineSink } from '../kernel/event-log.ts';
import { markCrashedRun } from './crashed-run.ts';
import type { Resolution } from './resolve-scenario.ts';
import type { RunReport } from './run-report.ts';

export interface RunOptions {
  lineSink?: LineSink;
  /** Replaces the seeded streams (exhaustive mode). */
  choices?: ChoiceSource;
  /** Extra checkers beyond the model's own. */
  checkers?: Checker[];
  /**
   * Skip the trace hash (report.traceHash is then "unhashed"): for runs judged and never named,
   * such as ksim check's generated runs (hashing is about a sixth of a run's CPU). The events,
   * and so the verdict, are the same either way.
   */
  unhashed?: boolean;
}

export function runResolved(res: Resolution, options: RunOptions = {}): RunReport {
  try {
    return run(res, options);
  } catch (e) {
    throw markCrashedRun(e, { scenario: res.scenario.name, model: res.scenario.model, seed: res.scenario.seed });
  }
}

function run(res: Resolution, options: RunOptions): RunReport {
  const { scenario, definition, topology } = res;
  const choices = options.choices ?? new SeededChoices(scenario.seed);
  const sim = new Simulation({
    topology,
    network: scenario.network,
    choices,
    faults: scenario.faults,
    noise: scenario.noise,
    limits: scenario.limits,
    durationMs: scenario.durationMs,
    lineSink: options.lineSink,
    hashed: options.unhashed !== true,
  });
  const instance = definition.create({
    topology,
    choices,
    config: scenario,
    durationUs: scenario.durationMs === undefined ? Infinity : msToUs(scenario.durationMs),
  });
  const checkers = [...instance.checkers, ...(options.checkers ?? [])];
  // Read-only: a checker observes the kernel, it never acts on it.
  const kernel: KernelView = {
    topology,
    isUp: (n) => sim.isUp(n),
    isPaused: (n) => sim.isPaused(n),
    isLinkCut: (from, to) => sim.isLinkCut(from, to),
  };
  for (const c of checkers) {
    c.attach?.(kernel);
    if (c.onEvent) sim.onEvent(c.onEvent.bind(c), c.eventTypes);
    if (c.onKernelEvent) sim.onKernelEvent(c.onKernelEvent.bind(c));
  }
  const outcome = sim.run(instance.model);
  const view: RunView = {
    nowUs: sim.now,
    topology,
    isUp: (n) => sim.isUp(n),
    faultsActive: sim.faultsActive,
    model: outcome.model,
  };
  const violations = [...outcome.model.violations];
  const analysis: Record<string, object> = {};
  for (const c of checkers) violations.push(...c.finish(view));
  for (const c of checkers) {
    const figures = c.summary?.();
    if (figures) analysis[c.name] = figures;
  }
  return {
    seed: scenario.seed,
    scenario: scenario.name,
    model: scenario.model,
    traceHash: outcome.traceHash,
    virtualMs: outcome.kernel.virtualUs / 1000,
    events: outcome.kernel.events,
    loggedEvents: outcome.loggedEvents,
    violations,
    stats: { kernel: outcome.kernel, model: outcome.model.stats },
    analysis,
    ...(outcome.aimedFaults.length > 0 ? { aimedFaults: outcome.aimedFaults } : {}),
    outcome: outcome.model,
  };
}
