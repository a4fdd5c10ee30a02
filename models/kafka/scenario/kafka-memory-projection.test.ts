import { describe, expect, it } from 'vitest';
import { refusal, type Scenario } from '../testing/scenario-run.ts';

const base = (consumerGroups: unknown[]): Scenario => ({
  model: 'kafka',
  durationMs: 60_000,
  preset: 'msk',
  cluster: { brokers: 3, controllers: 3 },
  topics: [{ name: 'orders', partitions: 2, 'replication.factor': 3 }],
  producers: [{ name: 'p1', az: 'use1-az1', topic: 'orders', ratePerSec: 100 }],
  consumerGroups,
});
const group = (extra: Record<string, unknown>) => ({ 'group.id': 'g', topics: ['orders'], members: 1, ...extra });
/** The projection's figures, from the refusal under a limit every run exceeds. */
const projected = (raw: Scenario) => refusal(raw, ['limits.memoryMb=64']);
const mib = (message: string) => Number(/would need about ([\d,]+) MiB/.exec(message)![1].replace(/,/g, ''));

describe('projected memory', () => {
  it('counts offset commits: one per record at most, one per processingMs per polled partition, or per auto.commit.interval.ms', () => {
    expect(projected(base([]))).toMatch(/\(6,000 records over 60,000 ms at ~295 bytes each, /);
    // 100 records/s polled at least 1 ms apart: the records bound the commits.
    expect(projected(base([group({ processingMs: 1, commit: 'after-processing' })]))).toMatch(/with up to 6,000 offset commits/);
    // 100 ms a record: at most 10 polls a second, each committing up to both partitions.
    expect(projected(base([group({ processingMs: 100, commit: 'after-processing' })]))).toMatch(/with up to 1,200 offset commits/);
    // Auto-commit every 5 s (Kafka's default) of both partitions.
    expect(projected(base([group({ processingMs: 1, commit: 'auto' })]))).toMatch(/with up to 24 offset commits/);
  });

  it('grows with records and their replicas', () => {
    const rf = (n: number) => ({ ...base([]), topics: [{ name: 'orders', partitions: 2, 'replication.factor': n }], producers: [{ name: 'p1', az: 'use1-az1', topic: 'orders', ratePerSec: 20_000 }] });
    const one = mib(projected({ ...rf(1), config: { 'min.insync.replicas': 1 } }));
    const three = mib(projected(rf(3)));
    // 1.2 M records: 2 more replicas at 15 bytes each, a quarter added for headroom: ~43 MiB.
    expect(three - one).toBeGreaterThanOrEqual(42);
    expect(three - one).toBeLessThanOrEqual(44);
  });
});
