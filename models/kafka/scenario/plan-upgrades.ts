// The checks of a scenario's upgrade operations, in time order, as Kafka's upgrade procedure
// (docs/upgrade.html) allows them: each broker's software only moves forward, to a version the
// cluster's metadata mode exists in (ZooKeeper mode ends at 3.9: migrate to KRaft first, KIP-866)
// and, under the msk preset, one MSK offered; the protocol level (ZooKeeper mode: a rolling restart
// raising inter.broker.protocol.version; KRaft: update-features raising metadata.version) only
// moves forward and only to a version every broker runs by then (Kafka's FeatureControlManager
// refuses such a metadata.version; a ZooKeeper broker does not start with an IBP its software does
// not know). Each mistake is a one-line UserError naming the field and the fix.

import { scenarioError } from '../config/scenario-error.ts';
import { isOlderVersion, metadataModeProblem, mskVersionProblem, runningVersionOf, type KafkaVersion } from '../version/kafka-versions.ts';
import type { KafkaScenarioInput } from './kafka-scenario-schema.ts';

type MetadataMode = 'kraft' | 'zookeeper';

export class UpgradePlan {
  /** Per broker name: the software it runs once the operations checked so far are done. */
  private readonly software = new Map<string, KafkaVersion>();
  /** Per broker name: its inter.broker.protocol.version (ZooKeeper) or the cluster's metadata.version (KRaft). */
  private readonly level = new Map<string, KafkaVersion>();

  constructor(
    s: KafkaScenarioInput,
    private readonly brokerNames: readonly string[],
    private readonly mode: MetadataMode,
  ) {
    this.msk = s.preset === 'msk';
    const start = runningVersionOf(s);
    for (const b of brokerNames) {
      this.software.set(b, start);
      this.level.set(b, start);
    }
  }

  private readonly msk: boolean;

  /** An upgrade of `brokers` (checked names) to `to` at atMs. */
  upgrade(at: string, atMs: number, brokers: readonly string[], to: KafkaVersion): void {
    // A downgrade first: it is the mistake, whatever the older version could run.
    for (const b of brokers) {
      const runs = this.software.get(b)!;
      if (!isOlderVersion(runs, to))
        throw scenarioError(`${at}.to`, `Kafka ${to} is not newer than ${runs}, which broker "${b}" runs at ${atMs} ms; ksim simulates upgrades, not downgrades: name a newer version`);
    }
    const modeProblem = metadataModeProblem(to, this.mode, this.msk);
    if (modeProblem !== null) {
      const fix = this.mode === 'zookeeper' ? `migrate the cluster to KRaft first (KIP-866; in ksim, metadataMode "kraft") or upgrade to 3.9 at most` : modeProblem;
      throw scenarioError(`${at}.to`, `Kafka ${to} cannot run this ${this.mode === 'zookeeper' ? 'ZooKeeper-mode' : 'KRaft'} cluster: ${fix}`);
    }
    const mskProblem = this.msk ? mskVersionProblem(to) : null;
    if (mskProblem !== null) throw scenarioError(`${at}.to`, mskProblem);
    for (const b of brokers) this.software.set(b, to);
  }

  /** ZooKeeper mode's final step: a rolling restart of `brokers` raising their inter.broker.protocol.version to `level`. */
  interBrokerProtocol(at: string, atMs: number, brokers: readonly string[], level: KafkaVersion): void {
    const field = `${at}.inter.broker.protocol.version`;
    if (this.mode !== 'zookeeper') throw scenarioError(field, 'is ZooKeeper mode\'s; a KRaft cluster raises metadata.version instead: use an "update-features" operation');
    this.raise(field, atMs, brokers, level, 'inter.broker.protocol.version', 'restart it with that inter.broker.protocol.version');
  }

  /** KRaft's final step: UpdateFeatures raising metadata.version to `level`. */
  metadataVersion(at: string, atMs: number, level: KafkaVersion): void {
    const field = `${at}.metadata.version`;
    if (this.mode !== 'kraft')
      throw scenarioError(field, 'a ZooKeeper-mode cluster has no metadata.version; raise inter.broker.protocol.version with a "rolling-restart" that sets it');
    this.raise(field, atMs, this.brokerNames, level, 'metadata.version', 'finalize it (Kafka refuses: INVALID_UPDATE_VERSION)');
  }

  private raise(field: string, atMs: number, brokers: readonly string[], level: KafkaVersion, name: string, what: string): void {
    for (const b of brokers) {
      const current = this.level.get(b)!;
      if (isOlderVersion(level, current))
        throw scenarioError(field, `${level} is below ${current}, the ${name} broker "${b}" speaks at ${atMs} ms; ksim simulates upgrades, not downgrades: name ${current} or newer`);
    }
    for (const b of this.brokerNames) {
      const runs = this.software.get(b)!;
      if (isOlderVersion(runs, level))
        throw scenarioError(field, `broker "${b}" runs Kafka ${runs} at ${atMs} ms, which does not know ${name} ${level}: upgrade every broker to ${level} or later (an earlier "upgrade" operation) before you ${what}`);
    }
    for (const b of brokers) this.level.set(b, level);
  }
}
