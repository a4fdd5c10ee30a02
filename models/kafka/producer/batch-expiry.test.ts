// BatchExpiry: before KIP-91 a queued batch expires request.timeout.ms (+1 ms: Kafka's strict
// "more than" in whole ms) after it was ready -- created + linger.ms, its last append when full, its
// retry backoff's end when retried -- the check stops at the first batch of a queue that has not
// expired, and skips a partition muted by max.in.flight = 1; from 2.1 the deadline is
// delivery.timeout.ms from creation wherever the batch sits.
import { describe, expect, it } from 'vitest';
import { BatchExpiry } from './batch-expiry.ts';
import { ProducerBatch } from './producer-batch.ts';

const MS = 1000;
const REQUEST_TIMEOUT_US = 30_000 * MS;
const LINGER_US = 5 * MS;

function batch(id: number, createdUs: number, appendsUs: number[], deadlineUs = Infinity): ProducerBatch {
  const b = new ProducerBatch(id, 0, createdUs, deadlineUs);
  for (const t of appendsUs) {
    b.recordIds.push(id * 100 + b.recordIds.length);
    b.sendUs.push(t);
  }
  return b;
}

describe('BatchExpiry before KIP-91 (Kafka 0.10-2.0)', () => {
  const legacy = new BatchExpiry(null, REQUEST_TIMEOUT_US, LINGER_US, 3);

  it('a batch still filling expires request.timeout.ms after created + linger.ms', () => {
    const q = [batch(1, 1_000 * MS, [1_000 * MS])];
    expect(legacy.queuedExpiryUs(q, 0)).toBe(1_000 * MS + LINGER_US + REQUEST_TIMEOUT_US + MS);
  });

  it('a full batch (no room, or another behind it) expires request.timeout.ms after its last append, if that is sooner', () => {
    const full = [batch(1, 0, [0, 1 * MS, 2 * MS])];
    expect(legacy.queuedExpiryUs(full, 0)).toBe(2 * MS + REQUEST_TIMEOUT_US + MS);
    const followed = [batch(1, 0, [0]), batch(2, 3 * MS, [3 * MS])];
    expect(legacy.queuedExpiryUs(followed, 0)).toBe(0 + REQUEST_TIMEOUT_US + MS);
    // A slow batch whose last append came after creation + linger: the linger rule is sooner.
    const slow = [batch(1, 0, [0, 20 * MS, 40 * MS])];
    expect(legacy.queuedExpiryUs(slow, 0)).toBe(LINGER_US + REQUEST_TIMEOUT_US + MS);
  });

  it('a retried batch expires request.timeout.ms after its retry backoff ended', () => {
    const b = batch(1, 0, [0]);
    b.attempts = 1;
    b.retryAtUs = 50_000 * MS;
    expect(legacy.queuedExpiryUs([b], 0)).toBe(50_000 * MS + REQUEST_TIMEOUT_US + MS);
  });

  it('expires the front of a queue up to the first batch that has not expired', () => {
    const retried = batch(1, 0, [0]);
    retried.attempts = 1;
    retried.retryAtUs = 100_000 * MS; // not expired at 60 s
    const q = [batch(2, 0, [0, 1, 2]), retried, batch(3, 0, [0])];
    expect(legacy.expiredPrefix(q, 60_000 * MS)).toBe(1);
    expect(legacy.expiredPrefix(q, 10_000 * MS)).toBe(0);
    expect(legacy.expiredPrefix(q, 200_000 * MS)).toBe(3);
  });

  it('skips a partition muted by max.in.flight = 1 with a batch in flight, and only then', () => {
    expect(legacy.skips(1, 1)).toBe(true);
    expect(legacy.skips(1, 0)).toBe(false);
    expect(legacy.skips(5, 1)).toBe(false);
  });
});

describe('BatchExpiry from KIP-91 (Kafka 2.1+)', () => {
  const kip91 = new BatchExpiry(120_000 * MS, REQUEST_TIMEOUT_US, LINGER_US, 3);

  it('a queued batch expires at its own delivery deadline, whatever its state; no prefix rule, no muting', () => {
    const b = batch(1, 0, [0, 1, 2], 120_000 * MS);
    b.attempts = 1;
    b.retryAtUs = 5 * MS;
    expect(kip91.queuedExpiryUs([b], 0)).toBe(120_000 * MS);
    expect(kip91.expiredPrefix([b], 200_000 * MS)).toBe(-1);
    expect(kip91.skips(1, 1)).toBe(false);
  });
});
