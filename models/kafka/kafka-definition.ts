// Registers the Kafka model with the scenario format: its scenario keys (kafka-scenario-schema.ts),
// how `--set` maps Kafka config names onto them, the nodes it runs (brokers, then controllers,
// then producers, each in its AZ), the cross-field checks, and how a parsed scenario becomes the
// KafkaScenario the model runs.

import type { ModelDefinition } from '../../src/scenario/model-definition.ts';
import type { NodeSpec } from '../../src/net/topology.ts';
import { UserError } from '../../src/scenario/user-error.ts';
import { CONFIG_BY_TOPIC_KEY, CONFIG_CATALOG, CONFIG_KEYS } from './config/config-catalog.ts';
import { buildKafkaScenario, checkKafkaScenario, metadataModeNote, uncleanIgnoredNote, metadataModeOf } from './scenario/build-kafka-scenario.ts';
import { createKafkaCheckers, describeKafkaRun } from './checkers/kafka-checkers.ts';
import { KafkaModel } from './kafka-model.ts';
import { faultHorizonOf, kafkaExploration } from './exploration/kafka-exploration.ts';
import { controlledShutdownWait } from './broker/broker-lifecycle-manager.ts';
import { consumerMembersOf, kafkaScenarioShape, type KafkaScenarioInput } from './scenario/kafka-scenario-schema.ts';
import { kafkaFaultRoles } from './exploration/kafka-roles.ts';
import { kafkaSweep } from './sweep/kafka-sweep.ts';
import { projectKafkaMemory } from './scenario/kafka-memory-projection.ts';
import { kafkaTimeline } from './timeline/kafka-timeline.ts';
import { applyAddressedSetting } from './scenario/addressed-setting.ts';
import { unmodelledKafkaKeyMessage } from './config/unmodelled-kafka-keys.ts';
import { coarseTimeKeyMessage } from './config/coarse-time-keys.ts';
import { kafkaConfigSources } from './scenario/config-sources.ts';
import { KAFKA_BUG_ZOO } from './testing/bug-zoo.ts';
import { KAFKA_KNOWN_BUGS } from './testing/known-bug-hunts.ts';
import { fixReleaseOf, flawsLackingFixes, KAFKA_FLAW_NAMES, regressionAbsence } from './version/protocol-features.ts';
import { protocolDescription, protocolOf, versionBeforeFix } from './version/kafka-versions.ts';
import type { KafkaScenario } from './scenario/kafka-scenario.ts';

/** Keys `--set` accepts beyond the scenario's own top-level fields. */
const KAFKA_SETTING_KEYS: readonly string[] = [...CONFIG_KEYS, 'broker.rack', 'preset', 'era', 'kafkaVersion', 'metadataMode'];

function objectAt(raw: Record<string, unknown>, key: string): Record<string, unknown> {
  const current = raw[key];
  if (current === undefined || current === null) {
    const fresh: Record<string, unknown> = {};
    raw[key] = fresh;
    return fresh;
  }
  if (typeof current !== 'object' || Array.isArray(current)) throw new UserError(`--set: "${key}" in the scenario is not an object`);
  return current as Record<string, unknown>;
}

/**
 * The config maps a scenario states below the cluster-wide `config`, with the name a key has in
 * each (a topic uses the topic-level name: retention.ms for log.retention.ms).
 */
function nestedConfigMaps(raw: Record<string, unknown>): { map: Record<string, unknown>; topicLevel: boolean }[] {
  const out: { map: Record<string, unknown>; topicLevel: boolean }[] = [];
  const maps = (list: unknown, topicLevel: boolean) => {
    if (!Array.isArray(list)) return;
    for (const item of list) {
      const config = (item as { config?: unknown } | null)?.config;
      if (config && typeof config === 'object' && !Array.isArray(config)) out.push({ map: config as Record<string, unknown>, topicLevel });
    }
  };
  maps(raw.topics, true);
  maps(raw.producers, false);
  maps(raw.consumerGroups, false);
  if (Array.isArray(raw.consumerGroups)) for (const g of raw.consumerGroups) maps((g as { members?: unknown } | null)?.members, false);
  return out;
}

/** The name a config key has in a topic's own config. */
function topicLevelName(key: string): string {
  return CONFIG_CATALOG.find((e) => e.key === key)?.topicKey ?? key;
}

/**
 * `--set key=value` for keys that are not top-level scenario fields: a Kafka config name goes to
 * the cluster-wide `config` and replaces the value wherever the scenario states the key for one
 * topic, producer, group or member (`--set` is the user's last word: `--set max.poll.records=50`
 * changes a group that sets 500 itself); `broker.rack` goes to `cluster`. Values are checked
 * later, with the rest of the scenario.
 */
function applyKafkaSetting(raw: Record<string, unknown>, key: string, value: unknown): boolean {
  if (CONFIG_KEYS.includes(key)) {
    objectAt(raw, 'config')[key] = value;
    for (const { map, topicLevel } of nestedConfigMaps(raw)) {
      const name = topicLevel ? topicLevelName(key) : key;
      if (Object.hasOwn(map, name)) map[name] = value;
    }
    return true;
  }
  // Top-level scenario keys; resolveScenario normally sets these itself, as fields of the shape.
  if (key === 'era' || key === 'kafkaVersion' || key === 'preset' || key === 'metadataMode') {
    raw[key] = value;
    return true;
  }
  if (key === 'broker.rack') {
    objectAt(raw, 'cluster')['broker.rack'] = value;
    return true;
  }
  const coarse = coarseTimeKeyMessage(key, value);
  if (coarse !== undefined) throw new UserError(`--set ${key}: ${coarse}`);
  const topicLevel = CONFIG_BY_TOPIC_KEY.get(key);
  if (topicLevel && topicLevel.key !== key)
    throw new UserError(`--set ${key}: "${key}" is the topic-level name; cluster-wide, use --set ${topicLevel.key}=...`);
  const unmodelled = unmodelledKafkaKeyMessage(key);
  if (unmodelled !== undefined) throw new UserError(`--set ${key}: ${unmodelled}`);
  // Unknown: resolveScenario names the closest of every key, scenario fields included.
  return false;
}

/** Brokers, then controllers, then producers, then consumer group members; names must be unique across all of them. */
function kafkaNodes(s: KafkaScenarioInput): NodeSpec[] {
  const nodes: NodeSpec[] = [];
  const fieldByName = new Map<string, string>();
  const add = (name: string, az: string, field: string) => {
    const earlier = fieldByName.get(name);
    // Thrown as a plain Error: resolveScenario wraps node errors as `invalid scenario: ...`.
    if (earlier) throw new Error(`"${field}": duplicate node name "${name}" (also ${earlier}); broker, controller and producer names must differ`);
    fieldByName.set(name, field);
    nodes.push({ name, az });
  };
  s.cluster.brokers.forEach((b, i) => add(b.name, b.az, `cluster.brokers[${i}].name`));
  s.cluster.controllers.forEach((c, i) => add(c.name, c.az, `cluster.controllers[${i}].name`));
  s.producers.forEach((p, i) => add(p.name, p.az, `producers[${i}].name`));
  (s.consumerGroups ?? []).forEach((g, i) =>
    consumerMembersOf(g, s.cluster.azs).forEach((m, j) => add(m.name, m.az, `consumerGroups[${i}].members[${j}].name`)),
  );
  return nodes;
}

export const kafkaDefinition: ModelDefinition<KafkaScenarioInput> = {
  name: 'kafka',
  summary: 'Apache Kafka as run on Amazon MSK: brokers over AZs, controllers, replication, producers, consumer groups',
  shape: kafkaScenarioShape,
  applySetting: applyKafkaSetting,
  applyAddressedSetting,
  configSources: kafkaConfigSources,
  settingKeys: KAFKA_SETTING_KEYS,
  textSettings: ['kafkaVersion', 'log.message.format.version'],
  complete: (config) => {
    // Placed where parsing puts a stated metadataMode (before cluster), so the resolved scenario
    // resolves to itself, key order included (trace replay compares them).
    const note = metadataModeNote(config);
    const mode = metadataModeOf(config);
    const fields = config as unknown as Record<string, unknown>;
    const entries = Object.entries(fields).filter(([k]) => k !== 'metadataMode');
    for (const [k] of entries) delete fields[k];
    delete fields.metadataMode;
    for (const [k, v] of entries) {
      if (k === 'cluster') fields.metadataMode = mode;
      fields[k] = v;
    }
    if (!Object.hasOwn(fields, 'metadataMode')) fields.metadataMode = mode;
    // With a kafkaVersion the version decides the protocol; the default era would only mislead a
    // reader of the resolved scenario (`ksim run --json`). A stated other era stays, to be refused.
    if (fields.kafkaVersion !== undefined && fields.era === 'current') delete fields.era;
    const unclean = uncleanIgnoredNote(config);
    return [note, unclean].filter((n) => n !== null);
  },
  validate: (config) => checkKafkaScenario(config),
  nodes: kafkaNodes,
  faultRoles: kafkaFaultRoles,
  projectMemory: projectKafkaMemory,
  create: (setup) => {
    const scenario = buildKafkaScenario(setup.config, setup.choices.stream('kafka.assignment'));
    const wait = controlledShutdownWait(scenario.metadataMode === 'kraft', scenario.brokerConfig);
    const horizon = faultHorizonOf(setup.config, { maxMs: wait.maxUs / 1000, askAgainMs: wait.askAgainUs / 1000 });
    return { model: new KafkaModel(setup, scenario), checkers: createKafkaCheckers(scenario, horizon, { summary: setup.judgeOnly !== true }) };
  },
  exploration: kafkaExploration,
  describe: describeKafkaRun,
  sweep: kafkaSweep,
  timeline: kafkaTimeline,
  bugZoo: KAFKA_BUG_ZOO,
  knownBugs: KAFKA_KNOWN_BUGS,
  versionFlaws: KAFKA_FLAW_NAMES,
  versionFlawsOf: (scenario) => {
    const s = scenario as KafkaScenario;
    // KIP-903 fixed KRaft only: every ZooKeeper-mode version has its flaw (checkers/loss-causes.ts).
    const features = s.metadataMode === 'kraft' ? protocolOf(s) : { ...protocolOf(s), alterPartitionCarriesBrokerEpochs: false };
    const olderThanFix = (flaw: string) => {
      const release = fixReleaseOf(flaw);
      const flags = release === undefined ? undefined : versionBeforeFix(release, (scenario as { preset?: unknown }).preset === 'msk');
      return flags === undefined ? undefined : `a release before ${release}, which fixed it: ${flags}`;
    };
    return { simulated: protocolDescription(s), flaws: flawsLackingFixes(features), olderThanFix, absentBecause: regressionAbsence };
  },
};
