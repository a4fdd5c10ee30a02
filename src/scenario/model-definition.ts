// How a model plugs into ksim: its scenario keys (a zod shape merged into the scenario format),
// how `--set key=value` maps onto them, which nodes it runs, how to build it and its checkers, and
// how to summarise a run for people.

import type { z } from 'zod';
import type { Checker } from '../check/checker.ts';
import type { NodeSpec } from '../net/topology.ts';
import type { Model, ModelSetup, Tagged, Violation } from '../sim/model.ts';
import type { NoiseFaultKind } from '../faults/fault.ts';
import type { ConfigSpace } from '../explore/swarm-arbitrary.ts';
import type { RunReport } from './run-scenario.ts';

export interface ModelInstance {
  model: Model<Tagged, Tagged>;
  checkers: Checker[];
}

export interface ModelDefinition<Config = any> {
  name: string;
  summary: string;
  /** The model's scenario keys. Everything it returns after parsing is passed on as Config. */
  shape: Record<string, z.ZodType>;
  /**
   * Applies `--set key=value` for a key the envelope does not own (Kafka config names, say) to
   * the raw scenario object. Returns false when the key is unknown to the model.
   */
  applySetting?(raw: Record<string, unknown>, key: string, value: unknown): boolean;
  /** Keys applySetting understands, for error messages and --help. */
  settingKeys?: readonly string[];
  /** Cross-field checks after parsing; throw UserError naming the field. */
  validate?(config: Config, nodeNames: readonly string[]): void;
  nodes(config: Config): NodeSpec[];
  create(setup: ModelSetup<Config>): ModelInstance;
  /** How `ksim check` explores this model: configs to sample, faults to inject, coverage. */
  exploration?: ModelExploration;
  /** Lines for the human summary of a run. */
  describe?(report: RunReport): string[];
}

export interface ModelExploration {
  /** Config values each run samples from (first value = where shrinking goes). */
  configSpace: ConfigSpace;
  faultKinds: NoiseFaultKind[];
  /** Node names faults may target (default: every node). */
  faultTargets?(nodeNames: readonly string[]): string[];
  /**
   * Config keys the scenario itself states (a Kafka scenario's `config` map, say): like --set
   * keys, they are left out of exploration, so a scenario file means what it says.
   */
  keysSetIn?(raw: Record<string, unknown>): string[];
  /** Fraction of the run at the end kept free of faults so the system can recover (0..1). */
  settleFraction: number;
  /** Names of the situations a run reached, for the coverage table ("unclean election"...). */
  coverage(report: RunReport): string[];
  /**
   * Whether a violation fails a `ksim check` run (default: every violation does). A model may let
   * findings pass that its guarantee never covered (Kafka: every in-sync copy lost to power loss),
   * still reporting them.
   */
  violationFails?(violation: Violation): boolean;
}
