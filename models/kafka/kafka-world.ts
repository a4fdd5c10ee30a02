// What every part of the Kafka model shares: the scenario, the static layout, the protocol era,
// run-wide counters and the run-wide record id sequence. One per run; never per node.

import type { ClusterLayout } from './cluster-layout.ts';
import type { KafkaScenario, ProtocolEra } from './kafka-scenario.ts';
import { KafkaStats } from './kafka-stats.ts';
import type { PartitionLog } from './partition-log.ts';

export class KafkaWorld {
  readonly era: ProtocolEra;
  readonly kraft: boolean;
  readonly stats = new KafkaStats();
  /** Next run-wide record id (assigned at send time). */
  nextRecordId = 0;
  /** Max records one fetch returns per partition (replica.fetch.max.bytes / largest record). */
  readonly fetchMaxRecords: number;
  /**
   * The brokers' logs, [broker][partition], for the controller's election events only
   * (ElectionEvent.leaderLogEndOffset). Decisions never read another node's log through this.
   */
  logsOfBroker: (PartitionLog | null)[][] = [];

  constructor(
    readonly scenario: KafkaScenario,
    readonly layout: ClusterLayout,
    /** Run length (Infinity when unbounded): producers stop generating there. */
    readonly durationUs: number,
  ) {
    this.era = scenario.era;
    this.kraft = scenario.metadataMode === 'kraft';
    let maxRecordBytes = 1;
    for (const p of scenario.producers) if (p.recordBytes > maxRecordBytes) maxRecordBytes = p.recordBytes;
    this.fetchMaxRecords = Math.max(1, Math.floor(scenario.brokerConfig['replica.fetch.max.bytes'] / maxRecordBytes));
  }

  logEndOffsetOf(broker: number, partition: number): number {
    const log = this.logsOfBroker[broker]?.[partition];
    return log ? log.logEndOffset : 0;
  }
}
