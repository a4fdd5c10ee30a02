// fast-check arbitraries for explicit fault schedules. Every generated fault ends by itself
// (durationMs), so shrinking can drop any fault without leaving its effect behind, and shrinks
// toward fewer faults, earlier (atMs toward 0) and shorter (durationMs toward 1). Faults never
// start in the last `settleMs` of the run and always end before it, so a run has time to recover
// and liveness properties can be judged.

import fc from 'fast-check';
import type { Fault, NoiseFaultKind } from '../faults/fault.ts';

export interface FaultSpace {
  /** Nodes faults may target (node faults, partitions). */
  nodes: readonly string[];
  azs: readonly string[];
  kinds: readonly NoiseFaultKind[];
  /** Window in which faults happen: [0, windowMs). */
  windowMs: number;
  faultsMax: number;
  faultDurationMsMax: number;
}

/** A split of the nodes into two non-empty sides, drawn from a bitmask so it shrinks simply. */
function twoSides(nodes: readonly string[]): fc.Arbitrary<[string[], string[]]> {
  return fc
    .array(fc.boolean(), { minLength: nodes.length, maxLength: nodes.length })
    .filter((mask) => mask.some((b) => b) && mask.some((b) => !b))
    .map((mask) => [nodes.filter((_, i) => mask[i]), nodes.filter((_, i) => !mask[i])]);
}

export function faultArbitrary(space: FaultSpace): fc.Arbitrary<Fault> {
  const atMs = fc.integer({ min: 0, max: Math.max(0, space.windowMs - 2) });
  const node = fc.constantFrom(...space.nodes);
  const az = fc.constantFrom(...space.azs);
  const one = (kind: NoiseFaultKind): fc.Arbitrary<Fault> => {
    const d = fc.integer({ min: 1, max: space.faultDurationMsMax });
    switch (kind) {
      case 'partition':
        return fc.tuple(atMs, d, twoSides(space.nodes)).map(([a, dm, g]) => ({ atMs: a, kind, groups: g, durationMs: dm }));
      case 'partition-one-way':
        return fc
          .tuple(atMs, d, twoSides(space.nodes))
          .map(([a, dm, [from, to]]) => ({ atMs: a, kind, from, to, durationMs: dm }));
      case 'isolate-az':
      case 'az-outage':
        return fc.tuple(atMs, d, az).map(([a, dm, z]) => ({ atMs: a, kind, az: z, durationMs: dm }));
      default:
        return fc.tuple(atMs, d, node).map(([a, dm, n]) => ({ atMs: a, kind, node: n, durationMs: dm }));
    }
  };
  const usable = space.kinds.filter((k) => (k === 'partition' || k === 'partition-one-way' ? space.nodes.length >= 2 : true));
  return fc.oneof(...usable.map(one)).map((f) => clampToWindow(f, space.windowMs));
}

/** A fault must end inside the window: clip its duration. */
function clampToWindow(f: Fault, windowMs: number): Fault {
  if (!('durationMs' in f) || f.durationMs === undefined) return f;
  return { ...f, durationMs: Math.max(1, Math.min(f.durationMs, windowMs - f.atMs)) };
}

export function faultScheduleArbitrary(space: FaultSpace): fc.Arbitrary<Fault[]> {
  if (space.nodes.length === 0 || space.kinds.length === 0 || space.faultsMax === 0) return fc.constant([]);
  return fc
    .array(faultArbitrary(space), { maxLength: space.faultsMax })
    .map((faults) => [...faults].sort((a, b) => a.atMs - b.atMs));
}
