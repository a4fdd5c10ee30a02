// Test support: builds small Kafka histories and final states by hand and runs the Kafka checkers
// over them, without the simulator. Events reach the checkers in call order, as the kernel would
// deliver them; times are given in virtual milliseconds.

import type { NotJudged } from '../../../src/scenario/verdict.ts';
import { TEST_BROKER_DEFAULTS, TEST_CONSUMER_DEFAULTS } from '../testing/kafka-test-cluster.ts';
import { topicDefaultsOf } from '../config/topic-configs.ts';
import type { KernelEvent, KernelView, RunView } from '../../../src/check/checker.ts';
import { Topology } from '../../../src/net/topology.ts';
import type { ModelOutcome, Violation } from '../../../src/sim/model.ts';
import { msToUs } from '../../../src/sim/time.ts';
import type { ElectionKind, FinalConsumerGroup, FinalPartitionState, FinalReplicaLog, KafkaEvent, KafkaFinalState, TruncateEvent } from '../kafka-events.ts';
import { LINUX_WRITEBACK_DEFAULTS, FSYNC_MS_DEFAULTS, type CommitStrategy, type ConsumerGroupSpec, type KafkaScenario, type ProducerSpec } from '../scenario/kafka-scenario.ts';
import type { Acks } from '../config/config-entry.ts';
import type { ConsumerConfig } from '../config/consumer-configs.ts';
import type { KafkaRunSummary } from '../analysis/run-summary.ts';
import { createKafkaCheckers, describeKafkaRun } from './kafka-checkers.ts';
import type { FaultHorizon } from './liveness-after-heal.ts';
import { readKafkaRunSummary } from './run-summary-checker.ts';
import { PRODUCER_DEFAULTS } from '../config/producer-configs.ts';
import { OFFSETS_TOPIC, offsetsTopicConfig } from '../group/offsets-topic.ts';

export interface TestProducer {
  name: string;
  acks?: Acks;
  idempotent?: boolean;
  retries?: number;
  maxInFlight?: number;
}

interface TestRunOptions {
  producers?: TestProducer[];
  partitions?: number;
  minInsyncReplicas?: number;
  unclean?: boolean;
  /** For liveness-after-heal: when the faults ended (default: unknown, as if at time 0). */
  horizon?: FaultHorizon;
  era?: KafkaScenario['era'];
  kafkaVersion?: KafkaScenario['kafkaVersion'];
  /** Default KRaft. */
  metadataMode?: KafkaScenario['metadataMode'];
  /** Consumer groups subscribed to `orders`, one member per commit strategy listed. */
  groups?: { groupId: string; commits: CommitStrategy[]; processingMs?: number; config?: Partial<ConsumerConfig> }[];
}

const BROKERS = ['b1', 'b2', 'b3'];

function testScenario(options: TestRunOptions = {}): KafkaScenario {
  const producers = options.producers ?? [{ name: 'p1' }];
  const brokerConfig = {
    ...TEST_BROKER_DEFAULTS,
    'min.insync.replicas': options.minInsyncReplicas ?? 2,
    'unclean.leader.election.enable': options.unclean ?? false,
  };
  const partitions = options.partitions ?? 1;
  return {
    era: options.era ?? 'current',
    ...(options.kafkaVersion === undefined ? {} : { kafkaVersion: options.kafkaVersion }),
    metadataMode: options.metadataMode ?? 'kraft',
    brokers: BROKERS.map((name, i) => ({ name, id: i + 1, az: `az${i + 1}`, rack: `az${i + 1}`, storage: { type: 'ebs', ...LINUX_WRITEBACK_DEFAULTS, fsyncMs: FSYNC_MS_DEFAULTS.ebs } })),
    controllers: [{ name: 'c1', az: 'az1' }],
    brokerConfig,
    topics: [
      {
        name: 'orders',
        partitions,
        replicationFactor: 3,
        config: topicDefaultsOf(brokerConfig),
        replicas: Array.from({ length: partitions }, () => [0, 1, 2]),
      },
    ],
    producers: producers.map(
      (p): ProducerSpec => ({
        name: p.name,
        az: 'az1',
        topic: 'orders',
        ratePerSec: 0,
        keys: 0,
        recordBytes: 100,
        startMs: 0,
        sends: [],
        config: {
          ...PRODUCER_DEFAULTS,
          acks: p.acks ?? PRODUCER_DEFAULTS.acks,
          'enable.idempotence': p.idempotent ?? PRODUCER_DEFAULTS['enable.idempotence'],
          retries: p.retries ?? PRODUCER_DEFAULTS.retries,
          'max.in.flight.requests.per.connection': p.maxInFlight ?? PRODUCER_DEFAULTS['max.in.flight.requests.per.connection'],
        },
      }),
    ),
    operations: [],
    ...(options.groups
      ? {
          consumerGroups: options.groups.map((g) => testGroup(g.groupId, g.commits, g.processingMs, g.config)),
          offsetsTopic: { name: OFFSETS_TOPIC, partitions: 1, replicationFactor: 3, config: offsetsTopicConfig(brokerConfig), replicas: [[0, 1, 2]], internal: true },
        }
      : {}),
  };
}

function testGroup(groupId: string, commits: CommitStrategy[], processingMs = 1, config: Partial<ConsumerConfig> = {}): ConsumerGroupSpec {
  return {
    groupId,
    topics: ['orders'],
    members: commits.map((commit, i) => ({
      name: `m${i + 1}`,
      az: 'az1',
      startMs: 0,
      processingMs,
      commit,
      commitSync: true,
      config: { ...TEST_CONSUMER_DEFAULTS, 'enable.auto.commit': commit === 'auto', 'auto.offset.reset': 'earliest', ...config },
    })),
  };
}

interface TestLog {
  broker: string;
  records: number[];
  highWatermark?: number;
  logStartOffset?: number;
  alive?: boolean;
  /** Leader epoch of every record; defaults to 0 for all. */
  epochs?: number[];
}

export function finalPartition(partition: string, leader: string | null, leaderEpoch: number, isr: string[], logs: TestLog[]): FinalPartitionState {
  return {
    partition,
    leader,
    leaderEpoch,
    isr,
    replicas: [...BROKERS],
    logs: logs.map(
      (l): FinalReplicaLog => ({
        broker: l.broker,
        alive: l.alive ?? true,
        logStartOffset: l.logStartOffset ?? 0,
        logEndOffset: (l.logStartOffset ?? 0) + l.records.length,
        highWatermark: l.highWatermark ?? (l.logStartOffset ?? 0) + l.records.length,
        records: l.records,
        epochs: l.epochs ?? l.records.map(() => 0),
      }),
    ),
  };
}

/** A kernel a test drives by hand: nodes up or down, paused, links cut. */
class TestKernel implements KernelView {
  private readonly down = new Set<number>();
  private readonly paused = new Set<number>();
  private readonly cut = new Set<string>();

  constructor(readonly topology: Topology) {}

  isUp(node: number): boolean {
    return !this.down.has(node);
  }

  isPaused(node: number): boolean {
    return this.paused.has(node);
  }

  isLinkCut(from: number, to: number): boolean {
    return this.cut.has(`${from}>${to}`);
  }

  /** Applies a kernel event to the state (fault-start / fault-end carry link changes in `links`). */
  apply(ev: KernelEvent, links: { cut: boolean; pairs: [number, number][] } | null): void {
    if (ev.type === 'node-down') this.down.add(ev.node);
    else if (ev.type === 'node-up') this.down.delete(ev.node);
    else if (ev.type === 'pause') this.paused.add(ev.node);
    else if (ev.type === 'resume') this.paused.delete(ev.node);
    for (const [from, to] of links?.pairs ?? []) {
      if (links!.cut) this.cut.add(`${from}>${to}`);
      else this.cut.delete(`${from}>${to}`);
    }
  }
}

interface TestRunResult {
  violations: Violation[];
  summary: KafkaRunSummary;
  lines: string[];
  /** Every checker's summary figures, by checker name. */
  analysis: Record<string, object>;
  /** The properties a checker could not judge, and why (Checker.notJudged). */
  notJudged: NotJudged[];
}

export class TestRun {
  readonly scenario: KafkaScenario;
  readonly topology: Topology;
  private readonly kernel: TestKernel;
  /** The elected leader's log end offset per partition and leader epoch (the default become-leader start offset). */
  private readonly electedLogEndOffsets = new Map<string, number>();
  private readonly checkers;

  constructor(options: TestRunOptions = {}) {
    this.scenario = testScenario(options);
    const members = [...new Set((this.scenario.consumerGroups ?? []).flatMap((g) => g.members.map((m) => m.name)))];
    this.topology = new Topology([
      ...BROKERS.map((name, i) => ({ name, az: `az${i + 1}` })),
      { name: 'c1', az: 'az1' },
      { name: 'p1', az: 'az1' },
      { name: 'p2', az: 'az2' },
      ...members.map((name) => ({ name, az: 'az1' })),
    ]);
    this.kernel = new TestKernel(this.topology);
    this.checkers = createKafkaCheckers(this.scenario, options.horizon);
    for (const c of this.checkers) c.attach?.(this.kernel);
  }

  /** A kernel change: the test kernel's state changes, then the checkers hear of it. */
  kernelEvent(atMs: number, ev: KernelEvent, links: { cut: boolean; pairs: [string, string][] } | null = null): this {
    const pairs = (links?.pairs ?? []).map(([a, b]): [number, number] => [this.topology.index(a), this.topology.index(b)]);
    this.kernel.apply(ev, links ? { cut: links.cut, pairs } : null);
    for (const c of this.checkers) c.onKernelEvent?.(msToUs(atMs), ev);
    return this;
  }

  down(atMs: number, node: string, kind: 'crash' | 'power-loss' = 'crash'): this {
    return this.kernelEvent(atMs, { type: 'node-down', node: this.topology.index(node), kind });
  }

  up(atMs: number, node: string): this {
    return this.kernelEvent(atMs, { type: 'node-up', node: this.topology.index(node) });
  }

  pause(atMs: number, node: string): this {
    return this.kernelEvent(atMs, { type: 'pause', node: this.topology.index(node) });
  }

  resume(atMs: number, node: string): this {
    return this.kernelEvent(atMs, { type: 'resume', node: this.topology.index(node) });
  }

  /** A fault cuts (cut=true) or restores the links between every node of `a` and every node of `b`, both ways. */
  links(atMs: number, a: string[], b: string[], cut: boolean): this {
    const pairs: [string, string][] = a.flatMap((x) => b.flatMap((y): [string, string][] => [[x, y], [y, x]]));
    const ev: KernelEvent = cut ? { type: 'fault-start', id: 1, layer: 'schedule', fault: { atMs, kind: 'partition' } } : { type: 'fault-end', id: 1 };
    return this.kernelEvent(atMs, ev, { cut, pairs });
  }

  /**
   * `broker` takes leadership of the partition (ReplicaManager.makeLeader), its epoch starting at
   * `leaderEpochStartOffset` (by default its log end offset when elected, as the election stated).
   */
  becomeLeader(atMs: number, broker: string, leaderEpoch: number, partition = 'orders-0', leaderEpochStartOffset?: number): this {
    const startOffset = leaderEpochStartOffset ?? this.electedLogEndOffsets.get(`${partition}/${leaderEpoch}`) ?? 0;
    return this.event(atMs, broker, { type: 'become-leader', partition, leaderEpoch, leaderEpochStartOffset: startOffset });
  }

  resignLeader(atMs: number, broker: string, leaderEpoch: number, reason: 'new-leader' | 'shutdown' = 'new-leader', partition = 'orders-0'): this {
    return this.event(atMs, broker, { type: 'resign-leader', partition, leaderEpoch, reason });
  }

  event(atMs: number, node: string, ev: KafkaEvent): this {
    const index = this.topology.has(node) ? this.topology.index(node) : this.topology.index('c1');
    // as the kernel dispatches: a checker hears only the event types it declares
    for (const c of this.checkers)
      if (c.eventTypes === undefined || c.eventTypes.includes(ev.type)) c.onEvent?.(msToUs(atMs), index, ev as unknown as KafkaEvent & { [k: string]: unknown });
    return this;
  }

  send(atMs: number, producer: string, record: number, partition = 'orders-0'): this {
    return this.event(atMs, producer, { type: 'send', producer, record, key: null, partition, sentUs: atMs * 1000 });
  }

  ok(atMs: number, producer: string, record: number, offset: number, leaderEpoch: number, latencyMs: number, partition = 'orders-0'): this {
    return this.event(atMs, producer, { type: 'send-ok', producer, records: [record], partition, offset, leaderEpoch, sentUs: [msToUs(atMs - latencyMs)] });
  }

  fail(atMs: number, producer: string, record: number, error: string, definite: boolean, partition = 'orders-0'): this {
    return this.event(atMs, producer, { type: 'send-fail', producer, record, partition, error, definite });
  }

  /** Send several records, then acknowledge them as one batch at consecutive offsets from baseOffset (one send-ok, as the producer emits). */
  sendAndAck(atMs: number, producer: string, records: number[], baseOffset: number, leaderEpoch: number, partition = 'orders-0'): this {
    for (const r of records) this.send(atMs, producer, r, partition);
    const sentUs = records.map(() => msToUs(atMs));
    return this.event(atMs + 1, producer, { type: 'send-ok', producer, records, partition, offset: baseOffset, leaderEpoch, sentUs });
  }

  append(atMs: number, broker: string, records: number[], baseOffset: number, leaderEpoch: number, role: 'leader' | 'follower' = 'follower', partition = 'orders-0'): this {
    return this.event(atMs, broker, { type: 'append', partition, role, baseOffset, leaderEpoch, records });
  }

  election(
    atMs: number,
    kind: ElectionKind,
    leader: string | null,
    leaderEpoch: number,
    isr: string[],
    leaderLogEndOffset: number,
    previousLeader: string | null = null,
    partition = 'orders-0',
  ): this {
    this.electedLogEndOffsets.set(`${partition}/${leaderEpoch}`, leaderLogEndOffset);
    return this.event(atMs, 'c1', { type: 'election', partition, kind, leader, leaderEpoch, isr, previousLeader, leaderLogEndOffset });
  }

  /** The leader `broker` announces a new high watermark. */
  hw(atMs: number, broker: string, hw: number, leaderEpoch: number, partition = 'orders-0'): this {
    return this.event(atMs, broker, { type: 'hw', partition, hw, leaderEpoch });
  }

  sendKeyed(atMs: number, producer: string, record: number, key: string, partition = 'orders-0'): this {
    return this.event(atMs, producer, { type: 'send', producer, record, key, partition, sentUs: atMs * 1000 });
  }

  isr(atMs: number, type: 'isr-shrink' | 'isr-expand', isr: string[], leaderEpoch: number, partition = 'orders-0', byController = false): this {
    return this.event(atMs, 'c1', { type, partition, isr, leaderEpoch, ...(byController ? { byController: true as const } : {}) });
  }

  truncate(atMs: number, broker: string, fromOffset: number, toOffset: number, removed: number[], reason: TruncateEvent['reason'], partition = 'orders-0'): this {
    return this.event(atMs, broker, { type: 'truncate', partition, fromOffset, toOffset, removed, reason });
  }

  logLost(atMs: number, broker: string, fromOffset: number, toOffset: number, removed: number[], cause: 'power-loss' | 'disk-loss' = 'power-loss', partition = 'orders-0'): this {
    return this.event(atMs, broker, { type: 'log-lost', partition, fromOffset, toOffset, removed, cause });
  }

  // ---- consumers (group "g" unless named) ----

  /** `member` polled `records` at `offsets` of `partition` in one poll() call. */
  poll(atMs: number, member: string, offsets: number[], records: number[], partition = 'orders-0', group = 'g'): this {
    const from = offsets.length > 0 ? Math.min(...offsets) : 0;
    const to = offsets.length > 0 ? Math.max(...offsets) + 1 : 0;
    return this.event(atMs, 'c1', { type: 'poll', member, group, generation: 1, partition, fromOffset: from, toOffset: to, offsets, records });
  }

  process(atMs: number, member: string, offset: number, record: number, partition = 'orders-0', group = 'g'): this {
    return this.event(atMs, 'c1', { type: 'process', member, group, generation: 1, partition, offsets: [offset], records: [record] });
  }

  /**
   * An auto.offset.reset of `member`, resolved at once to `toOffset` (null: never resolved);
   * `answeredBy`: the broker whose answer caused it and the leader epoch the consumer knew.
   */
  reset(
    atMs: number,
    member: string,
    fromOffset: number,
    toOffset: number | null,
    strategy: 'earliest' | 'latest',
    reason: 'no-committed-offset' | 'out-of-range' | 'truncation',
    partition = 'orders-0',
    group = 'g',
    answeredBy: { broker: string; leaderEpoch?: number } | Record<string, never> = {},
  ): this {
    if (reason === 'truncation') return this.event(atMs, 'c1', { type: 'offset-reset', member, group, partition, fromOffset, toOffset: toOffset ?? undefined, strategy, reason, ...answeredBy });
    this.event(atMs, 'c1', { type: 'offset-reset', member, group, partition, fromOffset, strategy, reason, ...answeredBy });
    return toOffset === null ? this : this.event(atMs, 'c1', { type: 'offset-reset-done', member, group, partition, offset: toOffset });
  }

  /** Retention moved the log start of `partition` on `broker` to `logStartOffset`. */
  retention(atMs: number, broker: string, logStartOffset: number, partition = 'orders-0'): this {
    return this.event(atMs, broker, { type: 'retention', partition, logStartOffset });
  }

  compaction(atMs: number, broker: string, cleanedTo: number, partition = 'orders-0'): this {
    return this.event(atMs, broker, { type: 'compaction', partition, cleanedTo, removed: 1 });
  }

  commitOk(atMs: number, member: string, generation: number, partition: string, offset: number, group = 'g'): this {
    return this.event(atMs, 'c1', { type: 'commit-ok', member, group, generation, partitions: [partition], offsets: [offset] });
  }

  assignment(atMs: number, member: string, generation: number, partitions: string[], group = 'g'): this {
    return this.event(atMs, 'c1', { type: 'assignment', member, group, generation, partitions, revoked: [] });
  }

  consumerStart(atMs: number, member: string, group = 'g'): this {
    return this.event(atMs, 'c1', { type: 'consumer-start', member, group });
  }

  finish(endMs: number, partitions: FinalPartitionState[] | undefined, faultsActive = false, consumerGroups?: FinalConsumerGroup[], internalPartitions?: FinalPartitionState[]): TestRunResult {
    const producers: KafkaFinalState['producers'] = {};
    for (const p of this.scenario.producers) {
      producers[p.name] = {
        acks: p.config.acks,
        idempotent: p.config['enable.idempotence'],
        maxInFlight: p.config['max.in.flight.requests.per.connection'],
        retries: p.config.retries,
      };
    }
    const model: ModelOutcome = { stats: {}, violations: [], final: partitions ? { partitions, producers, ...(consumerGroups ? { consumerGroups } : {}), ...(internalPartitions ? { internalPartitions } : {}) } : undefined };
    const view: RunView = { nowUs: msToUs(endMs), topology: this.topology, isUp: () => true, faultsActive, model };
    const violations: Violation[] = [];
    for (const c of this.checkers) violations.push(...c.finish(view));
    const analysis: Record<string, object> = {};
    for (const c of this.checkers) {
      const figures = c.summary?.();
      if (figures) analysis[c.name] = figures;
    }
    const notJudged: NotJudged[] = [];
    for (const c of this.checkers) {
      const reason = c.notJudged?.() ?? null;
      if (reason !== null) notJudged.push({ property: c.name, reason });
    }
    // JSON round trip: proves the summary and violations are serialisable, as --json needs.
    JSON.parse(JSON.stringify({ analysis, violations }));
    const report = { analysis };
    return { violations, summary: readKafkaRunSummary(report)!, lines: describeKafkaRun(report), analysis, notJudged };
  }
}
