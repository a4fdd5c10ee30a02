// What every part of the Kafka model shares: the scenario, the static layout, the protocol era,
// run-wide counters and the run-wide record id sequence. One per run; never per node.

import type { ClusterLayout } from './cluster-layout.ts';
import type { KafkaScenario } from './scenario/kafka-scenario.ts';
import type { ProtocolFeatures } from './version/protocol-features.ts';
import { protocolOf, runningVersionOf } from './version/kafka-versions.ts';
import { ClusterVersions } from './version/cluster-versions.ts';
import { initialMessageFormatOf } from './version/message-format.ts';
import { KafkaStats } from './kafka-stats.ts';
import { BugSwitches } from './model-bugs.ts';
import type { PartitionMeta } from './controller/metadata-image.ts';
import type { PartitionLog } from './storage/partition-log.ts';
import { LogRecordStore } from './storage/log-record-store.ts';
import { OffsetsRecordTable } from './group/offsets-record-table.ts';
import { OperationAim } from './operation-aim.ts';
import type { ControllerChange } from './kafka-events.ts';

export class KafkaWorld {
  /**
   * What the scenario's version can do (version/protocol-features.ts): the clients' (they stay at
   * the scenario's version) and the analysis's. Brokers and controllers read `versions`, which an
   * upgrade changes per broker.
   */
  readonly protocol: ProtocolFeatures;
  /** What each broker runs and can do, and the protocol level (version/cluster-versions.ts). */
  readonly versions: ClusterVersions;
  readonly kraft: boolean;
  /** The bug-zoo switches (model-bugs.ts); all off unless a scenario lists bugs. */
  readonly bugs: BugSwitches;
  readonly stats = new KafkaStats();
  /** The active controller's changes (kafka-events.ts ControllerChange): beside the trace, for the run summary. */
  readonly controllerChanges: ControllerChange[] = [];
  /** Next run-wide record id (assigned at send time). */
  nextRecordId = 0;
  /** Max records one fetch returns per partition (replica.fetch.max.bytes / largest record). */
  readonly fetchMaxRecords: number;
  /**
   * The brokers' logs, [broker][partition], for the controller's election events only
   * (ElectionEvent.leaderLogEndOffset). Decisions never read another node's log through this.
   */
  logsOfBroker: (readonly (PartitionLog | null)[])[] = [];
  /**
   * The controller's committed partition states by global index (undefined: not created yet), for
   * the operator of a rolling restart only (broker/rolling-restart.ts), who reads them as
   * kafka-topics --describe would. Kafka nodes never decide on this.
   */
  committedPartitions: () => readonly (PartitionMeta | undefined)[] = () => [];
  /** Largest record size of any producer (bytes stand-in for fetch sizes and segments). */
  readonly maxRecordBytes: number;
  /** Every record any log of the run holds; logs keep refs into it (storage/log-record-store.ts). */
  readonly recordStore = new LogRecordStore();
  /** Key and value of every __consumer_offsets record, by record id (offsets-topic.ts). */
  readonly offsetsRecords = new OffsetsRecordTable();
  /** Producer record keys by record id, kept only when a user topic is compacted. */
  readonly recordKeys: Map<number, string | null> | null;
  /** Run-wide member id sequence (member ids stay unique across coordinator failover). */
  nextMemberSeq = 1;
  /** Operations aimed at roles ("@leader:orders-0"): resolved once, when they fire (operation-aim.ts). */
  readonly operationAim: OperationAim;

  constructor(
    readonly scenario: KafkaScenario,
    readonly layout: ClusterLayout,
    /** Run length (Infinity when unbounded): producers stop generating there. */
    readonly durationUs: number,
  ) {
    this.protocol = protocolOf(scenario);
    this.versions = new ClusterVersions(runningVersionOf(scenario), this.protocol, scenario.brokers.length, initialMessageFormatOf(scenario.brokerConfig));
    this.bugs = new BugSwitches(scenario.bugs);
    this.kraft = scenario.metadataMode === 'kraft';
    let maxRecordBytes = 1;
    for (const p of scenario.producers) if (p.recordBytes > maxRecordBytes) maxRecordBytes = p.recordBytes;
    this.fetchMaxRecords = Math.max(1, Math.floor(scenario.brokerConfig['replica.fetch.max.bytes'] / maxRecordBytes));
    this.maxRecordBytes = maxRecordBytes;
    this.operationAim = new OperationAim((node) => layout.brokerNode.indexOf(node), scenario.brokers.map((b) => b.name));
    this.recordKeys = scenario.topics.some((t) => t.config['log.cleanup.policy'] === 'compact') ? new Map() : null;
  }

  logEndOffsetOf(broker: number, partition: number): number {
    const log = this.logsOfBroker[broker]?.[partition];
    return log ? log.logEndOffset : 0;
  }
}
