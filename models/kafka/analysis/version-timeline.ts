// What each broker ran when, as the checkers need it to judge a flaw in a run with upgrades: the
// run's version-change events (the `upgrade`, `rolling-restart` with inter.broker.protocol.version
// and `update-features` operations) replayed on the same ClusterVersions the brokers read
// (version/cluster-versions.ts), so a flaw is blamed on the version only if the broker involved
// (or the controller) lacked its fix at the time, and the blame names what it ran: "b3 on Kafka
// 2.0", "inter.broker.protocol.version 2.0 on b1", "metadata.version 3.4". Without a change the
// label is the scenario's own ("Kafka 2.0", "era kip-101"), as it was before upgrades existed.

import type { TimeUs } from '../../../src/sim/time.ts';
import type { VersionChangeEvent } from '../kafka-events.ts';
import type { KafkaScenario } from '../scenario/kafka-scenario.ts';
import { ClusterVersions } from '../version/cluster-versions.ts';
import { initialMessageFormatOf } from '../version/message-format.ts';
import { isOlderVersion, protocolLabel, protocolOf, runningVersionOf } from '../version/kafka-versions.ts';
import { CAPABILITY_GATES, type ProtocolCapability } from '../version/protocol-features.ts';

/** A version change: the broker index that emitted it, or -1 for the controller's finalized metadata.version. */
interface VersionChangeAt {
  timeUs: TimeUs;
  broker: number;
  event: VersionChangeEvent;
}

/** What the cluster runs at one moment. */
class VersionsAt {
  constructor(
    private readonly scenario: KafkaScenario,
    private readonly versions: ClusterVersions,
    /** Whether any version changed by then (else labels are the scenario's). */
    private readonly upgraded: boolean,
  ) {}

  /** Whether broker b (absent: any broker or the controller) lacked capability c. */
  lacks(c: ProtocolCapability, b?: number): boolean {
    if (b !== undefined && b >= 0 && b < this.versions.brokers.length) return !this.versions.brokers[b].features[c];
    return !this.versions.controller[c] || this.versions.brokers.some((x) => !x.features[c]);
  }

  /** How a verdict names what lacked c (of broker b when given): the scenario's label before any upgrade. */
  label(c: ProtocolCapability, b?: number): string {
    if (c === 'truncationByLeaderEpoch') {
      const format = this.messageFormatLabel(b);
      if (format !== null) return format;
      // A broker with KIP-101 that cut to its high watermark all the same had no epoch cached: its
      // log's records were all written before message format v2 (replication-flaws.ts truncatedWithoutEpochs).
      if (b !== undefined && b >= 0 && b < this.scenario.brokers.length && !this.lacks(c, b))
        return `${this.scenario.brokers[b].name}, its log holding records of message format v0/v1 only (written before log.message.format.version 0.11: no leader epochs)`;
    }
    if (!this.upgraded) return protocolLabel(this.scenario);
    const gate = CAPABILITY_GATES[c].gate;
    if (gate === 'controller') return `the controller on Kafka ${this.versions.oldestSoftware()} (the oldest software a broker runs)`;
    const names = this.scenario.brokers.map((x) => x.name);
    const lacking = b !== undefined && b >= 0 && b < names.length ? [b] : names.map((_, i) => i).filter((i) => this.lacks(c, i));
    const parts: string[] = [];
    // Brokers whose software has the fix but whose protocol level does not, by level.
    const byLevel = new Map<string, string[]>();
    for (const i of lacking) {
      const v = this.versions.brokers[i];
      if (gate === 'software' || !protocolOf({ kafkaVersion: v.software })[c]) parts.push(`${names[i]} on Kafka ${v.software}`);
      else byLevel.set(v.protocolLevel, [...(byLevel.get(v.protocolLevel) ?? []), names[i]]);
    }
    // KRaft's metadata.version is the cluster's; ZooKeeper's inter.broker.protocol.version each broker's.
    for (const [level, brokers] of byLevel)
      parts.push(this.scenario.metadataMode === 'kraft' ? `metadata.version ${level}` : `${brokers.join(', ')} at inter.broker.protocol.version ${level}`);
    return parts.length > 0 ? parts.join(', ') : protocolLabel(this.scenario);
  }

  /**
   * Brokers (b, or every broker) whose software and inter.broker.protocol.version have KIP-101 but
   * whose message format is older than v2, so no leader epochs (version/message-format.ts):
   * "b2 at log.message.format.version 0.10 (message format v1: no leader epochs)"; null if none.
   */
  private messageFormatLabel(b?: number): string | null {
    const names = this.scenario.brokers.map((x) => x.name);
    const which = b !== undefined && b >= 0 && b < names.length ? [b] : names.map((_, i) => i);
    const byFormat = new Map<string, string[]>();
    for (const i of which) {
      const v = this.versions.brokers[i];
      if (v.records.v2 || !protocolOf({ kafkaVersion: v.software }).truncationByLeaderEpoch || isOlderVersion(v.protocolLevel, '0.11')) continue;
      const format = v.messageFormat ?? v.protocolLevel;
      byFormat.set(format, [...(byFormat.get(format) ?? []), names[i]]);
    }
    if (byFormat.size === 0) return null;
    return [...byFormat].map(([format, brokers]) => `${brokers.join(', ')} at log.message.format.version ${format} (message format v1: no leader epochs)`).join(', ');
  }
}

/** The version changes of a run, replayed to any moment. */
export class VersionTimeline {
  readonly changes: VersionChangeAt[] = [];

  constructor(private readonly scenario: KafkaScenario) {}

  /** The broker index (its node) of the broker named `name`, -1 if none is. */
  brokerIndex(name: string): number {
    return this.scenario.brokers.findIndex((b) => b.name === name);
  }

  /** A version-change event from node `broker` (-1: a controller). */
  add(timeUs: TimeUs, broker: number, event: VersionChangeEvent): void {
    this.changes.push({ timeUs, broker, event });
  }

  /** What the cluster ran at timeUs (changes at timeUs included). */
  at(timeUs: TimeUs): VersionsAt {
    if (this.changes.length === 0 || this.changes[0].timeUs > timeUs) return (this.initial ??= this.replay(() => false));
    return this.replay((c) => c.timeUs <= timeUs);
  }

  /** What every broker ran at the start (the common case, asked per truncation: built once). */
  private initial: VersionsAt | null = null;

  /**
   * Who missed a broker's bounce between its loss (lostUs) and its leadership (untilUs): the label
   * of a controller that lacked KIP-380's bounce detection then, or null if it had it throughout.
   */
  bounceMissedBetween(lostUs: TimeUs, untilUs: TimeUs): string | null {
    for (const t of [lostUs, untilUs]) {
      const state = this.at(t);
      if (state.lacks('controllerDetectsBrokerBounce')) return state.label('controllerDetectsBrokerBounce');
    }
    return null;
  }

  /**
   * The last moment some broker or the controller lacked capability c, as a VersionsAt (the run's
   * start when nothing changed); null if c was never lacked.
   */
  lastLacking(c: ProtocolCapability): VersionsAt | null {
    let last: VersionsAt | null = null;
    for (let n = 0; n <= this.changes.length; n++) {
      const state = this.replay((_, i) => i < n);
      if (state.lacks(c)) last = state;
    }
    return last;
  }

  private replay(include: (c: VersionChangeAt, i: number) => boolean): VersionsAt {
    const s = this.scenario;
    const versions = new ClusterVersions(runningVersionOf(s), protocolOf(s), s.brokers.length, initialMessageFormatOf(s.brokerConfig));
    let upgraded = false;
    this.changes.forEach((c, i) => {
      if (!include(c, i)) return;
      upgraded = true;
      if (c.event.software === null) versions.finalizeMetadataVersion(c.event.protocolLevel);
      else if (c.broker >= 0) {
        versions.runSoftware(c.broker, c.event.software);
        versions.setProtocolLevel(c.broker, c.event.protocolLevel);
        if (c.event.messageFormat !== undefined) versions.setMessageFormat(c.broker, c.event.messageFormat);
      }
    });
    return new VersionsAt(s, versions, upgraded);
  }
}
