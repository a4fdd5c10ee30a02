// The Apache Kafka versions a scenario can name (`kafkaVersion`), and what each brings: its protocol
// capabilities (every fix of protocol-features.ts's PROTOCOL_FIXES released in or before it, so
// versions and eras share one source of truth), the metadata modes it can run (ZooKeeper until 3.9;
// KRaft early access in 2.8, preview 3.0-3.2, production from 3.3 (KIP-833), the only mode from 4.0),
// and the Apache defaults that changed between releases (CONFIG_DEFAULT_HISTORY). Facts and their
// sources: /work/wt/research/kafka-versions.md (ConsumerConfig, ProducerConfig, KafkaConfig at each
// release tag; KIP-106, KIP-537, KIP-679, KIP-735, KIP-91, KIP-1030; upgrade.html of 3.9).

import { CONFIG_CATALOG } from '../config/config-catalog.ts';
import type { ConfigEntry, ConfigValue } from '../config/config-entry.ts';
import { JAVA_INT_MAX } from '../config/config-entry.ts';
import { configAbsentIn, configsAbsentIn } from './config-introductions.ts';
import { capabilitiesAt, compareReleases, describeMissingFix, PROTOCOL_CAPABILITIES, PROTOCOL_FEATURES, regressionLabels, type ProtocolEra, type ProtocolFeatures } from './protocol-features.ts';

/** How a release line offers KRaft (config/kraft/README.md of 2.8; upgrade.html 3.0, 3.3; KIP-833). */
type KraftStatus = 'none' | 'early-access' | 'preview' | 'production';

interface KafkaVersionRow {
  /** The release the line stands for: its x.y.0, except 0.10 = 0.10.2 (the last before KIP-101). */
  release: string;
  kraft: KraftStatus;
  /** ZooKeeper mode exists (removed in 4.0). */
  zookeeper: boolean;
  /** The Amazon MSK build of this line, if MSK offers or offered it (supported-kafka-versions). */
  msk: string | null;
}

const ZK_ONLY = { kraft: 'none', zookeeper: true } as const;

/** Every supported version, oldest first. */
const KAFKA_VERSIONS = {
  '0.10': { release: '0.10.2', ...ZK_ONLY, msk: null },
  '0.11': { release: '0.11.0', ...ZK_ONLY, msk: null },
  '1.0': { release: '1.0.0', ...ZK_ONLY, msk: null },
  '1.1': { release: '1.1.0', ...ZK_ONLY, msk: '1.1.1' },
  '2.0': { release: '2.0.0', ...ZK_ONLY, msk: null },
  '2.1': { release: '2.1.0', ...ZK_ONLY, msk: '2.1.0' },
  '2.2': { release: '2.2.0', ...ZK_ONLY, msk: '2.2.1' },
  '2.3': { release: '2.3.0', ...ZK_ONLY, msk: '2.3.1' },
  '2.4': { release: '2.4.0', ...ZK_ONLY, msk: '2.4.1' },
  '2.5': { release: '2.5.0', ...ZK_ONLY, msk: '2.5.1' },
  '2.6': { release: '2.6.0', ...ZK_ONLY, msk: '2.6.x' },
  '2.7': { release: '2.7.0', ...ZK_ONLY, msk: '2.7.x' },
  '2.8': { release: '2.8.0', kraft: 'early-access', zookeeper: true, msk: '2.8.x' },
  '3.0': { release: '3.0.0', kraft: 'preview', zookeeper: true, msk: null },
  '3.1': { release: '3.1.0', kraft: 'preview', zookeeper: true, msk: '3.1.1' },
  '3.2': { release: '3.2.0', kraft: 'preview', zookeeper: true, msk: '3.2.0' },
  '3.3': { release: '3.3.0', kraft: 'production', zookeeper: true, msk: '3.3.x' },
  '3.4': { release: '3.4.0', kraft: 'production', zookeeper: true, msk: '3.4.0' },
  '3.5': { release: '3.5.0', kraft: 'production', zookeeper: true, msk: '3.5.1' },
  '3.6': { release: '3.6.0', kraft: 'production', zookeeper: true, msk: '3.6.0' },
  '3.7': { release: '3.7.0', kraft: 'production', zookeeper: true, msk: '3.7.x' },
  '3.8': { release: '3.8.0', kraft: 'production', zookeeper: true, msk: '3.8.x' },
  '3.9': { release: '3.9.0', kraft: 'production', zookeeper: true, msk: '3.9.x' },
  '4.0': { release: '4.0.0', kraft: 'production', zookeeper: false, msk: '4.0.x' },
  // 4.1 turns on Eligible Leader Replicas for new clusters (KIP-966, docs/operations: "ELR is
  // enabled by default on new clusters starting 4.1"). MSK offers 4.1.x since 2025-10-15
  // (endoflife.date/amazon-msk, from MSK's supported-kafka-versions); an MSK cluster created on it
  // is taken to be a new 4.1 cluster, with ELR on.
  '4.1': { release: '4.1.0', kraft: 'production', zookeeper: false, msk: '4.1.x' },
} as const satisfies Record<string, KafkaVersionRow>;

export type KafkaVersion = keyof typeof KAFKA_VERSIONS;
export const KAFKA_VERSION_NAMES = Object.keys(KAFKA_VERSIONS) as KafkaVersion[];

/** MSK offers KRaft clusters from 3.7.x (MSK developer guide, metadata-management). */
const MSK_KRAFT_FROM = '3.7.0';

/**
 * Apache defaults that changed across releases, per scope and key: [first release, value] steps,
 * oldest first; the last step is the catalog's default (a test holds them equal). A key not
 * listed has the catalog's default in every version.
 */
export const CONFIG_DEFAULT_HISTORY: Readonly<Record<string, readonly (readonly [string, ConfigValue])[]>> = {
  // KIP-106 (0.11.0): unclean election off by default.
  'topic unclean.leader.election.enable': [['0.10', true], ['0.11', false]],
  // KIP-537 (2.5.0).
  'broker replica.lag.time.max.ms': [['0.10', 10000], ['2.5', 30000]],
  'broker zookeeper.session.timeout.ms': [['0.10', 6000], ['2.5', 18000]],
  // KafkaConfig: GroupMaxSessionTimeoutMs 300000 -> 1800000 in 2.3.0 (KIP-345's static members).
  'broker group.max.session.timeout.ms': [['0.10', 300000], ['2.3', 1800000]],
  // KIP-679 (3.0.0): acks=all and idempotence by default. Idempotence was only applied from 3.0.1,
  // 3.1.1 and 3.2.0 (KAFKA-13598), so the x.y.0 releases 3.0 and 3.1 run without it.
  'producer acks': [['0.10', '1'], ['3.0', 'all']],
  'producer enable.idempotence': [['0.10', false], ['3.2', true]],
  // KIP-91 (2.1.0): retries Integer.MAX_VALUE, bounded by the new delivery.timeout.ms (before 2.1 there
  // was no delivery timeout; ksim keeps delivery.timeout.ms's default there, which with retries=0 only
  // bounds a batch waiting in the accumulator).
  'producer retries': [['0.10', 0], ['2.1', JAVA_INT_MAX]],
  // KIP-1030 (4.0.0).
  'producer linger.ms': [['0.10', 0], ['4.0', 5]],
  // KIP-735 (3.0.0); 10000 since 0.10.1 (KIP-62).
  'consumer session.timeout.ms': [['0.10', 10000], ['3.0', 45000]],
  // ConsumerConfig: 305000 in 0.10.1-1.1 (above max.poll.interval.ms, for JoinGroup), 30000 from 2.0.0 (KIP-266).
  'consumer request.timeout.ms': [['0.10', 305000], ['2.0', 30000]],
  // CommonClientConfigs: 127000 in 2.7.0 (KIP-601, the key's first release), 30000 from 2.8.0
  // ("socket setup max should be 30 seconds", apache/kafka#10306). Before 2.7 the key does not exist (version/config-introductions.ts).
  'producer socket.connection.setup.timeout.max.ms': [['0.10', 127000], ['2.8', 30000]],
  'consumer socket.connection.setup.timeout.max.ms': [['0.10', 127000], ['2.8', 30000]],
};

/** The release a version stands for. */
export function releaseOf(version: KafkaVersion): string {
  return KAFKA_VERSIONS[version].release;
}

/**
 * The Apache default of `entry` in `version`, and whether the version is why (it differs from the
 * catalog's default, which is current Kafka's): { value, fromVersion }.
 */
export function versionDefault(version: KafkaVersion, entry: ConfigEntry): { value: ConfigValue; fromVersion: boolean } {
  const steps = CONFIG_DEFAULT_HISTORY[`${entry.scope} ${entry.key}`];
  if (!steps) return { value: entry.default, fromVersion: false };
  let value = steps[0][1];
  for (const [from, v] of steps) if (compareReleases(releaseOf(version), from) >= 0) value = v;
  return { value, fromVersion: value !== entry.default };
}

/** The protocol capabilities of a version. */
export function featuresOfVersion(version: KafkaVersion): ProtocolFeatures {
  return { summary: `Apache Kafka ${version}`, kafka: version, ...capabilitiesAt(releaseOf(version)) };
}

/**
 * The release an era stands for when a scenario states no kafkaVersion, for its metadata modes:
 * the eras before 2.8 ran ZooKeeper only. `current` has none: either mode. (An era keeps today's
 * config defaults; a kafkaVersion brings its own.)
 */
const ERA_VERSION: Readonly<Record<ProtocolEra, KafkaVersion | undefined>> = { 'hw-truncation': '0.10', 'kip-101': '0.11', 'kip-279': '2.0', current: undefined };

/** The version whose metadata modes a scenario may run: its kafkaVersion, else its era's (none for current). */
export function versionOfScenario(s: ProtocolChoice): KafkaVersion | undefined {
  return s.kafkaVersion ?? ERA_VERSION[s.era ?? 'current'];
}

/**
 * The version a scenario's brokers run at the start, for upgrades: its kafkaVersion, else its
 * era's release (`current` is 3.7, the release its capabilities are taken from).
 */
export function runningVersionOf(s: ProtocolChoice): KafkaVersion {
  return versionOfScenario(s) ?? '3.7';
}

/** Whether version a is older than b. */
export function isOlderVersion(a: KafkaVersion, b: KafkaVersion): boolean {
  return compareReleases(releaseOf(a), releaseOf(b)) < 0;
}

/**
 * Whether the version `read` returns (one an upgrade may change) is `min` or newer, compared again
 * only when that version changes: for per-request checks (isOlderVersion parses both releases).
 */
export function atLeastVersion(read: () => KafkaVersion, min: KafkaVersion): () => boolean {
  let seen: KafkaVersion | undefined;
  let atLeast = false;
  return () => {
    const now = read();
    if (now !== seen) {
      seen = now;
      atLeast = !isOlderVersion(now, min);
    }
    return atLeast;
  };
}

/** What decides a run's protocol: the scenario's kafkaVersion when it states one, else its era. */
interface ProtocolChoice {
  /** Absent (current) when a kafkaVersion decides. */
  era?: ProtocolEra;
  kafkaVersion?: KafkaVersion;
}

/** The capabilities a run simulates. */
export function protocolOf(s: ProtocolChoice): ProtocolFeatures {
  return s.kafkaVersion === undefined ? PROTOCOL_FEATURES[s.era ?? 'current'] : featuresOfVersion(s.kafkaVersion);
}

/** How a verdict names the simulated protocol: "era kip-101" or "Kafka 2.4". */
export function protocolLabel(s: ProtocolChoice): string {
  return s.kafkaVersion === undefined ? `era ${s.era ?? 'current'}` : `Kafka ${s.kafkaVersion}`;
}

/** How `--fail-on` names the simulated protocol: "Kafka 2.4", or "era current (Kafka 3.7-3.9)" when no kafkaVersion is stated. */
export function protocolDescription(s: ProtocolChoice): string {
  const era = s.era ?? 'current';
  return s.kafkaVersion === undefined ? `era ${era} (Kafka ${PROTOCOL_FEATURES[era].kafka})` : `Kafka ${s.kafkaVersion}`;
}

/** The metadata mode a version runs when the scenario states none: ZooKeeper where KRaft was not production-ready (or MSK did not offer it), else KRaft. */
export function defaultMetadataMode(version: KafkaVersion, msk: boolean): 'kraft' | 'zookeeper' {
  const row = KAFKA_VERSIONS[version];
  if (!row.zookeeper) return 'kraft';
  if (row.kraft !== 'production') return 'zookeeper';
  return msk && compareReleases(row.release, MSK_KRAFT_FROM) < 0 ? 'zookeeper' : 'kraft';
}

/** Why defaultMetadataMode chose what it did for `version`, in a few words: "Kafka 2.1 has no KRaft mode". */
export function defaultMetadataModeReason(version: KafkaVersion, msk: boolean): string {
  const row = KAFKA_VERSIONS[version];
  if (!row.zookeeper) return `Kafka ${version} has no ZooKeeper mode`;
  if (row.kraft === 'none') return `Kafka ${version} has no KRaft mode`;
  if (row.kraft !== 'production') return `KRaft in Kafka ${version} was not production-ready (KIP-833)`;
  if (msk && compareReleases(row.release, MSK_KRAFT_FROM) < 0) return 'MSK offers KRaft clusters from 3.7.x only';
  return `Kafka ${version} runs KRaft in production`;
}

/** Why the msk preset cannot run `version` (MSK never offered it; one line naming the fix), or null when it can. */
export function mskVersionProblem(version: KafkaVersion): string | null {
  if (KAFKA_VERSIONS[version].msk !== null) return null;
  const offered = KAFKA_VERSION_NAMES.filter((v) => KAFKA_VERSIONS[v].msk !== null);
  return `MSK never offered Kafka ${version} (it offers ${offered.join(', ')}: see ksim versions); use one of those, or preset "apache" (--set preset=apache)`;
}

/**
 * How to simulate a release that still has `flaw`, given the release that fixed it (`fixedIn`, from
 * protocol-features.ts): the newest version before it, as --set flags ("--set kafkaVersion=0.10"),
 * with the apache preset first when the scenario's msk preset never offered such a release, so the
 * suggestion runs as given. Undefined when no simulated version predates the fix.
 */
export function versionBeforeFix(fixedIn: string, msk: boolean): string | undefined {
  const before = KAFKA_VERSION_NAMES.filter((v) => compareReleases(KAFKA_VERSIONS[v].release, fixedIn) < 0);
  const onMsk = before.filter((v) => KAFKA_VERSIONS[v].msk !== null);
  if (msk && onMsk.length > 0) return `--set kafkaVersion=${onMsk[onMsk.length - 1]}`;
  if (before.length === 0) return undefined;
  const version = `--set kafkaVersion=${before[before.length - 1]}`;
  return msk ? `--set preset=apache ${version} (MSK never offered one)` : version;
}

/** Why `version` cannot run in `mode` (one line naming the fix), or null when it can. */
export function metadataModeProblem(version: KafkaVersion, mode: 'kraft' | 'zookeeper', msk: boolean): string | null {
  const row = KAFKA_VERSIONS[version];
  if (mode === 'zookeeper')
    return row.zookeeper ? null : `Kafka ${version} has no ZooKeeper mode (removed in 4.0); use metadataMode "kraft" or a kafkaVersion up to 3.9`;
  if (row.kraft === 'none') return `Kafka ${version} has no KRaft mode (KRaft first shipped, as early access, in 2.8); use metadataMode "zookeeper"`;
  if (row.kraft !== 'production')
    return `KRaft in Kafka ${version} was ${row.kraft === 'early-access' ? 'early access' : 'a preview'}, not for production (production-ready from 3.3, KIP-833), and ksim models production KRaft; use metadataMode "zookeeper" or kafkaVersion 3.3 or later`;
  if (msk && compareReleases(row.release, MSK_KRAFT_FROM) < 0) return `MSK offers KRaft clusters from 3.7.x only; use metadataMode "zookeeper", kafkaVersion 3.7 or later, or preset "apache"`;
  return null;
}

/** The README's and `ksim versions`'s table: per version the Apache release it simulates, its MSK build, metadata modes, fixes it has, flaws it reproduces and defaults that differ from current Kafka. */
export function kafkaVersionTable(): string {
  const rows = KAFKA_VERSION_NAMES.map((v) => {
    const row = KAFKA_VERSIONS[v];
    const f = featuresOfVersion(v);
    const modes = [row.zookeeper ? 'ZooKeeper' : null, row.kraft === 'none' ? null : `KRaft${row.kraft === 'production' ? '' : ` (${row.kraft}, refused)`}`].filter((m) => m !== null);
    const lacks = [...PROTOCOL_CAPABILITIES.filter((c) => !f[c]).map((c) => describeMissingFix(c).split(',')[0]), ...regressionLabels(f)];
    const absent = configsAbsentIn(v, row.release, CONFIG_CATALOG);
    const differs = (e: ConfigEntry) => versionDefault(v, e).fromVersion && configAbsentIn(v, row.release, e)?.key === undefined;
    const defaults = CONFIG_CATALOG.flatMap((e) => {
      if (!differs(e)) return [];
      const value = JSON.stringify(versionDefault(v, e).value);
      // A key of the producer and the consumer alike is listed once; a key whose other scopes keep
      // today's default (the consumer's request.timeout.ms of 0.10-1.1) names its scope.
      const others = CONFIG_CATALOG.filter((o) => o.key === e.key && o !== e);
      const shared = others.every((o) => differs(o) && JSON.stringify(versionDefault(v, o).value) === value);
      return [`${shared ? '' : `${e.scope} `}${e.key}=${value}`];
    });
    const defaultList = [...new Set(defaults)].join(', ');
    return `| ${v} | ${row.release} | ${row.msk ?? '-'} | ${modes.join(', ')} | ${lacks.join(', ') || '-'} | ${defaultList || '-'} | ${absent.join(', ') || '-'} |`;
  });
  return [
    '| version | Apache release | MSK | metadata modes | lacks (reproduces the flaw) | Apache defaults that differ from 4.0 | configs it does not have yet |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
