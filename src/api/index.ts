// ksim as a library (`import { runScenario } from 'ksim'`): run and model-check Kafka scenarios
// from a test suite, generate fault schedules and configs with fast-check, build scenarios with the
// CLI's validation, and read and write Jepsen's Kafka-workload histories. See the README, "Using
// ksim from your own tests".

export { checkScenario, runScenario } from './run-api.ts';
export { resolve, scenarioObject } from './scenario-input.ts';
export type { CheckResult, CheckScenarioOptions, ClassifiedViolation, RunOptions, RunResult } from './run-api.ts';
export type { ScenarioInput } from './scenario-input.ts';
export { scenario, ScenarioBuilder } from './scenario-builder.ts';
export { kafkaConfigs, kafkaFaults, kafkaRuns, runGenerated } from './arbitraries.ts';
export type { ArbitraryOptions, GeneratedRun } from './arbitraries.ts';
export { checkHistory, exportHistory } from './history-api.ts';
export type { HistoryVerdict } from './history-api.ts';
export { kafkaProperty, ksimMatchers } from './vitest-helpers.ts';
export type { KsimMatchers } from './vitest-helpers.ts';
export { UserError } from '../scenario/user-error.ts';
export { VERDICT_CLASSES, type VerdictClass } from '../scenario/verdict.ts';
export type { Fault } from '../faults/fault.ts';
