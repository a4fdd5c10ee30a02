// The slice of Kafka's NetworkClient a producer uses: one correlation id sequence for every request
// it sends (produce and metadata alike), the produce requests awaiting a response per broker
// (NetworkClient's InFlightRequests, bounded by max.in.flight.requests.per.connection), closing a
// broker's connection, which fails everything in flight on it, and leastLoadedNode, where
// metadata is asked.
//
// Simplification: metadata requests are not counted in flight (Kafka counts them), so only
// produce requests make a broker look loaded.

import type { ProducerBatch } from './producer-batch.ts';

/** A produce request awaiting its response; the timer is its request.timeout.ms. */
interface InFlightRequest {
  broker: number;
  batches: ProducerBatch[];
  timerId: number;
}

export class NetworkClient {
  private nextCorrelationId = 1;
  /** In send order (Map insertion order), so a closed connection fails its requests in order. */
  private readonly requests = new Map<number, InFlightRequest>();
  private readonly inFlightCount: Int32Array;

  constructor(private readonly brokerCount: number) {
    this.inFlightCount = new Int32Array(brokerCount);
  }

  /** The id of the next request, of any kind; never reused while the producer lives. */
  newCorrelationId(): number {
    return this.nextCorrelationId++;
  }

  inFlightRequestCount(broker: number): number {
    return this.inFlightCount[broker];
  }

  /** A produce request was sent and waits for its response. */
  add(requestId: number, request: InFlightRequest): void {
    this.inFlightCount[request.broker]++;
    this.requests.set(requestId, request);
  }

  /** The response to `requestId` came: the request is done. Undefined when it already failed. */
  complete(requestId: number): InFlightRequest | undefined {
    const request = this.requests.get(requestId);
    if (request === undefined) return undefined;
    this.requests.delete(requestId);
    this.inFlightCount[request.broker]--;
    return request;
  }

  /** The broker a produce request waits on; undefined when it is no longer in flight. */
  brokerAwaited(requestId: number): number | undefined {
    return this.requests.get(requestId)?.broker;
  }

  /** The connection to `broker` is closed: every request in flight on it is gone, in send order. */
  disconnect(broker: number): InFlightRequest[] {
    const failed: InFlightRequest[] = [];
    for (const [id, request] of this.requests)
      if (request.broker === broker) {
        failed.push(request);
        this.requests.delete(id);
      }
    this.inFlightCount[broker] = 0;
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
  }

  /**
   * Kafka's leastLoadedNode: the broker with the fewest requests in flight, so metadata is not
   * asked of a broker whose requests are stuck (a dead host answers nothing until
   * request.timeout.ms). Ties go to the first broker at or after `startAt` (the client starts its
   * scan at a random offset; staying put keeps the choice stable and deterministic).
   */
  leastLoadedNode(startAt: number): number {
    const n = this.brokerCount;
    let best = startAt;
    for (let k = 1; k < n; k++) {
      const b = (startAt + k) % n;
      if (this.inFlightCount[b] < this.inFlightCount[best]) best = b;
    }
    return best;
  }
}
