// What one run of a scenario comes to: its identity (scenario, model, seed), the trace hash that
// pins every event, the kernel's and the model's figures, the checkers' verdict and findings.
// Produced by run-scenario.ts; read by every command, the sweeps and the model's own summaries.

import type { ModelOutcome, Violation } from '../sim/model.ts';
import type { KernelStats } from '../kernel/simulation.ts';
import type { NotJudged } from './verdict.ts';

export interface RunReport {
  seed: string;
  scenario: string;
  model: string;
  traceHash: string;
  virtualMs: number;
  /** Kernel events dispatched. */
  events: number;
  /** Entries in the event stream (lines of a trace). */
  loggedEvents: number;
  violations: Violation[];
  stats: { kernel: KernelStats; model: ModelOutcome['stats'] };
  /** The properties a checker could not judge on this run, and why (Checker.notJudged); absent when every one was judged. */
  notJudged?: readonly NotJudged[];
  /** Figures computed by checkers, by checker name (see Checker.summary). */
  analysis: Record<string, object>;
  /**
   * Faults and operations aimed at roles and the nodes they hit, by time ("12.000s crash: leader of
   * orders-0 (b2)", "13.000s controlled-shutdown: leader of orders-0 (b3)"); absent when none was.
   */
  aimedFaults?: readonly string[];
  /** The model's own outcome, for model-specific summaries. */
  outcome: ModelOutcome;
}
