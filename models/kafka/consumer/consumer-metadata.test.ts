// ConsumerMetadata and a stale broker's answer (a leader epoch older than the last seen): Kafka
// 2.1's clients' Metadata has no leader epochs and takes the answer's leader; from 2.2
// (KAFKA-7738, Metadata.updateLatestMetadata) the cached leader stays. The flag comes from the
// version table as KafkaConsumer takes it (world.protocol.metadataRefusesOlderLeaderEpochs).
import { describe, expect, it } from 'vitest';
import { NO_LEADER } from '../controller/metadata-image.ts';
import { featuresOfVersion, type KafkaVersion } from '../version/kafka-versions.ts';
import type { ApplicationThread } from './application-thread.ts';
import type { ConsumerNetworkClient } from './consumer-network-client.ts';
import { ConsumerMetadata } from './consumer-metadata.ts';

/** Leaders of two partitions after an answer in epoch 3, then a zombie's answer naming itself (broker 0) in epoch 0. */
function leadersAfterZombieAnswer(version: KafkaVersion): { leaders: number[]; missing: boolean } {
  // update() sends nothing: the network and the thread are not used.
  const metadata = new ConsumerMetadata([0, 1], 3, 0, {} as ConsumerNetworkClient, {} as ApplicationThread, [true, true], featuresOfVersion(version).metadataRefusesOlderLeaderEpochs);
  metadata.clear();
  metadata.update([2, 1], [3, 3]);
  const missing = metadata.update([0, NO_LEADER], [0, 3]);
  return { leaders: [...metadata.leaders], missing };
}

describe('ConsumerMetadata and older leader epochs', () => {
  it("Kafka 2.1 takes a stale broker's older epoch: back to the deposed leader", () => {
    expect(leadersAfterZombieAnswer('2.1')).toEqual({ leaders: [0, NO_LEADER], missing: true });
  });

  it('decoy: from 2.2 the older epoch leaves the cached leader; an answer in the same epoch is still taken', () => {
    for (const v of ['2.2', '3.9'] as const) expect(leadersAfterZombieAnswer(v), v).toEqual({ leaders: [2, NO_LEADER], missing: true });
  });
});
