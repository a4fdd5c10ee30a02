// The replica fetcher's per-partition error delay (AbstractFetcherThread.handlePartitionsWithErrors
// -> delayPartitions): a partition error delays that partition alone.
import { describe, expect, it } from 'vitest';
import { FENCED_LEADER_EPOCH } from '../messages.ts';
import { MemoryRecords } from '../storage/log-record-store.ts';
import { PartitionLog } from '../storage/partition-log.ts';
import { RecordingContext } from '../testing/recording-context.ts';
import { PROTOCOL_FEATURES } from '../version/protocol-features.ts';
import { ReplicaFetcherThread } from './replica-fetcher-thread.ts';
import type { FetcherReplicaAccess } from './fetcher-replica-access.ts';
import { FETCHING } from './partition-fetch-state.ts';

const LEADER = 0;
const FOLLOWER = 1;
const BROKER_NODE = [10, 11, 12];

/** The follower's replicas: one log for every partition, appended through the fetcher's calls. */
class FollowerReplica implements FetcherReplicaAccess {
  constructor(readonly log: PartitionLog) {}
  localLog(): PartitionLog {
    return this.log;
  }
  brokerEpoch(): number {
    return 1;
  }
  truncate(): void {}
  processPartitionData(): number {
    return 0;
  }
}

function logOf(epochs: number[]): PartitionLog {
  const log = new PartitionLog();
  epochs.forEach((epoch, id) => log.appendAsLeader({ id, epoch, producerId: -1, producerEpoch: -1, sequence: -1, batchSize: 1, appendUs: 0 }));
  return log;
}

function connectAndKick(fetcher: ReplicaFetcherThread, ctx: RecordingContext): void {
  fetcher.kick(ctx, LEADER);
  fetcher.onConnect(ctx, LEADER);
}

describe('ReplicaFetcherThread partition errors (AbstractFetcherThread.delayPartitions)', () => {
  it('an error for one partition delays it alone: the others are fetched again at once, it after replica.fetch.backoff.ms', () => {
    const setup = {
      brokerIndex: FOLLOWER,
      hostedPartitions: [0, 1],
      brokerNode: BROKER_NODE,
      partitionCount: 2,
      protocol: PROTOCOL_FEATURES.current,
      backoffUs: 1_000_000,
      connectTimeoutUs: 30_000_000,
      requestTimeoutUs: 30_000_000,
      stats: { fetchRequests: 0, epochRequests: 0 },
    };
    const fetcher = new ReplicaFetcherThread(setup, new FollowerReplica(logOf([0, 0])));
    const ctx = new RecordingContext();
    fetcher.addPartition(0, LEADER, 1, FETCHING);
    fetcher.addPartition(1, LEADER, 1, FETCHING);
    connectAndKick(fetcher, ctx);
    const first = ctx.sentOf('fetch')[0];
    expect(first.parts.map((part) => part.partition)).toEqual([0, 1]);
    ctx.clear();
    const part = (partition: number, error: string | null) => ({ partition, error, fetchOffset: 2, highWatermark: 2, logEndOffset: 2, records: MemoryRecords.EMPTY });
    fetcher.onFetchResponse(ctx, LEADER, { type: 'fetch-response', requestId: first.requestId, parts: [part(0, FENCED_LEADER_EPOCH), part(1, null)] });
    expect(ctx.pendingTimersOf('fetch-backoff')).toEqual([]);
    const second = ctx.sentOf('fetch')[0];
    expect(second.parts.map((p) => p.partition)).toEqual([1]);
    ctx.clear();
    fetcher.onFetchResponse(ctx, LEADER, { type: 'fetch-response', requestId: second.requestId, parts: [part(1, null)] });
    expect(ctx.sentOf('fetch').map((f) => f.parts.map((p) => p.partition))).toEqual([[1]]); // partition 0 still delayed
    const third = ctx.sentOf('fetch')[0];
    ctx.clear();
    ctx.nowUs = 1_000_000;
    fetcher.onFetchResponse(ctx, LEADER, { type: 'fetch-response', requestId: third.requestId, parts: [part(1, null)] });
    expect(ctx.sentOf('fetch').map((f) => f.parts.map((p) => p.partition))).toEqual([[0, 1]]);
  });
});
