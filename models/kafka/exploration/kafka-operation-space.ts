// The administrative operations `ksim check` explores on a Kafka cluster alongside faults
// (ModelExploration.operationArbitraries): what an operator, or MSK's patching, does to a live
// cluster, each drawn as the scenario format states it (kafka-scenario-schema.ts `operations`) and
// valid as Kafka validates it (plan-operations.ts):
// - controlled-shutdown of a broker (ControlledShutdown / KIP-841), back after a duration drawn
//   around the scenario's timeouts, as fault durations are (fault-targeting.ts);
// - rolling-restart of every broker (MSK patching), each down briefly;
// - preferred-leader-election (ElectLeaders PREFERRED, KIP-460) of one partition, a topic or all;
// - reassign-partitions (KIP-455) of a partition to RF distinct existing brokers, preferred first;
// - create-partitions (CreatePartitions): only ever more partitions, as Kafka allows;
// - producer-restart of a scenario producer; consumer-close of a group member and its
//   consumer-start a little later (a consumer rolling deploy), only when the scenario has them;
// - delete-records (DeleteRecords) of a partition, to its high watermark or below a drawn offset,
//   only when the scenario has no consumer group: records deleted before a group reads them are
//   never processed, which the consumer checkers rightly put down to delete-records (class
//   configuration), and a default `ksim check` must not fail a run for what the operator deleted.
//
// In a run that enables roles (space.roles: about the run's focus partition), a controlled
// shutdown is aimed at a role two times in three: "@leader:orders-0" or "@follower:orders-0",
// resolved when it fires (operation-aim.ts), so a shutdown of the leader followed a drawn gap later
// by another of the leader stops the first leader and then the second: two leader changes of one
// partition in seconds, as KIP-279's divergence needs, which fixed brokers hit only when the draw
// happens to name the leaders in turn. A preferred election then picks the focus partition as
// often as the other targets together (leadership moved away and back). Otherwise brokers are
// drawn from the layout: in the layouts ksim check uses every broker is a replica, and the
// preferred leader, of some partition, so every shutdown moves leaderships.
//
// Adding a kind is one entry in OPERATION_DRAWS: its draw, given the scenario and the space,
// returns an arbitrary of that operation (or undefined when the scenario cannot host it).

import type fc from 'fast-check';
import type { ExploredOperation, OperationArbitraries, OperationSpace } from '../../../src/scenario/model-exploration.ts';
import { planKafkaScenario } from '../scenario/build-kafka-scenario.ts';
import { KAFKA_BOUNDS } from '../scenario/kafka-bounds.ts';
import { consumerMembersOf, type KafkaScenarioInput } from '../scenario/kafka-scenario-schema.ts';

/** What every draw reads: the scenario, planned once, and the space. */
interface DrawContext {
  scenario: KafkaScenarioInput;
  space: OperationSpace;
  brokers: string[];
  /** User topics: name, initial partitions, replication factor. */
  topics: { name: string; partitions: number; replicationFactor: number }[];
  producers: string[];
  members: string[];
  /** Roles the run aims at (OperationSpace.roles), [] when it aims at none. */
  roles: readonly string[];
}

type OperationDraw = (x: DrawContext) => fc.Arbitrary<ExploredOperation[]> | undefined;

/** A consumer stays closed at least this long: its close completes at the application's next poll. */
const CONSUMER_DOWN_MS_MIN = 1000;

/** A time in the window, shrinking toward 0. */
function atMs(x: DrawContext, endMarginMs = 0): fc.Arbitrary<number> {
  return x.space.fc.integer({ min: 0, max: Math.max(0, x.space.windowMs - 2 - endMarginMs) });
}

/** A duration: around the scenario's timeouts as often as blind (up to 30% of the window), at least `minMs`. */
function lastingMs(x: DrawContext, minMs = 1): fc.Arbitrary<number> {
  const { fc } = x.space;
  const blind = fc.integer({ min: minMs, max: Math.max(minMs, Math.floor(x.space.windowMs * 0.3)) });
  const timed = x.space.durationsMs.filter((d) => d >= minMs);
  return timed.length === 0 ? blind : fc.oneof(fc.constantFrom(...timed), blind);
}

/** A user partition that exists from the start: [topic, partition], shrinking toward the first topic's partition 0. */
function partitionOf(x: DrawContext): fc.Arbitrary<[DrawContext['topics'][number], number]> | undefined {
  const { fc } = x.space;
  if (x.topics.length === 0) return undefined;
  return fc.constantFrom(...x.topics).chain((t) => fc.tuple(fc.constant(t), fc.integer({ min: 0, max: t.partitions - 1 })));
}

/** Topics the scenario's own operations grow are left to them, so every create-partitions stays an increase. */
function growable(x: DrawContext): DrawContext['topics'] {
  const grown = new Set(x.scenario.operations.flatMap((op) => (op.kind === 'create-partitions' ? [op.topic] : [])));
  return x.topics.filter((t) => !grown.has(t.name) && t.partitions < KAFKA_BOUNDS.partitions.max);
}

/** The broker a shutdown stops: one of the layout's (first: where shrinking goes), or a broker's role of the run (twice as often). */
function brokerOrRole(x: DrawContext): fc.Arbitrary<string> {
  const { fc } = x.space;
  const fixed = fc.constantFrom(...x.brokers);
  const roles = x.roles.filter((r) => r.startsWith('@leader:') || r.startsWith('@follower:'));
  return roles.length === 0 ? fixed : fc.oneof({ arbitrary: fixed, weight: 1 }, { arbitrary: fc.constantFrom(...roles), weight: 2 });
}

/** The partitions the run's roles are about ("@leader:orders-0" -> orders 0), as preferred-election targets. */
function focusPartitions(x: DrawContext): { topic: string; partition: number }[] {
  const out: { topic: string; partition: number }[] = [];
  for (const r of x.roles) {
    if (!r.startsWith('@leader:')) continue;
    const name = r.slice('@leader:'.length);
    const dash = name.lastIndexOf('-');
    const topic = x.topics.find((t) => t.name === name.slice(0, dash));
    const partition = Number(name.slice(dash + 1));
    if (topic && partition < topic.partitions) out.push({ topic: topic.name, partition });
  }
  return out;
}

/** A controlled shutdown of `broker` at `at`, back after `d` ms, within the window. */
function shutdownOf(x: DrawContext, at: number, broker: string, d: number): ExploredOperation {
  return { atMs: at, kind: 'controlled-shutdown', broker, durationMs: Math.max(1, Math.min(d, x.space.windowMs - at)) };
}

/** Longest gap between the two shutdowns of a leader chain: a few seconds, within the ZooKeeper session the first leader's restart takes. */
const CHAIN_GAP_MS_MAX = 5000;

/**
 * Leaders stopped in turn: a controlled shutdown of the focus partition's leader, then of its
 * next leader up to a few seconds later (an operator working down the leaders, without
 * waiting for the ISR: two leader changes of one partition in seconds, KIP-279's fast failover).
 * Undefined when the run aims at no partition's leader.
 */
function leaderChain(x: DrawContext): fc.Arbitrary<ExploredOperation[]> | undefined {
  const { fc } = x.space;
  const leaders = x.roles.filter((r) => r.startsWith('@leader:'));
  if (leaders.length === 0) return undefined;
  const gap = fc.integer({ min: 1, max: CHAIN_GAP_MS_MAX });
  return fc.tuple(atMs(x), fc.constantFrom(...leaders), gap, lastingMs(x), lastingMs(x)).map(([at, leader, g, d1, d2]) => {
    const next = Math.min(at + g, Math.max(at, x.space.windowMs - 2));
    return [shutdownOf(x, at, leader, d1), shutdownOf(x, next, leader, d2)];
  });
}

const OPERATION_DRAWS: Record<string, OperationDraw> = {
  'controlled-shutdown': (x) => {
    const one = x.space.fc.tuple(atMs(x), brokerOrRole(x), lastingMs(x)).map(([at, broker, d]) => [shutdownOf(x, at, broker, d)]);
    const chain = leaderChain(x);
    // One shutdown first (where shrinking goes); a leader chain as often, in a run aimed at a partition.
    return chain === undefined ? one : x.space.fc.oneof(one, chain);
  },
  'rolling-restart': (x) => {
    // Every broker in turn, each down briefly: the restart is over well before the settle period when the cluster keeps up.
    const downMsMax = Math.max(1, Math.floor(x.space.windowMs / (4 * x.brokers.length)));
    return x.space.fc
      .tuple(atMs(x), x.space.fc.integer({ min: 1, max: downMsMax }))
      .map(([at, d]) => [{ atMs: at, kind: 'rolling-restart', durationMs: d }]);
  },
  'preferred-leader-election': (x) => {
    const { fc } = x.space;
    const one = partitionOf(x);
    if (!one) return undefined;
    // One partition first (where shrinking goes), then a whole topic, then every partition; the
    // run's focus partition, when it has one, as often as these together.
    const spread = fc.oneof(
      one.map(([t, p]) => ({ topic: t.name, partition: p })),
      fc.constantFrom(...x.topics).map((t) => ({ topic: t.name })),
      fc.constant({}),
    );
    const focus = focusPartitions(x);
    const target = focus.length === 0 ? spread : fc.oneof(fc.constantFrom(...focus), spread);
    return fc.tuple(atMs(x), target).map(([at, t]) => [{ atMs: at, kind: 'preferred-leader-election', ...t }]);
  },
  'reassign-partitions': (x) => {
    const { fc } = x.space;
    const one = partitionOf(x);
    if (!one) return undefined;
    const target = one.chain(([t, p]) =>
      fc
        .shuffledSubarray(x.brokers, { minLength: Math.min(t.replicationFactor, x.brokers.length), maxLength: Math.min(t.replicationFactor, x.brokers.length) })
        .map((replicas) => ({ topic: t.name, partition: p, replicas })),
    );
    return fc.tuple(atMs(x), target).map(([at, t]) => [{ atMs: at, kind: 'reassign-partitions', ...t }]);
  },
  'create-partitions': (x) => {
    const { fc } = x.space;
    const topics = growable(x);
    if (topics.length === 0) return undefined;
    // The count is made an increase over any earlier generated one by arrangeKafkaOperations.
    const grow = fc.tuple(fc.constantFrom(...topics), fc.integer({ min: 1, max: 2 }));
    return fc
      .tuple(atMs(x), grow)
      .map(([at, [t, more]]) => [{ atMs: at, kind: 'create-partitions', topic: t.name, totalCount: Math.min(KAFKA_BOUNDS.partitions.max, t.partitions + more) }]);
  },
  'delete-records': (x) => {
    const { fc } = x.space;
    const one = partitionOf(x);
    if (!one || x.members.length > 0) return undefined;
    // -1: the high watermark (kafka-delete-records' usual offset); or an offset, refused by the leader when above it.
    const offset = fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 1000 }));
    return fc.tuple(atMs(x), one, offset).map(([at, [t, p], o]) => [{ atMs: at, kind: 'delete-records', topic: t.name, partition: p, offset: o }]);
  },
  'producer-restart': (x) =>
    x.producers.length === 0 ? undefined : x.space.fc.tuple(atMs(x), x.space.fc.constantFrom(...x.producers)).map(([at, producer]) => [{ atMs: at, kind: 'producer-restart', producer }]),
  'consumer-close': (x) => {
    const { fc } = x.space;
    if (x.members.length === 0 || x.space.windowMs < CONSUMER_DOWN_MS_MIN + 2) return undefined;
    return fc.tuple(atMs(x, CONSUMER_DOWN_MS_MIN), fc.constantFrom(...x.members), lastingMs(x, CONSUMER_DOWN_MS_MIN)).map(([at, member, d]) => {
      const startMs = Math.max(at + CONSUMER_DOWN_MS_MIN, Math.min(at + d, x.space.windowMs - 1));
      return [
        { atMs: at, kind: 'consumer-close', member },
        { atMs: startMs, kind: 'consumer-start', member },
      ];
    });
  },
};

/** The operations a Kafka scenario can host, by kind (ModelExploration.operationArbitraries). */
export function kafkaOperationArbitraries(config: unknown, space: OperationSpace): OperationArbitraries {
  const scenario = config as KafkaScenarioInput;
  const plan = planKafkaScenario(scenario);
  const x: DrawContext = {
    scenario,
    space,
    brokers: plan.brokers.map((b) => b.name),
    topics: plan.topics.map((t) => ({ name: t.name, partitions: t.partitions, replicationFactor: t.replicationFactor })),
    producers: plan.producers.map((p) => p.name),
    members: (scenario.consumerGroups ?? []).flatMap((g) => consumerMembersOf(g, scenario.cluster.azs).map((m) => m.name)),
    roles: space.roles ?? [],
  };
  const out: OperationArbitraries = {};
  if (x.brokers.length === 0 || space.windowMs < 2) return out;
  for (const [kind, draw] of Object.entries(OPERATION_DRAWS)) {
    const arbitrary = draw(x);
    if (arbitrary) out[kind] = arbitrary;
  }
  return out;
}

/**
 * A case's generated operations made valid together (ModelExploration.arrangeOperations): in time
 * order, each create-partitions of a topic grows it past the one before (Kafka refuses a count that
 * is not an increase), and one that cannot (the topic at its bound) is dropped.
 */
export function arrangeKafkaOperations(config: unknown, generated: readonly ExploredOperation[]): ExploredOperation[] {
  const counts = new Map(planKafkaScenario(config as KafkaScenarioInput).topics.map((t) => [t.name, t.partitions]));
  const out: ExploredOperation[] = [];
  for (const op of [...generated].sort((a, b) => a.atMs - b.atMs)) {
    if (op.kind !== 'create-partitions') {
      out.push(op);
      continue;
    }
    const topic = op.topic as string;
    const totalCount = Math.max(op.totalCount as number, (counts.get(topic) ?? 0) + 1);
    if (totalCount > KAFKA_BOUNDS.partitions.max) continue;
    counts.set(topic, totalCount);
    out.push({ ...op, totalCount });
  }
  return out;
}
