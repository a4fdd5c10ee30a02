import { describe, expect, it } from 'vitest';
import type { FetcherFailedEvent } from '../kafka-events.ts';
import type { FetchPartitionData } from '../messages.ts';
import { MemoryRecords } from '../storage/log-record-store.ts';
import { PartitionLog } from '../storage/partition-log.ts';
import { RecordingContext } from '../testing/recording-context.ts';
import { featuresOfVersion, type KafkaVersion } from '../version/kafka-versions.ts';
import { FetcherAppendFailure } from './fetcher-append-failure.ts';
import type { FetcherReplicaAccess } from './fetcher-replica-access.ts';
import { FETCHING } from './partition-fetch-state.ts';
import { ReplicaFetcherThread } from './replica-fetcher-thread.ts';

const LEADER = 0;
const BROKER_NODE = [10, 11];
const rec = (id: number, batchSize: number) => ({ id, epoch: 0, producerId: -1, producerEpoch: -1, sequence: -1, batchSize, appendUs: 0 });

/** Two partitions the follower (broker 1) fetches from broker 0, each log holding two records. */
function follower(version: KafkaVersion) {
  const logs = [new PartitionLog(), new PartitionLog()];
  for (const log of logs) [rec(0, 1), rec(1, 1)].forEach((r) => log.appendAsLeader(r));
  const replicas: FetcherReplicaAccess = {
    localLog: (p) => logs[p],
    brokerEpoch: () => 1,
    truncate: () => {},
    processPartitionData: (_ctx, p, fetchOffset, records) => (logs[p].appendAsFollower(fetchOffset, records, 0, records.length, 0), 0),
  };
  const protocol = featuresOfVersion(version);
  const setup = { brokerIndex: 1, hostedPartitions: [0, 1], brokerNode: BROKER_NODE, partitionCount: 2, protocol, backoffUs: 1000, connectTimeoutUs: 30_000_000, requestTimeoutUs: 30_000_000, stats: { fetchRequests: 0, epochRequests: 0 } };
  const fetcher = new ReplicaFetcherThread(setup, replicas);
  fetcher.appendFailure = new FetcherAppendFailure(['t-0', 't-1'], ['b0', 'b1'], () => protocol.fetcherFailsPartitionAlone);
  const ctx = new RecordingContext();
  for (const p of [0, 1]) fetcher.addPartition(p, LEADER, 1, FETCHING);
  fetcher.kick(ctx, LEADER);
  fetcher.onConnect(ctx, LEADER);
  return { logs, fetcher, ctx };
}

/** The leader answers the last fetch: partition 0 with a batch of three records at `base` (2 for the follower's LEO), partition 1 with one record. */
function answer(f: ReturnType<typeof follower>, base: number): void {
  const req = f.ctx.sentOf('fetch').at(-1)!;
  const batch = base === 2 ? MemoryRecords.of([rec(12, 1)]) : MemoryRecords.of([rec(11, 3), rec(12, 0), rec(13, 0)]);
  const p0: FetchPartitionData = { partition: 0, error: null, fetchOffset: 2, highWatermark: 0, logEndOffset: 4, records: batch };
  if (base < 2) p0.recordsBaseOffset = base;
  const p1: FetchPartitionData = { partition: 1, error: null, fetchOffset: 2, highWatermark: 0, logEndOffset: 3, records: MemoryRecords.of([rec(20, 1)]) };
  f.ctx.clear();
  f.fetcher.onFetchResponse(f.ctx, LEADER, { type: 'fetch-response', requestId: req.requestId, parts: [p0, p1] });
}

describe('a follower handed a batch that starts below its log end offset', () => {
  it('before KIP-461 (2.2) its fetcher thread ends: no partition from that leader replicates any more', () => {
    const f = follower('2.2');
    answer(f, 1);
    expect(f.ctx.eventsOf('fetcher-failed')).toEqual([{ type: 'fetcher-failed', partition: 't-0', leader: 'b0', fetchOffset: 2, batchBaseOffset: 1, stopped: ['t-0', 't-1'] }]);
    expect(f.logs.map((l) => l.logEndOffset)).toEqual([2, 2]); // the rest of the response is not handled
    f.fetcher.kick(f.ctx, LEADER);
    expect(f.ctx.sentOf('fetch')).toEqual([]);
    // the thread goes once no partition is left on it; the next one fetches
    f.fetcher.removePartition(0);
    f.fetcher.removePartition(1);
    f.fetcher.addPartition(1, LEADER, 2, FETCHING);
    f.fetcher.kick(f.ctx, LEADER);
    expect(f.ctx.sentOf('fetch').map((r) => r.parts.map((x) => x.partition))).toEqual([[1]]);
  });

  it('from KIP-461 (2.3) that partition alone leaves the fetcher; the others replicate on', () => {
    const f = follower('2.3');
    answer(f, 1);
    expect(f.ctx.eventsOf('fetcher-failed').map((e) => (e as unknown as FetcherFailedEvent).stopped)).toEqual([['t-0']]);
    expect(f.fetcher.fetchState(0)).toBeNull();
    expect(f.logs.map((l) => l.logEndOffset)).toEqual([2, 3]);
    f.fetcher.kick(f.ctx, LEADER);
    expect(f.ctx.sentOf('fetch').map((r) => r.parts.map((x) => x.partition))).toEqual([[1]]);
  });

  it('decoy: a response starting at the fetch offset is appended, whatever the version', () => {
    for (const version of ['2.2', '2.3'] as const) {
      const f = follower(version);
      answer(f, 2);
      expect(f.ctx.eventsOf('fetcher-failed')).toEqual([]);
      expect(f.logs.map((l) => l.logEndOffset)).toEqual([3, 3]);
    }
  });
});
