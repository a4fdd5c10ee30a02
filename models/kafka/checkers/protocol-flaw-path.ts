// How a protocol-flaw event reads in a verdict: a follower path of an older version that kept or
// put records below what the fixed version would have cut (kafka-events.ts ProtocolFlawEvent,
// broker/replication-flaws.ts). One text for every checker that names one (log-divergence,
// lost-write's causal chain in loss-causes.ts, hw-above-isr-leo), so the same evidence reads the
// same everywhere: which replica, what it did and when, which offsets it kept, what its broker ran
// then, and the fix it lacked with the release that shipped it.

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

/** What the broker ran when it took the path ("Kafka 2.0", "b3 on Kafka 2.0"): the scenario's version, unless upgraded. */
export function flawPathLabel(versions: VersionTimeline, path: FlawPath): string {
  return versions.at(path.timeUs).label(PROTOCOL_FLAW_FIX[path.event.flaw], path.node);
}

/**
 * What the path kept at `offset` went on to the broker's followers: it was elected after the path
 * with its log past the offset (its followers truncate to that log and copy what it holds there),
 * ", then led with it from <time>"; null otherwise. A replica that disagrees at the offset with
 * copies it may have taken from that leader diverges by the same flaw (log-divergence counts a
 * flaw outside the disagreeing pair only then).
 */
export function ledWithKept(elections: readonly { timeUs: number; event: { leader: string | null; leaderLogEndOffset: number } }[], broker: string, offset: number, path: FlawPath): string | null {
  const e = elections.find((x) => x.timeUs > path.timeUs && x.event.leader === broker && x.event.leaderLogEndOffset > offset);
  return e === undefined ? null : `, then led with it from ${formatTimeUs(e.timeUs)} (its followers copied its log there)`;
}
