// The scenario's scripted operations, checked and resolved: every name an operation gives (broker,
// topic, member) must exist, every time must fall inside the run, and a create-partitions must
// grow its topic (Kafka's CreatePartitions refuses a count that is not higher than the current one
// with InvalidPartitionsException). Resolving places the replicas of the partitions a
// create-partitions adds, as Kafka's AdminZkClient.addPartitions does: AdminUtils'
// assignment continued from the existing partitions (start index = the first replica of
// partition 0, shifted by the partitions that exist), with no random draw. A reassign-partitions
// names registered brokers, each once, and at least one (ReplicationControlManager's
// validateManualPartitionAssignment); its size may differ from the replication factor.

import type { Choice } from '../../../src/sim/choice.ts';
import { scenarioError } from '../config/scenario-error.ts';
import { assignReplicas } from '../controller/replica-assignment.ts';
import type { BrokerSpec, ConsumerGroupSpec, KafkaOperation } from './kafka-scenario.ts';
import type { KafkaScenarioInput } from './kafka-scenario-schema.ts';
import { boundExceeded, KAFKA_BOUNDS } from './kafka-bounds.ts';
import { UpgradePlan } from './plan-upgrades.ts';

/** A user topic as the operations need it: its name, initial count, replication factor, explicit replicas. */
interface OperationTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
}

/** Placement with a fixed start index draws nothing; a draw would be a bug. */
const NO_DRAWS: Choice = {
  below: () => {
    throw new Error('added partitions are placed without random draws');
  },
  unit: () => {
    throw new Error('added partitions are placed without random draws');
  },
};

function quoted(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

/** The operations in the order they happen: by atMs, then as listed. */
function operationsInTimeOrder<T extends { atMs: number }>(ops: readonly T[]): T[] {
  return ops.map((op, i) => ({ op, i })).sort((a, b) => a.op.atMs - b.op.atMs || a.i - b.i).map((x) => x.op);
}

/**
 * Checks every operation against the planned scenario; throws a UserError naming the field.
 * Returns the partition count of each user topic after every create-partitions.
 */
export function checkOperations(
  s: KafkaScenarioInput,
  brokerNames: readonly string[],
  topics: readonly OperationTopic[],
  groups: readonly ConsumerGroupSpec[],
  metadataMode: 'kraft' | 'zookeeper',
): Map<string, number> {
  const upgrades = new UpgradePlan(s, brokerNames, metadataMode);
  const topicNames = topics.map((t) => t.name);
  const memberNames = groups.flatMap((g) => g.members.map((m) => m.name));
  const producerNames = s.producers.map((p) => p.name);
  const counts = new Map(topics.map((t) => [t.name, t.partitions]));
  const checkBroker = (field: string, b: string) => {
    if (!brokerNames.includes(b)) throw scenarioError(field, `unknown broker "${b}"; brokers are ${quoted(brokerNames)}`);
  };
  const checkTopic = (field: string, t: string) => {
    if (!topicNames.includes(t)) throw scenarioError(field, `unknown topic "${t}"; topics are ${topicNames.length ? quoted(topicNames) : '(none: add one to "topics")'}`);
  };
  for (const op of operationsInTimeOrder(s.operations.map((o, i) => ({ ...o, index: i })))) {
    const at = `operations[${op.index}]`;
    if (s.durationMs !== undefined && op.atMs > s.durationMs) throw scenarioError(`${at}.atMs`, `${op.atMs} is after durationMs ${s.durationMs}; move it earlier`);
    switch (op.kind) {
      case 'controlled-shutdown':
        if (op.broker.startsWith('@')) checkBrokerRole(`${at}.broker`, op.broker, counts); else checkBroker(`${at}.broker`, op.broker);
        break;
      case 'rolling-restart':
      case 'upgrade':
      case 'update-features':
        checkVersionOperation(at, op, brokerNames, upgrades, checkBroker);
        break;
      case 'create-partitions': {
        checkTopic(`${at}.topic`, op.topic);
        const current = counts.get(op.topic)!;
        if (op.totalCount <= current)
          throw scenarioError(
            `${at}.totalCount`,
            `topic "${op.topic}" has ${current} partitions at ${op.atMs} ms; totalCount must be higher (Kafka cannot remove partitions)`,
          );
        if (op.totalCount > KAFKA_BOUNDS.partitions.max) throw scenarioError(`${at}.totalCount`, `${op.totalCount} partitions is ${boundExceeded('partitions')}`);
        counts.set(op.topic, op.totalCount);
        break;
      }
      case 'delete-records': {
        checkTopic(`${at}.topic`, op.topic);
        const count = counts.get(op.topic)!;
        if (op.partition >= count) throw scenarioError(`${at}.partition`, `topic "${op.topic}" has partitions 0..${count - 1} at ${op.atMs} ms, not ${op.partition}`);
        break;
      }
      case 'reassign-partitions': {
        checkTopic(`${at}.topic`, op.topic);
        const count = counts.get(op.topic)!;
        if (op.partition >= count) throw scenarioError(`${at}.partition`, `topic "${op.topic}" has partitions 0..${count - 1} at ${op.atMs} ms, not ${op.partition}`);
        // ReplicationControlManager.validateManualPartitionAssignment: registered brokers, each once, not empty.
        op.replicas.forEach((b, j) => {
          checkBroker(`${at}.replicas[${j}]`, b);
          if (op.replicas.indexOf(b) !== j) throw scenarioError(`${at}.replicas[${j}]`, `broker "${b}" appears twice; a replica set names each broker once`);
        });
        break;
      }
      case 'preferred-leader-election':
        if (op.topic !== undefined) checkTopic(`${at}.topic`, op.topic);
        if (op.partition !== undefined) {
          if (op.topic === undefined) throw scenarioError(`${at}.partition`, 'needs "topic" too: name the topic the partition belongs to');
          const count = counts.get(op.topic)!;
          if (op.partition >= count) throw scenarioError(`${at}.partition`, `topic "${op.topic}" has partitions 0..${count - 1} at ${op.atMs} ms, not ${op.partition}`);
        }
        break;
      case 'consumer-close':
      case 'consumer-start':
        if (!memberNames.includes(op.member))
          throw scenarioError(`${at}.member`, `unknown consumer group member "${op.member}"; members are ${memberNames.length ? quoted(memberNames) : '(none: add a consumer group)'}`);
        break;
      case 'producer-restart':
        if (!producerNames.includes(op.producer))
          throw scenarioError(`${at}.producer`, `unknown producer "${op.producer}"; producers are ${producerNames.length ? quoted(producerNames) : '(none)'}`);
        break;
    }
  }
  return counts;
}

/** The roles an operation that stops one broker may aim at, resolved when it fires (operation-aim.ts). */
const BROKER_ROLES = ['leader', 'follower', 'in-sync-follower'];

/**
 * A role a controlled shutdown aims at: "@leader:<topic>-<p>", "@follower:<topic>-<p>" or
 * "@in-sync-follower:<topic>-<p>" of a
 * partition that exists by then (`counts`: partitions per user topic at the operation's time).
 */
function checkBrokerRole(field: string, ref: string, counts: ReadonlyMap<string, number>): void {
  const body = ref.slice(1);
  const colon = body.indexOf(':');
  const role = colon < 0 ? body : body.slice(0, colon);
  const fix = 'aim it at "@leader:<topic>-<partition>", "@follower:<topic>-<partition>" or "@in-sync-follower:<topic>-<partition>"';
  if (!BROKER_ROLES.includes(role)) throw scenarioError(field, `a controlled shutdown stops one broker; "${ref}" is not a broker's role: ${fix}`);
  const partition = colon < 0 ? '' : body.slice(colon + 1);
  const dash = partition.lastIndexOf('-');
  const count = dash < 0 ? undefined : counts.get(partition.slice(0, dash));
  const p = Number(partition.slice(dash + 1));
  if (count === undefined || !/^\d+$/.test(partition.slice(dash + 1)) || p >= count) {
    const known = [...counts].flatMap(([t, n]) => Array.from({ length: n }, (_, i) => `@${role}:${t}-${i}`));
    throw scenarioError(field, `unknown role "${ref}"; roles are ${known.length > 0 ? known.join(', ') : '(none: add a topic)'}`);
  }
}

type InputOperation = KafkaScenarioInput['operations'][number];

/** A rolling restart (maybe raising inter.broker.protocol.version), an upgrade or an update-features, checked in time order. */
function checkVersionOperation(
  at: string,
  op: Extract<InputOperation, { kind: 'rolling-restart' | 'upgrade' | 'update-features' }>,
  brokerNames: readonly string[],
  upgrades: UpgradePlan,
  checkBroker: (field: string, b: string) => void,
): void {
  if (op.kind === 'update-features') return upgrades.metadataVersion(at, op.atMs, op['metadata.version']);
  if (op.kind === 'upgrade' && op.broker !== undefined) {
    if (op.brokers !== undefined) throw scenarioError(`${at}.brokers`, 'give "broker" (one broker) or "brokers" (a rolling upgrade), not both');
    checkBroker(`${at}.broker`, op.broker);
    return upgrades.upgrade(at, op.atMs, [op.broker], op.to, op.durationMs);
  }
  checkRollingOrder(at, op.brokers ?? [], checkBroker);
  const brokers = op.brokers ?? brokerNames;
  if (op.kind === 'upgrade') upgrades.upgrade(at, op.atMs, brokers, op.to, op.durationMs);
  else if (op['inter.broker.protocol.version'] !== undefined) upgrades.interBrokerProtocol(at, op.atMs, brokers, op['inter.broker.protocol.version'], op.durationMs);
  else upgrades.rolling(op.atMs, brokers, op.durationMs);
  if (op.kind === 'rolling-restart' && op['log.message.format.version'] !== undefined) upgrades.messageFormat(at, brokers, op['log.message.format.version']);
}

/** A rolling operation's order: known brokers, each once. */
function checkRollingOrder(at: string, brokers: readonly string[], checkBroker: (field: string, b: string) => void): void {
  brokers.forEach((b, j) => {
    checkBroker(`${at}.brokers[${j}]`, b);
    if (brokers.indexOf(b) !== j) throw scenarioError(`${at}.brokers[${j}]`, `broker "${b}" appears twice; a rolling restart stops each broker once`);
  });
}

/** The operations as the model runs them (in the scenario's order), with added partitions placed. */
export function resolveOperations(s: KafkaScenarioInput, brokers: readonly BrokerSpec[], topics: readonly (OperationTopic & { replicas: number[][] })[]): KafkaOperation[] {
  const racks = brokers.map((b) => b.rack);
  const counts = new Map(topics.map((t) => [t.name, t.partitions]));
  const added = new Map<object, number[][]>();
  for (const op of operationsInTimeOrder(s.operations)) {
    if (op.kind !== 'create-partitions') continue;
    const topic = topics.find((t) => t.name === op.topic)!;
    const current = counts.get(op.topic)!;
    const startIndex = (topic.replicas[0][0] + current) % brokers.length;
    added.set(op, assignReplicas(racks, op.totalCount - current, topic.replicationFactor, NO_DRAWS, { fixedStartIndex: startIndex }));
    counts.set(op.topic, op.totalCount);
  }
  return s.operations.map((op): KafkaOperation => {
    switch (op.kind) {
      case 'controlled-shutdown':
        return { atMs: op.atMs, kind: op.kind, broker: op.broker, durationMs: op.durationMs };
      case 'rolling-restart': {
        const ibp = op['inter.broker.protocol.version'];
        const format = op['log.message.format.version'];
        return {
          atMs: op.atMs,
          kind: op.kind,
          brokers: op.brokers ?? brokers.map((b) => b.name),
          durationMs: op.durationMs,
          isrWaitMs: op.isrWaitMs,
          ...(ibp === undefined ? {} : { interBrokerProtocolVersion: ibp }),
          ...(format === undefined ? {} : { logMessageFormatVersion: format }),
        };
      }
      case 'upgrade':
        return {
          atMs: op.atMs,
          kind: op.kind,
          brokers: op.broker !== undefined ? [op.broker] : (op.brokers ?? brokers.map((b) => b.name)),
          to: op.to,
          durationMs: op.durationMs,
          isrWaitMs: op.isrWaitMs,
        };
      case 'update-features':
        return { atMs: op.atMs, kind: op.kind, metadataVersion: op['metadata.version'] };
      case 'create-partitions':
        return { atMs: op.atMs, kind: op.kind, topic: op.topic, totalCount: op.totalCount, replicas: added.get(op)! };
      case 'preferred-leader-election':
        return { atMs: op.atMs, kind: op.kind, topic: op.topic ?? null, partition: op.partition ?? null };
      case 'consumer-close':
      case 'consumer-start':
        return { atMs: op.atMs, kind: op.kind, member: op.member };
      case 'producer-restart':
        return { atMs: op.atMs, kind: op.kind, producer: op.producer };
      case 'delete-records':
        return { atMs: op.atMs, kind: op.kind, topic: op.topic, partition: op.partition, offset: op.offset };
      case 'reassign-partitions':
        return {
          atMs: op.atMs,
          kind: op.kind,
          topic: op.topic,
          partition: op.partition,
          replicas: op.replicas.map((b) => brokers.findIndex((x) => x.name === b)),
          throttleBytesPerSec: op.throttleBytesPerSec ?? null,
        };
    }
  });
}
