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
// Timing, relative to the session timeout (zookeeper.session.timeout.ms in ZooKeeper mode,
// broker.session.timeout.ms in KRaft): the leader's cut starts a little after the follower's (so
// the follower's session expires first and the controller elects the other follower) and lasts
// just past the session; the shutdown comes a drawn share of the session after it heals (the old
// leader back in the ISR); the follower's cut lasts past the shutdown. Parts shrink away as the
// other composites' do, then shorter and earlier.

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
/** The leader's cut, in thousandths of the session: past its expiry, not much further. */
const LEADER_CUT_PER_MILLE = { min: 1050, max: 1250 } as const;
/** From the leader's heal to the shutdown, in thousandths of the session: time to rejoin the ISR. */
const GAP_PER_MILLE = { min: 100, max: 500 } as const;
/**
 * The earliest start, in thousandths of the window: the cuts aim at the partition's leader and a
 * follower, which exist only once the cluster elected its first leaders.
 */
const START_PER_MILLE_MIN = 50;
/** How long the follower's cut outlasts the shutdown, in thousandths of the session. */
const AFTER_PER_MILLE = { min: 50, max: 1000 } as const;

/** The composite's arbitrary; null when the run has no focus partition or the cluster no controller. */
export function zombieReplicaArbitrary(space: ZombieSpace, sessionMs: number): fc.Arbitrary<CompositeDraw> | null {
  const { fc, windowMs, partitions, controllers } = space;
  if (partitions.length === 0 || controllers.length === 0 || windowMs < 8) return null;
  const perMille = (r: { min: number; max: number }) => fc.integer(r);
  return fc
    .tuple(
      fc.tuple(space.on, space.on, space.on),
      fc.constantFrom(...partitions),
      fc.integer({ min: 0, max: 1000 }),
      fc.tuple(perMille({ min: 0, max: LEAD_PER_MILLE_MAX }), perMille(LEADER_CUT_PER_MILLE), perMille(GAP_PER_MILLE), perMille(AFTER_PER_MILLE)),
      space.lasting,
    )
    .map(([[withFollowerCut, withLeaderCut, withShutdown], p, atPerMille, shares, shutdownMs]): CompositeDraw => {
      const startMs = Math.floor((windowMs * START_PER_MILLE_MIN) / 1000);
      const [leadMs, leaderCutMs, gapMs, afterMs] = fitted(shares.map((s) => Math.max(1, Math.floor((sessionMs * s) / 1000))), windowMs - 2 - startMs);
      const spanMs = leadMs + leaderCutMs + gapMs + afterMs;
      const atMs = startMs + Math.floor((Math.max(0, windowMs - 2 - startMs - spanMs) * atPerMille) / 1000);
      const shutdownAtMs = atMs + leadMs + leaderCutMs + gapMs;
      const follower: Fault = { atMs, kind: 'partition', groups: [[`@follower:${p}`], [...controllers]], durationMs: spanMs };
      const leader: Fault = { atMs: atMs + leadMs, kind: 'partition', groups: [[`@leader:${p}`], [...controllers]], durationMs: leaderCutMs };
      const shutdown: ExploredOperation = { atMs: shutdownAtMs, kind: 'controlled-shutdown', broker: `@leader:${p}`, durationMs: Math.max(1, Math.min(shutdownMs, windowMs - shutdownAtMs)) };
      return { faults: [...(withFollowerCut ? [follower] : []), ...(withLeaderCut ? [leader] : [])], operations: withShutdown ? [shutdown] : [] };
    });
}

/**
 * The parts' lengths [lead, leader's cut, gap, after] fitted in `roomMs`: what is left after the
 * leader's cut is shortened first (after, then gap, then lead), then the cut itself. Each at least 1.
 */
function fitted([leadMs, cutMs, gapMs, afterMs]: number[], roomMs: number): number[] {
  let over = leadMs + cutMs + gapMs + afterMs - roomMs;
  const take = (ms: number) => {
    const cut = Math.max(0, Math.min(over, ms - 1));
    over -= cut;
    return ms - cut;
  };
  const after = take(afterMs);
  const gap = take(gapMs);
  const lead = take(leadMs);
  return [lead, take(cutMs), gap, after];
}
