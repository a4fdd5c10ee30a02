// The compact per-record stores (record-table.ts, client-op-log.ts, first-offsets.ts,
// record-id-set.ts) answer exactly what the Maps and objects they replaced answered: concrete rows
// in, concrete snapshots out, including the rare paths (holders past the packed three, a record
// sent again, removals noted out of order, duplicates in a log, ids past the first growth).

import { describe, expect, it } from 'vitest';
import { ClientOpLog } from './client-op-log.ts';
import { FirstOffsets } from './first-offsets.ts';
import { RecordIdSet } from './record-id-set.ts';
import { RecordTable } from './record-table.ts';
import type { ClientOp, Value } from './client-op.ts';
import { unseen } from './unseen-records.ts';
import { versionOrders } from './version-orders.ts';
import { pollAnomalies } from './poll-anomalies.ts';

describe('RecordTable', () => {
  it('keeps a record from send to acknowledgement, holders in first-append order, removals by id', () => {
    const t = new RecordTable();
    t.add(7, 'p1', 'orders-0', 1000, 0, 0);
    t.add(3, 'p2', 'orders-1', 1500, 4, 2);
    t.setAcked(7, 2500, 41, 3, 'b2', 1400);
    t.setFailed(3, 'unknown', 'REQUEST_TIMED_OUT');
    for (const node of [2, 0, 2, 1, 1000, 5, 0]) t.addHolder(7, node);
    t.addRemoval(7, 4);
    t.addRemoval(3, 1);
    t.addRemoval(7, 9);
    expect([...t.ids()]).toEqual([7, 3]);
    expect(t.size).toBe(2);
    expect(t.get(7)).toMatchObject({ record: 7, producer: 'p1', partition: 'orders-0', sendUs: 1000, sendIndex: 0, session: 0, outcome: 'acked', ackUs: 2500, ackOffset: 41, ackLeaderEpoch: 3, ackLeader: 'b2', latencyUs: 1400, error: null, holders: [2, 0, 1, 1000, 5], removals: [4, 9] });
    expect(t.get(3)).toMatchObject({ outcome: 'unknown', error: 'REQUEST_TIMED_OUT', sendIndex: 4, session: 2, holders: null, removals: [1], ackOffset: -1, ackLeader: null });
    expect(t.get(5)).toBeUndefined();
    expect(t.outcome(5)).toBeUndefined();
    expect(t.has(-1)).toBe(false);
  });

  it('a record sent again starts afresh and keeps its place in send order', () => {
    const t = new RecordTable();
    t.add(1, 'p', 'x-0', 10, 0, 0);
    t.add(2, 'p', 'x-0', 20, 1, 0);
    t.setAcked(1, 30, 0, 0, null, 20);
    t.addHolder(1, 4);
    t.addRemoval(1, 0);
    t.add(1, 'p', 'x-0', 40, 2, 1);
    expect([...t.ids()]).toEqual([1, 2]);
    expect(t.get(1)).toMatchObject({ sendUs: 40, sendIndex: 2, session: 1, outcome: 'pending', ackOffset: -1, holders: null, removals: null });
  });

  it('derives a latency of ackUs - sendUs, keeps any other, and lists the acknowledged ones in send order', () => {
    const t = new RecordTable();
    t.add(1, 'p', 'x-0', 1000, 0, 0);
    t.add(2, 'q', 'x-0', 2000, 0, 0);
    t.add(3, 'p', 'x-0', 3000, 1, 0);
    t.setAcked(2, 2600, 0, 0, null, 600); // = ackUs - sendUs: not stored, derived
    t.setAcked(1, 5000, 1, 0, null, 250); // a scripted latency that differs: kept as given
    t.setFailed(3, 'failed', 'X');
    expect(t.get(1)!.latencyUs).toBe(250);
    expect(t.get(2)!.latencyUs).toBe(600);
    expect(t.get(3)!.latencyUs).toBe(-1);
    const seen: [string, number][] = [];
    t.forEachAckLatency((producer, latencyUs) => seen.push([producer, latencyUs]));
    expect(seen).toEqual([['p', 250], ['q', 600]]);
    t.add(1, 'p', 'x-0', 7000, 2, 1); // sent again: no latency until acknowledged again
    expect(t.get(1)!.latencyUs).toBe(-1);
  });

  it('widens its 16-bit columns when an interned string or a session passes 65,535', () => {
    const t = new RecordTable();
    for (let id = 0; id < 70_000; id++) t.add(id, `p${id}`, 'x-0', id, 0, id === 69_999 ? 100_000 : 0);
    expect(t.get(0)).toMatchObject({ producer: 'p0', partition: 'x-0', session: 0 });
    expect(t.get(69_999)).toMatchObject({ producer: 'p69999', partition: 'x-0', session: 100_000 });
    expect(t.producer(65_536)).toBe('p65536');
  });

  it('grows past its first capacity without losing rows', () => {
    const t = new RecordTable();
    for (let id = 0; id < 5000; id += 2) t.add(id, `p${id % 3}`, `t-${id % 5}`, id, id >> 1, 0);
    expect(t.size).toBe(2500);
    expect(t.get(4998)).toMatchObject({ producer: 'p0', partition: 't-3', sendIndex: 2499 });
    expect(t.has(4999)).toBe(false);
  });
});

describe('ClientOpLog', () => {
  it('builds the ops Jepsen reads: sends with their outcome, polls joining reads of one poll(), assigns', () => {
    const log = new ClientOpLog();
    log.addSend(100, 'p1', 'ok', 'x-0', 11, 5, 90);
    log.addPoll(110, 'c1', 'x-0', [5, 6], [11, 12]);
    expect(log.lastIsPoll(110, 'c1')).toBe(true);
    expect(log.lastIsPoll(110, 'c2')).toBe(false);
    log.addRead('x-1', [0], [13]);
    log.addSend(120, 'p1', 'info', 'x-1', 14, null, 95);
    expect(log.lastIsPoll(120, 'c1')).toBe(false);
    log.addAssign(130, 'c1#2', ['x-0']);
    log.addSend(140, 'p2', 'fail', 'x-0', 15, null, 100);
    log.addPoll(150, 'c1#2', 'x-0', [], []);
    expect(log.length).toBe(6);
    expect([...log]).toEqual([
      { index: 0, timeUs: 100, invokeTimeUs: 90, process: 'p1', type: 'ok', f: 'send', sends: [{ key: 'x-0', value: 11, offset: 5 }] },
      { index: 1, timeUs: 110, process: 'c1', type: 'ok', f: 'poll', reads: [{ key: 'x-0', pairs: [[5, 11], [6, 12]] }, { key: 'x-1', pairs: [[0, 13]] }] },
      { index: 2, timeUs: 120, invokeTimeUs: 95, process: 'p1', type: 'info', f: 'send', sends: [{ key: 'x-1', value: 14, offset: null }] },
      { index: 3, timeUs: 130, process: 'c1#2', type: 'ok', f: 'assign', keys: ['x-0'] },
      { index: 4, timeUs: 140, invokeTimeUs: 100, process: 'p2', type: 'fail', f: 'send', sends: [{ key: 'x-0', value: 15, offset: null }] },
      { index: 5, timeUs: 150, process: 'c1#2', type: 'ok', f: 'poll', reads: [{ key: 'x-0', pairs: [] }] },
    ]);
  });

  it('gives back invocation times exactly, also for sends longer than 32 bits of microseconds or off the microsecond grid', () => {
    const log = new ClientOpLog();
    const hourUs = 3_600_000_000;
    log.addPoll(5, 'c1', 'x-0', [0], [9]); // an op before the sends: their rows are not the ops' indexes
    log.addSend(hourUs, 'p1', 'ok', 'x-0', 1, 0, 0); // invoked an hour before: more than 2^31 µs
    log.addSend(hourUs + 1, 'p1', 'ok', 'x-0', 2, 1, hourUs - 0.5);
    log.addSend(hourUs + 2, 'p1', 'ok', 'x-0', 3, 2, hourUs + 2);
    expect([...log].map((op) => (op.f === 'send' ? op.invokeTimeUs : -1))).toEqual([-1, 0, hourUs - 0.5, hourUs + 2]);
    expect([log.opAt(1).sends, log.opAt(0).reads]).toEqual([[{ key: 'x-0', value: 1, offset: 0 }], [{ key: 'x-0', pairs: [[0, 9]] }]]);
  });
});

describe('ClientOpLog transient passes', () => {
  /** A log with a skip and a backwards step between polls, one within a poll, an assign and every send kind. */
  function anomalousLog(): ClientOpLog {
    const log = new ClientOpLog();
    for (let v = 0; v < 6; v++) log.addSend(10 + v, 'p1', 'ok', 'x-0', v, v, 5);
    log.addSend(20, 'p1', 'info', 'x-1', 6, null, 5);
    log.addSend(21, 'p1', 'fail', 'x-1', 7, null, 5);
    log.addPoll(30, 'c1', 'x-0', [0, 1], [0, 1]);
    log.addRead('x-1', [], []);
    log.addPoll(40, 'c1', 'x-0', [3, 2], [3, 2]); // skips 2 after 1, then goes back within the poll
    log.addAssign(45, 'c1', ['x-0']);
    log.addPoll(50, 'c1', 'x-0', [1, 2, 3, 4, 5], [1, 2, 3, 4, 5]); // backwards from 2
    return log;
  }

  it('steps through the ops opAt builds, in scratch objects reused from step to step', () => {
    const log = anomalousLog();
    const seen: ClientOp[] = [];
    const objects = new Set<ClientOp>();
    for (const op of log.transient()) {
      seen.push(structuredClone(op));
      objects.add(op);
    }
    expect(seen).toEqual([...log]);
    expect(seen.map((op) => op.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(objects.size).toBe(3); // one send, one poll, the assign (built anew: assigns are few)
  });

  it('gives the same version orders, unseen values and poll anomalies, ops included, as the ops built one by one', () => {
    const log = anomalousLog();
    const built = [...log];
    expect(log.transient).toBeDefined();
    expect(versionOrders(log)).toEqual(versionOrders(built));
    expect(unseen(log)).toEqual(unseen(built));
    const fromLog = pollAnomalies(log, versionOrders(log));
    expect(fromLog).toEqual(pollAnomalies(built, versionOrders(built)));
    expect([fromLog.pollSkip.length, fromLog.nonmonotonicPoll.length, fromLog.intNonmonotonicPoll.length]).toEqual([1, 1, 1]);
    expect(fromLog.pollSkip[0].ops.map((op) => op.index)).toEqual([8, 9]);
    expect(fromLog.intNonmonotonicPoll[0].ops[0]).toBe(fromLog.intNonmonotonicPoll[0].ops[1]);
  });

  it('joins two reads of one key in a poll before comparing, as Jepsen\'s op-reads does', () => {
    const log = new ClientOpLog();
    for (let v = 0; v < 3; v++) log.addSend(10 + v, 'p1', 'ok', 'x-0', v, v, 5);
    log.addPoll(30, 'c1', 'x-0', [0], [0]);
    log.addRead('x-1', [], []);
    log.addRead('x-0', [2], [2]);
    const found = pollAnomalies(log, versionOrders(log));
    expect(found.intPollSkip.map((a) => [a.values, a.skipped])).toEqual([[[0, 2], [1]]]);
    expect(found).toEqual(pollAnomalies([...log], versionOrders([...log])));
  });
});

describe('FirstOffsets', () => {
  it('answers first offsets, reports later copies, skips compacted slots and iterates in log order', () => {
    const dups: [number, number, number][] = [];
    const f = new FirstOffsets([9, 4, -1, 9, 7, 4, 9], 100, (id, first, offset) => dups.push([id, first, offset]));
    expect(f.get(9)).toBe(100);
    expect(f.get(4)).toBe(101);
    expect(f.get(7)).toBe(104);
    expect(f.get(5)).toBeUndefined();
    expect(f.get(-1)).toBeUndefined();
    expect(dups).toEqual([[9, 100, 103], [4, 101, 105], [9, 100, 106]]);
    expect([...f]).toEqual([[9, 100], [4, 101], [7, 104]]);
  });

  it('holds many consecutive ids without collisions losing any', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => i * 3);
    const f = new FirstOffsets(ids, 0, () => expect.unreachable());
    for (let i = 0; i < ids.length; i += 997) expect(f.get(ids[i])).toBe(i);
    expect(f.get(1)).toBeUndefined();
  });

  it('indexes a log too long for packed sort keys (2^22 offsets and more) as a shorter one', () => {
    const ids = new Int32Array(2 ** 22 + 3).fill(-1);
    ids.set([30, 10, 30, 20], 2 ** 22 - 1); // a first copy below the packed limit, a later one past it
    const dups: [number, number, number][] = [];
    const f = new FirstOffsets(ids, 5, (id, first, offset) => dups.push([id, first, offset]));
    expect([f.get(30), f.get(10), f.get(20), f.get(40)]).toEqual([2 ** 22 + 4, 2 ** 22 + 5, 2 ** 22 + 7, undefined]);
    expect(dups).toEqual([[30, 2 ** 22 + 4, 2 ** 22 + 6]]);
    expect([...f]).toEqual([[30, 2 ** 22 + 4], [10, 2 ** 22 + 5], [20, 2 ** 22 + 7]]);
  });
});

describe('RecordIdSet', () => {
  it('marks ids, grows, and clears', () => {
    const s = new RecordIdSet();
    for (const id of [0, 31, 32, 100_000]) s.add(id);
    expect([0, 31, 32, 100_000].every((id) => s.has(id))).toBe(true);
    expect([1, 33, 99_999, 200_000, -1, 1.5].some((id) => s.has(id))).toBe(false);
    s.clear();
    expect(s.has(31)).toBe(false);
  });

  it('keeps the top bit of a word and ids either side of a 16K-word chunk boundary (id 524,288), and deletes exactly one', () => {
    const s = new RecordIdSet();
    const ids = [63, 524_287, 524_288, 524_319, 2_000_000];
    for (const id of ids) s.add(id);
    expect(ids.every((id) => s.has(id))).toBe(true);
    expect([62, 524_286, 524_289, 1_999_999].some((id) => s.has(id))).toBe(false);
    s.delete(524_288);
    expect([s.has(524_287), s.has(524_288), s.has(524_319), s.has(63)]).toEqual([true, false, true, true]);
  });
});

describe('ClientOpLog positions by blocks (a 16-bit step from each 1,024-row block\'s base)', () => {
  /** A log of sends, polls of several reads, assigns and empty polls, mixed across many blocks, and its ops built plainly. */
  function mixedLog(ops: number): { log: ClientOpLog; expected: ClientOp[] } {
    const log = new ClientOpLog();
    const expected: ClientOp[] = [];
    let value = 0;
    for (let i = 0; i < ops; i++) {
      const t = 10 * i;
      if (i % 7 === 3) {
        log.addAssign(t, 'c1', [`x-${i % 3}`]);
        expected.push({ index: i, timeUs: t, process: 'c1', type: 'ok', f: 'assign', keys: [`x-${i % 3}`] });
      } else if (i % 3 === 0) {
        // 0 to 4 reads of 0 to 2 records each
        const reads: { key: string; pairs: [number, number][] }[] = [];
        for (let r = 0; r <= i % 5; r++) reads.push({ key: `x-${r}`, pairs: Array.from({ length: (i + r) % 3 }, (_, k) => [i + k, value + k] as [number, number]) });
        if (reads.length === 0) continue;
        reads.forEach((read, r) => {
          const offsets = read.pairs.map((p) => p[0]);
          const ids = read.pairs.map((p) => p[1]);
          if (r === 0) log.addPoll(t, 'c2', read.key, offsets, ids);
          else log.addRead(read.key, offsets, ids);
        });
        expected.push({ index: i, timeUs: t, process: 'c2', type: 'ok', f: 'poll', reads });
      } else {
        log.addSend(t, 'p1', 'ok', 'x-0', value, value, t - 1);
        expected.push({ index: i, timeUs: t, invokeTimeUs: t - 1, process: 'p1', type: 'ok', f: 'send', sends: [{ key: 'x-0', value, offset: value }] });
        value++;
      }
    }
    return { log, expected };
  }

  it('gives back every op across block boundaries, by index and in passes', () => {
    const { log, expected } = mixedLog(5_000);
    expect(log.length).toBe(expected.length);
    expect([...log]).toEqual(expected);
    for (const i of [0, 1_023, 1_024, 1_025, 2_047, 2_048, 4_095, 4_096, expected.length - 1]) expect(log.opAt(i)).toEqual(expected[i]);
    const passed: ClientOp[] = [];
    for (const op of log.transient()) passed.push(structuredClone(op));
    expect(passed).toEqual(expected);
  });

  it('keeps a block whose reads hold more than 65,535 pairs (the steps widen)', () => {
    const log = new ClientOpLog();
    const big = Array.from({ length: 40_000 }, (_, k) => k);
    log.addPoll(1, 'c1', 'x-0', big, big);
    log.addPoll(2, 'c1', 'x-1', big, big);
    log.addPoll(3, 'c1', 'x-2', [7], [8]); // its pairs start 80,000 rows past its block's base
    log.addSend(4, 'p1', 'ok', 'x-0', 9, 0, 3);
    expect(log.opAt(1).reads?.[0].pairs.length).toBe(40_000);
    expect(log.opAt(1).reads?.[0].pairs[39_999]).toEqual([39_999, 39_999]);
    expect(log.opAt(2)).toEqual({ index: 2, timeUs: 3, process: 'c1', type: 'ok', f: 'poll', reads: [{ key: 'x-2', pairs: [[7, 8]] }] });
    expect(log.opAt(3).sends).toEqual([{ key: 'x-0', value: 9, offset: 0 }]);
  });
});

describe('ClientOpLog columns past 16 bits', () => {
  it('keeps process names once there are more than 65,536, and times far apart', () => {
    const log = new ClientOpLog();
    for (let i = 0; i < 70_000; i++) log.addSend(i * 2 ** 20, `p${i}`, 'ok', 'x-0', i, i, i * 2 ** 20 - 5);
    expect(log.opAt(0)).toMatchObject({ process: 'p0', timeUs: 0, invokeTimeUs: -5 });
    expect(log.opAt(69_999)).toMatchObject({ process: 'p69999', timeUs: 69_999 * 2 ** 20, sends: [{ key: 'x-0', value: 69_999, offset: 69_999 }] });
  });
});

describe('unseen (polled values as bits)', () => {
  it('counts a record id acknowledged and never polled, and one polled before its acknowledgement as seen', () => {
    const log = new ClientOpLog();
    log.addPoll(95, 'c', 'x-0', [2], [70_000]); // polled before acknowledged: never unseen
    log.addSend(100, 'p', 'ok', 'x-0', 5, 0, 90);
    log.addSend(110, 'p', 'ok', 'x-0', 7, 1, 100);
    log.addSend(115, 'p', 'ok', 'x-0', 70_000, 2, 100);
    log.addPoll(120, 'c', 'x-0', [0], [5]);
    const u = unseen(log);
    expect(Object.fromEntries(u.messages)).toEqual({ 'x-0': [7] });
    expect(u.series.map((s) => s.unseen['x-0'])).toEqual([undefined, 1, 2, 2, 1]); // no key before its first acknowledgement
  });

  it('lists pending values in first-acknowledgement order, ids and other values mixed, a repeat keeping its place', () => {
    const send = (index: number, value: Value): ClientOp => ({ index, timeUs: index, process: 'p', type: 'ok', f: 'send', sends: [{ key: 'k', value, offset: null }] });
    const ops: ClientOp[] = [send(0, 'a'), send(1, 9), send(2, 'b'), send(3, 4), send(4, 9), send(5, 'a'), { index: 6, timeUs: 6, process: 'c', type: 'ok', f: 'poll', reads: [{ key: 'k', pairs: [[null, 'b'], [null, 4]] }] }];
    const u = unseen(ops);
    expect(Object.fromEntries(u.messages)).toEqual({ k: ['a', 9] });
    expect(u.series.map((s) => s.unseen.k)).toEqual([1, 2, 3, 4, 4, 4, 2]);
  });

  it('keeps values that are not record ids (a Jepsen history) apart from the ids', () => {
    const ops: ClientOp[] = [
      { index: 0, timeUs: 1, process: 'p', type: 'ok', f: 'send', sends: [{ key: 'k', value: 'a', offset: 0 }, { key: 'k', value: -3, offset: 1 }, { key: 'k', value: 4, offset: 2 }] },
      { index: 1, timeUs: 2, process: 'c', type: 'ok', f: 'poll', reads: [{ key: 'k', pairs: [[0, 'a'], [1, 3]] }] },
    ];
    expect(Object.fromEntries(unseen(ops).messages)).toEqual({ k: [-3, 4] });
  });
});

describe('version orders (first values as record ids by offset)', () => {
  it('gives back every value at its offset: record ids, other numbers, strings, far offsets, a second value', () => {
    const sends: [number, Value][] = [[0, 7], [1, -3], [2, 'a'], [3, 2.5], [4, 0], [5, -0], [1e9, 11], [6, 2 ** 31], [0, 8]];
    const ops: ClientOp[] = sends.map(([offset, value], index) => ({ index, timeUs: index, process: 'p', type: 'ok', f: 'send', sends: [{ key: 'k', value, offset }] }));
    const o = versionOrders(ops).orders.get('k')!;
    expect(Array.from(o.offsets)).toEqual([0, 1, 2, 3, 4, 5, 6, 1e9]);
    expect(o.offsets).toBeInstanceOf(Int32Array); // every offset fits 32 bits: 4 bytes each
    expect(Array.from(o.offsets, (offset) => o.valuesAt(offset))).toEqual([[7, 8], [-3], ['a'], [2.5], [0], [-0], [2 ** 31], [11]]);
    expect(Object.is(o.valuesAt(5)[0], -0)).toBe(true);
    expect(versionOrders(ops).errors.map((e) => [e.offset, e.values])).toEqual([[0, [7, 8]]]);
  });

  it('merges far and negative offsets into ascending order, as a plain array once one does not fit 32 bits', () => {
    const sends: [number, Value][] = [[2 ** 40, 1], [3, 2], [-5, 3], [1, 4], [2 ** 31 + 7, 5]];
    const ops: ClientOp[] = sends.map(([offset, value], index) => ({ index, timeUs: index, process: 'p', type: 'ok', f: 'send', sends: [{ key: 'k', value, offset }] }));
    const o = versionOrders(ops).orders.get('k')!;
    expect(o.offsets).toEqual([-5, 1, 3, 2 ** 31 + 7, 2 ** 40]);
    expect([o.valueAt(0), o.valueAt(2), o.valueAt(4)]).toEqual([3, 2, 1]);
  });
});
