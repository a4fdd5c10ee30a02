// fast-check arbitraries over what `ksim check` explores, for a user's own properties: generated
// runs (config settings, an explicit fault schedule, a run seed), or just their fault schedules or
// configs, within the scenario's topology and the model's exploration space
// (explore/check-runner.ts caseArbitrary). They compose with the user's arbitraries, shrink as
// `ksim check` shrinks, and a failure replays by fast-check's {seed, path}.

import type fc from 'fast-check';
import { MODELS } from '../../models/index.ts';
import { caseArbitrary, resolveCase } from '../explore/check-runner.ts';
import type { CheckCase } from '../explore/check-case.ts';
import type { Fault } from '../faults/fault.ts';
import { runResolved } from '../scenario/run-scenario.ts';
import { parseFailOn } from '../scenario/verdict.ts';
import { caseRunCommand, resultOf, type RunOptions, type RunResult } from './run-api.ts';
import { scenarioObject, type ScenarioInput } from './scenario-input.ts';

export type { CheckCase as GeneratedRun };

export interface ArbitraryOptions {
  /** `key=value` settings fixed for every run (left out of the generated configs). */
  settings?: readonly string[];
  /** Faults per schedule at most (default 4). */
  faultsMax?: number;
}

/**
 * Generated runs of the scenario: { settings, faults, runSeed }; run one with runGenerated. Unlike
 * `ksim check`, runs last the scenario's own durationMs (never lengthened to the broker's session
 * timeout), so a schedule fits the scenario a user runs it on.
 */
export function kafkaRuns(scenario: ScenarioInput, options: ArbitraryOptions = {}): fc.Arbitrary<CheckCase> {
  return caseArbitrary({ raw: scenarioObject(scenario), models: MODELS, settings: options.settings ?? [], runs: 0, seed: 0, faultsMax: options.faultsMax, keepScenarioDuration: true });
}

/** Fault schedules within the scenario's nodes, AZs and fault window (a scenario's `faults` value). */
export function kafkaFaults(scenario: ScenarioInput, options: ArbitraryOptions = {}): fc.Arbitrary<Fault[]> {
  return kafkaRuns(scenario, options).map((c) => c.faults);
}

/** Kafka configurations from the model's exploration space, as `key=value` settings. */
export function kafkaConfigs(scenario: ScenarioInput, options: ArbitraryOptions = {}): fc.Arbitrary<string[]> {
  return kafkaRuns(scenario, options).map((c) => c.settings);
}

/** Runs one generated run of the scenario (its settings after options.settings, its faults, its seed). */
export function runGenerated(scenario: ScenarioInput, run: CheckCase, options: Pick<RunOptions, 'settings' | 'failOn' | 'scenarioFile'> = {}): RunResult {
  const resolution = resolveCase({ raw: scenarioObject(scenario), models: MODELS, settings: options.settings ?? [] }, run);
  return resultOf(runResolved(resolution), options.failOn ?? parseFailOn(undefined), caseRunCommand(scenario, options, run));
}
