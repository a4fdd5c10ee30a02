// uncommitted-ack: an acks=all producer got an acknowledgement for an offset no leader had yet
// committed. Under acks=all the leader answers only once the HW has passed the batch (every ISR
// member has it), and it announces the HW (a `hw` event) before the answer leaves, so by the time
// the producer's send-ok arrives some leader of the partition has announced a HW above the acked
// offset. Checked on every send-ok from an acks=all producer against the highest HW ever announced
// for the partition (never lowered, so the check can miss a bug after offsets are reused by an
// unclean election, but never accuses a correct run). An acknowledgement without an offset
// (offset -1) is not checked. Always a breach: the record was acknowledged while possibly on the
// leader alone, and a leader failure loses it although acks=all promised otherwise.
//
// Cost: O(1) per send-ok and HW event.

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { ModelEvent, Violation } from '../../../src/sim/model.ts';
import type { TimeUs } from '../../../src/sim/time.ts';
import type { KafkaEvent, KafkaEventType } from '../kafka-events.ts';
import type { KafkaScenario } from '../scenario/kafka-scenario.ts';
import { InvariantFindings } from './invariant-findings.ts';
import { KafkaNames } from './kafka-names.ts';
import { recordName } from './kafka-terms.ts';

export class UncommittedAckChecker implements Checker {
  readonly name = 'uncommitted-ack';
  /** What onEvent reads (the kernel dispatches by type). */
  readonly eventTypes: readonly KafkaEventType[] = ['hw', 'send-ok'];
  private readonly names: KafkaNames;
  /** Per partition index: the highest HW any leader announced. */
  private readonly highestHw: Float64Array;
  private readonly findings = new InvariantFindings(this.name);

  /** `names`: the run's lookups, shared by its invariants (KafkaNames.partition remembers the last name asked). */
  constructor(scenario: KafkaScenario, names = new KafkaNames(scenario)) {
    this.names = names;
    this.highestHw = new Float64Array(this.names.partitionCount);
  }

  onEvent(timeUs: TimeUs, _node: number, modelEvent: ModelEvent): void {
    const ev = modelEvent as unknown as KafkaEvent;
    if (ev.type === 'hw') {
      const p = this.names.partition(ev.partition);
      if (p >= 0 && ev.hw > this.highestHw[p]) this.highestHw[p] = ev.hw;
      return;
    }
    if (ev.type !== 'send-ok' || ev.offset < 0 || this.names.acksOf(ev.producer) !== 'all') return;
    const p = this.names.partition(ev.partition);
    if (p < 0 || ev.offset + ev.records.length <= this.highestHw[p]) return;
    for (let j = Math.max(0, this.highestHw[p] - ev.offset); j < ev.records.length; j++)
      this.findings.add(
        ev.partition,
        timeUs,
        `${ev.producer} got acks=all for ${recordName(ev.records[j])} at offset ${ev.offset + j} (epoch ${ev.leaderEpoch}) while the highest HW announced was ${this.highestHw[p]}`,
        'acks=all is answered only after the HW passes the batch',
      );
  }

  finish(run: RunView): Violation[] {
    this.names.checkTopology(run.topology);
    return this.findings.violations('acks=all acknowledgement of an uncommitted offset');
  }
}
