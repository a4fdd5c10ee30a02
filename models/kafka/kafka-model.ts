// The Kafka model's entry point: builds brokers, the controller quorum and producer clients from
// a resolved KafkaScenario and dispatches the kernel's calls to them by node role. Node order in
// the topology is brokers, then controllers, then producers, then consumer group members; names
// come from the scenario.
// At the end it reports every replica's log, leader and ISR (KafkaFinalState) and flat counters.

import type { ModelSetup } from '../../src/scenario/model-definition.ts';
import type { Model, ModelOutcome, NodeContext, NodeFailure } from '../../src/sim/model.ts';
import type { TimeUs } from '../../src/sim/time.ts';
import { Broker } from './broker/broker.ts';
import { RollingRestartOperator } from './broker/rolling-restart.ts';
import { ClusterLayout, ROLE_BROKER, ROLE_CONSUMER, ROLE_CONTROLLER, ROLE_PRODUCER } from './cluster-layout.ts';
import { KafkaConsumer } from './consumer/kafka-consumer.ts';
import { finalConsumerGroups } from './group/final-consumer-groups.ts';
import { QuorumController } from './controller/quorum-controller.ts';
import type { FinalPartitionState, KafkaFinalState } from './kafka-events.ts';
import type { KafkaScenario } from './scenario/kafka-scenario.ts';
import { KafkaWorld } from './kafka-world.ts';
import type { KafkaMessage } from './messages.ts';
import { NO_LEADER } from './controller/metadata-image.ts';
import { KafkaProducer } from './producer/kafka-producer.ts';
import type { MemoryRecords } from './storage/log-record-store.ts';
import type { PartitionLog } from './storage/partition-log.ts';
import type { KafkaTimer } from './timers.ts';
import { nodesInKafkaRole } from './exploration/kafka-roles.ts';


type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

export class KafkaModel implements Model<KafkaMessage, KafkaTimer> {
  readonly world: KafkaWorld;
  readonly brokers: Broker[];
  readonly controllers: QuorumController;
  readonly producers: KafkaProducer[];
  /** Consumer group members, group by group. */
  readonly consumers: KafkaConsumer[];
  private readonly layout: ClusterLayout;
  /** Whether each node's process is up, for KafkaFinalState's `alive`. */
  private readonly up: Uint8Array;

  constructor(setup: ModelSetup<unknown>, scenario: KafkaScenario) {
    this.layout = new ClusterLayout(scenario, setup.topology);
    this.world = new KafkaWorld(scenario, this.layout, setup.durationUs);
    const operator = new RollingRestartOperator(this.world);
    this.brokers = scenario.brokers.map((_, i) => new Broker(this.world, i, operator));
    this.world.logsOfBroker = this.brokers.map((b) => b.logs);
    this.controllers = new QuorumController(this.world, setup.choices.stream('kafka.controller.quorum'));
    this.world.committedPartitions = () => this.controllers.partitions;
    this.world.operationAim.holders = (role) => this.nodesInRole(role);
    this.producers = scenario.producers.map((_, i) => new KafkaProducer(this.world, i, setup.choices));
    this.consumers = [];
    for (const g of scenario.consumerGroups ?? [])
      for (const m of g.members) this.consumers.push(new KafkaConsumer(this.world, g, m, setup.choices));
    this.up = new Uint8Array(setup.topology.size);
  }

  onStart(ctx: Ctx): void {
    const node = ctx.node;
    this.up[node] = 1;
    const i = this.layout.indexOfNode[node];
    switch (this.layout.roleOfNode[node]) {
      case ROLE_BROKER:
        return this.brokers[i].onStart(ctx);
      case ROLE_CONTROLLER:
        return this.controllers.onStart(ctx, i);
      case ROLE_PRODUCER:
        return this.producers[i].onStart(ctx);
      case ROLE_CONSUMER:
        return this.consumers[i].onStart(ctx);
      default:
        return; // a node the Kafka model does not use
    }
  }

  onMessage(ctx: Ctx, from: number, msg: KafkaMessage): void {
    const node = ctx.node;
    const i = this.layout.indexOfNode[node];
    switch (this.layout.roleOfNode[node]) {
      case ROLE_BROKER:
        return this.brokers[i].onMessage(ctx, from, msg);
      case ROLE_CONTROLLER:
        return this.controllers.onMessage(ctx, i, msg);
      case ROLE_PRODUCER:
        return this.producers[i].onMessage(ctx, msg);
      case ROLE_CONSUMER:
        return this.consumers[i].onMessage(ctx, msg);
      default:
        throw new Error(`message ${msg.type} to node ${node}, which has no Kafka role`);
    }
  }

  onTimer(ctx: Ctx, timer: KafkaTimer): void {
    const node = ctx.node;
    const i = this.layout.indexOfNode[node];
    switch (this.layout.roleOfNode[node]) {
      case ROLE_BROKER:
        return this.brokers[i].onTimer(ctx, timer);
      case ROLE_CONTROLLER:
        return this.controllers.onTimer(ctx, i, timer);
      case ROLE_PRODUCER:
        return this.producers[i].onTimer(ctx, timer);
      case ROLE_CONSUMER:
        return this.consumers[i].onTimer(ctx, timer);
      default:
        throw new Error(`timer ${timer.type} on node ${node}, which has no Kafka role`);
    }
  }

  /** A connection this node opened is up (the peer is a broker for every client of the cluster). */
  onConnect(ctx: Ctx, peer: number): void {
    const i = this.layout.indexOfNode[ctx.node];
    const broker = this.layout.roleOfNode[peer] === ROLE_BROKER ? this.layout.indexOfNode[peer] : -1;
    switch (this.layout.roleOfNode[ctx.node]) {
      case ROLE_BROKER:
        return this.brokers[i].onConnect(ctx, peer);
      case ROLE_PRODUCER:
        return broker < 0 ? undefined : this.producers[i].onConnect(ctx, broker);
      case ROLE_CONSUMER:
        return broker < 0 ? undefined : this.consumers[i].onConnect(ctx, broker);
      default:
        return; // controllers keep no per-connection state
    }
  }

  /** A write this node made that did not fit in its socket's send buffer is complete (only producers bound their writes). */
  onWritten(ctx: Ctx, peer: number): void {
    if (this.layout.roleOfNode[ctx.node] !== ROLE_PRODUCER || this.layout.roleOfNode[peer] !== ROLE_BROKER) return;
    this.producers[this.layout.indexOfNode[ctx.node]].onWritten(ctx, this.layout.indexOfNode[peer]);
  }

  /** The network closed a connection this node opened: what was in flight on it is lost. */
  onDisconnect(ctx: Ctx, peer: number): void {
    const i = this.layout.indexOfNode[ctx.node];
    const broker = this.layout.roleOfNode[peer] === ROLE_BROKER ? this.layout.indexOfNode[peer] : -1;
    switch (this.layout.roleOfNode[ctx.node]) {
      case ROLE_BROKER:
        return this.brokers[i].onDisconnect(ctx, peer);
      case ROLE_PRODUCER:
        return broker < 0 ? undefined : this.producers[i].onDisconnect(ctx, broker);
      case ROLE_CONSUMER:
        return broker < 0 ? undefined : this.consumers[i].onDisconnect(ctx, broker);
      default:
        return; // a controller just sends again, on a new connection
    }
  }

  onDown(ctx: Ctx, failure: NodeFailure): void {
    const node = ctx.node;
    this.up[node] = 0;
    const i = this.layout.indexOfNode[node];
    switch (this.layout.roleOfNode[node]) {
      case ROLE_BROKER:
        return this.brokers[i].onDown(ctx, failure);
      case ROLE_PRODUCER:
        if (failure.wasUp) this.producers[i].onDown(ctx);
        return;
      case ROLE_CONSUMER:
        if (failure.wasUp) this.consumers[i].onDown(ctx);
        return;
      default:
        // Controllers keep no state of their own across restarts; the active one's loss is noted for the run summary.
        if (failure.wasUp && this.controllers.quorum.active === i) this.world.controllerChanges.push({ timeUs: ctx.nowUs, controller: this.world.scenario.controllers[i].name, change: 'down' });
        return;
    }
  }

  /** Who holds a role a fault aims at, now (exploration/kafka-roles.ts). */
  nodesInRole(role: string): readonly number[] {
    const c = this.controllers;
    const readers = (partition: number) => this.consumers.flatMap((m, i) => (m.reads(partition) ? [this.layout.consumerNode[i]] : []));
    return nodesInKafkaRole({ layout: this.layout, partitions: c.partitions, activeController: c.quorum.active, readers }, role);
  }

  finish(_nowUs: TimeUs): ModelOutcome {
    const partitions: FinalPartitionState[] = [];
    const internalPartitions: FinalPartitionState[] = [];
    for (const info of this.layout.partitions) this.finalPartition(info, info.internal ? internalPartitions : partitions);
    const producers: KafkaFinalState['producers'] = {};
    for (const p of this.world.scenario.producers)
      producers[p.name] = {
        acks: p.config.acks,
        idempotent: p.config['enable.idempotence'],
        maxInFlight: p.config['max.in.flight.requests.per.connection'],
        retries: p.config.retries,
      };
    const final: KafkaFinalState = { partitions, producers, controllerChanges: this.world.controllerChanges };
    if (this.consumers.length > 0) {
      final.consumerGroups = finalConsumerGroups(this.world, this.brokers, this.controllers.partitions);
      final.internalPartitions = internalPartitions;
    }
    const aimed = this.world.operationAim.lines;
    return { stats: this.world.stats.flat(), violations: [], final, ...(aimed.length > 0 ? { aimed } : {}) };
  }
  /** Appends partition info's end state to out (nothing for a create-partitions that never happened). */
  private finalPartition(info: ClusterLayout['partitions'][number], out: FinalPartitionState[]): void {
    const layout = this.layout;
    const meta = this.controllers.partitions[info.index];
    if (meta === undefined && info.addedBy >= 0) return; // a create-partitions that never happened (or was refused)
    // The committed replicas at the end (a reassignment changes them); removed ones deleted their copy.
    const replicas = meta?.replicas ?? info.replicas;
    // Retention keeps deleted records in memory below logStartOffset: export from there.
    const columns = exportedColumns(replicas.map((b) => this.brokers[b].logs[info.index]!));
    const logs = replicas.map((b, i) => {
      const broker = this.brokers[b];
      const log = broker.logs[info.index]!;
      const { records, epochs } = columns[i];
      return {
        broker: broker.name,
        alive: this.up[broker.node] === 1 && !broker.stopped,
        logStartOffset: log.logStartOffset,
        logEndOffset: log.logEndOffset,
        highWatermark: log.highWatermark,
        records,
        epochs,
        ...(broker.truncationHalt.kept[info.index] === 1 ? { keptRatherThanTruncated: true as const } : {}),
      };
    });
    out.push({
      partition: info.name,
      leader: meta === undefined || meta.leader === NO_LEADER ? null : layout.brokerNames[meta.leader],
      leaderEpoch: meta === undefined ? -1 : meta.leaderEpoch,
      isr: meta === undefined ? [] : layout.brokerNamesOf(meta.isr),
      ...(meta?.elr !== undefined && meta.elr.length > 0 ? { elr: layout.brokerNamesOf(meta.elr) } : {}),
      replicas: layout.brokerNamesOf(replicas),
      logs,
      ...(meta !== undefined && meta.leader !== NO_LEADER && this.brokers[meta.leader].leadsWithoutState(info.index) ? { leaderWithoutState: true as const } : {}),
    });
  }
}

/**
 * Each replica's records and epochs from its log start offset, as Int32Array columns for the
 * analyses. Replicas in sync hold the same records, a follower often a few fewer than its leader:
 * a log whose records are a prefix of one exported before (same start, same refs) gets a subarray
 * of that one's columns (longest logs first), so the end state costs about one copy per
 * partition, not one per replica. The analyses only read them.
 */
function exportedColumns(logs: readonly PartitionLog[]): { records: Int32Array; epochs: Int32Array }[] {
  const held = logs.map((log) => log.read(log.logStartOffset, log.logEndOffset));
  const out = new Array<{ records: Int32Array; epochs: Int32Array }>(logs.length);
  const exported: number[] = [];
  // Longest first (ties in replica order), so shorter logs can share a longer one's columns.
  const order = logs.map((_, i) => i).sort((a, b) => held[b].length - held[a].length || a - b);
  for (const i of order) {
    const start = logs[i].logStartOffset;
    const h = held[i];
    const same = exported.find((e) => logs[e].logStartOffset === start && held[e].startsWith(h));
    if (same !== undefined) {
      out[i] = { records: out[same].records.subarray(0, h.length), epochs: out[same].epochs.subarray(0, h.length) };
      continue;
    }
    const records = new Int32Array(h.length);
    const epochs = new Int32Array(h.length);
    for (let r = 0; r < h.length; r++) {
      records[r] = h.id(r);
      epochs[r] = h.epoch(r);
    }
    out[i] = { records, epochs };
    exported.push(i);
  }
  return out;
}
