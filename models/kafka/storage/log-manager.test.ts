import { describe, expect, it } from 'vitest';
import { testWorld } from '../testing/test-world.ts';
import { RecordingContext } from '../testing/recording-context.ts';
import { LogCleaner } from './log-cleaner.ts';
import { logConfigOf, type LogConfig } from './log-config.ts';
import { LogSegments } from './log-segments.ts';
import { LogManager, retainedLogStartOffset } from './log-manager.ts';
import type { LogRecord } from './log-record-store.ts';
import { PartitionLog } from './partition-log.ts';

function rec(id: number, appendUs: number, epoch = 0): LogRecord {
  return { id, epoch, producerId: -1, producerEpoch: -1, sequence: -1, batchSize: 1, appendUs };
}

/** Records appended one a batch at 0, 10, 20, ... microseconds into segments of `segmentRecords`, all committed up to hw. */
function logOf(n: number, hw: number, segmentRecords = 3, keyEpochs: (i: number) => number = () => 0): PartitionLog {
  const log = new PartitionLog(null, undefined, undefined, new LogSegments(segmentRecords));
  for (let i = 0; i < n; i++) {
    log.appendAsLeader(rec(i, i * 10, keyEpochs(i)));
    log.segments.rollBySize(log.logEndOffset);
  }
  log.maybeIncrementHighWatermark(hw);
  return log;
}

const DELETE: LogConfig = { partition: 0, compact: false, retentionUs: -1, retentionBytes: -1, recordBytes: 100, minCleanableRatio: 0.5 };

/** A context whose clock reads `us`. */
const at = (us: number) => Object.assign(new RecordingContext(), { nowUs: us });

describe('log retention (LogManager)', () => {
  it('keeps a partition off the retention check when nothing can expire within the run', () => {
    const world = testWorld({ durationMs: 60_000, topics: [{ name: 't', replicas: [['b1']], config: { 'log.retention.ms': 600_000 } }] });
    expect(logConfigOf(world.layout.partitions[0], 100, world.durationUs)).toBeNull();
    const short = testWorld({ durationMs: 60_000, topics: [{ name: 't', replicas: [['b1']], config: { 'log.retention.ms': 1000, 'log.segment.bytes': 1000 } }] });
    expect(logConfigOf(short.layout.partitions[0], 100, short.durationUs)).toEqual({
      partition: 0,
      compact: false,
      retentionUs: 1_000_000,
      retentionBytes: -1,
      recordBytes: 100,
      minCleanableRatio: 0.5,
    });
  });

  it('deletes closed segments whose last record is older than retention.ms', () => {
    const log = logOf(10, 10); // segments [0,3) [3,6) [6,9), active [9,10)
    expect(log.segments.activeBase).toBe(9);
    const config = { ...DELETE, retentionUs: 45 };
    // At 100us: segment ends at offsets 2 (20us), 5 (50us), 8 (80us): only the first is older than 45us.
    expect(retainedLogStartOffset(log, config, 100)).toBe(6);
    expect(retainedLogStartOffset(log, config, 1000)).toBe(9);
  });

  it('never deletes past the high watermark or the active segment', () => {
    const config = { ...DELETE, retentionUs: 0 };
    expect(retainedLogStartOffset(logOf(10, 5), config, 1000)).toBe(3);
    expect(retainedLogStartOffset(logOf(3, 3), config, 1000)).toBe(0);
  });

  it('deletes oldest segments while what remains is at least retention.bytes', () => {
    const config = { ...DELETE, retentionBytes: 400 };
    // 10 records of 100 bytes: dropping [0,3) leaves 700, [3,6) leaves 400, [6,9) would leave 100.
    expect(retainedLogStartOffset(logOf(10, 10), config, 0)).toBe(6);
  });

  it('moves the log start offset on the retention check and says so', () => {
    const world = testWorld({
      durationMs: 60_000,
      brokerConfig: { 'log.retention.check.interval.ms': 1000 },
      topics: [{ name: 't', replicas: [['b1']], config: { 'log.retention.ms': 1, 'log.segment.bytes': 300 } }],
      producers: [{ name: 'p', recordBytes: 100 }],
    });
    const manager = new LogManager(world, 0, 100);
    const log = manager.logs[0]!;
    for (let i = 0; i < 7; i++) log.appendAsLeader(rec(i, 0));
    manager.maybeFlush(at(0), 0); // one append of 7 records: segments [0,3) [3,6), active [6,7)
    log.maybeIncrementHighWatermark(7);
    const ctx = new RecordingContext();
    manager.startTasks(ctx);
    expect(ctx.timers.filter((t) => t.timer.type === 'log-retention-check').map((t) => t.atUs)).toEqual([30_000_000]);
    expect(ctx.pendingTimersOf('log-flush')).toEqual([]); // no log flushes by time
    ctx.nowUs = 10_000;
    manager.cleanupLogs(ctx);
    expect(log.logStartOffset).toBe(6);
    expect(ctx.eventsOf('retention')).toEqual([{ type: 'retention', partition: 't-0', logStartOffset: 6 }]);
    expect(world.stats.retentionDeletes).toBe(1);
  });

  it('segment.ms closes segments of a slow log, so retention.ms deletes them; each roll fsyncs the closed one', () => {
    /** One record every 100 ms from 100 ms to 10 s through the leader's append path, then a retention check. */
    const appendSlowly = (topicConfig: Record<string, number>) => {
      const world = testWorld({ durationMs: 60_000, topics: [{ name: 't', replicas: [['b1']], config: { 'log.retention.ms': 1000, ...topicConfig } }], producers: [{ name: 'p', recordBytes: 100 }] });
      const manager = new LogManager(world, 0, 100);
      const log = manager.logs[0]!;
      for (let ms = 100, id = 0; ms <= 10_000; ms += 100, id++) {
        manager.maybeRoll(0, ms * 1000);
        log.appendAsLeader(rec(id, ms * 1000));
        manager.maybeFlush(at(ms * 1000), 0);
        log.maybeIncrementHighWatermark(log.logEndOffset);
      }
      const ctx = new RecordingContext();
      ctx.nowUs = 10_000_000;
      manager.cleanupLogs(ctx);
      return log;
    };
    // Rolls before the records at 2.2 s, 4.3 s, 6.4 s, 8.5 s (more than 2 s after each segment's first):
    // bases 0, 21, 42, 63, 84. At 10 s every closed segment's last record is over 1 s old.
    const rolled = appendSlowly({ 'log.roll.ms': 2000 });
    expect(rolled.logStartOffset).toBe(84);
    expect(rolled.segments.activeBase).toBe(84);
    expect(rolled.recoveryPoint).toBe(84);
    // Kafka's default segment.ms (7 days) never rolls within the run: the one segment is active, nothing goes.
    const unrolled = appendSlowly({});
    expect([unrolled.logStartOffset, unrolled.segments.count, unrolled.recoveryPoint]).toEqual([0, 1, 0]);
  });

  it('starts a restarted broker from its HW checkpoint and rebuilds nothing it does not host', () => {
    const world = testWorld({ durationMs: 1000, topics: [{ name: 't', replicas: [['b1'], ['b2']] }] });
    const manager = new LogManager(world, 0, 100);
    expect(manager.logs[1]).toBeNull();
    const log = manager.logs[0]!;
    for (let i = 0; i < 5; i++) log.appendAsLeader(rec(i, 0));
    log.maybeIncrementHighWatermark(3);
    log.checkpointHighWatermark();
    log.maybeIncrementHighWatermark(5);
    manager.startup(at(0));
    expect(log.highWatermark).toBe(3);
  });

  it('starts a log truncated inside a batch at the end of its last batch, and says so (log recovery)', () => {
    const world = testWorld({ durationMs: 1000, topics: [{ name: 't', replicas: [['b1']] }] });
    const manager = new LogManager(world, 0, 100);
    const log = manager.logs[0]!;
    // a batch of 2 at 0, one of 4 at 2; truncating to 4 removes the batch at 2 and leaves the LEO at 4
    for (let i = 0; i < 6; i++) log.appendAsLeader({ ...rec(i, 0), batchSize: i === 0 ? 2 : i === 2 ? 4 : 0 });
    log.maybeIncrementHighWatermark(4);
    log.checkpointHighWatermark();
    log.truncateTo(4, 2);
    const ctx = at(5);
    manager.startup(ctx);
    expect([log.logEndOffset, log.highWatermark]).toEqual([2, 2]);
    expect(ctx.eventsOf('truncate')).toEqual([{ type: 'truncate', partition: 't-0', toOffset: 2, fromOffset: 4, removed: [], reason: 'log-recovery' }]);
    const again = at(6);
    manager.startup(again);
    expect(again.eventsOf('truncate')).toEqual([]);
  });
});

describe('LogCleaner', () => {
  const COMPACT = { ...DELETE, compact: true };

  it('keeps the last record per key in closed segments below the HW', () => {
    const keys = ['a', 'b', 'a', 'c', 'b', 'a', 'a', 'b'];
    const log = logOf(keys.length, 7, 2, (i) => (i < 4 ? 0 : 1));
    const cleaner = new LogCleaner((_, id) => keys[id], 1);
    // active segment [6,8)
    expect(cleaner.maybeClean(log, COMPACT)).toEqual({ cleanedTo: 6, removed: 3 });
    // Offsets 0 (a), 1 (b) and 2 (a) are superseded below offset 6; 5 (a) is kept, its later copy is not cleanable yet.
    expect(log.readAll().map((r) => r.id)).toEqual([-1, -2, -3, 3, 4, 5, 6, 7]);
    expect(log.readAll().map((r) => r.epoch)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(cleaner.maybeClean(log, COMPACT)).toBeNull();
  });

  it('cleans a log only once its dirty part is more than min.cleanable.dirty.ratio of it (LogToClean.cleanableRatio)', () => {
    const keys = ['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c', 'x'];
    const log = logOf(6, 6, 3);
    const cleaner = new LogCleaner((_, id) => keys[id], 1);
    // active segment [3,6): only [0,3) is closed, clean part empty: ratio 1
    expect(cleaner.maybeClean(log, COMPACT)).toBeNull(); // nothing superseded yet, checkpoint moves to 3
    expect(cleaner.firstDirtyOffset(log, 0)).toBe(3);
    for (let i = 6; i < 13; i++) {
      log.appendAsLeader(rec(i, i * 10));
      log.segments.rollBySize(log.logEndOffset);
    }
    log.maybeIncrementHighWatermark(13); // segments [0,3) [3,6) [6,9) [9,12), active [12,13)
    // clean part [0,3): 3 live records; dirty [3,12): 9: ratio 0.75
    expect(cleaner.maybeClean(log, { ...COMPACT, minCleanableRatio: 0.75 })).toBeNull();
    expect(cleaner.maybeClean(log, { ...COMPACT, minCleanableRatio: 0.74 })).toEqual({ cleanedTo: 12, removed: 9 });
  });

  it('stops at the segment holding the HW, and a truncation brings the checkpoint down', () => {
    const keys = ['a', 'a', 'a', 'a', 'a', 'a', 'a', 'a'];
    const log = logOf(8, 5, 2); // segments [0,2) [2,4) [4,6), active [6,8); HW 5 in [4,6)
    const cleaner = new LogCleaner((_, id) => keys[id], 1);
    expect(cleaner.maybeClean(log, COMPACT)).toEqual({ cleanedTo: 4, removed: 3 });
    cleaner.truncated(0, 3);
    expect(cleaner.firstDirtyOffset(log, 0)).toBe(3);
    // a checkpoint past the log end (a power loss cut the log short) makes the whole log dirty
    const short = logOf(2, 2, 2);
    cleaner.truncated(0, 3);
    expect(cleaner.firstDirtyOffset(short, 0)).toBe(0);
  });
});

describe('the log cleaner thread (LogManager)', () => {
  /** b1 hosting compacted t-0 in 3-record segments (300-byte segments of 100-byte records). */
  function compacted(brokerConfig: Record<string, unknown> = {}) {
    const world = testWorld({
      durationMs: 120_000,
      brokerConfig,
      topics: [{ name: 't', replicas: [['b1']], config: { 'log.cleanup.policy': 'compact', 'log.segment.bytes': 300 } }],
      producers: [{ name: 'p', recordBytes: 100 }],
    });
    world.recordKeys!.set(0, 'k').set(1, 'k').set(2, 'k').set(3, 'k');
    return new LogManager(world, 0, 100);
  }

  it('looks from the broker start every log.cleaner.backoff.ms once a segment closes, and compacts at that beat', () => {
    const m = compacted();
    const start = at(2_000_000);
    m.startTasks(start);
    expect(start.pendingTimersOf('log-cleaner-pass')).toEqual([]); // nothing closed: no look is an event
    expect(start.pendingTimersOf('log-retention-check')).toEqual([]); // compaction is not the retention check's
    const log = m.logs[0]!;
    for (let i = 0; i < 4; i++) log.appendAsLeader(rec(i, 20_000_000));
    const append = at(20_000_000);
    m.maybeFlush(append, 0); // segments [0,3), active [3,4)
    log.maybeIncrementHighWatermark(4);
    expect(append.timers.filter((t) => t.timer.type === 'log-cleaner-pass').map((t) => t.atUs)).toEqual([32_000_000]); // 2 s + 2 x 15 s
    const pass = at(32_000_000);
    m.cleanerPass(pass);
    expect(pass.eventsOf('compaction')).toEqual([{ type: 'compaction', partition: 't-0', cleanedTo: 3, removed: 2 }]);
    expect(pass.pendingTimersOf('log-cleaner-pass')).toEqual([]); // nothing dirty left closed
  });

  it('never looks with log.cleaner.enable=false (decoy: the same appends)', () => {
    const m = compacted({ 'log.cleaner.enable': false });
    m.startTasks(at(0));
    for (let i = 0; i < 4; i++) m.logs[0]!.appendAsLeader(rec(i, 0));
    const append = at(0);
    m.maybeFlush(append, 0);
    expect(append.timers.filter((t) => t.timer.type === 'log-cleaner-pass')).toEqual([]);
  });
});

describe('LogManager: what a power loss takes from the page cache', () => {
  /** One broker b1 hosting t-0 and t-1, with the given writeback settings and flush policy. */
  function manager(storage: { dirtyExpireMs?: number; dirtyWritebackMs?: number; type?: 'ebs' | 'instance-store' } = {}, topicConfig = {}) {
    const world = testWorld({
      durationMs: 120_000,
      brokers: [{ name: 'b1', az: 'az1', storage }],
      topics: [{ name: 't', replicas: [['b1'], ['b1']], config: topicConfig }],
      producers: [{ name: 'p', recordBytes: 100 }],
    });
    return { world, manager: new LogManager(world, 0, 100) };
  }

  /** Appends as the leader does: t-0 every 100 ms from 100 ms, t-1 every 100 ms from 5.2 s, until untilMs. */
  function appendUntil(m: LogManager, untilMs: number): Map<number, number> {
    const appendedAtMs = new Map<number, number>();
    let id = 0;
    for (let ms = 100; ms <= untilMs; ms += 100)
      for (const p of ms >= 5200 ? [0, 1] : [0]) {
        appendedAtMs.set(id, ms);
        m.logs[p]!.appendAsLeader(rec(id++, ms * 1000));
        m.maybeFlush(at(ms * 1000), p);
      }
    return appendedAtMs;
  }

  function powerLoss(m: LogManager, atMs: number, kind: 'power-loss' | 'crash' | 'disk-loss' = 'power-loss'): RecordingContext {
    const ctx = new RecordingContext();
    ctx.nowUs = atMs * 1000;
    m.onDown(ctx, { kind, wasUp: true });
    return ctx;
  }

  const lostIds = (ctx: RecordingContext) => ctx.eventsOf('log-lost').flatMap((e) => e.removed as number[]);

  it('with the default flush policy loses only writes younger than dirtyExpireMs + dirtyWritebackMs', () => {
    const { world, manager: m } = manager();
    const appendedAtMs = appendUntil(m, 40_000);
    const ctx = powerLoss(m, 40_050);
    // The flusher wakes at 5.1 s + 5k s (armed by t-0's first write at 0.1 s). t-0 (dirtied 0.1 s)
    // went at the 30.1 s pass: it loses 30.1..40.0 s. t-1 (dirtied 5.2 s, just after a pass) waits
    // for the first pass at or after 35.2 s, 40.1 s: it loses everything since 5.2 s, 34.85 s of writes.
    expect(ctx.eventsOf('log-lost').map((e) => [e.partition, e.fromOffset, e.toOffset])).toEqual([
      ['t-0', 400, 300],
      ['t-1', 349, 0],
    ]);
    const lostAtMs = lostIds(ctx).map((id) => appendedAtMs.get(id)!);
    expect(Math.min(...lostAtMs.filter((_, i) => i < 100))).toBe(30_100);
    expect(Math.min(...lostAtMs)).toBe(5200);
    expect(Math.min(...lostAtMs)).toBeGreaterThan(40_050 - 30_000 - 5000);
    expect(world.stats.recordsLostPowerLoss).toBe(449);
    expect(m.pageCache.nextWritebackUs).toBe(-1);
  });

  it('loses the writes since the last writeback, however old, when no pass could run', () => {
    const { manager: m } = manager({ dirtyWritebackMs: 0 });
    appendUntil(m, 40_000);
    const ctx = powerLoss(m, 40_050);
    expect(ctx.eventsOf('log-lost').map((e) => [e.partition, e.fromOffset, e.toOffset])).toEqual([
      ['t-0', 400, 0],
      ['t-1', 349, 0],
    ]);
  });

  it('loses nothing on a process crash, and the kernel keeps writing back while the process is down', () => {
    const { manager: m } = manager();
    appendUntil(m, 10_000);
    expect(lostIds(powerLoss(m, 10_050, 'crash'))).toEqual([]);
    expect(m.logs[0]!.logEndOffset).toBe(100);
    // While it is down, t-0 (dirtied at 0.1 s) goes at the 30.1 s pass; t-1 (dirtied at 5.2 s) would
    // go at the first pass at or after 35.2 s, 40.1 s, after this power loss.
    const t1 = m.logs[1]!.readAll().map((r) => r.id);
    expect(t1).toHaveLength(49);
    expect(lostIds(powerLoss(m, 40_000))).toEqual(t1);
    expect(m.logs[0]!.logEndOffset).toBe(100);
    expect(m.logs[1]!.logEndOffset).toBe(0);
  });

  it('an fsync policy still bounds the loss: log.flush.interval.messages=50 loses at most 49 records a log', () => {
    const { manager: m } = manager({ dirtyWritebackMs: 0 }, { 'log.flush.interval.messages': 50 });
    appendUntil(m, 40_000);
    const ctx = powerLoss(m, 40_050);
    // t-0 holds 400 records, fsynced at every 50th; t-1 holds 349, fsynced up to 300.
    expect(ctx.eventsOf('log-lost').map((e) => [e.partition, e.fromOffset, e.toOffset])).toEqual([['t-1', 349, 300]]);
  });

  it('a segment roll fsyncs the closed segments (UnifiedLog.roll)', () => {
    const { manager: m } = manager({ dirtyWritebackMs: 0 }, { 'log.segment.bytes': 10_000 }); // 100 records a segment
    appendUntil(m, 40_000);
    // The append of offset 300 rolled [300, 400) open, and fsynced [0, 300).
    expect([m.logs[0]!.recoveryPoint, m.logs[1]!.recoveryPoint]).toEqual([300, 300]);
    expect(m.logs[0]!.lastFlushUs).toBe(30_100_000);
    const ctx = powerLoss(m, 40_050);
    expect(ctx.eventsOf('log-lost').map((e) => [e.partition, e.fromOffset, e.toOffset])).toEqual([
      ['t-0', 400, 300],
      ['t-1', 349, 300],
    ]);
  });

  it('instance-store disk loss loses everything, written back or not; EBS disk loss only the page cache', () => {
    const store = manager({ type: 'instance-store' }).manager;
    appendUntil(store, 40_000);
    const wiped = powerLoss(store, 40_050, 'disk-loss');
    expect(wiped.eventsOf('log-lost').map((e) => [e.partition, e.fromOffset, e.toOffset, e.cause])).toEqual([
      ['t-0', 400, 0, 'disk-loss'],
      ['t-1', 349, 0, 'disk-loss'],
    ]);
    const ebs = manager().manager;
    appendUntil(ebs, 40_000);
    const kept = powerLoss(ebs, 40_050, 'disk-loss');
    expect(kept.eventsOf('log-lost').map((e) => [e.partition, e.fromOffset, e.toOffset])).toEqual([
      ['t-0', 400, 300],
      ['t-1', 349, 0],
    ]);
  });
});
