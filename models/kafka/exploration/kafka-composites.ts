// Composite draws for `ksim check` on a Kafka cluster (ModelExploration.compositeArbitraries), as
// Jepsen composes its nemeses into packages: a cut aimed at the roles of the run's focus
// partition, and the operations that act inside the cut's window, drawn as one entry. The protocol
// bugs Kafka fixed need a cut and operations at once: KIP-279's divergence (KAFKA-6361) needs one
// follower cut from the partition's other replicas (it lags but stays in the ISR for
// replica.lag.time.max.ms, and is the next leader the controller picks, without what the other
// follower has), and inside that cut the leader's controlled shutdown (the lagging follower leads
// and takes acks=1 writes) and the next leader's moments later (the other follower leads with
// records the lagging one never had). Drawn apart, those three entries come up together about once
// in 10,000 runs; drawn as one, as often as any entry.
//
// Each kind is a cut of one family and an operation, every part aimed at roles (resolved when it
// fires: kafka-roles.ts, operation-aim.ts), so they fit any partition and any failover before:
// - replica cut: one of the focus partition's replicas cut, both ways, from all the others (the
//   leader from its followers; a follower from the leader and the other followers: a follower
//   cut from its leader alone would fetch from the other follower once that one leads), the
//   controllers still reaching everyone;
// - controller cut: the leader or a follower cut from the controllers (the KRaft quorum, or
//   ZooKeeper), still replicating: fenced, or a zombie that hears of no new epoch;
// with, inside the cut:
// - leader chain: the leader's controlled shutdown, then the next leader's (two leader changes in
//   seconds, as an operator working down the leaders without waiting for the ISR); inside a
//   replica cut, only with a follower cut off, both shutdowns before replica.lag.time.max.ms, so
//   the lagging follower is elected and led before the next change;
// - role shutdown: the controlled shutdown of the role the cut leaves reachable (the leader when
//   a follower is cut off, the follower when the leader is), back after a while;
// - preferred election of the focus partition (leadership moved back while the cut holds).
// And kinds that are not one cut: the followers out of the ISR one at a time (a controlled shutdown
// or a cut from the leader outlasting replica.lag.time.max.ms each), then the leader's power loss
// (the last replica standing: KIP-966's motivation; under min.insync.replicas=1, every in-sync
// copy burned; kafka-isr-drain-composite.ts); a replica's power loss shorter than the broker's session
// with the controller, then the leader's failure before that session would have expired (a bounce
// the controller must notice: KIP-380; kafka-bounce-composite.ts); and a follower cut from the
// controllers while the leadership goes away and comes back to the same broker (a zombie replica
// that missed leader epochs: KIP-320; kafka-zombie-composite.ts), the same with the follower also
// cut from the other replicas around the leader's return until after it hears of the new epoch from
// the controller (KAFKA-7164's skipped truncation); and a follower that
// left the ISR and came back, the leader's AlterPartition taking it back held while it restarts
// with an empty disk, then the leader's exit (KIP-903; kafka-stale-expansion-composite.ts).
// A cut starts once the cluster elected its first leaders. Times are relative to the cut: the first operation starts
// an offset after the cut starts (drawn around the scenario's timeouts, just under
// replica.lag.time.max.ms say, or anywhere in the cut), the second of a chain later inside the cut. Shutdown durations and the cut's are drawn
// around the timeouts (fault-targeting.ts) as often as blind.
//
// A composite shrinks to its parts: fast-check first tries it without its operations, then without
// its cut (each part's presence is drawn on, shrinking to off), then shorter and earlier.

import type fc from 'fast-check';
import type { Fault } from '../../../src/faults/fault.ts';
import type { CompositeArbitraries, CompositeDraw, ExploredOperation, OperationSpace } from '../../../src/scenario/model-exploration.ts';
import type { KafkaScenarioInput } from '../scenario/kafka-scenario-schema.ts';
import { brokerSessionTimeoutMs, livenessJudgedAfter, replicaBounceArbitrary } from './kafka-bounce-composite.ts';
import { kafkaReplicaLagsMs } from './fault-targeting.ts';
import { isrDrainArbitrary } from './kafka-isr-drain-composite.ts';
import { staleExpansionArbitrary } from './kafka-stale-expansion-composite.ts';
import { zombieReplicaArbitrary } from './kafka-zombie-composite.ts';

type FastCheck = typeof fc;

/** The role a cut of P isolates: its leader, or its first follower (the next leader the controller picks). */
type CutOff = 'leader' | 'follower';

/** One cut about partition P: the role it isolates, and its two sides as a partition fault's groups. */
interface Cut {
  cutOff: CutOff;
  groups: [string[], string[]];
}

/** The cuts of one family about partition P. */
type CutFamily = (p: string, controllers: readonly string[]) => Cut[];

const CUT_FAMILIES: Record<string, CutFamily> = {
  'replica cut': (p) => [
    { cutOff: 'leader', groups: [[`@leader:${p}`], [`@followers:${p}`]] },
    { cutOff: 'follower', groups: [[`@follower:${p}`], [`@leader:${p}`, `@followers:${p}`]] },
  ],
  'controller cut': (p, controllers) =>
    controllers.length === 0
      ? []
      : [
          { cutOff: 'leader', groups: [[`@leader:${p}`], [...controllers]] },
          { cutOff: 'follower', groups: [[`@follower:${p}`], [...controllers]] },
        ],
};

/** Longest gap between the two shutdowns of a leader chain, as in kafka-operation-space.ts: within the first leader's restart. */
const CHAIN_GAP_MS_MAX = 5000;

/**
 * Shortest gap between them, where the cut leaves room: the first leader change takes a few
 * milliseconds, and the next leader must have led (taken writes) before it goes in turn; 4 of 7
 * misses of 40 leader chains drawn alone on 1.1 had their shutdowns 4 to 17 ms apart.
 */
const CHAIN_GAP_MS_MIN = 100;

/** What acts inside a cut: given where the first part starts, how long the cut has left and the role it isolates, the operations (and faults). */
type InsideDraw = (x: InsideContext) => fc.Arbitrary<(atMs: number, leftMs: number, cutOff: CutOff) => CompositeDraw>;

interface InsideContext {
  fc: typeof fc;
  partition: string;
  topic: string;
  index: number;
  lasting: fc.Arbitrary<number>;
  windowMs: number;
  /** The longest gap between a chain's shutdowns: CHAIN_GAP_MS_MAX, or less when the next leader must still be in the ISR. */
  chainGapMsMax: number;
}

const shutdown = (x: InsideContext, atMs: number, broker: string, durationMs: number): ExploredOperation => ({
  atMs,
  kind: 'controlled-shutdown',
  broker,
  durationMs: Math.max(1, Math.min(durationMs, x.windowMs - atMs)),
});

const operationsOnly = (operations: ExploredOperation[]): CompositeDraw => ({ faults: [], operations });

const INSIDE: Record<string, InsideDraw> = {
  'leader chain': (x) =>
    x.fc.tuple(x.fc.integer({ min: 0, max: 1000 }), x.lasting, x.lasting).map(([gapPerMille, d1, d2]) => (at: number, leftMs: number) => {
      // The second shutdown inside what is left of the cut, CHAIN_GAP_MS_MIN to chainGapMsMax after the first.
      const hi = Math.min(leftMs, x.chainGapMsMax);
      const lo = Math.min(CHAIN_GAP_MS_MIN, hi);
      const gap = Math.max(1, lo + Math.floor(((hi - lo) * gapPerMille) / 1000));
      const next = Math.min(at + gap, Math.max(at, x.windowMs - 2));
      return operationsOnly([shutdown(x, at, `@leader:${x.partition}`, d1), shutdown(x, next, `@leader:${x.partition}`, d2)]);
    }),
  // The role the cut leaves reachable: shutting down the one it isolates would end what the cut does.
  'role shutdown': (x) =>
    x.lasting.map((d) => (at: number, _leftMs: number, cutOff: CutOff) => operationsOnly([shutdown(x, at, cutOff === 'follower' ? `@leader:${x.partition}` : `@follower:${x.partition}`, d)])),
  'preferred election': (x) => x.fc.constant((at: number) => operationsOnly([{ atMs: at, kind: 'preferred-leader-election', topic: x.topic, partition: x.index }])),
};

/**
 * Which operations go inside which cut family: for which isolated role (absent: either), and
 * whether the first operation must come while the isolated follower is still in the ISR. A leader
 * chain inside a replica cut isolates a follower: the leader's shutdown hands the leadership to
 * it, lagging but still in the ISR (so before replica.lag.time.max.ms), and the next shutdown
 * takes it away again (KIP-279's two leader changes). With the leader isolated instead, its own
 * shutdown ends the cut's effect before the chain goes on: 0 of 9 such draws in 250 runs of 1.1
 * found anything, where the follower's found KIP-279 in 7 of 16; and a follower out of the ISR
 * is never elected (alone, 0 of 9 draws with the first shutdown past a 2 s lag).
 */
const COMPOSITES: readonly { family: string; inside: string; cutOff?: CutOff; inSync?: boolean }[] = [
  { family: 'replica cut', inside: 'leader chain', cutOff: 'follower', inSync: true },
  { family: 'replica cut', inside: 'role shutdown' },
  { family: 'replica cut', inside: 'preferred election' },
  { family: 'controller cut', inside: 'leader chain' },
];

/**
 * Composites drawn as one kind, each as likely inside it: the swarm draws every kind as often as
 * any other, so each kind costs the others runs. These three moved the leadership inside a cut
 * and, drawn alone in the runs of fast-check seeds 1-3 (150 runs each) on every known flaw's
 * last buggy version, found only KIP-101 on 0.10 and the acks=1 loss, which five other kinds
 * find as often; the kinds that alone find KIP-279, KIP-320, KAFKA-7164, KIP-380, KIP-966 and
 * the burned in-sync copies came up a ninth of the time each. As one kind, a seventh.
 */
const GROUPED: Readonly<Record<string, readonly string[]>> = {
  'cut + leadership moved': ['replica cut + role shutdown', 'replica cut + preferred election', 'controller cut + leader chain'],
};

/** How far into replica.lag.time.max.ms an in-sync composite's first operation may come, in thousandths: just under it at most. */
const IN_SYNC_PER_MILLE = 900;

/**
 * The least share (in thousandths) of the cut before its first operation: an operation at the
 * cut's very start finds a replica that has not fallen behind yet.
 */
const SHARE_MIN_PER_MILLE = 50;

/**
 * The shortest cut, in thousandths of the window: a cut of a few milliseconds (fast-check draws
 * the small end of a range often) is over before a replica falls behind, and its operations act
 * on a cluster it did not change (5 of 14 misses of 40 leader chains drawn alone on 1.1).
 */
const CUT_PER_MILLE_MIN = 50;

/** The longest cut, as a share of the window. */
const CUT_SHARE_MAX = 0.8;

/**
 * The earliest start of a cut, in thousandths of the window: its sides name the focus partition's
 * roles, which nobody holds before the cluster's first election (a cut at 20 ms does nothing).
 */
const START_PER_MILLE_MIN = 50;

/** A part's presence: on as drawn (all but once in PART_OFF_ODDS), shrinking to off. */
const PART_OFF_ODDS = 1000;

/** The kinds with GROUPED's members drawn as one kind, at the first member's place, each member as likely. */
function grouped(fc: FastCheck, kinds: CompositeArbitraries): CompositeArbitraries {
  const groupOf = new Map(Object.entries(GROUPED).flatMap(([group, members]) => members.map((m) => [m, group] as const)));
  const out: CompositeArbitraries = {};
  for (const [kind, arbitrary] of Object.entries(kinds)) {
    const group = groupOf.get(kind);
    if (group === undefined) out[kind] = arbitrary;
    else if (out[group] === undefined) {
      const members = GROUPED[group].filter((m) => kinds[m] !== undefined).map((m) => kinds[m]);
      out[group] = members.length === 1 ? members[0] : fc.oneof(...members);
    }
  }
  return out;
}

/** The focus partitions the run's roles name ("@leader:orders-0" -> orders-0), in order. */
function focusPartitions(roles: readonly string[], scenario: KafkaScenarioInput): { name: string; topic: string; index: number }[] {
  const topics = new Set(scenario.topics.map((t) => t.name));
  const out: { name: string; topic: string; index: number }[] = [];
  for (const r of roles) {
    if (!r.startsWith('@leader:')) continue;
    const name = r.slice('@leader:'.length);
    const dash = name.lastIndexOf('-');
    if (topics.has(name.slice(0, dash))) out.push({ name, topic: name.slice(0, dash), index: Number(name.slice(dash + 1)) });
  }
  return out;
}

/**
 * The Kafka composites, by kind ("replica cut + leader chain"); none when the run's roles name no
 * partition. `explored`: the values exploration may give config keys in a run (its configSpace).
 */
export function kafkaCompositeArbitraries(config: unknown, space: OperationSpace, explored: Readonly<Record<string, readonly unknown[]>> = {}): CompositeArbitraries {
  const scenario = config as KafkaScenarioInput;
  const { fc, windowMs } = space;
  let out: CompositeArbitraries = {};
  const partitions = focusPartitions(space.roles ?? [], scenario);
  if (partitions.length === 0 || windowMs < 4) return out;
  const controllers = scenario.cluster.controllers.map((c) => c.name);
  const timed = space.durationsMs.filter((d) => d >= 1);
  const around = (blindMaxMs: number) => {
    const blind = fc.integer({ min: 1, max: Math.max(1, blindMaxMs) });
    return timed.length === 0 ? blind : fc.oneof(blind, fc.constantFrom(...timed));
  };
  const lasting = around(Math.floor(windowMs * 0.3));
  const on = fc.option(fc.constant(true), { nil: false, freq: PART_OFF_ODDS });
  // Where the first operation starts in the cut: a share of it (in thousandths), or one of the
  // scenario's timeouts after its start (just under replica.lag.time.max.ms: still in the ISR).
  const share = fc.integer({ min: SHARE_MIN_PER_MILLE, max: 999 }).map((perMille) => (cutMs: number) => Math.floor((cutMs * perMille) / 1000));
  // A timeout longer than the cut puts it halfway in.
  const offset = timed.length === 0 ? share : fc.oneof(share, fc.constantFrom(...timed).map((ms) => (cutMs: number) => (ms < cutMs ? ms : Math.floor(cutMs / 2))));
  const startMs = Math.floor((windowMs * START_PER_MILLE_MIN) / 1000);
  // The first operation of an in-sync composite: a share of the cut, or of the time the isolated
  // follower stays in the ISR under the shortest lag the run may have, whichever is shorter.
  const inSyncMs = Math.max(1, Math.floor((Math.min(...kafkaReplicaLagsMs(config, explored)) * IN_SYNC_PER_MILLE) / 1000));
  // Room is left for a chain's second shutdown.
  const inSyncOffset = share.map((f) => (cutMs: number) => f(Math.max(1, Math.min(cutMs - CHAIN_GAP_MS_MIN, inSyncMs))));
  for (const { family, inside, cutOff, inSync } of COMPOSITES) {
    const perPartition = partitions.flatMap((p) => {
      const cuts = CUT_FAMILIES[family](p.name, controllers).filter((c) => cutOff === undefined || c.cutOff === cutOff);
      if (cuts.length === 0) return [];
      const chainGapMsMax = inSync ? Math.min(CHAIN_GAP_MS_MAX, inSyncMs) : CHAIN_GAP_MS_MAX;
      const ops = INSIDE[inside]({ fc, partition: p.name, topic: p.topic, index: p.index, lasting, windowMs, chainGapMsMax });
      return [fc.tuple(on, on, fc.integer({ min: 0, max: 1000 }), around(Math.floor(windowMs / 2)), fc.constantFrom(...cuts), inSync ? inSyncOffset : offset, ops)];
    });
    if (perPartition.length === 0) continue;
    out[`${family} + ${inside}`] = fc.oneof(...perPartition).map(([withOps, withCut, atPerMille, cutMs, chosen, offsetMs, place]): CompositeDraw => {
      // The cut fits in the window, starting anywhere from startMs that leaves it room: one longer
      // than CUT_SHARE_MAX of the window is shortened to that, so it need not start with the run,
      // before the partition has a leader to aim at.
      const durationMs = Math.max(2, Math.min(Math.max(cutMs, Math.floor((windowMs * CUT_PER_MILLE_MIN) / 1000)), Math.floor(windowMs * CUT_SHARE_MAX), windowMs - 2 - startMs));
      const atMs = startMs + Math.floor((Math.max(0, windowMs - 2 - startMs - durationMs) * atPerMille) / 1000);
      // The first operation inside the cut: the drawn offset, or just before the cut heals when the offset is longer.
      const opAtMs = Math.min(atMs + Math.max(1, Math.min(offsetMs(durationMs), durationMs - 1)), windowMs - 2);
      const cut: Fault = { atMs, kind: 'partition', groups: chosen.groups.map((side) => [...side]), durationMs };
      const inside = withOps ? place(opAtMs, atMs + durationMs - opAtMs, chosen.cutOff) : { faults: [], operations: [] };
      return { faults: [...(withCut ? [cut] : []), ...inside.faults], operations: inside.operations };
    });
  }
  out = grouped(fc, out);
  const drain = isrDrainArbitrary({ fc, windowMs, partitions: partitions.map((p) => p.name), on, lasting }, kafkaReplicaLagsMs(config, explored));
  if (drain !== null) out['ISR drain + leader power loss'] = drain;
  const bounce = replicaBounceArbitrary({ fc, windowMs, partitions: partitions.map((p) => p.name), on }, brokerSessionTimeoutMs(config), livenessJudgedAfter(config, windowMs));
  if (bounce !== null) out['replica bounce + leader failure'] = bounce;
  const zombie = zombieReplicaArbitrary({ fc, windowMs, partitions: partitions.map((p) => p.name), controllers, on, lasting }, brokerSessionTimeoutMs(config));
  if (zombie !== null) out['zombie replica + leader round trip'] = zombie;
  const missed = zombieReplicaArbitrary({ fc, windowMs, partitions: partitions.map((p) => p.name), controllers, on, lasting }, brokerSessionTimeoutMs(config), true);
  if (missed !== null) out['zombie replica + missed epoch'] = missed;
  const stale = staleExpansionArbitrary({ fc, windowMs, partitions: partitions.map((p) => p.name), on, lasting }, brokerSessionTimeoutMs(config));
  if (stale !== null) out['stale ISR expansion + disk loss'] = stale;
  return out;
}
