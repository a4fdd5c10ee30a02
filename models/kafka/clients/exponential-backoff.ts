// Kafka's ExponentialBackoff (org.apache.kafka.common.utils): initial * multiplier^attempts, capped
// at max, with a random jitter factor in [1 - jitter, 1 + jitter) drawn from the client's seeded
// stream (Kafka uses ThreadLocalRandom). Used for reconnect.backoff.ms / .max.ms and KIP-601's
// socket.connection.setup.timeout.ms / .max.ms, both with 20% jitter.

import type { Choice } from '../../../src/sim/choice.ts';

export class ExponentialBackoff {
  private readonly initial: number;
  private readonly expMax: number;

  constructor(
    initial: number,
    private readonly multiplier: number,
    private readonly max: number,
    private readonly jitter: number,
    private readonly choice: Choice,
  ) {
    this.initial = Math.min(max, initial);
    this.expMax = max > initial ? Math.log(max / Math.max(initial, 1)) / Math.log(multiplier) : 0;
  }

  /** The backoff after `attempts` consecutive failures (0: the first). */
  backoff(attempts: number): number {
    if (this.expMax === 0) return this.initial;
    const term = this.initial * Math.pow(this.multiplier, Math.min(attempts, this.expMax));
    const randomFactor = 1 - this.jitter + 2 * this.jitter * this.choice.unit();
    return Math.min(Math.floor(randomFactor * term), this.max);
  }
}
