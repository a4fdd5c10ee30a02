// Truncation on fetch (KAFKA-10554, Kafka 2.8; AbstractFetcherThread.isTruncationOnFetchSupported,
// inter.broker.protocol.version >= 2.7-IV1): a follower whose log has a leader epoch goes straight
// to fetching after a leader change, naming its last fetched epoch, and truncates where the
// leader's divergingEpoch says; 2.7 and earlier ask OffsetsForLeaderEpoch first. Both reach the
// same log: a leader cut off from everyone keeps taking acks=1 writes the next leader never gets,
// and on its return it must cut them off at the next epoch's start.
import { describe, expect, it } from 'vitest';
import { runKafka } from './testing/kafka-test-cluster.ts';
import type { KafkaVersion } from './version/kafka-versions.ts';

function cutOffLeader(kafkaVersion: KafkaVersion, metadataMode: 'zookeeper' | 'kraft') {
  const sends: [number, null][] = [];
  for (let t = 500; t <= 30_000; t += 50) sends.push([t, null]);
  return runKafka({
    kafkaVersion,
    metadataMode,
    producers: [{ name: 'p1', config: { acks: '1', 'enable.idempotence': false }, sends }],
    // b1 leads orders-0 (epoch 0) and keeps appending what p1 (with it) sends while cut off from
    // the others, past zookeeper.session.timeout.ms (18 s) and KRaft's broker session.
    faults: [{ atMs: 2000, kind: 'partition', groups: [['b1', 'p1'], ['b2', 'b3', 'c1', 'c2', 'c3']], durationMs: 25_000 }],
    durationMs: 50_000,
  });
}

describe('kafka model: truncation on fetch (KAFKA-10554)', () => {
  it('3.7 truncates the returning leader on a divergingEpoch without OffsetsForLeaderEpoch; 2.7 asks first; both cut at the same offset', () => {
    const before = cutOffLeader('2.7', 'zookeeper');
    const after = cutOffLeader('3.7', 'zookeeper');
    for (const r of [before, after, cutOffLeader('3.7', 'kraft')]) {
      const cut = r.of('truncate').filter((e) => e.partition === 'orders-0');
      // b1 wrote in epoch 0 past where epoch 0 ended on the new leader; it cuts back to that start.
      const next = r.of('election').find((e) => e.partition === 'orders-0' && e.previousLeader === 'b1')!;
      expect(cut.map((e) => e.toOffset)).toEqual([next.leaderLogEndOffset]);
      expect((cut[0].removed as number[]).length).toBeGreaterThan(0);
      const final = r.partition('orders-0');
      expect(r.log('orders-0', 'b1').records).toEqual(r.log('orders-0', final.leader!).records);
    }
    expect(before.stats.epochRequests).toBeGreaterThan(0);
    expect(after.stats.epochRequests).toBe(0);
    expect(after.of('truncate')[0].toOffset).toBe(before.of('truncate')[0].toOffset);
    expect(after.stats.fetchRequests).toBeGreaterThan(0);
  });
});
