// two-leaders-in-epoch: a partition with more than one leader in one leader epoch. Checked on every
// event: the controller's election names the epoch's leader, and every broker that acts as leader
// (appends as leader, advances the HW) states its epoch; any second broker claiming the same epoch
// of the same partition is a violation. The controller quorum allows one active controller at a
// time and bumps the epoch on every leader change, so this is always a breach: two leaders in one
// epoch let two brokers assign the same offsets to different records while followers cannot tell
// which log to truncate to. An epoch whose first claim is not an election (a history without one)
// is owned by its first claimant.
//
// Cost: one map lookup per election, leader append and HW event; memory one entry per epoch.

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { ModelEvent, Violation } from '../../../src/sim/model.ts';
import type { TimeUs } from '../../../src/sim/time.ts';
import type { KafkaEvent, KafkaEventType } from '../kafka-events.ts';
import type { KafkaScenario } from '../scenario/kafka-scenario.ts';
import { InvariantFindings } from './invariant-findings.ts';
import { KafkaNames } from './kafka-names.ts';

interface EpochClaim {
  broker: number;
  how: string;
}

export class TwoLeadersInEpochChecker implements Checker {
  readonly name = 'two-leaders-in-epoch';
  /** What onEvent reads (the kernel dispatches by type). */
  readonly eventTypes: readonly KafkaEventType[] = ['election', 'append', 'hw'];
  private readonly names: KafkaNames;
  /** Per partition index: leader epoch -> the broker that owns it. */
  private readonly owners: Map<number, EpochClaim>[];
  private readonly findings = new InvariantFindings(this.name);

  /** `names`: the run's lookups, shared by its invariants (KafkaNames.partition remembers the last name asked). */
  constructor(scenario: KafkaScenario, names = new KafkaNames(scenario)) {
    this.names = names;
    this.owners = this.names.partitionNames.map(() => new Map());
  }

  onEvent(timeUs: TimeUs, node: number, modelEvent: ModelEvent): void {
    const ev = modelEvent as unknown as KafkaEvent;
    switch (ev.type) {
      case 'election':
        if (ev.leader !== null) this.claim(timeUs, ev.partition, ev.leaderEpoch, this.names.broker(ev.leader), `${ev.kind} election`);
        return;
      case 'append':
        if (ev.role === 'leader') this.claim(timeUs, ev.partition, ev.leaderEpoch, this.names.brokerOfNode(node), 'append as leader');
        return;
      case 'hw':
        this.claim(timeUs, ev.partition, ev.leaderEpoch, this.names.brokerOfNode(node), 'HW advance');
        return;
      default:
        return;
    }
  }

  private claim(timeUs: TimeUs, partition: string, epoch: number, broker: number, how: string): void {
    const p = this.names.partition(partition);
    if (p < 0 || broker < 0) return;
    const owners = this.owners[p];
    const owner = owners.get(epoch);
    if (owner === undefined) {
      owners.set(epoch, { broker, how });
      return;
    }
    if (owner.broker === broker) return;
    const text = `${this.names.brokerName(broker)} acted as leader of epoch ${epoch} (${how}) while ${this.names.brokerName(owner.broker)} owns it (${owner.how})`;
    this.findings.add(partition, timeUs, text, 'the controller bumps the leader epoch on every leader change');
  }

  finish(run: RunView): Violation[] {
    this.names.checkTopology(run.topology);
    return this.findings.violations('two leaders in one leader epoch');
  }
}
