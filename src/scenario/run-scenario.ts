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
import type { Topology } from '../net/topology.ts';
import { collectAfterSimulation } from './collect-garbage.ts';
import { markCrashedRun } from './crashed-run.ts';
import type { Resolution } from './resolve-scenario.ts';
import type { RunReport } from './run-report.ts';
import type { NotJudged } from './verdict.ts';

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
  /**
   * The run is judged and never shown (ksim check's generated runs): the model may skip the
   * figures only people read (ModelSetup.judgeOnly). Violations, notJudged, stats and the
   * coverage the exploration reads are the same either way.
   */
  judgeOnly?: boolean;
}

export function runResolved(res: Resolution, options: RunOptions = {}): RunReport {
  try {
    return run(res, options);
  } catch (e) {
    throw markCrashedRun(e, { scenario: res.scenario.name, model: res.scenario.model, seed: res.scenario.seed });
  }
}

function run(res: Resolution, options: RunOptions): RunReport {
  const { scenario } = res;
  const { checkers, outcome, view } = simulate(res, options);
  // The model's storage is garbage now: freed before the analyses allocate theirs (collect-garbage.ts).
  collectAfterSimulation(outcome.kernel.events);
  const violations = [...outcome.model.violations];
  const analysis: Record<string, object> = {};
  for (const c of checkers) violations.push(...c.finish(view));
  const notJudged: NotJudged[] = [];
  for (const c of checkers) {
    const reason = c.notJudged?.() ?? null;
    if (reason !== null) notJudged.push({ property: c.name, reason });
  }
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
    ...(notJudged.length > 0 ? { notJudged } : {}),
    stats: { kernel: outcome.kernel, model: outcome.model.stats },
    analysis,
    ...aimedLines(outcome.aimedFaults, outcome.model.aimed ?? []),
    outcome: outcome.model,
  };
}

/** Faults and operations aimed at roles, as they fired, merged by time (each list is in time order; faults first at a tie). */
function aimedLines(faults: readonly string[], operations: readonly string[]): { aimedFaults?: readonly string[] } {
  if (operations.length === 0) return faults.length > 0 ? { aimedFaults: faults } : {};
  const seconds = (line: string) => Number.parseFloat(line);
  const merged = [...faults];
  for (const op of operations) {
    let i = merged.length;
    while (i > 0 && seconds(merged[i - 1]) > seconds(op)) i--;
    merged.splice(i, 0, op);
  }
  return { aimedFaults: merged };
}

/**
 * Builds the model and its checkers and runs the kernel. Returns once the simulation is done with:
 * nothing returned holds the simulation or the model any more (the checkers' kernel view is
 * detached to the kernel's end state), so their storage (a long run's records, replica logs and
 * in-flight messages: a third of its memory) can be collected before the checkers' end-of-run
 * analyses allocate theirs.
 */
function simulate(res: Resolution, options: RunOptions) {
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
    ...(options.judgeOnly === true ? { judgeOnly: true } : {}),
  });
  const checkers = [...instance.checkers, ...(options.checkers ?? [])];
  // Read-only: a checker observes the kernel, it never acts on it.
  const kernel = new KernelReader(topology, sim);
  for (const c of checkers) {
    c.attach?.(kernel);
    if (c.onEvent) sim.onEvent(c.onEvent.bind(c), c.eventTypes);
    if (c.onKernelEvent) sim.onKernelEvent(c.onKernelEvent.bind(c));
  }
  const outcome = sim.run(instance.model);
  kernel.detach();
  const view: RunView = {
    nowUs: sim.now,
    topology,
    isUp: (n) => kernel.isUp(n),
    faultsActive: sim.faultsActive,
    model: outcome.model,
  };
  return { checkers, outcome, view };
}

/** The KernelView checkers read: the live simulation during the run, a copy of its end state after detach(). */
class KernelReader implements KernelView {
  private sim: Omit<KernelView, 'topology'> | null;
  /** After detach: per node, bit 0 up, bit 1 paused; per directed link (from * n + to), 1 when cut. */
  private nodeState: Uint8Array | null = null;
  private linkCut: Uint8Array | null = null;

  constructor(
    readonly topology: Topology,
    sim: Omit<KernelView, 'topology'>,
  ) {
    this.sim = sim;
  }

  isUp(node: number): boolean {
    return this.sim ? this.sim.isUp(node) : (this.nodeState![node] & 1) === 1;
  }

  isPaused(node: number): boolean {
    return this.sim ? this.sim.isPaused(node) : (this.nodeState![node] & 2) === 2;
  }

  isLinkCut(from: number, to: number): boolean {
    return this.sim ? this.sim.isLinkCut(from, to) : this.linkCut![from * this.topology.nodes.length + to] === 1;
  }

  /** Copies the kernel's end state and lets go of the simulation. */
  detach(): void {
    const sim = this.sim!;
    const n = this.topology.nodes.length;
    this.nodeState = new Uint8Array(n);
    this.linkCut = new Uint8Array(n * n);
    for (let a = 0; a < n; a++) {
      this.nodeState[a] = (sim.isUp(a) ? 1 : 0) | (sim.isPaused(a) ? 2 : 0);
      for (let b = 0; b < n; b++) if (sim.isLinkCut(a, b)) this.linkCut[a * n + b] = 1;
    }
    this.sim = null;
  }
}
