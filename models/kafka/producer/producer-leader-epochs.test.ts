// The producer's metadata follows the clients' release for leader epochs (KAFKA-7738, Kafka
// 2.2's Metadata.updateLatestMetadata), not the brokers' KIP-320 (2.1): a 2.1 producer takes a
// stale broker's answer with an older leader epoch, a 2.2 one keeps what it knew. Built from a
// scenario's kafkaVersion, as a run builds it (KafkaProducer reads world.protocol).
import { describe, expect, it } from 'vitest';
import { SeededChoices } from '../../../src/sim/seeded-choices.ts';
import { NO_LEADER } from '../controller/metadata-image.ts';
import type { KafkaVersion } from '../version/kafka-versions.ts';
import { RecordingContext } from '../testing/recording-context.ts';
import { testWorld } from '../testing/test-world.ts';
import { KafkaProducer } from './kafka-producer.ts';

/** The partitions with a leader after an answer naming leaders in epoch 3, then a stale one (epoch 0) with none for partition 0. */
function partitionsLedAfterStaleAnswer(kafkaVersion: KafkaVersion): number[] {
  const world = testWorld({ durationMs: 60_000, kafkaVersion, metadataMode: 'zookeeper', topics: [{ name: 'orders', replicas: [['b1', 'b2', 'b3'], ['b2', 'b3', 'b1']] }], producers: [{ name: 'p1', topic: 'orders', ratePerSec: 0 }] });
  const producer = new KafkaProducer(world, 0, new SeededChoices('1'));
  const ctx = new RecordingContext(world.layout.producerNode[0]);
  for (let b = 0; b < world.layout.brokerCount; b++) producer.onConnect(ctx, b);
  producer.onStart(ctx);
  const answer = (leaders: number[], leaderEpochs: number[]) => {
    const request = ctx.sent.filter((s) => s.msg.type === 'metadata-request').at(-1);
    if (request?.msg.type !== 'metadata-request') throw new Error('no metadata request');
    producer.onMessage(ctx, { type: 'metadata-response', requestId: request.msg.requestId, leaders, leaderEpochs });
  };
  answer([1, 1], [3, 3]);
  ctx.nowUs = 400_000_000; // past metadata.max.age.ms: the producer asks again
  producer.onTimer(ctx, { type: 'metadata-refresh' });
  answer([NO_LEADER, 1], [0, 3]);
  return producer.available();
}

describe("the producer's metadata and older leader epochs", () => {
  it('Kafka 2.1 takes the older epoch (no KAFKA-7738): partition 0 loses its leader', () => {
    expect(partitionsLedAfterStaleAnswer('2.1')).toEqual([1]);
  });

  it('decoy: Kafka 2.2 and later keep the leader of epoch 3', () => {
    for (const v of ['2.2', '3.9'] as const) expect(partitionsLedAfterStaleAnswer(v), v).toEqual([0, 1]);
  });
});
