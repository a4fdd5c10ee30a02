// The availability of every partition of a run (user topics and __consumer_offsets), fed by the
// model's leadership events and the kernel's node and fault changes (partition-availability.ts
// says what serving means). Each partition's clients come from the scenario:
//
// - user topics: the producers writing to the topic, split into acks=all and acks=0/1 writers,
//   and the members of the consumer groups subscribed to it that the partition is assigned to
//   (readers, partition-readers.ts): a group reads a partition through one member only;
// - __consumer_offsets: the members of the groups the partition coordinates
//   (GroupMetadataManager.partitionFor), its only clients; a partition coordinating no group has
//   none and is not counted.
//
// Whether a client is up is not asked: a partition's availability is the cluster's side, and a
// crashed producer does not make the partition unavailable.
//
// Head-of-line blocking (head-of-line-blocking.ts) crosses partitions: a leader's appends of an
// acks=all producer's records are the batches its connection waits on, the time each waits while
// its own partition is unserved holds that connection, and the held connections are read by
// every partition the same leader serves that producer. So closing is two steps: every
// partition's waits end first, then each partition counts its time.

import type { KernelEvent, KernelView } from '../../../src/check/checker.ts';
import { Topology } from '../../../src/net/topology.ts';
import { US_PER_MS, type TimeUs } from '../../../src/sim/time.ts';
import { OFFSETS_TOPIC, partitionForGroup } from '../group/offsets-topic.ts';
import type { ConsumerEvent } from '../consumer-events.ts';
import type { AppendEvent, ElectionEvent, HighWatermarkEvent, IsrChangeEvent } from '../kafka-events.ts';
import type { KafkaScenario } from '../scenario/kafka-scenario.ts';
import { ClientAvailability, PartitionAvailability, type ClientKind } from './partition-availability.ts';
import { HeldConnections } from './head-of-line-blocking.ts';
import { parsePartitionName } from './partition-name.ts';
import { PartitionReaders } from './partition-readers.ts';
import type { ScenarioLookup } from './scenario-lookup.ts';
import { protocolOf } from '../version/kafka-versions.ts';

/** Without a kernel (a hand-built history): every node up, none paused, no link cut. */
function healthyKernel(scenario: KafkaScenario): KernelView {
  const nodes = [
    ...scenario.brokers.map((b) => ({ name: b.name, az: b.az })),
    ...scenario.controllers.map((c) => ({ name: c.name, az: c.az })),
    ...scenario.producers.map((p) => ({ name: p.name, az: p.az })),
    ...(scenario.consumerGroups ?? []).flatMap((g) => g.members.map((m) => ({ name: m.name, az: m.az }))),
  ];
  return { topology: new Topology(nodes), isUp: () => true, isPaused: () => false, isLinkCut: () => false };
}

export class ClusterAvailability {
  /** Per partition, in first-event order (reports sort by name). */
  readonly partitions = new Map<string, PartitionAvailability>();
  private kernel: KernelView | null = null;
  private readonly held = new HeldConnections();
  /** acks=all producers by name: their node and request.timeout.ms in µs (built on first use). */
  private acksAllWriters: Map<string, { node: number; requestTimeoutUs: TimeUs }> | null = null;
  /** Which members read each partition (built on first use). */
  private partitionReaders: PartitionReaders | null = null;

  constructor(private readonly lookup: ScenarioLookup) {}

  /** The run's kernel; call before any event (without it, a healthy kernel is assumed). */
  attach(kernel: KernelView): void {
    this.kernel = kernel;
  }

  onElection(timeUs: TimeUs, ev: ElectionEvent): void {
    const a = this.of(ev.partition);
    a.onElection(timeUs, ev.leader === null ? -1 : this.view().topology.index(ev.leader), ev.leaderEpoch, ev.isr.length);
  }

  onIsrChange(timeUs: TimeUs, ev: IsrChangeEvent): void {
    this.of(ev.partition).onIsrChange(timeUs, ev.leaderEpoch, ev.isr.length);
  }

  /** A leader's append (role leader): the records end at baseOffset + records; `producer` sent them (null: unknown or not a producer's). */
  onLeaderAppend(timeUs: TimeUs, node: number, ev: AppendEvent, producer: string | null = null): void {
    const a = this.of(ev.partition);
    const endOffset = ev.baseOffset + ev.records.length;
    a.onLeaderAppend(timeUs, node, endOffset);
    const writer = producer === null ? undefined : this.writers().get(producer);
    if (writer !== undefined) a.onProduceWait(timeUs, node, writer.node, endOffset, timeUs + writer.requestTimeoutUs);
  }

  onHighWatermark(timeUs: TimeUs, node: number, ev: HighWatermarkEvent): void {
    this.of(ev.partition).onHighWatermark(timeUs, node, ev.hw);
  }

  onBecomeLeader(timeUs: TimeUs, node: number, partition: string): void {
    this.of(partition).onBecomeLeader(timeUs, node);
  }

  onResignLeader(timeUs: TimeUs, node: number, partition: string): void {
    this.of(partition).onLeadershipEnd(timeUs, node);
  }

  /** A broker process exited on its own (broker/truncation-halt.ts): its leaderships end, as at node-down. */
  onProcessExit(timeUs: TimeUs, node: number): void {
    for (const a of this.partitions.values()) {
      a.onLeadershipEnd(timeUs, node);
      a.update(timeUs);
    }
  }

  /** A consumer group member learned its assignment: the partitions it moved change readers (from all the groups' members, as created). */
  onAssignment(timeUs: TimeUs, ev: Extract<ConsumerEvent, { type: 'assignment' }>): void {
    const topology = this.view().topology;
    if (!topology.has(ev.member)) return;
    const readers = this.readers();
    for (const partition of readers.onAssignment(ev.group, topology.index(ev.member), ev.partitions))
      this.of(partition).onReadersChange(timeUs, readers.readersOf(partition));
  }

  onKernelEvent(timeUs: TimeUs, ev: KernelEvent): void {
    switch (ev.type) {
      case 'node-down':
        // The process is gone, and its leaderships with it (a restarted broker leads again only
        // once it has taken leadership anew); a client's connections too (head-of-line blocking
        // asks which writers have one).
        for (const a of this.partitions.values()) {
          a.onLeadershipEnd(timeUs, ev.node);
          a.onClientDown(timeUs, ev.node);
          a.update(timeUs);
        }
        return;
      case 'node-up':
        // A started broker serves nothing until it takes leadership; a started client connects.
        for (const a of this.partitions.values()) a.update(timeUs);
        return;
      default:
        for (const a of this.partitions.values()) a.update(timeUs);
    }
  }

  close(endUs: TimeUs): void {
    for (const a of this.partitions.values()) a.endWaits(endUs);
    for (const a of this.partitions.values()) a.close(endUs, this.held);
  }

  private writers(): Map<string, { node: number; requestTimeoutUs: TimeUs }> {
    if (this.acksAllWriters === null) {
      this.acksAllWriters = new Map();
      const topology = this.view().topology;
      for (const p of this.lookup.scenario.producers)
        if (p.config.acks === 'all' && topology.has(p.name))
          this.acksAllWriters.set(p.name, { node: topology.index(p.name), requestTimeoutUs: p.config['request.timeout.ms'] * US_PER_MS });
    }
    return this.acksAllWriters;
  }

  private readers(): PartitionReaders {
    if (this.partitionReaders === null) {
      const groups = (this.lookup.scenario.consumerGroups ?? []).map((g) => ({ groupId: g.groupId, topics: g.topics, members: this.nodes(g.members) }));
      this.partitionReaders = new PartitionReaders(groups);
    }
    return this.partitionReaders;
  }

  private view(): KernelView {
    return (this.kernel ??= healthyKernel(this.lookup.scenario));
  }

  private of(partition: string): PartitionAvailability {
    let a = this.partitions.get(partition);
    if (!a) {
      const { topic, index } = parsePartitionName(partition);
      const scenario = this.lookup.scenario;
      const internal = topic === OFFSETS_TOPIC;
      const minIsr = internal && scenario.offsetsTopic ? scenario.offsetsTopic.config['min.insync.replicas'] : this.lookup.topicConfig(partition)['min.insync.replicas'];
      const clients = internal ? this.groupsOf(index) : this.clientsOfTopic(topic);
      const writers = internal ? new Map<string, ClientAvailability>() : this.writersOfTopic(topic, clients);
      const stallBoundUs = (scenario.brokerConfig['replica.fetch.wait.max.ms'] + scenario.brokerConfig['replica.fetch.backoff.ms']) * US_PER_MS;
      a = new PartitionAvailability(partition, minIsr, clients, writers, this.view(), stallBoundUs, this.held, protocolOf(scenario).hwWaitsForMinIsr);
      this.partitions.set(partition, a);
    }
    return a;
  }

  /** A kind whose clients the kernel does not know (a hand-built history) is left out. */
  private clientsOfTopic(topic: string): ClientAvailability[] {
    const scenario = this.lookup.scenario;
    const producers = scenario.producers.filter((p) => p.topic === topic);
    const readers = (scenario.consumerGroups ?? []).filter((g) => g.topics.includes(topic)).flatMap((g) => g.members);
    const out: ClientAvailability[] = [];
    const acksAll = producers.filter((p) => p.config.acks === 'all');
    const acksOther = producers.filter((p) => p.config.acks !== 'all');
    this.addKind(out, 'acks=all', acksAll);
    this.addKind(out, 'acks=0/1', acksOther);
    this.addKind(out, 'readers', readers);
    return out;
  }

  /** Per producer of the topic, its own ClientAvailability: its kind's when it is that kind's only client. */
  private writersOfTopic(topic: string, kinds: readonly ClientAvailability[]): Map<string, ClientAvailability> {
    const topology = this.view().topology;
    const out = new Map<string, ClientAvailability>();
    for (const p of this.lookup.scenario.producers) {
      if (p.topic !== topic || !topology.has(p.name)) continue;
      const kind: ClientKind = p.config.acks === 'all' ? 'acks=all' : 'acks=0/1';
      const node = topology.index(p.name);
      const shared = kinds.find((c) => c.kind === kind && c.clients.length === 1 && c.clients[0] === node);
      out.set(p.name, shared ?? new ClientAvailability(kind, [node]));
    }
    return out;
  }

  private groupsOf(offsetsPartition: number): ClientAvailability[] {
    const scenario = this.lookup.scenario;
    const count = scenario.offsetsTopic?.partitions ?? 0;
    const members = (scenario.consumerGroups ?? []).filter((g) => partitionForGroup(g.groupId, count) === offsetsPartition).flatMap((g) => g.members);
    const out: ClientAvailability[] = [];
    this.addKind(out, 'groups', members);
    return out;
  }

  private addKind(out: ClientAvailability[], kind: ClientKind, clients: readonly { name: string }[]): void {
    const nodes = this.nodes(clients);
    if (nodes.length > 0) out.push(new ClientAvailability(kind, nodes));
  }

  private nodes(clients: readonly { name: string }[]): number[] {
    const topology = this.view().topology;
    const nodes = new Set<number>();
    for (const c of clients) if (topology.has(c.name)) nodes.add(topology.index(c.name));
    return [...nodes].sort((a, b) => a - b);
  }
}
