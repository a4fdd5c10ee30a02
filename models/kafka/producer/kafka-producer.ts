// Kafka's KafkaProducer, as one client node: generates records at ProducerSpec.ratePerSec plus
// scripted sends (the generated ones materialised when the producer next acts, at their own send
// times: RecordArrivals), maps each to a partition (murmur2 of the key, the sticky partitioner for null
// keys), appends it to the RecordAccumulator and wakes the Sender. It wires the parts together:
// ProducerMetadata (where leaders are), the NetworkClient (connections, correlation ids, requests in flight),
// the TransactionManager (producer id, epoch, sequences) and the Sender; and it reports how each
// record ends (send-ok, send-fail) as the callbacks of send() would.

import { socketBuffers } from '../clients/socket-buffers.ts';
import type { Choice, ChoiceSource } from '../../../src/sim/choice.ts';
import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import type { ProducerSpec } from '../scenario/kafka-scenario.ts';
import type { KafkaMessage } from '../messages.ts';
import { SENDER_WAKEUP, type KafkaTimer } from '../timers.ts';
import { MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION_FOR_IDEMPOTENCE } from '../config/producer-configs.ts';
import { BatchExpiry } from './batch-expiry.ts';
import { NetworkClient } from './network-client.ts';
import { NullKeyPartitioner, nullKeyRuleOf, partitionForKey, type NullKeyView } from './partitioner.ts';
import type { ProducerBatch } from './producer-batch.ts';
import { ProducerMetadata } from './producer-metadata.ts';
import { RecordAccumulator } from './record-accumulator.ts';
import { RecordArrivals, type ArrivalRouting } from './record-arrivals.ts';
import { Sender, type BatchCompletion } from './sender.ts';
import { NO_LEADER } from '../controller/metadata-image.ts';
import { TransactionManager } from './transaction-manager.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

export class KafkaProducer implements BatchCompletion, ArrivalRouting, NullKeyView {
  readonly spec: ProducerSpec;
  readonly node: number;
  private readonly choice: Choice;
  private readonly nullKey: NullKeyPartitioner;
  /** Name of each partition of the topic, for events. */
  private readonly partitionNames: string[];
  private readonly keyNames: string[];
  private readonly keyPartition: Int32Array;
  /** The partition count keyPartition was computed for. */
  private keyPartitionCount = 0;
  readonly keyed: boolean;
  private readonly arrivals: RecordArrivals;
  private readonly accumulator: RecordAccumulator;
  private readonly network: NetworkClient;
  private readonly metadata: ProducerMetadata;
  private readonly transactions: TransactionManager;
  private readonly sender: Sender;
  /** The one 'sender-wakeup' timer pending (for the Sender's wakeup and the next arrival that matters), Infinity: none. */
  private pendingWakeUs = Infinity;
  private pendingTimerId = -1;
  /** Process starts so far: a restarted producer is a new producer id. */
  private starts = 0;

  constructor(
    private readonly world: KafkaWorld,
    readonly index: number,
    choices: ChoiceSource,
  ) {
    const spec = (this.spec = world.scenario.producers[index]);
    const layout = world.layout;
    this.node = layout.producerNode[index];
    this.choice = choices.stream(`kafka.producer.${spec.name}`);
    const partitions = layout.partitionsOfTopic.get(spec.topic);
    if (partitions === undefined) throw new Error(`producer ${spec.name}: unknown topic ${spec.topic}`);
    this.partitionNames = partitions.map((p) => layout.partitions[p].name);
    this.keyNames = [];
    this.keyPartition = new Int32Array(spec.keys);
    for (let k = 0; k < spec.keys; k++) this.keyNames.push(`k${k}`);
    const initialPartitionCount = world.scenario.topics.find((t) => t.name === spec.topic)?.partitions ?? partitions.length;
    const c = spec.config;
    const idempotent = c['enable.idempotence'];
    const maxInFlight = c['max.in.flight.requests.per.connection'];
    if (idempotent && maxInFlight > MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION_FOR_IDEMPOTENCE)
      throw new Error(`producer ${spec.name}: idempotence needs max.in.flight <= ${MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION_FOR_IDEMPOTENCE}`);
    const n = partitions.length;
    const recordsPerBatch = Math.max(1, Math.floor(c['batch.size'] / Math.max(1, spec.recordBytes)));
    // The client runs the scenario's starting version: its rule for records without a key.
    this.nullKey = new NullKeyPartitioner(nullKeyRuleOf(world.versions.initialVersion), choices.stream(`kafka.producer.${spec.name}.sticky`), recordsPerBatch);
    // No delivery timeout before Kafka 2.1 (KIP-91): batches have no deadline, BatchExpiry expires them the older way.
    const deliveryTimeoutUs = c['delivery.timeout.ms'] === null ? null : c['delivery.timeout.ms'] * 1000;
    this.accumulator = new RecordAccumulator(n, recordsPerBatch, c['linger.ms'] * 1000, deliveryTimeoutUs ?? Infinity);
    this.keyed = spec.keys > 0 && !world.bugs.stickyKeyedRecords; // bug zoo: keys ignored, sticky for all
    const endUs = Math.min(spec.stopMs === undefined ? Infinity : spec.stopMs * 1000, world.durationUs + 1);
    const intervalUs = spec.ratePerSec > 0 ? 1_000_000 / spec.ratePerSec : 0;
    this.arrivals = new RecordArrivals(intervalUs, spec.startMs * 1000, endUs, spec.keys, this.choice, this.accumulator, c['linger.ms'] * 1000);
    this.network = new NetworkClient(layout.brokerNode, c, choices.stream(`kafka.producer.${spec.name}.network`));
    const inFlightBatches: ProducerBatch[][] = partitions.map(() => []);
    this.transactions = new TransactionManager(idempotent, world.protocol.unknownProducerAcceptsAnySequence, n, this.accumulator, inFlightBatches);
    const requestTimeoutUs = c['request.timeout.ms'] * 1000;
    const retryBackoffUs = c['retry.backoff.ms'] * 1000;
    const expiry = new BatchExpiry(deliveryTimeoutUs, requestTimeoutUs, c['linger.ms'] * 1000, recordsPerBatch);
    const metadataSetup = {
      topic: spec.topic,
      partitionCount: n,
      initialPartitionCount,
      maxAgeUs: c['metadata.max.age.ms'] * 1000,
      retryBackoffUs,
      requestTimeoutUs,
      ignoresOlderLeaderEpochs: world.protocol.metadataRefusesOlderLeaderEpochs,
    };
    this.metadata = new ProducerMetadata(metadataSetup, this.network, world.stats);
    this.sender = new Sender(
      {
        producer: index,
        partitions,
        brokerNodes: layout.brokerNode,
        acks: c.acks === 'all' ? -1 : Number(c.acks),
        idempotent,
        maxInFlight,
        requestTimeoutUs,
        retryBackoffUs,
        retries: c.retries,
        recordBytes: spec.recordBytes,
        socket: socketBuffers(c['send.buffer.bytes'], world.scenario.brokerConfig['socket.receive.buffer.bytes']),
      },
      { accumulator: this.accumulator, metadata: this.metadata, network: this.network, transactions: this.transactions, completion: this, expiry, stats: world.stats },
      inFlightBatches,
    );
  }

  // ---- lifecycle ----

  onStart(ctx: Ctx): void {
    this.accumulator.clear();
    this.nullKey.clear();
    this.network.clear();
    this.sender.reset();
    this.transactions.initProducerIdAndEpoch(this.index);
    this.starts++;
    this.metadata.start(ctx);
    this.arrivals.startAt(ctx.nowUs);
    // a restart keeps the old instance's timer, which fires as a wakeup with nothing to do
    this.pendingWakeUs = Infinity;
    this.pendingTimerId = -1;
    const ops = this.world.scenario.operations;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      if (op.kind === 'producer-restart' && op.producer === this.spec.name && op.atMs * 1000 > ctx.nowUs)
        ctx.setTimer(op.atMs * 1000 - ctx.nowUs, { type: 'producer-operation', operation: i });
    }
    const sends = this.spec.sends;
    for (let i = 0; i < sends.length; i++) {
      const atUs = sends[i].atMs * 1000;
      if (atUs >= ctx.nowUs && (atUs > ctx.nowUs || this.starts === 1)) ctx.setTimer(atUs - ctx.nowUs, { type: 'scripted-send', index: i });
    }
    this.reschedule(ctx);
  }

  onDown(ctx: Ctx): void {
    this.catchUp(ctx, ctx.nowUs - 1); // a record due at the crash itself is not sent (the process is gone)
    this.sender.abortIncompleteBatches(ctx);
    this.pendingWakeUs = Infinity; // a crash ends the process's timers
  }

  onTimer(ctx: Ctx, timer: KafkaTimer): void {
    // a record due at a restart itself is the new instance's
    this.catchUp(ctx, timer.type === 'producer-operation' ? ctx.nowUs - 1 : ctx.nowUs);
    this.handleTimer(ctx, timer);
    this.reschedule(ctx);
  }

  private handleTimer(ctx: Ctx, timer: KafkaTimer): void {
    switch (timer.type) {
      case 'producer-operation':
        return this.restart(ctx);
      case 'scripted-send': {
        const key = this.spec.sends[timer.index].key;
        this.send(ctx, key === null ? -1 : -2, key, ctx.nowUs);
        return this.sender.run(ctx);
      }
      case 'sender-wakeup':
        if (ctx.nowUs >= this.pendingWakeUs) {
          this.pendingWakeUs = Infinity;
          this.pendingTimerId = -1;
        }
        return this.sender.onWakeup(ctx);
      case 'request-timeout':
        return this.sender.handleRequestTimeout(ctx, timer.broker);
      case 'metadata-timeout': {
        // request.timeout.ms: the producer closes the connection, failing everything in flight on it
        const broker = this.metadata.brokerAwaited(timer.requestId);
        return broker < 0 ? undefined : this.sender.closeConnection(ctx, broker);
      }
      case 'connection-setup-timeout':
        return this.network.isSetupTimeout(timer.broker, timer.attempt) ? this.sender.closeConnection(ctx, timer.broker) : undefined;
      case 'metadata-refresh':
        return this.metadata.onRefresh(ctx);
      default:
        throw new Error(`producer got timer ${timer.type}`);
    }
  }

  /** A produce request that did not fit in the socket's send buffer is written now (`broker` by broker index). */
  onWritten(ctx: Ctx, broker: number): void {
    this.catchUp(ctx);
    this.sender.handleWritten(ctx, broker);
    this.reschedule(ctx);
  }

  /** The connection to a broker is up (`broker` by broker index). */
  onConnect(ctx: Ctx, broker: number): void {
    this.catchUp(ctx);
    this.sender.handleConnect(ctx, broker);
    this.reschedule(ctx);
  }

  /** The network closed the connection to a broker: what was in flight on it fails. */
  onDisconnect(ctx: Ctx, broker: number): void {
    this.catchUp(ctx);
    this.sender.handleDisconnect(ctx, broker);
    this.reschedule(ctx);
  }

  onMessage(ctx: Ctx, msg: KafkaMessage): void {
    this.catchUp(ctx);
    switch (msg.type) {
      case 'produce-response':
        this.sender.handleProduceResponse(ctx, msg);
        break;
      case 'metadata-response':
        if (this.metadata.handleResponse(ctx, msg)) this.sender.run(ctx);
        break;
      default:
        throw new Error(`producer got message ${msg.type}`);
    }
    this.reschedule(ctx);
  }

  // ---- generated records, materialised lazily (RecordArrivals) ----

  /** Sends the generated records that arrived by byUs, each at its own time. */
  private catchUp(ctx: Ctx, byUs = ctx.nowUs): void {
    for (let atUs = this.arrivals.dueUs(byUs); atUs >= 0; atUs = this.arrivals.dueUs(byUs)) this.send(ctx, this.arrivals.take(), null, atUs);
  }

  /** One timer at the Sender's wakeup or the next arrival that matters, whichever is first. */
  private reschedule(ctx: Ctx): void {
    this.refreshKeyPartitions();
    const atUs = this.arrivals.nextMatteringUs(this.sender.wakeAtUs, this, this.sender.pollsMetadata);
    if (atUs >= this.pendingWakeUs) return;
    if (this.pendingTimerId >= 0) ctx.cancelTimer(this.pendingTimerId);
    this.pendingWakeUs = atUs;
    this.pendingTimerId = ctx.setTimer(Math.max(0, atUs - ctx.nowUs), SENDER_WAKEUP);
  }

  partitionOfKey(keyIndex: number): number {
    return this.keyPartition[keyIndex];
  }

  stickyPartition(): number {
    return this.nullKey.current(this.metadata.partitionCount);
  }

  stickyRecordsBeforeSwitch(): number {
    if (this.nullKey.rule !== 'sticky-per-batch') return this.nullKey.recordsBeforeSwitch();
    // KIP-480 moves on at the record that would start a new batch: the room left in the open one.
    const tp = this.nullKey.current(this.metadata.partitionCount);
    const q = tp < 0 ? [] : this.accumulator.queues[tp];
    const last = q.length === 0 ? null : q[q.length - 1];
    return last === null || last.attempts > 0 ? 0 : Math.max(0, this.accumulator.recordsPerBatch - last.recordIds.length);
  }

  // ---- NullKeyView ----

  available(): number[] {
    const out: number[] = [];
    for (let tp = 0; tp < this.metadata.partitionCount; tp++) if (this.metadata.leaderOf(tp) !== NO_LEADER) out.push(tp);
    return out;
  }

  needsNewBatch(tp: number): boolean {
    return this.accumulator.queues[tp].length === 0 || this.accumulator.lastBatchFull(tp);
  }

  private refreshKeyPartitions(): void {
    const n = this.metadata.partitionCount;
    if (n === this.keyPartitionCount) return;
    for (let k = 0; k < this.keyPartition.length; k++) this.keyPartition[k] = partitionForKey(this.keyNames[k], n);
    this.keyPartitionCount = n;
  }

  /**
   * producer-restart: the application replaces its KafkaProducer, as a deploy does (the old one
   * killed, not closed: what it had not completed fails, and a batch in flight may still have been
   * written). The new instance connects afresh and gets a new producer id (InitProducerId), so
   * idempotence does not span the two.
   */
  private restart(ctx: Ctx): void {
    ctx.emit({ type: 'operation', operation: 'producer-restart', subject: this.spec.name, topic: null, error: null });
    this.onDown(ctx);
    for (const node of this.world.layout.brokerNode) ctx.disconnect(node);
    this.onStart(ctx);
  }

  // ---- send ----

  /** keyIndex: a generated key index; -1: null key; -2: the scripted key given. sentUs: when send() was called. */
  private send(ctx: Ctx, keyIndex: number, scriptedKey: string | null, sentUs: number): void {
    const n = this.metadata.partitionCount;
    this.refreshKeyPartitions();
    const key = keyIndex >= 0 ? this.keyNames[keyIndex] : keyIndex === -2 ? scriptedKey : null;
    let tp: number;
    const honoursKeys = !this.world.bugs.stickyKeyedRecords; // bug zoo: keys ignored, sticky for all
    if (keyIndex >= 0 && honoursKeys) tp = this.keyPartition[keyIndex];
    else if (key !== null && honoursKeys) tp = partitionForKey(key, n);
    else tp = this.nullKey.partition(n, this);
    const record = this.world.nextRecordId++;
    this.world.recordKeys?.set(record, key); // only kept when a user topic is compacted
    this.world.stats.recordsSent++;
    ctx.emit({ type: 'send', producer: this.spec.name, record, key, partition: this.partitionNames[tp], sentUs });
    this.accumulator.append(tp, record, sentUs);
    if (key === null || !honoursKeys) this.nullKey.recordAppended(tp, n, this);
  }

  // ---- the callbacks of send() (BatchCompletion) ----

  completeBatch(ctx: Ctx, batch: ProducerBatch, baseOffset: number, leaderEpoch: number): void {
    this.world.stats.recordsAcked += batch.recordIds.length;
    const partition = this.partitionNames[batch.topicPartition];
    ctx.emit({ type: 'send-ok', producer: this.spec.name, records: batch.recordIds, partition, offset: baseOffset, leaderEpoch, sentUs: batch.sendUs });
  }

  failBatch(ctx: Ctx, batch: ProducerBatch, error: string): void {
    const partition = this.partitionNames[batch.topicPartition];
    const definite = !batch.maybeAppended;
    for (const record of batch.recordIds) {
      this.world.stats.recordsFailed++;
      if (!definite) this.world.stats.recordsFailedIndefinite++;
      ctx.emit({ type: 'send-fail', producer: this.spec.name, record, partition, error, definite });
    }
  }

  recordError(ctx: Ctx, batch: ProducerBatch, error: string): void {
    this.world.stats.produceError(error);
    ctx.emit({ type: 'produce-error', partition: this.partitionNames[batch.topicPartition], producer: this.spec.name, error });
  }

  recordSequencesReset(ctx: Ctx, tp: number, batches: readonly ProducerBatch[], logStartOffset: number): void {
    const mayBeInLog = batches.filter((b) => b.maybeAppended).flatMap((b) => b.recordIds);
    ctx.emit({ type: 'sequences-reset', partition: this.partitionNames[tp], producer: this.spec.name, logStartOffset, records: batches.flatMap((b) => b.recordIds), mayBeInLog });
  }
}
