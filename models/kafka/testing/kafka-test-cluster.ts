// A small scripted DSL for Kafka model tests: describe brokers, AZs, explicit replica assignments
// (by broker name), configs, producers with scripted sends and explicit faults; runKafka builds
// the KafkaScenario directly (no scenario files, no replica-assignment code) and runs it through
// the kernel the way src/scenario/run-scenario.ts does, returning every emitted event with its
// time and node, the final state and the counters, with helpers to ask Kafka questions of them.

import type { Fault } from '../../../src/faults/fault.ts';
import { DEFAULT_NETWORK, type NetworkConfig } from '../../../src/net/network-config.ts';
import { Topology, type NodeSpec } from '../../../src/net/topology.ts';
import type { ModelEvent } from '../../../src/sim/model.ts';
import { SeededChoices } from '../../../src/sim/seeded-choices.ts';
import { Simulation } from '../../../src/kernel/simulation.ts';
import { DEFAULT_LIMITS } from '../../../src/kernel/run-limits.ts';
import type { FinalPartitionState, FinalReplicaLog, KafkaFinalState } from '../kafka-events.ts';
import { KafkaModel } from '../kafka-model.ts';
import { OFFSETS_TOPIC, offsetsTopicConfig } from '../group/offsets-topic.ts';
import type { KafkaVersion } from '../version/kafka-versions.ts';
import {
  LINUX_WRITEBACK_DEFAULTS, FSYNC_MS_DEFAULTS,
  type BrokerStorage,
  type CommitStrategy,
  type KafkaOperation,
  type KafkaScenario,
  type MetadataMode,
  type StorageType,
} from '../scenario/kafka-scenario.ts';
import type { ProtocolEra } from '../version/protocol-features.ts';
import { BROKER_DEFAULTS, type BrokerConfig } from '../config/broker-configs.ts';
import { CONSUMER_DEFAULTS, type ConsumerConfig } from '../config/consumer-configs.ts';
import { PRODUCER_DEFAULTS, type ProducerConfig } from '../config/producer-configs.ts';
import { topicDefaultsOf, type TopicConfig } from '../config/topic-configs.ts';

/** Apache Kafka's broker defaults (KRaft era), with replication factor 3 for the three-broker cluster. */
export const TEST_BROKER_DEFAULTS: BrokerConfig = { ...BROKER_DEFAULTS, 'default.replication.factor': 3 };

/** The Java client's defaults, except idempotence off and linger.ms 0 (tests opt in). */
const TEST_PRODUCER_DEFAULTS: ProducerConfig = { ...PRODUCER_DEFAULTS, 'enable.idempotence': false, 'linger.ms': 0 };

/** The Java consumer's defaults, except enable.auto.commit (set from the group's commit strategy). */
export const TEST_CONSUMER_DEFAULTS: ConsumerConfig = { ...CONSUMER_DEFAULTS, 'enable.auto.commit': false };

interface TestConsumerMember {
  name: string;
  az?: string;
  startMs?: number;
  config?: Partial<ConsumerConfig>;
}

interface TestConsumerGroup {
  groupId: string;
  topics?: string[];
  members: TestConsumerMember[];
  processingMs?: number;
  commit?: CommitStrategy;
  commitSync?: boolean;
  /** Applies to every member (a member's own config overrides it). */
  config?: Partial<ConsumerConfig>;
}

interface TestBroker {
  name: string;
  az: string;
  /** Default: EBS with Linux's writeback defaults; a type alone keeps those defaults. */
  storage?: StorageType | Partial<BrokerStorage>;
}

function storageOf(b: TestBroker): BrokerStorage {
  const s = typeof b.storage === 'string' ? { type: b.storage } : (b.storage ?? {});
  return { type: 'ebs', ...LINUX_WRITEBACK_DEFAULTS, fsyncMs: FSYNC_MS_DEFAULTS.ebs, ...s };
}

interface TestTopic {
  name: string;
  /** Replicas per partition by broker name, preferred leader first. */
  replicas: string[][];
  config?: Partial<TopicConfig>;
}

interface TestProducer {
  name: string;
  az?: string;
  topic?: string;
  config?: Partial<ProducerConfig>;
  /** Scripted sends: [atMs, key]. */
  sends?: [number, string | null][];
  ratePerSec?: number;
  keys?: number;
  recordBytes?: number;
  startMs?: number;
  stopMs?: number;
}

export interface TestCluster {
  era?: ProtocolEra;
  /** The Kafka version the controller and brokers run (absent: the era's). */
  kafkaVersion?: KafkaVersion;
  metadataMode?: MetadataMode;
  brokers?: TestBroker[];
  controllers?: { name: string; az: string }[];
  brokerConfig?: Partial<BrokerConfig>;
  topics?: TestTopic[];
  producers?: TestProducer[];
  operations?: KafkaOperation[];
  consumerGroups?: TestConsumerGroup[];
  /** __consumer_offsets replicas per partition by broker name; default one partition on the first three brokers. */
  offsetsReplicas?: string[][];
  faults?: Fault[];
  network?: Partial<NetworkConfig>;
  durationMs: number;
  seed?: string;
}

interface RecordedEvent {
  timeUs: number;
  node: string;
  event: ModelEvent;
}

const AZS = ['az1', 'az2', 'az3'];

export function buildScenario(t: TestCluster): KafkaScenario {
  const brokers: TestBroker[] = t.brokers ?? [1, 2, 3].map((i) => ({ name: `b${i}`, az: AZS[i - 1] }));
  const brokerIndex = new Map(brokers.map((b, i) => [b.name, i]));
  const brokerConfig: BrokerConfig = { ...TEST_BROKER_DEFAULTS, ...t.brokerConfig };
  const topics = (t.topics ?? [{ name: 'orders', replicas: [brokers.slice(0, 3).map((b) => b.name)] }]).map((topic) => ({
    name: topic.name,
    partitions: topic.replicas.length,
    replicationFactor: topic.replicas[0].length,
    config: { ...topicDefaultsOf(brokerConfig), ...topic.config },
    replicas: topic.replicas.map((rs) =>
      rs.map((name) => {
        const i = brokerIndex.get(name);
        if (i === undefined) throw new Error(`unknown broker ${name}`);
        return i;
      }),
    ),
  }));
  return {
    era: t.era ?? 'current',
    ...(t.kafkaVersion === undefined ? {} : { kafkaVersion: t.kafkaVersion }),
    metadataMode: t.metadataMode ?? 'kraft',
    brokers: brokers.map((b, i) => ({ name: b.name, id: i + 1, az: b.az, rack: b.az, storage: storageOf(b) })),
    controllers: t.controllers ?? [1, 2, 3].map((i) => ({ name: `c${i}`, az: AZS[i - 1] })),
    brokerConfig,
    topics,
    producers: (t.producers ?? []).map((p) => ({
      name: p.name,
      az: p.az ?? 'az1',
      topic: p.topic ?? topics[0].name,
      ratePerSec: p.ratePerSec ?? 0,
      keys: p.keys ?? 0,
      recordBytes: p.recordBytes ?? 100,
      startMs: p.startMs ?? 0,
      stopMs: p.stopMs,
      sends: (p.sends ?? []).map(([atMs, key]) => ({ atMs, key })),
      config: { ...TEST_PRODUCER_DEFAULTS, ...p.config },
    })),
    operations: t.operations ?? [],
    ...(t.consumerGroups && t.consumerGroups.length > 0
      ? {
          consumerGroups: t.consumerGroups.map((g) => ({
            groupId: g.groupId,
            topics: g.topics ?? [topics[0].name],
            members: g.members.map((m) => ({
              name: m.name,
              az: m.az ?? 'az1',
              startMs: m.startMs ?? 0,
              processingMs: g.processingMs ?? 0,
              commit: g.commit ?? 'after-processing',
              commitSync: g.commitSync ?? true,
              config: { ...TEST_CONSUMER_DEFAULTS, 'enable.auto.commit': g.commit === 'auto', ...g.config, ...m.config },
            })),
          })),
          offsetsTopic: (() => {
            const names = t.offsetsReplicas ?? [brokers.slice(0, 3).map((b) => b.name)];
            return {
              name: OFFSETS_TOPIC,
              partitions: names.length,
              replicationFactor: names[0].length,
              config: offsetsTopicConfig(brokerConfig),
              replicas: names.map((rs) => rs.map((n) => brokerIndex.get(n)!)),
              internal: true,
            };
          })(),
        }
      : {}),
  };
}

export function scenarioNodes(s: KafkaScenario): NodeSpec[] {
  return [
    ...s.brokers.map((b) => ({ name: b.name, az: b.az })),
    ...s.controllers.map((c) => ({ name: c.name, az: c.az })),
    ...s.producers.map((p) => ({ name: p.name, az: p.az })),
    ...(s.consumerGroups ?? []).flatMap((g) => g.members.map((m) => ({ name: m.name, az: m.az }))),
  ];
}

export function runKafka(t: TestCluster): KafkaTestRun {
  const scenario = buildScenario(t);
  const topology = new Topology(scenarioNodes(scenario));
  const choices = new SeededChoices(t.seed ?? '1');
  const sim = new Simulation({
    topology,
    network: { ...DEFAULT_NETWORK, ...t.network },
    choices,
    faults: t.faults ?? [],
    noise: { intervalMsMean: 0, durationMsMean: 1000, kinds: [], startMs: 0 },
    limits: DEFAULT_LIMITS,
    durationMs: t.durationMs,
  });
  const events: RecordedEvent[] = [];
  sim.onEvent((timeUs, node, event) => events.push({ timeUs, node: node < 0 ? '' : topology.names[node], event }));
  const model = new KafkaModel({ topology, choices, config: scenario, durationUs: t.durationMs * 1000 }, scenario);
  const outcome = sim.run(model);
  return new KafkaTestRun(events, outcome.model.final as KafkaFinalState, outcome.model.stats as Record<string, number>, outcome.traceHash);
}

export class KafkaTestRun {
  constructor(
    readonly events: RecordedEvent[],
    readonly final: KafkaFinalState,
    readonly stats: Record<string, number>,
    readonly traceHash: string,
  ) {}

  /** Events of one type, in order. */
  of(type: string): ModelEvent[] {
    return this.events.filter((e) => e.event.type === type).map((e) => e.event);
  }

  /** Record ids acknowledged (send-ok, one event per batch), optionally for one producer. */
  acked(producer?: string): number[] {
    return this.of('send-ok')
      .filter((e) => producer === undefined || e.producer === producer)
      .flatMap((e) => e.records as number[]);
  }

  failed(producer?: string): ModelEvent[] {
    return this.of('send-fail').filter((e) => producer === undefined || e.producer === producer);
  }

  partition(name: string): FinalPartitionState {
    const p = this.final.partitions.find((x) => x.partition === name);
    if (!p) throw new Error(`no partition ${name}`);
    return p;
  }

  /** A replica's final log, its columns as plain arrays (the model exports Int32Arrays). */
  log(partition: string, broker: string): FinalReplicaLog<number[]> {
    const l = this.partition(partition).logs.find((x) => x.broker === broker);
    if (!l) throw new Error(`no replica of ${partition} on ${broker}`);
    return { ...l, records: Array.from(l.records), epochs: Array.from(l.epochs) };
  }

  /** Records of the final leader's log (what a consumer could read), or [] when offline. */
  leaderRecords(partition: string): number[] {
    const p = this.partition(partition);
    if (p.leader === null) return [];
    return this.log(partition, p.leader).records;
  }

  /** `process` events (one per run of a poll's records from one partition), optionally of one member. */
  processed(member?: string): ModelEvent[] {
    return this.of('process').filter((e) => member === undefined || e.member === member);
  }

  /** Record ids processed more than once (by anyone). */
  processedTwice(): number[] {
    const n = new Map<number, number>();
    for (const e of this.of('process')) for (const r of e.records as number[]) n.set(r, (n.get(r) ?? 0) + 1);
    return [...n].filter(([, c]) => c > 1).map(([id]) => id);
  }

  /** Acknowledged record ids nobody processed. */
  neverProcessed(): number[] {
    const seen = new Set(this.of('process').flatMap((e) => e.records as number[]));
    return this.acked().filter((id) => !seen.has(id));
  }

  /** Acknowledged records (acks >= 1) missing from the final leader's log. */
  lostAcked(partition: string): number[] {
    const present = new Set(this.leaderRecords(partition));
    return this.of('send-ok')
      .filter((e) => e.partition === partition && (e.offset as number) >= 0)
      .flatMap((e) => (e.records as number[]).filter((record) => !present.has(record)));
  }
}
