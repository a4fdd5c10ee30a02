// Shrinking a counterexample that fast-check cannot shrink: a coverage-guided mutant
// (coverage-guided-plan.ts) has no fast-check path, so its schedule is shrunk greedily here, the
// way fast-check shrinks a generated one (fault-schedule-arbitrary.ts): fewer operations and
// faults, then shorter, then earlier. An operation is dropped with the entries drawn with it (a
// consumer-close and the consumer-start that ends it), so every candidate stays a valid case. Each round's candidates are tried in a fixed order and the first that
// still fails is kept, so the result is the same however the candidates are evaluated.

import type { Fault } from '../faults/fault.ts';
import type { ExploredOperation } from '../scenario/model-exploration.ts';
import type { CheckCase } from './check-case.ts';

/** Shrinking attempts at most (whole rounds; a round is at most three per fault). */
export const SHRINK_RUNS_MAX = 200;

function withDuration(f: Fault, durationMs: number): Fault {
  return { ...f, durationMs } as Fault;
}

/**
 * The case without operation i and the entries drawn with it: a consumer-close's consumer-start of
 * the same member after it (a start alone is never drawn); null for a consumer-start (dropped only
 * with its close).
 */
function withoutOperation(ops: readonly ExploredOperation[], i: number): ExploredOperation[] | null {
  const op = ops[i];
  if (op.kind === 'consumer-start') return null;
  const partner = op.kind === 'consumer-close' ? ops.findIndex((o, j) => j > i && o.kind === 'consumer-start' && o.member === op.member) : -1;
  return ops.filter((_, j) => j !== i && j !== partner);
}

/** One round's candidates, smallest step first: each operation dropped, each fault dropped, then each fault halved in length, then each moved halfway to 0. */
export function shrinkCandidates(c: CheckCase): CheckCase[] {
  const fewerOperations = c.operations.map((_, i) => withoutOperation(c.operations, i)).filter((ops) => ops !== null);
  const faults = c.faults;
  const out: Fault[][] = [];
  for (let i = 0; i < faults.length; i++) out.push(faults.filter((_, j) => j !== i));
  faults.forEach((f, i) => {
    const d = 'durationMs' in f && typeof f.durationMs === 'number' ? f.durationMs : 1;
    if (d > 1) out.push(faults.map((g, j) => (j === i ? withDuration(g, Math.floor(d / 2)) : g)));
  });
  faults.forEach((f, i) => {
    if (f.atMs > 0) out.push(faults.map((g, j) => (j === i ? { ...g, atMs: Math.floor(g.atMs / 2) } : g)).sort((a, b) => a.atMs - b.atMs));
  });
  return [...fewerOperations.map((ops) => ({ ...c, operations: ops })), ...out.map((fs) => ({ ...c, faults: fs }))];
}
