// The checks of a scenario's upgrade operations, in time order, as Kafka's upgrade procedure
// (docs/upgrade.html) allows them: each broker's software only moves forward, to a version the
// cluster's metadata mode exists in (ZooKeeper mode ends at 3.9: migrate to KRaft first, KIP-866)
// and, under the msk preset, one MSK offered; the protocol level (ZooKeeper mode: a rolling restart
// raising inter.broker.protocol.version; KRaft: update-features raising metadata.version) only
// moves forward and only to a version every broker runs by then (Kafka's FeatureControlManager
// refuses such a metadata.version; a ZooKeeper broker does not start with an IBP its software does
// not know). Each mistake is a one-line UserError naming the field and the fix.
//
// Time counts: a rolling operation (rolling-restart, upgrade) restarts its brokers one at a time,
// each down for durationMs, after the rolling operations that started before it
// (rolling-restart.ts), so a broker runs its new software no earlier than its turn's end. An
// update-features before that is refused by the controller whatever happens in the run, and so it
// is refused here; one after it may still be refused at run time (a slow ISR, a crash), which the
// run reports.

import { scenarioError } from '../config/scenario-error.ts';
import { isOlderVersion, metadataModeProblem, mskVersionProblem, runningVersionOf, type KafkaVersion } from '../version/kafka-versions.ts';
import { messageFormatProblem } from '../version/message-format.ts';
import type { KafkaScenarioInput } from './kafka-scenario-schema.ts';

type MetadataMode = 'kraft' | 'zookeeper';

export class UpgradePlan {
  /** Per broker name: the software it runs once the operations checked so far are done. */
  private readonly software = new Map<string, KafkaVersion>();
  /** Per broker name: its inter.broker.protocol.version (ZooKeeper) or the cluster's metadata.version (KRaft). */
  private readonly level = new Map<string, KafkaVersion>();
  /** Per broker name: each software it runs, from the earliest time (ms) it can, in time order. */
  private readonly softwareHistory = new Map<string, { fromMs: number; version: KafkaVersion }[]>();
  /** The earliest time (ms) the rolling operations checked so far can all be done. */
  private rollingDoneMs = 0;

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
      this.softwareHistory.set(b, [{ fromMs: 0, version: start }]);
    }
  }

  private readonly msk: boolean;

  /**
   * A rolling operation of `brokers` at atMs, each down for durationMs: it starts once the earlier
   * ones are done. Returns when each broker restarts at the earliest (ms), in the given order.
   */
  rolling(atMs: number, brokers: readonly string[], durationMs: number): number[] {
    const startMs = Math.max(atMs, this.rollingDoneMs);
    const restartsMs = brokers.map((_, k) => startMs + (k + 1) * durationMs);
    this.rollingDoneMs = restartsMs[restartsMs.length - 1] ?? startMs;
    return restartsMs;
  }

  /** An upgrade of `brokers` (checked names) to `to` at atMs, each down for durationMs (a rolling operation). */
  upgrade(at: string, atMs: number, brokers: readonly string[], to: KafkaVersion, durationMs: number): void {
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
    const restartsMs = this.rolling(atMs, brokers, durationMs);
    brokers.forEach((b, k) => {
      this.software.set(b, to);
      this.softwareHistory.get(b)!.push({ fromMs: restartsMs[k], version: to });
    });
  }

  /** ZooKeeper mode's final step: a rolling restart of `brokers` raising their inter.broker.protocol.version to `level`. */
  interBrokerProtocol(at: string, atMs: number, brokers: readonly string[], level: KafkaVersion, durationMs: number): void {
    const field = `${at}.inter.broker.protocol.version`;
    if (this.mode !== 'zookeeper') throw scenarioError(field, 'is ZooKeeper mode\'s; a KRaft cluster raises metadata.version instead: use an "update-features" operation');
    // Serialized after every earlier rolling operation, so each broker runs its upgraded software by its turn.
    this.rolling(atMs, brokers, durationMs);
    this.raise(field, atMs, brokers, level, 'inter.broker.protocol.version', 'restart it with that inter.broker.protocol.version', false);
  }

  /**
   * The upgrade's last step (docs/upgrade.html): a rolling restart raising log.message.format.version
   * to `format` on `brokers` (version/message-format.ts). ZooKeeper mode only (a KRaft cluster's
   * metadata.version is 3.0 or later, where the setting is ignored, KIP-724); KafkaConfig refuses a
   * format above the broker's inter.broker.protocol.version and one its software does not know.
   */
  messageFormat(at: string, brokers: readonly string[], format: KafkaVersion): void {
    const field = `${at}.log.message.format.version`;
    if (this.mode !== 'zookeeper') throw scenarioError(field, 'is ignored by a KRaft cluster (metadata.version 3.0 or later writes message format v2, KIP-724); remove it');
    for (const b of brokers) {
      const runs = this.software.get(b)!;
      if (!isOlderVersion(runs, '4.0')) throw scenarioError(field, `broker "${b}" runs Kafka ${runs}, which has no log.message.format.version (removed in 4.0, KIP-724); remove it`);
      if (isOlderVersion(runs, format)) throw scenarioError(field, `broker "${b}" runs Kafka ${runs}, which does not know ${format}: upgrade it first`);
      const problem = messageFormatProblem(format, this.level.get(b)!);
      if (problem !== null) throw scenarioError(field, `broker "${b}": ${problem}`);
    }
  }

  /** KRaft's final step: UpdateFeatures raising metadata.version to `level`. */
  metadataVersion(at: string, atMs: number, level: KafkaVersion): void {
    const field = `${at}.metadata.version`;
    if (this.mode !== 'kraft')
      throw scenarioError(field, 'a ZooKeeper-mode cluster has no metadata.version; raise inter.broker.protocol.version with a "rolling-restart" that sets it');
    this.raise(field, atMs, this.brokerNames, level, 'metadata.version', 'finalize it (Kafka refuses: INVALID_UPDATE_VERSION)', true);
  }

  /** The software broker b runs at atMs at the latest (its upgrades may restart it later than planned, never earlier). */
  private softwareAt(b: string, atMs: number): KafkaVersion {
    const history = this.softwareHistory.get(b)!;
    let version = history[0].version;
    for (const h of history) if (h.fromMs <= atMs) version = h.version;
    return version;
  }

  private raise(field: string, atMs: number, brokers: readonly string[], level: KafkaVersion, name: string, what: string, timed: boolean): void {
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
    if (timed) {
      const late = this.brokerNames.filter((b) => isOlderVersion(this.softwareAt(b, atMs), level));
      if (late.length > 0) {
        const readyMs = Math.max(...late.map((b) => this.softwareHistory.get(b)!.find((h) => !isOlderVersion(h.version, level))!.fromMs));
        const who = late.length === 1 ? `broker "${late[0]}" is` : `brokers ${late.map((b) => `"${b}"`).join(', ')} are`;
        throw scenarioError(
          field,
          `${who} still on older software at ${atMs} ms: an upgrade restarts its brokers one at a time, each down for the upgrade's durationMs, so not every broker runs ${level} before ${readyMs} ms, and each controlled shutdown, registration and ISR wait adds to that; move this operation after the upgrade has finished (Kafka refuses earlier: INVALID_UPDATE_VERSION; a refusal at run time is listed in the run summary)`,
        );
      }
    }
    for (const b of brokers) this.level.set(b, level);
  }
}
