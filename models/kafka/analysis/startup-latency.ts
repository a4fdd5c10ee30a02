// The produce latency a cluster's own start-up adds: a record sent before the topics' partitions
// had their first leaders waited for them (KafkaProducer's Sender sends a batch only to a known
// leader: RecordAccumulator.ready), a wait a cluster already running would not add. The run
// summary says so when the maximum latency is such a record (run-summary.ts).

import type { TimeUs } from '../../../src/sim/time.ts';
import type { Acks } from '../config/config-entry.ts';
import type { KafkaHistory } from './kafka-history.ts';
import type { ScenarioLookup } from './scenario-lookup.ts';

/**
 * When the last partition of the cluster's start got its first leader (its initial election, no
 * later than the first acknowledgement: a partition create-partitions added later is not the
 * start-up; -1 if none did), and per acks setting the largest latency (µs) of a record sent at or
 * after that.
 */
export function latencyUsMaxAfterStartup(history: KafkaHistory, lookup: ScenarioLookup): { startupUs: TimeUs; byAcks: Map<Acks | 'unknown', number> } {
  let firstAckUs = Infinity;
  history.records.forEachAckLatency((_producer, latencyUs, sendUs) => {
    if (sendUs + latencyUs < firstAckUs) firstAckUs = sendUs + latencyUs;
  });
  let startupUs = -1;
  for (const list of history.electionsByPartition.values()) {
    const first = list[0];
    if (first.event.kind === 'initial' && first.timeUs <= firstAckUs && first.timeUs > startupUs) startupUs = first.timeUs;
  }
  const byAcks = new Map<Acks | 'unknown', number>();
  history.records.forEachAckLatency((producer, latencyUs, sendUs) => {
    if (sendUs < startupUs) return;
    const acks = lookup.producer(producer)?.acks ?? 'unknown';
    if (latencyUs > (byAcks.get(acks) ?? -1)) byAcks.set(acks, latencyUs);
  });
  return { startupUs, byAcks };
}
