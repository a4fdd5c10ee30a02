// The slice of Kafka's NetworkClient a producer uses: one correlation id sequence for every request
// it sends (produce and metadata alike); its connection to each broker (ClusterConnectionStates:
// ready() starts a connect when the reconnect backoff allows, socket.connection.setup.timeout.ms
// bounds it); the produce requests awaiting a response per broker (InFlightRequests, bounded by
// max.in.flight.requests.per.connection); closing a connection, or losing it, fails everything in
// flight on it (processDisconnection); and leastLoadedNode, where metadata is asked.
//
// Simplification: metadata requests are not counted in flight (Kafka counts them), so only
// produce requests make a broker look loaded.

import type { Choice } from '../../../src/sim/choice.ts';
import type { NodeContext } from '../../../src/sim/model.ts';
import { ClusterConnectionStates, CONNECTING, type ConnectionConfig } from '../clients/cluster-connection-states.ts';
import type { KafkaMessage } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';
import { RequestDeadlineTimers } from '../clients/request-deadline-timers.ts';
import type { ProducerBatch } from './producer-batch.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** A produce request awaiting its response until deadlineUs (request.timeout.ms after it was sent). */
export interface InFlightRequest {
  broker: number;
  batches: ProducerBatch[];
  deadlineUs: number;
}

/** No broker can be asked now (every one is in its reconnect backoff). */
export const NO_NODE = -1;

export class NetworkClient {
  readonly connections: ClusterConnectionStates;
  private nextCorrelationId = 1;
  /** In send order (Map insertion order), so a closed connection fails its requests in order. */
  private readonly requests = new Map<number, InFlightRequest>();
  private readonly inFlightCount: Int32Array;
  /** Per broker, the request being written to its socket (it did not fit in the send buffer yet), 0: none. */
  private readonly writing: Int32Array;
  private readonly setupTimers: Int32Array;
  /** One request.timeout.ms timer per broker connection (request-deadline-timers.ts). */
  private readonly deadlines: RequestDeadlineTimers<KafkaTimer>;

  constructor(
    /** Node of each broker, by broker index. */
    private readonly brokerNodes: readonly number[],
    config: ConnectionConfig,
    /** Jitter of the backoffs and leastLoadedNode's random start (Kafka's randOffset). */
    private readonly choice: Choice,
  ) {
    const n = brokerNodes.length;
    this.inFlightCount = new Int32Array(n);
    this.writing = new Int32Array(n);
    this.setupTimers = new Int32Array(n).fill(-1);
    this.deadlines = new RequestDeadlineTimers(n, brokerNodes.map((_, broker): KafkaTimer => ({ type: 'request-timeout', broker })));
    this.connections = new ClusterConnectionStates(n, config, choice);
  }

  /** The id of the next request, of any kind; never reused while the producer lives. */
  newCorrelationId(): number {
    return this.nextCorrelationId++;
  }

  inFlightRequestCount(broker: number): number {
    return this.inFlightCount[broker];
  }

  /** NetworkClient.ready: true when the connection to broker is up; otherwise starts a connect if the backoff allows. */
  ready(ctx: Ctx, broker: number): boolean {
    if (this.connections.isReady(broker)) return true;
    if (this.connections.canConnect(broker, ctx.nowUs)) this.initiateConnect(ctx, broker);
    return false;
  }

  /** µs until broker may be tried again (0 now, Infinity while connecting or connected). */
  connectionDelayUs(broker: number, nowUs: number): number {
    return this.connections.connectionDelayUs(broker, nowUs);
  }

  private initiateConnect(ctx: Ctx, broker: number): void {
    const timeoutUs = this.connections.connecting(broker, ctx.nowUs);
    ctx.connect(this.brokerNodes[broker]);
    this.setupTimers[broker] = ctx.setTimer(timeoutUs, { type: 'connection-setup-timeout', broker, attempt: this.connections.attempt[broker] });
  }

  /** The kernel says the connection is up. */
  onConnect(ctx: Ctx, broker: number): void {
    if (this.connections.state[broker] !== CONNECTING) return;
    this.connections.ready(broker);
    ctx.cancelTimer(this.setupTimers[broker]);
    this.setupTimers[broker] = -1;
  }

  /** Whether a 'connection-setup-timeout' timer still applies (the connect it bounds is still under way). */
  isSetupTimeout(broker: number, attempt: number): boolean {
    return this.connections.state[broker] === CONNECTING && this.connections.attempt[broker] === attempt;
  }

  /**
   * Sends a request that may wait for the connection (metadata): on a READY or CONNECTING one, or
   * on a connect started now. False when broker is in its reconnect backoff (nothing is sent).
   */
  sendOnAnyConnection(ctx: Ctx, broker: number, msg: KafkaMessage): boolean {
    if (this.connections.isBlackedOut(broker, ctx.nowUs)) return false;
    if (this.connections.canConnect(broker, ctx.nowUs)) this.initiateConnect(ctx, broker);
    ctx.send(this.brokerNodes[broker], msg);
    return true;
  }

  /** A produce request was sent and waits for its response until its deadline. */
  add(ctx: Ctx, requestId: number, request: InFlightRequest): void {
    this.inFlightCount[request.broker]++;
    this.requests.set(requestId, request);
    this.deadlines.arm(ctx, request.broker, request.deadlineUs);
  }

  /** `requestId` (added in flight) did not fit in the socket's send buffer: nothing more goes to broker until it is written (InFlightRequests.canSendMore). */
  startWriting(broker: number, requestId: number): void {
    this.writing[broker] = requestId;
  }

  /** Whether a request to broker is still being written to its socket. */
  isWriting(broker: number): boolean {
    return this.writing[broker] !== 0;
  }

  /** The request being written to broker is written now: its id (0: none, it failed already). */
  written(broker: number): number {
    const requestId = this.writing[broker];
    this.writing[broker] = 0;
    return requestId;
  }

  /** The response to `requestId` came: the request is done. Undefined when it already failed. */
  complete(requestId: number): InFlightRequest | undefined {
    const request = this.requests.get(requestId);
    if (request === undefined) return undefined;
    this.requests.delete(requestId);
    this.inFlightCount[request.broker]--;
    return request;
  }

  /**
   * The 'request-timeout' timer of broker fired: whether a request in flight to it is past its
   * deadline (the connection is to be closed); if none is, the timer is armed for the earliest
   * deadline left (NetworkClient.handleTimedOutRequests).
   */
  hasTimedOutRequest(ctx: Ctx, broker: number): boolean {
    this.deadlines.fired(broker);
    let earliestUs = Infinity;
    for (const request of this.requests.values())
      if (request.broker === broker && request.deadlineUs < earliestUs) earliestUs = request.deadlineUs;
    if (earliestUs <= ctx.nowUs) return true;
    if (earliestUs !== Infinity) this.deadlines.arm(ctx, broker, earliestUs);
    return false;
  }

  /** The client closes its connection to broker (a request or setup timeout): see disconnected. */
  close(ctx: Ctx, broker: number): InFlightRequest[] {
    ctx.disconnect(this.brokerNodes[broker]);
    return this.disconnected(ctx, broker);
  }

  /**
   * The connection to `broker` is gone (processDisconnection): the next connect waits the backoff,
   * and every request in flight on it is returned, in send order, to be failed.
   */
  disconnected(ctx: Ctx, broker: number): InFlightRequest[] {
    this.connections.disconnected(broker, ctx.nowUs);
    if (this.setupTimers[broker] >= 0) ctx.cancelTimer(this.setupTimers[broker]);
    this.setupTimers[broker] = -1;
    const failed: InFlightRequest[] = [];
    for (const [id, request] of this.requests)
      if (request.broker === broker) {
        failed.push(request);
        this.requests.delete(id);
      }
    this.inFlightCount[broker] = 0;
    this.writing[broker] = 0;
    return failed;
  }

  /** Every produce request in flight, in send order. */
  inFlightRequests(): IterableIterator<InFlightRequest> {
    return this.requests.values();
  }

  /** The process is gone: no connection survives it. */
  clear(): void {
    this.requests.clear();
    this.inFlightCount.fill(0);
    this.writing.fill(0);
    this.setupTimers.fill(-1);
    this.deadlines.clear();
    this.connections.clear();
  }

  /**
   * Kafka's leastLoadedNode: a READY broker with the fewest requests in flight (one with none
   * ends the search), else one being connected to, else the one not in its reconnect backoff that
   * was tried longest ago; NO_NODE when every broker is in its backoff. The scan starts at a random
   * broker, as Kafka's does.
   */
  leastLoadedNode(nowUs: number): number {
    const n = this.brokerNodes.length;
    const offset = this.choice.below(n);
    let inflight = Infinity;
    let foundReady = NO_NODE;
    let foundConnecting = NO_NODE;
    let foundCanConnect = NO_NODE;
    const c = this.connections;
    for (let i = 0; i < n; i++) {
      const b = (offset + i) % n;
      if (c.isReady(b)) {
        if (this.inFlightCount[b] === 0) return b;
        if (this.inFlightCount[b] < inflight) {
          inflight = this.inFlightCount[b];
          foundReady = b;
        }
      } else if (c.state[b] === CONNECTING) foundConnecting = b;
      else if (c.canConnect(b, nowUs) && (foundCanConnect === NO_NODE || c.lastConnectAttempt(foundCanConnect) > c.lastConnectAttempt(b))) foundCanConnect = b;
    }
    if (foundReady !== NO_NODE) return foundReady;
    return foundConnecting !== NO_NODE ? foundConnecting : foundCanConnect;
  }

  /** The earliest time a broker comes out of its reconnect backoff (when leastLoadedNode found none). */
  nextConnectableUs(nowUs: number): number {
    let delay = Infinity;
    for (let b = 0; b < this.brokerNodes.length; b++) delay = Math.min(delay, this.connections.connectionDelayUs(b, nowUs));
    return nowUs + delay;
  }
}
