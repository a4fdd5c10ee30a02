// hw-decreased: a leader announced a lower high watermark than before within the same leader epoch.
// Within an epoch the HW only grows (it is min LEO over the ISR, and an ISR member's LEO does not
// shrink while the epoch lasts), and consumers read up to it: a HW that moves back un-commits
// records readers may already have seen. Checked on every `hw` event against the highest HW
// announced for that partition and epoch. A leader that restarted inside its epoch and reloaded an
// older HW checkpoint (a restart the controller did not notice: the ZooKeeper controller before
// KIP-380, missed-bounce.ts) is the usual way to get there: permitted by the simulated version when
// it lacked KIP-380, else a breach naming it; so is a HW that moves back under a follower that had
// truncated to that leader's rewritten log and was elected from it. Everything else is a breach; the explanation says
// when the announcing broker is not the one that announced the higher HW.
//
// Cost: one map lookup per HW event; memory one entry per partition and epoch.

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { ModelEvent, Violation } from '../../../src/sim/model.ts';
import type { TimeUs } from '../../../src/sim/time.ts';
import type { KafkaEvent, KafkaEventType } from '../kafka-events.ts';
import type { KafkaScenario } from '../scenario/kafka-scenario.ts';
import { InvariantFindings } from './invariant-findings.ts';
import { KafkaNames } from './kafka-names.ts';
import { VersionTimeline } from '../analysis/version-timeline.ts';
import { MissedBounces } from './missed-bounce.ts';

interface EpochHighWatermark {
  hw: number;
  broker: number;
  timeUs: TimeUs;
}

export class HwDecreasedChecker implements Checker {
  readonly name = 'hw-decreased';
  /** What onEvent reads (the kernel dispatches by type). */
  readonly eventTypes: readonly KafkaEventType[] = ['hw', 'log-lost', 'become-leader', 'election', 'truncate', 'version-change'];
  private readonly names: KafkaNames;
  /** Per partition index: leader epoch -> highest HW announced in it. */
  private readonly highest: Map<number, EpochHighWatermark>[];
  private readonly findings = new InvariantFindings(this.name);
  /** What each broker ran when: KIP-380 is the version's only if a broker or the controller lacked it then. */
  private readonly versions: VersionTimeline;
  /** Leaders that restarted and took their partition back in the same epoch (missed-bounce.ts). */
  private readonly bounces: MissedBounces;

  /** `names`: the run's lookups, shared by its invariants (KafkaNames.partition remembers the last name asked). */
  constructor(scenario: KafkaScenario, names = new KafkaNames(scenario)) {
    this.names = names;
    this.highest = this.names.partitionNames.map(() => new Map());
    this.versions = new VersionTimeline(scenario);
    this.bounces = new MissedBounces(this.versions, scenario);
  }

  onEvent(timeUs: TimeUs, node: number, modelEvent: ModelEvent): void {
    const ev = modelEvent as unknown as KafkaEvent;
    if (ev.type === 'version-change') return this.versions.add(timeUs, this.names.brokerOfNode(node), ev);
    if (ev.type === 'become-leader') return this.bounces.becameLeader(timeUs, ev.partition, this.names.brokerName(this.names.brokerOfNode(node)), ev.leaderEpoch);
    if (ev.type === 'log-lost') return ev.removed.length > 0 ? this.bounces.lostRecords(ev.partition, this.names.brokerName(this.names.brokerOfNode(node)), timeUs) : undefined;
    if (ev.type === 'election') return this.bounces.elected(ev.partition, ev.leader, ev.leaderEpoch, timeUs);
    // A follower that truncated to a retaken leader's log carries it on, also when elected (missed-bounce.ts).
    if (ev.type === 'truncate') return ev.reason === 'log-recovery' ? undefined : this.bounces.truncated(ev.partition, this.names.brokerName(this.names.brokerOfNode(node)));
    if (ev.type !== 'hw') return;
    const p = this.names.partition(ev.partition);
    if (p < 0) return;
    const broker = this.names.brokerOfNode(node);
    const seen = this.highest[p].get(ev.leaderEpoch);
    if (seen === undefined) {
      this.highest[p].set(ev.leaderEpoch, { hw: ev.hw, broker, timeUs });
      return;
    }
    if (ev.hw > seen.hw) {
      // Rewritten in place: an object per HW advance was most of this checker's cost.
      seen.hw = ev.hw;
      seen.broker = broker;
      seen.timeUs = timeUs;
      return;
    }
    if (ev.hw === seen.hw) return;
    const who = seen.broker === broker ? '' : ` (${this.names.brokerName(seen.broker)} had announced it)`;
    const text = `${this.names.brokerName(broker)} announced HW ${ev.hw} in epoch ${ev.leaderEpoch}, below the ${seen.hw} of that epoch${who}`;
    const bounce = this.bounces.causeOf(ev.partition, ev.leaderEpoch, timeUs);
    if (bounce?.byVersion) this.findings.add(ev.partition, timeUs, text, bounce.reason, 'permitted', 'version');
    else this.findings.add(ev.partition, timeUs, text, bounce?.reason ?? 'the HW of a leader epoch never moves back');
  }

  finish(run: RunView): Violation[] {
    this.names.checkTopology(run.topology);
    return this.findings.violations('high watermark moved back within a leader epoch');
  }
}
