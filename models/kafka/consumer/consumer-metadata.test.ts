// ConsumerMetadata and a stale broker's answer (a leader epoch older than the last seen): Kafka
// 2.1's clients' Metadata has no leader epochs and takes the answer's leader; from 2.2
// (KAFKA-7738, Metadata.updateLatestMetadata) the cached leader stays. The flag comes from the
// version table as KafkaConsumer takes it (world.protocol.metadataRefusesOlderLeaderEpochs).
// Then the refresh backoff: a request asked for within it waits for its own timer.
import { describe, expect, it } from 'vitest';
import { NO_LEADER } from '../controller/metadata-image.ts';
import { featuresOfVersion, type KafkaVersion } from '../version/kafka-versions.ts';
import type { ApplicationThread } from './application-thread.ts';
import type { ConsumerNetworkClient } from './consumer-network-client.ts';
import { ConsumerMetadata } from './consumer-metadata.ts';
import { RecordingContext } from '../testing/recording-context.ts';
import { SeededChoices } from '../../../src/sim/seeded-choices.ts';
import { MetadataBackoff } from '../clients/metadata-backoff.ts';

const BACKOFF_US = 100_000;
const constantBackoff = () => new MetadataBackoff({ 'retry.backoff.ms': 100, 'retry.backoff.max.ms': 100, 'metadata.max.age.ms': 300_000 }, true, new SeededChoices('1').stream('test'));

/** Leaders of two partitions after an answer in epoch 3, then a zombie's answer naming itself (broker 0) in epoch 0. */
function leadersAfterZombieAnswer(version: KafkaVersion): { leaders: number[]; missing: boolean } {
  // update() sends nothing: the network and the thread are not used.
  const metadata = new ConsumerMetadata([0, 1], 3, 0, {} as ConsumerNetworkClient, {} as ApplicationThread, [true, true], featuresOfVersion(version).metadataRefusesOlderLeaderEpochs, constantBackoff());
  metadata.clear();
  metadata.update(0, [2, 1], [3, 3]);
  const missing = metadata.update(1000, [0, NO_LEADER], [0, 3]);
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

describe('ConsumerMetadata refresh backoff (Metadata.timeToNextUpdate: lastRefreshMs + retry.backoff.ms)', () => {
  function setUp() {
    const sent: number[] = [];
    const network = { send: (_ctx: unknown, _broker: number, _kind: number, msg: { requestId: number }) => sent.push(msg.requestId), newRequestId: () => sent.length + 1 } as unknown as ConsumerNetworkClient;
    const thread = { started: true } as unknown as ApplicationThread;
    const metadata = new ConsumerMetadata([0], 3, 0, network, thread, [true], true, constantBackoff());
    metadata.clear();
    const ctx = new RecordingContext();
    const backoffTimers = () => ctx.timers.filter((t) => t.timer.type === 'consumer-metadata-backoff').map((t) => t.atUs);
    return { metadata, ctx, sent, backoffTimers };
  }

  it('asks again no sooner than retry.backoff.ms after a response, however often it is kicked; its timer sends it then', () => {
    const { metadata, ctx, sent, backoffTimers } = setUp();
    metadata.requestUpdate(ctx);
    ctx.nowUs = 2_000;
    metadata.update(ctx.nowUs, [NO_LEADER], [0]);
    for (let t = 3_500; t < 2_000 + BACKOFF_US; t += 1_500) {
      ctx.nowUs = t;
      metadata.requestUpdate(ctx); // a kick while the leader is unknown
    }
    expect(sent).toHaveLength(1);
    expect(backoffTimers()).toEqual([2_000 + BACKOFF_US]); // one timer, however many kicks
    ctx.nowUs = 2_000 + BACKOFF_US;
    metadata.onBackoffTimer(ctx);
    expect(sent).toHaveLength(2);
  });

  it('a failed request backs off too (Metadata.failedUpdate); a stale backoff timer sends nothing', () => {
    const { metadata, ctx, sent, backoffTimers } = setUp();
    metadata.requestUpdate(ctx);
    ctx.nowUs = 5_000;
    metadata.onRequestTimeout(ctx); // asks again at once: within the backoff, it waits
    expect(sent).toHaveLength(1);
    expect(backoffTimers()).toEqual([5_000 + BACKOFF_US]);
    metadata.clear(); // a restart: the old timer is stale
    metadata.requestUpdate(ctx);
    expect(sent).toHaveLength(2);
    ctx.nowUs = 5_000 + BACKOFF_US;
    metadata.onBackoffTimer(ctx);
    expect(sent).toHaveLength(2);
  });

  it('decoy: a first request, and one a backoff after the last response, go at once and set no timer', () => {
    const { metadata, ctx, sent, backoffTimers } = setUp();
    metadata.requestUpdate(ctx);
    metadata.update(0, [NO_LEADER], [0]);
    ctx.nowUs = BACKOFF_US;
    metadata.requestUpdate(ctx);
    expect(sent).toHaveLength(2);
    expect(backoffTimers()).toEqual([]);
  });
});
