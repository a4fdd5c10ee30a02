// A Kafka consumer group member (the Java client's KafkaConsumer, ClassicKafkaConsumer), driven
// like an application: poll() up to max.poll.records, process each record for processingMs,
// commit per the member's strategy, poll again. This file is the application thread and the
// consumer's wiring; the group protocol and commits are ConsumerCoordinator's, fetching is
// Fetcher's, positions are SubscriptionState's, resets and KIP-320 validation OffsetFetcher's.
//
// Commit strategies: auto (enable.auto.commit, inside poll), after-processing (commit a poll's
// offsets once its records are processed: at least once), before-processing (commit right after
// poll, then process: at most once); commitSync blocks the application until the commit is done.
//
// Requests fail with their connection (ConsumerNetworkClient): a request that times out closes it,
// and a connection the network closes (the broker's process died or stopped: a reset) fails what
// was in flight on it at once; each failure goes to the part that sent the request (a lost
// coordinator is marked unknown and found again, a fetch asks for fresh metadata).
//
// Simplification: the records of a batch are reported processed when the batch ends (or, on a
// crash, those whose processing time had fully elapsed).

import type { Choice, ChoiceSource } from '../../../src/sim/choice.ts';
import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import { NETWORK_EXCEPTION, NETWORK_TIMEOUT, type KafkaMessage } from '../messages.ts';
import type { ConsumerGroupSpec, ConsumerMemberSpec } from '../scenario/kafka-scenario.ts';
import { CONSUMER_HEARTBEAT, CONSUMER_METADATA_REFRESH, CONSUMER_RETRY, CONSUMER_START, type KafkaTimer } from '../timers.ts';
import type { ApplicationThread } from './application-thread.ts';
import { ConsumerCoordinator } from './consumer-coordinator.ts';
import { ConsumerMetadata } from './consumer-metadata.ts';
import { ConsumerNetworkClient, REQ_EPOCH, REQ_FETCH, REQ_METADATA, type InFlightRequest } from './consumer-network-client.ts';
import { FetchBuffer } from './fetch-buffer.ts';
import { Fetcher } from './fetcher.ts';
import { OffsetFetcher } from './offset-fetcher.ts';
import { SubscriptionState } from './subscription-state.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

// Application thread states.
const APP_STOPPED = 0;
const APP_POLLING = 1;
const APP_PROCESSING = 2;
const APP_COMMITTING = 3;

/** What the application does once a blocking commitSync completes. */
type AfterCommit = 'process' | 'poll' | 'join' | 'close';

export class KafkaConsumer implements ApplicationThread {
  private readonly spec: ConsumerMemberSpec;
  private readonly groupId: string;
  private readonly world: KafkaWorld;
  private readonly processingUs: number;
  /** retry.backoff.ms in µs. */
  private readonly retryBackoffUs: number;
  /** metadata.max.age.ms in µs: the periodic metadata refresh. */
  private readonly metadataMaxAgeUs: number;
  private readonly subscriptions: SubscriptionState;
  private readonly fetchBuffer: FetchBuffer;
  private readonly network: ConsumerNetworkClient;
  private readonly metadata: ConsumerMetadata;
  private readonly offsetFetcher: OffsetFetcher;
  private readonly fetcher: Fetcher;
  private readonly coordinator: ConsumerCoordinator;
  // ---- volatile (reset on start) ----
  private running = false;
  private app = APP_STOPPED;
  private retryPending = false;
  private afterCommit: AfterCommit = 'poll';
  /** A scripted consumer-close is under way: it completes at the application's next poll. */
  private closing = false;
  /** The close's auto-commit is done (or not needed). */
  private closeCommitted = false;
  /** The periodic heartbeat and metadata timers (a clean close cancels them; a crash kills them). */
  private heartbeatTimer = -1;
  private metadataTimer = -1;
  /** The process ever ran (a consumer-start after a close closes its old connections first). */
  private ranBefore = false;
  // the batch being processed
  private batchSeq = 0;
  private batchStartUs = 0;
  private batchGeneration = -1;
  private batchSlots: number[] = [];
  /** Run-wide ids of the records of the batch being processed. */
  private batchRecords: number[] = [];
  private batchOffsets: number[] = [];

  constructor(world: KafkaWorld, group: ConsumerGroupSpec, member: ConsumerMemberSpec, choices: ChoiceSource) {
    this.world = world;
    this.spec = member;
    this.groupId = group.groupId;
    const choice: Choice = choices.stream(`kafka.consumer.${member.name}`);
    this.subscriptions = new SubscriptionState(world.layout, group.topics);
    this.processingUs = member.processingMs * 1000;
    const c = member.config;
    this.fetchBuffer = new FetchBuffer(this.subscriptions.partitions.length);
    this.network = new ConsumerNetworkClient(world.layout.brokerNode, c, choices.stream(`kafka.consumer.${member.name}.network`));
    this.retryBackoffUs = c['retry.backoff.ms'] * 1000;
    this.metadataMaxAgeUs = c['metadata.max.age.ms'] * 1000;
    const bootstrap = choice.below(world.layout.brokerCount);
    const initial = this.subscriptions.partitions.map((p) => world.layout.partitions[p].addedBy < 0);
    this.metadata = new ConsumerMetadata(this.subscriptions.partitions, world.layout.brokerCount, bootstrap, this.network, this, initial, world.protocol.metadataRefusesOlderLeaderEpochs);
    this.offsetFetcher = new OffsetFetcher(world, member.name, group.groupId, c['auto.offset.reset'], this.subscriptions, this.fetchBuffer, this.metadata, this.network, this);
    this.fetcher = new Fetcher(world, member.name, group.groupId, c, this.subscriptions, this.fetchBuffer, this.metadata, this.offsetFetcher, this.network, this);
    this.coordinator = new ConsumerCoordinator(world, member, group.groupId, this.subscriptions, this.fetchBuffer, this.offsetFetcher, this.network, this.metadata, this);
  }

  /** Whether the member's current assignment holds global partition `partition` (the `@reader` fault role). */
  reads(partition: number): boolean {
    return this.subscriptions.assigned.includes(partition);
  }

  get started(): boolean {
    return this.running;
  }

  get inPoll(): boolean {
    return this.app === APP_POLLING;
  }

  // ---- lifecycle ----

  onStart(ctx: Ctx): void {
    this.running = false;
    this.app = APP_STOPPED;
    this.closing = false;
    this.ranBefore = false; // a crash reset every connection
    const ops = this.world.scenario.operations;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      if ((op.kind === 'consumer-close' || op.kind === 'consumer-start') && op.member === this.spec.name && op.atMs * 1000 > ctx.nowUs)
        ctx.setTimer(op.atMs * 1000 - ctx.nowUs, { type: 'consumer-operation', operation: i });
    }
    const startUs = this.spec.startMs * 1000;
    if (ctx.nowUs < startUs) {
      ctx.setTimer(startUs - ctx.nowUs, CONSUMER_START);
      return;
    }
    this.begin(ctx);
  }

  private begin(ctx: Ctx): void {
    // A new KafkaConsumer after a clean close: the old instance's connections closed with it.
    if (this.ranBefore) for (const node of this.world.layout.brokerNode) ctx.disconnect(node);
    this.ranBefore = true;
    this.closing = false;
    this.closeCommitted = false;
    // A new client (Jepsen's new process): positions and membership start afresh.
    ctx.emit({ type: 'consumer-start', member: this.spec.name, group: this.groupId });
    this.running = true;
    this.retryPending = false;
    this.network.clear();
    this.fetcher.clear();
    this.metadata.clear();
    this.coordinator.clear(ctx.nowUs);
    this.app = APP_POLLING;
    this.metadata.requestUpdate(ctx);
    this.metadataTimer = ctx.setTimer(this.metadataMaxAgeUs, CONSUMER_METADATA_REFRESH);
    this.heartbeatTimer = ctx.setTimer(this.coordinator.heartbeatIntervalUs, CONSUMER_HEARTBEAT);
    this.poll(ctx);
  }

  onDown(ctx: Ctx): void {
    // Records whose processing time had fully elapsed before the crash were processed.
    if (this.app === APP_PROCESSING && this.processingUs > 0) {
      const done = Math.min(this.batchRecords.length, Math.floor((ctx.nowUs - this.batchStartUs) / this.processingUs));
      this.emitProcessed(ctx, done);
    }
    this.app = APP_STOPPED;
    this.running = false;
  }

  onTimer(ctx: Ctx, timer: KafkaTimer): void {
    switch (timer.type) {
      case 'consumer-start':
        return this.running ? undefined : this.begin(ctx); // a consumer-start operation began it already
      case 'consumer-operation':
        return this.onOperation(ctx, timer.operation);
      case 'consumer-heartbeat':
        this.heartbeatTimer = ctx.setTimer(this.coordinator.heartbeatIntervalUs, CONSUMER_HEARTBEAT);
        return this.coordinator.onHeartbeatTimer(ctx);
      case 'consumer-processed':
        if (timer.batch !== this.batchSeq || this.app !== APP_PROCESSING) return;
        this.emitProcessed(ctx, this.batchRecords.length);
        return this.afterBatch(ctx);
      case 'consumer-request-timeout':
        return this.onRequestTimeout(ctx, timer.broker);
      case 'connection-setup-timeout':
        if (this.network.isSetupTimeout(timer.broker, timer.attempt)) this.failAll(ctx, this.network.close(ctx, timer.broker), NETWORK_TIMEOUT);
        return;
      case 'consumer-retry':
        this.retryPending = false;
        return this.kick(ctx);
      case 'consumer-metadata-refresh':
        this.metadataTimer = ctx.setTimer(this.metadataMaxAgeUs, CONSUMER_METADATA_REFRESH);
        return this.metadata.requestUpdate(ctx);
      default:
        throw new Error(`consumer got timer ${timer.type}`);
    }
  }

  onMessage(ctx: Ctx, msg: KafkaMessage): void {
    if (!this.running) return;
    const req = this.network.complete((msg as { requestId?: number }).requestId ?? -1);
    if (req === undefined) return; // timed out already, or from before a restart
    switch (msg.type) {
      case 'find-coordinator-response':
        return this.coordinator.onFindCoordinatorResponse(ctx, msg.coordinator);
      case 'consumer-metadata-response':
        return this.onMetadataUpdate(ctx, msg.leaders, msg.leaderEpochs);
      case 'join-group-response':
        return this.coordinator.onJoinGroupResponse(ctx, msg);
      case 'sync-group-response':
        return this.coordinator.onSyncGroupResponse(ctx, msg.error, msg.assignment, req.generation);
      case 'heartbeat-response':
        return this.coordinator.onHeartbeatResponse(ctx, msg.error, req.generation);
      case 'offset-commit-response':
        return this.coordinator.onOffsetCommitResponse(ctx, req, msg.error);
      case 'offset-fetch-response':
        return this.coordinator.onOffsetFetchResponse(ctx, req, msg.error, msg.offsets, msg.leaderEpochs);
      case 'consumer-fetch-response':
        return this.fetcher.onFetchResponse(ctx, req.broker, msg);
      case 'offsets-for-leader-epoch-response':
        return this.offsetFetcher.onOffsetsForLeaderEpochResponse(ctx, req, msg);
      default:
        throw new Error(`consumer got message ${msg.type}`);
    }
  }

  /** The connection to a broker is up. */
  onConnect(ctx: Ctx, broker: number): void {
    if (this.running) this.network.onConnect(ctx, broker);
  }

  /** The network closed the connection to a broker: what was in flight on it fails. */
  onDisconnect(ctx: Ctx, broker: number): void {
    if (this.running) this.failAll(ctx, this.network.disconnected(ctx, broker), NETWORK_EXCEPTION);
  }

  /**
   * The deadline timer of broker: for each request past its deadline, earliest first, request.timeout.ms
   * passed (the connection closes and what was in flight on it fails) or the request could not be
   * sent (it fails alone); then the timer waits for the next deadline.
   */
  private onRequestTimeout(ctx: Ctx, broker: number): void {
    const network = this.network;
    network.deadlineTimerFired(broker);
    for (let req = network.nextTimedOut(ctx, broker); req !== undefined; req = network.nextTimedOut(ctx, broker)) {
      if (!req.unsent) this.failAll(ctx, network.close(ctx, broker), NETWORK_TIMEOUT);
      else this.failRequest(ctx, req, NETWORK_EXCEPTION);
    }
    network.rearm(ctx, broker);
  }

  private failAll(ctx: Ctx, failed: InFlightRequest[], error: string): void {
    for (const req of failed) if (this.running) this.failRequest(ctx, req, error);
  }

  private failRequest(ctx: Ctx, req: InFlightRequest, error: string): void {
    switch (req.kind) {
      case REQ_METADATA:
        return this.metadata.onRequestTimeout(ctx);
      case REQ_FETCH:
        return this.fetcher.onRequestTimeout(ctx, req.broker);
      case REQ_EPOCH:
        return this.offsetFetcher.onRequestTimeout(ctx);
      default:
        return this.coordinator.onRequestFailed(ctx, req, error);
    }
  }

  private onMetadataUpdate(ctx: Ctx, leaders: number[], leaderEpochs: number[]): void {
    const missing = this.metadata.update(leaders, leaderEpochs);
    this.coordinator.maybeRejoinOnMetadataChange();
    this.offsetFetcher.validatePositionsOnMetadataChange();
    if (missing) this.retryLater(ctx);
    this.offsetFetcher.validatePositionsIfNeeded(ctx);
    this.kick(ctx);
  }

  // ---- ApplicationThread ----

  kick(ctx: Ctx): void {
    if (!this.running) return;
    if (this.app === APP_POLLING) return this.poll(ctx);
    if (this.app === APP_COMMITTING) return this.coordinator.resendSyncCommit(ctx);
    this.coordinator.ensureCoordinatorReady(ctx);
    this.fetcher.sendFetches(ctx);
  }

  retryLater(ctx: Ctx): void {
    if (this.retryPending) return;
    this.retryPending = true;
    ctx.setTimer(this.retryBackoffUs, CONSUMER_RETRY);
  }

  onCommitSyncDone(ctx: Ctx): void {
    const then = this.afterCommit;
    if (then === 'close') {
      this.closeCommitted = true;
      this.app = APP_POLLING;
      return this.close(ctx);
    }
    if (then === 'process') return this.startProcessing(ctx);
    this.app = APP_POLLING;
    if (then === 'join') this.coordinator.revokeBeforeJoin();
    this.poll(ctx);
  }

  // ---- the application: poll, process, commit ----

  private poll(ctx: Ctx): void {
    if (this.app !== APP_POLLING) throw new Error(`consumer ${this.spec.name}: poll while not polling`);
    if (this.closing) return this.close(ctx);
    if (!this.coordinator.poll(ctx)) return this.commitSync(ctx, 'join');
    if (this.collectAndProcess(ctx)) return;
    this.fetcher.sendFetches(ctx);
  }

  /** Takes up to max.poll.records buffered records and starts processing them; false when none. */
  private collectAndProcess(ctx: Ctx): boolean {
    const generation = this.coordinator.generation;
    const polled = this.fetcher.collectFetch(ctx, this.spec.config['max.poll.records'], generation);
    if (polled === null) return false;
    this.batchSlots = polled.slots;
    this.batchRecords = polled.records;
    this.batchOffsets = polled.offsets;
    this.batchGeneration = generation;
    this.fetcher.sendFetches(ctx); // prefetch what was drained
    if (this.spec.commit === 'before-processing') {
      if (this.spec.commitSync) return (this.commitSync(ctx, 'process'), true);
      this.coordinator.commitOffsetsAsync(ctx);
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

  /** The first `count` records of the batch were processed: one 'process' event per run of records of one partition. */
  private emitProcessed(ctx: Ctx, count: number): void {
    this.world.stats.recordsProcessed += count;
    for (let i = 0, end = 0; i < count; i = end) {
      const s = this.batchSlots[i];
      end = i + 1;
      while (end < count && this.batchSlots[end] === s) end++;
      ctx.emit({
        type: 'process',
        member: this.spec.name,
        group: this.groupId,
        generation: this.batchGeneration,
        partition: this.subscriptions.partitionNames[s],
        // the whole batch from one partition (the usual case): its arrays, replaced below, not copies
        offsets: end - i === this.batchOffsets.length ? this.batchOffsets : this.batchOffsets.slice(i, end),
        records: end - i === this.batchRecords.length ? this.batchRecords : this.batchRecords.slice(i, end),
      });
    }
    this.batchRecords = [];
    this.batchSlots = [];
    this.batchOffsets = [];
  }

  private afterBatch(ctx: Ctx): void {
    this.app = APP_POLLING;
    if (this.spec.commit === 'after-processing' && this.subscriptions.hasUncommitted()) {
      if (this.spec.commitSync) return this.commitSync(ctx, 'poll');
      this.coordinator.commitOffsetsAsync(ctx);
    }
    this.poll(ctx);
  }

  // ---- scripted operations: consumer-close, consumer-start ----

  private onOperation(ctx: Ctx, operation: number): void {
    const op = this.world.scenario.operations[operation];
    if (op.kind === 'consumer-start') {
      if (!this.running) this.begin(ctx); // a member already running is left as it is
      return;
    }
    if (op.kind !== 'consumer-close' || !this.running || this.closing) return;
    this.closing = true;
    ctx.emit({ type: 'operation', operation: op.kind, subject: this.spec.name, topic: null, error: null });
    // The application finishes the batch in hand (and its commit) and closes at its next poll.
    if (this.app === APP_POLLING) this.close(ctx);
  }

  /**
   * KafkaConsumer.close() (ConsumerCoordinator.close): with enable.auto.commit the positions are
   * committed synchronously first (maybeAutoCommitOffsetsSync); then the member leaves the group
   * (AbstractCoordinator.maybeLeaveGroup: LeaveGroup, so the group rebalances at once instead of
   * after session.timeout.ms; a static member, KIP-345, sends none) and the client stops.
   */
  private close(ctx: Ctx): void {
    if (this.spec.config['enable.auto.commit'] && !this.closeCommitted && this.coordinator.generation >= 0 && this.subscriptions.hasUncommitted())
      return this.commitSync(ctx, 'close');
    this.coordinator.maybeLeaveGroup(ctx);
    ctx.cancelTimer(this.heartbeatTimer);
    ctx.cancelTimer(this.metadataTimer);
    this.running = false;
    this.closing = false;
    this.app = APP_STOPPED;
  }

  /** commitSync: the application blocks until the coordinator reports the commit done. */
  private commitSync(ctx: Ctx, then: AfterCommit): void {
    this.app = APP_COMMITTING;
    this.afterCommit = then;
    this.coordinator.commitOffsetsSync(ctx);
  }
}
