// A follower with KIP-101 whose log holds records but no cached leader epoch (message format v0/v1,
// version/message-format.ts) cuts to its high watermark (AbstractFetcherThread.truncateToHighWatermark)
// and reports it as KIP-101's flaw, so a loss that follows is blamed on the old format, not a breach;
// the label names the log's format once the broker itself has KIP-101.
import { describe, expect, it } from 'vitest';
import { VersionTimeline } from '../analysis/version-timeline.ts';
import type { ProtocolFlawEvent } from '../kafka-events.ts';
import { RecordingContext } from '../testing/recording-context.ts';
import { LogRecordStore, MemoryRecords } from '../storage/log-record-store.ts';
import { LogSegments } from '../storage/log-segments.ts';
import { PartitionLog } from '../storage/partition-log.ts';
import { featuresOfVersion, type KafkaVersion } from '../version/kafka-versions.ts';
import type { FetcherReplicaAccess, TruncationReason } from './fetcher-replica-access.ts';
import { TRUNCATING } from './partition-fetch-state.ts';
import { ReplicaFetcherThread } from './replica-fetcher-thread.ts';
import { ReplicationFlaws } from './replication-flaws.ts';

const LEADER = 0;
const BROKER_NODE = [10, 11];

function followerLog(v2: boolean): PartitionLog {
  const log = new PartitionLog(null, new LogRecordStore(), { epochCacheAnswersOlderEpochs: true }, new LogSegments(), { v2 });
  log.maybeAssignEpochStartOffset(0, 0);
  for (let id = 0; id < 5; id++) log.appendAsLeader({ id, epoch: 0, producerId: -1, producerEpoch: -1, sequence: -1, batchSize: 1, appendUs: 0 });
  log.maybeIncrementHighWatermark(3);
  return log;
}

/**
 * The follower's truncations and flaw events when it starts following epoch 1 with `log` (Kafka
 * `version`); a leader log given answers its OffsetsForLeaderEpoch request as a 1.1 leader does.
 */
function follow(log: PartitionLog, version: KafkaVersion = '2.8', leaderLog?: PartitionLog): { truncations: number[]; flaws: ProtocolFlawEvent[]; fetches: unknown[]; asked: number[] } {
  const ctx = new RecordingContext();
  const flaws = new ReplicationFlaws(featuresOfVersion(version), ['t-0'], () => null);
  const truncations: number[] = [];
  const replica: FetcherReplicaAccess & { flaws: ReplicationFlaws } = {
    flaws,
    localLog: () => log,
    brokerEpoch: () => 1,
    truncate: (_c: unknown, _p: number, offset: number, _r: TruncationReason) => {
      truncations.push(offset);
      log.truncateTo(offset);
    },
    processPartitionData: (_c: unknown, _p: number, _o: number, _r: MemoryRecords) => 0,
  } as never;
  const setup = { brokerIndex: 1, hostedPartitions: [0], brokerNode: BROKER_NODE, partitionCount: 1, protocol: featuresOfVersion(version), backoffUs: 1_000_000, connectTimeoutUs: 30_000_000, requestTimeoutUs: 30_000_000, stats: { fetchRequests: 0, epochRequests: 0 } };
  const fetcher = new ReplicaFetcherThread(setup, replica);
  fetcher.addPartition(0, LEADER, 1, TRUNCATING);
  fetcher.kick(ctx, LEADER);
  fetcher.onConnect(ctx, LEADER);
  const asked = ctx.sentOf('offsets-for-leader-epoch').map((r) => r.leaderEpoch);
  const req = ctx.sentOf('offsets-for-leader-epoch')[0];
  if (req !== undefined && leaderLog !== undefined) {
    const r = leaderLog.endOffsetForEpoch(req.leaderEpoch, false, true);
    fetcher.onEpochResponse(ctx, { type: 'offsets-for-leader-epoch-response', requestId: req.requestId, partition: 0, error: null, leaderEpoch: r.epoch, endOffset: r.endOffset });
  }
  const events = (ctx.events as { type: string }[]).filter((e): e is ProtocolFlawEvent => e.type === 'protocol-flaw');
  const fetches = ctx.sent.flatMap(({ msg }) => (msg.type === 'fetch' ? msg.parts : []));
  return { truncations, flaws: events, fetches, asked };
}

describe('a follower with no cached leader epoch (Kafka 2.8)', () => {
  it('holding format v1 records only, cuts to its high watermark and reports KIP-101', () => {
    const r = follow(followerLog(false));
    expect(r.truncations).toEqual([3]);
    expect(r.fetches).toMatchObject([{ fetchOffset: 3 }]);
    expect(r.flaws).toMatchObject([{ flaw: 'truncated-to-high-watermark', knownLeaderEpoch: -1, leaderEpoch: 1, logEndOffset: 3 }]);
  });

  it('decoy: with its epochs cached (format v2) it fetches to find where its log diverges (KAFKA-10554), cuts nothing yet and reports nothing', () => {
    const r = follow(followerLog(true));
    expect(r.truncations).toEqual([]);
    expect(r.fetches).toEqual([{ partition: 0, fetchOffset: 5, currentLeaderEpoch: 1, lastFetchedEpoch: 0 }]);
    expect(r.flaws).toEqual([]);
  });

  it('Kafka 1.1 asks about UNDEFINED_EPOCH: a leader with no epoch cached answers its LEO (cut there, no flaw), one with epochs UNDEFINED_EPOCH_OFFSET (cut to the HW, KIP-101)', () => {
    const leaderLog = (epochs: boolean, records: number) => {
      const l = new PartitionLog(null, new LogRecordStore(), { epochCacheAnswersOlderEpochs: false }, new LogSegments(), { v2: epochs });
      l.maybeAssignEpochStartOffset(1, 0);
      for (let id = 10; id < 10 + records; id++) l.appendAsLeader({ id, epoch: 1, producerId: -1, producerEpoch: -1, sequence: -1, batchSize: 1, appendUs: 0 });
      return l;
    };
    const noCache = follow(followerLog(false), '1.1', leaderLog(false, 2));
    expect(noCache.asked).toEqual([-1]);
    expect([noCache.truncations, noCache.flaws]).toEqual([[2], []]);
    const cached = follow(followerLog(false), '1.1', leaderLog(true, 2));
    expect(cached.truncations).toEqual([3]);
    expect(cached.flaws).toMatchObject([{ flaw: 'truncated-to-high-watermark', knownLeaderEpoch: -1, leaderEpoch: 1, logEndOffset: 3 }]);
    // 2.0's LeaderEpochFileCache answers an undefined request UNDEFINED_EPOCH_OFFSET first.
    expect(leaderLog(false, 2).endOffsetForEpoch(-1, false, false).endOffset).toBe(-1);
  });

  it("the verdict's label names the log's format, not the broker's fixed version", () => {
    const scenario = { kafkaVersion: '2.8', metadataMode: 'zookeeper', brokers: [{ name: 'b1' }, { name: 'b2' }], brokerConfig: { 'log.message.format.version': null } } as never;
    const label = new VersionTimeline(scenario).at(0).label('truncationByLeaderEpoch', 1);
    expect(label).toBe('b2, its log holding records of message format v0/v1 only (written before log.message.format.version 0.11: no leader epochs)');
  });
});
