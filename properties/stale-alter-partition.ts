// The KIP-903 sequence the version and upgrade cases share (properties/version-cases.test.ts,
// upgrade-cases.test.ts): a stale AlterPartition re-adds a replica that lost its disk.

// KIP-903 (Kafka 3.5, KRaft): RF 2, acks=all, min.insync.replicas 1. b2 drops out of the ISR (its
// fetches held 1-4 s); it catches up and b1's AlterPartition adding it is held on the way to the
// controller (3.9-6.9 s); meanwhile b2 loses its disk (4.5 s) and comes back empty, cut off from
// b1's answers. The held AlterPartition arrives at 6.9 s; b1 crashes at 6.95 s.
export const staleAlterPartition = (protocol: Readonly<Record<string, string>>): Record<string, unknown> => ({
  name: 'stale-alter-partition',
  model: 'kafka',
  seed: '1',
  durationMs: 40000,
  preset: 'apache',
  ...protocol,
  cluster: {
    brokers: [
      { name: 'b1', az: 'use1-az1' },
      { name: 'b2', az: 'use1-az2', storage: 'instance-store' },
    ],
    controllers: 1,
  },
  // replica.fetch.backoff.ms 100: from 2.8 (KAFKA-10554) b2 fetches in its new epoch at once after
  // the shrink, so its held epoch-0 fetch, answered FENCED_LEADER_EPOCH at 4 s, delays the partition
  // by the backoff (AbstractFetcherThread.onPartitionFenced); with the default 1 s b2 would not
  // catch up before the cut at 4.4 s.
  config: { acks: 'all', 'min.insync.replicas': 1, 'unclean.leader.election.enable': false, 'replica.lag.time.max.ms': 2000, 'replica.fetch.backoff.ms': 100 },
  topics: [{ name: 't', replicas: [['b1', 'b2']] }],
  producers: [{ name: 'p1', az: 'use1-az1', topic: 't', ratePerSec: 50, keys: 0, stopMs: 4000 }],
  faults: [
    { atMs: 1000, kind: 'hold', from: 'b2', to: 'b1', durationMs: 3000 },
    { atMs: 3900, kind: 'hold', from: 'b1', to: 'c1', durationMs: 3000 },
    { atMs: 4400, kind: 'partition-one-way', from: ['b1'], to: ['b2'], durationMs: 30000 },
    { atMs: 4500, kind: 'disk-loss', node: 'b2', durationMs: 500 },
    { atMs: 6950, kind: 'crash', node: 'b1', durationMs: 30000 },
  ],
});
