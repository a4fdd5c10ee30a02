// Jepsen's history format both ways: hand-written Jepsen-style histories read and checked (a
// poll-skip caught, a clean history passed, bad input refused with a one-line error), a written
// history's shape (invocations, time order, single-threaded integer processes, nanoseconds), and
// the round trip on a ksim run that loses writes: export, import, the same findings, and the
// records ksim's own lost-write checker names.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODELS, SCENARIO_PRESETS } from '../../index.ts';
import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import { UserError } from '../../../src/scenario/user-error.ts';
import { TraceReader } from '../../../src/trace/trace-reader.ts';
import type { ClientOp } from './client-history.ts';
import { runWithClientHistory } from './client-history-observer.ts';
import { checkHistory } from './history-check.ts';
import { formatJepsenHistory, jepsenOps, parseJepsenHistory } from './jepsen-history-edn.ts';

const POLL_SKIP = `
{:type :invoke, :f :send, :process 0, :time 1000, :value [[:send 7 10] [:send 7 11] [:send 7 12]]}
{:type :ok, :f :send, :process 0, :time 2000, :value [[:send 7 [0 10]] [:send 7 [1 11]] [:send 7 [2 12]]]}
{:type :invoke, :f :assign, :process 1, :time 3000, :value [7]}
{:type :ok, :f :assign, :process 1, :time 3000, :value [7]}
{:type :invoke, :f :poll, :process 1, :time 4000, :value [[:poll]]}
{:type :ok, :f :poll, :process 1, :time 5000, :value [[:poll {7 [[0 10]]}]]}
{:type :invoke, :f :poll, :process 1, :time 6000, :value [[:poll]]}
{:type :ok, :f :poll, :process 1, :time 7000, :value [[:poll {7 [[2 12]]}]]}
`;

describe('reading a Jepsen history', () => {
  it('catches a poll-skip in a hand-written history, naming the skipped value (lost and unseen too, as Jepsen reports it)', () => {
    const check = checkHistory(parseJepsenHistory(POLL_SKIP).ops);
    expect(check.violations.map((v) => [v.property, v.partition, v.values])).toEqual([
      ['lost-write', '7', [11]],
      ['poll-skip', '7', [10, 12]],
      ['unseen', '7', [11]],
    ]);
    expect(check.violations[1].message).toContain('skipping 11');
  });

  it('passes the same history when the consumer read the middle value, and allows the skip under subscribe', () => {
    const clean = POLL_SKIP.replace('[[:poll {7 [[2 12]]}]]', '[[:poll {7 [[1 11] [2 12]]}]]');
    expect(checkHistory(parseJepsenHistory(clean).ops).violations).toEqual([]);
    const subscribed = checkHistory(parseJepsenHistory(POLL_SKIP).ops, { subscribe: true });
    expect(subscribed.violations.map((v) => v.property)).toEqual(['lost-write', 'unseen']);
    expect(subscribed.allowed).toEqual({ 'poll-skip': 1 });
  });

  it('reads keywords with their colon, times in microseconds, and drops non-client ops', () => {
    const h = parseJepsenHistory('{:type :info, :f :start-partition, :process :nemesis, :time 5}\n{:type :ok, :f :send, :process 3, :index 9, :time 2500, :value [[:send :x [4 "v"]]]}\n');
    expect(h.ops).toEqual([{ index: 0, timeUs: 2.5, process: '3', type: 'ok', f: 'send', sends: [{ key: ':x', value: 'v', offset: 4 }], reads: [] }]);
    expect(h.ednIndex.get(h.ops[0])).toBe(9);
  });

  it('refuses what is not a Kafka-workload history with a one-line error', () => {
    expect(() => parseJepsenHistory('{:type :ok, :f :send')).toThrow(UserError);
    expect(() => parseJepsenHistory('{:type :ok, :f :read, :process 0, :value [[:r :x 1]]}')).toThrow(/history op 1: :f must be one of :send/);
    expect(() => parseJepsenHistory('[1 2]')).toThrow(/op 1 is not an EDN map/);
    expect(() => parseJepsenHistory('{:type :ok, :f :poll, :process 0, :value [[:poll [1 2]]]}')).toThrow(/\[:poll \.\.\.\] result must be a map/);
  });
});

describe('writing a Jepsen history', () => {
  const op = (index: number, process: string, invokeTimeUs: number, timeUs: number, value: number, offset: number): ClientOp => ({
    index,
    timeUs,
    invokeTimeUs,
    process,
    type: 'ok',
    f: 'send',
    sends: [{ key: 'orders-0', value, offset }],
  });
  // p1 pipelines two sends (the second invoked before the first completes); p2 sends one after.
  const ops = [op(0, 'p1', 10, 30, 1, 0), op(1, 'p1', 20, 40, 2, 1), op(2, 'p2', 50, 60, 3, 2)];

  it('writes each op after its invocation, in time order, one integer process per concurrent op, times in ns', () => {
    const lines = formatJepsenHistory(ops).trim().split('\n');
    expect(lines).toEqual([
      '{:type :invoke :f :send :process 0 :index 0 :time 10000 :value [[:send "orders-0" 1]]}',
      '{:type :invoke :f :send :process 1 :index 1 :time 20000 :value [[:send "orders-0" 2]]}',
      '{:type :ok :f :send :process 0 :index 2 :time 30000 :value [[:send "orders-0" [0 1]]]}',
      '{:type :ok :f :send :process 1 :index 3 :time 40000 :value [[:send "orders-0" [1 2]]]}',
      '{:type :invoke :f :send :process 2 :index 4 :time 50000 :value [[:send "orders-0" 3]]}',
      '{:type :ok :f :send :process 2 :index 5 :time 60000 :value [[:send "orders-0" [2 3]]]}',
    ]);
  });

  it('reads back what it wrote, op for op', () => {
    const back = parseJepsenHistory(formatJepsenHistory(ops)).ops;
    const numbered = new Map<string, string>();
    const expected = jepsenOps(ops).map((o) => {
      if (!numbered.has(o.process)) numbered.set(o.process, String(numbered.size));
      return { ...o, process: numbered.get(o.process)!, ...(o.type === 'invoke' ? { sends: o.sends!.map((s) => ({ ...s, offset: null })) } : {}), reads: [] };
    });
    expect(back).toEqual(expected);
    expect(formatJepsenHistory(back)).toBe(formatJepsenHistory(ops));
  });
});

describe('round trip on a ksim run that loses writes', () => {
  const trace = path.join(import.meta.dirname, '..', '..', '..', 'traces', 'lost-write-cab1f71822101243.jsonl');

  it('export then import gives the same findings, and lost-write names the records ksim lost', () => {
    expect(fs.existsSync(trace)).toBe(true);
    const reader = TraceReader.open(trace);
    const { report, ops } = runWithClientHistory(resolveScenario(reader.header.scenario, MODELS));
    expect(report.traceHash).toBe(reader.footer.traceHash);
    const direct = checkHistory(jepsenOps(ops));
    const imported = checkHistory(parseJepsenHistory(formatJepsenHistory(ops)).ops);
    const findings = (c: typeof direct) => c.violations.map((v) => [v.property, v.partition, v.values]);
    expect(findings(imported)).toEqual(findings(direct));
    const lost = imported.violations.find((v) => v.property === 'lost-write')!;
    const ksimLost = report.violations.find((v) => v.property === 'lost-write')!;
    expect(ksimLost.message).toMatch(/: 11 acknowledged records missing from the final log of orders-0/);
    expect(lost.partition).toBe('orders-0');
    expect((lost.values as number[]).length).toBe(11);
    const named = ksimLost.records as number[];
    expect((lost.values as number[]).slice(0, named.length)).toEqual(named);
  });
});

describe('sends still in flight at the end of a run', () => {
  // check-small with the brokers' answers to the producer cut for the last 0.5 s: the leader
  // appends and commits records whose acknowledgements never arrive, and the final polls read them.
  const raw = {
    ...(SCENARIO_PRESETS['check-small'] as Record<string, unknown>),
    faults: [{ atMs: 19_500, kind: 'partition-one-way', from: ['b1', 'b2', 'b3'], to: ['p1'], durationMs: 5000 }],
  };

  it('are exported as :info sends at the end, so every record a poll reads has its send in the history', () => {
    const { report, ops } = runWithClientHistory(resolveScenario(raw, MODELS));
    const sent = new Set(ops.flatMap((op) => (op.f === 'send' && op.type !== 'fail' ? (op.sends ?? []).map((s) => s.value) : [])));
    const polled = ops.flatMap((op) => (op.type === 'ok' ? (op.reads ?? []).flatMap((r) => r.pairs.map(([, v]) => v)) : []));
    const inFlight = ops.filter((op) => op.f === 'send' && op.type === 'info');
    // the cut leaves sends in flight, some of whose records the final polls read
    expect(inFlight.length).toBeGreaterThan(0);
    expect(polled.filter((v) => inFlight.some((op) => op.sends![0].value === v)).length).toBeGreaterThan(0);
    expect(polled.filter((v) => !sent.has(v))).toEqual([]);
    // each at the end of the run, invoked when the producer sent it
    const endUs = report.virtualMs * 1000;
    for (const op of inFlight) expect([op.timeUs, op.invokeTimeUs! <= endUs]).toEqual([endUs, true]);
    // an in-flight send is neither an ok nor a failed send of the run's own history
    const completed = new Set(ops.filter((op) => op.f === 'send' && op.type !== 'info').map((op) => op.sends![0].value));
    expect(inFlight.filter((op) => completed.has(op.sends![0].value))).toEqual([]);
  });

  it('a process whose op ended :info never invokes again (Jepsen: the client crashed)', () => {
    const { ops } = runWithClientHistory(resolveScenario({ ...raw, faults: [{ ...raw.faults[0], atMs: 18_500 }] }, MODELS));
    const history = parseJepsenHistory(formatJepsenHistory(ops), false).ops;
    const crashed = new Set<string>();
    const reused = history.filter((op) => {
      if (crashed.has(op.process)) return true;
      if (op.type === 'info') crashed.add(op.process);
      return false;
    });
    expect(crashed.size).toBeGreaterThan(1);
    expect(reused).toEqual([]);
  });
});
