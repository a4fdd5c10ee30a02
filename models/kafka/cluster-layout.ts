// The static shape of a Kafka run: which node index each broker, controller and producer has, and
// every partition of every topic flattened into one global index (the model addresses partitions
// by that index everywhere; events name them "topic-p"). Built once from the KafkaScenario.

import type { Topology } from '../../src/net/topology.ts';
import type { KafkaScenario, TopicSpec } from './scenario/kafka-scenario.ts';
import type { ReplicationThrottle } from './broker/replication-quota-manager.ts';

export const ROLE_BROKER = 0;
export const ROLE_CONTROLLER = 1;
export const ROLE_PRODUCER = 2;
export const ROLE_CONSUMER = 3;

export interface PartitionInfo {
  /** Global partition index (position in ClusterLayout.partitions). */
  index: number;
  topic: TopicSpec;
  /** Partition number inside its topic. */
  partition: number;
  /** "topic-p", as events name it. */
  name: string;
  /** Broker indexes, preferred leader first: the assignment the partition is created with. */
  replicas: readonly number[];
  /**
   * Every broker that is ever a replica (the creation assignment, then each reassign-partitions
   * target), ascending. Equal in content to replicas when no operation reassigns the partition.
   */
  hosts: readonly number[];
  minInsyncReplicas: number;
  uncleanLeaderElection: boolean;
  flushIntervalMessages: number;
  /** A partition of Kafka's internal __consumer_offsets topic. */
  internal: boolean;
  /** The create-partitions operation (index into KafkaScenario.operations) that adds it; -1: exists from the start. */
  addedBy: number;
}

export class ClusterLayout {
  readonly brokerCount: number;
  readonly controllerCount: number;
  readonly producerCount: number;
  readonly brokerNode: number[];
  readonly controllerNode: number[];
  readonly producerNode: number[];
  /** Consumer group members, group by group in declaration order. */
  readonly consumerNode: number[];
  readonly brokerNames: string[];
  /** ROLE_* per node index. */
  readonly roleOfNode: Int8Array;
  /** Index inside its role (broker index, controller index, producer index) per node. */
  readonly indexOfNode: Int32Array;
  readonly partitions: PartitionInfo[] = [];
  /** Global partition indexes of each topic, by partition number. */
  readonly partitionsOfTopic = new Map<string, number[]>();
  /**
   * Global partition indexes each broker replicates at some point of the run, ascending: the
   * creation assignment and every reassign-partitions target (the broker holds no role in the
   * partition while the committed replicas do not name it).
   */
  readonly partitionsOfBroker: number[][];
  /** Global indexes of __consumer_offsets partitions by partition number ([] without groups). */
  readonly offsetsPartitions: number[] = [];
  /**
   * Per broker: the partitions it throttles as a leader / as a follower (KIP-73), from each
   * reassign-partitions with throttleBytesPerSec, as kafka-reassign-partitions --throttle lists
   * them: the partition's replicas before the move as leaders, the ones it adds as followers
   * (the replicas before are the previous reassignment's target, as if it had completed).
   */
  readonly leaderThrottles: ReplicationThrottle[][];
  readonly followerThrottles: ReplicationThrottle[][];
  /** Global indexes of the partitions each create-partitions operation adds, by operation index. */
  readonly addedPartitions = new Map<number, number[]>();

  constructor(scenario: KafkaScenario, topology: Topology) {
    this.brokerCount = scenario.brokers.length;
    this.controllerCount = scenario.controllers.length;
    this.producerCount = scenario.producers.length;
    this.brokerNames = scenario.brokers.map((b) => b.name);
    this.brokerNode = scenario.brokers.map((b) => topology.index(b.name));
    this.controllerNode = scenario.controllers.map((c) => topology.index(c.name));
    this.producerNode = scenario.producers.map((p) => topology.index(p.name));
    this.consumerNode = (scenario.consumerGroups ?? []).flatMap((g) => g.members.map((m) => topology.index(m.name)));
    this.roleOfNode = new Int8Array(topology.size).fill(-1);
    this.indexOfNode = new Int32Array(topology.size).fill(-1);
    const mark = (nodes: number[], role: number) =>
      nodes.forEach((node, i) => {
        this.roleOfNode[node] = role;
        this.indexOfNode[node] = i;
      });
    mark(this.brokerNode, ROLE_BROKER);
    mark(this.controllerNode, ROLE_CONTROLLER);
    mark(this.producerNode, ROLE_PRODUCER);
    mark(this.consumerNode, ROLE_CONSUMER);
    if (this.controllerCount === 0) throw new Error('a Kafka scenario needs at least one controller');

    this.partitionsOfBroker = scenario.brokers.map(() => []);
    this.leaderThrottles = scenario.brokers.map(() => []);
    this.followerThrottles = scenario.brokers.map(() => []);
    // __consumer_offsets comes after the user topics, so user partition indexes do not depend on it.
    const topics = scenario.offsetsTopic ? [...scenario.topics, scenario.offsetsTopic] : scenario.topics;
    for (const topic of topics) this.partitionsOfTopic.set(topic.name, this.addPartitions(topic, 0, topic.partitions, topic.replicas, -1));
    // Partitions a create-partitions adds come after every initial one (and after
    // __consumer_offsets), in the order the operations run, so initial indexes never move.
    const ops = scenario.operations.map((op, i) => ({ op, i })).sort((a, b) => a.op.atMs - b.op.atMs || a.i - b.i);
    for (const { op, i } of ops) {
      if (op.kind !== 'create-partitions') continue;
      const topic = scenario.topics.find((t) => t.name === op.topic);
      const indexes = this.partitionsOfTopic.get(op.topic);
      if (topic === undefined || indexes === undefined) throw new Error(`create-partitions of unknown topic ${op.topic}`);
      const added = this.addPartitions(topic, indexes.length, op.totalCount, op.replicas, i);
      this.addedPartitions.set(i, added);
      indexes.push(...added);
    }
    const assigned = new Map<number, readonly number[]>();
    for (const { op } of ops) {
      if (op.kind !== 'reassign-partitions') continue;
      const p = this.addHosts(op.topic, op.partition, op.replicas);
      const before = assigned.get(p) ?? this.partitions[p].replicas;
      assigned.set(p, op.replicas);
      if (op.throttleBytesPerSec === null) continue;
      const throttle: ReplicationThrottle = { partition: p, fromUs: op.atMs * 1000, bytesPerSec: op.throttleBytesPerSec };
      for (const b of before) this.leaderThrottles[b].push(throttle);
      for (const b of op.replicas) if (!before.includes(b)) this.followerThrottles[b].push(throttle);
    }
  }

  /** A reassign-partitions target: its brokers may host the partition from then on. Returns its index. */
  private addHosts(topic: string, partition: number, brokers: readonly number[]): number {
    const p = this.partitionsOfTopic.get(topic)?.[partition];
    if (p === undefined) throw new Error(`reassign-partitions of unknown partition ${topic}-${partition}`);
    const info = this.partitions[p];
    const added = brokers.filter((b) => !info.hosts.includes(b));
    if (added.length === 0) return p;
    for (const b of added) {
      if (b < 0 || b >= this.brokerCount) throw new Error(`reassign-partitions of ${info.name}: no broker index ${b}`);
      this.partitionsOfBroker[b].push(p);
      this.partitionsOfBroker[b].sort((x, y) => x - y);
    }
    info.hosts = [...info.hosts, ...added].sort((x, y) => x - y);
    return p;
  }

  /** Appends partitions from..to-1 of topic (replicas[k] for partition from+k); returns their indexes. */
  private addPartitions(topic: TopicSpec, from: number, to: number, replicasOf: readonly (readonly number[])[], addedBy: number): number[] {
    const indexes: number[] = [];
    for (let p = from; p < to; p++) {
      const replicas = replicasOf[p - from];
      if (!replicas || replicas.length === 0) throw new Error(`topic ${topic.name} partition ${p} has no replicas`);
      const index = this.partitions.length;
      this.partitions.push({
        index,
        topic,
        partition: p,
        name: `${topic.name}-${p}`,
        replicas,
        hosts: [...replicas].sort((x, y) => x - y),
        minInsyncReplicas: topic.config['min.insync.replicas'],
        uncleanLeaderElection: topic.config['unclean.leader.election.enable'],
        flushIntervalMessages: topic.config['log.flush.interval.messages'],
        internal: topic.internal === true,
        addedBy,
      });
      if (topic.internal === true) this.offsetsPartitions.push(index);
      for (const b of replicas) {
        if (b < 0 || b >= this.brokerCount) throw new Error(`partition ${topic.name}-${p}: no broker index ${b}`);
        this.partitionsOfBroker[b].push(index);
      }
      indexes.push(index);
    }
    return indexes;
  }

  brokerNamesOf(brokers: readonly number[]): string[] {
    const out = new Array<string>(brokers.length);
    for (let i = 0; i < brokers.length; i++) out[i] = this.brokerNames[brokers[i]];
    return out;
  }
}
