// The "replica bounce + leader failure" composite for `ksim check` (kafka-composites.ts lists it
// beside the cuts): one of a partition's replicas loses power or its disk and restarts faster than
// the controller's session with it expires, then the partition's leader fails before the
// controller would have noticed the bounce. A nemesis that kills a node, restarts it at once and
// then kills the leader asks whether a restarted replica is trusted before it caught up: Kafka's
// controller must handle a fast bounce as a failure (KIP-380, broker epochs in ZooKeeper mode;
// KRaft's registration with a new broker epoch), or the restarted replica stays in the ISR with
// the log its disk kept and may be elected with it. Drawn apart, a restart shorter than
// zookeeper.session.timeout.ms and a leader failure inside that window rarely come together.
//
// The bounce is a power loss (the page cache's unflushed tail gone) or a disk loss (the volume
// replaced, the broker back empty), drawn: a replica that restarts with what it had loses nothing
// when the controller misses its bounce, and under log.flush.interval.messages=1 a power loss
// loses nothing either, where a disk loss still does.
//
// Timing, relative to the session timeout (zookeeper.session.timeout.ms in ZooKeeper mode,
// broker.session.timeout.ms in KRaft): the bounce lasts a drawn share of it (the process is back
// before the session expires), and the leader fails a drawn share of it after the restart.
// Shrinks as the other composites do: without the failure, without the bounce, then shorter and
// earlier. The bounce starts once the first leaders are elected (its roles name nobody before).

import type fc from 'fast-check';
import type { Fault } from '../../../src/faults/fault.ts';
import type { CompositeDraw } from '../../../src/scenario/model-exploration.ts';
import { recoveryGraceUs } from '../checkers/liveness-after-heal.ts';
import { metadataModeOf, planKafkaScenario } from '../scenario/build-kafka-scenario.ts';
import type { KafkaScenario } from '../scenario/kafka-scenario.ts';
import type { KafkaScenarioInput } from '../scenario/kafka-scenario-schema.ts';
import { controllerSessionTimeoutMs } from './fault-targeting.ts';

/** What the composite draws from: the run's window, the focus partitions, its parts' presence and lengths. */
interface BounceSpace {
  fc: typeof fc;
  windowMs: number;
  /** Focus partitions by name ("orders-0"). */
  partitions: readonly string[];
  /** A part's presence (on as drawn, shrinking to off). */
  on: fc.Arbitrary<boolean>;
}

/** The broker's session with the controller: how long a bounce may last unnoticed by the session alone. */
export function brokerSessionTimeoutMs(config: unknown): number {
  const s = config as KafkaScenarioInput;
  return controllerSessionTimeoutMs(s.metadataMode, planKafkaScenario(s).brokerConfig);
}

/**
 * Whether a run of the scenario may judge liveness-after-heal after this composite: it lasts the
 * recovery grace (liveness-after-heal.ts) past the earliest end of the leader's failure (from the
 * earliest start, the shortest failure). A leader's missed bounce shows only there, so a shorter
 * run bounces followers only: on check-small (20 s), none of the leader's bounces drawn alone on
 * Kafka 2.1 found anything (0 of 3, settings pinned as ksim check pins them), where the follower's
 * found KIP-380 in 13 of 13.
 */
export function livenessJudgedAfter(config: unknown, windowMs: number): boolean {
  const s = config as KafkaScenarioInput;
  const plan = planKafkaScenario(s);
  const graceUs = recoveryGraceUs({ metadataMode: metadataModeOf(s), brokerConfig: plan.brokerConfig } as unknown as KafkaScenario);
  const sessionMs = controllerSessionTimeoutMs(metadataModeOf(s), plan.brokerConfig);
  const earliestEndMs = Math.floor((windowMs * START_PER_MILLE_MIN) / 1000) + Math.floor((sessionMs * FAILURE_PER_MILLE.min) / 1000);
  return (s.durationMs ?? 0) * 1000 >= earliestEndMs * 1000 + graceUs;
}

/** How the replica bounces; the first is where shrinking goes. */
const BOUNCES = ['power-loss', 'disk-loss'] as const;

/**
 * How much likelier the follower's bounce is than the leader's: a follower that comes back without
 * what it lost stays in the ISR and may be elected with it (a loss, in any run), where a leader's
 * missed bounce leaves its partitions unavailable (found by liveness-after-heal only in a run long
 * enough to judge it, a minute or more) until the leader's failure moves them.
 */
const FOLLOWER_WEIGHT = 3;

/** The earliest start, in thousandths of the window: the roles exist once the first leaders are elected. */
const START_PER_MILLE_MIN = 50;

/** The shares (in thousandths) of the session timeout a bounce lasts, at most. */
const BOUNCE_PER_MILLE_MAX = 500;
/** The gap from the restart to the leader's failure, at most, in thousandths of what is left of the session the bounce began in. */
const GAP_PER_MILLE_MAX = 500;
/** How long the leader's failure lasts, in thousandths of the session timeout: past its expiry (the controller acts on it). */
const FAILURE_PER_MILLE = { min: 1100, max: 2000 } as const;

/** The composite's arbitrary; null when the run has no focus partition. `leaderBounces`: the leader's bounce drawn too (livenessJudgedAfter). */
export function replicaBounceArbitrary(space: BounceSpace, sessionMs: number, leaderBounces = true): fc.Arbitrary<CompositeDraw> | null {
  const { fc, windowMs, partitions } = space;
  if (partitions.length === 0 || windowMs < 4) return null;
  const perMille = (min: number, max: number) => fc.integer({ min, max });
  return fc
    .tuple(
      fc.tuple(space.on, space.on, fc.constantFrom(...BOUNCES)),
      fc.constantFrom(...partitions),
      perMille(0, 1000),
      leaderBounces ? fc.oneof({ arbitrary: fc.constant('follower'), weight: FOLLOWER_WEIGHT }, { arbitrary: fc.constant('leader'), weight: 1 }) : fc.constant('follower'),
      perMille(1, BOUNCE_PER_MILLE_MAX),
      perMille(0, GAP_PER_MILLE_MAX),
      perMille(FAILURE_PER_MILLE.min, FAILURE_PER_MILLE.max),
    )
    .map(([[withFailure, withBounce, kind], p, atPerMille, role, bouncePerMille, gapPerMille, failurePerMille]): CompositeDraw => {
      const share = (perMilleOf: number, ms: number) => Math.max(1, Math.floor((ms * perMilleOf) / 1000));
      const bounceMs = share(bouncePerMille, sessionMs);
      // After the restart, before the session the bounce began in would have expired.
      const gapMs = share(gapPerMille, Math.max(1, sessionMs - bounceMs));
      // The failure ends inside the window (at most half of it), and starts anywhere that leaves
      // room for the bounce and the gap before it; the bounce starts earlier when there is none.
      const failureMs = Math.min(share(failurePerMille, sessionMs), Math.floor(windowMs / 2));
      const startMs = Math.floor((windowMs * START_PER_MILLE_MIN) / 1000);
      const latestMs = Math.max(0, windowMs - 2 - failureMs);
      const earliestMs = Math.min(startMs + bounceMs + gapMs, latestMs);
      const failAtMs = earliestMs + Math.floor(((latestMs - earliestMs) * atPerMille) / 1000);
      // From startMs, the gap shortened when the window leaves no room for it.
      const atMs = Math.max(0, failAtMs - gapMs - bounceMs, Math.min(startMs, failAtMs - bounceMs - 1));
      const bounce: Fault = { atMs, kind, node: `@${role}:${p}`, durationMs: Math.max(1, Math.min(bounceMs, windowMs - atMs)) };
      const failure: Fault = { atMs: failAtMs, kind: 'crash', node: `@leader:${p}`, durationMs: Math.max(1, Math.min(failureMs, windowMs - failAtMs)) };
      return { faults: [...(withBounce ? [bounce] : []), ...(withFailure ? [failure] : [])], operations: [] };
    });
}
