// fast-check arbitraries for explicit fault schedules. Every generated fault ends by itself
// (durationMs), so shrinking can drop any fault without leaving its effect behind, and shrinks
// toward fewer faults, earlier (atMs toward 0) and shorter (durationMs toward 1); what a fault
// targets is drawn, and shrinks, as its kind's descriptor says (fault-kind.ts). Faults never
// start in the last `settleMs` of the run and always end before it, so a run has time to recover
// and liveness properties can be judged.
//
// Swarm testing (Groce et al., "Swarm Testing", ISSTA 2012; TigerBeetle's swarm options): a
// schedule first draws which fault kinds and which kinds of target it enables (a non-empty subset
// of each), then draws its faults from that subset only, so a run of only holds aimed at roles is
// as likely as any other mix instead of being drowned by the common kinds. The subsets are part of
// the generated value (they replay by seed and path, and shrink toward fewer kinds).

import fc from 'fast-check';
import { drawnFaultKindOf, type Fault, type NoiseFaultKind } from '../faults/fault.ts';
import type { TargetArbitraries } from '../faults/fault-kind.ts';
import { isRoleRef } from '../faults/fault-roles.ts';
import type { Split, TargetSpace } from '../faults/fault-targets.ts';

interface FaultSpace extends TargetSpace {
  kinds: readonly NoiseFaultKind[];
  /** Window in which faults happen: [0, windowMs). */
  windowMs: number;
  faultsMax: number;
  faultDurationMsMax: number;
  /** Durations (ms) that matter to the scenario, drawn as often as the blind range. */
  durationsMs?: readonly number[];
}

/**
 * Kinds of target a run may enable: any node and blind splits of all nodes; the model's cuts
 * between fixed nodes of its layout; roles resolved when the fault fires.
 */
const TARGET_KINDS = ['blind', 'layout', 'roles'] as const;
type TargetKind = (typeof TARGET_KINDS)[number];

/** What a run enabled: the fault kinds and target kinds its faults are drawn from. */
export interface Swarm {
  kinds: NoiseFaultKind[];
  targets: TargetKind[];
}

/** A generated schedule: its swarm subsets and its faults, by time. */
interface GeneratedSchedule {
  swarm: Swarm;
  faults: Fault[];
}

const namesRole = (split: Split) => split.some((side) => side.some(isRoleRef));

export const TARGET_ARBITRARIES: TargetArbitraries = {
  fc,
  anyNode: (space) => {
    const roles = space.roles ?? [];
    const nodes = space.blind === false && roles.length > 0 ? [] : space.nodes;
    // Fixed nodes first: fast-check shrinks a oneof toward its first arbitrary.
    const choices = [nodes, roles].filter((xs) => xs.length > 0).map((xs) => fc.constantFrom(...xs));
    return choices.length === 1 ? choices[0] : fc.oneof(...choices);
  },
  anyAz: (space) => fc.constantFrom(...space.azs),
  twoSides: (space) => {
    const splits = space.splits ?? [];
    const choices: fc.Arbitrary<[string[], string[]]>[] = [];
    // Targeted first: fast-check shrinks a oneof toward its first arbitrary.
    for (const group of [splits.filter((s) => !namesRole(s)), splits.filter(namesRole)])
      if (group.length > 0)
        choices.push(fc.tuple(fc.constantFrom(...group), fc.boolean()).map(([[a, b], swap]): [string[], string[]] => (swap ? [[...b], [...a]] : [[...a], [...b]])));
    if (space.blind !== false || choices.length === 0) choices.push(blindTwoSides(space.nodes));
    return choices.length === 1 ? choices[0] : fc.oneof(...choices);
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

function faultArbitrary(space: FaultSpace): fc.Arbitrary<Fault> | null {
  const atMs = fc.integer({ min: 0, max: Math.max(0, space.windowMs - 2) });
  const durationMs = durationArbitrary(space);
  const usable: fc.Arbitrary<Fault>[] = [];
  for (const kind of space.kinds) {
    const targets = drawnFaultKindOf(kind).draw.explore(space, TARGET_ARBITRARIES);
    if (targets)
      usable.push(fc.tuple(atMs, durationMs, targets).map(([a, d, t]) => ({ atMs: a, kind, ...t, durationMs: d }) as Fault));
  }
  if (usable.length === 0) return null;
  return (usable.length === 1 ? usable[0] : fc.oneof(...usable)).map((f) => clampToWindow(f, space.windowMs));
}

/** A fault must end inside the window: clip its duration. */
function clampToWindow(f: Fault, windowMs: number): Fault {
  if (!('durationMs' in f) || f.durationMs === undefined) return f;
  return { ...f, durationMs: Math.max(1, Math.min(f.durationMs, windowMs - f.atMs)) };
}

/** The target kinds the space offers: blind always, layout and roles when the model names some. */
function targetKindsOf(space: FaultSpace): TargetKind[] {
  const splits = space.splits ?? [];
  const out: TargetKind[] = ['blind'];
  if (splits.some((s) => !namesRole(s))) out.push('layout');
  if ((space.roles ?? []).length > 0 || splits.some(namesRole)) out.push('roles');
  return out;
}

/** The space as a run's swarm narrows it. */
function narrowed(space: FaultSpace, swarm: Swarm): FaultSpace {
  const on = (k: TargetKind) => swarm.targets.includes(k);
  const splits = (space.splits ?? []).filter((s) => (namesRole(s) ? on('roles') : on('layout')));
  return { ...space, kinds: swarm.kinds, splits, roles: on('roles') ? space.roles : [], blind: on('blind') };
}

export function faultScheduleArbitrary(space: FaultSpace): fc.Arbitrary<GeneratedSchedule> {
  const none: GeneratedSchedule = { swarm: { kinds: [], targets: [] }, faults: [] };
  if (space.nodes.length === 0 || space.kinds.length === 0 || space.faultsMax === 0) return fc.constant(none);
  const swarm = fc.record({
    kinds: fc.subarray([...space.kinds], { minLength: 1 }),
    targets: fc.subarray(targetKindsOf(space), { minLength: 1 }),
  });
  return swarm.chain((sw) => {
    const fault = faultArbitrary(narrowed(space, sw));
    if (fault === null) return fc.constant({ swarm: sw, faults: [] });
    return fc.array(fault, { maxLength: space.faultsMax }).map((faults) => ({ swarm: sw, faults: [...faults].sort((a, b) => a.atMs - b.atMs) }));
  });
}
