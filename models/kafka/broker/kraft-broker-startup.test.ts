// A KRaft broker serves nothing before BrokerServer.startup has caught up with the metadata: 3.3
// and 3.4 read what came once caught up (enableRequestProcessing after initialCatchUpFuture); from
// 3.5 (KAFKA-14658) its ports open only once it is unfenced. Before, ksim answered a metadata
// request at once from the empty image: every partition offline.
import { describe, expect, it } from 'vitest';
import type { MetadataImage } from '../controller/metadata-image.ts';
import { NO_LEADER } from '../controller/metadata-image.ts';
import type { KafkaMessage } from '../messages.ts';
import { RecordingContext } from '../testing/recording-context.ts';
import { testWorld } from '../testing/test-world.ts';
import type { KafkaVersion } from '../version/kafka-versions.ts';
import { Broker } from './broker.ts';
import { RollingRestartOperator } from './rolling-restart.ts';

const PRODUCER_NODE = 99;
const METADATA_REQUEST: KafkaMessage = { type: 'metadata-request', requestId: 1, topic: 'orders' };

/** Broker b2 (index 1) just restarted (incarnation 2; the first start stands for the cluster as the run finds it) on `kafkaVersion`. */
function startedBroker(kafkaVersion: KafkaVersion) {
  const world = testWorld({ kafkaVersion, durationMs: 60_000 });
  const broker = new Broker(world, 1, new RollingRestartOperator(world));
  const ctx = new RecordingContext(world.layout.brokerNode[1]);
  broker.onStart(ctx);
  broker.onDown(ctx, { kind: 'crash', wasUp: true });
  broker.onStart(ctx);
  /** The controller's image: b2 registered (incarnation 2), fenced or not; orders-0 led by b1. */
  const image = (version: number, b2Fenced: boolean): MetadataImage => ({
    version,
    partitions: [{ leader: 0, leaderEpoch: 1, partitionEpoch: 1, isr: [0, 2], replicas: [0, 1, 2] } as unknown as MetadataImage['partitions'][number]],
    fenced: [false, b2Fenced, false],
    shuttingDown: [false, false, false],
    incarnations: [1, 2, 1],
  });
  const c1 = world.layout.controllerNode[0];
  const push = (img: MetadataImage) => broker.onMessage(ctx, c1, { type: 'metadata-update', image: img });
  /** The active controller answers the heartbeat in flight to it with img. */
  const answer = (img: MetadataImage) => {
    const requestId = ctx.sent.filter((s) => s.to === c1 && s.msg.type === 'broker-heartbeat').map((s) => (s.msg as { requestId: number }).requestId).at(-1)!;
    broker.onMessage(ctx, c1, { type: 'broker-heartbeat-response', requestId, error: null, image: img });
  };
  return { broker, ctx, image, push, answer };
}

describe('KRaft broker start-up (BrokerServer.startup)', () => {
  it('3.4: the port is open, but a request waits until the broker has caught up, then is answered from the new image', () => {
    const { broker, ctx, image, push } = startedBroker('3.4');
    expect(ctx.listening).toBe(true);
    broker.onMessage(ctx, PRODUCER_NODE, METADATA_REQUEST);
    expect(ctx.sentOf('metadata-response')).toEqual([]);
    push(image(5, true)); // caught up, still fenced: request processing is enabled
    const answers = ctx.sentOf('metadata-response');
    expect(answers).toHaveLength(1);
    expect(answers[0].leaders[0]).toBe(0);
    expect(answers[0].leaders[0]).not.toBe(NO_LEADER);
  });

  it('3.5 on (KAFKA-14658): no port open until unfenced; caught up, it asks the controller to unfence it at once', () => {
    const { ctx, image, push, answer } = startedBroker('3.7');
    expect(ctx.listening).toBe(false);
    const heartbeats = ctx.sentOf('broker-heartbeat').length;
    answer(image(5, true));
    expect(ctx.listening).toBe(false);
    expect(ctx.sentOf('broker-heartbeat').length).toBeGreaterThan(heartbeats); // wantFence=false, sent at once
    push(image(6, false));
    expect(ctx.listening).toBe(true);
  });

  it('a broker of an older incarnation in the image is not caught up: still nothing served', () => {
    const { broker, ctx, image, push } = startedBroker('3.4');
    push({ ...image(5, false), incarnations: [1, 1, 1] });
    broker.onMessage(ctx, PRODUCER_NODE, METADATA_REQUEST);
    expect(ctx.sentOf('metadata-response')).toEqual([]);
  });
});
