// Unavailability as each producer felt it: the time it had a send waiting (pending-sends.ts: from
// KafkaProducer.send() to its callback) on a partition no leader served to that producer
// (partition-availability.ts, the producer's own object: cut off alone from a leader that serves
// other writers counts for it). The partition-side figure (availability-summary.ts) counts a
// partition unserved to its writers whether or not any had something to send: a producer that
// sends at 1 s and 2 s and idles through a 15 s outage felt none of it. This figure looks at
// availability from the client's operations, as Jepsen's Kafka test (jepsen.tests.kafka) does
// through their latency and failures, reduced to time: the part of the partition-side time that a
// send spent waiting. It is at most the time the producer had sends waiting; a send waits at most
// delivery.timeout.ms, then fails (a new one waits again). A producer felt at most its partitions' partition-side time,
// unless it alone was cut off from a leader (or its connection alone held behind another
// partition's request) while the leader served other writers of its kind.
//
// Over several partitions a producer's figure is the union in time: waiting on two unserved
// partitions at once is one stretch of unavailability, not two.

import { US_PER_MS } from '../../../src/sim/time.ts';
import type { Acks } from '../config/config-entry.ts';
import type { ClusterAvailability } from './cluster-availability.ts';
import type { PendingSends } from './pending-sends.ts';
import type { ScenarioLookup } from './scenario-lookup.ts';
import { intersection, lengthOf, lengthOfUnion, union, type EdgeColumn } from './time-spans.ts';

/** One producer that sent something: the time it had sends waiting, and the part of it no leader served it. */
export interface ProducerUnavailabilityRow {
  producer: string;
  acks: Acks | 'unknown';
  /** Time with at least one send waiting for its callback, over every partition it sent to. */
  sendsWaitingMs: number;
  /** Of sendsWaitingMs: with a send waiting on a partition no leader served to this producer. */
  unavailableMs: number;
  /** Partitions on which it so waited for some time. */
  partitionsUnavailable: number;
  /** A send still waiting at the end of the run on a partition then unserved to it. */
  unavailableAtEnd: boolean;
}

export function summarizeProducerUnavailability(pending: PendingSends, availability: ClusterAvailability, lookup: ScenarioLookup): ProducerUnavailabilityRow[] {
  const endUs = pending.endUs;
  const rows: ProducerUnavailabilityRow[] = [];
  for (const producer of [...pending.producers()].sort()) {
    // Read where pending-sends keeps them (a span for most sends of a long run), never copied.
    const waitingSpans: EdgeColumn[] = [];
    const unservedSpans: number[] = [];
    let partitionsUnavailable = 0;
    let unavailableAtEnd = false;
    for (const [partition, sends] of pending.spansOf(producer)) {
      waitingSpans.push(sends.edges);
      const own = availability.partitions.get(partition)?.writers.get(producer);
      if (own === undefined) continue; // never led, or a producer the scenario does not list
      const felt = intersection(sends.edges, own.unavailableSpans);
      if (felt.length === 0) continue;
      partitionsUnavailable++;
      for (const edge of felt) unservedSpans.push(edge);
      if (felt[felt.length - 1] >= endUs && pending.waitingAtEnd(producer, partition)) unavailableAtEnd = true;
    }
    rows.push({
      producer,
      acks: lookup.producer(producer)?.acks ?? 'unknown',
      sendsWaitingMs: lengthOfUnion(waitingSpans) / US_PER_MS,
      unavailableMs: lengthOf(union(unservedSpans)) / US_PER_MS,
      partitionsUnavailable,
      unavailableAtEnd,
    });
  }
  return rows;
}
