import { describe, expect, it } from 'vitest';
import { ModelAssertionError } from '../../../src/sim/model-assertion-error.ts';
import { LogRecordStore, MemoryRecords, type LogRecord } from './log-record-store.ts';
import { PartitionLog } from './partition-log.ts';

function rec(id: number, epoch: number, appendUs = 0): LogRecord {
  return { id, epoch, producerId: 7, producerEpoch: 1, sequence: id, batchSize: 1, appendUs };
}

describe('LogRecordStore', () => {
  it('reads back every field of every row, across growth', () => {
    const store = new LogRecordStore();
    const refs = Array.from({ length: 10_000 }, (_, i) => store.add(rec(i, i % 5, i * 1.5)));
    expect(store.size).toBe(10_000);
    expect(store.record(refs[9_999])).toEqual(rec(9_999, 4, 9_999 * 1.5));
    expect(store.record(refs[3])).toEqual(rec(3, 3, 4.5));
  });

  it('bounds the append time of every row from below (what lets a log skip the segment.ms check), and knows nothing after a NaN', () => {
    const store = new LogRecordStore();
    expect(store.oldestAppendUs).toBe(Infinity);
    for (const [id, us] of [[0, 500], [1, 300], [2, 900]]) store.add(rec(id, 0, us));
    expect(store.oldestAppendUs).toBe(300);
    store.add(rec(3, 0, Number.NaN));
    store.add(rec(4, 0, 100));
    expect(store.oldestAppendUs).toBeNaN();
  });

  it('a cleaned copy reads as its original but for the id, -1 - id, and costs no row', () => {
    const store = new LogRecordStore();
    const ref = store.add(rec(41, 2, 99));
    const cleaned = LogRecordStore.cleanedCopy(ref);
    expect(store.record(cleaned)).toEqual({ ...rec(41, 2, 99), id: -42 });
    expect([store.epoch(cleaned), store.appendUs(cleaned), store.producerId(cleaned)]).toEqual([2, 99, 7]);
    expect(LogRecordStore.cleanedCopy(cleaned)).toBe(cleaned);
    expect(store.size).toBe(1);
  });

  it('keeps each row batch metadata exact with more distinct ones than 16 bits number, and batches interleaved', () => {
    const store = new LogRecordStore();
    const meta = (i: number): LogRecord => ({ id: i, epoch: i % 3, producerId: i % 2 === 0 ? -1 : 70_000 + i, producerEpoch: i % 7, sequence: i, batchSize: i % 5 === 0 ? 0 : i, appendUs: i });
    const refs = Array.from({ length: 140_000 }, (_, i) => store.add(meta(i)));
    for (const i of [0, 1, 2, 5, 65_535, 65_536, 65_537, 99_999, 139_999]) expect(store.record(refs[i])).toEqual(meta(i));
    expect([store.epoch(refs[65_537]), store.producerId(refs[65_537]), store.batchSize(refs[65_537])]).toEqual([65_537 % 3, 70_000 + 65_537, 65_537]);
  });

  it('reads back ids far from their rows, before and after, and a cleaned copy of one', () => {
    const store = new LogRecordStore();
    const ids = [5, 2 ** 31 - 1, 0, 40_000, 39_999, 3];
    const refs = ids.map((id) => store.add(rec(id, 0)));
    expect(refs.map((r) => store.id(r))).toEqual(ids);
    expect(store.id(LogRecordStore.cleanedCopy(refs[1]))).toBe(-(2 ** 31));
  });

  it('refuses a value its 32-bit columns cannot hold', () => {
    expect(() => new LogRecordStore().add(rec(2 ** 31, 0))).toThrow(ModelAssertionError);
    expect(() => new LogRecordStore().add({ ...rec(1, 0), sequence: 1.5 })).toThrow(ModelAssertionError);
  });
});

describe('MemoryRecords', () => {
  it('slices without copying and puts a record first', () => {
    const batch = MemoryRecords.of([rec(1, 0), rec(2, 0), rec(3, 1)]);
    expect(batch.from(1).toArray().map((r) => r.id)).toEqual([2, 3]);
    expect(batch.from(3)).toBe(MemoryRecords.EMPTY);
    expect(batch.from(2).withFirst(batch.store!, batch.ref(0)).toArray().map((r) => r.id)).toEqual([1, 3]);
    expect(MemoryRecords.EMPTY.withFirst(batch.store!, batch.ref(2)).toArray().map((r) => [r.id, r.epoch])).toEqual([[3, 1]]);
  });
});

describe('replicas of one store', () => {
  it('a follower of the same store appends the leader refs; of another store, copies of the records', () => {
    const store = new LogRecordStore();
    const leader = new PartitionLog(null, store);
    for (let i = 0; i < 4; i++) leader.appendAsLeader(rec(i, 0));
    const follower = new PartitionLog(null, store);
    follower.appendAsFollower(0, leader.read(0, 4), 0, 4, 0);
    expect(store.size).toBe(4);
    expect([follower.refAt(3), follower.idAt(3)]).toEqual([leader.refAt(3), 3]);
    const elsewhere = new PartitionLog();
    elsewhere.appendAsFollower(0, leader.read(1, 3), 0, 2, 0);
    expect(elsewhere.readAll()).toEqual([rec(1, 0), rec(2, 0)]);
    expect(store.size).toBe(4);
  });

  it('a fetch response keeps its records when the log truncates and appends others, or cleans them', () => {
    const log = new PartitionLog();
    for (let i = 0; i < 4; i++) log.appendAsLeader(rec(i, 0));
    const fetched = log.read(1, 4);
    log.truncateTo(2);
    log.appendAsLeader(rec(10, 1));
    log.appendAsLeader(rec(11, 1));
    log.maybeIncrementHighWatermark(4);
    log.replaceWithCleanedRecord(1);
    expect([0, 1, 2].map((i) => fetched.id(i))).toEqual([1, 2, 3]);
    expect([1, 2, 3].map((o) => log.idAt(o))).toEqual([-2, 10, 11]);
  });

  it('the cleaner cleans one replica without touching another holding the same records', () => {
    const store = new LogRecordStore();
    const a = new PartitionLog(null, store);
    const b = new PartitionLog(null, store);
    for (let i = 0; i < 3; i++) a.appendAsLeader(rec(i, 0));
    b.appendAsFollower(0, a.read(0, 3), 0, 3, 0);
    a.maybeIncrementHighWatermark(3);
    a.replaceWithCleanedRecord(1);
    expect([a.idAt(1), b.idAt(1), a.epochAt(1)]).toEqual([-2, 1, 0]);
  });
});
