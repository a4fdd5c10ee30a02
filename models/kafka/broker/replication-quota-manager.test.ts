import { describe, expect, it } from 'vitest';
import { ReplicationQuotaManager } from './replication-quota-manager.ts';

describe('ReplicationQuotaManager (KIP-73)', () => {
  it('throttles only the listed partition, from the operation on', () => {
    const q = new ReplicationQuotaManager([{ partition: 2, fromUs: 5_000_000, bytesPerSec: 1000 }]);
    expect(q.isThrottled(2, 4_999_999)).toBe(false);
    expect(q.isThrottled(2, 5_000_000)).toBe(true);
    expect(q.isThrottled(1, 9_000_000)).toBe(false);
  });

  it("measures as Kafka's Rate: over at least 10 one-second windows, samples expiring after 11", () => {
    const q = new ReplicationQuotaManager([{ partition: 0, fromUs: 0, bytesPerSec: 1000 }]);
    q.record(5000, 0); // 5000 B over the 10 s floor: 500 B/s
    expect(q.isQuotaExceeded(100_000)).toBe(false);
    q.record(6000, 2_000_000); // 11000 B / 10 s
    expect(q.isQuotaExceeded(2_000_000)).toBe(true);
    expect(q.isQuotaExceeded(10_500_000)).toBe(true); // 11000 B / 10.5 s
    expect(q.isQuotaExceeded(11_500_000)).toBe(false); // the first sample expired: 6000 B / 10 s
  });

  it('the rate is the last one set on the broker', () => {
    const q = new ReplicationQuotaManager([
      { partition: 0, fromUs: 0, bytesPerSec: 1000 },
      { partition: 1, fromUs: 1_000_000, bytesPerSec: 100_000 },
    ]);
    q.record(20_000, 0);
    expect(q.isQuotaExceeded(500_000)).toBe(true);
    expect(q.isQuotaExceeded(1_000_000)).toBe(false);
  });
});
