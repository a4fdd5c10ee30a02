// The checker interface. A checker observes a run: it sees every model event as it is emitted
// (cheap invariants go here) and gets one look at the end (analyses over the whole history).
// Checkers never change a run: turning one on or off does not change which events happen.

import type { Topology } from '../net/topology.ts';
import type { ModelEvent, ModelOutcome, Violation } from '../sim/model.ts';
import type { TimeUs } from '../sim/time.ts';

/** What a checker may read once the run is over. */
export interface RunView {
  nowUs: TimeUs;
  topology: Topology;
  isUp(node: number): boolean;
  /** Whether some fault was still in force when the run ended. */
  faultsActive: boolean;
  model: ModelOutcome;
}

export interface Checker {
  /** Property family, e.g. "lost-write". */
  readonly name: string;
  onEvent?(timeUs: TimeUs, node: number, event: ModelEvent): void;
  finish(run: RunView): Violation[];
  /**
   * Figures the checker computed (a run summary, say), read once after finish. They land in the
   * run report under the checker's name, for summaries and --json; the run itself is untouched.
   */
  summary?(): object | undefined;
}
