// The "stale ISR expansion + disk loss" composite for `ksim check` (kafka-composites.ts lists it
// beside the cuts): one of a partition's followers leaves the ISR (its controlled shutdown) and
// comes back; as it catches up, the leader's AlterPartition taking it back into the ISR is held on
// its way to the active controller; inside that hold the follower loses its disk and restarts
// empty, cut from the leader so it cannot fetch again; the held AlterPartition then arrives, and
// the leader's controlled shutdown hands the leadership to the first replica of the ISR. A nemesis that delays the ISR change a
// leader asked for while the replica it names restarts empty asks whether the controller checks
// that the replica is still the incarnation that caught up: KIP-903 (Kafka 3.5, KRaft:
// AlterPartition v3 carries each new member's broker epoch, ReplicationControlManager rejects a
// stale one); before it, the emptied follower is in the ISR and elected with nothing. The
// follower must be out of the ISR before the hold: its removal from a KRaft ISR bumps the
// partition epoch before 3.6 (KAFKA-15021), which would fence an expansion sent before it. Drawn
// apart, five parts of the right order and lengths come together about never.
//
// Timing, relative to the broker's session with the controller (broker.session.timeout.ms in
// KRaft, zookeeper.session.timeout.ms in ZooKeeper mode): the follower is down a drawn share of it;
// the hold starts a little before its restart and lasts well under the session (longer, and
// the leader's held heartbeats fence it); the disk loss comes inside the hold and is short; the
// cut from the leader lasts from the disk loss to the window's end; the leader leaves a drawn
// share after the hold ends (its controlled shutdown). Parts shrink away as the other composites' do, then shorter and
// earlier.

import type fc from 'fast-check';
import type { Fault } from '../../../src/faults/fault.ts';
import type { CompositeDraw, ExploredOperation } from '../../../src/scenario/model-exploration.ts';
import type { FocusCompositeSpace } from './kafka-composite-space.ts';

/** The shares of the session, in thousandths, of each part (a 12 s window holds them all with a 9 s session). */
const PER_MILLE = {
  /** The follower's controlled shutdown: out of the ISR, back soon. */
  down: { min: 50, max: 300 },
  /**
   * How long before its restart the hold starts: the leader asks for the expansion as soon as the
   * restarted follower caught up, a few fetches after the restart; a hold starting later misses it.
   */
  lead: { min: 0, max: 100 },
  /** The hold: well under the session, or the leader's held heartbeats fence it. */
  hold: { min: 200, max: 600 },
  /** The disk loss's restart. */
  loss: { min: 10, max: 100 },
  /** From the hold's end to the leader's exit: the held expansion committed. */
  gap: { min: 10, max: 200 },
} as const;

/** Where in the hold the disk is lost, in thousandths of it: after the follower caught up. */
const LOSS_IN_HOLD_PER_MILLE = { min: 200, max: 800 } as const;

/** The earliest start, in thousandths of the window: the roles exist once the first leaders are elected. */
const START_PER_MILLE_MIN = 50;

/** The composite's arbitrary; null when the run has no focus partition. */
export function staleExpansionArbitrary(space: FocusCompositeSpace, sessionMs: number): fc.Arbitrary<CompositeDraw> | null {
  const { fc, windowMs, partitions, on } = space;
  if (partitions.length === 0 || windowMs < 16) return null;
  const perMille = (r: { min: number; max: number }) => fc.integer(r);
  const p = PER_MILLE;
  return fc
    .tuple(
      fc.tuple(on, on, on, on, on),
      fc.constantFrom(...partitions),
      fc.integer({ min: 0, max: 1000 }),
      fc.tuple(perMille(p.down), perMille(p.lead), perMille(p.hold), perMille(p.loss), perMille(p.gap), perMille(LOSS_IN_HOLD_PER_MILLE)),
      space.lasting,
    )
    .map(([parts, partition, atPerMille, shares, exitMs]) => draw(windowMs, sessionMs, parts, partition, atPerMille, shares, exitMs));
}

type Parts = [down: boolean, hold: boolean, loss: boolean, cut: boolean, exit: boolean];

/** The parts placed in the window: shares of the session scaled down together when they do not fit. */
function draw(windowMs: number, sessionMs: number, parts: Parts, p: string, atPerMille: number, shares: number[], exitMs: number): CompositeDraw {
  const [withDown, withHold, withLoss, withCut, withExit] = parts;
  const startMs = Math.floor((windowMs * START_PER_MILLE_MIN) / 1000);
  const roomMs = windowMs - 2 - startMs;
  const [downMs, leadMs, holdMs, lossMs, gapMs] = shares.slice(0, 5).map((s) => Math.max(1, Math.floor((sessionMs * s) / 1000)));
  const spanMs = downMs + holdMs + gapMs;
  const scale = spanMs > roomMs ? roomMs / spanMs : 1;
  const [down, hold, gap] = [downMs, holdMs, gapMs].map((ms) => Math.max(1, Math.floor(ms * scale)));
  const atMs = startMs + Math.floor((Math.max(0, roomMs - (down + hold + gap)) * atPerMille) / 1000);
  // The hold starts before the restart (by at most half the shutdown), so the expansion is held.
  const holdAtMs = atMs + down - Math.min(Math.floor(leadMs * scale), Math.floor(down / 2));
  const lossAtMs = holdAtMs + Math.floor((hold * shares[5]) / 1000);
  const exitAtMs = Math.min(holdAtMs + hold + gap, windowMs - 2);
  const until = (at: number, ms: number) => Math.max(1, Math.min(ms, windowMs - at));
  const follower = `@follower:${p}`;
  const leader = `@leader:${p}`;
  const faults: Fault[] = [];
  const operations: ExploredOperation[] = [];
  if (withDown) operations.push({ atMs, kind: 'controlled-shutdown', broker: follower, durationMs: down });
  if (withHold) faults.push({ atMs: holdAtMs, kind: 'hold', from: leader, to: '@active-controller', durationMs: hold });
  if (withLoss) faults.push({ atMs: lossAtMs, kind: 'disk-loss', node: follower, durationMs: until(lossAtMs, Math.floor(lossMs * scale)) });
  if (withCut) faults.push({ atMs: lossAtMs, kind: 'partition', groups: [[follower], [leader]], durationMs: Math.max(1, windowMs - 2 - lossAtMs) });
  // The exit is an operation, not a crash: a crash waits out the session before the election, and
  // the composite's three faults leave room for one more of the run's (faultsMax 4).
  if (withExit) operations.push({ atMs: exitAtMs, kind: 'controlled-shutdown', broker: leader, durationMs: until(exitAtMs, exitMs) });
  return { faults, operations };
}
