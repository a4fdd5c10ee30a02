// Name <-> index lookups the per-event invariants need to stay O(1): partitions by name ("orders-0",
// in topic then partition order), brokers by name, each partition's assigned replicas (as a
// reassignment event last set them, KIP-455), and each producer's acks. Replica events (append, truncate, log-lost, hw) identify a broker by the node
// that emitted them; the Kafka model lists brokers first in its topology (kafka-definition.ts
// kafkaNodes), so node index i < brokerCount is broker i. checkTopology asserts that at the end.

import type { Topology } from '../../../src/net/topology.ts';
import type { ReassignmentEvent } from '../kafka-events.ts';
import type { KafkaScenario } from '../scenario/kafka-scenario.ts';
import type { Acks } from '../config/config-entry.ts';

export class KafkaNames {
  readonly brokerNames: readonly string[];
  readonly partitionNames: string[] = [];
  /** Per partition index: assigned replicas as broker indexes, preferred leader first (see onReassignment). */
  readonly replicas: (readonly number[])[] = [];
  private readonly brokerByName = new Map<string, number>();
  private readonly partitionByName = new Map<string, number>();
  private readonly acksByProducer = new Map<string, Acks>();
  /**
   * The name partition() was last asked and its answer: the run's invariants share one KafkaNames
   * (createKafkaCheckers) and each asks for the partition of the event they all read, so all but
   * the first are answered without a hash lookup.
   */
  private lastPartitionName = '';
  private lastPartition = -1;

  constructor(scenario: KafkaScenario) {
    this.brokerNames = scenario.brokers.map((b) => b.name);
    this.brokerNames.forEach((n, i) => this.brokerByName.set(n, i));
    for (const t of scenario.topics)
      for (let p = 0; p < t.partitions; p++) {
        const name = `${t.name}-${p}`;
        this.partitionByName.set(name, this.partitionNames.length);
        this.partitionNames.push(name);
        this.replicas.push(t.replicas[p] ?? []);
      }
    for (const p of scenario.producers) this.acksByProducer.set(p.name, p.config.acks);
  }

  /** A reassignment changed a partition's committed replicas (while in progress: target + removing). */
  onReassignment(ev: ReassignmentEvent): void {
    const p = this.partition(ev.partition);
    if (p < 0) return;
    const replicas: number[] = [];
    for (const name of ev.replicas) replicas.push(this.broker(name));
    this.replicas[p] = replicas;
  }

  get brokerCount(): number {
    return this.brokerNames.length;
  }

  get partitionCount(): number {
    return this.partitionNames.length;
  }

  /** -1 for a partition the scenario does not create. */
  partition(name: string): number {
    if (name === this.lastPartitionName) return this.lastPartition;
    const p = this.partitionByName.get(name) ?? -1;
    this.lastPartitionName = name;
    this.lastPartition = p;
    return p;
  }

  /** -1 for a name that is not a broker. */
  broker(name: string): number {
    return this.brokerByName.get(name) ?? -1;
  }

  /** The broker a replica event came from, or -1 when the node is not a broker. */
  brokerOfNode(node: number): number {
    return node >= 0 && node < this.brokerNames.length ? node : -1;
  }

  brokerName(broker: number): string {
    return this.brokerNames[broker] ?? `broker#${broker}`;
  }

  brokerNamesOf(brokers: readonly number[]): string {
    return `[${brokers.map((b) => this.brokerName(b)).join(', ')}]`;
  }

  acksOf(producer: string): Acks | undefined {
    return this.acksByProducer.get(producer);
  }

  /** Throws when the run's topology does not list the brokers first, in scenario order. */
  checkTopology(topology: Topology): void {
    this.brokerNames.forEach((name, i) => {
      if (topology.names[i] !== name) throw new Error(`Kafka checkers: node ${i} is "${topology.names[i]}", expected broker "${name}"`);
    });
  }
}
