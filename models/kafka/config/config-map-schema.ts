// The zod schema of a flat map of Kafka config keys, at one of three levels of a scenario: the
// cluster-wide `config` (broker, topic-default and producer-default keys), a topic's `config`
// (topic-level keys, by their topic-level names) and a producer's `config` (producer keys). Keys
// are checked against the catalog and values normalised, so the parsed scenario holds canonical
// values (acks as '0' | '1' | 'all', booleans as booleans) keyed by the catalog's key.

import { z } from 'zod';
import { CONFIG_BY_KEY, CONFIG_BY_TOPIC_KEY, CONFIG_CATALOG } from './config-catalog.ts';
import type { ConfigEntry, ConfigValue } from './config-entry.ts';
import { normalizeConfigValue } from './config-value.ts';
import { didYouMean } from '../../../src/scenario/closest-name.ts';

export type ConfigLevel = 'cluster' | 'topic' | 'producer' | 'consumer';

/** A normalised config map: catalog key -> canonical value. */
export type ConfigMap = Record<string, ConfigValue>;

/** The names a level accepts, as a user writes them. */
export function keysAcceptedAt(level: ConfigLevel): string[] {
  switch (level) {
    case 'cluster':
      return CONFIG_CATALOG.map((e) => e.key);
    case 'topic':
      return CONFIG_CATALOG.filter((e) => e.scope === 'topic').map((e) => e.topicKey ?? e.key);
    case 'producer':
      return CONFIG_CATALOG.filter((e) => e.scope === 'producer').map((e) => e.key);
    case 'consumer':
      return CONFIG_CATALOG.filter((e) => e.scope === 'consumer').map((e) => e.key);
  }
}

type Lookup = { entry: ConfigEntry } | { message: string };

function lookUp(level: ConfigLevel, key: string): Lookup {
  const byKey = CONFIG_BY_KEY.get(key);
  const byTopicKey = CONFIG_BY_TOPIC_KEY.get(key);
  switch (level) {
    case 'cluster':
      if (byKey) return { entry: byKey };
      if (byTopicKey)
        return { message: `"${key}" is the topic-level name; in the cluster-wide config use "${byTopicKey.key}"` };
      break;
    case 'topic':
      if (byTopicKey) return { entry: byTopicKey };
      // The broker-level name of a topic config is accepted too: it is unambiguous.
      if (byKey?.scope === 'topic') return { entry: byKey };
      if (byKey)
        return { message: `"${key}" is a ${byKey.scope} config and cannot be set per topic; set it in the scenario's "config"` };
      break;
    case 'producer':
      if (byKey?.scope === 'producer') return { entry: byKey };
      if (byKey ?? byTopicKey)
        return {
          message: `"${key}" is a ${(byKey ?? byTopicKey)!.scope} config, not a producer config; set it in the scenario's "config"${(byKey ?? byTopicKey)!.scope === 'topic' ? ' or a topic\'s "config"' : ''}`,
        };
      break;
    case 'consumer':
      if (byKey?.scope === 'consumer') return { entry: byKey };
      if (byKey ?? byTopicKey)
        return {
          message: `"${key}" is a ${(byKey ?? byTopicKey)!.scope} config, not a consumer config; set it in the scenario's "config"${(byKey ?? byTopicKey)!.scope === 'topic' ? ' or a topic\'s "config"' : ''}`,
        };
      break;
  }
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
    const found = lookUp(level, key);
    if ('message' in found) {
      issues.push({ key, message: found.message });
      continue;
    }
    if (Object.hasOwn(map, found.entry.key)) {
      issues.push({ key, message: `"${key}" sets ${found.entry.key} a second time` });
      continue;
    }
    const normalized = normalizeConfigValue(found.entry, value);
    if (!normalized.ok) issues.push({ key, message: normalized.message });
    else map[found.entry.key] = normalized.value;
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
