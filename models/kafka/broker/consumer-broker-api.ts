// A broker's consumer-facing requests: FindCoordinator and Metadata (answered from the broker's
// metadata image, so a broker with stale metadata points a consumer at a stale coordinator or
// leader), consumer Fetch (served by partition leaders up to the high watermark, held until
// fetch.min.bytes is available or fetch.max.wait.ms passes, woken when the HW moves), and the
// group requests, which it hands to the broker's GroupCoordinator.
//
// Fetch follows Kafka's ReplicaManager.fetchMessages for a consumer (read_uncommitted): not the
// leader: NOT_LEADER_OR_FOLLOWER; in the 'current' era a stale or future current leader epoch is
// fenced (KIP-320: FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH); an offset below the log start
// offset or above the log end offset: OFFSET_OUT_OF_RANGE; records end at the high watermark.
//
// Simplifications: sizes are record counts times the largest producer record size; one parked
// fetch per consumer node; consumers never fetch from followers (no KIP-392).

import type { NodeContext } from '../../../src/sim/model.ts';
import type { Broker } from './broker.ts';
import type { CoordinatorReplicaAccess } from '../group/coordinator-replica-access.ts';
import { GroupCoordinator } from '../group/group-coordinator.ts';
import {
  EARLIEST_OFFSET,
  FENCED_LEADER_EPOCH,
  LATEST_OFFSET,
  NOT_LEADER_OR_FOLLOWER,
  OFFSET_OUT_OF_RANGE,
  UNKNOWN_LEADER_EPOCH,
  type ConsumerFetchPartitionData,
  type ConsumerFetchRequest,
  type KafkaMessage,
} from '../messages.ts';
import { NO_LEADER } from '../controller/metadata-image.ts';
import type { LogRecord } from '../storage/partition-log.ts';
import type { KafkaTimer } from '../timers.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

interface ParkedFetch {
  from: number;
  req: ConsumerFetchRequest;
  timerId: number;
}

const EMPTY_RECORDS: LogRecord[] = [];

export class ConsumerBrokerApi {
  readonly coordinator: GroupCoordinator;
  private parked: ParkedFetch[] = [];

  constructor(private readonly broker: Broker) {
    const replicas: CoordinatorReplicaAccess = {
      leads: (p) => broker.leaders[p] !== null && !broker.stopped,
      leaderEpochOf: (p) => broker.leaders[p]?.leaderEpoch ?? -1,
      isrSizeOf: (p) => broker.leaders[p]?.isr.length ?? 0,
      localLog: (p) => broker.logs[p]!,
      appendAsLeader: (ctx, p, ids) => broker.appendAsLeader(ctx, p, broker.leaders[p]!, ids, -1, -1, -1),
      maybeAdvanceHighWatermark: (ctx, p) => broker.maybeAdvanceHighWatermark(ctx, p),
    };
    this.coordinator = new GroupCoordinator(broker.world, replicas);
  }

  onStart(ctx: Ctx): void {
    this.parked = [];
    this.coordinator.onStart(ctx);
  }

  /** Handles a consumer-side message; false when the message is not one. */
  onMessage(ctx: Ctx, from: number, msg: KafkaMessage): boolean {
    switch (msg.type) {
      case 'find-coordinator': {
        const image = this.broker.image;
        const p = this.coordinator.offsetsPartitionOf(msg.group);
        const coordinator = image === null ? NO_LEADER : image.partitions[p].leader;
        ctx.send(from, { type: 'find-coordinator-response', requestId: msg.requestId, coordinator });
        return true;
      }
      case 'consumer-metadata': {
        const image = this.broker.image;
        const n = msg.partitions.length;
        const leaders = new Array<number>(n);
        const leaderEpochs = new Array<number>(n);
        for (let i = 0; i < n; i++) {
          const m = image === null ? undefined : image.partitions[msg.partitions[i]];
          leaders[i] = m === undefined ? NO_LEADER : m.leader;
          leaderEpochs[i] = m === undefined ? -1 : m.leaderEpoch;
        }
        ctx.send(from, { type: 'consumer-metadata-response', requestId: msg.requestId, leaders, leaderEpochs });
        return true;
      }
      case 'consumer-fetch':
        this.onFetch(ctx, from, msg);
        return true;
      case 'join-group':
        this.coordinator.onJoinGroup(ctx, from, msg);
        return true;
      case 'sync-group':
        this.coordinator.onSyncGroup(ctx, from, msg);
        return true;
      case 'heartbeat':
        this.coordinator.onHeartbeat(ctx, from, msg);
        return true;
      case 'leave-group':
        this.coordinator.onLeaveGroup(ctx, msg);
        return true;
      case 'offset-commit':
        this.coordinator.onOffsetCommit(ctx, from, msg);
        return true;
      case 'offset-fetch':
        this.coordinator.onOffsetFetch(ctx, from, msg);
        return true;
      default:
        return false;
    }
  }

  /** Handles a consumer-side timer; false when the timer is not one. */
  onTimer(ctx: Ctx, timer: KafkaTimer): boolean {
    switch (timer.type) {
      case 'group-tick':
        this.coordinator.onTick(ctx);
        return true;
      case 'offsets-append-timeout':
        this.coordinator.onAppendTimeout(ctx, timer.key);
        return true;
      case 'consumer-fetch-wait': {
        const i = this.parked.findIndex((f) => f.req.requestId === timer.requestId);
        if (i >= 0) this.respond(ctx, this.parked.splice(i, 1)[0]);
        return true;
      }
      default:
        return false;
    }
  }

  /** The leader's HW of `partition` moved: wake parked fetches for it, complete offset appends. */
  onHighWatermark(ctx: Ctx, partition: number, hw: number): void {
    if (this.broker.world.layout.partitions[partition].internal) this.coordinator.onHighWatermark(ctx, partition, hw);
    if (this.parked.length === 0) return;
    let kept = 0;
    const ready: ParkedFetch[] = [];
    for (const f of this.parked) {
      let wants = false;
      for (const part of f.req.parts) if (part.partition === partition) wants = true;
      if (wants && this.availableBytes(f.req) >= f.req.minBytes) ready.push(f);
      else this.parked[kept++] = f;
    }
    this.parked.length = kept;
    for (const f of ready) {
      ctx.cancelTimer(f.timerId);
      this.respond(ctx, f);
    }
  }

  private onFetch(ctx: Ctx, from: number, req: ConsumerFetchRequest): void {
    for (let i = 0; i < this.parked.length; i++)
      if (this.parked[i].from === from) {
        ctx.cancelTimer(this.parked[i].timerId);
        this.parked.splice(i, 1);
        break;
      }
    const f: ParkedFetch = { from, req, timerId: -1 };
    let error = false;
    for (const part of req.parts) if (this.partError(part.partition, part.fetchOffset, part.currentLeaderEpoch) !== null) error = true;
    if (error || req.maxWaitUs === 0 || this.availableBytes(req) >= req.minBytes) return this.respond(ctx, f);
    f.timerId = ctx.setTimer(req.maxWaitUs, { type: 'consumer-fetch-wait', requestId: req.requestId });
    this.parked.push(f);
  }

  private resolveOffset(partition: number, fetchOffset: number): number {
    const log = this.broker.logs[partition]!;
    if (fetchOffset === EARLIEST_OFFSET) return log.logStartOffset;
    if (fetchOffset === LATEST_OFFSET) return log.highWatermark;
    return fetchOffset;
  }

  private partError(partition: number, fetchOffset: number, currentLeaderEpoch: number): string | null {
    const ls = this.broker.leaders[partition];
    if (ls === null) return NOT_LEADER_OR_FOLLOWER;
    if (this.broker.world.protocol.fetchCarriesLeaderEpoch && currentLeaderEpoch >= 0) {
      if (currentLeaderEpoch < ls.leaderEpoch) return FENCED_LEADER_EPOCH;
      if (currentLeaderEpoch > ls.leaderEpoch) return UNKNOWN_LEADER_EPOCH;
    }
    const log = this.broker.logs[partition]!;
    const offset = this.resolveOffset(partition, fetchOffset);
    if (offset < log.logStartOffset || offset > log.logEndOffset) return OFFSET_OUT_OF_RANGE;
    return null;
  }

  private availableBytes(req: ConsumerFetchRequest): number {
    let records = 0;
    for (const part of req.parts) {
      if (this.partError(part.partition, part.fetchOffset, part.currentLeaderEpoch) !== null) continue;
      const log = this.broker.logs[part.partition]!;
      const from = this.resolveOffset(part.partition, part.fetchOffset);
      if (log.highWatermark > from) records += Math.min(log.highWatermark - from, req.maxRecordsPerPartition);
    }
    return records * this.broker.world.maxRecordBytes;
  }

  private respond(ctx: Ctx, f: ParkedFetch): void {
    const req = f.req;
    const parts = new Array<ConsumerFetchPartitionData>(req.parts.length);
    for (let i = 0; i < req.parts.length; i++) {
      const part = req.parts[i];
      const p = part.partition;
      const error = this.partError(p, part.fetchOffset, part.currentLeaderEpoch);
      const log = this.broker.logs[p];
      const offset = error === null ? this.resolveOffset(p, part.fetchOffset) : part.fetchOffset;
      const end = error === null ? Math.min(log!.highWatermark, offset + req.maxRecordsPerPartition) : offset;
      parts[i] = {
        partition: p,
        error,
        fetchOffset: offset,
        highWatermark: log === null ? -1 : log.highWatermark,
        logStartOffset: log === null ? -1 : log.logStartOffset,
        records: end > offset ? log!.records.slice(offset, end) : EMPTY_RECORDS,
      };
    }
    this.broker.world.stats.consumerFetchRequests++;
    ctx.send(f.from, { type: 'consumer-fetch-response', requestId: req.requestId, parts });
  }
}
