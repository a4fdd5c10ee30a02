// Whether a consumer group's state stored in __consumer_offsets (its committed offsets, its
// generation and members: GroupMetadataManager's records) was lost between two times, and why,
// classified like a lost record (loss-causes.ts): the group's offsets partition elected a leader
// whose log ended below the partition's high watermark, so committed records of the group were gone
// from the new coordinator's log when it loaded the group (GroupMetadataManager.loadGroupsForPartition).
//
// - configuration: the election was unclean (unclean.leader.election.enable=true).
// - fault load: the new leader and every other replica of the ISR it was elected from (the ISR just
//   before the election, the leader it replaced included, and the new one) had lost their copy to
//   power or disk loss (naming the faults): in-sync-copies.ts, lost-write's rule. Unless a replica that left the ISR below min.insync.replicas still
//   held the group's records: KIP-966's last replica standing, judged as lost-write judges it for a
//   record (last-replica-standing.ts): the version without Eligible Leader Replicas, a breach with
//   them, the fault load when KIP-966 distrusts that replica (back from an unclean shutdown).
// - version: the records were removed by a truncation the era is known to make (KIP-101), or the
//   new leader lost its log inside the ISR, stayed in it and was elected: a restart the ZooKeeper
//   controller missed (before KIP-380, 2.2; a breach with it); or the new leader had truncated to
//   the log of a leader whose restart the controller missed (missed-bounce.ts), the same flaw; or
//   the new leader lost its log out of the ISR and a stale fetch put it back in (before KIP-903:
//   KRaft metadata.version 3.5).
// - breach: a clean election lost committed group records otherwise.
// Or, with no election, its leader lost its log below the high watermark to power or disk loss and
// led on (a restart the ZooKeeper controller missed: the version before KIP-380; the fault load
// when every in-sync replica lost its log; a breach otherwise).
// Checked by time: only an election or a loss of the group's own offsets partition inside the window counts.
// At the end, a leader of the offsets partition that holds no state for it (a ZooKeeper-mode
// restart the controller missed, before KIP-380: it never got its LeaderAndIsr) loads no group: what
// its log kept (emptied by power loss, say) is what it would load once told, so the group's final
// committed offsets read from it are the known flaw of the version. From 2.2 the controller handles
// the bounce once the old ZooKeeper session expires: before that the commits are unreachable, not lost.

import { formatTimeUs, type TimeUs } from '../../../src/sim/time.ts';
import type { KafkaFinalState } from '../kafka-events.ts';
import type { KafkaRunAnalysis, KafkaRunFindings } from '../analysis/kafka-run-analysis.ts';
import type { OffsetsPartitionElection } from '../analysis/consumer-timeline.ts';
import { countUntil } from '../analysis/time-ordered.ts';
import { partitionForGroup } from '../group/offsets-topic.ts';
import { describeFixKraftOnly, describeMissingFix } from '../version/protocol-features.ts';
import type { FaultNames } from './fault-names.ts';
import { missedBounceAtElection } from './missed-bounce.ts';
import { breach, permitted, type Cause } from './loss-causes.ts';
import { tookOverNote } from './kafka-terms.ts';
import { lastReplicaStandingVerdict, standingReplica, type StandingReplica } from './last-replica-standing.ts';
import { inSyncCopiesLeft } from './in-sync-copies.ts';
import { staleExpansionVersions } from './stale-isr-rejoin.ts';

interface GroupMetadataLoss {
  timeUs: TimeUs;
  partition: string;
  cause: Cause;
}

export class GroupMetadataCauses {
  constructor(
    private readonly analysis: KafkaRunAnalysis,
    private readonly findings: KafkaRunFindings,
    private readonly faults: FaultNames,
  ) {}

  /** The group's __consumer_offsets partition (from the final state, else by Kafka's hash). */
  offsetsPartitionOf(group: string): string | undefined {
    const known = this.findings.final?.consumerGroups?.find((g) => g.group === group)?.offsetsPartition;
    if (known !== undefined) return known;
    const topic = this.analysis.scenario.offsetsTopic;
    return topic?.partitions ? `${topic.name}-${partitionForGroup(group, topic.partitions)}` : undefined;
  }

  /** The first loss of the group's stored state in (fromUs, toUs], or null. */
  lossBetween(group: string, fromUs: TimeUs, toUs: TimeUs): GroupMetadataLoss | null {
    const partition = this.offsetsPartitionOf(group);
    if (partition === undefined) return null;
    const elections = this.analysis.timeline.offsetsElections.get(partition) ?? [];
    const kept = this.leaderLostLog(partition, elections, fromUs, toUs);
    for (const e of elections) {
      if (e.timeUs <= fromUs || e.timeUs > toUs) continue;
      const leader = e.event.leader;
      if (leader === null || e.epochStartOffset >= e.hwBefore) continue;
      return { timeUs: e.timeUs, partition, cause: this.classify(partition, e) };
    }
    return kept;
  }

  /**
   * The leader of the offsets partition lost its log below the high watermark to power or disk
   * loss in (fromUs, toUs] and led on with no election up to toUs: the emptied log is what it loads
   * the group from when told it leads (GroupMetadataManager.loadGroupsForPartition). In ZooKeeper
   * mode before KIP-380 (2.2) the controller misses such a fast bounce, so the restarted broker
   * keeps its leadership: the version; the fault load when every in-sync replica lost its log too;
   * a breach otherwise.
   */
  private leaderLostLog(partition: string, elections: readonly OffsetsPartitionElection[], fromUs: TimeUs, toUs: TimeUs): GroupMetadataLoss | null {
    const losses = this.analysis.timeline.offsetsLosses.get(partition) ?? [];
    for (const l of losses) {
      if (l.timeUs <= fromUs || l.timeUs > toUs || l.cause === 'truncation' || l.fromOffset >= l.hwBefore) continue;
      const leader = this.findings.nodeName(l.node);
      const i = countUntil(elections, l.timeUs);
      if (elections[i - 1]?.event.leader !== leader || (i < elections.length && elections[i].timeUs <= toUs)) continue;
      const what = `${leader} lost its log of ${partition} to ${l.cause} at ${formatTimeUs(l.timeUs)} (LEO ${l.fromOffset}, below its high watermark ${l.hwBefore}) and led it on with no election since: the group's committed offsets and metadata were gone`;
      const isr = this.isrAt(partition, l.timeUs);
      const burned = losses.filter((x) => x.cause !== 'truncation' && x.timeUs <= toUs && x.fromOffset < l.hwBefore).map((x) => this.findings.nodeName(x.node));
      if (isr.length > 0 && isr.every((b) => burned.includes(b))) {
        const faults = this.faults.named(losses.filter((x) => x.cause !== 'truncation' && x.timeUs <= toUs).map((x) => ({ node: this.findings.nodeName(x.node), timeUs: x.timeUs })));
        return { timeUs: l.timeUs, partition, cause: permitted('fault-load', `every in-sync replica of ${partition} (${isr.join(', ')}) lost its unflushed log${faults}; ${what}`) };
      }
      const missedBy = this.analysis.scenario.metadataMode === 'kraft' ? null : this.analysis.versions.bounceMissedBetween(l.timeUs, toUs);
      const cause = missedBy === null ? breach(what) : permitted('version', `${what}: the controller missed its bounce: ${missedBy}: ${describeMissingFix('controllerDetectsBrokerBounce')}`);
      return { timeUs: l.timeUs, partition, cause };
    }
    return null;
  }

  /**
   * The leader of the group's offsets partition at the end when it holds no state for it (a
   * ZooKeeper-mode restart the controller has not handled: it never got its LeaderAndIsr), else null.
   */
  private leaderWithoutStateAtEnd(group: string, final: KafkaFinalState): { leader: string; partition: string } | null {
    const partition = this.offsetsPartitionOf(group);
    const state = final.internalPartitions?.find((p) => p.partition === partition);
    return state?.leaderWithoutState === true && state.leader !== null ? { leader: state.leader, partition: state.partition } : null;
  }

  /**
   * Whether the group's committed offsets read at the end come from a leader whose bounce the
   * controller has yet to handle (it has KIP-380: once the restarted broker's old ZooKeeper session
   * expires, it registers anew and the controller elects a replica that holds the commits): what
   * the group loads is on the other replicas, unreachable for now, not lost (as lost-write counts an
   * offline partition's records).
   */
  bouncePendingAtEnd(group: string, final: KafkaFinalState): boolean {
    return this.leaderWithoutStateAtEnd(group, final) !== null && this.analysis.versions.lastLacking('controllerDetectsBrokerBounce') === null;
  }

  /**
   * Why the group's committed offsets read at the end are not what it committed when its offsets
   * partition's leader holds no state for it and the controller lacked KIP-380 (it never handles
   * that bounce); null otherwise.
   */
  unloadedAtEnd(group: string, final: KafkaFinalState): Cause | null {
    const stateless = this.leaderWithoutStateAtEnd(group, final);
    const missed = this.analysis.versions.lastLacking('controllerDetectsBrokerBounce');
    if (stateless === null || missed === null) return null;
    const { leader, partition } = stateless;
    const lost = (this.analysis.timeline.offsetsLosses.get(partition) ?? []).filter((l) => this.findings.nodeName(l.node) === leader && l.cause !== 'truncation').pop();
    const kept = lost === undefined ? 'its log' : `its log, cut by ${lost.cause} at ${formatTimeUs(lost.timeUs)},`;
    const what = `${leader} leads ${partition} at the end without its state (its restart was never registered by the controller), and ${kept} is what it loads once told`;
    return permitted('version', `${missed.label('controllerDetectsBrokerBounce')}: ${describeMissingFix('controllerDetectsBrokerBounce')}: ${what}`);
  }

  private classify(partition: string, e: OffsetsPartitionElection): Cause {
    const leader = e.event.leader!;
    const at = formatTimeUs(e.timeUs);
    const what = `${leader} was elected leader of ${partition} at ${at} with LEO ${e.epochStartOffset}${tookOverNote(e)}, below its high watermark ${e.hwBefore}: the group's committed offsets and metadata were gone`;
    if (e.event.kind === 'unclean') return permitted('configuration', `unclean.leader.election.enable=true: ${what}`);
    const losses = this.analysis.timeline.offsetsLosses.get(partition) ?? [];
    const nodeName = this.findings.nodeName;
    const storageLostBy = new Map<string, TimeUs>();
    // The label of what the broker that truncated to its HW ran then, if it lacked KIP-101's fix.
    let truncatedToHw: string | null = null;
    for (const l of losses) {
      if (l.timeUs > e.timeUs || l.toOffset <= e.epochStartOffset) continue;
      if (l.cause === 'truncation') {
        const then = this.analysis.versions.at(l.timeUs);
        if (truncatedToHw === null && then.lacks('truncationByLeaderEpoch', l.node)) truncatedToHw = then.label('truncationByLeaderEpoch', l.node);
      }
      else if (!storageLostBy.has(nodeName(l.node))) storageLostBy.set(nodeName(l.node), l.timeUs);
    }
    // Every in-sync copy: of the ISR the leader was elected from, the replica it replaced included
    // (in-sync-copies.ts, lost-write's rule too).
    const electedFrom = { isrBefore: this.isrAt(partition, e.timeUs - 1), isrAfter: e.event.isr.length > 0 ? e.event.isr : [leader] };
    const left = inSyncCopiesLeft(this.analysis.scenario, electedFrom, (b) => !storageLostBy.has(b), (b) => this.standingReplica(partition, e, storageLostBy, b));
    if (left.length === 0) {
      const inSync = [...new Set([...electedFrom.isrAfter, ...electedFrom.isrBefore])].filter((b) => storageLostBy.has(b));
      const faults = this.faults.named([...storageLostBy].map(([node, timeUs]) => ({ node, timeUs })));
      const burned = `every in-sync replica of ${partition} (${inSync.join(', ')}) lost its unflushed log${faults}; ${what}`;
      // KIP-966's last replica standing, judged as lost-write judges it for a record.
      const standing = this.standingReplica(partition, e, storageLostBy);
      if (standing === null) return permitted('fault-load', burned);
      const lastStanding = `${burned}, though ${standing.name}, which left the ISR below min.insync.replicas, still held them`;
      const verdict = lastReplicaStandingVerdict(this.analysis.scenario, standing, lastStanding);
      return verdict.by === 'breach' ? breach(verdict.text) : permitted(verdict.by, verdict.text);
    }
    if (truncatedToHw !== null) return permitted('version', `${truncatedToHw}: ${describeMissingFix('truncationByLeaderEpoch')}; ${what}`);
    const lostUs = storageLostBy.get(leader);
    const bounce = lostUs === undefined ? null : this.missedBounce(partition, e, lostUs);
    if (bounce !== null) return bounce;
    // Or it had truncated to the log of a leader whose bounce the controller missed (it retook the
    // partition from what its disk kept) and carries that log on, as the HW checkers see it.
    const timeline = this.analysis.timeline;
    const evidence = { removals: losses, elections: timeline.offsetsElections.get(partition) ?? [], leaderships: timeline.offsetsLeaderships.get(partition) ?? [] };
    const carried = missedBounceAtElection(this.analysis, nodeName, partition, evidence, { leader, epoch: e.event.leaderEpoch, electionUs: e.timeUs });
    if (carried !== undefined) {
      const text = `${carried.reason}; ${leader} had truncated to its log, then ${what}`;
      return carried.byVersion ? permitted('version', text) : breach(text);
    }
    const rejoin = lostUs === undefined ? null : this.staleIsrRejoin(partition, e, lostUs);
    if (rejoin !== null) return rejoin;
    return breach(`a clean election lost committed records of ${partition}: ${what}`);
  }

  /**
   * The new leader lost its log to power or disk loss inside the ISR at lostUs, started again,
   * stayed in the ISR without it and was elected (loss-causes.ts missedBounce's second shape): the
   * ZooKeeper controller missed its bounce, the known flaw before KIP-380 (2.2), where the
   * controller handles the restart as a failure and takes it out of the ISR. A breach with the fix.
   */
  private missedBounce(partition: string, e: OffsetsPartitionElection, lostUs: TimeUs): Cause | null {
    const leader = e.event.leader!;
    if (this.analysis.scenario.metadataMode === 'kraft') return null;
    const changes = this.analysis.timeline.offsetsIsr.get(partition) ?? [];
    const stayedInIsr = this.isrAt(partition, lostUs).includes(leader) && !changes.some((c) => c.timeUs > lostUs && c.timeUs < e.timeUs && !c.isr.includes(leader));
    // Or elected while its old ZooKeeper session lived (bounce-shapes.ts electedWithinOldSession):
    // the controller still counted the old process alive (a stale fetch, say, put it back in the ISR)
    // and the new one leads once it registers.
    const expiryUs = lostUs + this.analysis.scenario.brokerConfig['zookeeper.session.timeout.ms'] * 1000;
    if (!stayedInIsr && e.timeUs > expiryUs) return null;
    const how = stayedInIsr ? ' inside the ISR, started again, stayed in the ISR without it and' : ', started again and, while its old ZooKeeper session lived,';
    const what = `${leader} lost its log of ${partition} to a storage loss at ${formatTimeUs(lostUs)}${how} was elected leader at ${formatTimeUs(e.timeUs)} with LEO ${e.epochStartOffset}${tookOverNote(e)}, below its high watermark ${e.hwBefore}: the controller missed its bounce, and the group's committed offsets and metadata were gone`;
    const missedBy = this.analysis.versions.bounceMissedBetween(lostUs, e.timeUs);
    return missedBy === null ? breach(what) : permitted('version', `${what}: ${missedBy}: ${describeMissingFix('controllerDetectsBrokerBounce')}`);
  }

  /**
   * The new leader lost its log to power or disk loss while out of the ISR at lostUs, was taken back
   * into it without the log and elected (loss-causes.ts staleIsrRejoin, the same shape for a
   * record): the stale ISR expansion KIP-903 closes with broker epochs in Fetch and AlterPartition,
   * in KRaft from metadata.version 3.5 only (ZooKeeper mode never got the fix). A breach with it.
   */
  private staleIsrRejoin(partition: string, e: OffsetsPartitionElection, lostUs: TimeUs): Cause | null {
    const leader = e.event.leader!;
    if (this.isrAt(partition, lostUs).includes(leader)) return null;
    const changes = this.analysis.timeline.offsetsIsr.get(partition) ?? [];
    const rejoin = changes.find((c) => c.timeUs > lostUs && c.timeUs <= e.timeUs && c.isr.includes(leader));
    if (rejoin === undefined) return null;
    const then = staleExpansionVersions(this.analysis.versions, changes, leader, lostUs, rejoin.timeUs);
    const zooKeeper = this.analysis.scenario.metadataMode !== 'kraft';
    const what = `${leader} lost its log of ${partition} to a storage loss out of the ISR at ${formatTimeUs(lostUs)}, was taken back into the ISR without it at ${formatTimeUs(rejoin.timeUs)} and elected leader at ${formatTimeUs(e.timeUs)} with LEO ${e.epochStartOffset}${tookOverNote(e)}, below its high watermark ${e.hwBefore}: the group's committed offsets and metadata were gone`;
    if (zooKeeper) return permitted('version', `${what}: ${describeFixKraftOnly('alterPartitionCarriesBrokerEpochs')}`);
    if (!then.lacks('alterPartitionCarriesBrokerEpochs')) return breach(what);
    const label = this.analysis.versions.changes.length > 0 ? `${then.label('alterPartitionCarriesBrokerEpochs')}: ` : '';
    return permitted('version', `${what}: ${label}${describeMissingFix('alterPartitionCarriesBrokerEpochs')}`);
  }

  /**
   * A replica that left the offsets partition's ISR below min.insync.replicas after the HW had
   * passed the new leader's log end (it held group records the election lost) and still held them
   * when `e` elected a replica that had lost its log (last-replica-standing.ts); null if none.
   */
  private standingReplica(partition: string, e: OffsetsPartitionElection, lostBy: ReadonlyMap<string, TimeUs>, only?: string): StandingReplica | null {
    const timeline = this.analysis.timeline;
    const leaderLeo = e.epochStartOffset;
    const rises = timeline.offsetsHwRises.get(partition);
    const committedUs = rises?.firstAbove(leaderLeo);
    if (rises === undefined || committedUs === undefined) return null;
    const hwAt = (timeUs: TimeUs) => rises.at(timeUs);
    const losses = timeline.offsetsLosses.get(partition) ?? [];
    const nodeName = this.findings.nodeName;
    // It held what the HW covered as it left, and no truncation or loss took it back to the new leader's log end since.
    const heldFrom = (broker: string, leftUs: TimeUs) =>
      hwAt(leftUs) > leaderLeo && !losses.some((l) => l.timeUs >= leftUs && l.timeUs <= e.timeUs && nodeName(l.node) === broker && l.fromOffset <= leaderLeo);
    const changes = timeline.offsetsIsr.get(partition) ?? [];
    const candidates = [...new Set(changes.flatMap((c) => c.isr))].filter((b) => b !== e.event.leader && !lostBy.has(b) && (only === undefined || b === only)).sort();
    const brokers = this.analysis.scenario.brokers;
    const uncleanRestartBetween = (broker: string, fromUs: TimeUs, untilUs: TimeUs) => this.analysis.history.uncleanRestartBetween(brokers.findIndex((b) => b.name === broker), fromUs, untilUs);
    const minIsr = this.analysis.scenario.offsetsTopic?.config['min.insync.replicas'] ?? this.analysis.lookup.topicConfig(partition)['min.insync.replicas'];
    return standingReplica({ isrChanges: changes, uncleanRestartBetween }, candidates, heldFrom, minIsr, { leftFromUs: committedUs, restartsFromUs: committedUs, electionUs: e.timeUs });
  }

  /** The offsets partition's ISR at `timeUs` (its last election or ISR change then); [] before any. */
  private isrAt(partition: string, timeUs: TimeUs): readonly string[] {
    const changes = this.analysis.timeline.offsetsIsr.get(partition) ?? [];
    return changes[countUntil(changes, timeUs) - 1]?.isr ?? [];
  }
}
