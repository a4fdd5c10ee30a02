// When a client's next Metadata request may go: Kafka's Metadata.timeToAllowUpdate, shared by the
// producer and the consumer. A request waits retry.backoff.ms after the last response or failed
// request (lastRefreshMs + refreshBackoffMs, 0.10-3.6). A failed request (lost with its connection,
// timed out) counts from 2.5 (KAFKA-8933: NetworkClient's handleFailedRequest calls
// Metadata.failedUpdate); before, a failed request was only no longer in progress, and the next
// went as soon as the last response's backoff allowed. From 3.7 (KIP-580) the wait grows:
// backoff(n) = retry.backoff.ms * 2^n with 20% jitter, capped at retry.backoff.max.ms, where n
// counts the failed requests since the last response, or the responses in a row that brought no
// newer leader epoch (equivalentResponseCount: a topic the broker does not know yet, a partition
// still without a leader); a response with a newer epoch, and a refresh due to metadata.max.age.ms,
// start again from retry.backoff.ms. Before 3.7 retry.backoff.max.ms resolves to retry.backoff.ms
// (version/config-introductions.ts), so the backoff is constant and draws no jitter.
//
// Simplification: Kafka draws the jitter anew on every timeToAllowUpdate call (every poll of the
// network thread); here it is drawn once per response or failure, from the client's own stream.

import type { Choice } from '../../../src/sim/choice.ts';
import { ExponentialBackoff } from './exponential-backoff.ts';

/** CommonClientConfigs.RETRY_BACKOFF_EXP_BASE and RETRY_BACKOFF_JITTER (3.7). */
const RETRY_BACKOFF_EXP_BASE = 2;
const RETRY_BACKOFF_JITTER = 0.2;

/** The client configs the backoff reads, in ms. */
interface MetadataBackoffConfig {
  'retry.backoff.ms': number;
  'retry.backoff.max.ms': number;
  'metadata.max.age.ms': number;
}

export class MetadataBackoff {
  private readonly refreshBackoff: ExponentialBackoff;
  private readonly maxAgeUs: number;
  /** Metadata.lastRefreshMs: the last response, or (from 2.5) the last failed request. */
  private lastRefreshUs = -Infinity;
  private lastSuccessfulRefreshUs = -Infinity;
  /** Metadata.attempts: failed requests since the last response. */
  private attempts = 0;
  /** Metadata.equivalentResponseCount (3.7): responses in a row without a newer leader epoch. */
  private equivalentResponseCount = 0;
  /** When the next request may go, drawn at the last response or failure. */
  private allowedAtUs = -Infinity;

  constructor(
    config: MetadataBackoffConfig,
    /** KAFKA-8933 (2.5): a failed request backs off as a response does. */
    private readonly failedRequestBacksOff: boolean,
    jitter: Choice,
  ) {
    this.refreshBackoff = new ExponentialBackoff(config['retry.backoff.ms'], RETRY_BACKOFF_EXP_BASE, config['retry.backoff.max.ms'], RETRY_BACKOFF_JITTER, jitter);
    this.maxAgeUs = config['metadata.max.age.ms'] * 1000;
  }

  /** A new client process: its first request goes at once. */
  clear(): void {
    this.lastRefreshUs = -Infinity;
    this.lastSuccessfulRefreshUs = -Infinity;
    this.attempts = 0;
    this.equivalentResponseCount = 0;
    this.allowedAtUs = -Infinity;
  }

  /** Metadata.update: a response at nowUs; `newerEpoch` when it named a leader epoch newer than the last seen (or a first one) of some partition. */
  onResponse(nowUs: number, newerEpoch: boolean): void {
    this.lastRefreshUs = nowUs;
    this.lastSuccessfulRefreshUs = nowUs;
    this.attempts = 0;
    this.equivalentResponseCount = newerEpoch ? 0 : this.equivalentResponseCount + 1;
    this.allowedAtUs = this.drawAllowedAt();
  }

  /** Metadata.failedUpdate: the request in flight was lost with its connection or timed out at nowUs. */
  onFailedRequest(nowUs: number): void {
    if (!this.failedRequestBacksOff) return;
    this.lastRefreshUs = nowUs;
    this.attempts++;
    this.equivalentResponseCount = 0;
    this.allowedAtUs = this.drawAllowedAt();
  }

  /** The earliest time the next request may go (at or before nowUs: now). */
  allowedAt(nowUs: number): number {
    // Metadata.timeToAllowUpdate: a refresh due to metadata.max.age.ms is not backed off for equivalent responses.
    if (this.equivalentResponseCount > 0 && nowUs >= this.lastSuccessfulRefreshUs + this.maxAgeUs) {
      this.equivalentResponseCount = 0;
      this.allowedAtUs = this.drawAllowedAt();
    }
    return this.allowedAtUs;
  }

  private drawAllowedAt(): number {
    const forAttempts = this.refreshBackoff.backoff(this.attempts > 0 ? this.attempts - 1 : 0);
    const forEquivalentResponses = this.equivalentResponseCount > 0 ? this.refreshBackoff.backoff(this.equivalentResponseCount - 1) : 0;
    return this.lastRefreshUs + Math.max(forAttempts, forEquivalentResponses) * 1000;
  }
}
