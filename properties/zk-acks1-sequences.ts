// The scripted ZooKeeper acks=1 sequences the version and upgrade cases share
// (properties/version-cases.test.ts, upgrade-cases.test.ts), KAFKA-7164's and KAFKA-6880's among them.

/** A ZooKeeper-mode run of one topic t on replicas, with an acks=1 producer p1 that retries forever. */
export function zkAcks1(name: string, kafkaVersion: string, replicas: string[], durationMs: number, sendsAtMs: number[], faults: object[]): Record<string, unknown> {
  return {
    name,
    model: 'kafka',
    seed: '1',
    durationMs,
    preset: 'apache',
    kafkaVersion,
    metadataMode: 'zookeeper',
    cluster: { brokers: replicas.length, controllers: 1 },
    config: { acks: '1', retries: 2147483647, 'offsets.topic.num.partitions': 1 },
    topics: [{ name: 't', replicas: [replicas] }],
    producers: [{ name: 'p1', az: 'use1-az1', topic: 't', sends: sendsAtMs.map((atMs) => ({ atMs })) }],
    faults,
  };
}

// KAFKA-7164 and KAFKA-6880 (Kafka 2.0, ZooKeeper), one scripted sequence with two endings. b1
// leads epoch 0 and writes r1 (acks=1) that reaches b3 but not b2 (b1's answers to b2 are held).
// b1 and b3 are cut from the controller: their sessions expire together, and one BrokerChange
// event (KafkaController.onBrokerFailure) elects b2 for epoch 1 with an ISR of b2 alone, with r2
// at offset 1; b1 comes back, truncates r1 by epoch and follows b2. b2 crashes and b1 leads epoch 2.
// b3 never heard of epoch 1 and still holds r1 at offset 1 where b1 now holds r2.
// - missed epoch (KAFKA-7164): b3 is isolated from everyone until after epoch 2, then hears of
//   epoch 2 from the controller before it fetches again. In 2.0 the leader is the same broker
//   (b1) as in epoch 0, so Partition.makeFollower skips truncation; from 2.0.1 it truncates.
// - zombie (KAFKA-6880): b3 stays cut from the controller and fetches from b1 in epoch 2 knowing
//   only epoch 0. Before KIP-320 (2.1) the fetch names no epoch and b1 serves it.
export const missedEpoch = (kafkaVersion: string, b3: 'missed-epoch' | 'zombie'): Record<string, unknown> =>
  zkAcks1(`follower-${b3}`, kafkaVersion, ['b1', 'b2', 'b3'], 50000, [1000, 2000, 12000, 30000, 35000], [
    { atMs: 1500, kind: 'hold', from: 'b1', to: 'b2', durationMs: 7500 },
    { atMs: 2500, kind: 'partition', groups: [['b1'], ['c1']], durationMs: 8000 },
    ...(b3 === 'zombie'
      ? [{ atMs: 2500, kind: 'partition', groups: [['b3'], ['c1']], durationMs: 60000 }]
      : [
          { atMs: 2500, kind: 'isolate-node', node: 'b3', durationMs: 24000 },
          { atMs: 26400, kind: 'partition', groups: [['b3'], ['b1', 'b2']], durationMs: 3000 },
        ]),
    { atMs: 16000, kind: 'crash', node: 'b2', durationMs: 20000 },
  ]);
