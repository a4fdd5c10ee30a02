// The Kafka model's checkers, wired together: the per-event invariants (each keeps its own O(1)
// state), and one shared analysis fed once by the summary observer, read by each end-of-run
// property checker at the end. Also the `describe` hook for the model
// definition. Order of the list is report order; it does not affect results (the analysis is
// concluded once, by whichever checker finishes first).

import type { Checker } from '../../../src/check/checker.ts';
import type { RunReport } from '../../../src/scenario/run-report.ts';
import { KafkaRunAnalysis } from '../analysis/kafka-run-analysis.ts';
import { describeKafkaRunSummary } from '../analysis/run-summary-lines.ts';
import type { KafkaScenario } from '../scenario/kafka-scenario.ts';
import { AtLeastOnceChecker } from './at-least-once.ts';
import { CommittedOffsetBackwardsChecker } from './committed-offset-backwards.ts';
import { CoverageObserver } from './coverage-observer.ts';
import { DoubleAssignmentChecker } from './double-assignment.ts';
import { DuplicateChecker } from './duplicate.ts';
import { HwAboveIsrLeoChecker } from './hw-above-isr-leo.ts';
import { HwDecreasedChecker } from './hw-decreased.ts';
import { IsrOutsideReplicasChecker } from './isr-outside-replicas.ts';
import { KeyPartitionChecker } from './key-partition.ts';
import { LeaderOutsideIsrChecker } from './leader-outside-isr.ts';
import { LivenessAfterHealChecker, type FaultHorizon } from './liveness-after-heal.ts';
import { LogDivergenceChecker } from './log-divergence.ts';
import { LostWriteChecker } from './lost-write.ts';
import { NonmonotonicSendChecker } from './nonmonotonic-send.ts';
import { readKafkaRunSummary, RunSummaryChecker } from './run-summary-checker.ts';
import { TwoLeadersInEpochChecker } from './two-leaders-in-epoch.ts';
import { UncommittedAckChecker } from './uncommitted-ack.ts';

/**
 * Invariants first (checked on every event, cheap), then the end-of-run analyses. `horizon` says
 * when the scenario's faults are over, for liveness-after-heal (unknown: as if at time 0).
 */
export function createKafkaCheckers(scenario: KafkaScenario, horizon?: FaultHorizon): Checker[] {
  const analysis = new KafkaRunAnalysis(scenario);
  return [
    new RunSummaryChecker(analysis),
    new CoverageObserver(scenario, horizon?.faultKinds),
    new TwoLeadersInEpochChecker(scenario),
    new LeaderOutsideIsrChecker(scenario),
    new IsrOutsideReplicasChecker(scenario),
    new HwAboveIsrLeoChecker(scenario),
    new HwDecreasedChecker(scenario),
    new UncommittedAckChecker(scenario),
    new LostWriteChecker(analysis),
    new DuplicateChecker(analysis),
    new NonmonotonicSendChecker(analysis),
    new LogDivergenceChecker(analysis),
    new KeyPartitionChecker(analysis),
    new DoubleAssignmentChecker(),
    new CommittedOffsetBackwardsChecker(scenario),
    new AtLeastOnceChecker(analysis),
    new LivenessAfterHealChecker(analysis, horizon),
  ];
}

/** Human summary lines for ModelDefinition.describe. */
export function describeKafkaRun(report: Pick<RunReport, 'analysis'>): string[] {
  const summary = readKafkaRunSummary(report);
  if (!summary) return ['kafka: no summary (the Kafka checkers did not run)'];
  return describeKafkaRunSummary(summary);
}
