// Kafka's KafkaApis: routes each request a broker receives to the part that handles it:
// metadata pushes to the MetadataCache and ReplicaManager, produce and fetch to the
// ReplicaManager, fetcher responses to the ReplicaFetcherThread, controller answers to the
// AlterPartition and lifecycle managers, group requests to the GroupCoordinator. Metadata and
// FindCoordinator are answered from the broker's metadata image, so a broker with stale metadata
// points clients at a stale leader or coordinator.

import type { NodeContext } from '../../../src/sim/model.ts';
import type { ClusterLayout } from '../cluster-layout.ts';
import type { GroupCoordinator } from '../group/group-coordinator.ts';
import { NO_LEADER, NOT_CREATED } from '../controller/metadata-image.ts';
import type { ConsumerMetadataRequest, KafkaMessage, MetadataRequest } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';
import type { BrokerLifecycleManager } from './broker-lifecycle-manager.ts';
import type { MetadataCache } from './metadata-cache.ts';
import type { ReplicaManager } from './replica-manager.ts';
import type { KafkaVersion } from '../version/kafka-versions.ts';
import type { MetadataImage } from '../controller/metadata-image.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

export class KafkaApis {
  constructor(
    private readonly layout: ClusterLayout,
    private readonly broker: {
      readonly incarnation: number;
      replayMetadataVersion(ctx: Ctx, level: KafkaVersion): void;
      readonly kraftStartup: { onImagePublished(ctx: Ctx, image: MetadataImage): void } | null;
    },
    private readonly metadataCache: MetadataCache,
    private readonly replicaManager: ReplicaManager,
    private readonly lifecycle: BrokerLifecycleManager,
    /** null when the run has no consumer groups. */
    private readonly groupCoordinator: GroupCoordinator | null,
  ) {}

  /** Routes msg from `from`; `connection` is the client connection a produce came on (its DelayedProduce unmutes it). */
  handle(ctx: Ctx, from: number, msg: KafkaMessage, connection = -1): void {
    const rm = this.replicaManager;
    switch (msg.type) {
      case 'metadata-update':
        return this.applyImage(ctx, msg.image);
      case 'broker-heartbeat-response':
        if (!this.lifecycle.onHeartbeatResponse(ctx, this.layout.indexOfNode[from], msg)) return;
        rm.onHeartbeatAnswer(ctx, msg.error === null);
        return msg.image === null ? undefined : this.applyImage(ctx, msg.image);
      case 'produce':
        return rm.produceAppends.start(ctx, from, msg, connection);
      case 'fetch': {
        const served = rm.delayedFetch.openFetchSession(ctx, msg);
        return served === null ? undefined : rm.fetchMessages(ctx, served);
      }
      case 'fetch-response':
        return rm.fetcher.onFetchResponse(ctx, this.layout.indexOfNode[from], msg);
      case 'offsets-for-leader-epoch':
        return rm.fetchOffsetForLeaderEpoch(ctx, from, msg);
      case 'offsets-for-leader-epoch-response':
        return rm.fetcher.onEpochResponse(ctx, msg);
      case 'metadata-request':
        return this.handleTopicMetadataRequest(ctx, from, msg);
      case 'alter-partition-response':
        return rm.handleAlterPartitionResponse(ctx, this.layout.indexOfNode[from], msg);
      case 'controlled-shutdown-response':
        return this.lifecycle.onControlledShutdownResponse(ctx);
      default:
        return this.handleConsumerRequest(ctx, from, msg);
    }
  }

  private handleConsumerRequest(ctx: Ctx, from: number, msg: KafkaMessage): void {
    const gc = this.groupCoordinator;
    if (gc === null) throw new Error(`broker got message ${msg.type}`);
    switch (msg.type) {
      case 'find-coordinator':
        ctx.reply(from, { type: 'find-coordinator-response', requestId: msg.requestId, coordinator: this.metadataCache.leaderOf(gc.offsetsPartitionOf(msg.group)) });
        return;
      case 'consumer-metadata':
        return this.handleConsumerMetadataRequest(ctx, from, msg);
      case 'consumer-fetch':
        return this.replicaManager.delayedFetch.fetchForConsumer(ctx, from, msg);
      case 'join-group':
        return gc.onJoinGroup(ctx, from, msg);
      case 'sync-group':
        return gc.onSyncGroup(ctx, from, msg);
      case 'heartbeat':
        return gc.onHeartbeat(ctx, from, msg);
      case 'leave-group':
        return gc.onLeaveGroup(ctx, msg);
      case 'offset-commit':
        return gc.onOffsetCommit(ctx, from, msg);
      case 'offset-fetch':
        return gc.onOffsetFetch(ctx, from, msg);
      default:
        throw new Error(`broker got message ${msg.type}`);
    }
  }

  private handleTopicMetadataRequest(ctx: Ctx, from: number, msg: MetadataRequest): void {
    const parts = this.layout.partitionsOfTopic.get(msg.topic) ?? [];
    // Only the partitions this broker's metadata has created (create-partitions adds the rest).
    const count = this.metadataCache.createdCount(parts, (p) => this.layout.partitions[p].addedBy < 0);
    const leaders = new Array<number>(count);
    const leaderEpochs = new Array<number>(count);
    const image = this.metadataCache.image;
    for (let i = 0; i < count; i++) {
      leaders[i] = this.metadataCache.leaderOf(parts[i]);
      leaderEpochs[i] = image?.partitions[parts[i]]?.leaderEpoch ?? -1;
    }
    ctx.reply(from, { type: 'metadata-response', requestId: msg.requestId, leaders, leaderEpochs });
  }

  private handleConsumerMetadataRequest(ctx: Ctx, from: number, msg: ConsumerMetadataRequest): void {
    const image = this.metadataCache.image;
    const n = msg.partitions.length;
    const leaders = new Array<number>(n);
    const leaderEpochs = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const m = image === null ? undefined : image.partitions[msg.partitions[i]];
      const initial = this.layout.partitions[msg.partitions[i]].addedBy < 0;
      leaders[i] = m !== undefined ? m.leader : image === null && initial ? NO_LEADER : NOT_CREATED;
      leaderEpochs[i] = m === undefined ? -1 : m.leaderEpoch;
    }
    ctx.reply(from, { type: 'consumer-metadata-response', requestId: msg.requestId, leaders, leaderEpochs });
  }

  /** A newer image: cached, then applied to the replicas; a finalized metadata.version (FeatureLevelRecord) is spoken from now. */
  private applyImage(ctx: Ctx, image: MetadataImage): void {
    if (!this.metadataCache.update(image, this.broker.incarnation)) return;
    if (image.finalizedMetadataVersion !== undefined) this.broker.replayMetadataVersion(ctx, image.finalizedMetadataVersion);
    this.replicaManager.applyDelta(ctx, image, this.broker.incarnation);
    this.broker.kraftStartup?.onImagePublished(ctx, image);
  }
}
