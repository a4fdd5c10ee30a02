// The leader-epoch cache stays monotonic from Kafka 2.1 (KAFKA-7415, LeaderEpochFileCache's
// truncateAndAppend, maybeTruncateNonMonotonicEntries today). Found by `ksim check` on Kafka 4.1
// (seed 5), shrunk to: orders-0's leader b3 is cut from its followers, then loses power with 12
// records that only b2 fetched (8 of them); b1 is elected in epoch 1 from an empty log and cut off,
// then shut down, so b2 leads epoch 2 with its 8 records, and b1 restarts and fetches them: records
// of epoch 0 at offset 0, where b1's cache said epoch 1 starts. Kafka removes that entry; ksim kept
// it, so when the preferred leader b3 took over in epoch 3, b1 asked about epoch 1, was told where
// epoch 0 ends, found no epoch 0 in its own cache and truncated its 8 committed records: an ISR
// member with LEO 0 under a high watermark of 8, reported as a breach of hw-above-isr-leo.
// (The power loss comes at 311 ms, not 310 as found: since a broker reads one produce request at
// a time per connection, b1's election in epoch 1 at 310 came at 4.5499 s, before the partition at
// 4.55 s, which then cut another follower; a millisecond later puts it after, as found.)

import { describe, expect, it } from 'vitest';
import checkSmall from '../models/kafka/presets/check-small.scenario.json' with { type: 'json' };
import { runScenario } from '../models/kafka/testing/scenario-run.ts';

const SETTINGS = [
  'preset=apache',
  'kafkaVersion=4.1',
  'acks=all',
  'min.insync.replicas=2',
  'unclean.leader.election.enable=false',
  'enable.idempotence=true',
  'leader.imbalance.check.interval.seconds=5',
  'broker.rack=az',
  'seed=934002373',
  'faults=[{"atMs":106,"kind":"partition","groups":[["@leader:orders-0"],["@followers:orders-0"]],"durationMs":202},{"atMs":311,"kind":"power-loss","node":"@leader:orders-0","durationMs":4237},{"atMs":4550,"kind":"partition","groups":[["@follower:orders-0"],["@leader:orders-0","@followers:orders-0"]],"durationMs":296}]',
  'operations=[{"atMs":5101,"kind":"controlled-shutdown","broker":"@leader:orders-0","durationMs":1800}]',
];

describe('leader-epoch cache (KAFKA-7415)', () => {
  it('a follower that led an epoch from an empty log, then fetched older-epoch records, keeps them when the next leader takes over', () => {
    const { report, events } = runScenario(checkSmall, SETTINGS);
    // The run reaches the situation: b1 led epoch 1 with LEO 0, b2 then led epoch 2 with 8 records.
    const elections = events.filter(([, , ev]) => ev.type === 'election' && ev.partition === 'orders-0').map(([, , ev]) => [ev.leader, ev.leaderEpoch, ev.leaderLogEndOffset]);
    expect(elections).toContainEqual(['b1', 1, 0]);
    expect(elections).toContainEqual(['b2', 2, 8]);
    expect(elections.some(([leader, epoch]) => leader === 'b3' && (epoch as number) >= 3)).toBe(true);
    const truncations = events.filter(([, node, ev]) => ev.type === 'truncate' && node === 'b1' && ev.partition === 'orders-0');
    expect(truncations).toEqual([]);
    expect(report.violations.filter((v) => v.property === 'hw-above-isr-leo')).toEqual([]);
  });
});
