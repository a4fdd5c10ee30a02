// Strongly connected components of a dependency graph (dependency-graph.ts) as Elle finds them
// (elle.graph/strongly-connected-components, bifurcan's Graphs/stronglyConnectedComponents): Tarjan's
// algorithm, iterative (a 100k-op history would overflow a recursive one), over the edges whose
// relations meet a mask, optionally within one component of a coarser pass. Deterministic: roots in
// ascending vertex order, edges in row order. Only components of two or more vertices are kept: the
// graph has no self-edges (no op depends on itself), so a single vertex is never a cycle.

import type { DependencyGraph } from './dependency-graph.ts';

type Rows = Pick<DependencyGraph, 'start' | 'to' | 'rel'>;

/** Components of two or more vertices, each ascending, in order of their lowest vertex. */
export function stronglyConnected(g: Rows, mask: number, within?: readonly number[]): number[][] {
  const n = g.start.length - 1;
  const roots = within ?? Array.from({ length: n }, (_, v) => v);
  // Within a component, state is kept per member (slot), so that many small components cost
  // their own size, not the graph's; a vertex outside has no slot and is never entered.
  const slots = within ? new Map(within.map((v, i) => [v, i])) : null;
  const slot = (v: number) => (slots ? (slots.get(v) ?? -1) : v);
  const size = roots.length;
  const index = new Int32Array(size).fill(-1);
  const low = new Int32Array(size);
  const onStack = new Uint8Array(size);
  const stack: number[] = [];
  const frames: number[] = []; // pairs (vertex, next edge)
  const out: number[][] = [];
  let counter = 0;
  const enter = (v: number) => {
    const s = slot(v);
    index[s] = low[s] = counter++;
    stack.push(v);
    onStack[s] = 1;
    frames.push(v, g.start[v]);
  };
  for (const root of roots) {
    if (index[slot(root)] >= 0) continue;
    enter(root);
    while (frames.length) {
      const top = frames.length - 2;
      const v = frames[top];
      const sv = slot(v);
      let e = frames[top + 1];
      let descended = false;
      for (; e < g.start[v + 1]; e++) {
        if ((g.rel[e] & mask) === 0) continue;
        const sw = slot(g.to[e]);
        if (sw < 0) continue;
        if (index[sw] < 0) {
          frames[top + 1] = e + 1;
          enter(g.to[e]);
          descended = true;
          break;
        }
        if (onStack[sw] && index[sw] < low[sv]) low[sv] = index[sw];
      }
      if (descended) continue;
      frames.length = top;
      if (frames.length) {
        const sp = slot(frames[frames.length - 2]);
        if (low[sv] < low[sp]) low[sp] = low[sv];
      }
      if (low[sv] === index[sv]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[slot(w)] = 0;
          component.push(w);
        } while (w !== v);
        if (component.length > 1) out.push(component.sort((a, b) => a - b));
      }
    }
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/**
 * A cycle through the component (vertices ascending), along edges meeting `mask`, that takes an
 * edge meeting `required` (the first such edge in vertex then row order): [v0, v1, ..., v0], or
 * null when the component has no such edge. The rest of the cycle is a shortest path back (BFS).
 */
export function cycleThrough(g: Rows, component: readonly number[], mask: number, required: number): number[] | null {
  const member = new Set(component);
  for (const u of component)
    for (let e = g.start[u]; e < g.start[u + 1]; e++) {
      if ((g.rel[e] & mask) === 0 || (g.rel[e] & required) === 0 || !member.has(g.to[e])) continue;
      const path = shortestPath(g, member, mask, g.to[e], u);
      if (path) return [u, ...path];
    }
  return null;
}

/** Shortest path from `from` to `to` inside `member` along edges meeting `mask`, both ends included. */
function shortestPath(g: Rows, member: ReadonlySet<number>, mask: number, from: number, to: number): number[] | null {
  const parent = new Map<number, number>([[from, from]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head];
    if (v === to) {
      const path = [to];
      for (let w = to; w !== from; ) path.push((w = parent.get(w)!));
      return path.reverse();
    }
    for (let e = g.start[v]; e < g.start[v + 1]; e++) {
      const w = g.to[e];
      if ((g.rel[e] & mask) === 0 || !member.has(w) || parent.has(w)) continue;
      parent.set(w, v);
      queue.push(w);
    }
  }
  return null;
}
