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
//
// A run's role-aimed faults focus on one subject (the argument of a role reference: the partition
// in "@leader:orders-0", the group in "@coordinator:g"), drawn with the swarm, as a Jepsen nemesis
// keeps aiming at one partition's leader and followers: the protocol bugs take two or three faults
// on the same replica set (a follower's bounce, then its leader's crash), which roles of different
// partitions would scatter. Roles without an argument ("@active-controller") stay in every run.
//
// Faults close together: half the faults after the first start a drawn gap after the entry drawn
// before them (fast failover needs two elections within seconds; the last ISR member's power loss
// matters only while its followers are still cut off), the gap drawn as durations are: around
// the scenario's timeouts as often as blind. Shrinking drops the link (the fault keeps its own
// time) or shortens the gap.
//
// Most runs draw at least one entry: an empty schedule repeats the fault-free run, so it keeps a
// small share (where shrinking goes) instead of the fifth of all runs fast-check's array gives it.
//
// A fault aimed at a role nobody can hold before some time (a group member's partition before the
// group's first rebalance: the model's roleHeldFromMs) is drawn to start then at the earliest,
// instead of hitting nobody.
//
// Administrative operations (the model's operationArbitraries: a controlled shutdown, a preferred
// election...) are members of the same subset and share the schedule's length (faultsMax): a run
// of only preferred elections and holds is as likely as any other mix, and shrinking drops an
// operation as it drops a fault. In a run that enables roles, the model may aim them at the run's
// roles too (operationsAimedAt: a controlled shutdown of "@leader:orders-0", resolved when it
// fires, then one of the new leader a drawn gap later: the two leader changes in seconds KIP-279's
// divergence needs), and an operation of one entry links to the entry before it as a fault does.
//
// Composites (the model's compositeArbitraries), as Jepsen composes nemeses into packages: a fault
// aimed at the run's focus and the operations that act inside its window, drawn as one entry, so
// a combination that needs all three of its parts (a follower cut from its replicas, and two
// leader shutdowns inside the cut: KIP-279's divergence) comes up as often as one fault instead
// of once in thousands of runs. They have their own swarm switch (a subset of the composite
// kinds, beside the fault and operation kinds: none in one run in NO_COMPOSITE_SHARE), weigh COMPOSITE_WEIGHT entries
// each, link to the entry before them as a whole, and shrink to their parts (the model's
// arbitrary drops the operations, drops the fault, shortens) or away as one entry.
// Since a composite tells a whole story that the entries beside it mostly end early, some runs
// (SOLO_COMPOSITE_SHARE in EMPTY_SHARE, when the swarm enabled composites) draw one composite
// alone, each enabled kind as likely, instead of an array of entries.

import fc from 'fast-check';
import { drawnFaultKindOf, faultNameRefsOf, type Fault, type NoiseFaultKind } from '../faults/fault.ts';
import type { TargetArbitraries } from '../faults/fault-kind.ts';
import { isRoleRef } from '../faults/fault-roles.ts';
import type { Split, TargetSpace } from '../faults/fault-targets.ts';
import type { CompositeArbitraries, CompositeDraw, ExploredOperation, OperationArbitraries } from '../scenario/model-exploration.ts';

interface FaultSpace extends TargetSpace {
  kinds: readonly NoiseFaultKind[];
  /** Window in which faults happen: [0, windowMs). */
  windowMs: number;
  faultsMax: number;
  faultDurationMsMax: number;
  /** Durations (ms) that matter to the scenario, drawn as often as the blind range. */
  durationsMs?: readonly number[];
  /** Operation kind -> its arbitrary (ModelExploration.operationArbitraries); none when absent. */
  operations?: Readonly<OperationArbitraries>;
  /**
   * The same kinds' arbitraries for a run whose role-aimed entries may aim at `roles` (the run's
   * enabled roles, about its focus): operations aimed at them too (a controlled shutdown of
   * "@leader:orders-0"). Absent: `operations` in every run.
   */
  operationsAimedAt?: (roles: readonly string[]) => Readonly<OperationArbitraries>;
  /** The model's composite kinds for a run whose focus roles are `roles` (ModelExploration.compositeArbitraries); none when absent. */
  compositesAimedAt?: (roles: readonly string[]) => Readonly<CompositeArbitraries>;
  /** Set by narrowed: the roles about the run's focus whatever target kinds it enabled (composites aim at them). */
  focusRoles?: readonly string[];
  /** The earliest time (ms) anyone can hold a role (ModelExploration.roleHeldFromMs); 0 when absent. */
  roleHeldFromMs?: (role: string) => number;
  /** Subjects a role is about besides its argument (ModelExploration.roleSubjects); none when absent. */
  roleSubjects?: (role: string) => readonly string[];
}

/**
 * Kinds of target a run may enable: any node and blind splits of all nodes; the model's cuts
 * between fixed nodes of its layout; roles resolved when the fault fires.
 */
const TARGET_KINDS = ['blind', 'layout', 'roles'] as const;
type TargetKind = (typeof TARGET_KINDS)[number];

/** What a run enabled: the fault kinds and target kinds its faults are drawn from, and its operation kinds. */
export interface Swarm {
  kinds: NoiseFaultKind[];
  targets: TargetKind[];
  /** Operation kinds enabled (present when the model explores operations). */
  operations?: string[];
  /** Composite kinds enabled (present when the model offers composites; may be empty). */
  composites?: string[];
  /** The subject its role-aimed faults and composites focus on ("orders-0"; present when the roles name two or more). */
  focus?: string;
}

/** A generated schedule: its swarm subsets, its faults and its operations, each by time. */
interface GeneratedSchedule {
  swarm: Swarm;
  faults: Fault[];
  operations: ExploredOperation[];
  /** The composite kinds of its entries, as drawn (coverage: "composite: ..."). */
  composites: string[];
}

/**
 * One drawn entry of a schedule: a fault, or one operation (as one or more entries); either may
 * start `afterMs` after the entry drawn before it (an operation of one entry only).
 */
type ScheduleEntry =
  | { fault: Fault; afterMs?: number }
  | { operations: ExploredOperation[]; afterMs?: number }
  | { composite: string; draw: CompositeDraw; afterMs?: number };

/** What one enabled composite kind weighs against one fault or operation kind. */
const COMPOSITE_WEIGHT = 8;

const namesRole = (split: Split) => split.some((side) => side.some(isRoleRef));

/** The subject of a role reference: "orders-0" for "@leader:orders-0", null for "@active-controller". */
function roleSubject(ref: string): string | null {
  const colon = ref.indexOf(':');
  return colon < 0 ? null : ref.slice(colon + 1);
}

/** Every subject a role reference is about: its argument, then the model's others (roleSubjects); [] for none. */
function subjectsOfRole(ref: string, space: Pick<FaultSpace, 'roleSubjects'>): readonly string[] {
  const subject = roleSubject(ref);
  if (subject === null) return [];
  const more = space.roleSubjects?.(ref) ?? [];
  return more.length === 0 ? [subject] : [subject, ...more];
}

/** The subjects the space's roles and role splits name, in order of first appearance. */
function subjectsOf(space: FaultSpace): string[] {
  const refs = [...(space.roles ?? []), ...(space.splits ?? []).flatMap((s) => s.flatMap((side) => side.filter(isRoleRef)))];
  return [...new Set(refs.flatMap((r) => subjectsOfRole(r, space)))];
}

/** Whether every role reference in names is about focus (or about no subject). */
const aboutFocus = (names: readonly string[], focus: string | undefined, space: Pick<FaultSpace, 'roleSubjects'>) =>
  focus === undefined ||
  names.every((n) => {
    if (!isRoleRef(n)) return true;
    const subjects = subjectsOfRole(n, space);
    return subjects.length === 0 || subjects.includes(focus);
  });

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
  if (space.nodes.length === 0) return null;
  const atMs = fc.integer({ min: 0, max: Math.max(0, space.windowMs - 2) });
  const durationMs = durationArbitrary(space);
  const usable: fc.Arbitrary<Fault>[] = [];
  for (const kind of space.kinds) {
    const targets = drawnFaultKindOf(kind).draw.explore(space, TARGET_ARBITRARIES);
    if (targets)
      usable.push(fc.tuple(atMs, durationMs, targets).map(([a, d, t]) => ({ atMs: a, kind, ...t, durationMs: d }) as Fault));
  }
  if (usable.length === 0) return null;
  return (usable.length === 1 ? usable[0] : fc.oneof(...usable)).map((f) => clampToWindow(whileRolesHeld(f, space), space.windowMs));
}

/**
 * A fault aimed at a role nobody can hold before some time (roleHeldFromMs) starts then at the
 * earliest: its drawn start is spread over what is left of the window, so it shrinks toward that
 * time as others shrink toward 0.
 */
function whileRolesHeld(f: Fault, space: FaultSpace): Fault {
  const fromMs = roleHeldFromMs(f, space);
  const lastMs = Math.max(0, space.windowMs - 2);
  if (fromMs <= 0 || lastMs === 0) return f;
  if (fromMs >= lastMs) return { ...f, atMs: lastMs };
  return { ...f, atMs: fromMs + Math.floor((f.atMs * (lastMs - fromMs)) / lastMs) };
}

/** When anyone can hold every role the fault names (0: from the start). */
function roleHeldFromMs(f: Fault, space: Pick<FaultSpace, 'roleHeldFromMs'>): number {
  if (space.roleHeldFromMs === undefined) return 0;
  let fromMs = 0;
  for (const ref of faultNameRefsOf(f)) if (isRoleRef(ref.name)) fromMs = Math.max(fromMs, space.roleHeldFromMs(ref.name));
  return fromMs;
}

/**
 * One entry of the schedule: a fault of an enabled kind or an operation of an enabled kind, each
 * kind as likely, or a composite of an enabled kind (COMPOSITE_WEIGHT times as likely).
 */
function entryArbitrary(space: FaultSpace, operationKinds: readonly string[], compositeKinds: readonly string[]): fc.Arbitrary<ScheduleEntry> | null {
  const fault = faultArbitrary(space);
  const operations = space.operationsAimedAt?.(space.roles ?? []) ?? space.operations ?? {};
  // Half the entries start a gap after the entry before them (scheduleOf), undefined first: where shrinking goes.
  const gap = fc.option(durationArbitrary(space), { nil: undefined, freq: 2 });
  const ops = operationKinds.map((k) =>
    fc.tuple(operations[k], gap).map(([ops, afterMs]): ScheduleEntry => (afterMs === undefined || ops.length !== 1 ? { operations: ops } : { operations: ops, afterMs })),
  );
  const packaged = compositeEntries(space, compositeKinds).map(({ kind, arbitrary }) =>
    fc.tuple(arbitrary, gap).map(([draw, afterMs]): ScheduleEntry => (afterMs === undefined ? { composite: kind, draw } : { composite: kind, draw, afterMs })),
  );
  const linked = fault && fc.tuple(fault, gap).map(([f, afterMs]): ScheduleEntry => (afterMs === undefined ? { fault: f } : { fault: f, afterMs }));
  if (ops.length + packaged.length === 0) return linked;
  // Fault kinds weigh as many as they are, so each kind, fault or operation, is as likely.
  const choices: fc.WeightedArbitrary<ScheduleEntry>[] = [
    ...ops.map((arbitrary) => ({ arbitrary, weight: 1 })),
    ...packaged.map((arbitrary) => ({ arbitrary, weight: COMPOSITE_WEIGHT })),
  ];
  if (linked) choices.unshift({ arbitrary: linked, weight: space.kinds.length });
  return fc.oneof(...choices);
}

/** The enabled composite kinds' arbitraries, in order; a kind the model cannot aim at this focus (a group's coordinator, no partition) is left out. */
function compositeEntries(space: FaultSpace, compositeKinds: readonly string[]): { kind: string; arbitrary: fc.Arbitrary<CompositeDraw> }[] {
  if (compositeKinds.length === 0) return [];
  const composites = space.compositesAimedAt!(space.focusRoles ?? []);
  return compositeKinds.filter((k) => composites[k] !== undefined).map((kind) => ({ kind, arbitrary: composites[kind] }));
}

/** One enabled composite alone, each kind as likely; null when none is enabled. */
function soloCompositeArbitrary(space: FaultSpace, compositeKinds: readonly string[]): fc.Arbitrary<ScheduleEntry[]> | null {
  const entries = compositeEntries(space, compositeKinds).map(({ kind, arbitrary }) => arbitrary.map((draw): ScheduleEntry[] => [{ composite: kind, draw }]));
  return entries.length === 0 ? null : entries.length === 1 ? entries[0] : fc.oneof(...entries);
}

/** An operation moved to `atMs`; one that lasts (a `durationMs`) still ends inside the window. */
function operationAt(op: ExploredOperation, atMs: number, windowMs: number): ExploredOperation {
  const moved: ExploredOperation = { ...op, atMs };
  if (typeof op.durationMs === 'number') moved.durationMs = Math.max(1, Math.min(op.durationMs, windowMs - atMs));
  return moved;
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
  const splits = (space.splits ?? []).filter((s) => (namesRole(s) ? on('roles') && aboutFocus(s.flat(), swarm.focus, space) : on('layout')));
  const focusRoles = (space.roles ?? []).filter((r) => aboutFocus([r], swarm.focus, space));
  return { ...space, kinds: swarm.kinds, splits, roles: on('roles') ? focusRoles : [], focusRoles, blind: on('blind') };
}

/** One generated schedule in this many is empty (the fault-free run); fast-check's array would make it one in five. */
const EMPTY_SHARE = 8;

/**
 * Of those EMPTY_SHARE, how many are one composite alone when the swarm enabled some. A composite
 * already holds a whole story (a cut and the shutdowns inside it; two cuts and a shutdown timed
 * around a session), and other entries beside it, composites above all, mostly end it before it
 * is told: on Kafka 1.1, a follower cut with a leader chain found KIP-279 in 38 of 40 draws alone
 * and 3 of 11 mixed with other entries in the runs of fast-check seeds 1-5.
 */
const SOLO_COMPOSITE_SHARE = 4;

/**
 * One run in this many enables no composite kind (fast-check's subarray of the kinds gave it one
 * in five). Such runs, and those whose entries drew none, were a third of all and found almost
 * nothing the composites do not: in the generated runs of fast-check seeds 61-80 (50 each) on each
 * known flaw's hunt (npm run bench:seeds -- --all), the runs without a composite found KIP-101 in
 * 46 of 349 (those with one: 320 of 651), the acks=1 loss in 11 of 333 (303 of 667), KAFKA-7164
 * and KIP-380 once each, KIP-279, KIP-320, KIP-903, KIP-966 and the burned copies never.
 */
const NO_COMPOSITE_SHARE = 10;

export function faultScheduleArbitrary(space: FaultSpace): fc.Arbitrary<GeneratedSchedule> {
  const faultKinds = space.nodes.length === 0 ? [] : space.kinds;
  const operationKinds = Object.keys(space.operations ?? {});
  const none: GeneratedSchedule = { swarm: { kinds: [], targets: [] }, faults: [], operations: [], composites: [] };
  if (faultKinds.length + operationKinds.length === 0 || space.faultsMax === 0) return fc.constant(none);
  const isFaultKind = (k: string) => (faultKinds as readonly string[]).includes(k);
  // One subset over fault and operation kinds (without operations, exactly the fault kinds' draw).
  const subjects = subjectsOf(space);
  const compositeKinds = space.compositesAimedAt ? Object.keys(space.compositesAimedAt(space.roles ?? [])) : [];
  const swarm = fc
    .record({
      kinds: fc.subarray<string>([...faultKinds, ...operationKinds], { minLength: 1 }),
      targets: fc.subarray(targetKindsOf(space), { minLength: 1 }),
      focus: subjects.length >= 2 ? fc.constantFrom(...subjects) : fc.constant(undefined),
      // Their own switch: none first (where shrinking goes), in one run in NO_COMPOSITE_SHARE.
      composites:
        compositeKinds.length > 0
          ? fc.oneof({ arbitrary: fc.constant<string[]>([]), weight: 1 }, { arbitrary: fc.subarray(compositeKinds, { minLength: 1 }), weight: NO_COMPOSITE_SHARE - 1 })
          : fc.constant(undefined),
    })
    .map(({ kinds, targets, focus, composites }): Swarm => {
      const sw: Swarm = { kinds: kinds.filter(isFaultKind) as NoiseFaultKind[], targets };
      if (operationKinds.length > 0) sw.operations = kinds.filter((k) => !isFaultKind(k));
      if (composites !== undefined) sw.composites = composites;
      if (focus !== undefined && (targets.includes('roles') || (composites ?? []).length > 0)) sw.focus = focus;
      return sw;
    });
  return swarm.chain((sw) => {
    const run = narrowed(space, sw);
    const entry = entryArbitrary(run, sw.operations ?? [], sw.composites ?? []);
    if (entry === null) return fc.constant({ swarm: sw, faults: [], operations: [], composites: [] });
    const solo = soloCompositeArbitrary(run, sw.composites ?? []);
    // Empty first (where shrinking goes), at one run in EMPTY_SHARE; then any entries, or one composite alone.
    const entries = fc.oneof(
      { arbitrary: fc.constant<ScheduleEntry[]>([]), weight: 1 },
      { arbitrary: fc.array(entry, { minLength: 1, maxLength: space.faultsMax }), weight: EMPTY_SHARE - 1 - (solo === null ? 0 : SOLO_COMPOSITE_SHARE) },
      ...(solo === null ? [] : [{ arbitrary: solo, weight: SOLO_COMPOSITE_SHARE }]),
    );
    return entries.map((es) => scheduleOf(sw, es, space));
  });
}

/**
 * The drawn entries as a schedule: faults and operations apart, each by time (stable). A fault or
 * composite entry that would take the schedule past faultsMax faults (a composite holds up to three)
 * is left out, so faultsMax bounds the faults as well as the entries.
 */
function scheduleOf(swarm: Swarm, entries: readonly ScheduleEntry[], space: FaultSpace): GeneratedSchedule {
  const { windowMs, faultsMax } = space;
  const faults: Fault[] = [];
  const operations: ExploredOperation[] = [];
  const composites: string[] = [];
  // The start of the entry drawn before: a linked entry starts its gap after it, within the window.
  let previousAtMs: number | null = null;
  for (const e of entries) {
    const linkedAtMs: number | null = e.afterMs !== undefined && previousAtMs !== null ? Math.min(previousAtMs + e.afterMs, Math.max(0, windowMs - 2)) : null;
    if ('composite' in e) {
      const placed = compositeAt(e.draw, linkedAtMs, windowMs);
      if (placed === null || faults.length + placed.faults.length > faultsMax) continue;
      faults.push(...placed.faults);
      operations.push(...placed.operations);
      composites.push(e.composite);
      previousAtMs = placed.atMs;
    } else if ('fault' in e) {
      if (faults.length >= faultsMax) continue;
      // Linked, it still starts once its role can be held.
      const f: Fault = linkedAtMs === null ? e.fault : clampToWindow({ ...e.fault, atMs: Math.max(linkedAtMs, Math.min(roleHeldFromMs(e.fault, space), windowMs - 2)) }, windowMs);
      faults.push(f);
      previousAtMs = f.atMs;
    } else if (e.operations.length > 0) {
      const placed: ExploredOperation[] = linkedAtMs === null ? e.operations : e.operations.map((op) => operationAt(op, linkedAtMs, windowMs));
      operations.push(...placed);
      previousAtMs = placed[0].atMs;
    }
  }
  return { swarm, faults: faults.sort((a, b) => a.atMs - b.atMs), operations: operations.sort((a, b) => a.atMs - b.atMs), composites };
}

/**
 * A composite's parts, moved as one so its first part starts at `atMs` (null: where drawn), or
 * earlier where the window leaves it no room (its faults' ends and operations' starts keep their
 * distances), each still ending inside the window; null when shrinking left it no part.
 */
function compositeAt(draw: CompositeDraw, linkedAtMs: number | null, windowMs: number): (CompositeDraw & { atMs: number }) | null {
  const starts = [...draw.faults, ...draw.operations].map((x) => x.atMs);
  if (starts.length === 0) return null;
  const first = Math.min(...starts);
  if (linkedAtMs === null) return { ...draw, atMs: first };
  const ends = [...draw.faults.map((f) => f.atMs + ('durationMs' in f && typeof f.durationMs === 'number' ? f.durationMs : 0)), ...starts];
  const atMs = Math.max(0, Math.min(linkedAtMs, windowMs - 2 - (Math.max(...ends) - first)));
  const moved = (t: number) => Math.min(t + atMs - first, Math.max(0, windowMs - 2));
  return {
    faults: draw.faults.map((f) => clampToWindow({ ...f, atMs: moved(f.atMs) }, windowMs)),
    operations: draw.operations.map((op) => operationAt(op, moved(op.atMs), windowMs)),
    atMs,
  };
}
