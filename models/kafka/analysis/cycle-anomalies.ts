// Elle's cycle anomalies on Jepsen's Kafka dependency graph (dependency-graph.ts), as
// jepsen.tests.kafka/cycles! reports them: elle.txn/cycles over the graph of ww, wr and realtime
// edges, with the consistency model :strict-serializable. Per strongly connected component of the
// whole graph (elle.txn/cycle-cases-in-scc):
//
// 1. cycle-exists-cases: Elle's specs, weakest model first, each a subgraph that must be acyclic
//    for its model; the first with a cycle is reported as <model>-cycle-exists, and every model
//    stronger than it (consistency-model/all-impossible-models) is skipped. The graph has no rw or
//    process edges, so Elle's thirteen specs collapse to four subgraphs: ww (PL-1), ww+wr (PL-2 and
//    the SI / repeatable-read / serializable / strong-session ones, all stronger than PL-2),
//    ww+realtime (strong-PL-1) and ww+wr+realtime (strong-PL-2 and stronger). So: a ww cycle gives
//    PL-1 only; else a ww+wr cycle gives PL-2, and strong-PL-1 when ww+realtime also has one (it is
//    not stronger than PL-2); else strong-PL-1 when ww+realtime has one; else strong-PL-2.
// 2. The cycle search: Elle's cycle-anomaly-specs in severity order, skipping the anomalies the
//    possible models already rule out (cycle-exists-cases->impossible-cycle-anomalies) and those a
//    found one implies (all-implied-anomalies). Those that can match ww/wr/realtime edges: G0 (ww),
//    G1c (ww+wr through a wr edge), G0-realtime (ww+realtime through a realtime edge), G1c-realtime
//    (all, through wr and realtime). Worked through the same way: PL-1 leads to G0 and nothing
//    else (G0 implies the rest); PL-2 to G1c, plus G0-realtime when strong-PL-1 exists too;
//    strong-PL-1 alone to G0-realtime; strong-PL-2 to G1c-realtime. One cycle of each per component.
// 3. A found cycle is typed by its steps as Elle's cycle-explainer types it: each step is explained
//    by the first explainer that can (ww, then wr, then realtime: an edge that is both ww and
//    realtime is a ww step); any wr step makes it G1c, else G0; any realtime step adds -realtime.
// elle.core/check- adds empty-transaction-graph when the graph has no edge at all.

import type { ClientOp } from './client-history.ts';
import { REALTIME, WR, WW, type DependencyGraph } from './dependency-graph.ts';
import { cycleThrough, stronglyConnected } from './strongly-connected-components.ts';

export const CYCLE_TYPES = [
  'G0',
  'G1c',
  'G0-realtime',
  'G1c-realtime',
  'PL-1-cycle-exists',
  'PL-2-cycle-exists',
  'strong-PL-1-cycle-exists',
  'strong-PL-2-cycle-exists',
  'empty-transaction-graph',
] as const;
type CycleType = (typeof CYCLE_TYPES)[number];

interface CycleAnomaly {
  type: CycleType;
  /** Keys the cycle's ww and wr steps name, sorted. */
  keys: string[];
  explanation: string;
}

const RELATION_NAMES: [number, string][] = [
  [WW, 'ww'],
  [WR, 'wr'],
  [REALTIME, 'realtime'],
];
/** The ops of a component named in a cycle-exists explanation. */
const NAMED_MAX = 8;

/** Elle's step type: the first relation of ww, wr, realtime the edge has. */
const stepRelation = (rel: number) => (rel & WW ? WW : rel & WR ? WR : REALTIME);

function edgeRel(g: DependencyGraph, a: number, b: number): number {
  for (let e = g.start[a]; e < g.start[a + 1]; e++) if (g.to[e] === b) return g.rel[e];
  return 0;
}

/** Elle's cycle-explainer: the cycle's type by its steps, and each step in Jepsen's words. */
function explainCycle(g: DependencyGraph, cycle: readonly number[], name: (op: ClientOp) => string): CycleAnomaly {
  const steps = cycle.slice(1).map((b, i) => ({ a: cycle[i], b, rel: stepRelation(edgeRel(g, cycle[i], b)) }));
  const has = (rel: number) => steps.some((s) => s.rel === rel);
  const type = `${has(WR) ? 'G1c' : 'G0'}${has(REALTIME) ? '-realtime' : ''}` as CycleType;
  const keys = new Set<string>();
  const words = steps.map((s) => {
    const { text, key } = g.explain(s.a, s.b, s.rel, name);
    if (key !== undefined) keys.add(key);
    return text;
  });
  const path = cycle.map((v) => name(g.ops[v])).join(' -> ');
  return { type, keys: [...keys].sort(), explanation: `${path}: ${words.join('; ')}` };
}

function cycleExists(g: DependencyGraph, type: CycleType, mask: number, component: readonly number[], name: (op: ClientOp) => string): CycleAnomaly {
  // Elle reports the smallest component of the subgraph.
  const smallest = stronglyConnected(g, mask, component).sort((a, b) => a.length - b.length || a[0] - b[0])[0];
  const relations = RELATION_NAMES.filter(([r]) => mask & r).map(([, n]) => n).join('+');
  const named = smallest.slice(0, NAMED_MAX).map((v) => name(g.ops[v]));
  const more = smallest.length > named.length ? `, and ${smallest.length - named.length} more` : '';
  return { type, keys: [], explanation: `the ${relations} graph has a cycle among ${smallest.length} ops (${named.join(', ')}${more})` };
}

/** Cycle anomalies of one strongly connected component of the whole graph. */
function componentAnomalies(g: DependencyGraph, component: readonly number[], name: (op: ClientOp) => string): CycleAnomaly[] {
  const cyclic = (mask: number) => stronglyConnected(g, mask, component).length > 0;
  const found = (mask: number, required: number) => {
    // The required edge must lie on a cycle of the subgraph: look in its components in turn.
    for (const sub of stronglyConnected(g, mask, component)) {
      const cycle = cycleThrough(g, sub, mask, required);
      if (cycle) return [explainCycle(g, cycle, name)];
    }
    return [];
  };
  const all = WW | WR | REALTIME;
  if (cyclic(WW)) return [cycleExists(g, 'PL-1-cycle-exists', WW, component, name), ...found(WW, WW)];
  const realtimeCycle = cyclic(WW | REALTIME);
  if (cyclic(WW | WR)) {
    const out = [cycleExists(g, 'PL-2-cycle-exists', WW | WR, component, name)];
    if (realtimeCycle) out.push(cycleExists(g, 'strong-PL-1-cycle-exists', WW | REALTIME, component, name));
    out.push(...found(WW | WR, WR));
    if (realtimeCycle) out.push(...found(WW | REALTIME, REALTIME));
    return out;
  }
  if (realtimeCycle) return [cycleExists(g, 'strong-PL-1-cycle-exists', WW | REALTIME, component, name), ...found(WW | REALTIME, REALTIME)];
  return [cycleExists(g, 'strong-PL-2-cycle-exists', all, component, name), ...found(all, WR)];
}

/**
 * Every cycle anomaly Jepsen's Kafka checker reports on the graph, components in order of their
 * lowest vertex; empty-transaction-graph when the graph has no edge.
 */
export function cycleAnomalies(g: DependencyGraph, name: (op: ClientOp) => string): CycleAnomaly[] {
  if (g.to.length === 0)
    return [{ type: 'empty-transaction-graph', keys: [], explanation: 'no send, poll or txn depends on another (no write-read, write-write or real-time order): there is nothing to check cycles in' }];
  return stronglyConnected(g, WW | WR | REALTIME).flatMap((component) => componentAnomalies(g, component, name));
}
