// Kafka's Fetcher (AbstractFetch, FetchCollector): fetch requests to partition leaders, one in
// flight per leader, for every fetchable partition whose buffer is drained, up to the HW; the
// responses fill the FetchBuffer, and poll() collects up to max.poll.records from it, partition by
// partition in turn. A fetch's error sends the consumer for fresh metadata; OFFSET_OUT_OF_RANGE
// resets the position per auto.offset.reset. From 2.3 (KIP-320's consumer side, KAFKA-7440) each
// partition carries the leader epoch the consumer knows; 2.1-2.2's consumer sends none, though
// the brokers fence followers from 2.1. From 1.1 (KIP-227) the fetches to each leader use a
// fetch session (AbstractFetch.sessionHandlers, clients/fetch-session-handler.ts): a partition
// with buffered records is left out of the fetch, so it leaves the session (toForget) until its
// buffer is drained; a session error refetches in full at once, a failed fetch ends the session.
//
// Simplifications: fetch sizes are record counts (max.partition.fetch.bytes / largest record);
// the records of a compacted-away offset are skipped on poll, the position moving past them.

import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import { OFFSET_OUT_OF_RANGE, type ConsumerFetchResponse, type FetchPartition, type KafkaMessage } from '../messages.ts';
import type { ConsumerConfig } from '../config/consumer-configs.ts';
import type { MemoryRecords } from '../storage/log-record-store.ts';
import type { KafkaTimer } from '../timers.ts';
import type { ApplicationThread } from './application-thread.ts';
import type { ConsumerMetadata } from './consumer-metadata.ts';
import { REQ_FETCH, type ConsumerNetworkClient } from './consumer-network-client.ts';
import type { FetchBuffer } from './fetch-buffer.ts';
import type { OffsetFetcher } from './offset-fetcher.ts';
import { FetchSessionHandler } from '../clients/fetch-session-handler.ts';
import { AssignedByLeader } from './assigned-by-leader.ts';
import { isOlderVersion } from '../version/kafka-versions.ts';
import { AWAIT_RESET, AWAIT_VALIDATION, FETCHING, type SubscriptionState } from './subscription-state.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** Records poll() returned (run-wide ids), each with its partition slot and offset. */
interface PolledRecords {
  slots: number[];
  records: number[];
  offsets: number[];
}

export class Fetcher {
  /** Per broker: a fetch is in flight to it. */
  private readonly fetchInFlight: Uint8Array;
  /** The slot collectFetch starts at (it moves on by one each poll). */
  private nextSlot = 0;
  private readonly maxRecordsPerFetch: number;
  /** KIP-227: the session with each broker (made on first use; null: a client before 1.1), and whether the fetch in flight to it used it. */
  private sessions: (FetchSessionHandler | undefined)[] | null;
  private readonly inflightInSession: Uint8Array;
  /** The assigned partitions by leader: a fetch round visits those of the leaders with no fetch in flight. */
  private readonly assignedByLeader: AssignedByLeader;

  constructor(
    private readonly world: KafkaWorld,
    /** Member name and group id, for events. */
    private readonly member: string,
    private readonly group: string,
    private readonly config: ConsumerConfig,
    private readonly subscriptions: SubscriptionState,
    private readonly fetchBuffer: FetchBuffer,
    private readonly metadata: ConsumerMetadata,
    private readonly offsetFetcher: OffsetFetcher,
    private readonly network: ConsumerNetworkClient,
    private readonly thread: ApplicationThread,
  ) {
    this.fetchInFlight = new Uint8Array(world.layout.brokerCount);
    this.maxRecordsPerFetch = Math.max(1, Math.floor(config['max.partition.fetch.bytes'] / world.maxRecordBytes));
    // Clients stay at the scenario's version; Fetch v7 (sessions) from 1.1. A broker before 1.1
    // answers without a session id, so the requests to it stay full.
    this.sessions = isOlderVersion(world.versions.initialVersion, '1.1') ? null : [];
    this.inflightInSession = new Uint8Array(world.layout.brokerCount);
    this.assignedByLeader = new AssignedByLeader(world.layout.brokerCount);
  }

  /** Process start: no fetch in flight, no session. */
  clear(): void {
    this.fetchInFlight.fill(0);
    this.inflightInSession.fill(0);
    if (this.sessions !== null) this.sessions = [];
  }

  sendFetches(ctx: Ctx): void {
    if (!this.thread.started) return;
    const subs = this.subscriptions;
    const byLeader = this.assignedByLeader;
    byLeader.refresh(subs.assigned, subs.slotOf, this.metadata.leaders);
    let needMetadata = false;
    for (const s of byLeader.leaderless) {
      const st = subs.state[s];
      // A position awaiting KIP-320 validation needs its leader too (OffsetFetcher validates once
      // metadata names one): without this a consumer whose first metadata predates the election
      // never fetches (found by consumer-liveness).
      if (st === AWAIT_VALIDATION || ((st === FETCHING || st === AWAIT_RESET) && this.fetchBuffer.isEmpty(s))) needMetadata = true;
    }
    let byBroker: (FetchPartition[] | null)[] | null = null;
    const current = this.world.protocol.consumerValidatesPositions;
    for (let leader = 0; leader < byLeader.slotsOf.length; leader++) {
      if (this.fetchInFlight[leader] !== 0) continue;
      const slots = byLeader.slotsOf[leader];
      for (let i = 0; i < slots.length; i++) {
        const s = slots[i];
        const st = subs.state[s];
        if ((st !== FETCHING && st !== AWAIT_RESET) || !this.fetchBuffer.isEmpty(s)) continue;
        byBroker ??= new Array(this.world.layout.brokerCount).fill(null);
        (byBroker[leader] ??= []).push({ partition: subs.partitions[s], fetchOffset: subs.position[s], currentLeaderEpoch: current ? this.metadata.leaderEpochs[s] : -1 });
      }
    }
    if (needMetadata) this.metadata.requestUpdate(ctx);
    if (byBroker === null) return;
    const c = this.config;
    for (let b = 0; b < byBroker.length; b++) {
      const parts = byBroker[b];
      if (parts === null) continue;
      this.fetchInFlight[b] = 1;
      this.inflightInSession[b] = this.sessions === null ? 0 : 1;
      const requestId = this.network.newRequestId();
      const minBytes = c['fetch.min.bytes'];
      const maxWaitUs = c['fetch.max.wait.ms'] * 1000;
      const maxRecordsPerPartition = this.maxRecordsPerFetch;
      // Literals rather than a spread of the session's fields: a spread after other properties is a runtime call per fetch.
      if (this.sessions === null) this.network.send(ctx, b, REQ_FETCH, { type: 'consumer-fetch', requestId, parts, minBytes, maxWaitUs, maxRecordsPerPartition });
      else {
        const s = (this.sessions[b] ??= new FetchSessionHandler(this.world.layout.partitions.length)).build(parts);
        const { sessionId, sessionEpoch, forgotten } = s;
        this.network.send(ctx, b, REQ_FETCH, { type: 'consumer-fetch', requestId, sessionId, sessionEpoch, parts: s.parts, forgotten, minBytes, maxWaitUs, maxRecordsPerPartition });
      }
    }
  }

  onFetchResponse(ctx: Ctx, broker: number, msg: ConsumerFetchResponse): void {
    this.fetchInFlight[broker] = 0;
    if (this.inflightInSession[broker] === 1 && !this.sessions![broker]!.handleResponse(msg.sessionId, msg.error)) return this.thread.kick(ctx);
    const subs = this.subscriptions;
    let refresh = false;
    for (const part of msg.parts) {
      const s = subs.slotOf[part.partition];
      const st = subs.state[s];
      if (st !== FETCHING && st !== AWAIT_RESET) continue;
      if (part.error === OFFSET_OUT_OF_RANGE) {
        if (st === FETCHING) this.offsetFetcher.requestOffsetReset(ctx, s, subs.position[s], 'out-of-range', broker);
        continue;
      }
      if (part.error !== null) {
        refresh = true;
        continue;
      }
      if (st === AWAIT_RESET) {
        if (part.fetchOffset < 0) continue;
        ctx.emit({ type: 'offset-reset-done', member: this.member, group: this.group, partition: subs.partitionNames[s], offset: part.fetchOffset });
        subs.completeOffsetReset(s, part.fetchOffset, this.metadata.leaderEpochs[s]);
      } else if (part.fetchOffset !== subs.position[s]) continue; // the position moved meanwhile
      if (part.records.length > 0 && this.fetchBuffer.isEmpty(s)) this.fetchBuffer.add(s, part.records, part.fetchOffset);
    }
    if (refresh) this.metadata.requestUpdate(ctx);
    this.thread.kick(ctx);
  }

  onRequestTimeout(ctx: Ctx, broker: number): void {
    this.fetchInFlight[broker] = 0;
    // A failed fetch ends the session (FetchSessionHandler.handleError).
    if (this.inflightInSession[broker] === 1) this.sessions![broker]?.handleError();
    this.metadata.requestUpdate(ctx);
    this.thread.kick(ctx);
  }

  /** Takes up to `maxRecords` buffered records, moving the positions past them; null when none. */
  collectFetch(ctx: Ctx, maxRecords: number, generation: number): PolledRecords | null {
    const subs = this.subscriptions;
    const buffer = this.fetchBuffer;
    const n = subs.partitions.length;
    const slots: number[] = [];
    const records: number[] = [];
    const offsets: number[] = [];
    // Round robin over the slots from nextSlot on, those with buffered records only.
    const filled = buffer.filledSlots();
    let start = 0;
    while (start < filled.length && filled[start] < this.nextSlot) start++;
    for (let k = 0; k < filled.length && records.length < maxRecords; k++) {
      const s = filled[(start + k) % filled.length];
      const buf = buffer.records[s];
      if (subs.state[s] !== FETCHING || buf.length === 0) continue;
      const from = subs.position[s];
      const polledOffsets: number[] = [];
      const polledRecords: number[] = [];
      let taken = 0;
      while (taken < buf.length && records.length < maxRecords) {
        const id = buf.id(taken);
        const offset = buffer.offset[s] + taken;
        taken++;
        if (id < 0) continue; // compacted away: skipped, position moves past it
        if (this.world.bugs.dropRecordInPoll && taken === 2 && polledOffsets.length === 1 && taken < buf.length) continue; // bug zoo: the second of three or more
        polledOffsets.push(offset);
        polledRecords.push(id);
        slots.push(s);
        records.push(id);
        offsets.push(offset);
        subs.positionEpoch[s] = buf.epoch(taken - 1);
      }
      buffer.add(s, buf.from(taken), buffer.offset[s] + taken);
      if (polledOffsets.length > 0) this.pollBugs(s, buf, taken - 1, slots, records, offsets, polledOffsets, polledRecords);
      subs.position[s] = buffer.offset[s];
      ctx.emit({ type: 'poll', member: this.member, group: this.group, generation, partition: subs.partitionNames[s], fromOffset: from, toOffset: subs.position[s], offsets: polledOffsets, records: polledRecords });
    }
    this.nextSlot = (this.nextSlot + 1) % Math.max(1, n);
    return records.length === 0 ? null : { slots, records, offsets };
  }

  /** Bug zoo (model-bugs.ts): the consumer-side bugs, after a poll took records of slot `s`. */
  /** polled.ref(last): the last record the poll took from slot s. */
  private pollBugs(s: number, polled: MemoryRecords, last: number, slots: number[], records: number[], offsets: number[], polledOffsets: number[], polledRecords: number[]): void {
    const bugs = this.world.bugs;
    const buffer = this.fetchBuffer;
    if (bugs.repeatRecordInPoll && polledOffsets.length > 1) {
      const first = records.length - polledOffsets.length;
      slots.push(s);
      records.push(records[first]);
      offsets.push(offsets[first]);
      polledOffsets.push(polledOffsets[0]);
      polledRecords.push(polledRecords[0]);
    }
    if (bugs.skipRecordAfterPoll) buffer.add(s, buffer.records[s].from(1), buffer.offset[s] + 1);
    if (bugs.rewindPositionAfterPoll) buffer.add(s, buffer.records[s].withFirst(polled.store!, polled.ref(last)), buffer.offset[s] - 1);
  }
}
