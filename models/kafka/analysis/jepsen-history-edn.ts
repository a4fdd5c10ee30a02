// Jepsen's Kafka-workload history format (jepsen.tests.kafka, the `history.edn` Jepsen and
// Maelstrom's kafka workload write): one EDN operation map per op,
//   {:type :ok, :f :send, :process 0, :index 1, :time 1000, :value [[:send 3 [12 7]]]}
// with :type :invoke/:ok/:info/:fail, :f :send/:poll/:txn/:assign/:subscribe, micro-ops
// [:send k v] / [:send k [offset v]] and [:poll] / [:poll {k [[offset v] ...]}], :time in
// nanoseconds and an optional :rebalance-log [{:keys [k ...]} ...] (kafka.clj's namespace doc).
//
// Read and written with edn-data (a maintained EDN library), never by hand. Keys and values map to
// ClientOp's strings and numbers so that a history survives export then import unchanged: an EDN
// keyword :x is ":x", an integer stays a number (an integer key becomes its decimal string, as a
// ClientOp key is a string), an EDN string is itself. Jepsen's analysis reads only client ops (an
// integer :process, jepsen.history/client-ops); `clientOnly` drops the others as it does.

import { parseEDNString, toEDNString, type EDNVal } from 'edn-data';
import { UserError } from '../../../src/scenario/user-error.ts';
import type { ClientOp, ReadPair, Value } from './client-history.ts';

const OP_TYPES = ['invoke', 'ok', 'info', 'fail'] as const;
const OP_FS = ['send', 'poll', 'txn', 'assign', 'subscribe'] as const;

/** A history read from EDN: its client ops, numbered 0.. in file order. */
export interface JepsenHistory {
  ops: ClientOp[];
  /** Each op's :index as the file gives it (Jepsen names ops by it: op@N); -1 when it has none. */
  ednIndex: Map<ClientOp, number>;
}

type EdnMap = Map<EDNVal, EDNVal>;

function keyword(v: EDNVal): string | null {
  return v !== null && typeof v === 'object' && 'key' in v && typeof v.key === 'string' ? v.key : null;
}

function field(m: EdnMap, name: string): EDNVal | undefined {
  for (const [k, v] of m) if (keyword(k) === name) return v;
  return undefined;
}

/** An EDN key or value as ClientOp holds it. */
function valueOf(v: EDNVal, where: string): Value {
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number(v);
  const k = keyword(v);
  if (k !== null) return `:${k}`;
  throw new UserError(`${where}: expected a keyword, integer or string, got ${toEDNString(v)}`);
}

function keyOf(v: EDNVal, where: string): string {
  return String(valueOf(v, where));
}

function sendOf(mop: EDNVal[], where: string): { key: string; value: Value; offset: number | null } {
  const v = mop[2];
  const key = keyOf(mop[1], where);
  if (Array.isArray(v)) return { key, offset: typeof v[0] === 'number' ? v[0] : null, value: valueOf(v[1], where) };
  return { key, offset: null, value: valueOf(v, where) };
}

function readsOf(polled: EDNVal, where: string): { key: string; pairs: ReadPair[] }[] {
  if (!(polled instanceof Map)) throw new UserError(`${where}: a [:poll ...] result must be a map of key to [[offset value] ...]`);
  const out: { key: string; pairs: ReadPair[] }[] = [];
  for (const [k, pairs] of polled) {
    if (!Array.isArray(pairs)) throw new UserError(`${where}: the reads of key ${toEDNString(k)} must be a vector of [offset value] pairs`);
    out.push({
      key: keyOf(k, where),
      pairs: pairs.map((p) => {
        if (!Array.isArray(p) || p.length !== 2) throw new UserError(`${where}: a read must be an [offset value] pair, got ${toEDNString(p)}`);
        return [typeof p[0] === 'number' ? p[0] : null, valueOf(p[1], where)] as const;
      }),
    });
  }
  return out;
}

function opOf(m: EdnMap, position: number, where: string): ClientOp {
  const type = keyword(field(m, 'type') ?? null);
  const f = keyword(field(m, 'f') ?? null);
  if (!type || !(OP_TYPES as readonly string[]).includes(type)) throw new UserError(`${where}: :type must be one of :${OP_TYPES.join(', :')}`);
  if (!f || !(OP_FS as readonly string[]).includes(f)) throw new UserError(`${where}: :f must be one of :${OP_FS.join(', :')} (a Kafka-workload history)`);
  const time = field(m, 'time');
  const op: ClientOp = {
    index: position,
    // Jepsen's :time is in nanoseconds; -1 (no time) stays -1.
    timeUs: typeof time === 'number' ? (time < 0 ? -1 : time / 1000) : -1,
    process: String(field(m, 'process') ?? 'nil'),
    type: type as ClientOp['type'],
    f: f as ClientOp['f'],
  };
  const value = field(m, 'value') ?? null;
  if (f === 'assign' || f === 'subscribe') {
    op.keys = Array.isArray(value) ? value.map((k) => keyOf(k, where)) : [];
    return op;
  }
  op.sends = [];
  op.reads = [];
  for (const mop of Array.isArray(value) ? value : []) {
    if (!Array.isArray(mop)) throw new UserError(`${where}: a micro-op must be a vector like [:send k v] or [:poll]`);
    const name = keyword(mop[0]);
    if (name === 'send' && mop.length >= 3) op.sends.push(sendOf(mop, where));
    else if (name === 'poll' && mop.length > 1) op.reads.push(...readsOf(mop[1], where));
  }
  const log = field(m, 'rebalance-log');
  if (Array.isArray(log))
    op.rebalancedKeys = log.flatMap((entry) => {
      const keys = entry instanceof Map ? field(entry, 'keys') : undefined;
      return Array.isArray(keys) ? keys.map((k) => keyOf(k, where)) : [];
    });
  return op;
}

/**
 * Reads a history.edn (a sequence of op maps, one a line as Jepsen writes it, or one EDN vector of
 * them). `clientOnly` keeps only ops with an integer :process, as Jepsen's analysis does.
 * @throws UserError naming the op (its position) and what is wrong with it.
 */
export function parseJepsenHistory(text: string, clientOnly = true): JepsenHistory {
  let forms: EDNVal;
  try {
    forms = parseEDNString(text.trimStart().startsWith('[') ? text : `[${text}\n]`, { mapAs: 'map', setAs: 'array', listAs: 'array' }) as EDNVal;
  } catch (e) {
    throw new UserError(`history: not valid EDN (${(e as Error).message}); give a Jepsen history.edn, one op map a line`);
  }
  // edn-data returns null, not an error, for input that ends inside a map or vector.
  if (!Array.isArray(forms)) throw new UserError('history: not valid EDN (it ends inside a map or vector); give a Jepsen history.edn, one op map a line');
  const maps = forms.filter((m, i): m is EdnMap => {
    if (!(m instanceof Map)) throw new UserError(`history: op ${i + 1} is not an EDN map; give one op map a line`);
    return !clientOnly || typeof field(m, 'process') === 'number';
  });
  const ops = maps.map((m, i) => opOf(m, i, `history op ${i + 1}`));
  return { ops, ednIndex: new Map(ops.map((op, i) => [op, (field(maps[i], 'index') as number | undefined) ?? -1])) };
}

const kw = (name: string): EDNVal => ({ key: name });

/** A key or value as EDN: ":x" is a keyword, a decimal string an integer, a number itself. */
function ednOf(v: Value): EDNVal {
  if (typeof v === 'number') return v;
  if (v.startsWith(':') && v.length > 1) return kw(v.slice(1));
  return /^-?\d{1,15}$/.test(v) ? Number(v) : v;
}

function valueEdn(op: ClientOp, completion: boolean): EDNVal {
  if (op.f === 'assign' || op.f === 'subscribe') return (op.keys ?? []).map(ednOf);
  const mops: EDNVal[] = [];
  for (const s of op.sends ?? []) mops.push([kw('send'), ednOf(s.key), completion && s.offset !== null ? [s.offset, ednOf(s.value)] : ednOf(s.value)]);
  if (op.f === 'poll' || op.f === 'txn') {
    if (!completion || (op.reads ?? []).length === 0) mops.push([kw('poll')]);
    else mops.push([kw('poll'), new Map(op.reads!.map((r) => [ednOf(r.key), r.pairs.map(([o, v]) => [o, ednOf(v)])] as [EDNVal, EDNVal]))]);
  }
  return mops;
}

/**
 * The ops as Jepsen's history holds them: each completion preceded by its invocation, in time
 * order (an op's invocation before its completion, an earlier op's completion before a later op's
 * invocation at the same time), and every process single-threaded as Jepsen requires: a client
 * with several ops in flight (a producer pipelining sends) takes one process per concurrent op,
 * "producer-a/0", "producer-a/1"..., the lowest one free; after an :info completion (outcome
 * unknown: Jepsen's client crashed) a process is never used again. A history that already has its
 * invocations (one read from EDN) is returned as it is.
 */
export function jepsenOps(ops: readonly ClientOp[]): ClientOp[] {
  if (ops.some((op) => op.type === 'invoke')) return [...ops];
  const steps = ops.flatMap((op, i) => [
    { timeUs: op.invokeTimeUs ?? op.timeUs, order: 2 * i, op, invoke: true },
    { timeUs: op.timeUs, order: 2 * i + 1, op, invoke: false },
  ]);
  steps.sort((a, b) => a.timeUs - b.timeUs || a.order - b.order);
  const busy = new Map<string, boolean[]>();
  const laneOf = new Map<ClientOp, number>();
  const out: ClientOp[] = [];
  for (const { op, invoke, timeUs } of steps) {
    let lanes = busy.get(op.process);
    if (!lanes) busy.set(op.process, (lanes = []));
    let lane = laneOf.get(op);
    if (lane === undefined) {
      lane = lanes.indexOf(false);
      if (lane < 0) lane = lanes.length;
      lanes[lane] = true;
      laneOf.set(op, lane);
    }
    // A process whose op ended :info crashed for Jepsen and never runs again: its lane stays taken.
    if (!invoke) lanes[lane] = op.type === 'info';
    const { invokeTimeUs: _, ...rest } = op;
    out.push({ ...rest, index: out.length, timeUs, process: `${op.process}/${lane}`, type: invoke ? 'invoke' : op.type });
  }
  return out;
}

/**
 * Writes a history as Jepsen's Kafka workload records it (jepsenOps: invocations, time order,
 * single-threaded processes), processes numbered 0.. in order of first appearance (Jepsen's client
 * processes are integers), :time in nanoseconds, :index 0.. in order, an invocation's value
 * without offsets or results. One op map a line, as history.edn holds them.
 */
export function formatJepsenHistory(ops: readonly ClientOp[]): string {
  const processes = new Map<string, number>();
  const lines: string[] = [];
  for (const op of jepsenOps(ops)) {
    let process = processes.get(op.process);
    if (process === undefined) processes.set(op.process, (process = processes.size));
    const m = new Map<EDNVal, EDNVal>([
      [kw('type'), kw(op.type)],
      [kw('f'), kw(op.f)],
      [kw('process'), process],
      [kw('index'), lines.length],
      [kw('time'), op.timeUs < 0 ? -1 : Math.round(op.timeUs * 1000)],
      [kw('value'), valueEdn(op, op.type !== 'invoke')],
    ]);
    if (op.rebalancedKeys?.length) m.set(kw('rebalance-log'), [new Map([[kw('keys'), op.rebalancedKeys.map(ednOf)]])]);
    lines.push(toEDNString(m));
  }
  return lines.map((l) => `${l}\n`).join('');
}
