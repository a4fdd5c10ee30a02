// How a protocol-flaw event reads in a verdict: a follower path of an older version that kept or
// put records below what the fixed version would have cut (kafka-events.ts ProtocolFlawEvent,
// broker/replication-flaws.ts). One text for every checker that names one (log-divergence,
// lost-write's causal chain in loss-causes.ts, hw-above-isr-leo), so the same evidence reads the
// same everywhere: which replica, what it did and when, which offsets it kept, what the broker
// whose code was flawed ran then (the follower's, or for KAFKA-7415 the answering leader's), and
// the fix it lacked with the release that shipped it.

import { formatTimeUs } from '../../../src/sim/time.ts';
import type { VersionTimeline } from '../analysis/version-timeline.ts';
import type { ProtocolFlawEvent } from '../kafka-events.ts';
import { describeMissingFix, PROTOCOL_FLAW_FIX } from '../version/protocol-features.ts';

/** A protocol-flaw event as the history keeps it (kafka-history.ts protocolFlaws). */
interface FlawPath {
  timeUs: number;
  /** The broker's node (broker index: brokers come first in the topology). */
  node: number;
  event: ProtocolFlawEvent;
}

/** What the follower did on the flawed path, from its broker's name on. */
function pathTaken(broker: string, timeUs: number, ev: ProtocolFlawEvent): string {
  const at = formatTimeUs(timeUs);
  switch (ev.flaw) {
    case 'truncated-to-high-watermark':
      return `${broker}, following the leader of epoch ${ev.leaderEpoch} from ${at}, cut its log only to its high watermark ${ev.logEndOffset}`;
    case 'skipped-truncation':
      return `${broker}, told at ${at} of epoch ${ev.leaderEpoch} by the leader it followed in epoch ${ev.knownLeaderEpoch}, kept its log from offset ${ev.keptFromOffset ?? 0} to its end at ${ev.logEndOffset}`;
    case 'unfenced-fetch':
      return `${broker}, knowing only epoch ${ev.knownLeaderEpoch}, fetched records of epoch ${ev.leaderEpoch} at ${at}, its log then ending at ${ev.logEndOffset}`;
    case 'undefined-epoch-offset':
      return `${broker}, asking the leader of epoch ${ev.leaderEpoch} at ${at} where its epoch ${ev.knownLeaderEpoch} ended, was answered UNDEFINED_EPOCH_OFFSET and cut its log only to its high watermark, keeping offsets ${ev.keptFromOffset ?? 0} to ${ev.logEndOffset} that leader never had there`;
  }
}

/**
 * "b3, knowing only epoch 0, fetched records of epoch 3 at 2.1s, its log then ending at 9 (KIP-320
 * (KAFKA-6880), fixed in Kafka 2.1: without it ...)", with what followed (`consequence`, ", and
 * was elected ...") before the fix.
 */
export function describeFlawPath(path: FlawPath, broker: string, consequence = ''): string {
  return `${pathTaken(broker, path.timeUs, path.event)}${consequence} (${describeMissingFix(PROTOCOL_FLAW_FIX[path.event.flaw])})`;
}

/** An election as the history keeps it (kafka-history.ts ElectionAt): who led which epoch from when. */
interface LeaderElected {
  timeUs: number;
  event: { leader: string | null; leaderEpoch: number };
}

/**
 * The node of the broker whose code took the flawed path (-1: unknown). The follower's own for
 * KIP-101 (its ReplicaFetcherThread truncates to its HW below inter.broker.protocol.version
 * 0.11.0-IV2), KAFKA-7164 (its Partition.makeFollower) and KIP-320 (its fetch request version, from
 * its IBP). For KAFKA-7415 the leader that answered UNDEFINED_EPOCH_OFFSET: 2.0's
 * Partition.lastOffsetForLeaderEpoch calls the leader's LeaderEpochFileCache.endOffsetFor, and the
 * follower's path is the same in every version. That leader led the event's epoch: the last one
 * elected by the flaw's time in an epoch up to it (an ISR shrink or a reassignment may bump the
 * epoch with the same leader). `elections` are the partition's, in time order.
 */
function flawedBrokerNode(versions: VersionTimeline, path: FlawPath, elections: readonly LeaderElected[]): number {
  if (path.event.flaw !== 'undefined-epoch-offset') return path.node;
  let leader: string | null = null;
  for (const e of elections) {
    if (e.timeUs > path.timeUs) break;
    if (e.event.leaderEpoch <= path.event.leaderEpoch) leader = e.event.leader;
  }
  return leader === null ? -1 : versions.brokerIndex(leader);
}

/**
 * What the broker whose code took the path (flawedBrokerNode) ran then ("Kafka 2.0", "b3 on Kafka
 * 2.0"): the scenario's version, unless upgraded; every broker lacking the fix if that one is unknown.
 */
export function flawPathLabel(versions: VersionTimeline, path: FlawPath, elections: readonly LeaderElected[]): string {
  const broker = flawedBrokerNode(versions, path, elections);
  return versions.at(path.timeUs).label(PROTOCOL_FLAW_FIX[path.event.flaw], broker < 0 ? undefined : broker);
}

/**
 * What the path kept at `offset` went on to the broker's followers: it was elected after the path
 * with its log past the offset (its followers truncate to that log and copy what it holds there),
 * ", then led with it from <time>"; null otherwise. A replica that disagrees at the offset with
 * copies it may have taken from that leader diverges by the same flaw (log-divergence counts a
 * flaw outside the disagreeing pair only then).
 */
export function ledWithKept(elections: readonly { timeUs: number; event: { leader: string | null }; epochStartOffset: number; tookOverUs: number | null }[], broker: string, offset: number, path: FlawPath): string | null {
  const e = elections.find((x) => x.timeUs > path.timeUs && x.event.leader === broker && x.epochStartOffset > offset);
  // It led from its become-leader (where its epoch starts), after the controller's decision.
  return e === undefined ? null : `, then led with it from ${formatTimeUs(e.tookOverUs ?? e.timeUs)} (its followers copied its log there)`;
}
