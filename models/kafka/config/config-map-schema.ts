// The zod schema of a flat map of Kafka config keys, at one of three levels of a scenario: the
// cluster-wide `config` (broker, topic-default and producer-default keys), a topic's `config`
// (topic-level keys, by their topic-level names) and a producer's `config` (producer keys). Keys
// are checked against the catalog and values normalised, so the parsed scenario holds canonical
// values (acks as '0' | '1' | 'all', booleans as booleans) keyed by the catalog's key.

import { z } from 'zod';
import { CONFIG_BY_TOPIC_KEY, CONFIG_CATALOG, CONFIG_ENTRIES_BY_KEY, CONFIG_KEYS, configEntryIn } from './config-catalog.ts';
import type { ConfigEntry, ConfigValue } from './config-entry.ts';
import { normalizeConfigValue } from './config-value.ts';
import { didYouMean } from '../../../src/scenario/closest-name.ts';
import { coarseTimeKeyMessage } from './coarse-time-keys.ts';
import { unmodelledKafkaKeyMessage } from './unmodelled-kafka-keys.ts';

export type ConfigLevel = 'cluster' | 'topic' | 'producer' | 'consumer';

/** A normalised config map: catalog key -> canonical value. */
export type ConfigMap = Record<string, ConfigValue>;

/** The names a level accepts, as a user writes them. */
export function keysAcceptedAt(level: ConfigLevel): string[] {
  switch (level) {
    case 'cluster':
      return [...CONFIG_KEYS];
    case 'topic':
      return CONFIG_CATALOG.filter((e) => e.scope === 'topic').map((e) => e.topicKey ?? e.key);
    case 'producer':
      return CONFIG_CATALOG.filter((e) => e.scope === 'producer').map((e) => e.key);
    case 'consumer':
      return CONFIG_CATALOG.filter((e) => e.scope === 'consumer').map((e) => e.key);
  }
}

/** The entries a key sets at a level (one per scope it applies to), or why it is refused. */
type Lookup = { entries: readonly ConfigEntry[] } | { message: string };

function lookUp(level: ConfigLevel, key: string): Lookup {
  const all = CONFIG_ENTRIES_BY_KEY.get(key);
  const byKey = all?.[0];
  const byTopicKey = CONFIG_BY_TOPIC_KEY.get(key);
  switch (level) {
    case 'cluster':
      if (all) return { entries: all };
      if (byTopicKey)
        return { message: `"${key}" is the topic-level name; in the cluster-wide config use "${byTopicKey.key}"` };
      break;
    case 'topic':
      if (byTopicKey) return { entries: [byTopicKey] };
      // The broker-level name of a topic config is accepted too: it is unambiguous.
      if (byKey?.scope === 'topic') return { entries: [byKey] };
      if (byKey)
        return { message: `"${key}" is a ${byKey.scope} config and cannot be set per topic; set it in the scenario's "config"` };
      break;
    case 'producer': {
      const own = configEntryIn(key, 'producer');
      if (own) return { entries: [own] };
      if (byKey ?? byTopicKey)
        return {
          message: `"${key}" is a ${(byKey ?? byTopicKey)!.scope} config, not a producer config; set it in the scenario's "config"${(byKey ?? byTopicKey)!.scope === 'topic' ? ' or a topic\'s "config"' : ''}`,
        };
      break;
    }
    case 'consumer': {
      const own = configEntryIn(key, 'consumer');
      if (own) return { entries: [own] };
      if (byKey ?? byTopicKey)
        return {
          message: `"${key}" is a ${(byKey ?? byTopicKey)!.scope} config, not a consumer config; set it in the scenario's "config"${(byKey ?? byTopicKey)!.scope === 'topic' ? ' or a topic\'s "config"' : ''}`,
        };
      break;
    }
  }
  const unmodelled = unmodelledKafkaKeyMessage(key);
  if (unmodelled !== undefined) return { message: unmodelled };
  return { message: `unknown ${level === 'cluster' ? '' : level + ' '}config key "${key}"${didYouMean(key, keysAcceptedAt(level))}` };
}

/** Flattens {min: {insync: {replicas: 2}}} back to "min.insync.replicas" (what a dotted --set made). */
function flattenedKeys(prefix: string, value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => flattenedKeys(`${prefix}.${k}`, v));
}

interface ConfigIssue {
  key: string;
  message: string;
}

/** Checks and normalises a raw config map; returns the map and any problems, one per key. */
export function normalizeConfigMap(level: ConfigLevel, raw: Record<string, unknown>): { map: ConfigMap; issues: ConfigIssue[] } {
  const map: ConfigMap = {};
  const issues: ConfigIssue[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const flat = flattenedKeys(key, value);
      issues.push({
        key,
        message: `config keys are flat Kafka names; write "${flat[0]}": ... rather than nested objects (with --set, drop the "config." prefix: --set ${flat[0]}=...)`,
      });
      continue;
    }
    const coarse = level === 'cluster' ? coarseTimeKeyMessage(key, value) : undefined;
    if (coarse !== undefined) {
      issues.push({ key, message: coarse });
      continue;
    }
    const found = lookUp(level, key);
    if ('message' in found) {
      issues.push({ key, message: found.message });
      continue;
    }
    const canonical = found.entries[0].key;
    if (Object.hasOwn(map, canonical)) {
      issues.push({ key, message: `"${key}" sets ${canonical} a second time` });
      continue;
    }
    // A key shared by several scopes must be valid for each (they agree on the type).
    const failed = found.entries.map((e) => normalizeConfigValue(e, value)).find((n) => !n.ok);
    const normalized = failed ?? normalizeConfigValue(found.entries[0], value);
    // A value error names the key as written (a topic's "segment.ms", not its broker name log.roll.ms).
    if (!normalized.ok) issues.push({ key, message: normalized.message.startsWith(canonical) ? key + normalized.message.slice(canonical.length) : normalized.message });
    else map[canonical] = normalized.value;
  }
  return { map, issues };
}

/** The schema for a config map at `level`; absent means empty. */
export function configMapSchema(level: ConfigLevel) {
  return z
    .record(z.string(), z.unknown())
    .transform((raw, ctx) => {
      const { map, issues } = normalizeConfigMap(level, raw);
      for (const issue of issues) ctx.addIssue({ code: 'custom', message: issue.message, path: [issue.key] });
      return map;
    })
    .prefault({})
    .describe(
      level === 'cluster'
        ? 'Kafka configs applied cluster-wide: broker configs, topic defaults and producer defaults (Kafka names, e.g. "acks", "min.insync.replicas")'
        : level === 'topic'
          ? 'topic-level overrides (Kafka topic config names, e.g. "min.insync.replicas", "flush.messages")'
          : level === 'producer'
            ? 'producer config overrides (Kafka producer config names, e.g. "acks", "linger.ms")'
            : 'consumer config overrides (Kafka consumer config names, e.g. "session.timeout.ms", "auto.offset.reset")',
    );
}
