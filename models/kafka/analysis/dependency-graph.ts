// The dependency graph Jepsen's Kafka checker hands to Elle (jepsen.tests.kafka: ww-graph, wr-graph,
// graph; elle.core/realtime-graph, which cycles! adds because its consistency model is
// :strict-serializable): vertices are the completions (ok, info, fail) of send, poll and txn ops,
// and an edge a -> b says b depends on a:
// - ww (only with Jepsen's :ww-deps): a sent v1 to key k, b sent v2 to k, and v1 is just before v2
//   in k's version order (Jepsen's previous-value over its by-index / by-value);
// - wr: a sent v to k and b polled v of k (a poll of one's own write makes no edge);
// - realtime: a completed ok before b was invoked. As Elle does, only a transitive reduction: an ok
//   completion waits in a buffer, each invocation links every buffered op to its completion, and an
//   ok completion drops from the buffer the ops that were linked to it (they precede it already).
// rw edges stay out, as kafka.clj leaves them out (commented out in its graph).
//
// Jepsen throws when a value read, or one just before a value sent, has no writer; ksim draws no
// edge then (a history exported by ksim leaves out sends that never completed). Edges are held as
// compressed rows (CSR), deduplicated, each with the set of its relations: a 100k-op history is a
// few typed arrays, never a map per op.

import type { ClientOp, OpHistory, Value } from './client-history.ts';
import type { VersionOrders } from './version-orders.ts';
import { byValue } from './write-anomalies.ts';

/** Edge relations, as bits (Elle's rels). */
export const WW = 1;
export const WR = 2;
export const REALTIME = 4;

/** Edges before dedup, growing by doubling (from, to, relation). */
class EdgeList {
  from = new Int32Array(1024);
  to = new Int32Array(1024);
  rel = new Uint8Array(1024);
  length = 0;

  add(from: number, to: number, rel: number): void {
    if (this.length === this.from.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.from = grow(this.from);
      this.to = grow(this.to);
      this.rel = grow(this.rel);
    }
    this.from[this.length] = from;
    this.to[this.length] = to;
    this.rel[this.length++] = rel;
  }
}

export interface DependencyGraph {
  /** Vertex i: the completion op it stands for, in history order. */
  ops: ClientOp[];
  /** The invocation of each vertex's op, when the history has one. */
  invocations: (ClientOp | undefined)[];
  /** Out-edges of v: to[start[v] .. start[v + 1]), ascending, with their relation bits in rel. */
  start: Int32Array;
  to: Int32Array;
  rel: Uint8Array;
  /** Why b depends on a along one relation, in Jepsen's words (for a reported cycle), and the key it names. */
  explain(a: number, b: number, rel: number, name: (op: ClientOp) => string): { text: string; key?: string };
}

const cycleOp = (op: ClientOp) => op.f === 'send' || op.f === 'poll' || op.f === 'txn';

/** The ok ops that later invocations follow, in insertion order, as a linked list over vertices (O(1) removal). */
class OkBuffer {
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private head = -1;
  private tail = -1;

  constructor(vertices: number) {
    this.next = new Int32Array(vertices).fill(-2); // -2: not in the buffer
    this.prev = new Int32Array(vertices);
  }

  add(v: number): void {
    this.next[v] = -1;
    this.prev[v] = this.tail;
    if (this.tail >= 0) this.next[this.tail] = v;
    else this.head = v;
    this.tail = v;
  }

  delete(v: number): void {
    if (this.next[v] === -2) return;
    const [p, n] = [this.prev[v], this.next[v]];
    if (p >= 0) this.next[p] = n;
    else this.head = n;
    if (n >= 0) this.prev[n] = p;
    else this.tail = p;
    this.next[v] = -2;
  }

  forEach(f: (v: number) => void): void {
    for (let v = this.head; v >= 0; v = this.next[v]) f(v);
  }
}

/**
 * Elle's realtime-graph over the history's send/poll/txn ops, given with the vertex of each
 * completion (-1 for an invocation); returns each vertex's invocation.
 */
function realtimeEdges(ops: readonly ClientOp[], vertexAt: Int32Array, vertices: number, edges: EdgeList): (ClientOp | undefined)[] {
  // Jepsen's processes are single-threaded: an invocation's completion is its process's next op.
  const completionAt = new Int32Array(ops.length).fill(-1);
  const pending = new Map<string, number>();
  ops.forEach((op, i) => {
    if (op.type === 'invoke') return void pending.set(op.process, i);
    const inv = pending.get(op.process);
    if (inv !== undefined) completionAt[inv] = i;
    pending.delete(op.process);
  });
  const invocations: (ClientOp | undefined)[] = new Array(vertices).fill(undefined);
  /** The edges linked to each vertex at its invocation: [linkedFirst, linkedEnd) in the edge list. */
  const linkedFirst = new Int32Array(vertices);
  const linkedEnd = new Int32Array(vertices);
  const buffer = new OkBuffer(vertices);
  ops.forEach((op, i) => {
    if (op.type === 'invoke') {
      if (completionAt[i] < 0) return;
      const c = vertexAt[completionAt[i]];
      invocations[c] = op;
      linkedFirst[c] = edges.length;
      buffer.forEach((a) => edges.add(a, c, REALTIME));
      linkedEnd[c] = edges.length;
    } else if (op.type === 'ok') {
      const v = vertexAt[i];
      for (let e = linkedFirst[v]; e < linkedEnd[v]; e++) buffer.delete(edges.from[e]);
      buffer.add(v);
    }
    // fail and info: nothing follows an op that did not happen or may never finish.
  });
  return invocations;
}

/** Compressed rows of the edges, each (from, to) once with the union of its relations. */
function compress(n: number, edges: EdgeList): { start: Int32Array; to: Int32Array; rel: Uint8Array } {
  const start = new Int32Array(n + 1);
  for (let e = 0; e < edges.length; e++) start[edges.from[e] + 1]++;
  for (let v = 0; v < n; v++) start[v + 1] += start[v];
  // Sort each row by target: (to << 3 | rel) sorts by target, then merge equal targets.
  const keyed = new Int32Array(edges.length);
  const fill = start.slice(0, n);
  for (let e = 0; e < edges.length; e++) keyed[fill[edges.from[e]]++] = (edges.to[e] << 3) | edges.rel[e];
  const to = new Int32Array(edges.length);
  const rel = new Uint8Array(edges.length);
  const outStart = new Int32Array(n + 1);
  let w = 0;
  for (let v = 0; v < n; v++) {
    const row = keyed.subarray(start[v], start[v + 1]).sort();
    outStart[v] = w;
    for (let i = 0; i < row.length; i++) {
      const t = row[i] >> 3;
      if (w > outStart[v] && to[w - 1] === t) rel[w - 1] |= row[i] & 7;
      else {
        to[w] = t;
        rel[w++] = row[i] & 7;
      }
    }
  }
  outStart[n] = w;
  return { start: outStart, to: to.slice(0, w), rel: rel.slice(0, w) };
}

/**
 * Jepsen's Kafka dependency graph of a history (ww only when `wwDeps`, Jepsen's :ww-deps option).
 * Vertices are the history's send/poll/txn completions in order; at most 2^28 of them.
 */
export function dependencyGraph(history: OpHistory, orders: VersionOrders, wwDeps: boolean): DependencyGraph {
  const all = [...history].filter(cycleOp);
  const vertexAt = new Int32Array(all.length).fill(-1);
  const ops: ClientOp[] = [];
  /** Jepsen's writer-of: key -> value -> the last completion that sent it (failed ones too). */
  const writers = new Map<string, Map<Value, number>>();
  all.forEach((op, i) => {
    if (op.type === 'invoke') return;
    vertexAt[i] = ops.length;
    for (const s of op.sends ?? []) {
      let m = writers.get(s.key);
      if (!m) writers.set(s.key, (m = new Map()));
      m.set(s.value, ops.length);
    }
    ops.push(op);
  });
  if (ops.length >= 1 << 28) throw new RangeError(`dependency graph of ${ops.length} ops: at most 2^28`);
  const edges = new EdgeList();
  const invocations = realtimeEdges(all, vertexAt, ops.length, edges);
  const writerOf = (key: string, value: Value) => writers.get(key)?.get(value);
  for (let b = 0; b < ops.length; b++)
    for (const r of ops[b].reads ?? []) {
      const byVal = writers.get(r.key);
      if (byVal)
        for (const [, value] of r.pairs) {
          const a = byVal.get(value);
          if (a !== undefined && a !== b) edges.add(a, b, WR);
        }
    }
  /** Key -> Jepsen's previous-value: the value just before a value's (last) index. */
  const previous = (key: string) => {
    const o = orders.orders.get(key);
    const index = byValue(orders, key);
    return (v: Value): Value | undefined => {
      const i = index.get(v);
      return o && i !== undefined && i > 0 ? o.valueAt(i - 1) : undefined;
    };
  };
  if (wwDeps)
    for (const [key, byVal] of writers) {
      const prev = previous(key);
      for (const [v2, b] of byVal) {
        const v1 = prev(v2);
        const a = v1 === undefined ? undefined : byVal.get(v1);
        if (a !== undefined && a !== b) edges.add(a, b, WW);
      }
    }
  const csr = compress(ops.length, edges);
  const show = (v: Value) => String(v);
  return {
    ops,
    invocations,
    ...csr,
    explain(a, b, rel, name) {
      const [opA, opB] = [ops[a], ops[b]];
      if (rel === WW)
        for (const s of opB.sends ?? []) {
          const v1 = previous(s.key)(s.value);
          if (v1 !== undefined && writerOf(s.key, v1) === a) return { key: s.key, text: `${name(opA)} sent ${show(v1)} to ${s.key} before ${name(opB)} sent ${show(s.value)}` };
        }
      if (rel === WR)
        for (const r of opB.reads ?? [])
          for (const [, v] of r.pairs) if (writerOf(r.key, v) === a) return { key: r.key, text: `${name(opA)} sent ${show(v)} to ${r.key} which was polled by ${name(opB)}` };
      const inv = invocations[b];
      const dt = inv && opA.timeUs >= 0 && inv.timeUs > opA.timeUs ? ` ${((inv.timeUs - opA.timeUs) / 1e6).toFixed(3)} seconds` : ' just';
      return { text: `${name(opA)} completed${dt} before the invocation of ${name(opB)}${inv ? ` (${name(inv)})` : ''}` };
    },
  };
}
