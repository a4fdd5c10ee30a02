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

/**
 * The default of a catalog entry under `preset` and the scenario's Kafka version: MSK's own default
 * where the msk preset has one (MSK states its defaults without a version scope), else the
 * version's Apache default, else the catalog's.
 */
export function presetDefault(preset: ConfigPresetName, entry: ConfigEntry, versionDefaults?: VersionDefaults): ConfigValue {
  if (preset === 'msk' && entry.mskDefault !== undefined) return entry.mskDefault;
  return versionDefaults?.(entry) ?? entry.default;
}
