// One generated run of `ksim check`: the settings, faults and operations drawn for it (its own
// file so the shrinking steps, the case sources and the runner can share it without importing
// each other).

import type { Fault } from '../faults/fault.ts';
import type { ExploredOperation } from '../scenario/model-exploration.ts';
import type { Swarm } from './fault-schedule-arbitrary.ts';

/** One generated run. */
export interface CheckCase {
  settings: string[];
  faults: Fault[];
  /** Generated administrative operations, by time; they run after the scenario's own (resolveCase). */
  operations: ExploredOperation[];
  runSeed: string;
  /**
   * The run's length (ms) when ksim check lengthened the scenario's durationMs so a fault can
   * outlast its slowest failure detector (ModelExploration.runDurationMsMin); absent otherwise.
   */
  durationMs?: number;
  /** The fault and operation kinds and target kinds this run's schedule was drawn from (swarm testing). */
  swarm?: Swarm;
  /** The composite kinds its schedule drew, in order (their faults and operations are in `faults` and `operations`). */
  composites?: string[];
}
