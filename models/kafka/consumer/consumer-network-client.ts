// Kafka's ConsumerNetworkClient over its NetworkClient, reduced to what the model needs: the
// consumer's connection to each broker (ClusterConnectionStates: reconnect.backoff.ms growing to
// reconnect.backoff.max.ms, socket.connection.setup.timeout.ms, KIP-601), and its requests in
// flight, by request id, each with its deadline (request.timeout.ms after it was sent), so a
// response finds what it answers and a failure finds what it failed. A request that times out
// closes its connection and every request in flight on it fails (NetworkClient.handleTimedOutRequests,
// one timer per connection: clients/request-deadline-timers.ts); so does a connection the network
// closes. A request to a broker in its reconnect backoff is not sent; it fails as a
// disconnect (ConsumerNetworkClient.checkDisconnects: a DisconnectException) when the backoff
// ends, so what retries it finds the broker connectable.
// JoinGroup waits longer than request.timeout.ms (AbstractCoordinator: the rebalance timeout plus 5 s).

import type { Choice } from '../../../src/sim/choice.ts';
import type { NodeContext } from '../../../src/sim/model.ts';
import { ClusterConnectionStates, CONNECTING } from '../clients/cluster-connection-states.ts';
import type { ConsumerConfig } from '../config/consumer-configs.ts';
import type { KafkaMessage } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';
import { RequestDeadlineTimers } from '../clients/request-deadline-timers.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

// What a request in flight was, for its response and its failure.
export const REQ_FIND = 1;
export const REQ_METADATA = 2;
export const REQ_JOIN = 3;
export const REQ_SYNC = 4;
export const REQ_HEARTBEAT = 5;
export const REQ_COMMIT = 6;
export const REQ_OFFSET_FETCH = 7;
export const REQ_FETCH = 8;
export const REQ_EPOCH = 9;

export interface InFlightRequest {
  kind: number;
  broker: number;
  /** When it times out: request.timeout.ms after it was sent; an unsent one when the backoff ends. */
  deadlineUs: number;
  /** Never sent: the broker was in its reconnect backoff (it fails as a disconnect). */
  unsent: boolean;
  /** REQ_COMMIT, REQ_OFFSET_FETCH: the partitions' slots; REQ_EPOCH: the one slot. */
  slots: number[] | null;
  /** REQ_COMMIT: the committed offsets; REQ_EPOCH: the position being validated. */
  offsets: number[] | null;
  /** The member's generation when sent. */
  generation: number;
  /** REQ_COMMIT: a commitSync's request. */
  sync: boolean;
}

interface RequestOptions {
  slots?: number[];
  offsets?: number[];
  generation?: number;
  sync?: boolean;
  timeoutUs?: number;
}

const NO_OPTIONS: RequestOptions = {};

export class ConsumerNetworkClient {
  /** request.timeout.ms in µs. */
  readonly requestTimeoutUs: number;
  private readonly requests = new Map<number, InFlightRequest>();
  private readonly connections: ClusterConnectionStates;
  private readonly setupTimers: Int32Array;
  private readonly deadlines: RequestDeadlineTimers<KafkaTimer>;
  private nextRequestId = 1;

  constructor(
    /** Node of each broker. */
    private readonly brokerNode: readonly number[],
    config: ConsumerConfig,
    jitter: Choice,
  ) {
    this.requestTimeoutUs = config['request.timeout.ms'] * 1000;
    this.connections = new ClusterConnectionStates(brokerNode.length, config, jitter);
    this.setupTimers = new Int32Array(brokerNode.length).fill(-1);
    this.deadlines = new RequestDeadlineTimers(brokerNode.length, brokerNode.map((_, broker): KafkaTimer => ({ type: 'consumer-request-timeout', broker })));
  }

  /** Process start: nothing is in flight, no connection is open. */
  clear(): void {
    this.requests.clear();
    this.connections.clear();
    this.setupTimers.fill(-1);
    this.deadlines.clear();
  }

  newRequestId(): number {
    return this.nextRequestId++;
  }

  send(ctx: Ctx, broker: number, kind: number, msg: KafkaMessage & { requestId: number }, options: RequestOptions = NO_OPTIONS): void {
    const unsent = !this.transmit(ctx, broker, msg);
    const delayUs = unsent ? this.connections.connectionDelayUs(broker, ctx.nowUs) : (options.timeoutUs ?? this.requestTimeoutUs);
    const deadlineUs = ctx.nowUs + Math.round(delayUs);
    this.deadlines.arm(ctx, broker, deadlineUs);
    this.requests.set(msg.requestId, {
      kind,
      broker,
      deadlineUs,
      unsent,
      slots: options.slots ?? null,
      offsets: options.offsets ?? null,
      generation: options.generation ?? -1,
      sync: options.sync ?? false,
    });
  }

  /** A request nobody waits an answer for (LeaveGroup); dropped when the broker is in its backoff. */
  sendOneWay(ctx: Ctx, broker: number, msg: KafkaMessage): void {
    this.transmit(ctx, broker, msg);
  }

  /** Sends on the connection to broker, opening it if needed; false when the broker is in its reconnect backoff. */
  private transmit(ctx: Ctx, broker: number, msg: KafkaMessage): boolean {
    const c = this.connections;
    if (c.isBlackedOut(broker, ctx.nowUs)) return false;
    if (c.canConnect(broker, ctx.nowUs)) {
      const timeoutUs = c.connecting(broker, ctx.nowUs);
      ctx.connect(this.brokerNode[broker]);
      this.setupTimers[broker] = ctx.setTimer(timeoutUs, { type: 'connection-setup-timeout', broker, attempt: c.attempt[broker] });
    }
    ctx.send(this.brokerNode[broker], msg);
    return true;
  }

  /** The connection to broker is up. */
  onConnect(ctx: Ctx, broker: number): void {
    if (this.connections.state[broker] !== CONNECTING) return;
    this.connections.ready(broker);
    ctx.cancelTimer(this.setupTimers[broker]);
    this.setupTimers[broker] = -1;
  }

  /** Whether a 'connection-setup-timeout' timer still applies. */
  isSetupTimeout(broker: number, attempt: number): boolean {
    return this.connections.state[broker] === CONNECTING && this.connections.attempt[broker] === attempt;
  }

  /** Takes the request `requestId` answered; undefined when it is no longer waited for. */
  complete(requestId: number): InFlightRequest | undefined {
    const req = this.requests.get(requestId);
    if (req !== undefined) this.requests.delete(requestId);
    return req;
  }

  /** The 'consumer-request-timeout' timer of broker fired: it is armed again by rearm. */
  deadlineTimerFired(broker: number): void {
    this.deadlines.fired(broker);
  }

  /**
   * The request to broker past its deadline that expired first (in send order among equals), or
   * undefined. An unsent one is taken out (it fails alone); a sent one stays, for close to fail it
   * with the rest of its connection.
   */
  nextTimedOut(ctx: Ctx, broker: number): InFlightRequest | undefined {
    let first: InFlightRequest | undefined;
    let firstId = -1;
    for (const [id, req] of this.requests)
      if (req.broker === broker && req.deadlineUs <= ctx.nowUs && (first === undefined || req.deadlineUs < first.deadlineUs)) {
        first = req;
        firstId = id;
      }
    if (first?.unsent === true) this.requests.delete(firstId);
    return first;
  }

  /** Arms broker's timer for the earliest deadline of what is still in flight to it. */
  rearm(ctx: Ctx, broker: number): void {
    let earliestUs = Infinity;
    for (const req of this.requests.values()) if (req.broker === broker && req.deadlineUs < earliestUs) earliestUs = req.deadlineUs;
    if (earliestUs !== Infinity) this.deadlines.arm(ctx, broker, earliestUs);
  }

  /** The consumer closes its connection to broker (a request or the connect timed out); see disconnected. */
  close(ctx: Ctx, broker: number): InFlightRequest[] {
    ctx.disconnect(this.brokerNode[broker]);
    return this.disconnected(ctx, broker);
  }

  /** The connection to broker is gone: the next connect waits the backoff; every request in flight on it is returned, in send order. */
  disconnected(ctx: Ctx, broker: number): InFlightRequest[] {
    this.connections.disconnected(broker, ctx.nowUs);
    if (this.setupTimers[broker] >= 0) ctx.cancelTimer(this.setupTimers[broker]);
    this.setupTimers[broker] = -1;
    const failed: InFlightRequest[] = [];
    for (const [id, req] of this.requests)
      if (req.broker === broker && !req.unsent) {
        failed.push(req);
        this.requests.delete(id);
      }
    return failed;
  }

  /** Whether a request of `kind` matching `matches` is in flight. */
  hasInFlight(kind: number, matches: (req: InFlightRequest) => boolean): boolean {
    for (const r of this.requests.values()) if (r.kind === kind && matches(r)) return true;
    return false;
  }
}
