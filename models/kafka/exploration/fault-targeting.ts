// Where and how long `ksim check` cuts a Kafka cluster, as Jepsen's Kafka nemeses target roles
// (ModelExploration.targetedSplits and faultDurationsMs). The protocol bugs Kafka fixed need a
// cut a blind split of all nodes rarely makes: KIP-279's fast-failover divergence and KAFKA-7164
// need a leader cut from its followers while the controller still reaches everyone (two
// elections in seconds), KIP-903 a follower cut from the controller only (it is fenced and its
// stale fetch comes back). And a cut matters only when it outlasts a timeout: a follower leaves
// the ISR after replica.lag.time.max.ms, a broker is fenced after broker.session.timeout.ms
// (KRaft; zookeeper.session.timeout.ms in ZooKeeper mode), a producer request expires after
// request.timeout.ms, a group member is evicted after session.timeout.ms.
//
// Two kinds of target: the scenario's static layout (node names by role: with every broker a
// replica, the usual RF 3 on 3 brokers, "one broker cut from the others" is the leader's cut for
// the partitions it leads), and roles resolved when the fault fires (kafka-roles.ts: the leader
// of a partition now, after whatever failover came before), as Jepsen's nemeses target them.

import type { Split } from '../../../src/faults/fault-targets.ts';
import type { BrokerConfig } from '../config/broker-configs.ts';
import { planKafkaScenario } from '../scenario/build-kafka-scenario.ts';
import { kafkaFaultRoles } from './kafka-roles.ts';
import { consumerMembersOf, type KafkaScenarioInput } from '../scenario/kafka-scenario-schema.ts';

/**
 * The cuts between roles worth trying, each as [one side, other side] (the generator also tries
 * them the other way round, which matters for one-way cuts):
 * - a broker from the other brokers only (a leader from its followers, or a follower from its
 *   leader; the controllers and clients still reach it);
 * - a broker from the controllers only (fenced or removed from the ISR while it still replicates);
 * - a broker from the other brokers and the controllers, still reached by the clients (a zombie
 *   leader that producers keep writing to);
 * - a controller from everyone (the active one's failover, when it is the active one);
 * - every controller from every broker;
 * - a client (producer, consumer) from one broker.
 */
function kafkaLayoutSplits(config: unknown): Split[] {
  const s = config as KafkaScenarioInput;
  const brokers = s.cluster.brokers.map((b) => b.name);
  const controllers = s.cluster.controllers.map((c) => c.name);
  const clients = [...s.producers.map((p) => p.name), ...(s.consumerGroups ?? []).flatMap((g) => consumerMembersOf(g, s.cluster.azs).map((m) => m.name))];
  const splits: Split[] = [];
  const others = (b: string) => brokers.filter((x) => x !== b);
  for (const b of brokers) {
    if (brokers.length >= 2) splits.push([[b], others(b)]);
    if (controllers.length > 0) splits.push([[b], controllers]);
    if (brokers.length >= 2 && controllers.length > 0) splits.push([[b], [...others(b), ...controllers]]);
  }
  for (const c of controllers) splits.push([[c], [...brokers, ...controllers.filter((x) => x !== c)]]);
  if (controllers.length > 0) splits.push([controllers, brokers]);
  for (const client of clients) for (const b of brokers) splits.push([[client], [b]]);
  return splits;
}

const TIMEOUT_KEYS = ['replica.lag.time.max.ms', 'broker.session.timeout.ms', 'zookeeper.session.timeout.ms', 'request.timeout.ms', 'session.timeout.ms'];

/** A broker's session with the controller: zookeeper.session.timeout.ms in ZooKeeper mode, broker.session.timeout.ms in KRaft. */
export function controllerSessionTimeoutMs(metadataMode: KafkaScenarioInput['metadataMode'], b: BrokerConfig): number {
  return metadataMode === 'zookeeper' ? b['zookeeper.session.timeout.ms'] : b['broker.session.timeout.ms'];
}

/**
 * Durations (ms) around the scenario's own timeouts: just under each (90%), just over (110%) and
 * far over (3x), for replica.lag.time.max.ms, the broker's session with the controller
 * (broker.session.timeout.ms in KRaft, zookeeper.session.timeout.ms in ZooKeeper mode), the
 * producers' request.timeout.ms and the consumers' session.timeout.ms, and for the values
 * exploration may give these keys in a run (`explored`: key -> candidate values). Ascending,
 * distinct.
 */
export function kafkaFaultDurationsMs(config: unknown, explored: Readonly<Record<string, readonly unknown[]>> = {}): number[] {
  const s = config as KafkaScenarioInput;
  const plan = planKafkaScenario(s);
  const b = plan.brokerConfig;
  const timeouts = [b['replica.lag.time.max.ms'], controllerSessionTimeoutMs(s.metadataMode, b), ...plan.producers.map((p) => p.config['request.timeout.ms'])];
  for (const g of plan.consumerGroups) for (const m of g.members) timeouts.push(m.config['session.timeout.ms']);
  for (const key of TIMEOUT_KEYS) for (const v of explored[key] ?? []) if (typeof v === 'number') timeouts.push(v);
  const out = new Set<number>();
  for (const t of timeouts) for (const f of [0.9, 1.1, 3]) out.add(Math.max(1, Math.round(t * f)));
  return [...out].sort((x, y) => x - y);
}

/**
 * How long after its first member starts and group.initial.rebalance.delay.ms a new group has its
 * first assignment, at most, on a quiet cluster: the first leaders and the coordinator's
 * __consumer_offsets leader elected, FindCoordinator, JoinGroup and SyncGroup answered (the bug
 * zoo's group: 214 ms with the delay 0, 3,115 ms with 3 s).
 */
const FIRST_ASSIGNMENT_MARGIN_MS = 250;

/**
 * When anyone can hold a role in a run of the scenario (ModelExploration.roleHeldFromMs): the
 * reader of a partition once the first group reading it (kafka-roles.ts) can have handed it out,
 * its first member's start and GroupCoordinator's InitialDelayedJoin
 * (group.initial.rebalance.delay.ms, which holds a new group's first rebalance for more members)
 * after, with FIRST_ASSIGNMENT_MARGIN_MS for the requests; 0 for the other roles, held from the
 * first elections on.
 */
export function kafkaRoleHeldFromMs(config: unknown, role: string): number {
  const plan = planKafkaScenario(config as KafkaScenarioInput);
  const group = readingGroup(plan, role);
  if (group === undefined || group.members.length === 0) return 0;
  const startMs = Math.min(...group.members.map((m) => m.startMs));
  return startMs + plan.brokerConfig['group.initial.rebalance.delay.ms'] + FIRST_ASSIGNMENT_MARGIN_MS;
}

/**
 * The subjects a role is about besides its argument (ModelExploration.roleSubjects): the reader of
 * a partition is about the group reading it too, so a run focused on the group (its coordinator,
 * its members cut from it) may pause or cut the member reading a partition: the zombie member.
 */
export function kafkaRoleSubjects(config: unknown, role: string): string[] {
  const group = readingGroup(planKafkaScenario(config as KafkaScenarioInput), role);
  return group === undefined ? [] : [group.groupId];
}

/** For "@reader:<topic>-<p>", the first group in declaration order reading the topic (kafka-roles.ts); undefined for other roles. */
function readingGroup(plan: ReturnType<typeof planKafkaScenario>, role: string): ReturnType<typeof planKafkaScenario>['consumerGroups'][number] | undefined {
  if (!role.startsWith('@reader:')) return undefined;
  const partition = role.slice('@reader:'.length);
  return plan.consumerGroups.find((g) => g.topics.some((t) => partition.startsWith(`${t}-`) && /^\d+$/.test(partition.slice(t.length + 1))));
}

/** A generated run holds its broker's session timeout this many times over: a fault just over it, the failover, settling. */
const RUN_SESSION_TIMEOUTS = 2.2;

/**
 * The shortest run in which a broker's session with the controller can expire and the cluster fail
 * over and settle: 2.2x the session timeout (broker.session.timeout.ms in KRaft,
 * zookeeper.session.timeout.ms in ZooKeeper mode). With ZooKeeper's
 * 18 s session (the default from Kafka 2.5, KIP-537), check-small's 20 s runs could not hold a cut
 * that outlasts it, and a crashed broker's session (Kafka's process closes nothing when it dies)
 * expired after the run: 8 clean failovers in 60 runs on 2.5, 31 on 2.4. KRaft's 9 s and the 6 s
 * of ZooKeeper before 2.5 ask 19.8 s and 13.2 s, within check-small's 20 s. Undefined when the
 * scenario's durationMs already holds it.
 */
export function kafkaRunDurationMsMin(config: unknown): { durationMs: number; reason: string } | undefined {
  const s = config as KafkaScenarioInput;
  const key = s.metadataMode === 'zookeeper' ? 'zookeeper.session.timeout.ms' : 'broker.session.timeout.ms';
  const sessionMs = controllerSessionTimeoutMs(s.metadataMode, planKafkaScenario(s).brokerConfig);
  const durationMs = Math.ceil((sessionMs * RUN_SESSION_TIMEOUTS) / 1000) * 1000;
  if (s.durationMs !== undefined && s.durationMs >= durationMs) return undefined;
  return { durationMs, reason: `${key} ${sessionMs}: a fault must outlast it, and the cluster fail over and settle after it` };
}

/**
 * The values replica.lag.time.max.ms may have in a run: the scenario's own (its version's default,
 * or what it states) and those exploration may give it (`explored`: key -> candidate values).
 * Ascending, distinct.
 */
export function kafkaReplicaLagsMs(config: unknown, explored: Readonly<Record<string, readonly unknown[]>> = {}): number[] {
  const lags = new Set([planKafkaScenario(config as KafkaScenarioInput).brokerConfig['replica.lag.time.max.ms']]);
  for (const v of explored['replica.lag.time.max.ms'] ?? []) if (typeof v === 'number') lags.add(v);
  return [...lags].sort((x, y) => x - y);
}

/**
 * The cuts between roles, per user partition P (each resolved when the fault fires):
 * - P's leader from its followers only (the controllers still reach both: KIP-279's fast
 *   failover, KAFKA-7164's missed epoch);
 * - P's leader from the controllers only (a leader that cannot shrink its ISR);
 * - one follower of P from the controllers only (fenced while it still fetches: KIP-903), from
 *   the leader only, and from P's other replicas (the controllers still reach it: it lags, stays
 *   in the ISR for replica.lag.time.max.ms, and is the next leader the controller picks, the first
 *   in replica order, without what the other follower has; the other follower cannot truncate to
 *   it: with two leader changes in seconds, KIP-279's fast-failover divergence);
 * - P's leader from its followers and the controllers, still reached by the clients (a zombie
 *   leader: KAFKA-6880);
 * - each producer from P's leader;
 * and the active controller from every broker and controller, each group's coordinator from
 * the other brokers and the controllers, and each group member from its coordinator only (it still
 * fetches from the leaders: its heartbeats fail, the coordinator evicts it after session.timeout.ms
 * and hands its partitions to another member, while it goes on processing and, once the cut heals,
 * commits with its old generation: AbstractCoordinator's zombie member, which the coordinator must
 * fence with ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID, GroupCoordinator.handleCommitOffsets).
 */
function kafkaRoleSplits(config: unknown): Split[] {
  const s = config as KafkaScenarioInput;
  const plan = planKafkaScenario(s);
  const brokers = s.cluster.brokers.map((b) => b.name);
  const controllers = s.cluster.controllers.map((c) => c.name);
  const splits: Split[] = [];
  for (const t of plan.topics)
    for (let p = 0; p < t.partitions; p++) {
      const leader = `@leader:${t.name}-${p}`;
      const followers = `@followers:${t.name}-${p}`;
      const follower = `@follower:${t.name}-${p}`;
      splits.push([[leader], [followers]], [[follower], controllers], [[follower], [leader]], [[follower], [leader, followers]]);
      if (controllers.length > 0) splits.push([[leader], controllers], [[leader], [followers, ...controllers]]);
      for (const producer of plan.producers) if (producer.topic === t.name) splits.push([[producer.name], [leader]]);
    }
  if (controllers.length > 0) splits.push([['@active-controller'], [...brokers, ...controllers]]);
  for (const g of plan.consumerGroups) {
    splits.push([[`@coordinator:${g.groupId}`], [...brokers, ...controllers]]);
    for (const m of g.members) splits.push([[m.name], [`@coordinator:${g.groupId}`]]);
  }
  return splits;
}

/** Cuts worth trying: between fixed nodes of the layout, and between roles. */
export function kafkaTargetedSplits(config: unknown): Split[] {
  return [...kafkaLayoutSplits(config), ...kafkaRoleSplits(config)];
}

/**
 * The roles a one-node fault may aim at: each user partition's leader, one follower and the group
 * member reading it (a zombie member once paused or cut past its session), the active controller,
 * each group's coordinator (the out-of-sync replicas only through the zombie composite,
 * the in-sync follower only through the ISR drain composite).
 */
export function kafkaTargetedRoles(config: unknown): string[] {
  return kafkaFaultRoles(config).filter((r) => !r.startsWith('@followers:') && !r.startsWith('@out-of-sync:') && !r.startsWith('@in-sync-follower:'));
}
