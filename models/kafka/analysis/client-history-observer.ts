// Records a run's client history (analysis/client-history.ts: Jepsen's sends, polls and
// assignments) for export, without the rest of the run's analysis: `ksim history` and the API's
// history export add it to a run as an extra checker. It judges nothing.

import type { Checker } from '../../../src/check/checker.ts';
import type { ModelEvent, Violation } from '../../../src/sim/model.ts';
import { msToUs, type TimeUs } from '../../../src/sim/time.ts';
import type { ClientHistoryRecorder, ClientOp, ReadPair } from './client-history.ts';
import { analyseFinalLogs } from './final-logs.ts';
import { clientHistoryRecorderFor } from './kafka-run-analysis.ts';
import type { KafkaEvent, KafkaFinalState } from '../kafka-events.ts';
import type { KafkaScenario } from '../scenario/kafka-scenario.ts';
import { buildKafkaScenario } from '../scenario/build-kafka-scenario.ts';
import type { KafkaScenarioInput } from '../scenario/kafka-scenario-schema.ts';
import { SeededChoices } from '../../../src/sim/seeded-choices.ts';
import type { Resolution } from '../../../src/scenario/resolve-scenario.ts';
import type { RunReport } from '../../../src/scenario/run-report.ts';
import { runResolved } from '../../../src/scenario/run-scenario.ts';
import { UserError } from '../../../src/scenario/user-error.ts';

class ClientHistoryObserver implements Checker {
  readonly name = 'client-history';
  private readonly recorder: ClientHistoryRecorder;
  /** Sends not completed yet (record -> its send), in the order they were sent. */
  private readonly pending = new Map<number, { timeUs: TimeUs; producer: string; partition: string }>();

  constructor(scenario: KafkaScenario) {
    this.recorder = clientHistoryRecorderFor(scenario);
  }

  onEvent(timeUs: TimeUs, _node: number, event: ModelEvent): void {
    const ev = event as unknown as KafkaEvent;
    this.recorder.record(timeUs, ev);
    if (ev.type === 'send' && !this.pending.has(ev.record)) this.pending.set(ev.record, { timeUs: ev.sentUs, producer: ev.producer, partition: ev.partition });
    else if (ev.type === 'send-ok') for (const record of ev.records) this.pending.delete(record);
    else if (ev.type === 'send-fail') this.pending.delete(ev.record);
  }

  finish(): Violation[] {
    return [];
  }

  /**
   * The history, in the order its ops completed (built from the compact log: this is an export),
   * then, at `endUs`, an :info send for each send still in flight: Jepsen's interpreter completes an
   * op that never returned as :info (its outcome unknown), and a record it may have written can be
   * read (by the final polls) only if its send is in the history.
   */
  ops(endUs: TimeUs): ClientOp[] {
    const ops = [...this.recorder.history.ops];
    for (const [record, send] of this.pending)
      ops.push({ index: ops.length, timeUs: endUs, invokeTimeUs: send.timeUs, process: send.producer, type: 'info', f: 'send', sends: [{ key: send.partition, value: record, offset: null }] });
    return ops;
  }
}

/** The process of the final polls. */
const FINAL_READER = 'final-reader';

/**
 * Jepsen's final polls (kafka.clj final-polls: once the faults are over, consumers assign every key
 * and poll until they have read everything): an assign of every online partition, then one ok
 * poll per partition reading its committed log (the leader's, below its high watermark; compacted
 * records left out) at `endUs`. Offline partitions are not read (no consumer could).
 */
function finalPolls(final: KafkaFinalState, endUs: TimeUs, firstIndex: number): ClientOp[] {
  const logs = [...analyseFinalLogs(final).values()].filter((p) => p.online && p.reference);
  const ops: ClientOp[] = [{ index: firstIndex, timeUs: endUs, process: FINAL_READER, type: 'ok', f: 'assign', keys: logs.map((p) => p.partition) }];
  for (const p of logs) {
    const log = p.reference!;
    const pairs: ReadPair[] = [];
    for (let i = 0; i < log.records.length && log.logStartOffset + i < log.highWatermark; i++)
      if (log.records[i] >= 0) pairs.push([log.logStartOffset + i, log.records[i]]);
    ops.push({ index: firstIndex + ops.length, timeUs: endUs, process: FINAL_READER, type: 'ok', f: 'poll', reads: [{ key: p.partition, pairs }] });
  }
  return ops;
}

/**
 * Runs a resolved Kafka scenario and returns its report with its client history; with
 * `finalPolls` (default), followed by Jepsen's final polls of every committed log, so that a
 * history checker sees what the run left (a lost write is one below what the final polls read).
 * @throws UserError when the scenario is not the Kafka model's (only it has a Jepsen history).
 */
export function runWithClientHistory(resolution: Resolution, options: { finalPolls?: boolean } = {}): { report: RunReport; ops: readonly ClientOp[] } {
  if (resolution.scenario.model !== 'kafka')
    throw new UserError(`scenario model "${resolution.scenario.model}": a client history exists only for the kafka model; use a Kafka scenario`);
  // The members' rebalance protocols, from the scenario as the model builds it; on a choice source
  // of its own, so the run's streams are untouched.
  const built = buildKafkaScenario(resolution.scenario as unknown as KafkaScenarioInput, new SeededChoices(resolution.scenario.seed).stream('kafka.assignment'));
  const observer = new ClientHistoryObserver(built);
  const report = runResolved(resolution, { checkers: [observer] });
  const final = report.outcome.final as KafkaFinalState | undefined;
  const ops = observer.ops(msToUs(report.virtualMs));
  if (options.finalPolls === false || !final) return { report, ops };
  return { report, ops: [...ops, ...finalPolls(final, msToUs(report.virtualMs), ops.length)] };
}
