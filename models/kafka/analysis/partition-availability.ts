// Unavailability of one partition, partition-side (whether or not its clients had anything to
// send or read then): a client kind is unavailable while no leader serves it, judged from what
// the clients would meet, not from the controller's decision. A leader serves a kind of client when:
//
// - the broker has taken leadership (its `become-leader`, Partition.makeLeader) and not given it
//   up (`resign-leader`: a newer leader, or a controlled shutdown; a crash ends it at node-down);
// - its process runs and is not paused (kernel view);
// - at least one client of that kind reaches it, both ways (no fault cuts the link either way);
//   a partition's readers are the members of each group it is assigned to (partition-readers.ts);
// - for acks=all writers, readers and __consumer_offsets (the groups it coordinates): it is the
//   controller's current leader. A deposed leader that has not heard yet still appends acks=1
//   writes (and loses them later), but cannot commit an acks=all write (its followers have moved
//   to the new leader) nor hand readers anything new. acks=0/1 writers are served by it.
// - for acks=all writers and __consumer_offsets (commits are acks=all appends): the committed ISR
//   has at least min.insync.replicas members, or the leader refuses with NOT_ENOUGH_REPLICAS
//   (Partition.appendRecordsToLeader; GroupMetadataManager.storeOffsets). Time so refused is
//   also kept apart (isrBelowMinUs).
// - for acks=all writers, readers and __consumer_offsets: its high watermark follows its log. One
//   that stands still with records above it longer than replica.fetch.wait.max.ms +
//   replica.fetch.backoff.ms waits on an ISR member that is not fetching (high-watermark-stall.ts);
//   while it stands still nothing written can be acknowledged to acks=all writers or read, though
//   the partition is led and its ISR is large enough. Such time is kept apart too (hwStalledUs).
//   Stalls are known only once they end, so they are merged with the other unserved time at the
//   end of the run. A link that is only slow makes commits slow, not stalled.
// - for acks=all writers: the connection from that writer to the leader is not held by a request
//   waiting on another partition that is itself unserved to acks=all writers (a producer sends
//   one request per leader with every partition it leads, the leader answers it when all of them
//   commit and reads one request at a time per connection: head-of-line-blocking.ts). A partition
//   whose every serving writer's connection is so held is head-of-line blocked: served by its own
//   state, yet none of its writes can be acknowledged (writers whose process is down have no
//   connection and are left out; with none left, nothing is blocked). Such time is kept apart
//   (headOfLineBlockedUs); like stalls it is known only at the end of the run. A merely slow
//   partition holds its neighbours' writes back for a while each request, which shows in produce
//   latency, not here.
//
// Each kind of client is tracked as one (served when a leader serves one of its clients), and
// each producer also on its own (served when a leader serves it): the kinds make the
// partition-side figure, a producer's own object what it felt (producer-felt-unavailability.ts).
//
// Counting starts when the partition is first led (cluster bootstrap is not an outage); a
// partition never led at all counts from its first election. An interval still open at the end
// is closed at the run's end and flagged. ISR changes stamped with an older leader epoch than the
// controller's current one are a deposed leader's and ignored.

import type { KernelView } from '../../../src/check/checker.ts';
import type { TimeUs } from '../../../src/sim/time.ts';
import { HighWatermarkStall } from './high-watermark-stall.ts';
import { connectionKey, ProduceWaits, type HeldConnections } from './head-of-line-blocking.ts';
import { clip, clipTail, intersection, lengthOf, union } from './time-spans.ts';

/** Who feels the unavailability: writers by acks, consumer group readers, or groups (for __consumer_offsets). */
export type ClientKind = 'acks=all' | 'acks=0/1' | 'readers' | 'groups';

interface ClientRule {
  /** Only the controller's current leader serves (a deposed one does not). */
  currentLeaderOnly: boolean;
  /** The ISR must hold min.insync.replicas. */
  minIsr: boolean;
  /** A stalled high watermark stops them. */
  hwStall: boolean;
  /** Their writes wait, per connection, behind a request waiting on another partition (acks=all produce). */
  headOfLine: boolean;
}

const RULES: Readonly<Record<ClientKind, ClientRule>> = {
  'acks=all': { currentLeaderOnly: true, minIsr: true, hwStall: true, headOfLine: true },
  'acks=0/1': { currentLeaderOnly: false, minIsr: false, hwStall: false, headOfLine: false },
  readers: { currentLeaderOnly: true, minIsr: false, hwStall: true, headOfLine: false },
  groups: { currentLeaderOnly: true, minIsr: true, hwStall: true, headOfLine: false },
};

const SERVED = 0;
const NO_LEADER = 1;
const ISR_BELOW_MIN = 2;
type ServiceState = typeof SERVED | typeof NO_LEADER | typeof ISR_BELOW_MIN;

/** One kind of client of one partition: the nodes it runs on and the time it went unserved. */
export class ClientAvailability {
  /** Final once the run is closed (finish): the union of unserved and stalled time. */
  unavailableUs: TimeUs = 0;
  /** Of unavailableUs: a leader served, but the ISR was below min.insync.replicas. */
  isrBelowMinUs: TimeUs = 0;
  /** Of unavailableUs: served otherwise, but the high watermark stalled. */
  hwStalledUs: TimeUs = 0;
  /** Of hwStalledUs, for kinds the ISR size does not refuse (readers): stalled while the ISR was below min.insync.replicas, on a version whose HW waits for it (KAFKA-15583). */
  hwStalledIsrBelowMinUs: TimeUs = 0;
  /** Of unavailableUs: served otherwise, but every serving connection was held by another partition's wait (acks=all). */
  headOfLineBlockedUs: TimeUs = 0;
  /** Times these clients went unserved for some time (a hand-over within one instant is none). */
  spells = 0;
  private state: ServiceState = SERVED;
  private sinceUs: TimeUs = 0;
  private spellStartUs: TimeUs = 0;
  /** Flat [start, end] pairs: the spells without a leader serving or with the ISR too small, in time order. */
  private readonly unserved: number[] = [];
  /** Flat [start, end] pairs of high watermark stalls, in the order they ended. */
  private readonly stalls: number[] = [];
  private stalledAtEnd = false;
  private blockedAtEnd = false;
  private spans: readonly number[] = [];
  /** While served (kinds with head-of-line blocking): the connections serving, connectionKey each, since servingSinceUs. */
  private serving: readonly number[] | null = null;
  private servingSinceUs: TimeUs = 0;
  /** Closed spans of service and the connections that served, in time order. */
  private readonly servedSpans: { startUs: TimeUs; endUs: TimeUs; connections: readonly number[] }[] = [];

  constructor(
    readonly kind: ClientKind,
    /** Client node indices, ascending (readers: they change with the groups' assignments). */
    public clients: readonly number[],
  ) {}

  /** Final once the run is closed (finish): the unserved time as sorted, disjoint [start, end] pairs (µs). */
  get unavailableSpans(): readonly number[] {
    return this.spans;
  }

  get unavailableAtEnd(): boolean {
    return this.state !== SERVED || this.stalledAtEnd || this.blockedAtEnd;
  }

  /** Starts counting at startUs in the given state. */
  start(startUs: TimeUs, state: ServiceState): void {
    this.sinceUs = startUs;
    this.state = SERVED;
    this.set(startUs, state);
  }

  /** The state from nowUs; `connections`: the connections serving them (connectionKey), for kinds with head-of-line blocking. */
  set(nowUs: TimeUs, state: ServiceState, connections: readonly number[] | null = null): void {
    this.setServing(nowUs, state === SERVED ? connections : null);
    const elapsedUs = Math.max(0, nowUs - this.sinceUs);
    if (this.state === ISR_BELOW_MIN) this.isrBelowMinUs += elapsedUs;
    if (state !== SERVED && this.state === SERVED) this.spellStartUs = nowUs;
    if (state === SERVED && this.state !== SERVED && nowUs > this.spellStartUs) this.unserved.push(this.spellStartUs, nowUs);
    this.state = state;
    this.sinceUs = nowUs;
  }

  /** The high watermark stalled from startUs to endUs (open: still at the end of the run). */
  addStall(startUs: TimeUs, endUs: TimeUs, openAtEnd: boolean): void {
    this.stalls.push(startUs, endUs);
    if (openAtEnd) this.stalledAtEnd = true;
  }

  /**
   * Appends to `out` the parts of [startUs, endUs] these clients have been unserved so far (no
   * leader, the ISR too small, a stall reported): what a batch waiting then waited on. Both lists
   * are in the order their spans ended, so the scan stops at the first that ended before startUs.
   */
  unservedWithin(startUs: TimeUs, endUs: TimeUs, out: number[]): void {
    if (this.state !== SERVED) clip(this.spellStartUs, endUs, startUs, endUs, out);
    clipTail(this.unserved, startUs, endUs, out);
    clipTail(this.stalls, startUs, endUs, out);
  }

  /**
   * The run ended at endUs: closes the open interval and merges the stalls and held connections
   * (all of the run's) into the totals. `isrBelowMin`: sorted spans the HW waited on the ISR's size.
   */
  finish(endUs: TimeUs, held: HeldConnections, isrBelowMin: readonly number[] = []): void {
    this.set(endUs, this.state, this.serving);
    this.setServing(endUs, null);
    if (this.state !== SERVED && endUs > this.spellStartUs) this.unserved.push(this.spellStartUs, endUs);
    const unservedUs = lengthOf(this.unserved);
    const own = union([...this.unserved, ...this.stalls]);
    const blocked = this.blockedSpans(held);
    const merged = blocked.length === 0 ? own : union([...own, ...blocked]);
    const ownUs = lengthOf(own);
    this.spans = merged;
    this.unavailableUs = lengthOf(merged);
    this.hwStalledUs = ownUs - unservedUs;
    // (own \ unserved) ∩ isrBelowMin, as unserved ⊂ own
    if (!RULES[this.kind].minIsr && isrBelowMin.length > 0) this.hwStalledIsrBelowMinUs = lengthOf(intersection(own, isrBelowMin)) - lengthOf(intersection(union(this.unserved), isrBelowMin));
    this.headOfLineBlockedUs = this.unavailableUs - ownUs;
    this.blockedAtEnd = blocked.length > 0 && blocked[blocked.length - 1] >= endUs;
    this.spells = merged.length / 2;
  }

  /** The connections serving these clients changed (null: not served). */
  private setServing(nowUs: TimeUs, connections: readonly number[] | null): void {
    if (sameConnections(this.serving, connections)) return;
    if (this.serving !== null && nowUs > this.servingSinceUs) this.servedSpans.push({ startUs: this.servingSinceUs, endUs: nowUs, connections: this.serving });
    this.serving = connections;
    this.servingSinceUs = nowUs;
  }

  /** The times served by their own state while every serving connection was held. */
  private blockedSpans(held: HeldConnections): number[] {
    const out: number[] = [];
    for (const span of this.servedSpans) {
      if (span.connections.length === 0) continue; // served only by writers that are down: nothing to hold
      let within = [span.startUs, span.endUs];
      for (const key of span.connections) {
        within = intersection(within, union(held.of(key)));
        if (within.length === 0) break;
      }
      out.push(...within);
    }
    return out;
  }
}

function sameConnections(a: readonly number[] | null, b: readonly number[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

export class PartitionAvailability {
  private started = false;
  private firstElectionUs: TimeUs = -1;
  /** The controller's view: its current leader (node, -1 none), leader epoch and committed ISR size. */
  private leaderNode = -1;
  private leaderEpoch = -1;
  private isrSize = 0;
  /** Flat [start, end] pairs while the committed ISR was below min.insync.replicas, if the HW waits for it then (KAFKA-15583); open from isrBelowMinSinceUs. */
  private readonly isrBelowMin: number[] = [];
  private isrBelowMinSinceUs = -1;
  /** Nodes of the brokers that have taken leadership and not given it up: one, or two while a deposed leader has not heard. */
  private readonly leading: number[] = [];
  private readonly stall: HighWatermarkStall;
  /** acks=all batches waiting at the brokers leading the partition (head-of-line-blocking.ts). */
  private readonly waits: ProduceWaits;

  /** The kinds' and the writers' (each object once): what every change of state updates. */
  private readonly tracked: readonly ClientAvailability[];

  constructor(
    readonly partition: string,
    readonly minInsyncReplicas: number,
    /** One per kind of client the partition has. */
    readonly clients: readonly ClientAvailability[],
    /**
     * Per producer writing to the partition (by name), its own: served when a leader serves that
     * producer (a kind is served when one of its clients is). A kind with one writer is that
     * writer's object. What a producer felt is read from it (producer-felt-unavailability.ts).
     */
    readonly writers: ReadonlyMap<string, ClientAvailability>,
    private readonly kernel: KernelView,
    /** replica.fetch.wait.max.ms + replica.fetch.backoff.ms in µs: how long the high watermark may stand still with records above it before the partition counts as stalled. */
    stallBoundUs: TimeUs,
    /** Where the time a writer's connection waited on this partition while it was unserved goes. */
    held: HeldConnections,
    /** KAFKA-15583 (3.7): the leader does not advance the HW while the ISR is below min.insync.replicas. */
    private readonly hwWaitsForMinIsr = false,
  ) {
    this.tracked = [...new Set([...clients, ...writers.values()])];
    this.stall = new HighWatermarkStall(stallBoundUs, (startUs, endUs, openAtEnd) => {
      for (const c of this.tracked) if (RULES[c.kind].hwStall) c.addStall(startUs, endUs, openAtEnd);
    });
    const acksAll = clients.find((c) => c.kind === 'acks=all');
    const unserved: number[] = []; // reused: held.add copies
    this.waits = new ProduceWaits((client, leader, startUs, endUs) => {
      if (acksAll === undefined) return;
      if (unserved.length !== 0) unserved.length = 0;
      acksAll.unservedWithin(startUs, endUs, unserved);
      if (unserved.length > 0) held.add(client, leader, unserved);
    });
  }

  /** The controller elected `leaderNode` (-1: none, offline) with an ISR of isrSize. */
  onElection(timeUs: TimeUs, leaderNode: number, leaderEpoch: number, isrSize: number): void {
    if (this.firstElectionUs < 0) this.firstElectionUs = timeUs;
    else if (!this.started) {
      // Elected again before any leader took it (the first was cut off before it heard): it was
      // unavailable from its creation, as a partition that never led is (endWaits).
      this.started = true;
      for (const c of this.tracked) c.start(this.firstElectionUs, NO_LEADER);
    }
    if (leaderNode !== this.leaderNode) this.stall.onLeadershipEnd(timeUs, this.leaderNode);
    this.leaderNode = leaderNode;
    this.leaderEpoch = Math.max(this.leaderEpoch, leaderEpoch);
    this.setIsrSize(timeUs, isrSize);
    this.update(timeUs);
  }

  onIsrChange(timeUs: TimeUs, leaderEpoch: number, isrSize: number): void {
    if (leaderEpoch < this.leaderEpoch) return;
    this.leaderEpoch = leaderEpoch;
    this.setIsrSize(timeUs, isrSize);
    this.update(timeUs);
  }

  private setIsrSize(timeUs: TimeUs, isrSize: number): void {
    this.isrSize = isrSize;
    const below = this.hwWaitsForMinIsr && isrSize < this.minInsyncReplicas;
    if (below && this.isrBelowMinSinceUs < 0) this.isrBelowMinSinceUs = timeUs;
    if (!below && this.isrBelowMinSinceUs >= 0) {
      this.isrBelowMin.push(this.isrBelowMinSinceUs, timeUs);
      this.isrBelowMinSinceUs = -1;
    }
  }

  onBecomeLeader(timeUs: TimeUs, node: number): void {
    this.forget(node);
    this.leading.push(node);
    if (!this.started) {
      this.started = true;
      for (const c of this.tracked) c.start(timeUs, this.stateFor(c));
    }
    this.update(timeUs);
  }

  /** The broker on `node` gave up leadership, or its process went down. */
  onLeadershipEnd(timeUs: TimeUs, node: number): void {
    this.stall.onLeadershipEnd(timeUs, node);
    this.waits.onLeadershipEnd(timeUs, node);
    if (this.forget(node)) this.update(timeUs);
  }

  /** The broker on `node`, leading, appended a batch of acks=all writer `client`'s request, up to endOffset; the request times out at deadlineUs. */
  onProduceWait(timeUs: TimeUs, node: number, client: number, endOffset: number, deadlineUs: TimeUs): void {
    this.waits.onAppend(timeUs, node, client, endOffset, deadlineUs);
  }

  /** A client's process went down: its requests no longer hold any connection. */
  onClientDown(timeUs: TimeUs, node: number): void {
    this.waits.onClientDown(timeUs, node);
  }

  /** The members reading the partition changed (a consumer group's assignment, partition-readers.ts): readers are served through `nodes` from timeUs. */
  onReadersChange(timeUs: TimeUs, nodes: readonly number[]): void {
    const readers = this.clients.find((c) => c.kind === 'readers');
    if (readers === undefined || (readers.clients.length === nodes.length && readers.clients.every((n, i) => n === nodes[i]))) return;
    readers.clients = nodes;
    this.update(timeUs);
  }

  /** The broker on `node` appended records as leader, up to endOffset (exclusive); only the controller's current leader's count. */
  onLeaderAppend(timeUs: TimeUs, node: number, endOffset: number): void {
    if (node === this.leaderNode && this.leading.includes(node)) this.stall.onLeaderAppend(timeUs, node, endOffset);
  }

  /** The leader on `node` moved its high watermark to hw. */
  onHighWatermark(timeUs: TimeUs, node: number, hw: number): void {
    this.stall.onLeaderHighWatermark(timeUs, node, hw); // first: a stall it ends is known to the waits it answers
    this.waits.onHighWatermark(timeUs, node, hw);
  }

  /** Re-evaluates every kind of client and every writer against the kernel's state now. */
  update(timeUs: TimeUs): void {
    if (!this.started) return;
    for (const c of this.tracked) {
      const connections = RULES[c.kind].headOfLine ? [] : null;
      c.set(timeUs, this.stateFor(c, connections), connections);
    }
  }

  /** Closing, first step (every partition's, before any closes): ends the stalls and waits still open at endUs. */
  endWaits(endUs: TimeUs): void {
    if (!this.started && this.firstElectionUs >= 0) {
      // Never led: unavailable from its creation.
      this.started = true;
      for (const c of this.tracked) c.start(this.firstElectionUs, NO_LEADER);
    }
    if (!this.started) return;
    this.stall.close(endUs);
    this.waits.close(endUs);
  }

  /** Closes the open intervals at the end of the run, with the connections held anywhere in the cluster. Call once, after endWaits. */
  close(endUs: TimeUs, held: HeldConnections): void {
    if (!this.started) return;
    if (this.isrBelowMinSinceUs >= 0) this.isrBelowMin.push(this.isrBelowMinSinceUs, endUs);
    for (const c of this.tracked) c.finish(endUs, held, this.isrBelowMin);
  }

  private forget(node: number): boolean {
    const i = this.leading.indexOf(node);
    if (i < 0) return false;
    this.leading.splice(i, 1);
    return true;
  }

  /**
   * The clients' state; with `connections`, every connection that serves them is listed there:
   * only a client whose process runs has one (a crashed writer is neither held nor free).
   */
  private stateFor(c: ClientAvailability, connections: number[] | null = null): ServiceState {
    const rule = RULES[c.kind];
    const k = this.kernel;
    let served = false;
    for (const leader of this.leading) {
      if (rule.currentLeaderOnly && leader !== this.leaderNode) continue;
      if (!k.isUp(leader) || k.isPaused(leader)) continue;
      for (const client of c.clients) {
        if (!k.isLinkCut(client, leader) && !k.isLinkCut(leader, client)) {
          served = true;
          if (connections === null) break;
          if (k.isUp(client)) connections.push(connectionKey(client, leader));
        }
      }
      if (served && connections === null) break;
    }
    if (!served) return NO_LEADER;
    if (rule.minIsr && this.isrSize < this.minInsyncReplicas) return ISR_BELOW_MIN;
    return SERVED;
  }
}
