// Unavailability of one partition as its clients feel it: a client kind is unavailable while no
// leader serves it, not from the controller's decision. A leader serves a kind of client when:
//
// - the broker has taken leadership (its `become-leader`, Partition.makeLeader) and not given it
//   up (`resign-leader`: a newer leader, or a controlled shutdown; a crash ends it at node-down);
// - its process runs and is not paused (kernel view);
// - at least one client of that kind reaches it, both ways (no fault cuts the link either way);
// - for acks=all writers, readers and __consumer_offsets (the groups it coordinates): it is the
//   controller's current leader. A deposed leader that has not heard yet still appends acks=1
//   writes (and loses them later), but cannot commit an acks=all write (its followers have moved
//   to the new leader) nor hand readers anything new. acks=0/1 writers are served by it.
// - for acks=all writers and __consumer_offsets (commits are acks=all appends): the committed ISR
//   has at least min.insync.replicas members, or the leader refuses with NOT_ENOUGH_REPLICAS
//   (Partition.appendRecordsToLeader; GroupMetadataManager.storeOffsets). Time so refused is
//   also kept apart (isrBelowMinUs).
//
// Counting starts when the partition is first led (cluster bootstrap is not an outage); a
// partition never led at all counts from its first election. An interval still open at the end
// is closed at the run's end and flagged. ISR changes stamped with an older leader epoch than the
// controller's current one are a deposed leader's and ignored.

import type { KernelView } from '../../../src/check/checker.ts';
import type { TimeUs } from '../../../src/sim/time.ts';

/** Who feels the unavailability: writers by acks, consumer group readers, or groups (for __consumer_offsets). */
export type ClientKind = 'acks=all' | 'acks=0/1' | 'readers' | 'groups';

interface ClientRule {
  /** Only the controller's current leader serves (a deposed one does not). */
  currentLeaderOnly: boolean;
  /** The ISR must hold min.insync.replicas. */
  minIsr: boolean;
}

const RULES: Readonly<Record<ClientKind, ClientRule>> = {
  'acks=all': { currentLeaderOnly: true, minIsr: true },
  'acks=0/1': { currentLeaderOnly: false, minIsr: false },
  readers: { currentLeaderOnly: true, minIsr: false },
  groups: { currentLeaderOnly: true, minIsr: true },
};

const SERVED = 0;
const NO_LEADER = 1;
const ISR_BELOW_MIN = 2;
type ServiceState = typeof SERVED | typeof NO_LEADER | typeof ISR_BELOW_MIN;

/** One kind of client of one partition: the nodes it runs on and the time it went unserved. */
export class ClientAvailability {
  unavailableUs: TimeUs = 0;
  /** Of unavailableUs: a leader served, but the ISR was below min.insync.replicas. */
  isrBelowMinUs: TimeUs = 0;
  /** Times these clients went unserved for some time (a hand-over within one instant is none). */
  spells = 0;
  private state: ServiceState = SERVED;
  private sinceUs: TimeUs = 0;
  private spellStartUs: TimeUs = 0;

  constructor(
    readonly kind: ClientKind,
    /** Client node indices, ascending. */
    readonly clients: readonly number[],
  ) {}

  get unavailableAtEnd(): boolean {
    return this.state !== SERVED;
  }

  /** Starts counting at startUs in the given state. */
  start(startUs: TimeUs, state: ServiceState): void {
    this.sinceUs = startUs;
    this.state = SERVED;
    this.set(startUs, state);
  }

  set(nowUs: TimeUs, state: ServiceState): void {
    const elapsedUs = Math.max(0, nowUs - this.sinceUs);
    if (this.state !== SERVED) this.unavailableUs += elapsedUs;
    if (this.state === ISR_BELOW_MIN) this.isrBelowMinUs += elapsedUs;
    if (state !== SERVED && this.state === SERVED) this.spellStartUs = nowUs;
    if (state === SERVED && this.state !== SERVED && nowUs > this.spellStartUs) this.spells++;
    this.state = state;
    this.sinceUs = nowUs;
  }

  /** The run ended at endUs: closes the open interval (and spell). */
  finish(endUs: TimeUs): void {
    this.set(endUs, this.state);
    if (this.state !== SERVED && endUs > this.spellStartUs) this.spells++;
  }
}

export class PartitionAvailability {
  private started = false;
  private firstElectionUs: TimeUs = -1;
  /** The controller's view: its current leader (node, -1 none), leader epoch and committed ISR size. */
  private leaderNode = -1;
  private leaderEpoch = -1;
  private isrSize = 0;
  /** Nodes of the brokers that have taken leadership and not given it up: one, or two while a deposed leader has not heard. */
  private readonly leading: number[] = [];

  constructor(
    readonly partition: string,
    readonly minInsyncReplicas: number,
    /** One per kind of client the partition has. */
    readonly clients: readonly ClientAvailability[],
    private readonly kernel: KernelView,
  ) {}

  /** The controller elected `leaderNode` (-1: none, offline) with an ISR of isrSize. */
  onElection(timeUs: TimeUs, leaderNode: number, leaderEpoch: number, isrSize: number): void {
    if (this.firstElectionUs < 0) this.firstElectionUs = timeUs;
    this.leaderNode = leaderNode;
    this.leaderEpoch = Math.max(this.leaderEpoch, leaderEpoch);
    this.isrSize = isrSize;
    this.update(timeUs);
  }

  onIsrChange(timeUs: TimeUs, leaderEpoch: number, isrSize: number): void {
    if (leaderEpoch < this.leaderEpoch) return;
    this.leaderEpoch = leaderEpoch;
    this.isrSize = isrSize;
    this.update(timeUs);
  }

  onBecomeLeader(timeUs: TimeUs, node: number): void {
    this.forget(node);
    this.leading.push(node);
    if (!this.started) {
      this.started = true;
      for (const c of this.clients) c.start(timeUs, this.stateFor(c));
    }
    this.update(timeUs);
  }

  /** The broker on `node` gave up leadership, or its process went down. */
  onLeadershipEnd(timeUs: TimeUs, node: number): void {
    if (this.forget(node)) this.update(timeUs);
  }

  /** Re-evaluates every kind of client against the kernel's state now. */
  update(timeUs: TimeUs): void {
    if (!this.started) return;
    for (const c of this.clients) c.set(timeUs, this.stateFor(c));
  }

  /** Closes the open intervals at the end of the run. Call once. */
  close(endUs: TimeUs): void {
    if (!this.started && this.firstElectionUs >= 0) {
      // Never led: unavailable from its creation.
      this.started = true;
      for (const c of this.clients) c.start(this.firstElectionUs, NO_LEADER);
    }
    if (!this.started) return;
    for (const c of this.clients) c.finish(endUs);
  }

  private forget(node: number): boolean {
    const i = this.leading.indexOf(node);
    if (i < 0) return false;
    this.leading.splice(i, 1);
    return true;
  }

  private stateFor(c: ClientAvailability): ServiceState {
    const rule = RULES[c.kind];
    const k = this.kernel;
    let served = false;
    for (const leader of this.leading) {
      if (rule.currentLeaderOnly && leader !== this.leaderNode) continue;
      if (!k.isUp(leader) || k.isPaused(leader)) continue;
      for (const client of c.clients) {
        if (!k.isLinkCut(client, leader) && !k.isLinkCut(leader, client)) {
          served = true;
          break;
        }
      }
      if (served) break;
    }
    if (!served) return NO_LEADER;
    if (rule.minIsr && this.isrSize < this.minInsyncReplicas) return ISR_BELOW_MIN;
    return SERVED;
  }
}
