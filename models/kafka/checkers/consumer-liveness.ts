// consumer-liveness: once every fault has ended and a grace period has passed, each consumer group
// has a stable generation (no rebalance from then to the end, members in it) and keeps up with the
// producers: per subscribed partition, its committed offset has reached every record acknowledged
// more than a drain window before the end, or, with a backlog, its lag (acknowledged offsets not
// yet committed) is no larger at the end than when it was due to have settled: the lag drains at
// the producers' rate instead of growing. A group stuck rebalancing, or with nothing committed for
// the rest of the run, is a finding.
// Judged like liveness-after-heal (no fault in force at the end, the run long enough after the
// last disruption or the group's start, whichever is later); the summary says why when not.
//
// Grace: the brokers' recovery grace after faults (liveness-after-heal.ts), then the group's: a
// session timeout (a dead member is noticed), the initial rebalance delay, two batches (a member
// rejoins at its next poll, after its batch; a batch counts at most max.poll.interval.ms) and two
// heartbeats. Drain window: a batch, the auto-commit interval with auto commit, the fetch wait and 2 s.
//
// Classified by cause:
// - configuration, max.poll.interval.ms: a batch (max.poll.records x processing time) takes longer
//   than max.poll.interval.ms, so members are removed mid-batch and the group rebalances forever
//   (KIP-62; the CommitFailedException storm);
// - configuration, capacity: the members cannot process the producers' rate (members x
//   1 / processing time per record);
// - breach otherwise: with the cluster whole and the group configured to keep up, Kafka's group
//   protocol must settle and consume.

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { Violation } from '../../../src/sim/model.ts';
import { formatTimeUs, type TimeUs } from '../../../src/sim/time.ts';
import type { KafkaRunAnalysis } from '../analysis/kafka-run-analysis.ts';
import { parsePartitionName } from '../analysis/partition-name.ts';
import type { ConsumerGroupSpec } from '../scenario/kafka-scenario.ts';
import { groupFindings, groupViolation, type ClassifiedFinding } from './grouped-violations.ts';
import { recoveryGraceUs, type FaultHorizon } from './liveness-after-heal.ts';
import { breach, permitted, type Cause } from './loss-causes.ts';

const DRAIN_MARGIN_US = 2_000_000;

interface Stuck {
  group: string;
  what: string[];
}

interface GroupTiming {
  batchUs: number;
  graceUs: number;
  drainUs: number;
}

function timingOf(g: ConsumerGroupSpec, brokerDelayMs: number): GroupTiming {
  let batchUs = 0;
  let sessionUs = 0;
  let heartbeatUs = 0;
  let drainExtraUs = 0;
  for (const m of g.members) {
    const c = m.config;
    batchUs = Math.max(batchUs, Math.min(c['max.poll.records'] * m.processingMs, c['max.poll.interval.ms']) * 1000);
    sessionUs = Math.max(sessionUs, c['session.timeout.ms'] * 1000);
    heartbeatUs = Math.max(heartbeatUs, c['heartbeat.interval.ms'] * 1000);
    drainExtraUs = Math.max(drainExtraUs, c['fetch.max.wait.ms'] * 1000 + (m.commit === 'auto' || c['enable.auto.commit'] ? c['auto.commit.interval.ms'] * 1000 : 0));
  }
  return { batchUs, graceUs: sessionUs + brokerDelayMs * 1000 + 2 * batchUs + 2 * heartbeatUs, drainUs: batchUs + drainExtraUs + DRAIN_MARGIN_US };
}

export class ConsumerLivenessChecker implements Checker {
  readonly name = 'consumer-liveness';
  /** Per group (or one for the run); `reported`: a not-judged note the summary shows (a run with a disruption to recover from). */
  private judgement: { judged: boolean; note: string; reported?: boolean }[] = [];
  /** Per time: each partition's highest offset acknowledged by then (lastAckedOffsetBefore). */
  private readonly ackedCache = new Map<TimeUs, Map<string, number>>();
  /** Per group and time: each partition's committed offset then (committedAt). */
  private readonly committedCache = new Map<string, Map<string, number>>();

  constructor(
    private readonly analysis: KafkaRunAnalysis,
    private readonly horizon?: FaultHorizon,
  ) {}

  /**
   * When the group's members are sure to have seen every partition a create-partitions operation
   * added to a topic they read: a consumer learns of them at its next metadata refresh
   * (metadata.max.age.ms; ConsumerCoordinator then rejoins, a rebalance); 0 when none did.
   */
  private partitionsSeenUs(g: ConsumerGroupSpec): number {
    const ageUs = Math.max(...g.members.map((m) => m.config['metadata.max.age.ms'] * 1000));
    const added = this.analysis.scenario.operations.filter((o) => o.kind === 'create-partitions' && g.topics.includes(o.topic));
    return Math.max(0, ...added.map((o) => o.atMs * 1000 + ageUs));
  }

  finish(run: RunView): Violation[] {
    const groups = this.analysis.scenario.consumerGroups ?? [];
    if (groups.length === 0) return [];
    if (run.faultsActive) return this.skip('a fault was still in force at the end');
    const endMs = this.horizon === undefined ? 0 : this.horizon.lastDisruptionEndMs;
    if (endMs === null) return this.skip('background noise without a stop time never ends');
    const healedUs = endMs > 0 || (this.horizon?.faults?.length ?? 0) > 0 ? endMs * 1000 + recoveryGraceUs(this.analysis.scenario) : 0;
    const classified: ClassifiedFinding<Stuck>[] = [];
    for (const g of groups) {
      const timing = timingOf(g, this.analysis.scenario.brokerConfig['group.initial.rebalance.delay.ms']);
      const startUs = Math.min(...g.members.map((m) => m.startMs * 1000));
      // A fetch a broker received just before it went silent is answered by nobody: the member waits
      // out its request.timeout.ms (305 s by default before Kafka 2.0, KAFKA-7050; 30 s since).
      const requestTimeoutUs = Math.max(...g.members.map((m) => m.config['request.timeout.ms'] * 1000));
      const stuckUntilUs = healedUs > 0 ? endMs * 1000 + requestTimeoutUs : 0;
      const expandedUs = this.partitionsSeenUs(g);
      const dueUs = Math.max(healedUs, stuckUntilUs, startUs, expandedUs) + timing.graceUs;
      if (run.nowUs < dueUs) {
        // Without a disruption, a run too short for the group to settle has nothing to recover from: not reported.
        const why =
          expandedUs > Math.max(healedUs, stuckUntilUs)
            ? ` (its members see partitions a create-partitions added at their next metadata refresh, metadata.max.age.ms after it, and rebalance)`
            : stuckUntilUs > healedUs
              ? ` (a fetch in flight to a broker that went silent may wait request.timeout.ms=${requestTimeoutUs / 1000})`
              : '';
        this.judgement.push({ judged: false, note: `group ${g.groupId}: the run ended before ${formatTimeUs(dueUs)}, when it was due to have settled${why}; durationMs ${Math.ceil(dueUs / 1000)} or more judges it`, reported: healedUs > 0 });
        continue;
      }
      this.judgement.push({ judged: true, note: `group ${g.groupId}: settled and keeping up due by ${formatTimeUs(dueUs)}` });
      const what = this.problems(run, g, dueUs, timing);
      if (what.length === 0) continue;
      const cause = this.classify(run, g, dueUs, timing);
      classified.push({ partition: g.groupId, classification: cause.classification, permittedBy: cause.permittedBy, reason: cause.reason, item: { group: g.groupId, what } });
    }
    return groupFindings(classified).map((group) =>
      groupViolation(this.name, group, `group ${group.partition} had not settled and kept up by ${formatTimeUs(run.nowUs)}: ${group.items.flatMap((s) => s.what).join('; ')}`, { group: group.partition }),
    );
  }

  private problems(run: RunView, g: ConsumerGroupSpec, dueUs: TimeUs, timing: GroupTiming): string[] {
    const out: string[] = [];
    const events = this.analysis.timeline.group(g.groupId);
    const rebalances = events.rebalanceStarts.filter((r) => r.timeUs >= dueUs).length;
    if (rebalances > 0) out.push(`${rebalances} rebalance(s) after ${formatTimeUs(dueUs)}`);
    const lastEnd = events.rebalanceEnds[events.rebalanceEnds.length - 1];
    if (!lastEnd || lastEnd.members === 0) out.push('no member in the group');
    const final = this.analysis.conclude(run).final?.consumerGroups?.find((x) => x.group === g.groupId);
    const cutoffUs = run.nowUs - timing.drainUs;
    for (const c of final?.committed ?? []) {
      const owed = this.lastAckedOffsetBefore(c.partition, cutoffUs);
      if (owed < 0 || c.offset > owed) continue; // caught up but for the last drain window
      if (c.offset < 0) {
        out.push(`${c.partition} committed nothing, though offsets up to ${owed} were acknowledged by ${formatTimeUs(cutoffUs)}`);
        continue;
      }
      // Behind: fine while the lag shrinks (a backlog draining), not when it grows.
      const lagDue = this.lastAckedOffsetBefore(c.partition, dueUs) + 1 - Math.max(0, this.committedAt(g.groupId, c.partition, dueUs));
      const lagEnd = owed + 1 - c.offset;
      if (lagEnd > lagDue) out.push(`${c.partition} lag grew from ${lagDue} at ${formatTimeUs(dueUs)} to ${lagEnd} (committed ${c.offset}, offset ${owed} acknowledged by ${formatTimeUs(cutoffUs)})`);
    }
    return out;
  }

  /** The group's committed offset of `partition` at `timeUs` (its last acknowledged commit); -1 when none. */
  private committedAt(group: string, partition: string, timeUs: TimeUs): number {
    // One pass over the group's commits per (group, time) answers every partition.
    const key = `${group}\u0000${timeUs}`;
    let byPartition = this.committedCache.get(key);
    if (byPartition === undefined) {
      byPartition = new Map();
      for (const c of this.analysis.timeline.group(group).commits) {
        if (c.timeUs > timeUs) break;
        byPartition.set(c.partition, c.offset);
      }
      this.committedCache.set(key, byPartition);
    }
    return byPartition.get(partition) ?? -1;
  }

  /** The highest offset of a record of `partition` acknowledged at or before `timeUs`; -1 when none. */
  private lastAckedOffsetBefore(partition: string, timeUs: TimeUs): number {
    // One pass over the records per time answers every partition (not one pass per partition).
    let byPartition = this.ackedCache.get(timeUs);
    if (byPartition === undefined) {
      byPartition = new Map();
      const records = this.analysis.history.records;
      for (const id of records.ids()) {
        if (records.outcome(id) !== 'acked' || records.ackUsOf(id) > timeUs) continue;
        const p = records.partition(id);
        const offset = records.ackOffsetOf(id);
        if (offset > (byPartition.get(p) ?? -1)) byPartition.set(p, offset);
      }
      this.ackedCache.set(timeUs, byPartition);
    }
    return byPartition.get(partition) ?? -1;
  }

  private classify(run: RunView, g: ConsumerGroupSpec, dueUs: TimeUs, timing: GroupTiming): Cause {
    const slow = g.members.find((m) => m.config['max.poll.records'] * m.processingMs > m.config['max.poll.interval.ms']);
    const timeouts = this.analysis.timeline.group(g.groupId).pollTimeouts.length;
    if (slow && timeouts > 0) {
      const c = slow.config;
      return permitted(
        'configuration',
        `max.poll.interval.ms=${c['max.poll.interval.ms']} is shorter than a batch, max.poll.records=${c['max.poll.records']} x ${slow.processingMs} ms: members are removed mid-batch and rebalance again (${timeouts} poll timeouts, KIP-62)`,
      );
    }
    const topics = new Set(g.topics);
    let acked = 0;
    const records = this.analysis.history.records;
    for (const id of records.ids()) if (records.outcome(id) === 'acked' && records.ackUsOf(id) >= dueUs && topics.has(parsePartitionName(records.partition(id)).topic)) acked++;
    const windowS = (run.nowUs - dueUs) / 1e6;
    const inRate = windowS > 0 ? acked / windowS : 0;
    const capacity = g.members.reduce((sum, m) => sum + (m.processingMs > 0 ? 1000 / m.processingMs : Infinity), 0);
    if (capacity < inRate)
      return permitted('configuration', `capacity: ${g.members.length} member(s) process at most ${capacity.toFixed(1)} records/s, below the producers' ${inRate.toFixed(1)} records/s`);
    return breach(`the cluster was whole from ${formatTimeUs(dueUs - timing.graceUs)} and the group can keep up`);
  }

  private skip(note: string): Violation[] {
    this.judgement = [{ judged: false, note, reported: true }];
    return [];
  }

  /** The groups not judged after a disruption, and why (Checker.notJudged); null when none. */
  notJudged(): string | null {
    const notes = this.judgement.filter((j) => !j.judged && j.reported === true).map((j) => j.note);
    return notes.length === 0 ? null : notes.join('; ');
  }

  summary(): object | undefined {
    if (this.judgement.length === 0) return undefined;
    return { judged: this.judgement.some((j) => j.judged), notes: this.judgement.map((j) => j.note) };
  }
}
