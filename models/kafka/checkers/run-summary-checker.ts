// The observer behind the Kafka summary: the one Kafka checker that reads the run's events and
// the kernel's node and fault changes (it records them into the analysis the property checkers
// share), and at the end computes the KafkaRunSummary. It reports no violations.
//
// The summary reaches the run report through Checker.summary(), under this checker's name
// (`analysis["kafka-summary"]`), apart from the model's own counters (recordsSent, isrShrinks...,
// counted inside the model): comparing the two is itself a useful check. readKafkaRunSummary
// reads it back from a report.

import type { Checker, KernelEvent, KernelView, RunView } from '../../../src/check/checker.ts';
import type { ModelEvent, Violation } from '../../../src/sim/model.ts';
import type { RunReport } from '../../../src/scenario/run-report.ts';
import type { TimeUs } from '../../../src/sim/time.ts';
import { KAFKA_RUN_ANALYSIS_EVENT_TYPES, type KafkaRunAnalysis } from '../analysis/kafka-run-analysis.ts';
import { summarizeKafkaRun, type KafkaRunSummary } from '../analysis/run-summary.ts';

const KAFKA_SUMMARY_CHECKER = 'kafka-summary';

export class RunSummaryChecker implements Checker {
  readonly name = KAFKA_SUMMARY_CHECKER;
  readonly observer = true;
  /** What the analysis records (the kernel dispatches by type: a commit, say, reaches none of its recorders). */
  readonly eventTypes = KAFKA_RUN_ANALYSIS_EVENT_TYPES;
  private result: KafkaRunSummary | null = null;

  /** `summarize` false: the analysis is fed and concluded, the summary not computed (a run judged and never shown). */
  constructor(
    private readonly analysis: KafkaRunAnalysis,
    private readonly summarize = true,
  ) {}

  attach(kernel: KernelView): void {
    this.analysis.attach(kernel);
  }

  onEvent(timeUs: TimeUs, node: number, event: ModelEvent): void {
    this.analysis.record(timeUs, node, event);
  }

  onKernelEvent(timeUs: TimeUs, event: KernelEvent): void {
    this.analysis.recordKernel(timeUs, event);
  }

  finish(run: RunView): Violation[] {
    const findings = this.analysis.conclude(run);
    if (!this.summarize) return [];
    this.result = summarizeKafkaRun(this.analysis.history, this.analysis.lookup, findings, this.analysis.versions);
    return [];
  }

  /** The summary, once finish has run. */
  summary(): object | undefined {
    return this.result ?? undefined;
  }
}

/** The summary RunSummaryChecker reported for a run, if it ran. */
export function readKafkaRunSummary(report: Pick<RunReport, 'analysis'>): KafkaRunSummary | undefined {
  return report.analysis[KAFKA_SUMMARY_CHECKER] as KafkaRunSummary | undefined;
}
