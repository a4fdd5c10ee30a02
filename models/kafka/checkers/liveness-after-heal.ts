// liveness-after-heal: once every fault has ended and a grace period has passed, Kafka must have
// recovered: every partition has a leader, its ISR is every assigned replica again, and every
// acknowledged record the cluster still holds is committed (below the leader's HW) in the final
// log (an acknowledged record held nowhere is lost-write's finding). Judged at the end of
// the run, only when no fault is still in force (RunView.faultsActive) and the run went on for at
// least the grace period after the last fault (or scripted operation) ended; otherwise the
// property is not judged and the summary says why.
//
// When the last fault ended comes from the scenario (explicit faults with their durations,
// background noise's stopMs, scripted operations; see FaultHorizon), because checkers see model
// events, not fault events. Background noise without a stop time is never over: not judged.
//
// The grace period is a bound, not a tight one, from the configured timeouts, each of which can
// stand between a heal and recovery: the broker session timeout (a fenced broker is unfenced at its
// next heartbeat once caught up with the metadata), a fetch stalled by the fault is given up on
// only after the broker's request.timeout.ms (or replica.socket.timeout.ms while connecting), the
// fetch backoff, two heartbeats, the controller channel's request timeout (its connection is then
// opened again: a SYN retry), an AlterPartition retry and a controller-quorum timeout.
//
// A breach when judged: with every broker back and the network whole, nothing Kafka is configured
// with excuses a partition that stays offline or under-replicated, or an acknowledged record that
// never becomes readable. Except a partition whose leader never got its state because the
// ZooKeeper controller missed the leader's restart: permitted by the simulated version before
// KIP-380 (broker epochs, 2.2), which names the fix. And a partition whose reassignment the
// scenario throttled (throttleBytesPerSec, KIP-73): the added replicas may not have caught up yet,
// permitted by that setting. And a partition whose replicas outside the ISR all exited rather
// than truncate (before 2.0.1/2.1, broker/truncation-halt.ts): Kafka leaves them down, or exiting
// again at every restart, until an operator acts; permitted by the simulated version, naming
// KAFKA-7414 (a --fail-on flaw). And a partition whose replicas outside the ISR all stopped replicating
// it when their fetcher failed on the batch holding the leader's log start, their empty logs started
// there (fetcher-failed with emptyLogInsideBatch): permitted by the simulated version, naming
// KAFKA-6975 (fixed in 1.0.2, 1.1.1 and 2.0.0; ksim's 1.0 and 1.1 are the .0 releases).

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { Fault } from '../../../src/faults/fault.ts';
import type { ModelEvent, Violation } from '../../../src/sim/model.ts';
import type { FetcherFailedEvent } from '../kafka-events.ts';
import { formatTimeUs, type TimeUs } from '../../../src/sim/time.ts';
import type { KafkaRunAnalysis, KafkaRunFindings } from '../analysis/kafka-run-analysis.ts';
import type { KafkaScenario } from '../scenario/kafka-scenario.ts';
import { groupFindings, groupViolation, type ClassifiedFinding } from './grouped-violations.ts';
import { plural, recordName } from './kafka-terms.ts';
import { ALTER_PARTITION_RETRY_US } from '../broker/alter-partition-manager.ts';
import { QUORUM_TIMEOUT_US } from '../controller/quorum-state.ts';
import { describeMissingFix } from '../version/protocol-features.ts';

/** When the run's disruptions are over, as far as the scenario says. */
export interface FaultHorizon {
  /** Virtual ms when the last explicit fault, noise fault or scripted operation ends; null: never. */
  lastDisruptionEndMs: number | null;
  /**
   * What ends then, for a summary: "the az-outage at 30.0 s heals", "the controlled-shutdown at
   * 20.0 s is over, at worst,". Absent with lastDisruptionEndMs 0: nothing disrupted the run, so a
   * run too short to judge has nothing to recover from and is not reported as not judged.
   */
  lastDisruption?: string;
  /** The explicit fault schedule: the coverage table's fault situations, and the faults a finding permitted by the fault load names. */
  faults?: readonly Fault[];
}

/** "19.2 s": a time or span in ms, to the tenth of a second. */
export function secondsOf(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function recoveryGraceUs(scenario: KafkaScenario): TimeUs {
  const bc = scenario.brokerConfig;
  const kraft = scenario.metadataMode === 'kraft';
  const sessionMs = kraft ? bc['broker.session.timeout.ms'] : bc['zookeeper.session.timeout.ms'];
  const heartbeatMs = kraft ? bc['broker.heartbeat.interval.ms'] : bc['zookeeper.session.timeout.ms'] / 3;
  const fetchTimeoutMs = Math.max(bc['request.timeout.ms'], bc['replica.socket.timeout.ms']);
  const controllerChannelMs = kraft ? Math.min(bc['controller.socket.timeout.ms'], sessionMs / 2) : (sessionMs * 2) / 3;
  const synRetryMs = 1000;
  return (sessionMs + bc['replica.fetch.backoff.ms'] + 2 * heartbeatMs + fetchTimeoutMs + controllerChannelMs + synRetryMs) * 1000 + ALTER_PARTITION_RETRY_US + QUORUM_TIMEOUT_US;
}

/**
 * How long an acknowledged record may wait for the HW to pass it on a healthy partition: a
 * follower fetch parked up to replica.fetch.wait.max.ms that brings the record, the next fetch
 * that carries the HW back, and their round trips (a second is far more than any link's latency).
 */
function commitLagUs(scenario: KafkaScenario): TimeUs {
  return (2 * scenario.brokerConfig['replica.fetch.wait.max.ms'] + 1000) * 1000;
}

interface Unrecovered {
  partition: string;
  what: string;
}

interface LivenessJudgement {
  judged: boolean;
  /** Why not judged, or from when recovery was due. */
  note: string;
  /** Not judged, but there was nothing to judge: no disruption (not reported as not judged). */
  vacuous?: boolean;
}

export class LivenessAfterHealChecker implements Checker {
  readonly name = 'liveness-after-heal';
  readonly eventTypes = ['fetcher-failed'];
  private judgement: LivenessJudgement | null = null;
  /** Each follower fetcher failure (fetcher-failed), with the broker node it stopped, in time order. */
  private readonly fetcherFailures: { timeUs: TimeUs; node: number; event: FetcherFailedEvent }[] = [];

  constructor(
    private readonly analysis: KafkaRunAnalysis,
    /** undefined: the schedule is unknown; judged as if every fault ended at time 0. */
    private readonly horizon?: FaultHorizon,
  ) {}

  onEvent(timeUs: TimeUs, node: number, event: ModelEvent): void {
    if (event.type === 'fetcher-failed') this.fetcherFailures.push({ timeUs, node, event: event as unknown as FetcherFailedEvent });
  }

  finish(run: RunView): Violation[] {
    const graceUs = recoveryGraceUs(this.analysis.scenario);
    const endMs = this.horizon === undefined ? 0 : this.horizon.lastDisruptionEndMs;
    if (run.faultsActive) return this.skip('a fault was still in force at the end of the run');
    if (endMs === null) return this.skip('background noise without a stop time (noise.stopMs) is never over');
    const dueUs = endMs * 1000 + graceUs;
    if (run.nowUs < dueUs) {
      const undisrupted = this.horizon !== undefined && endMs === 0 && this.horizon.lastDisruption === undefined;
      return undisrupted ? this.skip('no fault or operation to recover from', true) : this.skip(this.tooLate(endMs, graceUs, run.nowUs));
    }
    this.judgement = { judged: true, note: `recovery due by ${formatTimeUs(dueUs)}` };
    const findings = this.analysis.conclude(run);
    if (!findings.final) return [];
    const unrecovered: Unrecovered[] = [];
    for (const state of findings.final.partitions) {
      const partition = state.partition;
      const down = state.logs.filter((l) => !l.alive).map((l) => l.broker);
      const downNote = down.length === 0 ? '' : ` (not running: ${down.join(', ')})`;
      if (state.leaderWithoutState) unrecovered.push({ partition, what: `leader ${state.leader} holds no state for it (its restart was never registered by the controller)` });
      else if (state.leader === null) unrecovered.push({ partition, what: `no leader, ISR [${state.isr.join(', ')}]${downNote}` });
      else if (state.isr.length < state.replicas.length)
        unrecovered.push({ partition, what: `ISR [${state.isr.join(', ')}] of replicas [${state.replicas.join(', ')}]${downNote}` });
    }
    // Acknowledged records still held but not readable: above the leader's HW, or only on replicas
    // of an offline partition. Records missing everywhere are lost-write's finding, not this one.
    const uncommitted = new Map<string, number[]>();
    const records = this.analysis.history.records;
    // Acknowledged too near the end for the followers' next fetches to carry the HW past them
    // (acks=0/1 acknowledge before any follower has the record): still committing, not unrecovered.
    const committingFromUs = run.nowUs - commitLagUs(this.analysis.scenario);
    for (const id of records.ids()) {
      if (records.outcome(id) !== 'acked' || records.ackUsOf(id) >= committingFromUs) continue;
      const partition = records.partition(id);
      const log = findings.logs.get(partition);
      if (!log) continue;
      const offset = log.firstOffset.get(id);
      const held = log.online ? offset !== undefined : log.presentOnAnyReplica!.has(id);
      if (!held || (log.online && offset! < log.reference!.highWatermark)) continue;
      let list = uncommitted.get(partition);
      if (!list) uncommitted.set(partition, (list = []));
      list.push(id);
    }
    for (const [partition, records] of uncommitted) {
      const shown = records.slice(0, 5).map(recordName).join(', ');
      unrecovered.push({ partition, what: `${plural(records.length, 'acknowledged record')} not committed in the final log (${shown}${records.length > 5 ? ', ...' : ''})` });
    }
    const reason = `every fault over by ${formatTimeUs(endMs * 1000)}, recovery due within ${Math.round(graceUs / 1000)} ms`;
    // A missed bounce leaves the partition stuck for good: a controller that lacked KIP-380 at any point is the cause.
    const missedBy = this.analysis.versions.lastLacking('controllerDetectsBrokerBounce');
    const stuck = new Set(findings.final.partitions.filter((s) => s.leaderWithoutState).map((s) => s.partition));
    const classified = unrecovered.map((u): ClassifiedFinding<Unrecovered> => {
      // A leader that never got the partition's state: the ZooKeeper controller missed its bounce.
      if (stuck.has(u.partition) && missedBy !== null)
        return { partition: u.partition, classification: 'permitted', permittedBy: 'version', reason: `${missedBy.label('controllerDetectsBrokerBounce')}: ${describeMissingFix('controllerDetectsBrokerBounce')}`, item: u };
      const exited = this.exitedRatherThanTruncate(u.partition, findings);
      if (exited !== null) return { partition: u.partition, classification: 'permitted', permittedBy: 'version', reason: exited, item: u };
      const failed = this.fetcherFailedInsideBatch(u.partition, findings);
      if (failed !== null) return { partition: u.partition, classification: 'permitted', permittedBy: 'version', reason: failed, item: u };
      const throttle = this.throttledReassignment(u.partition);
      if (throttle !== null) return { partition: u.partition, classification: 'permitted', permittedBy: 'configuration', reason: throttle, item: u };
      return { partition: u.partition, classification: 'breach', reason, item: u };
    });
    return groupFindings(classified).map((group) =>
      groupViolation(this.name, group, `${group.partition} had not recovered at ${formatTimeUs(run.nowUs)}: ${group.items.map((u) => u.what).join('; ')}`, {}),
    );
  }

  /**
   * Why partition's replicas outside the ISR stay out, when every one of them exited rather than
   * truncate during the run (before 2.0.1/2.1): "b1 exited at 6.415s (log truncation not allowed
   * for orders-1 (...)), ...: KAFKA-7414, fixed in Kafka 2.0.1: ...". null otherwise.
   */
  private exitedRatherThanTruncate(partition: string, findings: KafkaRunFindings): string | null {
    const state = findings.final!.partitions.find((s) => s.partition === partition);
    const exits = this.analysis.history.processExits;
    if (state === undefined || exits.length === 0) return null;
    const outside = state.replicas.filter((b) => !state.isr.includes(b));
    const lastExits = outside.map((b) => [...exits].reverse().find((e) => findings.nodeName(e.node) === b));
    if (outside.length === 0 || lastExits.some((e) => e === undefined)) return null;
    const named = lastExits.map((e) => `${findings.nodeName(e!.node)} exited at ${formatTimeUs(e!.timeUs)} (${e!.event.reason})`);
    return `${named.join(', ')}: ${describeMissingFix('followerTruncatesOutOfRange')}`;
  }

  /**
   * Why partition's replicas outside the ISR stay out, when the last fetcher failure that stopped
   * each one's copy was KAFKA-6975's (its empty log started inside the leader's batch): "b3's
   * fetcher failed at 15.011s (orders-0 from b1: its empty log starts at 4780, inside the batch
   * from 4776): KAFKA-6975, fixed in Kafka 2.0: ...". null otherwise.
   */
  private fetcherFailedInsideBatch(partition: string, findings: KafkaRunFindings): string | null {
    const state = findings.final!.partitions.find((s) => s.partition === partition);
    if (state === undefined || this.fetcherFailures.length === 0) return null;
    const outside = state.replicas.filter((b) => !state.isr.includes(b));
    const last = outside.map((b) => [...this.fetcherFailures].reverse().find((f) => findings.nodeName(f.node) === b && f.event.stopped.includes(partition)));
    if (outside.length === 0 || last.some((f) => f?.event.emptyLogInsideBatch !== true)) return null;
    const named = last.map((f) => {
      const e = f!.event;
      return `${findings.nodeName(f!.node)}'s fetcher failed at ${formatTimeUs(f!.timeUs)} (${e.partition} from ${e.leader}: its empty log starts at ${e.fetchOffset}, inside the batch from ${e.batchBaseOffset})`;
    });
    return `${named.join(', ')}: ${describeMissingFix('followerStartsLogAtBatchBase')}`;
  }

  /** The throttled reassign-partitions of partition (KIP-73), in words; null if none. */
  private throttledReassignment(partition: string): string | null {
    const op = this.analysis.scenario.operations.find((o) => o.kind === 'reassign-partitions' && o.throttleBytesPerSec !== null && `${o.topic}-${o.partition}` === partition);
    if (op === undefined || op.kind !== 'reassign-partitions') return null;
    return `throttleBytesPerSec=${op.throttleBytesPerSec} on the reassign-partitions at ${formatTimeUs(op.atMs * 1000)}: the added replicas copy at most that fast (KIP-73 replication throttling)`;
  }

  /** "the az-outage at 30.0 s heals at 45.0 s, leaving 15.0 s of the run, less than the 19.2 s recovery may take (...)". */
  private tooLate(endMs: number, graceUs: TimeUs, nowUs: TimeUs): string {
    const ends = `${this.horizon?.lastDisruption ?? 'the last disruption ends'} at ${secondsOf(endMs)}`;
    const grace = `the ${secondsOf(graceUs / 1000)} recovery may take (session, request and controller timeouts)`;
    const longer = `durationMs ${Math.ceil((endMs * 1000 + graceUs) / 1000)} or more judges it`;
    if (endMs * 1000 >= nowUs) return `${ends}, not before the run's end at ${secondsOf(nowUs / 1000)}; ${longer}: ${secondsOf(endMs)}, then ${grace}`;
    return `${ends}, leaving ${secondsOf(nowUs / 1000 - endMs)} of the run, less than ${grace}; ${longer}`;
  }

  notJudged(): string | null {
    return this.judgement !== null && !this.judgement.judged && this.judgement.vacuous !== true ? this.judgement.note : null;
  }

  private skip(note: string, vacuous = false): Violation[] {
    this.judgement = { judged: false, note, ...(vacuous ? { vacuous } : {}) };
    return [];
  }

  summary(): object | undefined {
    return this.judgement ?? undefined;
  }
}
