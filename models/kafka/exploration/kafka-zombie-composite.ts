// The "zombie replica + leader round trip" composite for `ksim check` (kafka-composites.ts lists it
// beside the cuts): one of a partition's followers is cut from the controllers (ZooKeeper, or the
// KRaft quorum) and stays cut while the leadership goes away and comes back: the leader is cut
// from the controllers too, just past the session with them, so the controller elects the other
// follower while the old leader goes on serving as a zombie, the cut follower still fetching from
// it; once the leader's cut heals it follows the new leader, and the new leader's controlled
// shutdown hands the leadership back to it. The cut follower heard of neither change. A nemesis
// that partitions replicas from the coordination service while leaders move asks whether a
// replica that missed leader epochs is fenced (KIP-320, KAFKA-6880: fetches carry the leader
// epoch) and truncates when told of a later epoch under the same leader (KAFKA-7164); in KRaft a
// fenced broker that still replicates. Drawn apart, two cuts of the right lengths and a shutdown
// after the first one heals come together about once in many thousand runs.
//
// The missed-epoch variant (its own composite kind) adds a fourth part: from the shutdown on, the
// out-of-sync replica (the cut follower: its session expired, the old leader is back in the ISR)
// is cut from the partition's other replicas too, until a while after its cut from the controllers
// heals. It then hears of the old leader's new epoch from the controller before it can fetch, holding
// the zombie leader's records the old leader truncated: before Kafka 2.0.1 it keeps them
// (Partition.makeFollower skips truncation under the same leader, KAFKA-7164). Without the fourth
// part it fetches first, unfenced (KIP-320), and the two flaws' findings would shadow each other.
//
// Timing, relative to the session timeout (zookeeper.session.timeout.ms in ZooKeeper mode,
// broker.session.timeout.ms in KRaft): the leader's cut starts a little after the follower's (so
// the follower's session expires first and the controller elects the other follower) and lasts
// just past the session; the shutdown comes a drawn share of the session after it heals (the old
// leader back in the ISR; without the missed-epoch part, also past the zombie's writes, so the
// unfenced fetch lands above them); the follower's cut lasts past the shutdown, and its cut from the replicas
// (missed epoch) past that. Parts shrink away as the other composites' do, then shorter and earlier.

import type fc from 'fast-check';
import type { Fault } from '../../../src/faults/fault.ts';
import type { CompositeDraw, ExploredOperation } from '../../../src/scenario/model-exploration.ts';

/** What the composite draws from: the run's window, the focus partitions, the controllers, its parts' presence. */
interface ZombieSpace {
  fc: typeof fc;
  windowMs: number;
  /** Focus partitions by name ("orders-0"). */
  partitions: readonly string[];
  /** The controllers' node names (the ZooKeeper ensemble or the KRaft quorum). */
  controllers: readonly string[];
  /** A part's presence (on as drawn, shrinking to off). */
  on: fc.Arbitrary<boolean>;
  /** Durations around the scenario's timeouts, for the shutdown's length. */
  lasting: fc.Arbitrary<number>;
}

/** The follower's head start, at most, in thousandths of the session: its session expires first. */
const LEAD_PER_MILLE_MAX = 50;
/**
 * The leader's cut, in thousandths of the session: past its expiry (the controller checks sessions
 * every 100 ms, and the last ping it heard came at or before the cut), not much further: the old
 * leader serves as a zombie from its expiry until it hears of the new leader, a while after the
 * heal, and the cut follower copies what it takes. From 1.05-1.25 to 1.03-1.12 with the round trip's
 * gap below, KIP-320 on 2.0 went from 49 to 78 of 80 draws alone; KAFKA-7164's from 70 to 72.
 */
const LEADER_CUT_PER_MILLE = { min: 1030, max: 1120 } as const;
/**
 * From the leader's heal to the shutdown, in thousandths of the session: time to rejoin the ISR
 * (re-registered, told of the new epoch, truncated, caught up). Under a second (from 0.1 of a 6 s
 * session, as it was) the old leader was mostly still out of it, and the shutdown had nobody to
 * hand the leadership to: 6 of 20 draws found KIP-320 on 2.0, 14 of 20 from 0.25.
 */
const GAP_PER_MILLE = { min: 250, max: 600 } as const;
/**
 * The same gap without the missed-epoch part: the cut follower fetches from the old leader the
 * moment it leads again, unfenced, at the end of its own log, which holds the zombie's records.
 * Only when the old leader's log reaches that far by then (it came back with the new leader's,
 * who took writes from the heal on, while the zombie took them from the expiry to a while after
 * the heal) does the fetch append above them; a shorter log answers it out of range, and the
 * follower truncates to it first. From the heal, past the zombie's time (the cut's excess over
 * the session, a heartbeat interval, the reconnection after it) and as long again.
 */
const ROUND_TRIP_GAP_PER_MILLE = { min: 600, max: 900 } as const;
/**
 * The earliest start, in thousandths of the window: the cuts aim at the partition's leader and a
 * follower, which exist only once the cluster elected its first leaders.
 */
const START_PER_MILLE_MIN = 50;
/**
 * How long the follower's cut from the controllers outlasts the shutdown, in thousandths of the
 * session: a sixth of it at least. The window is short beside the composite's span (12 s on
 * check-small against a 6 s session), so fitted() shortens this part first, down to its floor; from
 * 0.05 (300 ms), the missed-epoch draws alone in the generated runs of fast-check seeds 1-120 on
 * Kafka 2.0 (acks=1) found KAFKA-7164 in 354 of 405, from 0.17 in 402 of the same 405 draws (every
 * draw that found it before still does); the round trip's KIP-320, 259 and 262 of 292.
 */
const AFTER_PER_MILLE = { min: 170, max: 1000 } as const;

/** How long the follower's cut from the replicas outlasts its cut from the controllers (missed epoch), in thousandths of the session. */
const REJOIN_PER_MILLE = { min: 150, max: 600 } as const;

/**
 * The composite's arbitrary; null when the run has no focus partition or the cluster no controller.
 * With `missedEpoch`, the follower is also cut from the partition's other replicas from the
 * shutdown on, until after its cut from the controllers heals: it hears of the leader's new epoch
 * from the controller before it fetches again (KAFKA-7164), not from an unfenced fetch (KIP-320).
 */
export function zombieReplicaArbitrary(space: ZombieSpace, sessionMs: number, missedEpoch = false): fc.Arbitrary<CompositeDraw> | null {
  const { fc, windowMs, partitions, controllers } = space;
  if (partitions.length === 0 || controllers.length === 0 || windowMs < 8) return null;
  const perMille = (r: { min: number; max: number }) => fc.integer(r);
  const gap = missedEpoch ? GAP_PER_MILLE : ROUND_TRIP_GAP_PER_MILLE;
  return fc
    .tuple(
      fc.tuple(space.on, space.on, space.on, missedEpoch ? space.on : fc.constant(false)),
      fc.constantFrom(...partitions),
      fc.integer({ min: 0, max: 1000 }),
      fc.tuple(perMille({ min: 0, max: LEAD_PER_MILLE_MAX }), perMille(LEADER_CUT_PER_MILLE), perMille(gap), perMille(AFTER_PER_MILLE), missedEpoch ? perMille(REJOIN_PER_MILLE) : fc.constant(0)),
      space.lasting,
    )
    .map(([[withFollowerCut, withLeaderCut, withShutdown, withReplicaCut], p, atPerMille, shares, shutdownMs]): CompositeDraw => {
      const startMs = Math.floor((windowMs * START_PER_MILLE_MIN) / 1000);
      const ofSession = (s: number) => Math.max(1, Math.floor((sessionMs * s) / 1000));
      // Each part keeps its least share when the window is short: shorter, the old leader is not
      // back in the ISR by the shutdown, or the follower hears of the shutdown's epoch before the old
      // leader is elected, or (missed epoch) fetches before it hears of it.
      const floors = [0, 1, gap.min, AFTER_PER_MILLE.min, missedEpoch ? REJOIN_PER_MILLE.min : 0].map(ofSession);
      const [leadMs, leaderCutMs, gapMs, afterMs, rejoinMs] = fitted([...shares.slice(0, 4).map(ofSession), missedEpoch ? ofSession(shares[4]) : 0], floors, windowMs - 2 - startMs);
      const spanMs = leadMs + leaderCutMs + gapMs + afterMs;
      const atMs = startMs + Math.floor((Math.max(0, windowMs - 2 - startMs - spanMs - rejoinMs) * atPerMille) / 1000);
      const shutdownAtMs = atMs + leadMs + leaderCutMs + gapMs;
      const follower: Fault = { atMs, kind: 'partition', groups: [[`@follower:${p}`], [...controllers]], durationMs: spanMs };
      const leader: Fault = { atMs: atMs + leadMs, kind: 'partition', groups: [[`@leader:${p}`], [...controllers]], durationMs: leaderCutMs };
      // By the shutdown the old leader is back in the ISR and the cut follower is not: the one replica out of it.
      const replicas: Fault = { atMs: shutdownAtMs, kind: 'partition', groups: [[`@out-of-sync:${p}`], [`@leader:${p}`, `@followers:${p}`]], durationMs: afterMs + rejoinMs };
      const shutdown: ExploredOperation = { atMs: shutdownAtMs, kind: 'controlled-shutdown', broker: `@leader:${p}`, durationMs: Math.max(1, Math.min(shutdownMs, windowMs - shutdownAtMs)) };
      const faults = [...(withFollowerCut ? [follower] : []), ...(withLeaderCut ? [leader] : []), ...(withReplicaCut ? [replicas] : [])];
      return { faults, operations: withShutdown ? [shutdown] : [] };
    });
}

/**
 * The parts' lengths [lead, leader's cut, gap, after, rejoin] fitted in `roomMs`: what is left
 * after the leader's cut is shortened first (after, then gap, then lead, then rejoin), each down to
 * its floor, then the cut itself (to 1).
 */
function fitted(lengths: number[], floors: number[], roomMs: number): number[] {
  let over = lengths.reduce((a, b) => a + b, 0) - roomMs;
  const out = [...lengths];
  for (const i of [3, 2, 0, 4, 1]) {
    const cut = Math.max(0, Math.min(over, out[i] - (i === 1 ? 1 : floors[i])));
    over -= cut;
    out[i] -= cut;
  }
  return out;
}
