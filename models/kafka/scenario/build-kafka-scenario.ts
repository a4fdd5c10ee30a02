// Turns the parsed Kafka part of a scenario into the KafkaScenario the model runs: checks what
// needs more than one field (names, references, replication factors, timing against durationMs),
// layers the configs (preset < cluster `config` < topic/producer `config`) and places replicas.
// checkKafkaScenario runs at resolve time (no randomness); buildKafkaScenario at create time,
// drawing replica placement from the "kafka.assignment" choice stream.

import type { Choice } from '../../../src/sim/choice.ts';
import type { BrokerConfig } from '../config/broker-configs.ts';
import { isExplicit, originOf, resolveBrokerConfig, resolveConsumerConfig, resolveProducerConfig, resolveTopicConfig } from '../config/resolve-config.ts';
import { scenarioError } from '../config/scenario-error.ts';
import type { TopicConfig } from '../config/topic-configs.ts';
import { OFFSETS_TOPIC, offsetsTopicConfig } from '../group/offsets-topic.ts';
import { assignReplicas } from '../controller/replica-assignment.ts';
import type { BrokerSpec, ConsumerGroupSpec, KafkaScenario, ProducerSpec } from './kafka-scenario.ts';
import { consumerMembersOf, type KafkaScenarioInput } from './kafka-scenario-schema.ts';
import { boundExceeded, KAFKA_BOUNDS } from './kafka-bounds.ts';
import { checkOperations, resolveOperations } from './plan-operations.ts';
import type { VersionAbsences, VersionDefaults } from '../config/config-presets.ts';
import { configAbsentIn, idempotenceMaxInFlightAt } from '../version/config-introductions.ts';
import { defaultMetadataMode, defaultMetadataModeReason, isOlderVersion, KAFKA_VERSION_NAMES, metadataModeProblem, mskVersionProblem, releaseOf, runningVersionOf, versionDefault, versionOfScenario } from '../version/kafka-versions.ts';
import { idempotenceFormatProblem, initialMessageFormatOf, MESSAGE_FORMAT_KEY, messageFormatProblem, parseMessageFormatVersion } from '../version/message-format.ts';
import type { MetadataMode } from './kafka-scenario.ts';

/** A topic with everything but the automatic replica placement settled. */
interface TopicPlan {
  name: string;
  partitions: number;
  replicationFactor: number;
  config: TopicConfig;
  /** Explicit replicas as broker indexes, or undefined for Kafka's placement. */
  replicas?: number[][];
}

interface ScenarioPlan {
  brokers: BrokerSpec[];
  brokerConfig: BrokerConfig;
  topics: TopicPlan[];
  producers: ProducerSpec[];
  consumerGroups: ConsumerGroupSpec[];
  /** __consumer_offsets when there are consumer groups. */
  offsetsTopic: TopicPlan | null;
}

function quoted(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

function checkUnique(names: readonly string[], field: (i: number) => string, what: string): void {
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) throw scenarioError(field(i), `duplicate ${what} name "${n}"`);
  });
}

function checkWithinRun(s: KafkaScenarioInput, field: string, atMs: number): void {
  if (s.durationMs !== undefined && atMs > s.durationMs)
    throw scenarioError(field, `${atMs} is after durationMs ${s.durationMs}; move it earlier`);
}

function planTopic(s: KafkaScenarioInput, brokerConfig: BrokerConfig, brokerNames: readonly string[], i: number): TopicPlan {
  const t = s.topics[i];
  const at = `topics[${i}]`;
  let replicas: number[][] | undefined;
  if (t.replicas) {
    replicas = t.replicas.map((names, p) =>
      names.map((n, r) => {
        const b = brokerNames.indexOf(n);
        if (b < 0) throw scenarioError(`${at}.replicas[${p}][${r}]`, `unknown broker "${n}"; brokers are ${quoted(brokerNames)}`);
        if (names.indexOf(n) !== r) throw scenarioError(`${at}.replicas[${p}][${r}]`, `broker "${n}" appears twice in one partition`);
        return b;
      }),
    );
    const width = replicas[0].length;
    replicas.forEach((r, p) => {
      if (r.length !== width)
        throw scenarioError(`${at}.replicas[${p}]`, `has ${r.length} replicas but replicas[0] has ${width}; every partition needs the same replication factor`);
    });
    if (t.partitions !== undefined && t.partitions !== replicas.length)
      throw scenarioError(`${at}.partitions`, `is ${t.partitions} but ${at}.replicas lists ${replicas.length} partitions`);
    if (t['replication.factor'] !== undefined && t['replication.factor'] !== width)
      throw scenarioError(`${at}.replication.factor`, `is ${t['replication.factor']} but ${at}.replicas lists ${width} replicas per partition`);
  }
  const partitions = t.partitions ?? replicas?.length ?? brokerConfig['num.partitions'];
  if (partitions > KAFKA_BOUNDS.partitions.max)
    throw scenarioError(
      originOf('num.partitions', s.preset, [{ field: 'config', map: s.config }]),
      `topic "${t.name}" would get ${partitions} partitions, ${boundExceeded('partitions')}; set its "partitions" or lower num.partitions`,
    );
  const replicationFactor = t['replication.factor'] ?? replicas?.[0].length ?? brokerConfig['default.replication.factor'];
  if (replicationFactor > brokerNames.length) {
    const field =
      t['replication.factor'] !== undefined
        ? `${at}.replication.factor`
        : originOf('default.replication.factor', s.preset, [{ field: 'config', map: s.config }]);
    throw scenarioError(
      field,
      `replication factor ${replicationFactor} for topic "${t.name}" is more than the ${brokerNames.length} brokers; add brokers or lower it`,
    );
  }
  return { name: t.name, partitions, replicationFactor, config: resolveTopicConfig(brokerConfig, t.config), replicas };
}

/**
 * min.insync.replicas above the replication factor is legal in Kafka, but then every acks=all
 * write to the topic fails with NotEnoughReplicas: a scenario that does that is almost surely a
 * mistake, so it is an error when some acks=all producer writes to the topic (and allowed,
 * harmlessly, when none does).
 */
function checkMinInsyncReplicas(s: KafkaScenarioInput, topics: readonly TopicPlan[], producers: readonly ProducerSpec[]): void {
  topics.forEach((t, i) => {
    const mir = t.config['min.insync.replicas'];
    if (mir <= t.replicationFactor) return;
    const writer = producers.find((p) => p.topic === t.name && p.config.acks === 'all');
    if (!writer) return;
    const field = originOf('min.insync.replicas', s.preset, [
      { field: 'config', map: s.config },
      { field: `topics[${i}].config`, map: s.topics[i].config },
    ]);
    throw scenarioError(
      field,
      `min.insync.replicas ${mir} is more than topic "${t.name}"'s replication factor ${t.replicationFactor}, so every acks=all write (producer "${writer.name}") would fail with NotEnoughReplicas; lower min.insync.replicas or raise the replication factor`,
    );
  });
}

/**
 * A compacted topic takes keyed records only: Kafka's LogValidator refuses a batch holding a record
 * without a key ("Compacted topic cannot accept message without key": CORRUPT_MESSAGE, INVALID_RECORD
 * from 2.5), so a producer of null keys there gets nothing written. Refused here rather than run.
 */
function checkKeysOnCompactedTopics(s: KafkaScenarioInput, topics: readonly TopicPlan[]): void {
  s.producers.forEach((p, i) => {
    const topic = topics.find((t) => t.name === p.topic);
    if (topic?.config['log.cleanup.policy'] !== 'compact') return;
    const field = p.ratePerSec > 0 && p.keys === 0 ? `producers[${i}].keys` : p.sends.some((x) => x.key === null) ? `producers[${i}].sends` : null;
    if (field === null) return;
    throw scenarioError(
      field,
      `producer "${p.name}" sends records without a key to "${topic.name}", a compacted topic (cleanup.policy=compact), which Kafka refuses ("Compacted topic cannot accept message without key"); give the producer keys (keys: N, or a key per scripted send)`,
    );
  });
}

function planProducers(s: KafkaScenarioInput, topicNames: readonly string[]): ProducerSpec[] {
  return s.producers.map((p, i) => {
    const at = `producers[${i}]`;
    if (!topicNames.includes(p.topic))
      throw scenarioError(`${at}.topic`, `unknown topic "${p.topic}"; topics are ${topicNames.length ? quoted(topicNames) : '(none: add one to "topics")'}`);
    if (!s.cluster.azs.includes(p.az)) throw scenarioError(`${at}.az`, `unknown AZ "${p.az}"; cluster.azs is ${quoted(s.cluster.azs)}`);
    if (p.stopMs !== undefined && p.stopMs < p.startMs) throw scenarioError(`${at}.stopMs`, `${p.stopMs} is before startMs ${p.startMs}`);
    if (p.ratePerSec === 0 && p.sends.length === 0)
      throw scenarioError(`${at}.ratePerSec`, `producer "${p.name}" sends nothing; set ratePerSec above 0 or list scripted "sends"`);
    checkWithinRun(s, `${at}.startMs`, p.startMs);
    p.sends.forEach((send, j) => checkWithinRun(s, `${at}.sends[${j}].atMs`, send.atMs));
    return {
      name: p.name,
      az: p.az,
      topic: p.topic,
      ratePerSec: p.ratePerSec,
      keys: p.keys,
      recordBytes: p.recordBytes,
      startMs: p.startMs,
      ...(p.stopMs === undefined ? {} : { stopMs: p.stopMs }),
      sends: p.sends.map((send) => ({ atMs: send.atMs, key: send.key })),
      config: resolveProducerConfig(s.preset, s.config, at, p.config, versionDefaultsOf(s), versionAbsencesOf(s), idempotenceMaxInFlightOf(s)),
    };
  });
}

function planConsumerGroups(s: KafkaScenarioInput, topicNames: readonly string[], brokerConfig: BrokerConfig): ConsumerGroupSpec[] {
  const groups = s.consumerGroups ?? [];
  checkUnique(
    groups.map((g) => g['group.id']),
    (i) => `consumerGroups[${i}].group.id`,
    'group.id',
  );
  return groups.map((g, i) => {
    const at = `consumerGroups[${i}]`;
    // Unique within a group (the coordinator fences by group and instance id); two groups may share one.
    const instanceIds: { id: string; member: string }[] = [];
    g.topics.forEach((t, j) => {
      if (!topicNames.includes(t))
        throw scenarioError(`${at}.topics[${j}]`, `unknown topic "${t}"; topics are ${topicNames.length ? quoted(topicNames) : '(none: add one to "topics")'}`);
    });
    checkWithinRun(s, `${at}.startMs`, g.startMs);
    const members = consumerMembersOf(g, s.cluster.azs).map((m, j) => {
      const mat = `${at}.members[${j}]`;
      if (!s.cluster.azs.includes(m.az)) throw scenarioError(`${mat}.az`, `unknown AZ "${m.az}"; cluster.azs is ${quoted(s.cluster.azs)}`);
      const startMs = m.startMs ?? g.startMs;
      checkWithinRun(s, `${mat}.startMs`, startMs);
      const config = resolveConsumerConfig(s.preset, s.config, at, g.config, mat, m.config, brokerConfig, versionDefaultsOf(s), versionAbsencesOf(s));
      const commit = m.commit ?? g.commit;
      const maps = [s.config, g.config, m.config];
      // The commit strategy decides enable.auto.commit unless it was set explicitly.
      if (!isExplicit('enable.auto.commit', maps)) config['enable.auto.commit'] = commit === 'auto';
      else if (commit === 'auto' && !config['enable.auto.commit'])
        throw scenarioError(
          originOf('enable.auto.commit', s.preset, [
            { field: 'config', map: s.config },
            { field: `${at}.config`, map: g.config },
            { field: `${mat}.config`, map: m.config },
          ]),
          `is false but the commit strategy of "${m.name}" is "auto"; set enable.auto.commit=true or choose after-processing / before-processing`,
        );
      const instanceId = config['group.instance.id'];
      if (instanceId !== null) {
        const holder = instanceIds.find((h) => h.id === instanceId);
        if (holder !== undefined) throw duplicateInstanceId(instanceId, holder.member, m.name, originOf('group.instance.id', s.preset, [{ field: 'config', map: s.config }, { field: `${at}.config`, map: g.config }, { field: `${mat}.config`, map: m.config }]), at, g['group.id']);
        instanceIds.push({ id: instanceId, member: m.name });
      }
      return { name: m.name, az: m.az, startMs, processingMs: m.processingMs ?? g.processingMs, commit, commitSync: m.commitSync ?? g.commitSync, config };
    });
    checkOneAssignor(at, g, members);
    return { groupId: g['group.id'], topics: [...g.topics], members };
  });
}

/**
 * Two consumers with one group.instance.id: the coordinator fences the older (KIP-345,
 * FENCED_INSTANCE_ID), so a scenario that gives one static id to two members contradicts itself.
 * Set above the member (the scenario's or the group's config), the id is every member's: say so.
 */
function duplicateInstanceId(id: string, first: string, second: string, origin: string, group: string, groupId: string): ReturnType<typeof scenarioError> {
  if (origin.includes('.members[')) return scenarioError(origin, `duplicate group.instance.id "${id}": member "${first}" of the group has it too; a static member id is one consumer's (KIP-345): give each member its own`);
  const perMember = `a static member id is one consumer's (KIP-345): state it in each member's own config (${group}.members as a list of {"name", "config": {"group.instance.id"}}, or one --set groups.${groupId}.members.${first}.group.instance.id=... per member)`;
  return scenarioError(origin, `"${id}" is every member's group.instance.id here, so "${first}" and "${second}" share it; ${perMember}, or leave it unset`);
}

/**
 * The members of one group state one assignor. Kafka's GroupCoordinator accepts a member only if
 * it supports a protocol every member supports (GroupMetadata.supportsProtocols), else JoinGroup
 * fails with INCONSISTENT_GROUP_PROTOCOL and that consumer stops; ksim's members state a single
 * strategy each, so two different ones in one group are a scenario that contradicts itself.
 */
function checkOneAssignor(at: string, g: NonNullable<KafkaScenarioInput['consumerGroups']>[number], members: readonly { name: string; config: { 'partition.assignment.strategy': string } }[]): void {
  const first = members[0];
  const j = members.findIndex((m) => m.config['partition.assignment.strategy'] !== first.config['partition.assignment.strategy']);
  if (j < 0) return;
  const field = Array.isArray(g.members) && Object.hasOwn(g.members[j].config, 'partition.assignment.strategy') ? `${at}.members[${j}].config.partition.assignment.strategy` : `${at}.members[0].config.partition.assignment.strategy`;
  throw scenarioError(
    field,
    `member "${members[j].name}" uses ${members[j].config['partition.assignment.strategy']} but "${first.name}" uses ${first.config['partition.assignment.strategy']} in group "${g['group.id']}"; Kafka refuses a member whose assignor the group does not share (INCONSISTENT_GROUP_PROTOCOL): set partition.assignment.strategy once, in the group's "config"`,
  );
}

function planOffsetsTopic(s: KafkaScenarioInput, brokerConfig: BrokerConfig, brokerCount: number): TopicPlan {
  const rf = brokerConfig['offsets.topic.replication.factor'];
  if (rf > brokerCount)
    throw scenarioError(
      originOf('offsets.topic.replication.factor', s.preset, [{ field: 'config', map: s.config }]),
      `${rf} is more than the ${brokerCount} brokers, so Kafka cannot create ${OFFSETS_TOPIC} and no consumer group can find a coordinator; lower it or add brokers`,
    );
  const partitions = brokerConfig['offsets.topic.num.partitions'];
  if (partitions > KAFKA_BOUNDS.partitions.max)
    throw scenarioError(
      originOf('offsets.topic.num.partitions', s.preset, [{ field: 'config', map: s.config }]),
      `${partitions} partitions for ${OFFSETS_TOPIC} is ${boundExceeded('partitions')}`,
    );
  return { name: OFFSETS_TOPIC, partitions, replicationFactor: rf, config: offsetsTopicConfig(brokerConfig) };
}

/** The Apache defaults of the scenario's kafkaVersion where they differ from current Kafka's; none without one (an era sets the protocol and the metadata mode, not defaults). */
export function versionDefaultsOf(s: KafkaScenarioInput): VersionDefaults | undefined {
  const version = s.kafkaVersion;
  if (version === undefined) return undefined;
  return (entry) => {
    const d = versionDefault(version, entry);
    return d.fromVersion ? d.value : undefined;
  };
}

/**
 * The configs and enum values the scenario's kafkaVersion does not have (version/config-introductions.ts);
 * none without one (an era sets the protocol, not the clients' configs).
 */
export function versionAbsencesOf(s: KafkaScenarioInput): VersionAbsences | undefined {
  const version = s.kafkaVersion;
  if (version === undefined) return undefined;
  return (entry) => configAbsentIn(version, releaseOf(version), entry);
}

/** The idempotent producer's in-flight limit of the scenario's kafkaVersion (current Kafka's without one). */
function idempotenceMaxInFlightOf(s: KafkaScenarioInput): number | undefined {
  return s.kafkaVersion === undefined ? undefined : idempotenceMaxInFlightAt(releaseOf(s.kafkaVersion));
}

/**
 * The metadata mode the scenario runs: the stated one, else its version's (defaultMetadataMode; an
 * era stands for its release: ZooKeeper before 2.8), else KRaft. A mode the version never had in production (ZooKeeper
 * on 4.0, KRaft before 3.3, MSK KRaft before 3.7, KRaft in an era before it existed) is an error
 * naming both fields; so is a kafkaVersion MSK never offered under the msk preset, and an era
 * other than current stated beside a kafkaVersion.
 */
export function metadataModeOf(s: KafkaScenarioInput): MetadataMode {
  const msk = s.preset === 'msk';
  // An era is the protocol of an old release when no version is stated; with both, one would be
  // silently ignored. (era "current" is the default, so it cannot be told from an unstated era.)
  if (s.kafkaVersion !== undefined && s.era !== undefined && s.era !== 'current')
    throw scenarioError('era', `"${s.era}" and kafkaVersion "${s.kafkaVersion}" both choose the protocol; drop era (kafkaVersion decides it) or drop kafkaVersion`);
  const mskProblem = s.kafkaVersion === undefined || !msk ? null : mskVersionProblem(s.kafkaVersion);
  if (mskProblem !== null) throw scenarioError('kafkaVersion', mskProblem);
  const version = versionOfScenario(s);
  if (version === undefined) return s.metadataMode ?? 'kraft';
  const mode = s.metadataMode ?? defaultMetadataMode(version, msk);
  const problem = metadataModeProblem(version, mode, msk);
  if (problem === null) return mode;
  const stated = s.kafkaVersion !== undefined ? `kafkaVersion "${s.kafkaVersion}"` : `era "${s.era}" (Kafka ${version})`;
  throw scenarioError('metadataMode', `"${mode}" with ${stated}: ${problem}`);
}

/**
 * What chose the metadata mode when the scenario states none but a version (or an era before
 * current) decides it, for the run's header: `metadataMode "zookeeper", chosen by kafkaVersion
 * "2.1": Kafka 2.1 has no KRaft mode; ...`. Null when the scenario states the mode or no version decides.
 */
export function metadataModeNote(s: KafkaScenarioInput): string | null {
  if (s.metadataMode !== undefined) return null;
  const version = versionOfScenario(s);
  if (version === undefined) return null;
  const msk = s.preset === 'msk';
  const by = s.kafkaVersion !== undefined ? `kafkaVersion "${s.kafkaVersion}"` : `era "${s.era}" (Kafka ${version})`;
  return `metadataMode "${metadataModeOf(s)}", chosen by ${by}: ${defaultMetadataModeReason(version, msk)}; state metadataMode to choose`;
}

/**
 * A note when the scenario asks for unclean leader election on a KRaft controller that ignores it
 * (before 3.9: KAFKA-12670; controller/replication-control-manager.ts), else null.
 */
export function uncleanIgnoredNote(s: KafkaScenarioInput): string | null {
  const version = versionOfScenario(s);
  if (version === undefined || metadataModeOf(s) !== 'kraft' || !isOlderVersion(version, '3.9')) return null;
  const asked = s.config['unclean.leader.election.enable'] === true || s.topics.some((t) => t.config?.['unclean.leader.election.enable'] === true);
  if (!asked) return null;
  return `unclean.leader.election.enable=true has no effect here: the KRaft controller of Kafka ${version} ignores it (it honours it from 3.9, KAFKA-12670), so a partition whose ISR has no live member stays offline`;
}

/**
 * log.message.format.version (version/message-format.ts): a version Kafka knows, that the brokers'
 * starting inter.broker.protocol.version allows (KafkaConfig refuses to start otherwise), on a
 * version that still has the key (removed in 4.0, KIP-724); stored as ksim's version name.
 */
function checkMessageFormat(s: KafkaScenarioInput, brokerConfig: BrokerConfig): void {
  const raw = brokerConfig[MESSAGE_FORMAT_KEY];
  if (raw === null) return;
  const field = `config.${MESSAGE_FORMAT_KEY}`;
  const format = parseMessageFormatVersion(raw);
  if (format === null) throw scenarioError(field, `"${raw}" is not a Kafka version ksim knows; name one of ${KAFKA_VERSION_NAMES.filter((v) => isOlderVersion(v, '3.0')).join(', ')} (or Kafka's spelling, "0.10.2", "0.11.0-IV2")`);
  const ibp = runningVersionOf(s);
  if (!isOlderVersion(ibp, '4.0')) throw scenarioError(field, `Kafka ${ibp} has no log.message.format.version (removed in 4.0, KIP-724: every broker writes message format v2); remove it`);
  const problem = messageFormatProblem(format, ibp);
  if (problem !== null) throw scenarioError(field, problem);
  // MetadataVersion (ApiVersion before 3.0) knows only the releases up to its own: a later one is
  // not a valid version to that broker, which refuses to start.
  if (isOlderVersion(ibp, format)) throw scenarioError(field, `Kafka ${ibp} does not know message format version ${format} (a later release); name ${ibp} or older`);
  brokerConfig[MESSAGE_FORMAT_KEY] = format;
}

/** The scenario's brokers, topics, producers and groups with every cross-field check done (no randomness). */
export function planKafkaScenario(s: KafkaScenarioInput): ScenarioPlan {
  const brokerNames = s.cluster.brokers.map((b) => b.name);
  checkUnique(brokerNames, (i) => `cluster.brokers[${i}].name`, 'broker');
  checkUnique(
    s.topics.map((t) => t.name),
    (i) => `topics[${i}].name`,
    'topic',
  );
  const metadataMode = metadataModeOf(s);
  const brokerConfig = resolveBrokerConfig(s.preset, s.config, versionDefaultsOf(s), versionAbsencesOf(s));
  checkMessageFormat(s, brokerConfig);
  const topics = s.topics.map((_, i) => planTopic(s, brokerConfig, brokerNames, i));
  const producers = planProducers(
    s,
    topics.map((t) => t.name),
  );
  checkMinInsyncReplicas(s, topics, producers);
  const idempotent = producers.find((p) => p.config['enable.idempotence']);
  const formatProblem = idempotent && idempotenceFormatProblem(initialMessageFormatOf(brokerConfig), runningVersionOf(s), idempotent.name);
  if (formatProblem) throw scenarioError(`config.${MESSAGE_FORMAT_KEY}`, formatProblem);
  checkKeysOnCompactedTopics(s, topics);
  const rackAware = s.cluster['broker.rack'] === 'az';
  const brokers = s.cluster.brokers.map((b) => ({ name: b.name, id: b.id, az: b.az, rack: rackAware ? b.az : null, storage: b.storage }));
  if (topics.some((t) => t.name === OFFSETS_TOPIC)) throw scenarioError('topics', `"${OFFSETS_TOPIC}" is Kafka's internal topic; ksim creates it for consumer groups`);
  const consumerGroups = planConsumerGroups(
    s,
    topics.map((t) => t.name),
    brokerConfig,
  );
  const offsetsTopic = consumerGroups.length > 0 ? planOffsetsTopic(s, brokerConfig, brokers.length) : null;
  checkOperations(s, brokerNames, topics, consumerGroups, metadataMode);
  return { brokers, brokerConfig, topics, producers, consumerGroups, offsetsTopic };
}

/** Every cross-field check, without drawing randomness; throws a UserError naming the field. */
export function checkKafkaScenario(s: KafkaScenarioInput): void {
  planKafkaScenario(s);
}

/**
 * How long after a broker process exits Amazon MSK has it running again (ms): a model assumption
 * (MSK documents that it detects and recovers failed brokers, not how fast): detection plus a JVM
 * and broker start.
 */
const MSK_PROCESS_RESTART_MS = 10_000;

/** The resolved KafkaScenario; `assignment` places replicas of topics without explicit ones. */
export function buildKafkaScenario(s: KafkaScenarioInput, assignment: Choice): KafkaScenario {
  const p = planKafkaScenario(s);
  const racks = p.brokers.map((b) => b.rack);
  // Topics draw placements in declaration order from one stream, so adding a topic at the end
  // leaves earlier topics' placements unchanged.
  const topics = p.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions,
    replicationFactor: t.replicationFactor,
    config: t.config,
    replicas: t.replicas ?? assignReplicas(racks, t.partitions, t.replicationFactor, assignment),
  }));
  return {
    ...(s.kafkaVersion === undefined ? { era: s.era } : {}), // with a kafkaVersion the era is not used: not shown
    ...(s.kafkaVersion === undefined ? {} : { kafkaVersion: s.kafkaVersion }),
    metadataMode: metadataModeOf(s),
    brokers: p.brokers,
    controllers: s.cluster.controllers.map((c) => ({ name: c.name, az: c.az })),
    brokerConfig: p.brokerConfig,
    topics,
    producers: p.producers,
    operations: resolveOperations(s, p.brokers, topics),
    ...(s.bugs.length === 0 ? {} : { bugs: [...s.bugs] }),
    ...(s.preset === 'msk' ? { processRestartMs: MSK_PROCESS_RESTART_MS } : {}),
    consumerGroups: p.consumerGroups,
    // Drawn after the user topics, so adding consumer groups leaves their placement unchanged.
    ...(p.offsetsTopic === null
      ? {}
      : {
          offsetsTopic: {
            name: p.offsetsTopic.name,
            partitions: p.offsetsTopic.partitions,
            replicationFactor: p.offsetsTopic.replicationFactor,
            config: p.offsetsTopic.config,
            replicas: assignReplicas(racks, p.offsetsTopic.partitions, p.offsetsTopic.replicationFactor, assignment),
            internal: true,
          },
        }),
  };
}
