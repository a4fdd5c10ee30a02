import { describe, expect, it } from 'vitest';
import { ModelAssertionError } from '../../../src/sim/model-assertion-error.ts';
import { PageCache } from './page-cache.ts';
import { GAP_RECORD_ID, MemoryRecords, type LogRecord } from './log-record-store.ts';
import { PartitionLog, UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET } from './partition-log.ts';

function rec(id: number, epoch: number, appendUs = 0): LogRecord {
  return { id, epoch, producerId: -1, producerEpoch: -1, sequence: -1, batchSize: 1, appendUs };
}

const S = 1_000_000;
/** Linux's defaults: dirty data 30 s old goes at the flusher's next pass, every 5 s. */
const linuxPageCache = () => new PageCache({ dirtyExpireUs: 30 * S, dirtyWritebackUs: 5 * S });

/** A log with the given record epochs, ids 0..n-1. */
function logOf(epochs: number[]): PartitionLog {
  const log = new PartitionLog();
  epochs.forEach((e, i) => log.appendAsLeader(rec(i, e)));
  return log;
}

describe('PartitionLog', () => {
  it('caches where each leader epoch starts and answers OffsetsForLeaderEpoch from it', () => {
    const log = logOf([0, 0, 2, 2, 2, 5]);
    expect(log.logEndOffset).toBe(6);
    expect(log.latestEpoch()).toBe(5);
    expect(log.endOffsetForEpoch(0)).toEqual({ epoch: 0, endOffset: 2 });
    // Epoch 1 was never in this log: the largest epoch below it is 0, which ends at 2.
    expect(log.endOffsetForEpoch(1)).toEqual({ epoch: 0, endOffset: 2 });
    expect(log.endOffsetForEpoch(2)).toEqual({ epoch: 2, endOffset: 5 });
    expect(log.endOffsetForEpoch(4)).toEqual({ epoch: 2, endOffset: 5 });
    expect(log.endOffsetForEpoch(5)).toEqual({ epoch: 5, endOffset: 6 });
    expect(log.endOffsetForEpoch(9)).toEqual({ epoch: 5, endOffset: 6 });
    expect(log.endOffsetForEpoch(UNDEFINED_EPOCH)).toEqual({ epoch: UNDEFINED_EPOCH, endOffset: 6 });
  });

  it('answers an epoch older than every cached one with the first start offset, naming the epoch asked (KAFKA-7415, Kafka 2.1) or unknown before it', () => {
    const log = new PartitionLog();
    log.maybeAssignEpochStartOffset(3, 0);
    log.appendAsLeader(rec(0, 3));
    expect(log.endOffsetForEpoch(1)).toEqual({ epoch: 1, endOffset: 0 });
    expect(new PartitionLog().endOffsetForEpoch(1)).toEqual({ epoch: UNDEFINED_EPOCH, endOffset: 0 });
  });

  it('before Kafka 2.1 answers UNDEFINED_EPOCH_OFFSET for an empty cache, an epoch older than the first entry or newer than the latest (LeaderEpochFileCache.endOffsetFor, 0.11.0.0 to 2.0.0)', () => {
    const log = logOf([3, 3, 5]);
    const undefinedAnswer = { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
    expect(log.endOffsetForEpoch(1, false)).toEqual(undefinedAnswer);
    expect(log.endOffsetForEpoch(6, false)).toEqual(undefinedAnswer);
    expect(new PartitionLog().endOffsetForEpoch(1, false)).toEqual(undefinedAnswer);
    // Between two entries, or the latest: as from 2.1.
    expect(log.endOffsetForEpoch(4, false)).toEqual({ epoch: 3, endOffset: 2 });
    expect(log.endOffsetForEpoch(5, false)).toEqual({ epoch: 5, endOffset: 3 });
    // From 2.1 (KAFKA-7415) the older epoch ends where the first entry starts.
    expect(log.endOffsetForEpoch(1)).toEqual({ epoch: 1, endOffset: 0 });
  });

  it('Kafka 2.1+ (KAFKA-7415): an entry removes the entries it conflicts with, so the cache stays monotonic and follows the log', () => {
    // A follower that led epoch 1 from an empty log, then fetched 3 records of epoch 0 from the
    // next leader (LeaderEpochFileCache.truncateAndAppend / maybeTruncateNonMonotonicEntries).
    const follower = new PartitionLog();
    follower.maybeAssignEpochStartOffset(1, 0);
    follower.appendAsFollower(0, MemoryRecords.of([rec(0, 0), rec(1, 0), rec(2, 0)]), 0, 3, 0);
    expect(follower.latestEpoch()).toBe(0);
    expect(follower.endOffsetForEpoch(0)).toEqual({ epoch: 0, endOffset: 3 });
    // An entry starting before the latest one replaces it (and any newer), whatever its epoch.
    const log = logOf([0, 0, 1]);
    log.maybeAssignEpochStartOffset(2, 1);
    expect(log.endOffsetForEpoch(0)).toEqual({ epoch: 0, endOffset: 1 });
    expect(log.endOffsetForEpoch(1)).toEqual({ epoch: 0, endOffset: 1 });
    expect(log.latestEpoch()).toBe(2);
    // The latest epoch again at a later offset changes nothing.
    log.maybeAssignEpochStartOffset(2, 3);
    expect(log.endOffsetForEpoch(0)).toEqual({ epoch: 0, endOffset: 1 });
  });

  it('before Kafka 2.1 an entry not newer, or starting before the latest, was ignored, as LeaderEpochFileCache.assign did', () => {
    const old = { epochCacheAnswersOlderEpochs: false };
    const follower = new PartitionLog(null, undefined, old);
    follower.maybeAssignEpochStartOffset(1, 0);
    follower.appendAsFollower(0, MemoryRecords.of([rec(0, 0), rec(1, 0), rec(2, 0)]), 0, 3, 0);
    expect(follower.latestEpoch()).toBe(1);
    // Asked about epoch 0, older than its only entry: UNDEFINED_EPOCH_OFFSET (endOffsetFor, 0.11.0.0 to 2.0.0).
    expect(follower.endOffsetForEpoch(0, false)).toEqual({ epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET });
    const log = new PartitionLog(null, undefined, old);
    [0, 0, 1].forEach((e, i) => log.appendAsLeader(rec(i, e)));
    log.maybeAssignEpochStartOffset(2, 1);
    expect(log.latestEpoch()).toBe(1);
    log.maybeAssignEpochStartOffset(2, 3);
    expect(log.latestEpoch()).toBe(2);
  });

  it('refuses an epoch entry that starts past the LEO', () => {
    const log = logOf([0, 0, 1]);
    expect(() => log.maybeAssignEpochStartOffset(2, 4)).toThrow(ModelAssertionError);
    log.maybeAssignEpochStartOffset(2, 3);
    expect(log.latestEpoch()).toBe(2);
  });

  it('truncates records, epoch entries, HW, flushed offset and checkpoint together', () => {
    const log = logOf([0, 0, 1, 1, 2, 2]);
    log.maybeIncrementHighWatermark(5);
    log.flush(10);
    log.checkpointHighWatermark();
    expect(log.truncateTo(3)).toEqual([3, 4, 5]);
    expect(log.logEndOffset).toBe(3);
    expect(log.highWatermark).toBe(3);
    expect(log.flushedOffset).toBe(3);
    expect(log.highWatermarkCheckpoint).toBe(3);
    expect(log.latestEpoch()).toBe(1);
    expect(log.endOffsetForEpoch(1)).toEqual({ epoch: 1, endOffset: 3 });
    expect(log.truncateTo(7)).toEqual([]);
    expect(() => log.truncateTo(-1)).toThrow(ModelAssertionError);
  });

  it('a cut below the truncation offset leaves gap entries there: the batch is gone, the log end offset is the offset (Log.truncateTo)', () => {
    const log = logOf([0, 0, 1, 1, 2, 2]);
    expect(log.truncateTo(4, 2)).toEqual([2, 3, 4, 5]);
    expect(log.logEndOffset).toBe(4);
    expect([0, 1, 2, 3].map((o) => log.idAt(o))).toEqual([0, 1, GAP_RECORD_ID, GAP_RECORD_ID]);
    // a gap entry keeps its record's epoch (the epoch cache is cut at the offset, as Kafka's) and no producer
    expect([log.epochAt(2), log.store.producerId(log.refAt(2)), log.store.batchSize(log.refAt(2))]).toEqual([1, -1, 1]);
    expect(log.endOffsetForEpoch(1)).toEqual({ epoch: 1, endOffset: 4 });
    expect(() => log.truncateTo(1, 2)).toThrow(ModelAssertionError);
  });

  it("a follower copying a leader's empty offsets caches no epoch for them: Kafka serves the next batch, whose epoch starts at its base offset", () => {
    const leader = logOf([0, 0, 1, 1, 1]);
    leader.truncateTo(4, 2); // epoch 1's records at 2..4 gone, offsets 2..3 empty
    leader.maybeAssignEpochStartOffset(3, 4);
    leader.appendAsLeader(rec(9, 3));
    const follower = new PartitionLog(null, leader.store);
    follower.appendAsFollower(0, leader.read(0, 5), 0, 5, 0);
    expect([follower.idAt(2), follower.idAt(4)]).toEqual([GAP_RECORD_ID, 9]);
    // epoch 0 ends where epoch 3's batch starts; the follower never heard of epoch 1 (decoy: the leader's cache keeps it)
    expect(follower.endOffsetForEpoch(1)).toEqual({ epoch: 0, endOffset: 4 });
    expect(leader.endOffsetForEpoch(1)).toEqual({ epoch: 1, endOffset: 4 });
  });

  it('starts the log at the truncation point when truncating below the log start', () => {
    const log = logOf([0, 0, 0, 0]);
    log.maybeIncrementHighWatermark(4);
    expect(log.maybeIncrementLogStartOffset(3)).toBe(true);
    log.truncateTo(2);
    expect(log.logStartOffset).toBe(2);
    expect(log.highWatermark).toBe(2);
  });

  it('moves the HW forward only, and never past the LEO', () => {
    const log = logOf([0, 0, 0]);
    expect(log.maybeIncrementHighWatermark(2)).toBe(true);
    expect(log.maybeIncrementHighWatermark(1)).toBe(false);
    expect(log.highWatermark).toBe(2);
    expect(() => log.maybeIncrementHighWatermark(4)).toThrow(ModelAssertionError);
    expect(log.highWatermark).toBe(2);
  });

  it('bounds a restarted HW by the log start offset and the LEO (UnifiedLog.updateHighWatermark)', () => {
    const log = logOf([0, 0, 0, 0, 0]);
    log.maybeIncrementHighWatermark(4);
    log.maybeIncrementLogStartOffset(3);
    expect(log.updateHighWatermark(1)).toBe(3);
    expect(log.updateHighWatermark(9)).toBe(5);
  });

  it('never moves the log start offset past the HW', () => {
    const log = logOf([0, 0, 0, 0]);
    log.maybeIncrementHighWatermark(2);
    expect(() => log.maybeIncrementLogStartOffset(3)).toThrow(ModelAssertionError);
    expect(log.maybeIncrementLogStartOffset(2)).toBe(true);
    expect(log.maybeIncrementLogStartOffset(1)).toBe(false);
    expect(log.logStartOffset).toBe(2);
  });

  it('appends a follower batch only at its LEO', () => {
    const log = logOf([0, 0]);
    const fetched = MemoryRecords.of([rec(10, 1), rec(11, 1), rec(12, 2)]);
    expect(() => log.appendAsFollower(1, fetched, 0, 3, 0)).toThrow(ModelAssertionError);
    expect(() => log.appendAsFollower(3, fetched, 0, 3, 0)).toThrow(ModelAssertionError);
    log.appendAsFollower(2, fetched, 1, 3, 0);
    expect(log.readAll().map((r) => r.id)).toEqual([0, 1, 11, 12]);
    expect(log.endOffsetForEpoch(1)).toEqual({ epoch: 1, endOffset: 3 });
  });

  it('lets the cleaner replace only committed records, once, keeping their epoch', () => {
    const log = logOf([0, 1, 1]);
    log.maybeIncrementHighWatermark(2);
    log.replaceWithCleanedRecord(1);
    expect(log.idAt(1)).toBe(-2);
    expect(log.epochAt(1)).toBe(1);
    expect(() => log.replaceWithCleanedRecord(1)).toThrow(ModelAssertionError);
    expect(() => log.replaceWithCleanedRecord(2)).toThrow(ModelAssertionError);
    log.maybeIncrementLogStartOffset(1);
    expect(() => log.replaceWithCleanedRecord(0)).toThrow(ModelAssertionError);
  });

  it('loses what is not flushed on power loss, and everything on disk loss', () => {
    const log = logOf([0, 0, 0, 1, 1]);
    log.maybeIncrementHighWatermark(4);
    log.checkpointHighWatermark();
    log.appendAsLeader(rec(5, 1));
    log.flush(7);
    expect(log.lastFlushUs).toBe(7);
    log.appendAsLeader(rec(6, 1));
    expect(log.loseUnflushed(Number.MAX_SAFE_INTEGER)).toEqual([6]);
    expect(log.logEndOffset).toBe(6);
    expect(log.highWatermarkCheckpoint).toBe(4);
    expect(log.loseAll()).toEqual([0, 1, 2, 3, 4, 5]);
    expect([log.logEndOffset, log.highWatermark, log.highWatermarkCheckpoint, log.flushedOffset, log.logStartOffset]).toEqual([0, 0, 0, 0, 0]);
    expect(log.latestEpoch()).toBe(UNDEFINED_EPOCH);
  });

  it('an fsync makes records durable only when it completes: a power loss during it keeps what was durable before', () => {
    const during = logOf([0, 0]);
    during.flush(0);
    during.appendAsLeader(rec(2, 0, 10));
    during.appendAsLeader(rec(3, 0, 10));
    during.flush(10, 2000); // in progress until 2010
    during.appendAsLeader(rec(4, 0, 20));
    during.flush(20, 2000); // a second one begun before the first completed
    expect(during.loseUnflushed(2015)).toEqual([2, 3, 4]);
    expect(during.logEndOffset).toBe(2);

    const after = logOf([0, 0]);
    after.flush(0);
    after.appendAsLeader(rec(2, 0, 10));
    after.flush(10, 2000);
    after.appendAsLeader(rec(3, 0, 20));
    expect(after.loseUnflushed(2010)).toEqual([3]);

    // an fsync that takes no time is durable at once
    const instant = logOf([0, 0]);
    instant.flush(10, 2000);
    instant.appendAsLeader(rec(2, 0, 20));
    instant.flush(20);
    expect(instant.loseUnflushed(21)).toEqual([]);
  });
});

describe('PartitionLog in the OS page cache', () => {
  it('is written back whole by the first flusher pass at least dirtyExpire after its first dirtying', () => {
    const cache = linuxPageCache();
    const log = new PartitionLog(cache);
    expect(cache.nextWritebackUs).toBe(-1); // nothing dirty: the flusher sleeps
    log.appendAsLeader(rec(0, 0, 1 * S));
    expect(log.dirtiedAtUs).toBe(1 * S);
    expect(cache.nextWritebackUs).toBe(6 * S);
    // More writes do not move dirtied_when; passes at 6, 11, ..., 26 s find nothing 30 s old.
    for (const [id, atS] of [[1, 10], [2, 20], [3, 30.5]]) log.appendAsLeader(rec(id, 0, atS * S));
    expect(log.dirtiedAtUs).toBe(1 * S);
    expect(log.flushedOffset).toBe(0);
    // The pass at 31 s, before this append, writes the whole file: the 30.5 s record too.
    log.appendAsLeader(rec(4, 0, 31 * S));
    expect(log.flushedOffset).toBe(4);
    expect(log.dirtiedAtUs).toBe(31 * S);
    // The file went clean, so the device did: the append re-armed the flusher one interval on.
    expect(cache.nextWritebackUs).toBe(36 * S);
    // Writeback is the kernel's, not Kafka's: no fsync, the recovery point stays.
    expect(log.recoveryPoint).toBe(0);
    expect(log.lastFlushUs).toBe(0);
  });

  it('loses on power loss only what the flusher had not written back', () => {
    const cache = linuxPageCache();
    const log = new PartitionLog(cache);
    for (let i = 0; i < 40; i++) log.appendAsLeader(rec(i, 0, (i + 1) * S)); // at 1..40 s
    // Pass at 31 s wrote offsets 0..29 (appended at 1..30 s); offset 30 on dirtied the file at 31 s.
    cache.catchUp(40.5 * S);
    expect(log.flushedOffset).toBe(30);
    expect(log.loseUnflushed(Number.MAX_SAFE_INTEGER)).toEqual([30, 31, 32, 33, 34, 35, 36, 37, 38, 39]);
    expect(log.dirtiedAtUs).toBe(-1);
  });

  it('keeps its dirtied_when across an fsync, so the flusher still takes later writes at that time', () => {
    const cache = linuxPageCache();
    const log = new PartitionLog(cache);
    log.appendAsLeader(rec(0, 0, 1 * S));
    log.appendAsLeader(rec(1, 0, 2 * S));
    log.flush(2 * S);
    expect([log.flushedOffset, log.recoveryPoint, log.lastFlushUs]).toEqual([2, 2, 2 * S]);
    log.appendAsLeader(rec(2, 0, 29 * S));
    expect(log.dirtiedAtUs).toBe(1 * S);
    cache.catchUp(31 * S);
    expect(log.flushedOffset).toBe(3);
    expect(log.recoveryPoint).toBe(2);
  });

  it('on a segment roll fsyncs the closed segments and starts a new dirty file', () => {
    const cache = linuxPageCache();
    const log = new PartitionLog(cache);
    for (let i = 0; i < 5; i++) log.appendAsLeader(rec(i, 0, (i + 1) * S));
    log.rollSegment(4, 5 * S);
    expect([log.recoveryPoint, log.flushedOffset, log.lastFlushUs, log.dirtiedAtUs]).toEqual([4, 4, 5 * S, 5 * S]);
    expect(() => log.rollSegment(3, 6 * S)).toThrow(ModelAssertionError);
    expect(() => log.rollSegment(6, 6 * S)).toThrow(ModelAssertionError);
    expect(log.loseUnflushed(Number.MAX_SAFE_INTEGER)).toEqual([4]);
  });

  it('truncation caps the recovery point with the flushed offset; a clean log is wholly flushed', () => {
    const cache = linuxPageCache();
    const log = new PartitionLog(cache);
    for (let i = 0; i < 6; i++) log.appendAsLeader(rec(i, 0, 1 * S));
    log.flush(1 * S);
    log.truncateTo(3);
    expect([log.flushedOffset, log.recoveryPoint]).toEqual([3, 3]);
    cache.catchUp(31 * S);
    expect(log.dirtiedAtUs).toBe(-1);
    expect(log.flushedOffset).toBe(log.logEndOffset);
  });

  it('truncateFullyAndStartAt starts an empty log past its end (gap entries below the start) or back inside it', () => {
    const log = logOf([1, 1, 2]);
    log.updateHighWatermark(2);
    expect(log.truncateFullyAndStartAt(6, 7 * S)).toEqual([0, 1, 2]);
    expect([log.logStartOffset, log.highWatermark, log.logEndOffset, log.flushedOffset, log.latestEpoch()]).toEqual([6, 6, 6, 6, UNDEFINED_EPOCH]);
    expect(log.idAt(4)).toBe(GAP_RECORD_ID);
    expect(log.segments.activeBase).toBe(6);
    // KAFKA-6975: back to the base of the leader's batch holding 6, then that batch appended
    expect(log.truncateFullyAndStartAt(5, 8 * S)).toEqual([]);
    log.appendAsFollower(5, MemoryRecords.of([rec(15, 3), rec(16, 3)]), 0, 2, 8 * S);
    expect([log.logStartOffset, log.logEndOffset, log.latestEpoch()]).toEqual([5, 7, 3]);
  });
});
