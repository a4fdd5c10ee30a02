// Kafka's Sender: drains the RecordAccumulator into one produce request per leader broker whose
// connection is ready (NetworkClient.ready starts a connect otherwise), round after round while
// max.in.flight.requests.per.connection allows, takes each batch's result from the response, and
// retries failed batches (retries, retry.backoff.ms) until they expire (batch-expiry.ts:
// delivery.timeout.ms, or request.timeout.ms in the accumulator before Kafka 2.1). With
// max.in.flight = 1 a partition is muted while its batch is in flight (guaranteed order); an
// idempotent retry waits until nothing ahead of it is in flight, and batches answered
// OUT_OF_ORDER_SEQUENCE_NUMBER are retried (TransactionManager.canRetry), so the log keeps send
// order with up to 5 in flight.
//
// A connection that closes fails every request in flight on it (NetworkClient's
// processDisconnection): a reset by the broker's host (its process died or stopped) at once, with
// NETWORK_EXCEPTION; a request unanswered for request.timeout.ms makes the producer close the
// connection itself (NETWORK_TIMEOUT). Either way the batches may have been written, metadata is
// refreshed, and the broker is tried again after reconnect.backoff.ms.
//
// A producer crash fails its pending records: definitely those never sent, with an unknown
// outcome those in flight.

import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaStats } from '../kafka-stats.ts';
import {
  BATCH_EXPIRED,
  DELIVERY_TIMEOUT,
  FENCED_LEADER_EPOCH,
  NETWORK_EXCEPTION,
  NETWORK_TIMEOUT,
  NOT_ENOUGH_REPLICAS,
  NOT_ENOUGH_REPLICAS_AFTER_APPEND,
  NOT_LEADER_OR_FOLLOWER,
  OUT_OF_ORDER_SEQUENCE_NUMBER,
  PRODUCER_CRASHED,
  REQUEST_TIMED_OUT,
  UNKNOWN_LEADER_EPOCH,
  UNKNOWN_PRODUCER_ID,
  type KafkaMessage,
  type ProduceBatch,
  type ProduceResponse,
} from '../messages.ts';
import { NO_LEADER } from '../controller/metadata-image.ts';
import type { KafkaTimer } from '../timers.ts';
import type { BatchExpiry } from './batch-expiry.ts';
import type { SocketBuffers } from '../clients/socket-buffers.ts';
import { produceRequestWireBytes } from './produce-request-size.ts';
import type { InFlightRequest, NetworkClient } from './network-client.ts';
import type { ProducerBatch } from './producer-batch.ts';
import type { RecordAccumulator } from './record-accumulator.ts';
import type { TransactionManager } from './transaction-manager.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

const RETRIABLE = new Set([
  NOT_LEADER_OR_FOLLOWER,
  NOT_ENOUGH_REPLICAS,
  NOT_ENOUGH_REPLICAS_AFTER_APPEND,
  REQUEST_TIMED_OUT,
  NETWORK_TIMEOUT,
  NETWORK_EXCEPTION,
  UNKNOWN_LEADER_EPOCH,
  FENCED_LEADER_EPOCH,
  OUT_OF_ORDER_SEQUENCE_NUMBER,
]);

interface SenderSetup {
  /** Producer index, named in produce requests. */
  producer: number;
  /** Global partition index of each partition of the producer's topic. */
  partitions: readonly number[];
  /** Node of each broker, by broker index. */
  brokerNodes: readonly number[];
  /** acks as sent: 0, 1 or -1 (all). */
  acks: number;
  idempotent: boolean;
  /** max.in.flight.requests.per.connection */
  maxInFlight: number;
  /** request.timeout.ms */
  requestTimeoutUs: number;
  /** retry.backoff.ms */
  retryBackoffUs: number;
  retries: number;
  /** Value bytes of each record (the scenario's recordBytes): the size of a produce request on the wire. */
  recordBytes: number;
  /** The socket buffers of a connection to a broker: an acks=0 request is complete once written into them. */
  socket: SocketBuffers;
}

/** How the records of a batch end: the callbacks of KafkaProducer.send. */
export interface BatchCompletion {
  /** Fails a batch's records for good (emits their send-fail). */
  failBatch(ctx: Ctx, batch: ProducerBatch, error: string): void;
  /** The batch was written at baseOffset (-1: unknown, as with acks=0) in leaderEpoch. */
  completeBatch(ctx: Ctx, batch: ProducerBatch, baseOffset: number, leaderEpoch: number): void;
  /** A produce error for the batch, before it is retried or failed. */
  recordError(ctx: Ctx, batch: ProducerBatch, error: string): void;
  /** Before KIP-360: UNKNOWN_PRODUCER_ID restarted a partition's sequences at 0 under the same id, these batches with them. */
  recordSequencesReset(ctx: Ctx, tp: number, batches: readonly ProducerBatch[], logStartOffset: number): void;
}

/** What the sender needs of the producer's metadata. */
interface SenderMetadata {
  leaderOf(tp: number): number;
  requestUpdate(ctx: Ctx): void;
  requestUpdateForUnknownLeader(ctx: Ctx): void;
  handleServerDisconnect(ctx: Ctx, broker: number): void;
}

interface SenderParts {
  accumulator: RecordAccumulator;
  metadata: SenderMetadata;
  network: NetworkClient;
  transactions: TransactionManager;
  completion: BatchCompletion;
  expiry: BatchExpiry;
  stats: Pick<KafkaStats, 'produceRequests' | 'produceRetries'>;
}

export class Sender {
  /** When the sender wants to run next (its wakeup); the producer keeps the timer (KafkaProducer.reschedule). */
  wakeAtUs = Infinity;
  /** The last run found a partition with no known leader: each run asks for metadata again. */
  pollsMetadata = false;

  constructor(
    private readonly setup: SenderSetup,
    private readonly parts: SenderParts,
    /** Per partition of the topic, its batches in flight, in send order (shared with the TransactionManager). */
    private readonly inFlightBatches: ProducerBatch[][],
  ) {}

  /** A new producer process: nothing in flight, no wakeup pending. */
  reset(): void {
    for (const l of this.inFlightBatches) l.length = 0;
    this.wakeAtUs = Infinity;
    this.pollsMetadata = false;
  }

  /** The 'sender-wakeup' timer. */
  onWakeup(ctx: Ctx): void {
    if (ctx.nowUs >= this.wakeAtUs) this.wakeAtUs = Infinity;
    this.run(ctx);
  }

  /** Kafka's sendProducerData: drains ready batches, as many rounds as in-flight limits allow. */
  run(ctx: Ctx): void {
    const { accumulator, metadata, network, transactions } = this.parts;
    const { idempotent, maxInFlight } = this.setup;
    const now = ctx.nowUs;
    transactions.resolveSequencesAndBump();
    this.expireBatches(ctx);
    const queues = accumulator.queues;
    let needMetadata = false;
    let nextWakeUs = Infinity;
    for (;;) {
      let byBroker: (ProducerBatch[] | null)[] | null = null;
      // Scans the partitions with batches, in order.
      for (const tp of accumulator.queuedPartitions()) {
        if (queues[tp].length === 0) continue;
        const batch = queues[tp][0];
        const leader = metadata.leaderOf(tp);
        if (leader === NO_LEADER) {
          needMetadata = true;
          continue;
        }
        if (!network.ready(ctx, leader)) {
          const readyAtUs = now + network.connectionDelayUs(leader, now);
          if (readyAtUs < nextWakeUs) nextWakeUs = readyAtUs;
          continue;
        }
        if (network.inFlightRequestCount(leader) >= maxInFlight || network.isWriting(leader)) continue;
        // max.in.flight = 1 mutes the partition while a batch is in flight (guaranteed order);
        // an idempotent retry waits until nothing ahead of it is in flight.
        if (this.inFlightBatches[tp].length > 0 && (maxInFlight === 1 || (idempotent && batch.attempts > 0))) continue;
        // a new batch waits while the partition has an unresolved sequence or batches of an older epoch
        if (idempotent && batch.baseSequence < 0 && !transactions.canSequenceNewBatch(tp)) continue;
        const readyAtUs = accumulator.firstBatchReadyAtUs(tp);
        if (now < readyAtUs) {
          if (readyAtUs < nextWakeUs) nextWakeUs = readyAtUs;
          continue;
        }
        accumulator.pollFirst(tp);
        transactions.maybeAssignSequence(batch);
        byBroker ??= new Array(this.setup.brokerNodes.length).fill(null);
        (byBroker[leader] ??= []).push(batch);
      }
      if (byBroker === null) break;
      for (let broker = 0; broker < byBroker.length; broker++) {
        const batches = byBroker[broker];
        if (batches !== null) this.sendProduceRequest(ctx, broker, batches);
      }
    }
    this.pollsMetadata = needMetadata;
    if (needMetadata) metadata.requestUpdateForUnknownLeader(ctx);
    if (accumulator.batchCount > 0)
      for (const tp of accumulator.queuedPartitions()) {
        if (this.parts.expiry.skips(maxInFlight, this.inFlightBatches[tp].length)) continue;
        const expiryUs = this.parts.expiry.queuedExpiryUs(queues[tp], 0);
        if (expiryUs < nextWakeUs) nextWakeUs = expiryUs;
      }
    if (nextWakeUs < this.wakeAtUs) this.wakeAtUs = nextWakeUs;
  }

  handleProduceResponse(ctx: Ctx, msg: ProduceResponse): void {
    const req = this.parts.network.complete(msg.requestId);
    if (req === undefined) return; // timed out already: the connection was closed
    for (let i = 0; i < req.batches.length; i++) {
      const batch = req.batches[i];
      const result = msg.results[i];
      if (result.batchId !== batch.id) throw new Error(`produce response out of order: batch ${result.batchId} vs ${batch.id}`);
      this.removeInFlight(batch);
      if (result.error === null) {
        this.parts.transactions.handleCompletedBatch(batch, result.baseOffset);
        this.parts.completion.completeBatch(ctx, batch, result.baseOffset, result.leaderEpoch);
      } else if (result.error === UNKNOWN_PRODUCER_ID) this.handleUnknownProducerId(ctx, batch, result.logStartOffset);
      else this.handleError(ctx, batch, result.error);
    }
    this.run(ctx);
  }

  /** The 'request-timeout' timer of broker: a request past request.timeout.ms closes the connection, failing all in flight on it. */
  handleRequestTimeout(ctx: Ctx, broker: number): void {
    if (this.parts.network.hasTimedOutRequest(ctx, broker)) this.closeConnection(ctx, broker);
  }

  /** The producer closes its connection to broker (a request or connection setup timed out). */
  closeConnection(ctx: Ctx, broker: number): void {
    this.failInFlight(ctx, broker, this.parts.network.close(ctx, broker), NETWORK_TIMEOUT);
  }

  /** The network closed the connection to broker (onDisconnect: reset, refused, connect timed out). */
  handleDisconnect(ctx: Ctx, broker: number): void {
    this.failInFlight(ctx, broker, this.parts.network.disconnected(ctx, broker), NETWORK_EXCEPTION);
  }

  /** A connection came up: what waited for it can go. */
  handleConnect(ctx: Ctx, broker: number): void {
    this.parts.network.onConnect(ctx, broker);
    this.run(ctx);
  }

  private failInFlight(ctx: Ctx, broker: number, failed: InFlightRequest[], error: string): void {
    for (const req of failed)
      for (const batch of req.batches) {
        this.removeInFlight(batch);
        this.handleError(ctx, batch, error);
      }
    this.parts.metadata.handleServerDisconnect(ctx, broker);
    this.run(ctx);
  }

  /** The producer process is gone: every batch not yet answered fails with it. */
  abortIncompleteBatches(ctx: Ctx): void {
    const { accumulator, network, completion } = this.parts;
    for (const q of accumulator.queues) for (const b of q) completion.failBatch(ctx, b, PRODUCER_CRASHED);
    // A request already handed to the network may still be appended (the connection's data is
    // delivered after the process is gone): its records' outcome is unknown, not a failure.
    for (const req of network.inFlightRequests())
      for (const b of req.batches) {
        b.maybeAppended = true;
        completion.failBatch(ctx, b, PRODUCER_CRASHED);
      }
    accumulator.clear();
    network.clear();
  }

  private sendProduceRequest(ctx: Ctx, broker: number, batches: ProducerBatch[]): void {
    const { network, transactions, completion, stats } = this.parts;
    const { idempotent, acks, requestTimeoutUs } = this.setup;
    const requestId = network.newCorrelationId();
    const wire = new Array<ProduceBatch>(batches.length);
    for (let i = 0; i < batches.length; i++) {
      const b = batches[i];
      b.attempts++;
      if (b.attempts > 1) stats.produceRetries++;
      wire[i] = {
        batchId: b.id,
        partition: this.setup.partitions[b.topicPartition],
        recordIds: b.recordIds,
        producerId: idempotent ? b.producerId : -1,
        producerEpoch: idempotent ? b.producerEpoch : -1,
        baseSequence: idempotent ? b.baseSequence : -1,
      };
    }
    stats.produceRequests++;
    const msg: KafkaMessage = { type: 'produce', requestId, producer: this.setup.producer, acks, timeoutUs: requestTimeoutUs, batches: wire };
    if (acks !== 0) ctx.send(this.setup.brokerNodes[broker], msg);
    else if (this.sendAcksZero(ctx, broker, msg, batches)) return;
    for (const b of batches) this.inFlightBatches[b.topicPartition].push(b);
    network.add(ctx, requestId, { broker, batches, deadlineUs: ctx.nowUs + requestTimeoutUs });
    if (acks === 0) network.startWriting(broker, requestId);
  }

  /**
   * An acks=0 request expects no response: the Java client completes it once it is written to
   * the socket (NetworkClient.handleCompletedSends), offset unknown. Whether it was, at once:
   * when it does not fit in the send buffer (a cut link or a silent broker host has not
   * acknowledged what was written before) it stays in flight, bounded by request.timeout.ms,
   * until handleWritten.
   */
  private sendAcksZero(ctx: Ctx, broker: number, msg: KafkaMessage, batches: ProducerBatch[]): boolean {
    const counts = batches.map((b) => b.recordIds.length);
    const write = { wireBytes: produceRequestWireBytes(counts, this.setup.recordBytes), ...this.setup.socket };
    if (!ctx.sendBounded(this.setup.brokerNodes[broker], msg, write)) return false;
    for (const b of batches) this.parts.completion.completeBatch(ctx, b, -1, -1);
    return true;
  }

  /** The acks=0 request being written to broker's socket is written: its batches are complete. */
  handleWritten(ctx: Ctx, broker: number): void {
    const req = this.parts.network.complete(this.parts.network.written(broker));
    if (req === undefined) return; // it failed already (its connection closed)
    for (const b of req.batches) {
      this.removeInFlight(b);
      this.parts.completion.completeBatch(ctx, b, -1, -1);
    }
    this.run(ctx);
  }

  private removeInFlight(batch: ProducerBatch): void {
    const l = this.inFlightBatches[batch.topicPartition];
    const i = l.indexOf(batch);
    if (i < 0) throw new Error(`batch ${batch.id} not in flight`);
    l.splice(i, 1);
  }

  /** Kafka's completeBatch for an error: retry it, or fail it for good (Sender.canRetry, TransactionManager). */
  private handleError(ctx: Ctx, batch: ProducerBatch, error: string): void {
    const { accumulator, metadata, transactions, completion } = this.parts;
    completion.recordError(ctx, batch, error);
    if (error === NOT_ENOUGH_REPLICAS_AFTER_APPEND || error === REQUEST_TIMED_OUT || error === NETWORK_TIMEOUT || error === NETWORK_EXCEPTION)
      batch.maybeAppended = true;
    if (error === NOT_LEADER_OR_FOLLOWER || error === FENCED_LEADER_EPOCH || error === UNKNOWN_LEADER_EPOCH) metadata.requestUpdate(ctx);
    if (!RETRIABLE.has(error)) {
      // refused for good: the partition's sequences restart under a new epoch (handleFailedBatch)
      completion.failBatch(ctx, batch, error);
      transactions.handleFailedBatch(batch);
      return;
    }
    if (ctx.nowUs >= batch.deadlineUs || batch.attempts > this.setup.retries) {
      completion.failBatch(ctx, batch, ctx.nowUs >= batch.deadlineUs ? DELIVERY_TIMEOUT : error);
      transactions.markSequenceUnresolved(batch);
      return;
    }
    if (!transactions.mayRetry(batch)) {
      completion.failBatch(ctx, batch, OUT_OF_ORDER_SEQUENCE_NUMBER);
      return;
    }
    if (error === OUT_OF_ORDER_SEQUENCE_NUMBER && !transactions.retryOutOfOrderSequence(batch)) {
      // before KIP-360: not retried; the producer id is reset (Sender.failBatch, 1.0-2.4)
      completion.failBatch(ctx, batch, error);
      transactions.resetProducerId();
      return;
    }
    this.reenqueue(batch, ctx.nowUs);
  }

  private reenqueue(batch: ProducerBatch, nowUs: number): void {
    batch.retryAtUs = nowUs + this.setup.retryBackoffUs;
    this.parts.accumulator.reenqueue(batch);
  }

  /**
   * UNKNOWN_PRODUCER_ID (Kafka 1.0-2.4 brokers): not a RetriableException; retried only as
   * TransactionManager.canRetry allows (transaction-manager.ts), else failed, and a batch of the
   * current id resets it (Sender.failBatch: UnknownProducerIdException is an OutOfOrderSequenceException).
   */
  private handleUnknownProducerId(ctx: Ctx, batch: ProducerBatch, logStartOffset: number): void {
    const { transactions, completion } = this.parts;
    completion.recordError(ctx, batch, UNKNOWN_PRODUCER_ID);
    const current = transactions.isOfCurrentId(batch);
    const retry = current && ctx.nowUs < batch.deadlineUs && batch.attempts <= this.setup.retries ? transactions.retryUnknownProducerId(batch, logStartOffset) : false;
    if (retry === false) {
      completion.failBatch(ctx, batch, UNKNOWN_PRODUCER_ID);
      if (current) transactions.resetProducerId();
      return;
    }
    if (Array.isArray(retry)) completion.recordSequencesReset(ctx, batch.topicPartition, retry, logStartOffset);
    this.reenqueue(batch, ctx.nowUs);
  }

  /**
   * Queued batches that expired fail (batch-expiry.ts: past delivery.timeout.ms, or before Kafka 2.1
   * the expired front of each queue not muted); a sequenced one leaves its sequence unresolved.
   */
  private expireBatches(ctx: Ctx): void {
    const now = ctx.nowUs;
    const { accumulator, transactions, expiry } = this.parts;
    if (accumulator.batchCount === 0) return;
    for (const tp of accumulator.queuedPartitions()) {
      if (expiry.skips(this.setup.maxInFlight, this.inFlightBatches[tp].length)) continue;
      const q = accumulator.queues[tp];
      const prefix = expiry.expiredPrefix(q, now);
      if (prefix === 0 || (prefix < 0 && q[0].deadlineUs > now)) continue;
      let kept = 0;
      for (let i = 0; i < q.length; i++) {
        const b = q[i];
        if (prefix >= 0 ? i >= prefix : b.deadlineUs > now) q[kept++] = b;
        else {
          this.parts.completion.failBatch(ctx, b, prefix >= 0 ? BATCH_EXPIRED : DELIVERY_TIMEOUT);
          transactions.markSequenceUnresolved(b);
        }
      }
      accumulator.truncateQueue(tp, kept);
    }
  }
}
