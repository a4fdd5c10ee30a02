// committed-offset-backwards: a consumer group's committed offset of a partition never moves
// backwards. The committed offset moves on every acknowledged commit (commit-ok, in arrival order)
// and, at the end, is what the group's coordinator loads from its __consumer_offsets partition (the
// final state: a coordinator failover reloads the group from the new leader's log). A commit-ok, or
// the final loaded offset, below the previous committed offset is a finding, when the lower commit
// was sent after the higher one was acknowledged: two commits in flight together (a member paused
// with its commit's response undelivered while another member commits more) may have been applied
// by the coordinator in either order, and the clients cannot tell which (as a linearizability
// checker treats concurrent operations); the final loaded offset still judges where they ended.
//
// Classified by what moved it back, checked by time (only a cause after the higher commit was sent
// and before the lower offset arrived counts):
// - the group's state was lost with its __consumer_offsets partition in between (an election of a
//   leader without the group's records, group-metadata-loss.ts): the fault load when every in-sync
//   copy was lost (naming the faults), the configuration for an unclean election, a breach for a
//   clean election that lost them;
// - the committing member reset its position back in between (consumer-causes.ts): by why it
//   reset: KIP-320 truncation detection or an out-of-range position after an election cut the log
//   (unclean: configuration; every in-sync copy lost: the fault load), a committed offset that
//   vanished (the loss above);
// - breach otherwise: the coordinator accepted an offset that a fenced or stale member computed
//   (a commit from an old generation), or lost an acknowledged commit without cause.
// A final loaded offset of -1 (nothing committed) after commits counts as moving back to -1. One
// read from a leader that holds no state for the offsets partition at the end (a restart the
// ZooKeeper controller missed) is judged by that: permitted by the version before KIP-380; from 2.2
// the controller handles the bounce once the old session expires, so the group's commits on the
// other replicas are unreachable at the end, not lost, and the final offset is not compared; nor is
// it when the offsets partition has no leader at the end (no coordinator loads the group).

import type { Checker, RunView } from '../../../src/check/checker.ts';
import type { ModelEvent, Violation } from '../../../src/sim/model.ts';
import { formatTimeUs, type TimeUs } from '../../../src/sim/time.ts';
import type { KafkaEvent, KafkaFinalState, KafkaEventType } from '../kafka-events.ts';
import type { KafkaScenario } from '../scenario/kafka-scenario.ts';
import { groupFindings, groupViolation, RECORDS_NAMED_MAX, type ClassifiedFinding } from './grouped-violations.ts';
import { resetKind } from './consumer-causes.ts';
import type { RunCauses } from './run-causes.ts';

interface OffsetMovedBack {
  group: string;
  partition: string;
  fromOffset: number;
  toOffset: number;
  /** When the previous (higher) offset was committed, and by whom. */
  fromUs: TimeUs;
  /** When that commit was sent: a loss of the offsets partition after it may have removed it (its ack can arrive after the loss). */
  fromSentUs: TimeUs;
  fromMember: string;
  /** When the lower offset arrived; the end of the run for the final loaded offset. */
  atUs: TimeUs;
  /** The member whose commit-ok carried the lower offset; null for the final loaded offset. */
  member: string | null;
  generation: number;
}

interface Committed {
  offset: number;
  timeUs: TimeUs;
  sentUs: TimeUs;
  member: string;
}

function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class CommittedOffsetBackwardsChecker implements Checker {
  readonly name = 'committed-offset-backwards';
  /** What onEvent reads (the kernel dispatches by type). */
  readonly eventTypes: readonly KafkaEventType[] = ['commit', 'commit-ok'];
  /** Group -> partition -> last committed (nested: no key string built per committed partition). */
  private readonly committed = new Map<string, Map<string, Committed>>();
  /** Member -> its commits sent and not yet acknowledged, in send order. */
  private readonly inFlight = new Map<string, { timeUs: TimeUs; group: string; partitions: string[]; offsets: number[] }[]>();
  private readonly findings: OffsetMovedBack[] = [];

  constructor(
    _scenario: KafkaScenario,
    private readonly causes: RunCauses,
  ) {}

  onEvent(timeUs: TimeUs, _node: number, modelEvent: ModelEvent): void {
    const ev = modelEvent as unknown as KafkaEvent;
    if (ev.type === 'commit') {
      const sent = this.inFlight.get(ev.member) ?? [];
      sent.push({ timeUs, group: ev.group, partitions: ev.partitions, offsets: ev.offsets });
      this.inFlight.set(ev.member, sent);
    }
    if (ev.type !== 'commit-ok') return;
    const sentUs = this.takeSent(ev.member, ev.group, ev.partitions, ev.offsets) ?? timeUs;
    for (let i = 0; i < ev.partitions.length; i++) this.commit(timeUs, sentUs, ev.group, ev.partitions[i], ev.offsets[i], ev.member, ev.generation);
  }

  /** When the acknowledged commit was sent (its request, matched by content), removed from those in flight. */
  private takeSent(member: string, group: string, partitions: readonly string[], offsets: readonly number[]): TimeUs | undefined {
    const sent = this.inFlight.get(member);
    if (sent === undefined) return undefined;
    let i = 0;
    while (i < sent.length && !(sent[i].group === group && sameItems(sent[i].partitions, partitions) && sameItems(sent[i].offsets, offsets))) i++;
    if (i === sent.length) return undefined;
    const c = sent[i];
    // Older commits of the member still unanswered were answered with an error (or are lost with a reset): drop them.
    sent.splice(0, i + 1);
    return c.timeUs;
  }

  private commit(timeUs: TimeUs, sentUs: TimeUs, group: string, partition: string, offset: number, member: string, generation: number): void {
    let byPartition = this.committed.get(group);
    if (byPartition === undefined) this.committed.set(group, (byPartition = new Map()));
    const prev = byPartition.get(partition);
    // In flight together with the higher commit: the coordinator may have applied this one first.
    if (prev !== undefined && offset < prev.offset && sentUs < prev.timeUs) return;
    if (prev !== undefined && offset < prev.offset) {
      this.findings.push({
        group,
        partition,
        fromOffset: prev.offset,
        toOffset: offset,
        fromUs: prev.timeUs,
        fromSentUs: prev.sentUs,
        fromMember: prev.member,
        atUs: timeUs,
        member,
        generation,
      });
    }
    if (prev === undefined) return void byPartition.set(partition, { offset, timeUs, sentUs, member });
    // Rewritten in place (findings copy its fields): no object per committed partition a commit.
    prev.offset = offset;
    prev.timeUs = timeUs;
    prev.sentUs = sentUs;
    prev.member = member;
  }

  finish(run: RunView): Violation[] {
    const final = run.model.final as KafkaFinalState | undefined;
    for (const fg of final?.consumerGroups ?? []) {
      // Read from a leader whose bounce the controller is yet to handle: what the group loads is elsewhere.
      if (this.causes.of(run).groups.bouncePendingAtEnd(fg.group, final!)) continue;
      // The offsets partition is offline at the end: no coordinator loads the group, so its commits
      // are unreachable on replicas waiting to be elected, not moved back (as lost-write counts an
      // offline partition's records); a loss by an election before it is judged by the commits after it.
      if (fg.coordinator === null) continue;
      for (const c of fg.committed) {
        const prev = this.committed.get(fg.group)?.get(c.partition);
        if (prev === undefined || c.offset >= prev.offset) continue;
        this.findings.push({
          group: fg.group,
          partition: c.partition,
          fromOffset: prev.offset,
          toOffset: c.offset,
          fromUs: prev.timeUs,
          fromSentUs: prev.sentUs,
          fromMember: prev.member,
          atUs: run.nowUs,
          member: null,
          generation: -1,
        });
      }
    }
    if (this.findings.length === 0) return [];
    const classified = this.findings.map((f) => this.classify(run, f));
    return groupFindings(classified).map((group) => {
      const items = group.items;
      const named = items.slice(0, RECORDS_NAMED_MAX).map((f) => describe(f));
      const more = items.length > named.length ? `, and ${items.length - named.length} more` : '';
      const body = `committed offset of ${group.partition} moved backwards: ${named.join('; ')}${more}`;
      return groupViolation(this.name, group, body, {
        groups: items.slice(0, RECORDS_NAMED_MAX).map((f) => f.group),
        moves: items.slice(0, RECORDS_NAMED_MAX).map((f) => [f.fromOffset, f.toOffset]),
      });
    });
  }

  private classify(run: RunView, f: OffsetMovedBack): ClassifiedFinding<OffsetMovedBack> {
    const { groups, consumer } = this.causes.of(run);
    const found = (c: { classification: ClassifiedFinding<OffsetMovedBack>['classification']; permittedBy?: ClassifiedFinding<OffsetMovedBack>['permittedBy']; reason: string }) => ({
      partition: f.partition,
      classification: c.classification,
      permittedBy: c.permittedBy,
      reason: c.reason,
      item: f,
    });
    // From the commit's send: the coordinator may have appended and acknowledged it just before a
    // loss whose ack reached the member after it.
    const loss = groups.lossBetween(f.group, f.fromSentUs, f.atUs);
    if (loss) return found({ ...loss.cause, reason: `the commit of ${f.fromOffset} was lost: ${loss.cause.reason}` });
    const final = run.model.final as KafkaFinalState | undefined;
    const unloaded = f.member === null && final !== undefined ? groups.unloadedAtEnd(f.group, final) : null;
    if (unloaded) return found(unloaded);
    if (f.member !== null) {
      const reset = consumer
        .resets(f.partition, { group: f.group, member: f.member })
        .find((x) => x.timeUs >= f.fromUs && x.timeUs <= f.atUs && x.toOffset !== null && x.toOffset <= f.toOffset);
      if (reset) {
        const why = consumer.resetCause(reset);
        return found({ ...why, reason: `${resetKind(reset)}; ${why.reason}` });
      }
    }
    return found({ classification: 'breach', reason: 'an acknowledged commit is never undone' });
  }
}

function describe(f: OffsetMovedBack): string {
  const by = f.member === null ? `the coordinator's log at the end holds ${f.toOffset}` : `${f.member} (generation ${f.generation}) committed ${f.toOffset} at ${formatTimeUs(f.atUs)}`;
  return `group ${f.group} had ${f.fromOffset} (committed by ${f.fromMember} at ${formatTimeUs(f.fromUs)}), then ${by}`;
}
