// fast-check arbitraries for explicit fault schedules. Every generated fault ends by itself
// (durationMs), so shrinking can drop any fault without leaving its effect behind, and shrinks
// toward fewer faults, earlier (atMs toward 0) and shorter (durationMs toward 1); what a fault
// targets is drawn, and shrinks, as its kind's descriptor says (fault-kind.ts). Faults never
// start in the last `settleMs` of the run and always end before it, so a run has time to recover
// and liveness properties can be judged.

import fc from 'fast-check';
import { drawnFaultKindOf, type Fault, type NoiseFaultKind } from '../faults/fault.ts';
import type { TargetArbitraries } from '../faults/fault-kind.ts';
import type { TargetSpace } from '../faults/fault-targets.ts';

interface FaultSpace extends TargetSpace {
  kinds: readonly NoiseFaultKind[];
  /** Window in which faults happen: [0, windowMs). */
  windowMs: number;
  faultsMax: number;
  faultDurationMsMax: number;
  /** Durations (ms) that matter to the scenario, drawn as often as the blind range. */
  durationsMs?: readonly number[];
}

export const TARGET_ARBITRARIES: TargetArbitraries = {
  fc,
  anyNode: (space) => fc.constantFrom(...space.nodes),
  anyAz: (space) => fc.constantFrom(...space.azs),
  twoSides: (space) => {
    const blind = blindTwoSides(space.nodes);
    const splits = space.splits ?? [];
    if (splits.length === 0) return blind;
    // Targeted first: fast-check shrinks a oneof toward its first arbitrary.
    const targeted = fc
      .tuple(fc.constantFrom(...splits), fc.boolean())
      .map(([[a, b], swap]): [string[], string[]] => (swap ? [[...b], [...a]] : [[...a], [...b]]));
    return fc.oneof(targeted, blind);
  },
};

/** A split of all the nodes, drawn from a bitmask so it shrinks simply. */
function blindTwoSides(nodes: readonly string[]): fc.Arbitrary<[string[], string[]]> {
  return fc
    .array(fc.boolean(), { minLength: nodes.length, maxLength: nodes.length })
    .filter((mask) => mask.some((b) => b) && mask.some((b) => !b))
    .map((mask) => [nodes.filter((_, i) => mask[i]), nodes.filter((_, i) => !mask[i])]);
}

function durationArbitrary(space: FaultSpace): fc.Arbitrary<number> {
  const blind = fc.integer({ min: 1, max: space.faultDurationMsMax });
  const timed = (space.durationsMs ?? []).filter((d) => d >= 1);
  return timed.length === 0 ? blind : fc.oneof(fc.constantFrom(...timed), blind);
}

function faultArbitrary(space: FaultSpace): fc.Arbitrary<Fault> {
  const atMs = fc.integer({ min: 0, max: Math.max(0, space.windowMs - 2) });
  const durationMs = durationArbitrary(space);
  const usable: fc.Arbitrary<Fault>[] = [];
  for (const kind of space.kinds) {
    const targets = drawnFaultKindOf(kind).draw.explore(space, TARGET_ARBITRARIES);
    if (targets)
      usable.push(fc.tuple(atMs, durationMs, targets).map(([a, d, t]) => ({ atMs: a, kind, ...t, durationMs: d }) as Fault));
  }
  return fc.oneof(...usable).map((f) => clampToWindow(f, space.windowMs));
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
