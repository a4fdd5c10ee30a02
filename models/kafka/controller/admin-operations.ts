// The scenario's admin operations that the active controller carries out, as Kafka's
// ControllerApis / QuorumController do for an Admin client's request: CreatePartitions
// (ReplicationControlManager.createPartitions) and ElectLeaders with ElectionType.PREFERRED
// (KIP-460, kafka-leader-election.sh --election-type PREFERRED) and AlterPartitionReassignments
// (KIP-455, kafka-reassign-partitions.sh --execute) and UpdateFeatures (kafka-features.sh upgrade
// --metadata, FeatureControlManager). Each runs once, on the
// controller active when its time comes; with no active controller then (a quorum election under
// way), it runs on the next controller to become active, as the Admin client retries a
// NOT_CONTROLLER answer until default.api.timeout.ms.
//
// Simplification: the request reaches the controller without network latency (the admin client
// is outside the simulated network).

import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaWorld } from '../kafka-world.ts';
import type { KafkaMessage } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';
import type { ReplicationControlManager } from './replication-control-manager.ts';
import type { FeatureControlManager } from './feature-control-manager.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

export class AdminOperations {
  /** Per operation index: 1 once carried out (or not an admin operation). */
  private readonly done: Uint8Array;

  constructor(
    private readonly world: KafkaWorld,
    private readonly replication: ReplicationControlManager,
    private readonly features: FeatureControlManager,
  ) {
    const ops = world.scenario.operations;
    this.done = new Uint8Array(ops.length);
    ops.forEach((op, i) => {
      if (!this.handles(i)) this.done[i] = 1;
    });
  }

  /** Whether operation i is the controller's to carry out. */
  handles(i: number): boolean {
    const kind = this.world.scenario.operations[i].kind;
    return kind === 'create-partitions' || kind === 'preferred-leader-election' || kind === 'reassign-partitions' || kind === 'update-features';
  }

  /** Operations whose time has come but that found no active controller then. */
  runOverdue(ctx: Ctx): void {
    const ops = this.world.scenario.operations;
    for (let i = 0; i < ops.length; i++) if (this.done[i] === 0 && ops[i].atMs * 1000 <= ctx.nowUs) this.run(ctx, i);
  }

  /** Carries out operation i on the active controller (once). */
  run(ctx: Ctx, i: number): void {
    if (this.done[i] === 1 || this.replication.partitions.length === 0) return; // done, or the quorum never activated yet
    this.done[i] = 1;
    const op = this.world.scenario.operations[i];
    const layout = this.world.layout;
    if (op.kind === 'create-partitions') {
      const error = this.replication.addPartitions(ctx, layout.addedPartitions.get(i) ?? []);
      ctx.emit({ type: 'operation', operation: op.kind, subject: `${op.topic} to ${op.totalCount} partitions`, topic: op.topic, error });
    } else if (op.kind === 'preferred-leader-election') {
      // No topic: every partition, __consumer_offsets too (Admin.electLeaders with no partitions).
      let elected = 0;
      for (const info of layout.partitions) {
        if ((op.topic !== null && info.topic.name !== op.topic) || (op.partition !== null && info.partition !== op.partition)) continue;
        if (this.replication.partitions[info.index] !== undefined && this.replication.electPreferredLeader(ctx, info.index) === null) elected++;
      }
      ctx.emit({ type: 'operation', operation: op.kind, subject: `${op.topic === null ? 'every topic' : op.partition === null ? op.topic : `${op.topic}-${op.partition}`}: ${elected} leaders moved`, topic: null, error: null });
    } else if (op.kind === 'reassign-partitions') {
      const p = layout.partitionsOfTopic.get(op.topic)![op.partition];
      const subject = `${op.topic}-${op.partition} to [${layout.brokerNamesOf(op.replicas).join(', ')}]`;
      // The operation first, then what the controller committed for it (reassignment, ISR, election).
      const error = this.replication.partitions[p] === undefined ? 'UNKNOWN_TOPIC_OR_PARTITION' : null;
      ctx.emit({ type: 'operation', operation: op.kind, subject, topic: op.topic, error });
      if (error === null) this.replication.alterPartitionReassignment(ctx, p, op.replicas);
    } else if (op.kind === 'update-features') {
      const refused = this.features.updateMetadataVersion(op.metadataVersion);
      const subject = `metadata.version ${op.metadataVersion}${refused === null ? '' : `: ${refused.detail}`}`;
      ctx.emit({ type: 'operation', operation: op.kind, subject, topic: null, error: refused?.error ?? null });
      if (refused === null) ctx.emit({ type: 'version-change', software: null, protocolLevel: op.metadataVersion });
    }
  }
}
