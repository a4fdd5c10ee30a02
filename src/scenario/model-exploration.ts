// How `ksim check` explores a model: the config values each generated run samples from, the fault
// kinds it may inject and where, how long the run gets to settle, and the names of the situations
// a run reached (the coverage table). Which violations fail a run is not the model's choice: one
// rule for every command (verdict.ts, --fail-on).

import type { NoiseFaultKind } from '../faults/fault.ts';
import type { RunReport } from './run-report.ts';

/** Config key -> the values exploration may pick (e.g. 'ping.intervalMs': [100, 50, 250]). */
export type ConfigSpace = Record<string, readonly unknown[]>;

export interface ModelExploration {
  /** Config values each run samples from (first value = where shrinking goes). */
  configSpace: ConfigSpace;
  faultKinds: NoiseFaultKind[];
  /** Node names faults may target (default: every node). */
  faultTargets?(nodeNames: readonly string[]): string[];
  /**
   * Config keys the scenario itself states (a config map in the scenario, say): like --set
   * keys, they are left out of exploration, so a scenario file means what it says.
   */
  keysSetIn?(raw: Record<string, unknown>): string[];
  /** Fraction of the run at the end kept free of faults so the system can recover (0..1). */
  settleFraction: number;
  /** Names of the situations a run reached, for the coverage table ("a peer suspected"...). */
  coverage(report: RunReport): string[];
}
