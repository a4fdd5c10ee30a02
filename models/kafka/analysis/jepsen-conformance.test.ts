// The consumer-side analyses against Jepsen's own Kafka checker tests: the hand-written histories
// of jepsen-io/jepsen's kafka_test.clj (testing/jepsen-histories/, with what each test asserts and
// every error type Jepsen's analysis reports on it). For the anomalies ksim implements, ksim must
// report exactly the types Jepsen reports (at least them where the log is inconsistent), and the
// details the tests assert.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClientOp } from './client-history.ts';
import { pollAnomalies, type PollAnomaly } from './poll-anomalies.ts';
import { unseen } from './unseen-records.ts';
import { versionOrders } from './version-orders.ts';
import { readJepsenHistory, type JepsenHistory } from '../testing/jepsen-edn.ts';

const DIR = path.join(import.meta.dirname, '..', 'testing', 'jepsen-histories');
const EXPECTED = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Record<
  string,
  { anomalies: string[]; absent: string[]; entry_point: string; jepsen_error_types: string[] | null }
>;
const OURS = ['poll-skip', 'nonmonotonic-poll', 'int-poll-skip', 'int-nonmonotonic-poll', 'inconsistent-offsets', 'unseen'];

function load(file: string, clientOnly = true): JepsenHistory {
  return readJepsenHistory(fs.readFileSync(path.join(DIR, file), 'utf8'), clientOnly);
}

/** The error types ksim's analyses report on a history, as Jepsen names them. */
function reported(ops: ClientOp[]): string[] {
  const vo = versionOrders(ops);
  const p = pollAnomalies(ops, vo);
  const u = unseen(ops);
  const types: string[] = [];
  if (p.pollSkip.length) types.push('poll-skip');
  if (p.nonmonotonicPoll.length) types.push('nonmonotonic-poll');
  if (p.intPollSkip.length) types.push('int-poll-skip');
  if (p.intNonmonotonicPoll.length) types.push('int-nonmonotonic-poll');
  if (vo.errors.length) types.push('inconsistent-offsets');
  if (u.messages.size) types.push('unseen');
  return types.sort();
}

/** An anomaly as Jepsen's tests write it: ops by their :index. */
function jepsenForm(h: JepsenHistory, a: PollAnomaly, within: boolean) {
  const ops = within ? { op: h.ednIndex.get(a.ops[0]) } : { ops: a.ops.map((o) => h.ednIndex.get(o)) };
  return { key: a.key, delta: a.delta, ...(a.kind === 'skip' ? { skipped: a.skipped } : { values: a.values }), ...ops };
}

describe("Jepsen's Kafka checker tests", () => {
  for (const [file, e] of Object.entries(EXPECTED)) {
    if (e.entry_point !== 'analysis') continue;
    it(`${file}: reports what Jepsen reports (${OURS.filter((t) => e.jepsen_error_types?.includes(t)).join(', ') || 'none of ours'})`, () => {
      const types = reported(load(file).ops);
      for (const t of e.anomalies.filter((x) => OURS.includes(x))) expect(types).toContain(t);
      for (const t of e.absent) if (t === '*') expect(types).toEqual([]);
      else expect(types).not.toContain(t);
      const jepsen = OURS.filter((t) => e.jepsen_error_types!.includes(t)).sort();
      // Where one offset holds two values Jepsen drops the offsets and compares reads by value (one
      // value per offset, picked arbitrarily); ksim compares them by the offset they were read at,
      // so it also sees a consumer reading one offset twice (duplicate-test--hash-insensitive).
      if (types.includes('inconsistent-offsets')) for (const t of jepsen) expect(types).toContain(t);
      else expect(types).toEqual(jepsen);
    });
  }

  it('poll-skip-test: the two skips with their skipped values', () => {
    const h = load('poll-skip-test.edn');
    const p = pollAnomalies(h.ops, versionOrders(h.ops));
    expect(p.pollSkip.map((a) => jepsenForm(h, a, false))).toEqual([
      { key: ':x', ops: [1, 7], delta: 2, skipped: [':c'] },
      { key: ':x', ops: [7, 13], delta: 2, skipped: [':f'] },
    ]);
  });

  it('poll-skip-test--txn-abort-doesnt-roll-back: a failed poll is compared but does not move the last read', () => {
    const h = load('poll-skip-test--txn-abort-doesnt-roll-back.edn');
    const p = pollAnomalies(h.ops, versionOrders(h.ops));
    expect(p.pollSkip.map((a) => jepsenForm(h, a, false))).toEqual([
      { key: ':x', delta: 3, skipped: [1, 2], ops: [2, 6] },
      { key: ':x', delta: 5, skipped: [1, 2, 3, 4], ops: [2, 8] },
    ]);
  });

  it('nonmonotonic-poll-test: subscribing or assigning to the same key keeps the comparison', () => {
    for (const file of ['nonmonotonic-poll-test--together.edn', 'nonmonotonic-poll-test--subscribe-xy.edn', 'nonmonotonic-poll-test--assign-xy.edn']) {
      const h = load(file);
      const p = pollAnomalies(h.ops, versionOrders(h.ops));
      expect(p.nonmonotonicPoll.map((a) => jepsenForm(h, a, false))).toEqual([{ key: ':x', ops: [3, 7], values: [':c', ':b'], delta: -1 }]);
    }
  });

  it('int-poll-skip-test and int-nonmonotonic-poll-test: within one poll', () => {
    const s = load('int-poll-skip-test.edn');
    expect(pollAnomalies(s.ops, versionOrders(s.ops)).intPollSkip.map((a) => ({ ...jepsenForm(s, a, true), values: a.values }))).toEqual([
      { key: ':x', values: [':a', ':d'], skipped: [':b'], delta: 2, op: 3 },
      { key: ':x', values: [':a', ':d'], skipped: [':b'], delta: 2, op: 5 },
    ]);
    const n = load('int-nonmonotonic-poll-test.edn');
    expect(pollAnomalies(n.ops, versionOrders(n.ops)).intNonmonotonicPoll.map((a) => jepsenForm(n, a, true))).toEqual([
      { key: ':x', values: [':c', ':a'], delta: -2, op: 3 },
      { key: ':x', values: [':c', ':c'], delta: 0, op: 5 },
    ]);
  });

  it('unseen-test: the count over time, and nothing unseen at the end', () => {
    const u = unseen(load('unseen-test.edn').ops);
    expect(u.series.map((s) => ({ time: s.timeUs, unseen: s.unseen }))).toEqual([
      { time: 1, unseen: {} },
      { time: 3, unseen: { ':x': 2 } },
      { time: 5, unseen: { ':x': 1 } },
      { time: 7, unseen: { ':x': 0 } },
    ]);
    expect(u.messages.size).toBe(0);
  });

  it('inconsistent-offsets: an info send counts once an ok poll read one of its values', () => {
    expect(versionOrders(load('inconsistent-offsets-test--info-conflicts-no-poll.edn').ops).errors).toEqual([]);
    expect(versionOrders(load('inconsistent-offsets-test--info-conflicts-with-poll.edn').ops).errors).toEqual([{ key: ':x', index: 0, offset: 0, values: [1, 2] }]);
  });

  it('version-orders-test: one offset with two values, dense indices over a gap', () => {
    const vo = versionOrders(load('version-orders-test.edn', false).ops);
    expect(vo.errors.map((x) => ({ ...x, values: [...x.values].sort() }))).toEqual([{ key: ':x', index: 1, offset: 1, values: [':b', ':c'] }]);
    const x = vo.orders.get(':x')!;
    expect(x.offsets).toEqual([0, 1, 3, 4]);
    expect([...x.log.entries()].sort((a, b) => a[0] - b[0]).map(([o, v]) => [o, [...v].sort()])).toEqual([
      [0, [':a']],
      [1, [':b', ':c']],
      [3, [':b']],
      [4, [':d']],
    ]);
    const real = versionOrders(load('version-orders-test--real-world-example.edn').ops);
    expect(real.errors.map((e) => ({ ...e, values: [...e.values].sort() }))).toEqual([{ key: '11', index: 0, offset: 537, values: [641, 645] }]);
  });

  it('duplicate-test--hash-insensitive: two offsets each holding ten values', () => {
    const vo = versionOrders(load('duplicate-test--hash-insensitive.edn').ops);
    expect(vo.errors.map((e) => [e.offset, e.index, [...e.values].sort()])).toEqual([
      [0, 0, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
      [1, 1, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
    ]);
  });
});
