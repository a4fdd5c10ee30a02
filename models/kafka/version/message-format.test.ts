// log.message.format.version: Kafka's spellings parsed, the format each IBP writes (KIP-724 from
// 3.0), KafkaConfig's check against the IBP, and what ClusterVersions and a log make of it.
import { describe, expect, it } from 'vitest';
import { PartitionLog, UNDEFINED_EPOCH } from '../storage/partition-log.ts';
import { LogRecordStore } from '../storage/log-record-store.ts';
import { LogSegments } from '../storage/log-segments.ts';
import { ClusterVersions } from './cluster-versions.ts';
import { featuresOfVersion } from './kafka-versions.ts';
import { messageFormatProblem, parseMessageFormatVersion, writesRecordsV2 } from './message-format.ts';

describe('log.message.format.version', () => {
  it("parses ksim's names and Kafka's spellings, and nothing older than 0.10", () => {
    expect(['0.10', '0.10.0', '0.10.2-IV0', '0.11.0-IV2', '2.8', '2.8-IV1', ' 3.0 '].map(parseMessageFormatVersion)).toEqual(['0.10', '0.10', '0.10', '0.11', '2.8', '2.8', '3.0']);
    expect(['0.9.0', '0.8.2', 'latest', '', '2.9'].map(parseMessageFormatVersion)).toEqual([null, null, null, null, null]);
  });

  it('writes v2 from 0.11, the IBP when unset, always from IBP 3.0 (KIP-724)', () => {
    expect([writesRecordsV2('0.10', '2.8'), writesRecordsV2('0.11', '2.8'), writesRecordsV2(null, '0.10'), writesRecordsV2(null, '0.11'), writesRecordsV2('0.10', '3.0')]).toEqual([false, true, false, true, true]);
  });

  it("is refused above the IBP's record version only", () => {
    expect(messageFormatProblem('0.11', '0.10')).toMatch(/can only be used when inter\.broker\.protocol\.version is 0\.11 or higher/);
    expect([messageFormatProblem('0.10', '0.10'), messageFormatProblem('2.8', '0.11'), messageFormatProblem('0.10', '2.8')]).toEqual([null, null, null]);
  });

  it('a broker writing 0.10 lacks truncation by leader epoch until a restart raises its format', () => {
    const v = new ClusterVersions('2.8', featuresOfVersion('2.8'), 2, '0.10');
    expect(v.brokers.map((b) => [b.records.v2, b.features.truncationByLeaderEpoch])).toEqual([[false, false], [false, false]]);
    v.setMessageFormat(0, '2.8');
    expect(v.brokers.map((b) => [b.records.v2, b.features.truncationByLeaderEpoch])).toEqual([[true, true], [false, false]]);
    expect(new ClusterVersions('2.8', featuresOfVersion('2.8'), 1).brokers[0].features.truncationByLeaderEpoch).toBe(true);
  });

  it('a log on format v1 caches no epoch; raised to v2, it caches what it appends from then', () => {
    const format = { v2: false };
    const log = new PartitionLog(null, new LogRecordStore(), { epochCacheAnswersOlderEpochs: true }, new LogSegments(), format);
    const rec = (id: number, epoch: number) => ({ id, epoch, producerId: -1, producerEpoch: -1, sequence: -1, batchSize: 1, appendUs: 0 });
    log.maybeAssignEpochStartOffset(3, 0);
    log.appendAsLeader(rec(0, 3));
    expect(log.latestEpoch()).toBe(UNDEFINED_EPOCH);
    format.v2 = true;
    log.appendAsLeader(rec(1, 4));
    expect([log.latestEpoch(), log.endOffsetForEpoch(4).endOffset]).toEqual([4, 2]);
  });
});
