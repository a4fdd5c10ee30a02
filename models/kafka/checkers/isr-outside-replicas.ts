// isr-outside-replicas: the controller's ISR for a partition names a broker that is not one of the
// partition's assigned replicas, names one twice, or is empty. Checked on every election and ISR
// change, against the replicas as the last reassignment set them (KIP-455: target + removing while
// in progress, the target once complete). The ISR is a subset of the replica assignment by definition (the controller rejects an
// AlterPartition that adds a non-replica, and fencing keeps a last member), so this is always a
// breach: the HW would be computed over brokers that do not hold the partition at all.
// Except an empty ISR under Eligible Leader Replicas (KIP-966, KRaft, on as the cluster was
// created): PartitionChangeBuilder then lets the last member leave ("If ELR is enabled, the ISR is
// allowed to be empty"), into the ELR, and the partition has no leader until one is elected from it.
//
// Cost: O(ISR x replicas) per election or ISR change (both at most the replication factor).

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { ModelEvent, Violation } from '../../../src/sim/model.ts';
import type { TimeUs } from '../../../src/sim/time.ts';
import type { KafkaEvent, KafkaEventType } from '../kafka-events.ts';
import type { KafkaScenario } from '../scenario/kafka-scenario.ts';
import { protocolOf } from '../version/kafka-versions.ts';
import { InvariantFindings } from './invariant-findings.ts';
import { KafkaNames } from './kafka-names.ts';

export class IsrOutsideReplicasChecker implements Checker {
  readonly name = 'isr-outside-replicas';
  /** What onEvent reads (the kernel dispatches by type). */
  readonly eventTypes: readonly KafkaEventType[] = ['election', 'isr-shrink', 'isr-expand', 'reassignment'];
  private readonly names: KafkaNames;
  private readonly findings = new InvariantFindings(this.name);
  /** Whether the controller may empty an ISR (ReplicationControlManager's elrEnabled). */
  private readonly emptyIsrAllowed: boolean;

  /** `names`: the run's lookups, shared by its invariants (KafkaNames.partition remembers the last name asked). */
  constructor(scenario: KafkaScenario, names = new KafkaNames(scenario)) {
    this.names = names;
    this.emptyIsrAllowed = scenario.metadataMode === 'kraft' && protocolOf(scenario).eligibleLeaderReplicas;
  }

  onEvent(timeUs: TimeUs, _node: number, modelEvent: ModelEvent): void {
    const ev = modelEvent as unknown as KafkaEvent;
    if (ev.type === 'reassignment') return this.names.onReassignment(ev);
    if (ev.type !== 'election' && ev.type !== 'isr-shrink' && ev.type !== 'isr-expand') return;
    const p = this.names.partition(ev.partition);
    if (p < 0) return;
    if (ev.type === 'election' && ev.leader === null && ev.isr.length === 0) return; // offline, nothing claimed
    const replicas = this.names.replicas[p];
    const what = ev.type === 'election' ? `${ev.kind} election of epoch ${ev.leaderEpoch}` : `${ev.type} in epoch ${ev.leaderEpoch}`;
    const isr = `ISR [${ev.isr.join(', ')}], replicas ${this.names.brokerNamesOf(replicas)}`;
    if (ev.isr.length === 0) {
      if (this.emptyIsrAllowed) return;
      this.findings.add(ev.partition, timeUs, `${what} left an empty ${isr}`, 'the ISR keeps at least one member');
      return;
    }
    for (let i = 0; i < ev.isr.length; i++) {
      const member = ev.isr[i];
      const b = this.names.broker(member);
      if (b < 0 || !replicas.includes(b)) {
        this.findings.add(ev.partition, timeUs, `${what}: ${member} is not a replica (${isr})`, 'the ISR is a subset of the assigned replicas');
        return;
      }
      if (ev.isr.indexOf(member) !== i) {
        this.findings.add(ev.partition, timeUs, `${what}: ${member} listed twice (${isr})`, 'the ISR is a set');
        return;
      }
    }
  }

  finish(run: RunView): Violation[] {
    this.names.checkTopology(run.topology);
    return this.findings.violations('ISR outside the assigned replicas');
  }
}
