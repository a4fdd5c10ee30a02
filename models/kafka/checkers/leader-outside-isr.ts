// leader-outside-isr: the controller's committed state of a partition names a leader that is not in
// its ISR. Checked on every election and ISR change, against the controller's own events: a clean
// election picks from the ISR, an unclean one makes the ISR just the new leader, and an ISR change
// (AlterPartition, fencing) never removes the leader. A leader outside the ISR could advance the
// HW (min LEO over the ISR) past its own log, so this is always a breach. A partition without a
// leader (offline) is not checked. A completed reassignment (KIP-455) may bump the leader epoch
// with the same leader and no election: its event names the new epoch.
//
// Cost: O(ISR) per election or ISR change.

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { ModelEvent, Violation } from '../../../src/sim/model.ts';
import type { TimeUs } from '../../../src/sim/time.ts';
import type { KafkaEvent, KafkaEventType } from '../kafka-events.ts';
import type { KafkaScenario } from '../scenario/kafka-scenario.ts';
import { InvariantFindings } from './invariant-findings.ts';
import { KafkaNames } from './kafka-names.ts';

export class LeaderOutsideIsrChecker implements Checker {
  readonly name = 'leader-outside-isr';
  /** What onEvent reads (the kernel dispatches by type). */
  readonly eventTypes: readonly KafkaEventType[] = ['election', 'isr-shrink', 'isr-expand', 'reassignment'];
  private readonly names: KafkaNames;
  /** Per partition index: the current leader's name (null: offline or not yet elected). */
  private readonly leader: (string | null)[];
  private readonly epoch: number[];
  private readonly findings = new InvariantFindings(this.name);

  /** `names`: the run's lookups, shared by its invariants (KafkaNames.partition remembers the last name asked). */
  constructor(scenario: KafkaScenario, names = new KafkaNames(scenario)) {
    this.names = names;
    this.leader = this.names.partitionNames.map(() => null);
    this.epoch = this.names.partitionNames.map(() => -1);
  }

  onEvent(timeUs: TimeUs, _node: number, modelEvent: ModelEvent): void {
    const ev = modelEvent as unknown as KafkaEvent;
    if (ev.type === 'reassignment') {
      const p = this.names.partition(ev.partition);
      if (p >= 0 && ev.leaderEpoch > this.epoch[p]) this.epoch[p] = ev.leaderEpoch;
      return;
    }
    if (ev.type !== 'election' && ev.type !== 'isr-shrink' && ev.type !== 'isr-expand') return;
    const p = this.names.partition(ev.partition);
    if (p < 0) return;
    let how: string;
    if (ev.type === 'election') {
      this.leader[p] = ev.leader;
      this.epoch[p] = ev.leaderEpoch;
      how = `${ev.kind} election made ${ev.leader} leader of epoch ${ev.leaderEpoch}`;
    } else {
      // The controller commits a leader change's new ISR just before announcing the election: an
      // ISR event of a newer epoch belongs to the leader about to be elected, checked then.
      if (ev.leaderEpoch > this.epoch[p]) return;
      how = `${ev.type === 'isr-shrink' ? 'ISR shrink' : 'ISR expansion'} in epoch ${ev.leaderEpoch}`;
    }
    const leader = this.leader[p];
    if (leader === null || ev.isr.includes(leader)) return;
    this.findings.add(ev.partition, timeUs, `${how} with ISR [${ev.isr.join(', ')}], leader ${leader} not in it`, 'a leader is always an ISR member');
  }

  finish(run: RunView): Violation[] {
    this.names.checkTopology(run.topology);
    return this.findings.violations('leader outside the ISR');
  }
}
