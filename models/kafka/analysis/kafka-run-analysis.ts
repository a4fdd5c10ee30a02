// One run's Kafka analysis, shared by the summary and the checkers so the history is recorded once
// and the final logs are indexed once. Events go in through record() during the run; conclude()
// turns the history and the model's final state into findings, once (later calls return the same
// result), whichever checker asks first.

import type { KernelEvent, KernelView, RunView } from '../../../src/check/checker.ts';
import type { ModelEvent } from '../../../src/sim/model.ts';
import type { FaultData } from '../../../src/faults/fault-actions.ts';
import type { TimeUs } from '../../../src/sim/time.ts';
import type { KafkaFinalState } from '../kafka-events.ts';
import type { KafkaScenario } from '../scenario/kafka-scenario.ts';
import { findDuplicatedRecords, type DuplicatedRecord } from './duplicate-records.ts';
import { analyseFinalLogs, type PartitionFinalLog } from './final-logs.ts';
import { KAFKA_HISTORY_EVENT_TYPES, KafkaHistory } from './kafka-history.ts';
import { CONSUMER_HISTORY_EVENT_TYPES, ConsumerHistory, type ConsumerGroupFigures } from './consumer-history.ts';
import { findLostRecords, type AckedAt, type LostRecords } from './lost-records.ts';
import { findReorderedRecords, type ProducerReorder } from './reordered-records.ts';
import { VersionTimeline } from './version-timeline.ts';
import { ScenarioLookup } from './scenario-lookup.ts';
import { CONSUMER_TIMELINE_EVENT_TYPES, ConsumerTimeline } from './consumer-timeline.ts';
import { GroupStartPositions } from './group-start-positions.ts';
import { CLIENT_HISTORY_EVENT_TYPES, ClientHistoryRecorder } from './client-history.ts';
import type { KafkaEvent, KafkaEventType } from '../kafka-events.ts';
import { assignorFor } from '../consumer/assignors/assignor-registry.ts';

export interface KafkaRunFindings {
  endUs: TimeUs;
  /** undefined when the model reported no final state (then no log-based findings). */
  final: KafkaFinalState | undefined;
  logs: ReadonlyMap<string, PartitionFinalLog>;
  lost: LostRecords;
  /** Acknowledged records retention deleted (below the final log start, not lost), per partition. */
  deletedByRetention: ReadonlyMap<string, readonly AckedAt[]>;
  duplicates: DuplicatedRecord[];
  reorders: ProducerReorder[];
  /** Per consumer group, in group name order ([] without groups). */
  consumerGroups: ConsumerGroupFigures[];
  /** Where each new group that started at auto.offset.reset=latest began to owe records. */
  startPositions: GroupStartPositions;
  /** Node index to name, for replicas identified by the node that emitted their events. */
  nodeName(node: number): string;
}

/** A recorder of the scenario's client history, knowing each member's rebalance protocol. */
export function clientHistoryRecorderFor(scenario: KafkaScenario): ClientHistoryRecorder {
  const protocols = new Map<string, 'eager' | 'cooperative'>();
  for (const g of scenario.consumerGroups ?? [])
    for (const m of g.members) protocols.set(m.name, assignorFor(m.config['partition.assignment.strategy']).rebalanceProtocol);
  return new ClientHistoryRecorder((member) => protocols.get(member) ?? 'eager');
}

// Which of the recorders below an event type reaches, as bits: each reads a few types, and most of
// a run's events are of a few (append, hw, send, send-ok, poll, process, commit, commit-ok), which
// reach one or two of them, or none (commit): not five calls that mostly fall through their switch.
const HISTORY = 1;
const CONSUMERS = 2;
const TIMELINE = 4;
const CLIENTS = 8;
const VERSIONS = 16;
const RECORDERS_OF_TYPE = new Map<string, number>();
for (const [bit, types] of [
  [HISTORY, KAFKA_HISTORY_EVENT_TYPES],
  [CONSUMERS, CONSUMER_HISTORY_EVENT_TYPES],
  [TIMELINE, CONSUMER_TIMELINE_EVENT_TYPES],
  [CLIENTS, CLIENT_HISTORY_EVENT_TYPES],
  [VERSIONS, ['version-change']],
] as const)
  for (const type of types) RECORDERS_OF_TYPE.set(type, (RECORDERS_OF_TYPE.get(type) ?? 0) | bit);

/** The event types KafkaRunAnalysis.record reads (its observer subscribes to these alone). */
export const KAFKA_RUN_ANALYSIS_EVENT_TYPES: readonly KafkaEventType[] = [...RECORDERS_OF_TYPE.keys()] as KafkaEventType[];

export class KafkaRunAnalysis {
  readonly lookup: ScenarioLookup;
  readonly history: KafkaHistory;
  readonly consumers = new ConsumerHistory();
  /** Resets, retention, read frontiers, __consumer_offsets losses: what explains consumer anomalies. */
  readonly timeline: ConsumerTimeline;
  /** The run as a Jepsen-style history of client operations (sends, polls, assignments). */
  readonly clients: ClientHistoryRecorder;
  /** What each broker ran when (runs with upgrades): the checkers judge a flaw by it. */
  readonly versions: VersionTimeline;
  /** The scheduled faults as they fired, their role targets resolved ("@leader:orders-0" is the broker it hit). */
  readonly firedFaults: FaultData[] = [];
  private findings: KafkaRunFindings | null = null;

  constructor(readonly scenario: KafkaScenario) {
    this.lookup = new ScenarioLookup(scenario);
    this.history = new KafkaHistory(this.lookup);
    this.timeline = new ConsumerTimeline(scenario.offsetsTopic?.name ?? '__consumer_offsets');
    this.clients = clientHistoryRecorderFor(scenario);
    this.versions = new VersionTimeline(scenario);
  }

  /** The run's kernel, read by the availability figures; call before the run starts. */
  attach(kernel: KernelView): void {
    this.history.availability.attach(kernel);
  }

  /** A model event, to the recorders that read its type (RECORDERS_OF_TYPE), in this order. */
  record(timeUs: TimeUs, node: number, event: ModelEvent): void {
    const to = RECORDERS_OF_TYPE.get(event.type) ?? 0;
    if (to === 0) return;
    const ev = event as unknown as KafkaEvent;
    if ((to & HISTORY) !== 0) this.history.record(timeUs, node, event);
    if ((to & CONSUMERS) !== 0) this.consumers.record(timeUs, event);
    if ((to & TIMELINE) !== 0) this.timeline.record(timeUs, node, ev);
    if ((to & CLIENTS) !== 0) this.clients.record(timeUs, ev);
    // Brokers are the first nodes (kafka-definition.ts kafkaNodes); a controller's change is the cluster's.
    if ((to & VERSIONS) !== 0 && ev.type === 'version-change') this.versions.add(timeUs, node < this.scenario.brokers.length ? node : -1, ev);
  }

  recordKernel(timeUs: TimeUs, event: KernelEvent): void {
    this.history.availability.onKernelEvent(timeUs, event);
    this.history.onKernelEvent(timeUs, event);
    if (event.type === 'fault-start' && event.layer === 'schedule') this.firedFaults.push(event.fault);
  }

  conclude(run: Pick<RunView, 'nowUs' | 'model' | 'topology'>): KafkaRunFindings {
    if (this.findings) return this.findings;
    const final = run.model.final as KafkaFinalState | undefined;
    this.lookup.learnFromFinal(final);
    this.history.close(run.nowUs);
    const logs = final ? analyseFinalLogs(final) : new Map<string, PartitionFinalLog>();
    const names = run.topology.names;
    const lost = final ? findLostRecords(this.history, logs) : { lost: [], unreachable: 0, keptByExit: 0, keptByExitIds: new Set<number>(), ackedAboveHighWatermark: 0, belowLogStart: 0, compacted: 0, deletedByRetention: new Map() };
    const records = this.history.records;
    const createdUs = (partition: string) => this.history.elections(partition).find((e) => e.event.kind === 'initial')?.timeUs ?? 0;
    const startPositions = new GroupStartPositions(this.timeline, (id) => records.sendUsOf(id), createdUs);
    this.findings = {
      endUs: run.nowUs,
      final,
      logs,
      lost,
      deletedByRetention: lost.deletedByRetention,
      duplicates: findDuplicatedRecords(logs),
      reorders: findReorderedRecords(this.history, logs),
      consumerGroups: this.consumers.figures(final, logs, lost.deletedByRetention, startPositions),
      startPositions,
      nodeName: (node) => names[node] ?? `node${node}`,
    };
    return this.findings;
  }
}
