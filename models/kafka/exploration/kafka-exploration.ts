// How `ksim check` explores the Kafka model (ModelDefinition.exploration), and when a scenario's
// disruptions are over (for liveness-after-heal).
//
// Design: `ksim check` with no --set checks Kafka's durability and ordering guarantee, so the
// settings that decide the guarantee are pinned to their safe values (one-value lists: acks=all,
// min.insync.replicas=2, unclean.leader.election.enable=false, enable.idempotence=true; pinning
// also overrides MSK's unclean-election-on default), and only settings that keep the guarantee are
// swarmed: follower lag and fetch timing, flush policy, producer batching, retries and in-flight
// requests (ordered by idempotence with up to 5), preferred-leader rebalancing, rack placement. A
// user asks about a weaker configuration by pinning it: `--set acks=1` or `--set
// unclean.leader.election.enable=true` (a --set key is left out of the space, and so is
// enable.idempotence when acks, retries or in-flight requests are fixed: Kafka derives it). A run fails by the
// one verdict rule (src/scenario/verdict.ts, --fail-on; default: breaches and violations the
// configuration permits): a breach is a bug, and a loss the configuration permits is the
// counterexample the user asked for.
// The first value of each list is the default (where shrinking goes).
//
// Faults: every self-ending kind, on every node: clients too, since a producer cut off from its
// leader is what makes retries, timeouts and duplicates happen (faultTargets gets only node names,
// so it could not tell a client from a broker anyway), half the cuts between roles and half the
// durations around the scenario's timeouts (fault-targeting.ts). settleFraction keeps the last 40%
// of a run fault-free so leaders and ISRs can recover; liveness-after-heal is judged only when the
// run is long enough after that (its grace period is about 52 s with the default timeouts).

import type { Fault } from '../../../src/faults/fault.ts';
import type { NoiseConfig } from '../../../src/faults/noise-config.ts';
import type { ModelExploration } from '../../../src/scenario/model-exploration.ts';
import { secondsOf, type FaultHorizon } from '../checkers/liveness-after-heal.ts';
import { readCoverage } from '../checkers/coverage-observer.ts';
import type { KafkaOperation } from '../scenario/kafka-scenario.ts';
import { CONFIG_BY_TOPIC_KEY, CONFIG_CATALOG } from '../config/config-catalog.ts';
import { versionAbsencesOf } from '../scenario/build-kafka-scenario.ts';
import type { KafkaScenarioInput } from '../scenario/kafka-scenario-schema.ts';
import { kafkaFaultDurationsMs, kafkaRoleHeldFromMs, kafkaRoleSubjects, kafkaRunDurationMsMin, kafkaTargetedRoles, kafkaTargetedSplits } from './fault-targeting.ts';
import { arrangeKafkaOperations, kafkaOperationArbitraries } from './kafka-operation-space.ts';
import { kafkaCompositeArbitraries } from './kafka-composites.ts';


export const kafkaExploration: ModelExploration = {
  configSpace: {
    // Pinned: the configured guarantee (override with --set to explore a weaker one).
    acks: ['all'],
    'min.insync.replicas': [2],
    'unclean.leader.election.enable': [false],
    'enable.idempotence': [true],
    // Swarmed: settings under which the guarantee still holds.
    // The first value, where shrinking goes, is null: the scenario's own value, which is the
    // default of the Kafka version it runs (replica.lag.time.max.ms was 10 s before 2.5, linger.ms
    // 0 before 4.0: version/kafka-versions.ts), not current Kafka's.
    'replica.lag.time.max.ms': [null, 2000],
    'replica.fetch.wait.max.ms': [null, 50],
    'log.flush.interval.messages': [null, 1],
    'linger.ms': [null, 0, 50],
    'max.in.flight.requests.per.connection': [null, 1],
    'request.timeout.ms': [null, 2000],
    'auto.leader.rebalance.enable': [null, false],
    'leader.imbalance.check.interval.seconds': [null, 5],
    'broker.rack': ['az', 'none'],
  },
  // A flush per message one run in ten (each of two candidates alike gave it two runs in five,
  // fast-check's draws leaning to the first): under it a power loss on EBS loses nothing, so the
  // composites built on one (the ISR drain, the replica bounce) find nothing there. The ISR drain
  // drawn alone on 4.0 found KIP-966 in 0 of 118 such runs, 142 of 185 otherwise. It still comes
  // up, and the flush policy is still explored: the guarantee must hold under it too.
  configWeights: { 'log.flush.interval.messages': [9, 1] },
  // ProducerConfig: idempotence left unset is turned off when acks is not all, retries is 0 or more
  // than 5 requests are in flight; with one of those fixed, the pin above would be an explicit
  // enable.idempotence=true, which KafkaProducer refuses with a ConfigException.
  derivedKeys: { 'enable.idempotence': ['acks', 'retries', 'max.in.flight.requests.per.connection'] },
  // A key newer than the scenario's kafkaVersion (enable.idempotence before 0.11) is not pinned.
  keysAbsentIn: (config) => {
    const absences = versionAbsencesOf(config as KafkaScenarioInput);
    return absences === undefined ? [] : CONFIG_CATALOG.filter((e) => absences(e)?.key !== undefined).map((e) => e.key);
  },
  faultKinds: ['partition', 'partition-one-way', 'hold', 'isolate-node', 'isolate-az', 'crash', 'power-loss', 'disk-loss', 'pause', 'az-outage'],
  // Cuts between roles and durations around the scenario's timeouts (fault-targeting.ts).
  targetedSplits: kafkaTargetedSplits,
  targetedRoles: kafkaTargetedRoles,
  roleHeldFromMs: kafkaRoleHeldFromMs,
  roleSubjects: kafkaRoleSubjects,
  faultDurationsMs: (config) => kafkaFaultDurationsMs(config, kafkaExploration.configSpace),
  runDurationMsMin: kafkaRunDurationMsMin,
  // Administrative operations alongside the faults (kafka-operation-space.ts).
  operationArbitraries: kafkaOperationArbitraries,
  arrangeOperations: arrangeKafkaOperations,
  // A cut and the operations inside its window, drawn as one entry (kafka-composites.ts).
  compositeArbitraries: (config, space) => kafkaCompositeArbitraries(config, space, kafkaExploration.configSpace),
  keysSetIn: (raw) => {
    const cluster = raw.cluster as Record<string, unknown> | undefined;
    const keys = configKeysStated(raw);
    if (cluster && typeof cluster === 'object' && cluster['broker.rack'] !== undefined) keys.push('broker.rack');
    return keys;
  },
  settleFraction: 0.4,
  coverage: (report) => {
    const out = readCoverage(report);
    const stats = report.stats.model as Record<string, number | undefined>;
    if ((stats.controllerActivations ?? 0) > 1) out.push('controller failover');
    if ((stats.produceRetries ?? 0) > 0) out.push('produce retried');
    const liveness = report.analysis['liveness-after-heal'] as { judged?: boolean } | undefined;
    if (liveness?.judged) out.push('liveness judged');
    return out;
  },
};

/**
 * Config keys the scenario states anywhere (cluster-wide, or for one topic, producer, group or
 * member), by their cluster-wide name: exploration leaves them as the scenario says, since a
 * generated setting is applied like --set, which replaces every stated value.
 */
function configKeysStated(raw: Record<string, unknown>): string[] {
  const keys = new Set<string>();
  const add = (config: unknown, topicLevel: boolean) => {
    if (!config || typeof config !== 'object' || Array.isArray(config)) return;
    for (const k of Object.keys(config)) keys.add(topicLevel ? (CONFIG_BY_TOPIC_KEY.get(k)?.key ?? k) : k);
  };
  const each = (list: unknown, topicLevel: boolean) => {
    if (Array.isArray(list)) for (const item of list) add((item as { config?: unknown } | null)?.config, topicLevel);
  };
  add(raw.config, false);
  each(raw.topics, true);
  each(raw.producers, false);
  each(raw.consumerGroups, false);
  if (Array.isArray(raw.consumerGroups)) for (const g of raw.consumerGroups) each((g as { members?: unknown } | null)?.members, false);
  return [...keys];
}

/** What faultHorizonOf needs of an operation (scenario input or resolved). */
interface OperationTiming {
  atMs: number;
  kind: KafkaOperation['kind'];
  durationMs?: number;
  /** An upgrade's one broker. */
  broker?: string;
  brokers?: readonly string[];
  isrWaitMs?: number;
}

/**
 * When the scripted operations' last disruption ends, at worst: a controlled shutdown's restart
 * (its wait for the controller at worst, shutdownWaitMs); a rolling restart's or upgrade's last
 * restart, its brokers one at a time, each waiting isrWaitMs at worst before the next one stops,
 * and after the rolling operations that started before it (rolling-restart.ts runs them one at a
 * time); the others disrupt only the instant they act. The text says what the worst case is made of.
 */
function operationsEnd(ops: readonly OperationTiming[], brokerCount: number, faults: readonly FaultSpan[], wait: ShutdownWaitMs): LastDisruption {
  const last: LastDisruption = { endMs: 0, what: 'nothing' };
  const later = (endMs: number, op: OperationTiming, madeOf: string | null = null) => {
    if (endMs > last.endMs) Object.assign(last, { endMs, what: `the ${op.kind} at ${secondsOf(op.atMs)} is over, at worst${madeOf === null ? '' : ` (${madeOf})`},` });
  };
  let rollingDoneMs = 0;
  for (const op of [...ops].sort((a, b) => a.atMs - b.atMs)) {
    if (op.kind === 'controlled-shutdown') {
      const waitMs = shutdownWaitMs(op.atMs, faults, wait);
      later(op.atMs + waitMs + (op.durationMs ?? 0), op, shutdownMadeOf(op, waitMs));
    } else if (op.kind === 'rolling-restart' || op.kind === 'upgrade') {
      const n = op.broker !== undefined ? 1 : (op.brokers?.length ?? brokerCount);
      const startMs = Math.max(op.atMs, rollingDoneMs);
      // each broker stops later than startMs: its wait outlasts the faults by no more than the first one's
      const waitMs = shutdownWaitMs(startMs, faults, wait);
      rollingDoneMs = startMs + n * (waitMs + (op.durationMs ?? 0)) + Math.max(0, n - 1) * (op.isrWaitMs ?? 0);
      later(rollingDoneMs, op, rollingMadeOf(op, n, startMs, waitMs));
    } else later(op.atMs, op);
  }
  return last;
}

/** A controlled shutdown's wait for the controller, in ms (broker/broker-lifecycle-manager.ts controlledShutdownWait). */
export interface ShutdownWaitMs {
  /** The longest the broker waits before it stops anyway (KRaft 5 minutes; ZooKeeper its attempts). */
  maxMs: number;
  /** How long after the last fault ends the broker has asked again and been answered, at worst. */
  askAgainMs: number;
}

/** When a fault is in force, in ms. */
interface FaultSpan {
  startMs: number;
  endMs: number;
}

/**
 * A controlled shutdown beginning at atMs waits at worst until the broker's own limit, or until it
 * has asked again with no fault in force (faults are the only thing that keeps the controller from
 * answering: operations never touch it), whichever comes first. Each fault that begins before the
 * answer could come holds it until the fault ends and one more ask.
 */
function shutdownWaitMs(atMs: number, faults: readonly FaultSpan[], wait: ShutdownWaitMs): number {
  let answeredMs = atMs + wait.askAgainMs;
  for (const f of faults) if (f.startMs < answeredMs && f.endMs + wait.askAgainMs > answeredMs) answeredMs = f.endMs + wait.askAgainMs;
  return Math.min(wait.maxMs, answeredMs - atMs);
}

/** One broker's controlled shutdown at worst: "the broker waits up to 6.5 s for the controller to move its leaderships away, then is down 5.0 s". */
function shutdownMadeOf(op: OperationTiming, waitMs: number): string {
  return `the broker waits up to ${secondsOf(waitMs)} for the controller to move its leaderships away, then is down ${secondsOf(op.durationMs ?? 0)}`;
}

/** A rolling operation at worst: its brokers in turn, each a controlled shutdown, and the ISR wait between them. */
function rollingMadeOf(op: OperationTiming, brokers: number, startMs: number, waitMs: number): string {
  const after = startMs > op.atMs ? `from ${secondsOf(startMs)}, after the rolling operations before it, ` : '';
  const between = brokers > 1 ? `; the next stops up to ${secondsOf(op.isrWaitMs ?? 0)} (isrWaitMs) later, once the ISR is full` : '';
  return `${after}${brokers === 1 ? '' : `${brokers} brokers in turn: `}${shutdownMadeOf(op, waitMs)}${between}`;
}

/** What ends last, and when. */
interface LastDisruption {
  endMs: number;
  /** "the az-outage at 30.0 s heals", "the controlled-shutdown at 20.0 s is over, at worst,": "at <endMs>" follows. */
  what: string;
}

/**
 * When the scenario's last disruption ends: explicit faults (at + duration; a fault without a
 * duration lasts until its explicit undo, so the latest fault time stands for it, and a fault still
 * in force at the end shows in RunView.faultsActive), scripted operations, and background noise
 * (null: its faults are exponential in length and never known to be over).
 */
export function faultHorizonOf(
  config: { faults?: readonly Fault[]; noise?: NoiseConfig; operations?: readonly OperationTiming[]; cluster?: { brokers: readonly unknown[] } },
  shutdownWait: ShutdownWaitMs,
): FaultHorizon {
  const faults = config.faults ?? [];
  let last: LastDisruption = { endMs: 0, what: 'nothing' };
  for (const f of faults) {
    const duration = 'durationMs' in f && f.durationMs !== undefined ? f.durationMs : 0;
    if (f.atMs + duration > last.endMs) last = { endMs: f.atMs + duration, what: `the ${f.kind} at ${secondsOf(f.atMs)} heals` };
  }
  const brokerCount = config.cluster?.brokers.length ?? 1;
  // A fault without a duration lasts until its explicit undo: the latest fault time stands for it.
  const spans = [...faults].sort((a, b) => a.atMs - b.atMs).map((f) => ({ startMs: f.atMs, endMs: 'durationMs' in f && f.durationMs !== undefined ? f.atMs + f.durationMs : last.endMs }));
  const ops = operationsEnd(config.operations ?? [], brokerCount, spans, shutdownWait);
  if (ops.endMs > last.endMs) last = ops;
  const noiseOn = config.noise !== undefined && config.noise.intervalMsMean > 0;
  if (noiseOn) return { lastDisruptionEndMs: null, faults };
  return { lastDisruptionEndMs: last.endMs, ...(last.endMs > 0 || faults.length > 0 || (config.operations ?? []).length > 0 ? { lastDisruption: last.what } : {}), faults };
}
