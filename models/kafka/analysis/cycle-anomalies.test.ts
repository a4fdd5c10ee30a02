// Elle's cycle anomalies on hand-written Kafka histories: each type on a history that must show it
// and on a decoy that must not (two writers of one key with no reads: ww only; a read of one's own
// write: no edge; a send still running when a poll read it: no realtime edge), Jepsen's words in
// the explanations, Jepsen's allowed types in the verdict, and Tarjan on a long ring.
import { describe, expect, it } from 'vitest';
import { REALTIME, WR, WW, type DependencyGraph } from './dependency-graph.ts';
import { historyAnomalies } from './history-anomalies.ts';
import { checkHistory } from './history-check.ts';
import { parseJepsenHistory } from './jepsen-history-edn.ts';
import { cycleThrough, stronglyConnected } from './strongly-connected-components.ts';

/** One EDN op a line; :index and :time (ns) are the line's position. */
function edn(...ops: string[]): string {
  return ops.map((op, i) => `{:index ${i}, :time ${i * 1000}, ${op}}`).join('\n');
}
const inv = (p: number, f: string, value: string) => `:type :invoke, :process ${p}, :f ${f}, :value ${value}`;
const ok = (p: number, f: string, value: string) => `:type :ok, :process ${p}, :f ${f}, :value ${value}`;

function cycles(text: string, wwDeps = false) {
  const h = parseJepsenHistory(text);
  return historyAnomalies(h.ops, (op) => `op@${h.ednIndex.get(op)}`, { wwDeps }).filter((a) => a.key === '');
}
const types = (text: string, wwDeps = false) => cycles(text, wwDeps).map((a) => a.type);

// Two concurrent sends to :x and :y whose offsets cross: op@2 first in :x, op@3 first in :y.
const CROSSED = edn(
  inv(0, ':send', '[[:send :x :a] [:send :y :a]]'),
  inv(1, ':send', '[[:send :x :b] [:send :y :b]]'),
  ok(0, ':send', '[[:send :x [0 :a]] [:send :y [1 :a]]]'),
  ok(1, ':send', '[[:send :x [1 :b]] [:send :y [0 :b]]]'),
);

// Two concurrent txns, each polling the other's send: information flows in a circle.
const CIRCLE = edn(
  inv(0, ':txn', '[[:send :x :a] [:poll]]'),
  inv(1, ':txn', '[[:send :y :b] [:poll]]'),
  ok(0, ':txn', '[[:send :x [0 :a]] [:poll {:y [[0 :b]]}]]'),
  ok(1, ':txn', '[[:send :y [0 :b]] [:poll {:x [[0 :a]]}]]'),
);

// A poll completes with :a before the send of :a is invoked: it read the future.
const FUTURE_READ = edn(
  inv(0, ':poll', '[[:poll]]'),
  ok(0, ':poll', '[[:poll {:x [[0 :a]]}]]'),
  inv(1, ':send', '[[:send :x :a]]'),
  ok(1, ':send', '[[:send :x [0 :a]]]'),
);

// op@1 sends :a, landing at offset 1, and completes; op@3, invoked after, lands :b at offset 0.
const OVERTAKEN = edn(
  inv(0, ':send', '[[:send :x :a]]'),
  ok(0, ':send', '[[:send :x [1 :a]]]'),
  inv(1, ':send', '[[:send :x :b]]'),
  ok(1, ':send', '[[:send :x [0 :b]]]'),
);

describe('G0 and PL-1-cycle-exists (ww edges, with :ww-deps)', () => {
  it('crossed offsets of two keys are a ww cycle', () => {
    expect(types(CROSSED, true)).toEqual(['G0', 'PL-1-cycle-exists']);
    expect(cycles(CROSSED, true).find((a) => a.type === 'G0')!.explanation).toBe(
      'op@2 -> op@3 -> op@2: op@2 sent :a to :x before op@3 sent :b; op@3 sent :b to :y before op@2 sent :a',
    );
  });

  it('without :ww-deps there is no ww edge: nothing depends on anything', () => {
    expect(types(CROSSED)).toEqual(['empty-transaction-graph']);
  });

  it('decoy: two writers of one key at different offsets, no reads: one ww edge, no cycle, not empty', () => {
    const oneKey = CROSSED.replace('[:send :y [1 :a]]', '').replace('[:send :y [0 :b]]', '');
    expect(types(oneKey, true)).toEqual([]);
  });
});

describe('G1c and PL-2-cycle-exists (wr edges)', () => {
  it('two txns reading each other is G1c, explained by its wr steps', () => {
    expect(types(CIRCLE)).toEqual(['G1c', 'PL-2-cycle-exists']);
    expect(cycles(CIRCLE)[0].explanation).toBe('op@2 -> op@3 -> op@2: op@2 sent :a to :x which was polled by op@3; op@3 sent :b to :y which was polled by op@2');
  });

  it('decoy: one txn reading only its own write draws no edge', () => {
    const own = edn(inv(0, ':txn', '[[:send :x :a] [:poll]]'), ok(0, ':txn', '[[:send :x [0 :a]] [:poll {:x [[0 :a]]}]]'));
    expect(types(own)).toEqual(['empty-transaction-graph']);
  });

  it('decoy: only one of the two reads: a chain, no cycle', () => {
    expect(types(CIRCLE.replace('[:poll {:y [[0 :b]]}]', '[:poll {}]'))).toEqual([]);
  });
});

describe('G1c-realtime and strong-PL-2-cycle-exists (wr and realtime)', () => {
  it('a poll that read a value before its send was invoked', () => {
    expect(types(FUTURE_READ)).toEqual(['G1c-realtime', 'strong-PL-2-cycle-exists']);
    expect(cycles(FUTURE_READ)[0].explanation).toBe(
      'op@3 -> op@1 -> op@3: op@3 sent :a to :x which was polled by op@1; op@1 completed 0.000 seconds before the invocation of op@3 (op@2)',
    );
  });

  it('decoy: the send was invoked before the poll completed (concurrent): no cycle', () => {
    const concurrent = edn(inv(1, ':send', '[[:send :x :a]]'), inv(0, ':poll', '[[:poll]]'), ok(0, ':poll', '[[:poll {:x [[0 :a]]}]]'), ok(1, ':send', '[[:send :x [0 :a]]]'));
    expect(types(concurrent)).toEqual([]);
  });
});

describe('G0-realtime and strong-PL-1-cycle-exists (ww and realtime, with :ww-deps)', () => {
  it('a send invoked after another completed lands before it', () => {
    expect(types(OVERTAKEN, true)).toEqual(['G0-realtime', 'strong-PL-1-cycle-exists']);
    expect(cycles(OVERTAKEN, true)[0].explanation).toBe('op@1 -> op@3 -> op@1: op@1 completed 0.000 seconds before the invocation of op@3 (op@2); op@3 sent :b to :x before op@1 sent :a');
  });

  it('decoy: the two sends overlap in time: ww only, no cycle', () => {
    const overlapping = edn(inv(0, ':send', '[[:send :x :a]]'), inv(1, ':send', '[[:send :x :b]]'), ok(0, ':send', '[[:send :x [1 :a]]]'), ok(1, ':send', '[[:send :x [0 :b]]]'));
    expect(types(overlapping, true)).toEqual([]);
  });

  it('G1c and G0-realtime in one component: PL-2 and strong-PL-1 both exist (neither implies the other)', () => {
    // CIRCLE's txns, then a send invoked after op@3 completed that lands before op@2's :a in :x.
    const both = edn(
      inv(0, ':txn', '[[:send :x :a] [:poll]]'),
      inv(1, ':txn', '[[:send :y :b] [:poll]]'),
      ok(1, ':txn', '[[:send :y [0 :b]] [:poll {:x [[1 :a]]}]]'),
      ok(0, ':txn', '[[:send :x [1 :a]] [:poll {:y [[0 :b]]}]]'),
      inv(2, ':send', '[[:send :x :c]]'),
      ok(2, ':send', '[[:send :x [0 :c]]]'),
    );
    expect(types(both, true).sort()).toEqual(['G0-realtime', 'G1c', 'PL-2-cycle-exists', 'strong-PL-1-cycle-exists']);
    expect(types(both)).toEqual(['G1c', 'PL-2-cycle-exists']);
  });
});

describe("the verdict: Jepsen's allowed-error-types", () => {
  // The sends of these histories are never polled (unseen), which is not what this is about.
  const violations = (text: string, wwDeps = false) =>
    checkHistory(parseJepsenHistory(text).ops, { wwDeps })
      .violations.map((v) => v.property)
      .filter((t) => t !== 'unseen');

  it('G0 is always allowed; G1c only with :ww-deps; G1c-realtime only with :ww-deps', () => {
    expect(violations(CROSSED, true)).toEqual([]);
    expect(checkHistory(parseJepsenHistory(CROSSED).ops, { wwDeps: true }).allowed).toEqual({ G0: 1, 'PL-1-cycle-exists': 1 });
    expect(violations(CIRCLE)).toEqual(['G1c', 'PL-2-cycle-exists']);
    expect(violations(CIRCLE, true)).toEqual([]);
    expect(violations(FUTURE_READ)).toEqual(['G1c-realtime', 'strong-PL-2-cycle-exists']);
    expect(violations(FUTURE_READ, true)).toEqual([]);
    expect(violations(OVERTAKEN, true)).toEqual([]);
  });

  it('an empty transaction graph fails the history, as it fails Jepsen; a history without ops has no graph to judge', () => {
    expect(checkHistory(parseJepsenHistory('').ops).violations).toEqual([]);
    expect(types(edn(inv(0, ':assign', '[:x]'), ok(0, ':assign', '[:x]')))).toEqual(['empty-transaction-graph']);
    const v = checkHistory(parseJepsenHistory(CROSSED).ops).violations.find((x) => x.property === 'empty-transaction-graph')!;
    expect(v.message).toMatch(/^empty-transaction-graph: no send, poll or txn depends on another/);
    expect(v.partition).toBeUndefined();
  });
});

describe('strongly connected components', () => {
  /** Rows of a graph given as [from, to, rel] edges (sorted by from, then to). */
  function rows(n: number, edges: [number, number, number][]): Pick<DependencyGraph, 'start' | 'to' | 'rel'> {
    const sorted = [...edges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const start = new Int32Array(n + 1);
    for (const [f] of sorted) start[f + 1]++;
    for (let v = 0; v < n; v++) start[v + 1] += start[v];
    return { start, to: Int32Array.from(sorted.map((e) => e[1])), rel: Uint8Array.from(sorted.map((e) => e[2])) };
  }

  it('a ring of 200,000 ops is one component (iterative, no stack overflow)', () => {
    const n = 200_000;
    const g = rows(n, Array.from({ length: n }, (_, v) => [v, (v + 1) % n, WR] as [number, number, number]));
    const [ring, ...rest] = stronglyConnected(g, WR);
    expect(rest).toEqual([]);
    expect(ring.length).toBe(n);
    expect(stronglyConnected(g, WW)).toEqual([]);
  });

  it('projects by relation, keeps to the given members, and finds a cycle through a required edge', () => {
    // 0 -ww-> 1 -wr-> 0 and 1 -rt-> 2 -ww-> 1; 3 alone.
    const g = rows(4, [
      [0, 1, WW],
      [1, 0, WR],
      [1, 2, REALTIME],
      [2, 1, WW],
      [2, 3, WR],
    ]);
    expect(stronglyConnected(g, WW | WR | REALTIME)).toEqual([[0, 1, 2]]);
    expect(stronglyConnected(g, WW | WR)).toEqual([[0, 1]]);
    expect(stronglyConnected(g, WW | REALTIME, [1, 2])).toEqual([[1, 2]]);
    expect(stronglyConnected(g, WW | WR | REALTIME, [0, 2])).toEqual([]);
    expect(cycleThrough(g, [0, 1, 2], WW | REALTIME, REALTIME)).toEqual([1, 2, 1]);
    expect(cycleThrough(g, [0, 1], WW | WR, WR)).toEqual([1, 0, 1]);
    expect(cycleThrough(g, [0, 1], WW, WW)).toBeNull();
  });
});
