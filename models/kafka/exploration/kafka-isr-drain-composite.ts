// The "ISR drain + leader power loss" composite for `ksim check` (kafka-composites.ts lists it
// beside the cuts): a partition's followers leave its ISR one at a time until the leader is alone
// in it, then the leader loses power (its page cache, so the unflushed tail of its log) and comes
// back. A nemesis that takes replicas out one by one and then pulls the plug on the last one
// standing asks what the controller elects next: before Eligible Leader Replicas (KIP-966, KRaft,
// on by default from 4.1) the leader is the only ISR member and is elected again with what its
// disk kept, though the follower that left the ISR last, below min.insync.replicas, still holds
// every record acknowledged before it left (KIP-966's "last replica standing"); with ELR that
// follower is elected instead. Under min.insync.replicas=1 the leader alone acknowledges once the
// ISR is drained, and the power loss burns every in-sync copy (a loss the fault load permits).
// Drawn apart, two exits of the right followers and a power loss of the right broker late enough
// come together about once in a few thousand runs.
//
// A follower leaves in one of two ways, drawn once for both (Kafka's two ways out of an ISR):
// - by its controlled shutdown (ReplicationControlManager.handleBrokerShutdown takes it out of
//   every ISR at once, below min.insync.replicas too: what ELR was made for), aimed at
//   `@in-sync-follower` so the second names the follower still in the ISR (kafka-roles.ts);
// - by a cut from the leader outlasting replica.lag.time.max.ms (Partition.maybeShrinkIsr, which
//   the leader runs every half lag): the first follower cut from the leader, then the leader cut
//   from both followers (the second cut holds whatever the first did by then).
// Either way the followers stay out to the window's end, past the leader's return: only the
// controller's choice of leader brings them back.
//
// Timing, relative to replica.lag.time.max.ms (the scenario's own, or a value exploration may give
// it in the run: a run whose lag fits the window can shrink its ISR by cuts): each follower's exit
// comes a drawn 1.6-2.5 lags after the one before (past the lag, and past the ISR check after it),
// the power loss the same after the second exit; the gaps are scaled down together when they do
// not fit the window (a shutdown takes its follower out at once, whatever the lag). The power loss
// lasts a duration drawn around the scenario's timeouts (the broker's session, say), inside the
// window. Parts shrink away as the other composites' do (without the first exit it is the leader
// cut from its followers, then its power loss), then earlier.

import type fc from 'fast-check';
import type { Fault } from '../../../src/faults/fault.ts';
import type { CompositeDraw, ExploredOperation } from '../../../src/scenario/model-exploration.ts';
import type { FocusCompositeSpace } from './kafka-composite-space.ts';

/** How the followers leave the ISR; the first is where shrinking goes. */
type Exit = 'shutdown' | 'cut';

/**
 * How much likelier shutdown exits are than cuts: a shutdown takes its follower out whatever the
 * run's lag, a cut only when the run's own replica.lag.time.max.ms is short enough to be outlasted
 * inside the window (exploration gives it a short value in about half the runs). Drawn alone in
 * the runs of fast-check seeds 1-3 (150 runs each), cut exits found KIP-966 on 4.0 in 5 of 13
 * draws and the burned in-sync copies in 4 of 10; shutdown exits in 8 of 13 and 8 of 8.
 */
const SHUTDOWN_WEIGHT = 2;

/** Each gap (exit to exit, exit to power loss), in thousandths of the lag: past it and the ISR check after it. */
const GAP_PER_MILLE = { min: 1600, max: 2500 } as const;

/** The earliest start, in thousandths of the window: the roles exist once the first leaders are elected. */
const START_PER_MILLE_MIN = 50;

/** The share of the window left after the power loss starts, at least (in thousandths): the leader's return inside it. */
const AFTER_PER_MILLE_MIN = 50;

/**
 * The composite's arbitrary; null when the run has no focus partition. `lagsMs`: the values
 * replica.lag.time.max.ms may have in a run (the scenario's own, and exploration's).
 */
export function isrDrainArbitrary(space: FocusCompositeSpace, lagsMs: readonly number[]): fc.Arbitrary<CompositeDraw> | null {
  const { fc, windowMs, partitions, on } = space;
  if (partitions.length === 0 || lagsMs.length === 0 || windowMs < 40) return null;
  const gap = fc.integer(GAP_PER_MILLE);
  return fc
    .tuple(fc.tuple(on, on, on), fc.constantFrom(...partitions), fc.oneof({ arbitrary: fc.constant<Exit>('shutdown'), weight: SHUTDOWN_WEIGHT }, { arbitrary: fc.constant<Exit>('cut'), weight: 1 }), fc.integer({ min: 0, max: 1000 }), fc.constantFrom(...lagsMs), gap, gap, space.lasting)
    .map(([parts, p, exit, atPerMille, lagMs, gap1, gap2, lossMs]) => draw(windowMs, parts, p, exit, atPerMille, [(lagMs * gap1) / 1000, (lagMs * gap2) / 1000], lossMs));
}

/** The parts placed in the window: the two gaps scaled down together when they do not fit. */
function draw(windowMs: number, parts: [boolean, boolean, boolean], p: string, exit: Exit, atPerMille: number, gapsMs: number[], lossMs: number): CompositeDraw {
  const [withFirst, withSecond, withLoss] = parts;
  const startMs = Math.floor((windowMs * START_PER_MILLE_MIN) / 1000);
  const roomMs = windowMs - 2 - startMs - Math.floor((windowMs * AFTER_PER_MILLE_MIN) / 1000);
  const spanMs = gapsMs[0] + gapsMs[1];
  const scale = spanMs > roomMs ? roomMs / spanMs : 1;
  const [gap1, gap2] = gapsMs.map((ms) => Math.max(1, Math.floor(ms * scale)));
  const firstAtMs = startMs + Math.floor((Math.max(0, roomMs - gap1 - gap2) * atPerMille) / 1000);
  const secondAtMs = firstAtMs + gap1;
  const lossAtMs = secondAtMs + gap2;
  const leader = `@leader:${p}`;
  const faults: Fault[] = [];
  const operations: ExploredOperation[] = [];
  // Out to the window's end: past the leader's return, so only the controller's choice brings them back.
  const toEnd = (atMs: number) => Math.max(1, windowMs - 2 - atMs);
  const leave = (atMs: number, second: boolean) => {
    if (exit === 'shutdown') operations.push({ atMs, kind: 'controlled-shutdown', broker: `@in-sync-follower:${p}`, durationMs: toEnd(atMs) });
    else faults.push({ atMs, kind: 'partition', groups: second ? [[leader], [`@followers:${p}`]] : [[`@in-sync-follower:${p}`], [leader]], durationMs: toEnd(atMs) });
  };
  if (withFirst) leave(firstAtMs, false);
  if (withSecond) leave(secondAtMs, true);
  if (withLoss) faults.push({ atMs: lossAtMs, kind: 'power-loss', node: leader, durationMs: Math.max(1, Math.min(lossMs, windowMs - 2 - lossAtMs)) });
  return { faults, operations };
}
