import { describe, expect, it } from 'vitest';
import { testWorld } from '../testing/test-world.ts';
import { RecordingContext } from '../testing/recording-context.ts';
import { LogCleaner } from './log-cleaner.ts';
import { activeSegmentBase, logConfigOf, type LogConfig } from './log-config.ts';
import { LogManager, retainedLogStartOffset } from './log-manager.ts';
import { PartitionLog, type LogRecord } from './partition-log.ts';

function rec(id: number, appendUs: number, epoch = 0): LogRecord {
  return { id, epoch, producerId: -1, producerEpoch: -1, sequence: -1, batchSize: 1, appendUs };
}

/** Records appended at 0, 10, 20, ... microseconds, all committed up to hw. */
function logOf(n: number, hw: number): PartitionLog {
  const log = new PartitionLog();
  for (let i = 0; i < n; i++) log.appendAsLeader(rec(i, i * 10));
  log.maybeIncrementHighWatermark(hw);
  return log;
}

const DELETE: LogConfig = { partition: 0, compact: false, retentionUs: -1, retentionBytes: -1, recordBytes: 100, segmentRecords: 3 };

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
      segmentRecords: 10,
    });
  });

  it('deletes closed segments whose last record is older than retention.ms', () => {
    const log = logOf(10, 10); // segments [0,3) [3,6) [6,9), active [9,10)
    expect(activeSegmentBase(DELETE, 10)).toBe(9);
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
    log.maybeIncrementHighWatermark(7);
    const ctx = new RecordingContext();
    manager.startRetention(ctx);
    expect(ctx.pendingTimersOf('log-retention-check')).toHaveLength(1);
    ctx.nowUs = 10_000;
    manager.cleanupLogs(ctx);
    expect(log.logStartOffset).toBe(6);
    expect(ctx.eventsOf('retention')).toEqual([{ type: 'retention', partition: 't-0', logStartOffset: 6 }]);
    expect(world.stats.retentionDeletes).toBe(1);
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
    manager.startup();
    expect(log.highWatermark).toBe(3);
  });
});

describe('LogCleaner', () => {
  it('keeps the last record per key in closed segments below the HW', () => {
    const keys = ['a', 'b', 'a', 'c', 'b', 'a', 'a', 'b'];
    const log = new PartitionLog();
    keys.forEach((_, i) => log.appendAsLeader(rec(i, 0, i < 4 ? 0 : 1)));
    log.maybeIncrementHighWatermark(7);
    const cleaner = new LogCleaner((_, id) => keys[id]);
    const config = { ...DELETE, compact: true, segmentRecords: 2 }; // active segment [6,8)
    expect(cleaner.clean(log, config)).toEqual({ cleanedTo: 6, removed: 3 });
    // Offsets 0 (a), 1 (b) and 2 (a) are superseded below offset 6; 5 (a) is kept, its later copy is not cleanable yet.
    expect(log.records.map((r) => r.id)).toEqual([-1, -2, -3, 3, 4, 5, 6, 7]);
    expect(log.records.map((r) => r.epoch)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(cleaner.clean(log, config)).toBeNull();
  });
});
