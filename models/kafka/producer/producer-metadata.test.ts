// ProducerMetadata on its own (where a request goes, when it is repeated, which answers count),
// then in a cluster: the producer's recovery after its partition leader dies without a TCP reset.
// Requests to the dead broker hang until request.timeout.ms (as with the Java client); the
// metadata refresh that follows must reach a live broker, so the producer resumes on the new
// leader at once instead of waiting out a second request.timeout.ms. (The AZ-outage case where
// the metadata target itself holds hung requests is what leastLoadedNode fixes; it shows in the
// default scenario.)
import { describe, expect, it } from 'vitest';
import { NO_LEADER } from '../controller/metadata-image.ts';
import { runKafka } from '../testing/kafka-test-cluster.ts';
import { RecordingContext } from '../testing/recording-context.ts';
import { NetworkClient } from './network-client.ts';
import { ProducerMetadata } from './producer-metadata.ts';

const BROKER_NODES = [10, 11, 12];
const MAX_AGE_US = 300_000_000;
const BACKOFF_US = 100_000;
const TIMEOUT_US = 30_000_000;

function setUp(bootstrap = 0) {
  const network = new NetworkClient(BROKER_NODES.length);
  const stats = { metadataRequests: 0 };
  const config = { topic: 'orders', brokerNodes: BROKER_NODES, partitionCount: 2, maxAgeUs: MAX_AGE_US, retryBackoffUs: BACKOFF_US, requestTimeoutUs: TIMEOUT_US };
  const metadata = new ProducerMetadata(config, bootstrap, network, stats);
  const ctx = new RecordingContext();
  const requests = () => ctx.sent.flatMap((s) => (s.msg.type === 'metadata-request' ? [{ to: s.to, requestId: s.msg.requestId }] : []));
  return { network, stats, metadata, ctx, requests };
}

describe('ProducerMetadata', () => {
  it('asks the least-loaded broker, not one whose produce requests hang', () => {
    const { network, metadata, ctx, requests } = setUp(1);
    network.add(network.newCorrelationId(), { broker: 1, batches: [], timerId: 1 });
    metadata.start(ctx);
    expect(requests()).toEqual([{ to: 12, requestId: 2 }]);
    expect(ctx.timers.map((t) => [t.timer.type, t.atUs])).toEqual([
      ['metadata-timeout', TIMEOUT_US],
      ['metadata-refresh', MAX_AGE_US],
    ]);
  });

  it('keeps one request in flight and moves to the next broker when it times out', () => {
    const { metadata, ctx, requests, stats } = setUp(0);
    metadata.start(ctx);
    metadata.requestUpdate(ctx);
    expect(requests()).toEqual([{ to: 10, requestId: 1 }]);
    metadata.onRequestTimeout(ctx, 99); // a stale timer does nothing
    metadata.onRequestTimeout(ctx, 1);
    expect(requests()).toEqual([
      { to: 10, requestId: 1 },
      { to: 11, requestId: 2 },
    ]);
    expect(stats.metadataRequests).toBe(2);
  });

  it('takes leaders only from the answer it waits for, and asks again soon while one is missing', () => {
    const { metadata, ctx } = setUp(0);
    metadata.start(ctx);
    expect(metadata.handleResponse(ctx, { type: 'metadata-response', requestId: 7, leaders: [1, 2] })).toBe(false);
    expect(metadata.leaderOf(0)).toBe(NO_LEADER);
    ctx.nowUs = 1000;
    expect(metadata.handleResponse(ctx, { type: 'metadata-response', requestId: 1, leaders: [1, NO_LEADER] })).toBe(true);
    expect([metadata.leaderOf(0), metadata.leaderOf(1)]).toEqual([1, NO_LEADER]);
    expect([...ctx.cancelled]).toEqual([1]);
    expect(ctx.timers.at(-1)).toMatchObject({ atUs: 1000 + BACKOFF_US, timer: { type: 'metadata-refresh' } });
  });

  it('refreshes only on the latest scheduled refresh, then every metadata.max.age.ms', () => {
    const { metadata, ctx, requests } = setUp(0);
    metadata.start(ctx);
    metadata.handleResponse(ctx, { type: 'metadata-response', requestId: 1, leaders: [0, NO_LEADER] });
    ctx.nowUs = BACKOFF_US;
    metadata.onRefresh(ctx);
    expect(requests().length).toBe(2);
    metadata.handleResponse(ctx, { type: 'metadata-response', requestId: 2, leaders: [0, 1] });
    ctx.nowUs = MAX_AGE_US; // the refresh timer set at start fires, but a later one is due
    metadata.onRefresh(ctx);
    expect(requests().length).toBe(2);
    ctx.nowUs = BACKOFF_US + MAX_AGE_US;
    metadata.onRefresh(ctx);
    expect(requests().length).toBe(3);
  });

  it('does not ask next a broker that just failed a request', () => {
    const { metadata, ctx, requests } = setUp(0);
    metadata.avoidBroker(0);
    metadata.start(ctx);
    expect(requests()[0].to).toBe(11);
    metadata.avoidBroker(1); // a request is in flight: the target stays
    metadata.onRequestTimeout(ctx, 1);
    expect(requests()[1].to).toBe(12);
  });
});

describe('producer metadata after a broker dies', () => {
  for (const seed of ['1', '2', '3', '4', '5', '6']) {
    it(`resumes on the new leader soon after request.timeout.ms (seed ${seed})`, () => {
      const r = runKafka({
        seed,
        producers: [{ name: 'p1', az: 'az2', config: { acks: 'all', 'request.timeout.ms': 10_000 }, ratePerSec: 50, keys: 1 }],
        faults: [{ atMs: 5000, kind: 'power-loss', node: 'b1' }],
        durationMs: 40_000,
      });
      const election = r.of('election').find((e) => e.previousLeader === 'b1');
      expect(election?.leader).toBeDefined();
      // The first acknowledgement from the new leader comes once the hung requests time out
      // (5 s + 10 s), plus a metadata round trip: well before a second timeout would end (25 s).
      const firstNewAckUs = r.events.find((e) => e.event.type === 'send-ok' && e.timeUs > 5_000_000)?.timeUs;
      expect(firstNewAckUs).toBeDefined();
      expect(firstNewAckUs!).toBeLessThan(17_000_000);
    });
  }
});
