// Where each effective config value of a Kafka scenario came from, so a user can see why a value is
// what it is: "default" (Apache Kafka's), "preset msk" (MSK's default configuration), "scenario
// <field>" (the scenario file or preset states it there), "--set <key>" (the command line), or
// Kafka's own rule between keys ("implicit: ..." as KafkaProducer/ConsumerConfig derive it:
// enable.idempotence off under acks=1, delivery.timeout.ms raised to linger.ms + request.timeout.ms,
// enable.auto.commit from the commit strategy), or "version <x>" (the Apache default of the
// scenario's kafkaVersion where it differs from current Kafka's, version/kafka-versions.ts), or "not
// in Kafka <x>" (a key newer than the scenario's kafkaVersion, with what that version did instead:
// version/config-introductions.ts). Eras decide behaviour only, not config defaults.
//
// Shape: { brokers: {key: {value, source}}, "topics.<name>": ..., "producers.<name>": ...,
// "consumers.<member name>": ... } over every catalog key of that scope.

import type { ConfigSources, ConfigSource, Setting } from '../../../src/scenario/model-definition.ts';
import { BROKER_CONFIGS } from '../config/broker-configs.ts';
import { CONFIG_BY_TOPIC_KEY } from '../config/config-catalog.ts';
import type { ConfigEntry, ConfigValue } from '../config/config-entry.ts';
import type { ConfigMap } from '../config/config-map-schema.ts';
import { CONSUMER_CONFIGS } from '../config/consumer-configs.ts';
import { presetDefault, type ConfigPresetName, type VersionAbsences, type VersionDefaults } from '../config/config-presets.ts';
import { PRODUCER_CONFIGS } from '../config/producer-configs.ts';
import { TOPIC_CONFIGS } from '../config/topic-configs.ts';
import { planKafkaScenario, versionAbsencesOf, versionDefaultsOf } from './build-kafka-scenario.ts';
import { consumerMembersOf, type KafkaScenarioInput } from './kafka-scenario-schema.ts';

/** A config layer: its map, the scenario field it is, and which item it belongs to (for addressed --set). */
interface Layer {
  map: ConfigMap;
  field: string;
  /** The addresses an addressed --set uses for this layer's item: ["producers.p1", "producers.0"]. */
  addresses: string[];
}

/** The catalog (cluster-wide) name of a key as a --set states it, addressed or not: "producers.p1.config.acks" -> [address "producers.p1", "acks"]. */
function settingTarget(key: string): { address: string | null; key: string } {
  const parts = key.split('.');
  const list = parts[0] === 'groups' ? 'consumerGroups' : parts[0];
  if (['producers', 'consumerGroups', 'topics'].includes(list) && parts.length >= 3) {
    if (list === 'consumerGroups' && parts[2] === 'members' && parts.length >= 5) {
      const rest = parts.slice(4).join('.').replace(/^config\./, '');
      return { address: `members.${parts[3]}`, key: rest };
    }
    const rest = parts.slice(2).join('.').replace(/^config\./, '');
    return { address: `${list}.${parts[1]}`, key: CONFIG_BY_TOPIC_KEY.get(rest)?.key ?? rest };
  }
  if (parts[0] === 'config' && parts.length >= 2) return { address: null, key: parts.slice(1).join('.') };
  return { address: null, key };
}

/** The defaults a scenario starts from: its preset, and its Kafka version if it states one. */
interface Defaults {
  preset: ConfigPresetName;
  version?: { name: string; defaults: VersionDefaults };
  /** The keys the version does not have. */
  absences?: VersionAbsences;
}

function defaultSource(entry: ConfigEntry, d: Defaults): ConfigSource {
  const value = presetDefault(d.preset, entry, d.version?.defaults);
  if (d.preset === 'msk' && entry.mskDefault !== undefined) return { value, source: 'preset msk' };
  return { value, source: d.version?.defaults(entry) !== undefined ? `version ${d.version.name}` : 'default' };
}

function sourceOf(entry: ConfigEntry, defaults: Defaults, layers: readonly Layer[], settings: readonly Setting[]): ConfigSource {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i];
    // Parsed config maps use the catalog name (a topic's retention.ms is stored as log.retention.ms).
    const name = entry.key;
    if (!Object.hasOwn(layer.map, name)) continue;
    // The last --set that wrote this layer's value: cluster-wide (it replaces every stated value) or addressed to its item.
    const set = [...settings].reverse().find((s) => {
      const t = settingTarget(s.key);
      return t.key === entry.key && (t.address === null || layer.addresses.includes(t.address));
    });
    return { value: layer.map[name], source: set ? `--set ${set.key}` : `scenario ${layer.field}.${name}` };
  }
  return defaultSource(entry, defaults);
}

/** Each entry's value and source; a value Kafka's rules changed says so, with what it was. */
function table(
  entries: readonly ConfigEntry[],
  defaults: Defaults,
  layers: readonly Layer[],
  settings: readonly Setting[],
  effective: Readonly<Record<string, ConfigValue>>,
  rules: Readonly<Record<string, string>> = {},
): Record<string, ConfigSource> {
  const out: Record<string, ConfigSource> = {};
  for (const entry of entries) {
    const value = effective[entry.key];
    const absent = defaults.absences?.(entry);
    if (absent?.key !== undefined) {
      out[entry.key] = { value, source: `not in Kafka ${absent.version} (came in ${absent.key.release}, ${absent.key.kip}): ${absent.key.behaviour}` };
      continue;
    }
    const stated = sourceOf(entry, defaults, layers, settings);
    out[entry.key] = value === stated.value ? stated : { value, source: `implicit: ${rules[entry.key] ?? "Kafka's rule between keys"} (${stated.source} gave ${JSON.stringify(stated.value)})` };
  }
  return out;
}

const PRODUCER_RULES: Record<string, string> = {
  'enable.idempotence': 'KafkaProducer turns idempotence off when it was not set and acks is not all, retries is 0 or max.in.flight.requests.per.connection is above 5',
  'delivery.timeout.ms': 'KafkaProducer raises it to linger.ms + request.timeout.ms when it was not set',
  'reconnect.backoff.max.ms': 'an explicit reconnect.backoff.ms without a cap disables growth (CommonClientConfigs)',
  'max.in.flight.requests.per.connection': 'KafkaProducer 0.11 lowers it to 1 for an explicitly idempotent producer when it was not set (up to 5 from 1.0, KAFKA-5494)',
};

const CONSUMER_RULES: Record<string, string> = {
  'enable.auto.commit': 'the commit strategy decides it when it was not set',
  'reconnect.backoff.max.ms': PRODUCER_RULES['reconnect.backoff.max.ms'],
};

/** Where every effective config value of the scenario came from (see the opening comment). */
export function kafkaConfigSources(s: KafkaScenarioInput, settings: readonly Setting[]): ConfigSources {
  const plan = planKafkaScenario(s);
  const versionDefaults = versionDefaultsOf(s);
  const absences = versionAbsencesOf(s);
  const d: Defaults = {
    preset: s.preset,
    ...(s.kafkaVersion === undefined || versionDefaults === undefined ? {} : { version: { name: s.kafkaVersion, defaults: versionDefaults } }),
    ...(absences === undefined ? {} : { absences }),
  };
  const cluster: Layer = { map: s.config, field: 'config', addresses: [] };
  const out: ConfigSources = {};
  out.brokers = table([...TOPIC_CONFIGS, ...BROKER_CONFIGS], d, [cluster], settings, plan.brokerConfig as unknown as Record<string, ConfigValue>);
  s.topics.forEach((t, i) => {
    const own: Layer = { map: t.config, field: `topics[${i}].config`, addresses: [`topics.${t.name}`, `topics.${i}`] };
    out[`topics.${t.name}`] = table(TOPIC_CONFIGS, d, [cluster, own], settings, plan.topics[i].config as unknown as Record<string, ConfigValue>);
  });
  s.producers.forEach((p, i) => {
    const own: Layer = { map: p.config, field: `producers[${i}].config`, addresses: [`producers.${p.name}`, `producers.${i}`] };
    out[`producers.${p.name}`] = table(PRODUCER_CONFIGS, d, [cluster, own], settings, plan.producers[i].config as unknown as Record<string, ConfigValue>, PRODUCER_RULES);
  });
  (s.consumerGroups ?? []).forEach((g, i) => {
    const group: Layer = { map: g.config, field: `consumerGroups[${i}].config`, addresses: [`consumerGroups.${g['group.id']}`, `consumerGroups.${i}`] };
    consumerMembersOf(g, s.cluster.azs).forEach((m, j) => {
      const own: Layer = { map: m.config, field: `consumerGroups[${i}].members[${j}].config`, addresses: [`members.${m.name}`, `members.${j}`] };
      const effective = plan.consumerGroups[i].members[j].config as unknown as Record<string, ConfigValue>;
      out[`consumers.${m.name}`] = table(CONSUMER_CONFIGS, d, [cluster, group, own], settings, effective, CONSUMER_RULES);
    });
  });
  return out;
}
