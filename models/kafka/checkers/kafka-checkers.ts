// The Kafka model's checkers, wired together: one shared analysis fed once by the summary
// observer, read by each property checker at the end. Also the `describe` hook for the model
// definition. Order of the list is report order; it does not affect results (the analysis is
// concluded once, by whichever checker finishes first).

import type { Checker } from '../../../src/check/checker.ts';
import type { RunReport } from '../../../src/scenario/run-scenario.ts';
import { KafkaRunAnalysis } from '../analysis/kafka-run-analysis.ts';
import { describeKafkaRunSummary } from '../analysis/run-summary-lines.ts';
import type { KafkaScenario } from '../kafka-scenario.ts';
import { DuplicateChecker } from './duplicate.ts';
import { LostWriteChecker } from './lost-write.ts';
import { NonmonotonicSendChecker } from './nonmonotonic-send.ts';
import { readKafkaRunSummary, RunSummaryChecker } from './run-summary-checker.ts';

export function createKafkaCheckers(scenario: KafkaScenario): Checker[] {
  const analysis = new KafkaRunAnalysis(scenario);
  return [
    new RunSummaryChecker(analysis),
    new LostWriteChecker(analysis),
    new DuplicateChecker(analysis),
    new NonmonotonicSendChecker(analysis),
  ];
}

/** Human summary lines for ModelDefinition.describe. */
export function describeKafkaRun(report: Pick<RunReport, 'analysis'>): string[] {
  const summary = readKafkaRunSummary(report);
  if (!summary) return ['kafka: no summary (the Kafka checkers did not run)'];
  return describeKafkaRunSummary(summary);
}
