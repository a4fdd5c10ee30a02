// A Kafka producer client (the Java client's KafkaProducer + Sender): generates records at
// ProducerSpec.ratePerSec plus scripted sends, maps keys to partitions with murmur2
// (partitionForKey) and null keys with the sticky partitioner, batches them (linger.ms,
// batch.size), sends one produce request per leader broker per drain with up to
// max.in.flight.requests.per.connection in flight, and retries (retries, retry.backoff.ms,
// request.timeout.ms, delivery.timeout.ms). Metadata comes from a broker (metadata.max.age.ms,
// refreshed on NOT_LEADER_OR_FOLLOWER and disconnects).
//
// Idempotence (enable.idempotence): producer id and epoch, per-partition sequences assigned at
// first drain; a retried batch is re-sent only when nothing else of its partition is in flight,
// and later batches answered OUT_OF_ORDER_SEQUENCE_NUMBER go back in sequence order, so the log
// keeps send order with up to 5 in flight.
//
// Simplifications: producer ids are assigned deterministically (1000 + producer index + 1000 x
// restarts) instead of InitProducerId; the bootstrap broker is drawn once from the producer's
// stream and the next broker is tried after a metadata timeout; a request with no response fails
// at request.timeout.ms together with everything else in flight to that broker (the Java client
// closes the connection), and no TCP reset is modelled, so a crashed broker is noticed only then;
// an idempotent batch that expires after being sent bumps the epoch and resets sequences at once
// (KIP-360 waits for in-flight batches first); a producer crash fails its pending records
// (definite only if never sent).

import type { Choice, ChoiceSource } from '../../../src/sim/choice.ts';
import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import type { ProducerSpec } from '../scenario/kafka-scenario.ts';
import {
  DELIVERY_TIMEOUT,
  FENCED_LEADER_EPOCH,
  NETWORK_TIMEOUT,
  UNRESOLVED_SEQUENCE,
  NOT_ENOUGH_REPLICAS,
  NOT_ENOUGH_REPLICAS_AFTER_APPEND,
  NOT_LEADER_OR_FOLLOWER,
  OUT_OF_ORDER_SEQUENCE_NUMBER,
  PRODUCER_CRASHED,
  REQUEST_TIMED_OUT,
  UNKNOWN_LEADER_EPOCH,
  type KafkaMessage,
  type MetadataResponse,
  type ProduceBatch,
  type ProduceResponse,
} from '../messages.ts';
import { NO_LEADER } from '../controller/metadata-image.ts';
import { partitionForKey, StickyPartitioner } from './partitioner.ts';
import { ProducerBatch, RecordAccumulator } from './record-accumulator.ts';
import { GENERATE, METADATA_REFRESH, SENDER_WAKEUP, type KafkaTimer } from '../timers.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

interface InFlightRequest {
  broker: number;
  batches: ProducerBatch[];
  timerId: number;
}

const RETRIABLE = new Set([
  NOT_LEADER_OR_FOLLOWER,
  NOT_ENOUGH_REPLICAS,
  NOT_ENOUGH_REPLICAS_AFTER_APPEND,
  REQUEST_TIMED_OUT,
  NETWORK_TIMEOUT,
  UNKNOWN_LEADER_EPOCH,
  FENCED_LEADER_EPOCH,
  OUT_OF_ORDER_SEQUENCE_NUMBER,
]);

export class ProducerClient {
  readonly spec: ProducerSpec;
  readonly node: number;
  private readonly choice: Choice;
  private readonly sticky: StickyPartitioner;
  private readonly partitions: number[];
  private readonly partitionNames: string[];
  private readonly keyNames: string[];
  private readonly keyPartition: Int32Array;
  private readonly acks: number;
  private readonly idempotent: boolean;
  private readonly maxInFlight: number;
  private readonly lingerUs: number;
  private readonly requestTimeoutUs: number;
  private readonly retryBackoffUs: number;
  private readonly metadataMaxAgeUs: number;
  private readonly generateIntervalUs: number;
  private readonly startUs: number;
  private readonly stopUs: number;
  // volatile (reset on start)
  private accumulator: RecordAccumulator;
  private leaders: Int32Array;
  private inflightByBroker: Int32Array;
  private inflightBatches: ProducerBatch[][];
  private readonly requests = new Map<number, InFlightRequest>();
  private nextRequestId = 1;
  private producerId = -1;
  private producerEpoch = 0;
  private nextSequence: Int32Array;
  private metadataInflight = 0;
  private metadataTimer = -1;
  private metadataTarget = 0;
  private metadataRefreshAtUs = Infinity;
  private wakeAtUs = Infinity;
  private generated = 0;
  private starts = 0;

  constructor(
    private readonly world: KafkaWorld,
    readonly index: number,
    choices: ChoiceSource,
  ) {
    const spec = (this.spec = world.scenario.producers[index]);
    this.node = world.layout.producerNode[index];
    this.choice = choices.stream(`kafka.producer.${spec.name}`);
    this.sticky = new StickyPartitioner(choices.stream(`kafka.producer.${spec.name}.sticky`));
    const parts = world.layout.partitionsOfTopic.get(spec.topic);
    if (parts === undefined) throw new Error(`producer ${spec.name}: unknown topic ${spec.topic}`);
    this.partitions = parts;
    this.partitionNames = parts.map((p) => world.layout.partitions[p].name);
    this.keyNames = [];
    this.keyPartition = new Int32Array(spec.keys);
    for (let k = 0; k < spec.keys; k++) {
      this.keyNames.push(`k${k}`);
      this.keyPartition[k] = partitionForKey(`k${k}`, parts.length);
    }
    const c = spec.config;
    this.acks = c.acks === 'all' ? -1 : Number(c.acks);
    this.idempotent = c['enable.idempotence'];
    this.maxInFlight = c['max.in.flight.requests.per.connection'];
    if (this.idempotent && this.maxInFlight > 5) throw new Error(`producer ${spec.name}: idempotence needs max.in.flight <= 5`);
    this.lingerUs = c['linger.ms'] * 1000;
    this.requestTimeoutUs = c['request.timeout.ms'] * 1000;
    this.retryBackoffUs = c['retry.backoff.ms'] * 1000;
    this.metadataMaxAgeUs = c['metadata.max.age.ms'] * 1000;
    this.generateIntervalUs = spec.ratePerSec > 0 ? 1_000_000 / spec.ratePerSec : 0;
    this.startUs = spec.startMs * 1000;
    this.stopUs = spec.stopMs === undefined ? Infinity : spec.stopMs * 1000;
    const n = parts.length;
    this.accumulator = new RecordAccumulator(n, Math.max(1, Math.floor(c['batch.size'] / Math.max(1, spec.recordBytes))), c['delivery.timeout.ms'] * 1000);
    this.leaders = new Int32Array(n).fill(NO_LEADER);
    this.inflightByBroker = new Int32Array(world.layout.brokerCount);
    this.inflightBatches = parts.map(() => []);
    this.nextSequence = new Int32Array(n);
    this.metadataTarget = this.choice.below(world.layout.brokerCount);
  }

  // ---- lifecycle ----

  onStart(ctx: Ctx): void {
    const n = this.partitions.length;
    this.accumulator.clear();
    this.leaders = new Int32Array(n).fill(NO_LEADER);
    this.inflightByBroker.fill(0);
    for (const l of this.inflightBatches) l.length = 0;
    this.requests.clear();
    this.producerId = this.idempotent ? 1000 + this.index + 1000 * this.starts : -1;
    this.starts++;
    this.producerEpoch = 0;
    this.nextSequence.fill(0);
    this.metadataInflight = 0;
    this.metadataRefreshAtUs = Infinity;
    this.wakeAtUs = Infinity;
    this.requestMetadata(ctx);
    this.scheduleMetadataRefresh(ctx, this.metadataMaxAgeUs);
    if (this.generateIntervalUs > 0) {
      const from = Math.max(ctx.nowUs, this.startUs);
      this.generated = Math.ceil((from - this.startUs) / this.generateIntervalUs);
      this.scheduleGenerate(ctx);
    }
    const sends = this.spec.sends;
    for (let i = 0; i < sends.length; i++) {
      const atUs = sends[i].atMs * 1000;
      if (atUs >= ctx.nowUs && (atUs > ctx.nowUs || this.starts === 1)) ctx.setTimer(atUs - ctx.nowUs, { type: 'scripted-send', index: i });
    }
  }

  onDown(ctx: Ctx): void {
    for (const q of this.accumulator.queues) for (const b of q) this.failBatch(ctx, b, PRODUCER_CRASHED);
    for (const req of this.requests.values()) for (const b of req.batches) this.failBatch(ctx, b, PRODUCER_CRASHED);
    this.accumulator.clear();
    this.requests.clear();
  }

  onTimer(ctx: Ctx, timer: KafkaTimer): void {
    switch (timer.type) {
      case 'generate':
        this.send(ctx, this.spec.keys > 0 ? this.choice.below(this.spec.keys) : -1);
        this.generated++;
        this.scheduleGenerate(ctx);
        return this.runSender(ctx);
      case 'scripted-send': {
        const key = this.spec.sends[timer.index].key;
        this.send(ctx, key === null ? -1 : -2, key);
        return this.runSender(ctx);
      }
      case 'sender-wakeup':
        if (ctx.nowUs >= this.wakeAtUs) this.wakeAtUs = Infinity;
        return this.runSender(ctx);
      case 'request-timeout':
        return this.onRequestTimeout(ctx, timer.requestId);
      case 'metadata-timeout':
        if (this.metadataInflight !== timer.requestId) return;
        this.metadataInflight = 0;
        this.metadataTarget = (this.metadataTarget + 1) % this.world.layout.brokerCount;
        return this.requestMetadata(ctx);
      case 'metadata-refresh':
        if (ctx.nowUs < this.metadataRefreshAtUs) return;
        this.metadataRefreshAtUs = Infinity;
        this.requestMetadata(ctx);
        this.scheduleMetadataRefresh(ctx, this.metadataMaxAgeUs);
        return;
      default:
        throw new Error(`producer got timer ${timer.type}`);
    }
  }

  onMessage(ctx: Ctx, msg: KafkaMessage): void {
    switch (msg.type) {
      case 'produce-response':
        return this.onProduceResponse(ctx, msg);
      case 'metadata-response':
        return this.onMetadataResponse(ctx, msg);
      default:
        throw new Error(`producer got message ${msg.type}`);
    }
  }

  private scheduleGenerate(ctx: Ctx): void {
    const atUs = Math.round(this.startUs + this.generated * this.generateIntervalUs);
    if (atUs >= this.stopUs || atUs > this.world.durationUs) return;
    ctx.setTimer(atUs - ctx.nowUs, GENERATE);
  }

  // ---- send ----

  /** keyIndex: a generated key index; -1: null key; -2: the scripted key given. */
  private send(ctx: Ctx, keyIndex: number, scriptedKey: string | null = null): void {
    const n = this.partitions.length;
    const key = keyIndex >= 0 ? this.keyNames[keyIndex] : keyIndex === -2 ? scriptedKey : null;
    let tp: number;
    const keyed = !this.world.bugs.stickyKeyedRecords; // bug zoo: keys ignored, sticky for all
    if (keyIndex >= 0 && keyed) tp = this.keyPartition[keyIndex];
    else if (key !== null && keyed) tp = partitionForKey(key, n);
    else {
      tp = this.sticky.partition(this.spec.topic, n);
      if (this.accumulator.lastBatchFull(tp)) {
        this.sticky.onNewBatch(this.spec.topic, tp, n);
        tp = this.sticky.partition(this.spec.topic, n);
      }
    }
    const record = this.world.nextRecordId++;
    this.world.recordKeys?.set(record, key); // only kept when a user topic is compacted
    this.world.stats.recordsSent++;
    ctx.emit({ type: 'send', producer: this.spec.name, record, key, partition: this.partitionNames[tp] });
    this.accumulator.append(tp, record, ctx.nowUs);
  }

  private wakeAt(ctx: Ctx, atUs: number): void {
    if (atUs >= this.wakeAtUs) return;
    this.wakeAtUs = atUs;
    ctx.setTimer(atUs - ctx.nowUs, SENDER_WAKEUP);
  }

  /** Drains ready batches into produce requests, as many rounds as in-flight limits allow. */
  private runSender(ctx: Ctx): void {
    const now = ctx.nowUs;
    this.expireBatches(ctx);
    let needMetadata = false;
    let nextWakeUs = Infinity;
    for (;;) {
      let sent = false;
      let byBroker: (ProducerBatch[] | null)[] | null = null;
      for (let tp = 0; tp < this.partitions.length; tp++) {
        const q = this.accumulator.queues[tp];
        if (q.length === 0) continue;
        const batch = q[0];
        const leader = this.leaders[tp];
        if (leader === NO_LEADER) {
          needMetadata = true;
          continue;
        }
        if (this.inflightByBroker[leader] >= this.maxInFlight) continue;
        const inflight = this.inflightBatches[tp].length;
        // max.in.flight = 1 mutes the partition while a batch is in flight (guaranteed order);
        // an idempotent retry waits until nothing ahead of it is in flight.
        if (inflight > 0 && (this.maxInFlight === 1 || (this.idempotent && batch.attempts > 0))) continue;
        if (batch.attempts > 0 && now < batch.retryAtUs) {
          if (batch.retryAtUs < nextWakeUs) nextWakeUs = batch.retryAtUs;
          continue;
        }
        const lingerDoneUs = batch.createdUs + this.lingerUs;
        if (!(batch.attempts > 0 || q.length > 1 || this.accumulator.isFull(batch) || now >= lingerDoneUs)) {
          if (lingerDoneUs < nextWakeUs) nextWakeUs = lingerDoneUs;
          continue;
        }
        q.shift();
        if (this.idempotent && (batch.baseSequence < 0 || batch.producerEpoch !== this.producerEpoch)) {
          batch.baseSequence = this.nextSequence[tp];
          batch.producerEpoch = this.producerEpoch;
          this.nextSequence[tp] += batch.recordIds.length;
        }
        byBroker ??= new Array(this.world.layout.brokerCount).fill(null);
        (byBroker[leader] ??= []).push(batch);
      }
      if (byBroker !== null)
        for (let broker = 0; broker < byBroker.length; broker++) {
          const batches = byBroker[broker];
          if (batches === null) continue;
          this.sendRequest(ctx, broker, batches);
          sent = true;
        }
      if (!sent) break;
    }
    if (needMetadata) {
      this.requestMetadata(ctx);
      this.scheduleMetadataRefresh(ctx, this.retryBackoffUs);
    }
    for (const q of this.accumulator.queues) if (q.length > 0 && q[0].deadlineUs < nextWakeUs) nextWakeUs = q[0].deadlineUs;
    if (nextWakeUs !== Infinity) this.wakeAt(ctx, nextWakeUs);
  }

  private sendRequest(ctx: Ctx, broker: number, batches: ProducerBatch[]): void {
    const requestId = this.nextRequestId++;
    const wire = new Array<ProduceBatch>(batches.length);
    for (let i = 0; i < batches.length; i++) {
      const b = batches[i];
      b.attempts++;
      if (b.attempts > 1) this.world.stats.produceRetries++;
      wire[i] = {
        batchId: b.id,
        partition: this.partitions[b.topicPartition],
        recordIds: b.recordIds,
        producerId: this.producerId,
        producerEpoch: this.idempotent ? b.producerEpoch : -1,
        baseSequence: this.idempotent ? b.baseSequence : -1,
      };
    }
    this.world.stats.produceRequests++;
    ctx.send(this.world.layout.brokerNode[broker], {
      type: 'produce',
      requestId,
      producer: this.index,
      acks: this.acks,
      timeoutUs: this.requestTimeoutUs,
      batches: wire,
    });
    if (this.acks === 0) {
      // The Java client completes acks=0 sends once written to the socket, offset unknown.
      for (const b of batches) this.ackBatch(ctx, b, -1, -1);
      return;
    }
    for (const b of batches) this.inflightBatches[b.topicPartition].push(b);
    this.inflightByBroker[broker]++;
    const timerId = ctx.setTimer(this.requestTimeoutUs, { type: 'request-timeout', requestId });
    this.requests.set(requestId, { broker, batches, timerId });
  }

  // ---- responses ----

  private onProduceResponse(ctx: Ctx, msg: ProduceResponse): void {
    const req = this.requests.get(msg.requestId);
    if (req === undefined) return; // timed out already: the connection was closed
    this.requests.delete(msg.requestId);
    ctx.cancelTimer(req.timerId);
    this.inflightByBroker[req.broker]--;
    for (let i = 0; i < req.batches.length; i++) {
      const batch = req.batches[i];
      const result = msg.results[i];
      if (result.batchId !== batch.id) throw new Error(`produce response out of order: batch ${result.batchId} vs ${batch.id}`);
      this.removeInflight(batch);
      if (result.error === null) this.ackBatch(ctx, batch, result.baseOffset, result.leaderEpoch);
      else {
        if (result.error === NOT_LEADER_OR_FOLLOWER) this.avoidForMetadata(req.broker);
        this.onBatchError(ctx, batch, result.error);
      }
    }
    this.runSender(ctx);
  }

  private onRequestTimeout(ctx: Ctx, requestId: number): void {
    const timedOut = this.requests.get(requestId);
    if (timedOut === undefined) return;
    // The client closes the connection: every request in flight to that broker fails with it.
    const broker = timedOut.broker;
    const failed: InFlightRequest[] = [];
    for (const [id, req] of this.requests)
      if (req.broker === broker) {
        failed.push(req);
        this.requests.delete(id);
        ctx.cancelTimer(req.timerId);
      }
    this.inflightByBroker[broker] = 0;
    this.avoidForMetadata(broker);
    for (const req of failed)
      for (const batch of req.batches) {
        this.removeInflight(batch);
        this.onBatchError(ctx, batch, NETWORK_TIMEOUT);
      }
    this.requestMetadata(ctx);
    this.runSender(ctx);
  }

  /**
   * The Java client's leastLoadedNode: the broker with the fewest requests in flight, so metadata
   * is not asked of a broker whose requests are stuck (a dead host answers nothing until
   * request.timeout.ms). Ties go to the first broker at or after the current target (the client
   * starts its scan at a random offset; staying put keeps the choice stable and deterministic).
   */
  private leastLoadedBroker(): number {
    const n = this.world.layout.brokerCount;
    let best = this.metadataTarget;
    for (let k = 1; k < n; k++) {
      const b = (this.metadataTarget + k) % n;
      if (this.inflightByBroker[b] < this.inflightByBroker[best]) best = b;
    }
    return best;
  }

  /** Like the client's leastLoadedNode, stop asking a broker that just failed us for metadata. */
  private avoidForMetadata(broker: number): void {
    if (this.metadataTarget === broker && this.metadataInflight === 0)
      this.metadataTarget = (this.metadataTarget + 1) % this.world.layout.brokerCount;
  }

  private removeInflight(batch: ProducerBatch): void {
    const l = this.inflightBatches[batch.topicPartition];
    const i = l.indexOf(batch);
    if (i < 0) throw new Error(`batch ${batch.id} not in flight`);
    l.splice(i, 1);
  }

  private ackBatch(ctx: Ctx, batch: ProducerBatch, baseOffset: number, leaderEpoch: number): void {
    const partition = this.partitionNames[batch.topicPartition];
    for (let j = 0; j < batch.recordIds.length; j++) {
      this.world.stats.recordsAcked++;
      ctx.emit({
        type: 'send-ok',
        producer: this.spec.name,
        record: batch.recordIds[j],
        partition,
        offset: baseOffset < 0 ? -1 : baseOffset + j,
        leaderEpoch,
        latencyUs: ctx.nowUs - batch.sendUs[j],
      });
    }
  }

  private failBatch(ctx: Ctx, batch: ProducerBatch, error: string): void {
    const partition = this.partitionNames[batch.topicPartition];
    const definite = !batch.maybeAppended;
    for (const record of batch.recordIds) {
      this.world.stats.recordsFailed++;
      if (!definite) this.world.stats.recordsFailedIndefinite++;
      ctx.emit({ type: 'send-fail', producer: this.spec.name, record, partition, error, definite });
    }
  }

  private onBatchError(ctx: Ctx, batch: ProducerBatch, error: string): void {
    this.world.stats.produceError(error);
    ctx.emit({ type: 'produce-error', partition: this.partitionNames[batch.topicPartition], producer: this.spec.name, error });
    if (error === NOT_ENOUGH_REPLICAS_AFTER_APPEND || error === REQUEST_TIMED_OUT || error === NETWORK_TIMEOUT) batch.maybeAppended = true;
    if (error === NOT_LEADER_OR_FOLLOWER || error === FENCED_LEADER_EPOCH || error === UNKNOWN_LEADER_EPOCH) this.requestMetadata(ctx);
    let retriable = RETRIABLE.has(error);
    // OUT_OF_ORDER_SEQUENCE_NUMBER is expected (and retried) only while an earlier batch of the
    // partition is unresolved; otherwise the broker lost our sequence state: fail and bump epoch.
    if (error === OUT_OF_ORDER_SEQUENCE_NUMBER && !this.hasEarlierUnresolved(batch)) retriable = false;
    if (!retriable) {
      this.failBatch(ctx, batch, error);
      if (this.idempotent && batch.baseSequence >= 0) this.bumpEpoch(ctx);
      return;
    }
    if (ctx.nowUs >= batch.deadlineUs || batch.attempts > this.spec.config.retries) {
      this.failBatch(ctx, batch, ctx.nowUs >= batch.deadlineUs ? DELIVERY_TIMEOUT : error);
      if (this.idempotent && batch.baseSequence >= 0) this.bumpEpoch(ctx);
      return;
    }
    if (this.idempotent && batch.producerEpoch !== this.producerEpoch) {
      // The epoch was bumped while this batch was in flight: see bumpEpoch.
      if (batch.maybeAppended) return this.failBatch(ctx, batch, UNRESOLVED_SEQUENCE);
      batch.baseSequence = -1;
    }
    batch.retryAtUs = ctx.nowUs + this.retryBackoffUs;
    this.accumulator.reenqueue(batch);
  }

  private hasEarlierUnresolved(batch: ProducerBatch): boolean {
    const tp = batch.topicPartition;
    const earlier = (b: ProducerBatch) => b !== batch && b.baseSequence >= 0 && b.producerEpoch === batch.producerEpoch && b.baseSequence < batch.baseSequence;
    for (const b of this.inflightBatches[tp]) if (earlier(b)) return true;
    for (const b of this.accumulator.queues[tp]) if (earlier(b)) return true;
    return false;
  }

  /** A sequenced batch is gone for good: new epoch, sequences restart at 0 (KIP-360). */
  /**
   * KIP-360 epoch bump: sequences restart at 0 under the new epoch. A queued batch that may already
   * be in the log (a timed-out attempt) cannot be re-sequenced, or the new epoch would write it a
   * second time: like the Java client, fail it with its outcome unknown instead of resending it.
   */
  private bumpEpoch(ctx: Ctx): void {
    this.producerEpoch++;
    this.nextSequence.fill(0);
    for (const q of this.accumulator.queues) {
      let kept = 0;
      for (const b of q) {
        if (b.maybeAppended && b.baseSequence >= 0) this.failBatch(ctx, b, UNRESOLVED_SEQUENCE);
        else {
          b.baseSequence = -1;
          q[kept++] = b;
        }
      }
      q.length = kept;
    }
  }

  private expireBatches(ctx: Ctx): void {
    const now = ctx.nowUs;
    for (const q of this.accumulator.queues) {
      if (q.length === 0 || q[0].deadlineUs > now) continue;
      let kept = 0;
      let bump = false;
      for (const b of q) {
        if (b.deadlineUs > now) q[kept++] = b;
        else {
          this.failBatch(ctx, b, DELIVERY_TIMEOUT);
          if (this.idempotent && b.baseSequence >= 0) bump = true;
        }
      }
      q.length = kept;
      if (bump) this.bumpEpoch(ctx);
    }
  }

  // ---- metadata ----

  private requestMetadata(ctx: Ctx): void {
    if (this.metadataInflight !== 0) return;
    this.metadataTarget = this.leastLoadedBroker();
    const requestId = this.nextRequestId++;
    this.metadataInflight = requestId;
    this.world.stats.metadataRequests++;
    ctx.send(this.world.layout.brokerNode[this.metadataTarget], { type: 'metadata-request', requestId, topic: this.spec.topic });
    this.metadataTimer = ctx.setTimer(this.requestTimeoutUs, { type: 'metadata-timeout', requestId });
  }

  private scheduleMetadataRefresh(ctx: Ctx, delayUs: number): void {
    const atUs = ctx.nowUs + delayUs;
    if (atUs >= this.metadataRefreshAtUs) return;
    this.metadataRefreshAtUs = atUs;
    ctx.setTimer(delayUs, METADATA_REFRESH);
  }

  private onMetadataResponse(ctx: Ctx, msg: MetadataResponse): void {
    if (msg.requestId !== this.metadataInflight) return;
    this.metadataInflight = 0;
    ctx.cancelTimer(this.metadataTimer);
    let missing = false;
    for (let tp = 0; tp < this.leaders.length; tp++) {
      this.leaders[tp] = msg.leaders[tp];
      if (msg.leaders[tp] === NO_LEADER) missing = true;
    }
    if (missing) this.scheduleMetadataRefresh(ctx, this.retryBackoffUs);
    this.runSender(ctx);
  }
}
