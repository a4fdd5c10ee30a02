// A KRaft broker's start-up as BrokerServer.startup runs it (3.3-3.9): the broker registers, and
// its lifecycle manager (BrokerLifecycleManager, STARTING) heartbeats until the active controller
// says it has caught up with the metadata log up to its own registration (initialCatchUpFuture);
// only then is the metadata published to its ReplicaManager (ksim's MetadataCache takes no image
// of an older incarnation, so the first one it takes is that one). Caught up (RECOVERY), it tells
// the controller it is ready to be unfenced (setReadyToUnfence: wantFence=false, heartbeat sent at
// once, scheduleNextCommunicationImmediately), and the controller unfences it
// (BrokerHeartbeatManager: a fenced broker asking not to be fenced, caught up with its
// registration). When it serves clients and other brokers depends on the release:
// - 3.3-3.4: its port is open from the start, but SocketServer.enableRequestProcessing comes only
//   after the initial catch-up and the first publish, so what arrives before waits unread in the
//   socket, then is read in order (it is fenced then, and leads nothing).
// - 3.5 on (KAFKA-14658, "Do not open broker ports until we are ready to accept traffic"): the
//   ports open only after the broker is unfenced (waitWithLogging "the broker to be unfenced",
//   then enableRequestProcessing): until then a connection is refused.
// Either way no request is answered from an empty or stale image. The first start, at the run's
// start, is the cluster as it stands when the run begins (as the controller quorum, formed at
// start): it serves at once, so clients starting with it are not refused.

import type { NodeContext } from '../../../src/sim/model.ts';
import type { MetadataImage } from '../controller/metadata-image.ts';
import type { KafkaMessage } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';
import { releaseOf, type KafkaVersion } from '../version/kafka-versions.ts';
import { compareReleases } from '../version/protocol-features.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** Answers to the broker's own requests, on its own connections: never held. */
const OWN_CONNECTION_MESSAGES = new Set<KafkaMessage['type']>([
  'metadata-update',
  'broker-heartbeat-response',
  'fetch-response',
  'offsets-for-leader-epoch-response',
  'alter-partition-response',
  'controlled-shutdown-response',
]);

/** A request that came before request processing was enabled, and the connection it came on. */
interface HeldRequest {
  from: number;
  msg: KafkaMessage;
  connection: number;
}

export class KraftBrokerStartup {
  /** Caught up with the metadata (RECOVERY or RUNNING), and unfenced (RUNNING). */
  private caughtUp = false;
  private unfenced = false;
  private portsOpenWhenUnfenced = false;
  private readonly held: HeldRequest[] = [];

  constructor(
    private readonly brokerIndex: number,
    private readonly broker: { readonly incarnation: number },
    /** Heartbeats the controllers now (the lifecycle manager's next communication, at once). */
    private readonly heartbeatNow: (ctx: Ctx) => void,
    /** Handles a request as if it had just come (request processing enabled). */
    private readonly dispatch: (ctx: Ctx, from: number, msg: KafkaMessage, connection: number) => void,
  ) {}

  /**
   * Process start, running `software`: STARTING (the first start: RUNNING). Returns whether the
   * broker listens now (before KAFKA-14658, 3.5, its ports open at once).
   */
  begin(software: KafkaVersion): boolean {
    const first = this.broker.incarnation === 1;
    this.caughtUp = first;
    this.unfenced = first;
    this.held.length = 0;
    this.portsOpenWhenUnfenced = compareReleases(releaseOf(software), '3.5.0') >= 0;
    return first || !this.portsOpenWhenUnfenced;
  }

  /** Request processing is enabled (3.3-3.4: once caught up; 3.5 on: once unfenced, as the ports open). */
  private get processing(): boolean {
    return this.portsOpenWhenUnfenced ? this.unfenced : this.caughtUp;
  }

  /** A message came: true when it is a request that must wait until request processing is enabled (held). */
  holds(from: number, msg: KafkaMessage, connection: number): boolean {
    if (this.processing || OWN_CONNECTION_MESSAGES.has(msg.type)) return false;
    this.held.push({ from, msg, connection });
    return true;
  }

  /** The broker published a metadata image of its own incarnation. */
  onImagePublished(ctx: Ctx, image: MetadataImage): void {
    const b = this.brokerIndex;
    if (!this.caughtUp) {
      this.caughtUp = true; // initialCatchUpFuture: RECOVERY, ready to unfence
      this.heartbeatNow(ctx);
    }
    if (!this.unfenced && !image.fenced[b] && image.incarnations[b] === this.broker.incarnation) {
      this.unfenced = true; // initialUnfenceFuture: RUNNING
      if (this.portsOpenWhenUnfenced) ctx.setListening(true);
    }
    this.release(ctx);
  }

  /** Request processing enabled: what waited in the sockets is read, in the order it came. */
  private release(ctx: Ctx): void {
    if (!this.processing) return;
    for (const r of this.held.splice(0)) this.dispatch(ctx, r.from, r.msg, r.connection);
  }
}
