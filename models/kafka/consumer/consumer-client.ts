// A Kafka consumer group member (the Java client's KafkaConsumer with its ConsumerCoordinator,
// Fetcher and SubscriptionState), driven like an application: poll() up to max.poll.records,
// process each record for processingMs, commit per the member's strategy, poll again.
//
// - Coordinator: FindCoordinator, then JoinGroup / SyncGroup (the leader runs the assignor),
//   OffsetFetch for new partitions (auto.offset.reset without a committed offset), Heartbeat every
//   heartbeat.interval.ms from a background thread that keeps beating while the application
//   processes (KIP-62). The heartbeat thread marks the coordinator unknown when no heartbeat
//   response came for session.timeout.ms, and leaves the group when the application has not polled
//   for max.poll.interval.ms (a static member just stops, KIP-345). Rebalances happen inside
//   poll(), between batches: eager protocols commit (auto-commit / after-processing) and revoke
//   everything before rejoining; cooperative-sticky keeps its partitions and revokes only what
//   the new assignment takes away, then rejoins (KIP-429).
// - Commits: auto (enable.auto.commit: inside poll every auto.commit.interval.ms, async, and sync
//   before an eager rebalance), after-processing (at least once), before-processing (at most
//   once); commitSync waits and retries retriable errors (up to default.api.timeout.ms), async
//   does not. ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID / FENCED_INSTANCE_ID fail the commit
//   (CommitFailedException) and make the member rejoin; its partitions are lost, not committed.
// - Fetching from partition leaders up to the HW; OFFSET_OUT_OF_RANGE resets per
//   auto.offset.reset; in the 'current' era positions are validated after a leader change with
//   OffsetsForLeaderEpoch (KIP-320): a position past the end of its epoch on the new leader was
//   truncated, and the consumer resets to the divergence point (or fails the partition with
//   auto.offset.reset=none) instead of silently skipping the replaced records.
//
// Simplifications: the consumer's request.timeout.ms (30 s), retry.backoff.ms (100 ms),
// metadata.max.age.ms (5 min) and default.api.timeout.ms (60 s) are fixed at Kafka's defaults
// (the catalog keeps those names for producers); no TCP resets, so a dead broker is noticed by
// timeouts; one fetch in flight per leader, and a partition is fetched again only once its
// buffered records have been polled; the records of a batch are reported processed when the batch
// ends (or, on a crash, those whose processing time had fully elapsed); the assignor runs with
// the leader's own strategy; bootstrap brokers are tried in order from one drawn at start.

import type { Choice, ChoiceSource } from '../../../src/sim/choice.ts';
import type { NodeContext } from '../../../src/sim/model.ts';
import { assignPartitions, isCooperative } from './assignors/assignor.ts';
import type { ConsumerGroupSpec, ConsumerMemberSpec } from '../scenario/kafka-scenario.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import {
  COORDINATOR_NOT_AVAILABLE,
  EARLIEST_OFFSET,
  FENCED_INSTANCE_ID,
  ILLEGAL_GENERATION,
  LATEST_OFFSET,
  NETWORK_TIMEOUT,
  NOT_COORDINATOR,
  OFFSET_OUT_OF_RANGE,
  REBALANCE_IN_PROGRESS,
  UNKNOWN_MEMBER_ID,
  type ConsumerFetchResponse,
  type FetchPartition,
  type JoinGroupResponse,
  type KafkaMessage,
  type OffsetsForLeaderEpochResponse,
} from '../messages.ts';
import { NO_LEADER } from '../controller/metadata-image.ts';
import type { LogRecord } from '../storage/partition-log.ts';
import { CONSUMER_HEARTBEAT, CONSUMER_METADATA_REFRESH, CONSUMER_RETRY, CONSUMER_START, type KafkaTimer } from '../timers.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

const REQUEST_TIMEOUT_US = 30_000_000;
const RETRY_BACKOFF_US = 100_000;
const METADATA_MAX_AGE_US = 300_000_000;
const DEFAULT_API_TIMEOUT_US = 60_000_000;

// Partition states (SubscriptionState's FetchStates, plus "not ours").
const NOT_ASSIGNED = 0;
const AWAIT_COMMITTED = 1;
const AWAIT_RESET = 2;
const AWAIT_VALIDATION = 3;
const FETCHING = 4;
/** auto.offset.reset=none hit an out-of-range or truncated position: the application got an exception. */
const FAILED = 5;

// Application thread states.
const APP_STOPPED = 0;
const APP_POLLING = 1;
const APP_PROCESSING = 2;
const APP_COMMITTING = 3;

const REQ_FIND = 1;
const REQ_METADATA = 2;
const REQ_JOIN = 3;
const REQ_SYNC = 4;
const REQ_HEARTBEAT = 5;
const REQ_COMMIT = 6;
const REQ_OFFSET_FETCH = 7;
const REQ_FETCH = 8;
const REQ_EPOCH = 9;

interface InFlight {
  kind: number;
  broker: number;
  timerId: number;
  /** REQ_COMMIT: what was committed; REQ_EPOCH: the slot. */
  slots: number[] | null;
  offsets: number[] | null;
  generation: number;
  sync: boolean;
}

export class ConsumerClient {
  readonly spec: ConsumerMemberSpec;
  readonly groupId: string;
  readonly node: number;
  private readonly choice: Choice;
  /** Global partition index per slot: every partition of the subscribed topics. */
  private readonly partitions: number[];
  private readonly partitionNames: string[];
  private readonly slotOf: Int32Array;
  private readonly topicPartitions: Map<string, number[]>;
  private readonly protocol: string;
  private readonly cooperative: boolean;
  private readonly sessionTimeoutUs: number;
  private readonly heartbeatIntervalUs: number;
  private readonly maxPollIntervalUs: number;
  private readonly processingUs: number;
  private readonly autoCommitIntervalUs: number;
  private readonly maxRecordsPerFetch: number;
  private readonly instanceId: string | null;
  // ---- volatile (reset on start) ----
  private started = false;
  private coordinator = NO_LEADER;
  private bootstrap = 0;
  private memberId = '';
  private generation = -1;
  private rejoinNeeded = true;
  private joinInflight = false;
  private findInflight = false;
  private metadataInflight = false;
  private offsetFetchInflight = false;
  private heartbeatInflight = false;
  private retryPending = false;
  private lastHeartbeatOkUs = 0;
  private lastPollUs = 0;
  private nextAutoCommitUs = 0;
  private app = APP_STOPPED;
  /** What the application does once a blocking commitSync completes. */
  private afterCommit: 'process' | 'poll' | 'join' = 'poll';
  private syncCommitDeadlineUs = 0;
  private syncCommitSlots: number[] | null = null;
  private syncCommitOffsets: number[] | null = null;
  private readonly state: Int8Array;
  private readonly position: Float64Array;
  private readonly positionEpoch: Int32Array;
  private readonly committed: Float64Array;
  private readonly leaders: Int32Array;
  private readonly leaderEpochs: Int32Array;
  private readonly validatedEpoch: Int32Array;
  private readonly buffers: LogRecord[][];
  private readonly bufferOffset: Float64Array;
  private readonly fetchInflight: Uint8Array;
  private assigned: number[] = [];
  private readonly requests = new Map<number, InFlight>();
  private nextRequestId = 1;
  // the batch being processed
  private batchSeq = 0;
  private batchStartUs = 0;
  private batchGeneration = -1;
  private batchSlots: number[] = [];
  private batchRecords: LogRecord[] = [];
  private batchOffsets: number[] = [];
  private nextSlot = 0;

  constructor(
    private readonly world: KafkaWorld,
    readonly index: number,
    group: ConsumerGroupSpec,
    member: ConsumerMemberSpec,
    choices: ChoiceSource,
  ) {
    this.spec = member;
    this.groupId = group.groupId;
    this.node = world.layout.consumerNode[index];
    this.choice = choices.stream(`kafka.consumer.${member.name}`);
    this.topicPartitions = new Map();
    this.partitions = [];
    for (const t of [...group.topics].sort()) {
      const parts = world.layout.partitionsOfTopic.get(t);
      if (parts === undefined) throw new Error(`consumer ${member.name}: unknown topic ${t}`);
      this.topicPartitions.set(t, parts);
      for (const p of parts) this.partitions.push(p);
    }
    this.partitionNames = this.partitions.map((p) => world.layout.partitions[p].name);
    this.slotOf = new Int32Array(world.layout.partitions.length).fill(-1);
    this.partitions.forEach((p, i) => (this.slotOf[p] = i));
    const c = member.config;
    this.protocol = c['partition.assignment.strategy'];
    this.cooperative = isCooperative(this.protocol);
    this.sessionTimeoutUs = c['session.timeout.ms'] * 1000;
    this.heartbeatIntervalUs = c['heartbeat.interval.ms'] * 1000;
    this.maxPollIntervalUs = c['max.poll.interval.ms'] * 1000;
    this.processingUs = member.processingMs * 1000;
    this.autoCommitIntervalUs = c['auto.commit.interval.ms'] * 1000;
    this.maxRecordsPerFetch = Math.max(1, Math.floor(c['max.partition.fetch.bytes'] / world.maxRecordBytes));
    this.instanceId = c['group.instance.id'];
    const n = this.partitions.length;
    this.state = new Int8Array(n);
    this.position = new Float64Array(n);
    this.positionEpoch = new Int32Array(n);
    this.committed = new Float64Array(n);
    this.leaders = new Int32Array(n);
    this.leaderEpochs = new Int32Array(n);
    this.validatedEpoch = new Int32Array(n);
    this.buffers = this.partitions.map((): LogRecord[] => []);
    this.bufferOffset = new Float64Array(n);
    this.fetchInflight = new Uint8Array(world.layout.brokerCount);
    this.bootstrap = this.choice.below(world.layout.brokerCount);
  }

  get name(): string {
    return this.spec.name;
  }

  // ---- lifecycle ----

  onStart(ctx: Ctx): void {
    this.started = false;
    this.app = APP_STOPPED;
    const startUs = this.spec.startMs * 1000;
    if (ctx.nowUs < startUs) {
      ctx.setTimer(startUs - ctx.nowUs, CONSUMER_START);
      return;
    }
    this.begin(ctx);
  }

  private begin(ctx: Ctx): void {
    this.started = true;
    this.coordinator = NO_LEADER;
    this.memberId = '';
    this.generation = -1;
    this.rejoinNeeded = true;
    this.joinInflight = this.findInflight = this.metadataInflight = this.offsetFetchInflight = this.heartbeatInflight = false;
    this.retryPending = false;
    this.requests.clear();
    this.fetchInflight.fill(0);
    this.dropAll();
    this.leaders.fill(NO_LEADER);
    this.leaderEpochs.fill(-1);
    this.lastPollUs = ctx.nowUs;
    this.nextAutoCommitUs = ctx.nowUs + this.autoCommitIntervalUs;
    this.app = APP_POLLING;
    this.requestMetadata(ctx);
    ctx.setTimer(METADATA_MAX_AGE_US, CONSUMER_METADATA_REFRESH);
    ctx.setTimer(this.heartbeatIntervalUs, CONSUMER_HEARTBEAT);
    this.poll(ctx);
  }

  onDown(ctx: Ctx): void {
    // Records whose processing time had fully elapsed before the crash were processed.
    if (this.app === APP_PROCESSING && this.processingUs > 0) {
      const done = Math.min(this.batchRecords.length, Math.floor((ctx.nowUs - this.batchStartUs) / this.processingUs));
      this.emitProcessed(ctx, done);
    }
    this.app = APP_STOPPED;
    this.started = false;
  }

  onTimer(ctx: Ctx, timer: KafkaTimer): void {
    switch (timer.type) {
      case 'consumer-start':
        return this.begin(ctx);
      case 'consumer-heartbeat':
        ctx.setTimer(this.heartbeatIntervalUs, CONSUMER_HEARTBEAT);
        return this.heartbeatThread(ctx);
      case 'consumer-processed':
        if (timer.batch !== this.batchSeq || this.app !== APP_PROCESSING) return;
        this.emitProcessed(ctx, this.batchRecords.length);
        return this.afterBatch(ctx);
      case 'consumer-request-timeout':
        return this.onRequestTimeout(ctx, timer.requestId);
      case 'consumer-retry':
        this.retryPending = false;
        return this.kick(ctx);
      case 'consumer-metadata-refresh':
        ctx.setTimer(METADATA_MAX_AGE_US, CONSUMER_METADATA_REFRESH);
        return this.requestMetadata(ctx);
      default:
        throw new Error(`consumer got timer ${timer.type}`);
    }
  }

  onMessage(ctx: Ctx, msg: KafkaMessage): void {
    if (!this.started) return;
    const req = this.requests.get((msg as { requestId?: number }).requestId ?? -1);
    if (req === undefined) return; // timed out already, or from before a restart
    this.requests.delete((msg as { requestId: number }).requestId);
    ctx.cancelTimer(req.timerId);
    switch (msg.type) {
      case 'find-coordinator-response':
        this.findInflight = false;
        if (msg.coordinator === NO_LEADER) return this.retryLater(ctx);
        this.coordinator = msg.coordinator;
        ctx.emit({ type: 'coordinator-found', member: this.name, group: this.groupId, coordinator: this.world.layout.brokerNames[msg.coordinator] });
        return this.kick(ctx);
      case 'consumer-metadata-response':
        this.metadataInflight = false;
        return this.onMetadata(ctx, msg.leaders, msg.leaderEpochs);
      case 'join-group-response':
        this.joinInflight = false;
        return this.onJoinResponse(ctx, msg);
      case 'sync-group-response':
        this.joinInflight = false;
        return this.onSyncResponse(ctx, msg.error, msg.assignment, req.generation);
      case 'heartbeat-response':
        this.heartbeatInflight = false;
        return this.onHeartbeatResponse(ctx, msg.error, req.generation);
      case 'offset-commit-response':
        return this.onCommitResponse(ctx, req, msg.error);
      case 'offset-fetch-response':
        this.offsetFetchInflight = false;
        return this.onOffsetFetchResponse(ctx, req, msg.error, msg.offsets, msg.leaderEpochs);
      case 'consumer-fetch-response':
        this.fetchInflight[req.broker] = 0;
        return this.onFetchResponse(ctx, msg);
      case 'offsets-for-leader-epoch-response':
        return this.onEpochResponse(ctx, req, msg);
      default:
        throw new Error(`consumer got message ${msg.type}`);
    }
  }

  // ---- requests ----

  private send(ctx: Ctx, broker: number, kind: number, msg: KafkaMessage & { requestId: number }, extra?: Partial<InFlight>): void {
    const timeoutUs = kind === REQ_JOIN ? Math.max(REQUEST_TIMEOUT_US, this.maxPollIntervalUs + 5_000_000) : REQUEST_TIMEOUT_US;
    const timerId = ctx.setTimer(timeoutUs, { type: 'consumer-request-timeout', requestId: msg.requestId });
    this.requests.set(msg.requestId, {
      kind,
      broker,
      timerId,
      slots: extra?.slots ?? null,
      offsets: extra?.offsets ?? null,
      generation: extra?.generation ?? this.generation,
      sync: extra?.sync ?? false,
    });
    ctx.send(this.world.layout.brokerNode[broker], msg);
  }

  private onRequestTimeout(ctx: Ctx, requestId: number): void {
    const req = this.requests.get(requestId);
    if (req === undefined) return;
    this.requests.delete(requestId);
    switch (req.kind) {
      case REQ_FIND:
        this.findInflight = false;
        this.bootstrap = (this.bootstrap + 1) % this.world.layout.brokerCount;
        return this.kick(ctx);
      case REQ_METADATA:
        this.metadataInflight = false;
        this.bootstrap = (this.bootstrap + 1) % this.world.layout.brokerCount;
        return this.requestMetadata(ctx);
      case REQ_FETCH:
        this.fetchInflight[req.broker] = 0;
        this.requestMetadata(ctx);
        return this.kick(ctx);
      case REQ_EPOCH:
        this.requestMetadata(ctx);
        return;
      case REQ_COMMIT:
        return this.onCommitResponse(ctx, req, NETWORK_TIMEOUT);
      case REQ_OFFSET_FETCH:
        this.offsetFetchInflight = false;
        break;
      case REQ_JOIN:
      case REQ_SYNC:
        this.joinInflight = false;
        this.rejoinNeeded = true;
        break;
      case REQ_HEARTBEAT:
        this.heartbeatInflight = false;
        break;
    }
    this.markCoordinatorUnknown(ctx);
  }

  private markCoordinatorUnknown(ctx: Ctx): void {
    if (this.coordinator === NO_LEADER) return;
    this.coordinator = NO_LEADER;
    ctx.emit({ type: 'coordinator-lost', member: this.name, group: this.groupId });
    this.retryLater(ctx);
  }

  private retryLater(ctx: Ctx): void {
    if (this.retryPending) return;
    this.retryPending = true;
    ctx.setTimer(RETRY_BACKOFF_US, CONSUMER_RETRY);
  }

  /** Something the application may be waiting for happened: re-run what it was doing. */
  private kick(ctx: Ctx): void {
    if (!this.started) return;
    if (this.app === APP_POLLING) return this.poll(ctx);
    if (this.app === APP_COMMITTING) return this.resendSyncCommit(ctx);
    this.ensureCoordinator(ctx);
    this.sendFetches(ctx);
  }

  private ensureCoordinator(ctx: Ctx): boolean {
    if (this.coordinator !== NO_LEADER) return true;
    if (!this.findInflight) {
      this.findInflight = true;
      this.send(ctx, this.bootstrap, REQ_FIND, { type: 'find-coordinator', requestId: this.nextRequestId++, group: this.groupId });
    }
    return false;
  }

  private requestMetadata(ctx: Ctx): void {
    if (!this.started || this.metadataInflight) return;
    this.metadataInflight = true;
    this.send(ctx, this.bootstrap, REQ_METADATA, { type: 'consumer-metadata', requestId: this.nextRequestId++, partitions: this.partitions });
  }

  private onMetadata(ctx: Ctx, leaders: number[], leaderEpochs: number[]): void {
    let missing = false;
    for (let s = 0; s < this.partitions.length; s++) {
      this.leaders[s] = leaders[s];
      if (leaders[s] === NO_LEADER) missing = true;
      if (leaderEpochs[s] > this.leaderEpochs[s]) this.leaderEpochs[s] = leaderEpochs[s];
      // KIP-320: a position read under an older leader is validated against the new one.
      if (this.world.protocol.fetchCarriesLeaderEpoch && this.state[s] === FETCHING && this.positionEpoch[s] >= 0 && this.leaderEpochs[s] > this.validatedEpoch[s])
        this.state[s] = AWAIT_VALIDATION;
    }
    if (missing) this.retryLater(ctx);
    this.sendValidations(ctx);
    this.kick(ctx);
  }

  // ---- the application thread: poll, process, commit ----

  private poll(ctx: Ctx): void {
    if (this.app !== APP_POLLING) throw new Error(`consumer ${this.name}: poll while not polling`);
    this.lastPollUs = ctx.nowUs;
    if (this.ensureCoordinator(ctx)) {
      if (this.rejoinNeeded && !this.joinInflight) {
        // Eager protocols commit and revoke everything before rejoining (onJoinPrepare).
        if (!this.cooperative && this.generation >= 0 && this.spec.commit !== 'before-processing' && this.hasUncommitted()) {
          return this.commit(ctx, true, 'join');
        }
        if (!this.cooperative) this.dropAll();
        this.sendJoin(ctx);
      }
      if (!this.offsetFetchInflight && !this.joinInflight) this.sendOffsetFetch(ctx);
      if (this.spec.config['enable.auto.commit'] && ctx.nowUs >= this.nextAutoCommitUs && this.generation >= 0) {
        this.nextAutoCommitUs = ctx.nowUs + this.autoCommitIntervalUs;
        if (this.hasUncommitted()) this.commit(ctx, false, 'poll');
      }
    }
    if (this.drain(ctx)) return;
    this.sendFetches(ctx);
  }

  /** Takes up to max.poll.records buffered records; starts processing them. False when none. */
  private drain(ctx: Ctx): boolean {
    const max = this.spec.config['max.poll.records'];
    const n = this.partitions.length;
    const slots: number[] = [];
    const records: LogRecord[] = [];
    const offsets: number[] = [];
    for (let k = 0; k < n && records.length < max; k++) {
      const s = (this.nextSlot + k) % n;
      const buf = this.buffers[s];
      if (this.state[s] !== FETCHING || buf.length === 0) continue;
      const from = this.position[s];
      let taken = 0;
      while (taken < buf.length && records.length < max) {
        const rec = buf[taken];
        const offset = this.bufferOffset[s] + taken;
        taken++;
        if (rec.id < 0) continue; // compacted away: skipped, position moves past it
        slots.push(s);
        records.push(rec);
        offsets.push(offset);
        this.positionEpoch[s] = rec.epoch;
      }
      this.buffers[s] = buf.slice(taken);
      this.bufferOffset[s] += taken;
      this.position[s] = this.bufferOffset[s];
      ctx.emit({
        type: 'poll',
        member: this.name,
        group: this.groupId,
        generation: this.generation,
        partition: this.partitionNames[s],
        fromOffset: from,
        toOffset: this.position[s],
      });
    }
    this.nextSlot = (this.nextSlot + 1) % Math.max(1, n);
    if (records.length === 0) return false;
    this.batchSlots = slots;
    this.batchRecords = records;
    this.batchOffsets = offsets;
    this.batchGeneration = this.generation;
    this.sendFetches(ctx); // prefetch what was drained
    if (this.spec.commit === 'before-processing') {
      if (this.spec.commitSync) return (this.commit(ctx, true, 'process'), true);
      this.commit(ctx, false, 'poll');
    }
    this.startProcessing(ctx);
    return true;
  }

  private startProcessing(ctx: Ctx): void {
    if (this.processingUs === 0) {
      this.emitProcessed(ctx, this.batchRecords.length);
      this.app = APP_PROCESSING;
      return this.afterBatch(ctx);
    }
    this.app = APP_PROCESSING;
    this.batchStartUs = ctx.nowUs;
    ctx.setTimer(this.processingUs * this.batchRecords.length, { type: 'consumer-processed', batch: ++this.batchSeq });
  }

  private emitProcessed(ctx: Ctx, count: number): void {
    for (let i = 0; i < count; i++) {
      const s = this.batchSlots[i];
      this.world.stats.recordsProcessed++;
      ctx.emit({
        type: 'process',
        member: this.name,
        group: this.groupId,
        generation: this.batchGeneration,
        partition: this.partitionNames[s],
        offset: this.batchOffsets[i],
        record: this.batchRecords[i].id,
      });
    }
    this.batchRecords = [];
    this.batchSlots = [];
    this.batchOffsets = [];
  }

  private afterBatch(ctx: Ctx): void {
    this.app = APP_POLLING;
    if (this.spec.commit === 'after-processing' && this.hasUncommitted()) {
      if (this.spec.commitSync) return this.commit(ctx, true, 'poll');
      this.commit(ctx, false, 'poll');
    }
    this.poll(ctx);
  }

  private hasUncommitted(): boolean {
    for (const p of this.assigned) {
      const s = this.slotOf[p];
      if (this.state[s] === FETCHING && this.position[s] > this.committed[s]) return true;
    }
    return false;
  }

  /** Commits the positions of the assigned partitions; sync blocks the application until done. */
  private commit(ctx: Ctx, sync: boolean, then: 'process' | 'poll' | 'join'): void {
    const slots: number[] = [];
    const offsets: number[] = [];
    for (const p of this.assigned) {
      const s = this.slotOf[p];
      if (this.state[s] === FETCHING && this.position[s] > this.committed[s]) {
        slots.push(s);
        offsets.push(this.position[s]);
      }
    }
    if (sync) {
      this.app = APP_COMMITTING;
      this.afterCommit = then;
      this.syncCommitDeadlineUs = ctx.nowUs + DEFAULT_API_TIMEOUT_US;
      this.syncCommitSlots = slots;
      this.syncCommitOffsets = offsets;
      if (slots.length === 0) return this.finishSyncCommit(ctx);
      return this.resendSyncCommit(ctx);
    }
    if (slots.length > 0 && this.coordinator !== NO_LEADER) this.sendCommit(ctx, slots, offsets, false);
  }

  private resendSyncCommit(ctx: Ctx): void {
    if (this.app !== APP_COMMITTING || this.syncCommitSlots === null) return;
    if (ctx.nowUs >= this.syncCommitDeadlineUs) {
      // commitSync gives up after default.api.timeout.ms (a TimeoutException to the application).
      this.world.stats.offsetCommitsFailed++;
      const names = this.syncCommitSlots.map((s) => this.partitionNames[s]);
      ctx.emit({ type: 'commit-fail', member: this.name, group: this.groupId, generation: this.generation, partitions: names, offsets: this.syncCommitOffsets!, error: 'TIMEOUT' });
      return this.finishSyncCommit(ctx);
    }
    for (const r of this.requests.values()) if (r.kind === REQ_COMMIT && r.sync) return; // one in flight
    if (!this.ensureCoordinator(ctx)) return;
    this.sendCommit(ctx, this.syncCommitSlots, this.syncCommitOffsets!, true);
  }

  private sendCommit(ctx: Ctx, slots: number[], offsets: number[], sync: boolean): void {
    const partitions = slots.map((s) => this.partitions[s]);
    const leaderEpochs = slots.map((s) => this.positionEpoch[s]);
    this.world.stats.offsetCommits++;
    ctx.emit({
      type: 'commit',
      member: this.name,
      group: this.groupId,
      generation: this.generation,
      partitions: slots.map((s) => this.partitionNames[s]),
      offsets: offsets.slice(),
      sync,
    });
    this.send(
      ctx,
      this.coordinator,
      REQ_COMMIT,
      {
        type: 'offset-commit',
        requestId: this.nextRequestId++,
        group: this.groupId,
        generation: this.generation,
        memberId: this.memberId,
        instanceId: this.instanceId,
        partitions,
        offsets,
        leaderEpochs,
      },
      { slots, offsets, sync },
    );
  }

  private onCommitResponse(ctx: Ctx, req: InFlight, error: string | null): void {
    const slots = req.slots!;
    const offsets = req.offsets!;
    const names = slots.map((s) => this.partitionNames[s]);
    if (error === null) {
      for (let i = 0; i < slots.length; i++) if (offsets[i] > this.committed[slots[i]]) this.committed[slots[i]] = offsets[i];
      ctx.emit({ type: 'commit-ok', member: this.name, group: this.groupId, generation: req.generation, partitions: names, offsets });
    } else {
      this.world.stats.offsetCommitsFailed++;
      ctx.emit({ type: 'commit-fail', member: this.name, group: this.groupId, generation: req.generation, partitions: names, offsets, error });
    }
    const retriable = error === NOT_COORDINATOR || error === COORDINATOR_NOT_AVAILABLE || error === NETWORK_TIMEOUT;
    if (retriable) this.markCoordinatorUnknown(ctx);
    else if (error === REBALANCE_IN_PROGRESS) this.rejoinNeeded = true;
    else if (error === ILLEGAL_GENERATION || error === UNKNOWN_MEMBER_ID || error === FENCED_INSTANCE_ID) this.resetGeneration(ctx);
    if (!req.sync || this.app !== APP_COMMITTING) return;
    if (retriable && ctx.nowUs < this.syncCommitDeadlineUs) return this.retryLater(ctx);
    this.finishSyncCommit(ctx);
  }

  private finishSyncCommit(ctx: Ctx): void {
    this.syncCommitSlots = this.syncCommitOffsets = null;
    const then = this.afterCommit;
    if (then === 'process') return this.startProcessing(ctx);
    this.app = APP_POLLING;
    if (then === 'join' && !this.cooperative) this.dropAll();
    this.poll(ctx);
  }

  // ---- group membership ----

  private sendJoin(ctx: Ctx): void {
    this.joinInflight = true;
    const owned = this.assigned.slice();
    this.send(ctx, this.coordinator, REQ_JOIN, {
      type: 'join-group',
      requestId: this.nextRequestId++,
      group: this.groupId,
      clientId: this.name,
      memberId: this.memberId,
      instanceId: this.instanceId,
      sessionTimeoutUs: this.sessionTimeoutUs,
      rebalanceTimeoutUs: this.maxPollIntervalUs,
      protocol: this.protocol,
      topics: [...this.topicPartitions.keys()],
      owned: this.cooperative || this.protocol === 'sticky' ? (owned.length > 0 ? owned : this.previousAssignment) : [],
    });
  }

  /** Eager sticky: the assignment before revocation, sent as the subscription's user data. */
  private previousAssignment: number[] = [];

  private onJoinResponse(ctx: Ctx, msg: JoinGroupResponse): void {
    if (msg.error !== null) {
      if (msg.error === UNKNOWN_MEMBER_ID || msg.error === ILLEGAL_GENERATION || msg.error === FENCED_INSTANCE_ID) this.resetGeneration(ctx);
      else if (msg.error === NOT_COORDINATOR || msg.error === COORDINATOR_NOT_AVAILABLE) this.markCoordinatorUnknown(ctx);
      this.rejoinNeeded = true;
      return this.retryLater(ctx);
    }
    // The session lapsed while the join was in flight (markCoordinatorUnknown): there is no
    // coordinator to send SyncGroup to; rejoin once one is found.
    if (this.coordinator === NO_LEADER) {
      this.rejoinNeeded = true;
      return this.retryLater(ctx);
    }
    this.memberId = msg.memberId;
    this.generation = msg.generation;
    let assignedMembers: string[] | null = null;
    let assignedPartitions: number[][] | null = null;
    if (msg.members !== null) {
      const strategy = msg.protocol as 'range';
      assignedMembers = msg.members.map((m) => m.memberId);
      assignedPartitions = assignPartitions(strategy, msg.members, this.topicPartitions);
      if (this.world.bugs.assignPartitionTwice && assignedPartitions.length > 1 && assignedPartitions[0].length > 0) assignedPartitions[1] = [...assignedPartitions[1], assignedPartitions[0][0]]; // bug zoo
    }
    this.joinInflight = true;
    this.send(
      ctx,
      this.coordinator,
      REQ_SYNC,
      {
        type: 'sync-group',
        requestId: this.nextRequestId++,
        group: this.groupId,
        generation: msg.generation,
        memberId: msg.memberId,
        assignedMembers,
        assignedPartitions,
      },
      { generation: msg.generation },
    );
  }

  private onSyncResponse(ctx: Ctx, error: string | null, assignment: readonly number[], generation: number): void {
    if (error !== null) {
      if (error === UNKNOWN_MEMBER_ID || error === ILLEGAL_GENERATION || error === FENCED_INSTANCE_ID) this.resetGeneration(ctx);
      else if (error === NOT_COORDINATOR || error === COORDINATOR_NOT_AVAILABLE) this.markCoordinatorUnknown(ctx);
      this.rejoinNeeded = true;
      return this.retryLater(ctx);
    }
    if (generation !== this.generation) return;
    const next = new Set(assignment);
    const revoked: number[] = [];
    for (const p of this.assigned) if (!next.has(p)) revoked.push(p);
    const added: number[] = [];
    for (const p of assignment) if (this.state[this.slotOf[p]] === NOT_ASSIGNED) added.push(p);
    this.rejoinNeeded = false;
    if (revoked.length > 0) {
      // KIP-429: revoke only what moved (committing it first), then rejoin so it can be reassigned.
      if (this.spec.commit !== 'before-processing' && this.hasUncommitted()) this.commit(ctx, false, 'poll');
      for (const p of revoked) this.drop(this.slotOf[p]);
      this.rejoinNeeded = true;
    }
    this.assigned = [...assignment];
    this.previousAssignment = [...assignment];
    for (const p of added) this.state[this.slotOf[p]] = AWAIT_COMMITTED;
    this.lastHeartbeatOkUs = ctx.nowUs;
    ctx.emit({
      type: 'assignment',
      member: this.name,
      group: this.groupId,
      generation: this.generation,
      partitions: assignment.map((p) => this.world.layout.partitions[p].name),
      revoked: revoked.map((p) => this.world.layout.partitions[p].name),
    });
    this.kick(ctx);
  }

  private heartbeatThread(ctx: Ctx): void {
    if (!this.started || this.generation < 0) return;
    const now = ctx.nowUs;
    // KIP-62: an application stuck between polls leaves the group (a static member just stops).
    if (this.app !== APP_POLLING && now - this.lastPollUs > this.maxPollIntervalUs) {
      ctx.emit({ type: 'poll-timeout', member: this.name, group: this.groupId, generation: this.generation });
      if (this.instanceId === null && this.coordinator !== NO_LEADER)
        ctx.send(this.world.layout.brokerNode[this.coordinator], { type: 'leave-group', group: this.groupId, memberId: this.memberId });
      this.resetGeneration(ctx);
      return;
    }
    if (now - this.lastHeartbeatOkUs > this.sessionTimeoutUs) {
      this.lastHeartbeatOkUs = now;
      return this.markCoordinatorUnknown(ctx);
    }
    if (this.heartbeatInflight || this.joinInflight || this.coordinator === NO_LEADER) return;
    this.heartbeatInflight = true;
    this.send(ctx, this.coordinator, REQ_HEARTBEAT, {
      type: 'heartbeat',
      requestId: this.nextRequestId++,
      group: this.groupId,
      generation: this.generation,
      memberId: this.memberId,
    });
  }

  private onHeartbeatResponse(ctx: Ctx, error: string | null, generation: number): void {
    if (generation !== this.generation) return;
    if (error === null) {
      this.lastHeartbeatOkUs = ctx.nowUs;
      return;
    }
    if (error === REBALANCE_IN_PROGRESS) this.rejoinNeeded = true;
    else if (error === ILLEGAL_GENERATION || error === UNKNOWN_MEMBER_ID || error === FENCED_INSTANCE_ID) this.resetGeneration(ctx);
    else if (error === NOT_COORDINATOR || error === COORDINATOR_NOT_AVAILABLE) this.markCoordinatorUnknown(ctx);
    if (this.app === APP_POLLING) this.poll(ctx);
  }

  /** The member is no longer part of the group: its partitions are lost, not committed. */
  private resetGeneration(ctx: Ctx): void {
    this.generation = -1;
    this.memberId = '';
    this.rejoinNeeded = true;
    this.dropAll();
    ctx.emit({ type: 'member-reset', member: this.name, group: this.groupId });
  }

  private drop(s: number): void {
    this.state[s] = NOT_ASSIGNED;
    this.buffers[s] = [];
  }

  private dropAll(): void {
    for (let s = 0; s < this.partitions.length; s++) this.drop(s);
    this.assigned = [];
  }

  // ---- positions ----

  private sendOffsetFetch(ctx: Ctx): void {
    const slots: number[] = [];
    for (const p of this.assigned) if (this.state[this.slotOf[p]] === AWAIT_COMMITTED) slots.push(this.slotOf[p]);
    if (slots.length === 0 || this.coordinator === NO_LEADER) return;
    this.offsetFetchInflight = true;
    this.send(
      ctx,
      this.coordinator,
      REQ_OFFSET_FETCH,
      { type: 'offset-fetch', requestId: this.nextRequestId++, group: this.groupId, partitions: slots.map((s) => this.partitions[s]) },
      { slots },
    );
  }

  private onOffsetFetchResponse(ctx: Ctx, req: InFlight, error: string | null, offsets: number[], epochs: number[]): void {
    if (error !== null) {
      this.markCoordinatorUnknown(ctx);
      return;
    }
    const slots = req.slots!;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i];
      if (this.state[s] !== AWAIT_COMMITTED) continue;
      ctx.emit({ type: 'offset-fetch', member: this.name, group: this.groupId, partition: this.partitionNames[s], offset: offsets[i] });
      this.buffers[s] = [];
      if (offsets[i] < 0) {
        this.committed[s] = -1;
        this.reset(ctx, s, -1, 'no-committed-offset');
        continue;
      }
      this.committed[s] = offsets[i];
      this.position[s] = offsets[i];
      this.positionEpoch[s] = epochs[i];
      this.validatedEpoch[s] = -1;
      this.state[s] = this.world.protocol.fetchCarriesLeaderEpoch && epochs[i] >= 0 ? AWAIT_VALIDATION : FETCHING;
    }
    this.sendValidations(ctx);
    this.kick(ctx);
  }

  /** auto.offset.reset: earliest / latest resolve at the leader (AWAIT_RESET); none fails the partition. */
  private reset(ctx: Ctx, s: number, fromOffset: number, reason: string): void {
    const strategy = this.spec.config['auto.offset.reset'];
    this.world.stats.offsetResets++;
    ctx.emit({ type: 'offset-reset', member: this.name, group: this.groupId, partition: this.partitionNames[s], fromOffset, strategy, reason });
    this.buffers[s] = [];
    this.state[s] = strategy === 'none' ? FAILED : AWAIT_RESET;
    this.position[s] = strategy === 'earliest' ? EARLIEST_OFFSET : LATEST_OFFSET;
  }

  private sendValidations(ctx: Ctx): void {
    for (const p of this.assigned) {
      const s = this.slotOf[p];
      if (this.state[s] !== AWAIT_VALIDATION) continue;
      const leader = this.leaders[s];
      if (leader === NO_LEADER) continue;
      let inflight = false;
      for (const r of this.requests.values()) if (r.kind === REQ_EPOCH && r.slots![0] === s) inflight = true;
      if (inflight) continue;
      this.send(
        ctx,
        leader,
        REQ_EPOCH,
        {
          type: 'offsets-for-leader-epoch',
          requestId: this.nextRequestId++,
          broker: -1,
          partition: p,
          currentLeaderEpoch: this.leaderEpochs[s],
          leaderEpoch: this.positionEpoch[s],
        },
        { slots: [s], offsets: [this.position[s]] },
      );
    }
  }

  private onEpochResponse(ctx: Ctx, req: InFlight, msg: OffsetsForLeaderEpochResponse): void {
    const s = req.slots![0];
    if (this.state[s] !== AWAIT_VALIDATION || this.position[s] !== req.offsets![0]) return;
    if (msg.error !== null) {
      this.requestMetadata(ctx);
      return;
    }
    this.validatedEpoch[s] = this.leaderEpochs[s];
    this.state[s] = FETCHING;
    // SubscriptionState.maybeCompleteValidation: the position is past the end of its epoch on the
    // leader, so the records it was read from were truncated away.
    if (msg.endOffset >= 0 && msg.endOffset < this.position[s]) {
      const strategy = this.spec.config['auto.offset.reset'];
      this.world.stats.offsetResets++;
      ctx.emit({
        type: 'offset-reset',
        member: this.name,
        group: this.groupId,
        partition: this.partitionNames[s],
        fromOffset: this.position[s],
        toOffset: msg.endOffset,
        strategy,
        reason: 'truncation',
      });
      if (strategy === 'none') this.state[s] = FAILED;
      else this.position[s] = msg.endOffset;
    }
    this.kick(ctx);
  }

  // ---- fetching ----

  private sendFetches(ctx: Ctx): void {
    if (!this.started) return;
    let byBroker: (FetchPartition[] | null)[] | null = null;
    let needMetadata = false;
    const current = this.world.protocol.fetchCarriesLeaderEpoch;
    for (const p of this.assigned) {
      const s = this.slotOf[p];
      const st = this.state[s];
      if ((st !== FETCHING && st !== AWAIT_RESET) || this.buffers[s].length > 0) continue;
      const leader = this.leaders[s];
      if (leader === NO_LEADER) {
        needMetadata = true;
        continue;
      }
      if (this.fetchInflight[leader] !== 0) continue;
      byBroker ??= new Array(this.world.layout.brokerCount).fill(null);
      (byBroker[leader] ??= []).push({ partition: p, fetchOffset: this.position[s], currentLeaderEpoch: current ? this.leaderEpochs[s] : -1 });
    }
    if (needMetadata) this.requestMetadata(ctx);
    if (byBroker === null) return;
    const c = this.spec.config;
    for (let b = 0; b < byBroker.length; b++) {
      const parts = byBroker[b];
      if (parts === null) continue;
      this.fetchInflight[b] = 1;
      this.send(ctx, b, REQ_FETCH, {
        type: 'consumer-fetch',
        requestId: this.nextRequestId++,
        parts,
        minBytes: c['fetch.min.bytes'],
        maxWaitUs: c['fetch.max.wait.ms'] * 1000,
        maxRecordsPerPartition: this.maxRecordsPerFetch,
      });
    }
  }

  private onFetchResponse(ctx: Ctx, msg: ConsumerFetchResponse): void {
    let refresh = false;
    for (const part of msg.parts) {
      const s = this.slotOf[part.partition];
      const st = this.state[s];
      if (st !== FETCHING && st !== AWAIT_RESET) continue;
      if (part.error === OFFSET_OUT_OF_RANGE) {
        if (st === FETCHING) this.reset(ctx, s, this.position[s], 'out-of-range');
        continue;
      }
      if (part.error !== null) {
        refresh = true;
        continue;
      }
      if (st === AWAIT_RESET) {
        if (part.fetchOffset < 0) continue;
        ctx.emit({ type: 'offset-reset-done', member: this.name, group: this.groupId, partition: this.partitionNames[s], offset: part.fetchOffset });
        this.position[s] = part.fetchOffset;
        this.positionEpoch[s] = -1;
        this.validatedEpoch[s] = this.leaderEpochs[s];
        this.state[s] = FETCHING;
      } else if (part.fetchOffset !== this.position[s]) continue; // the position moved meanwhile
      if (part.records.length > 0 && this.buffers[s].length === 0) {
        this.buffers[s] = part.records;
        this.bufferOffset[s] = part.fetchOffset;
      }
    }
    if (refresh) this.requestMetadata(ctx);
    this.kick(ctx);
  }

  /** Final view for KafkaFinalState: committed offset per assigned partition (as this member last saw). */
  positions(): { partition: string; position: number; committed: number }[] {
    return this.assigned.map((p) => {
      const s = this.slotOf[p];
      return { partition: this.partitionNames[s], position: this.position[s], committed: this.committed[s] };
    });
  }
}
