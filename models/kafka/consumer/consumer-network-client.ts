// Kafka's ConsumerNetworkClient, reduced to what the model needs: the consumer's requests in
// flight, by request id, each with its request.timeout.ms timer, so a response finds what it
// answers and a timeout finds what it failed.
//
// Simplification: request.timeout.ms is fixed at Kafka's default (30 s); JoinGroup waits longer
// (AbstractCoordinator: the rebalance timeout plus 5 s).

import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaMessage } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

export const REQUEST_TIMEOUT_US = 30_000_000;

// What a request in flight was, for its response and its timeout.
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
  timerId: number;
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
  private readonly requests = new Map<number, InFlightRequest>();
  private nextRequestId = 1;

  constructor(
    /** Node of each broker. */
    private readonly brokerNode: readonly number[],
  ) {}

  /** Process start: nothing is in flight. */
  clear(): void {
    this.requests.clear();
  }

  newRequestId(): number {
    return this.nextRequestId++;
  }

  send(ctx: Ctx, broker: number, kind: number, msg: KafkaMessage & { requestId: number }, options: RequestOptions = NO_OPTIONS): void {
    const timerId = ctx.setTimer(options.timeoutUs ?? REQUEST_TIMEOUT_US, { type: 'consumer-request-timeout', requestId: msg.requestId });
    this.requests.set(msg.requestId, {
      kind,
      broker,
      timerId,
      slots: options.slots ?? null,
      offsets: options.offsets ?? null,
      generation: options.generation ?? -1,
      sync: options.sync ?? false,
    });
    ctx.send(this.brokerNode[broker], msg);
  }

  /** Takes the request `requestId` answered or timed out; undefined when it is no longer waited for. */
  complete(requestId: number): InFlightRequest | undefined {
    const req = this.requests.get(requestId);
    if (req !== undefined) this.requests.delete(requestId);
    return req;
  }

  /** Whether a request of `kind` matching `matches` is in flight. */
  hasInFlight(kind: number, matches: (req: InFlightRequest) => boolean): boolean {
    for (const r of this.requests.values()) if (r.kind === kind && matches(r)) return true;
    return false;
  }
}
