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
import { KafkaNames } from './kafka-names.ts';
import { LeaderOutsideIsrChecker } from './leader-outside-isr.ts';
import { LivenessAfterHealChecker, type FaultHorizon } from './liveness-after-heal.ts';
import { LogDivergenceChecker } from './log-divergence.ts';
import { LostWriteChecker } from './lost-write.ts';
import { NonmonotonicSendChecker } from './nonmonotonic-send.ts';
import { readKafkaRunSummary, RunSummaryChecker } from './run-summary-checker.ts';
import { TwoLeadersInEpochChecker } from './two-leaders-in-epoch.ts';
import { UncommittedAckChecker } from './uncommitted-ack.ts';
import { ClientAnalyses } from './client-analyses.ts';
import { FaultNames } from './fault-names.ts';
import { InconsistentOffsetsChecker } from './inconsistent-offsets.ts';
import { IntNonmonotonicPollChecker } from './int-nonmonotonic-poll.ts';
import { IntPollSkipChecker } from './int-poll-skip.ts';
import { NonmonotonicPollChecker } from './nonmonotonic-poll.ts';
import { PollSkipChecker } from './poll-skip.ts';
import { RunCauses } from './run-causes.ts';
import { UnseenChecker, type UnseenSummary } from './unseen.ts';
import { ConsumerLivenessChecker } from './consumer-liveness.ts';

/**
 * Invariants first (checked on every event, cheap), then the end-of-run analyses. `horizon` says
 * when the scenario's faults are over, for liveness-after-heal (unknown: as if at time 0).
 * `summary: false` leaves the Kafka summary out of the report (a run judged and never shown: about
 * 2% of a check-small run's CPU); the analysis is fed and concluded all the same.
 */
export function createKafkaCheckers(scenario: KafkaScenario, horizon?: FaultHorizon, options: { summary?: boolean } = {}): Checker[] {
  const analysis = new KafkaRunAnalysis(scenario);
  const azOf = new Map(scenario.brokers.map((b) => [b.name, b.az]));
  const causes = new RunCauses(analysis, new FaultNames(horizon?.faults ?? [], (node) => azOf.get(node), analysis.firedFaults));
  const clients = new ClientAnalyses(analysis);
  const names = new KafkaNames(scenario);
  return [
    new RunSummaryChecker(analysis, options.summary ?? true),
    new CoverageObserver(scenario, horizon?.faults),
    new TwoLeadersInEpochChecker(scenario, names),
    new LeaderOutsideIsrChecker(scenario, names),
    new IsrOutsideReplicasChecker(scenario, names),
    new HwAboveIsrLeoChecker(scenario, names),
    new HwDecreasedChecker(scenario, names),
    new UncommittedAckChecker(scenario, names),
    new LostWriteChecker(analysis, causes),
    new DuplicateChecker(analysis),
    new NonmonotonicSendChecker(analysis),
    new LogDivergenceChecker(analysis, causes),
    new KeyPartitionChecker(analysis),
    new DoubleAssignmentChecker(causes),
    new CommittedOffsetBackwardsChecker(scenario, causes),
    new AtLeastOnceChecker(analysis, causes),
    new PollSkipChecker(clients, causes),
    new NonmonotonicPollChecker(clients, causes),
    new IntPollSkipChecker(clients, causes),
    new IntNonmonotonicPollChecker(clients),
    new InconsistentOffsetsChecker(analysis, clients, causes),
    new UnseenChecker(analysis, clients, causes),
    new LivenessAfterHealChecker(analysis, horizon),
    new ConsumerLivenessChecker(analysis, horizon),
  ];
}

/** Human summary lines for ModelDefinition.describe. */
export function describeKafkaRun(report: Pick<RunReport, 'analysis'>): string[] {
  const summary = readKafkaRunSummary(report);
  if (!summary) return ['kafka: no summary (the Kafka checkers did not run)'];
  const lines = describeKafkaRunSummary(summary);
  const unseen = report.analysis.unseen as UnseenSummary | undefined;
  if (unseen)
    lines.push(
      `unseen (acknowledged, polled by no consumer): ${unseen.unseenAtEnd} at end, ${unseen.passedOver} passed over, ${unseen.behind} ahead of every consumer` +
        `${unseen.notOwed ? `, ${unseen.notOwed} owed to no group (below new groups' first positions, auto.offset.reset=latest)` : ''}; ` +
        `at most ${unseen.maxUnseen} (at ${(unseen.maxUnseenAtMs / 1000).toFixed(1)} s${unseen.acksZeroNotInAnyLog ? ', acks=0 records no log kept included' : ''})` +
        (unseen.acksZeroNotInAnyLog
          ? `; besides, ${unseen.acksZeroNotInAnyLog} sent with acks=0 that no log holds (never written, or lost with their leader: no consumer could read them, and acks=0 promises no durability)`
          : ''),
    );
  return lines;
}
