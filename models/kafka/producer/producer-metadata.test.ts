// ProducerMetadata on its own (where a request goes, when it is repeated, which answers count),
// then in a cluster: the producer's recovery after its partition leader dies. A powered-off broker
// answers nothing: requests to it hang until request.timeout.ms (as with the Java client); the
// metadata refresh that follows must reach a live broker, so the producer resumes on the new
// leader at once instead of waiting out a second request.timeout.ms.
import { describe, expect, it } from 'vitest';
import { SeededChoices } from '../../../src/sim/seeded-choices.ts';
import { NO_LEADER } from '../controller/metadata-image.ts';
import { runKafka } from '../testing/kafka-test-cluster.ts';
import { RecordingContext } from '../testing/recording-context.ts';
import { NetworkClient } from './network-client.ts';
import { ProducerMetadata } from './producer-metadata.ts';

const BROKER_NODES = [10, 11, 12];
const MAX_AGE_US = 300_000_000;
const BACKOFF_US = 100_000;
const TIMEOUT_US = 30_000_000;
const CONNECTIONS = { 'reconnect.backoff.ms': 50, 'reconnect.backoff.max.ms': 1000, 'socket.connection.setup.timeout.ms': 10_000, 'socket.connection.setup.timeout.max.ms': 30_000 };

function setUp(ignoresOlderLeaderEpochs = true) {
  const network = new NetworkClient(BROKER_NODES, CONNECTIONS, new SeededChoices('1').stream('test'));
  const stats = { metadataRequests: 0 };
  const config = { topic: 'orders', partitionCount: 2, initialPartitionCount: 2, maxAgeUs: MAX_AGE_US, retryBackoffUs: BACKOFF_US, requestTimeoutUs: TIMEOUT_US, ignoresOlderLeaderEpochs };
  const metadata = new ProducerMetadata(config, network, stats);
  const ctx = new RecordingContext();
  const requests = () => ctx.sent.flatMap((s) => (s.msg.type === 'metadata-request' ? [{ to: s.to, requestId: s.msg.requestId }] : []));
  /** Brings up the connection to each broker. */
  const connect = (...brokers: number[]) =>
    brokers.forEach((b) => {
      network.ready(ctx, b);
      network.onConnect(ctx, b);
    });
  return { network, stats, metadata, ctx, requests, connect };
}

describe('ProducerMetadata', () => {
  it('asks a connected broker with no request in flight, not one whose produce requests hang', () => {
    const { network, metadata, ctx, requests, connect } = setUp();
    connect(0, 1, 2);
    network.add(ctx, network.newCorrelationId(), { broker: 0, batches: [], deadlineUs: TIMEOUT_US });
    network.add(ctx, network.newCorrelationId(), { broker: 1, batches: [], deadlineUs: TIMEOUT_US });
    ctx.clear();
    metadata.start(ctx);
    expect(requests().map((r) => r.to)).toEqual([12]);
    expect(ctx.timers.map((t) => [t.timer.type, t.atUs])).toEqual([
      ['metadata-timeout', TIMEOUT_US],
      ['metadata-refresh', MAX_AGE_US],
    ]);
  });

  it('keeps one request in flight; when its connection is lost it asks a broker not in its reconnect backoff', () => {
    const { network, metadata, ctx, requests, stats, connect } = setUp();
    connect(0, 1, 2);
    metadata.start(ctx);
    metadata.requestUpdate(ctx);
    const [first] = requests();
    expect(requests()).toHaveLength(1);
    const broker = BROKER_NODES.indexOf(first.to);
    expect(metadata.brokerAwaited(first.requestId)).toBe(broker);
    expect(metadata.brokerAwaited(99)).toBe(-1); // a stale timer finds nothing
    network.disconnected(ctx, broker);
    metadata.handleServerDisconnect(ctx, broker);
    expect(requests()).toHaveLength(2);
    expect(requests()[1].to).not.toBe(first.to);
    const firstTimeout = ctx.timers.find((t) => t.timer.type === 'metadata-timeout')!;
    expect(ctx.cancelled.has(firstTimeout.id)).toBe(true); // the lost request's timeout
    expect(stats.metadataRequests).toBe(2);
  });

  it('with every broker in its reconnect backoff, asks again when the first comes out of it', () => {
    const { network, metadata, ctx, requests } = setUp();
    for (let b = 0; b < 3; b++) {
      network.ready(ctx, b);
      network.disconnected(ctx, b);
    }
    ctx.clear();
    metadata.requestUpdate(ctx);
    expect(requests()).toEqual([]);
    const [refresh] = ctx.timers.filter((t) => t.timer.type === 'metadata-refresh');
    expect(refresh.atUs).toBe(network.nextConnectableUs(0));
    ctx.nowUs = refresh.atUs;
    metadata.onRefresh(ctx);
    expect(requests()).toHaveLength(1);
  });

  it('takes leaders only from the answer it waits for, and asks again soon while one is missing', () => {
    const { metadata, ctx, requests } = setUp();
    metadata.start(ctx);
    const requestId = requests()[0].requestId;
    expect(metadata.handleResponse(ctx, { type: 'metadata-response', requestId: 77, leaders: [1, 2], leaderEpochs: [] })).toBe(false);
    expect(metadata.leaderOf(0)).toBe(NO_LEADER);
    ctx.nowUs = 1000;
    expect(metadata.handleResponse(ctx, { type: 'metadata-response', requestId, leaders: [1, NO_LEADER], leaderEpochs: [] })).toBe(true);
    expect([metadata.leaderOf(0), metadata.leaderOf(1)]).toEqual([1, NO_LEADER]);
    expect(ctx.timers.at(-1)).toMatchObject({ atUs: 1000 + BACKOFF_US, timer: { type: 'metadata-refresh' } });
  });

  it('Kafka 2.2+ (KAFKA-7738): a response with an older leader epoch than the last seen keeps the cached leader; before, it replaces it', () => {
    for (const [refuses, expected] of [
      [true, [2, 1]],
      [false, [0, 1]],
    ] as const) {
      const { metadata, ctx, requests } = setUp(refuses);
      metadata.start(ctx);
      metadata.handleResponse(ctx, { type: 'metadata-response', requestId: requests()[0].requestId, leaders: [2, 1], leaderEpochs: [3, 0] });
      metadata.requestUpdate(ctx);
      // a zombie: its metadata still names itself leader of partition 0 in epoch 0
      metadata.handleResponse(ctx, { type: 'metadata-response', requestId: requests()[1].requestId, leaders: [0, 1], leaderEpochs: [0, 0] });
      expect([metadata.leaderOf(0), metadata.leaderOf(1)]).toEqual(expected);
    }
  });

  it('refreshes only on the latest scheduled refresh, then every metadata.max.age.ms', () => {
    const { metadata, ctx, requests } = setUp();
    metadata.start(ctx);
    metadata.handleResponse(ctx, { type: 'metadata-response', requestId: requests()[0].requestId, leaders: [0, NO_LEADER], leaderEpochs: [] });
    ctx.nowUs = BACKOFF_US;
    metadata.onRefresh(ctx);
    expect(requests().length).toBe(2);
    metadata.handleResponse(ctx, { type: 'metadata-response', requestId: requests()[1].requestId, leaders: [0, 1], leaderEpochs: [] });
    ctx.nowUs = MAX_AGE_US; // the refresh timer set at start fires, but a later one is due
    metadata.onRefresh(ctx);
    expect(requests().length).toBe(2);
    ctx.nowUs = BACKOFF_US + MAX_AGE_US;
    metadata.onRefresh(ctx);
    expect(requests().length).toBe(3);
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
