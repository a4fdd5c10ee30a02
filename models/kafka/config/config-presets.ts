// The two sets of defaults a scenario starts from: "apache" (Apache Kafka's current defaults) and
// "msk" (Amazon MSK's default cluster configuration), both read from the catalog: an entry's
// `default` and, where MSK differs, its `mskDefault` (from the MSK default-configuration table in
// the project's seed documents, seeds/003_*.txt, "Default Configuration Values").

import { CONFIG_CATALOG } from './config-catalog.ts';
import type { ConfigEntry, ConfigValue } from './config-entry.ts';

export type ConfigPresetName = 'msk' | 'apache';
export const CONFIG_PRESET_NAMES: readonly ConfigPresetName[] = ['msk', 'apache'];

/**
 * MSK's defaults where they differ from Apache Kafka's. The same table also states
 * num.partitions=1 and auto.leader.rebalance.enable=true, which match Apache Kafka, and keys ksim
 * does not model (auto.create.topics.enable=false, thread counts, socket buffers).
 */
export const MSK_OVERRIDES: Readonly<Record<string, ConfigValue>> = Object.fromEntries(
  CONFIG_CATALOG.flatMap((e) => (e.mskDefault === undefined ? [] : [[e.key, e.mskDefault]])),
);

/**
 * The Apache default a Kafka version gives an entry where it differs from the catalog's (current
 * Kafka's), else undefined (version/kafka-versions.ts builds it from the scenario's kafkaVersion).
 */
export type VersionDefaults = (entry: ConfigEntry) => ConfigValue | undefined;

/** A config key newer than the scenario's Kafka version (version/config-introductions.ts). */
export interface ConfigIntroduction {
  /** The first release that has the key, e.g. "2.1". */
  readonly release: string;
  /** The KIP (or JIRA) that brought it. */
  readonly kip: string;
  /** The effective value before it, from the rest of the resolved config; null: the model runs the older mechanism. */
  readonly before: (config: Readonly<Record<string, ConfigValue>>) => ConfigValue;
  /** What the versions before it did, for config sources and docs. */
  readonly behaviour: string;
}

/** What the scenario's Kafka version lacks of one catalog entry. */
export interface ConfigAbsence {
  /** The version's name, for messages ("1.1"). */
  readonly version: string;
  /** The key itself is newer than the version. */
  readonly key?: ConfigIntroduction;
  /** Enum values newer than the version, each with the release and KIP that brought it. */
  readonly values: Readonly<Record<string, { release: string; kip: string }>>;
}

/** What the scenario's Kafka version lacks of an entry, undefined when nothing (or no version is stated). */
export type VersionAbsences = (entry: ConfigEntry) => ConfigAbsence | undefined;

/**
 * The default of a catalog entry under `preset` and the scenario's Kafka version: MSK's own default
 * where the msk preset has one (MSK states its defaults without a version scope), else the
 * version's Apache default, else the catalog's.
 */
export function presetDefault(preset: ConfigPresetName, entry: ConfigEntry, versionDefaults?: VersionDefaults): ConfigValue {
  if (preset === 'msk' && entry.mskDefault !== undefined) return entry.mskDefault;
  return versionDefaults?.(entry) ?? entry.default;
}
