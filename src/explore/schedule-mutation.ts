// Mutations of an explicit fault schedule, for coverage-guided search (coverage-guided-plan.ts):
// a schedule that reached a situation no earlier run reached is varied rather than redrawn, as
// AFL and libFuzzer vary inputs that found new edges. Four ways, each small enough that the
// mutant stays near what its parent reached:
// - shift: move one fault earlier or later (by one of the scenario's timeouts, or a blind amount);
// - stretch: give one fault another duration (one of the scenario's timeouts: just under, just
//   over, far over; or double / half);
// - add: insert a fault taken from a freshly drawn schedule, close after one of the parent's
//   (fast failover needs two faults within seconds);
// - retarget: keep one fault's time and duration but aim it where a freshly drawn fault of the
//   same kind aims (another node, role or split).
// Every fault stays inside the fault window, so the run still has its fault-free end to recover.
// Randomness comes only from the Choice handed in (a seeded stream), so mutants are the same for
// the same seed on any machine and any number of worker threads.

import type { Fault } from '../faults/fault.ts';
import { pick, type Choice } from '../sim/choice.ts';

export const MUTATIONS = ['shift', 'stretch', 'add', 'retarget'] as const;
export type Mutation = (typeof MUTATIONS)[number];

export interface MutationSpace {
  /** Faults start and end inside [0, windowMs). */
  windowMs: number;
  faultsMax: number;
  /** Durations (ms) that matter to the scenario: its timeouts, just under and over. */
  durationsMs: readonly number[];
}

/** The fields that say what a fault hits: all but atMs, kind and durationMs. */
function targetsOf(f: Fault): Record<string, unknown> {
  const { atMs: _at, kind: _kind, durationMs: _d, ...rest } = f as Fault & { durationMs?: number };
  return rest;
}

function durationOf(f: Fault): number {
  return 'durationMs' in f && typeof f.durationMs === 'number' ? f.durationMs : 1;
}

/** The fault kept inside the window: start before its last 2 ms, end by its end. */
function clamped(f: Fault, windowMs: number): Fault {
  const atMs = Math.max(0, Math.min(Math.round(f.atMs), Math.max(0, windowMs - 2)));
  const durationMs = Math.max(1, Math.min(Math.round(durationOf(f)), windowMs - atMs));
  return { ...f, atMs, durationMs } as Fault;
}

/** A time offset: one of the scenario's timeouts either way, or a blind one up to a tenth of the window. */
function offsetMs(space: MutationSpace, choice: Choice): number {
  const sign = choice.below(2) === 0 ? -1 : 1;
  if (space.durationsMs.length > 0 && choice.below(2) === 0) return sign * pick(choice, space.durationsMs);
  return sign * (1 + choice.below(Math.max(1, Math.floor(space.windowMs / 10))));
}

function shift(faults: Fault[], space: MutationSpace, choice: Choice): Fault[] {
  const i = choice.below(faults.length);
  return faults.map((f, j) => (j === i ? { ...f, atMs: f.atMs + offsetMs(space, choice) } : f));
}

function stretch(faults: Fault[], space: MutationSpace, choice: Choice): Fault[] {
  const i = choice.below(faults.length);
  const d = durationOf(faults[i]);
  const options = [...space.durationsMs, d * 2, Math.max(1, Math.floor(d / 2))];
  return faults.map((f, j) => (j === i ? ({ ...f, durationMs: pick(choice, options) } as Fault) : f));
}

function add(faults: Fault[], donor: readonly Fault[], space: MutationSpace, choice: Choice): Fault[] {
  const extra = pick(choice, donor);
  // close after one of the parent's faults, or where the donor had it
  const atMs = faults.length > 0 && choice.below(2) === 0 ? pick(choice, faults).atMs + Math.abs(offsetMs(space, choice)) : extra.atMs;
  return [...faults, { ...extra, atMs }];
}

function retarget(faults: Fault[], donor: readonly Fault[], choice: Choice): Fault[] | null {
  const pairs = faults.flatMap((f, i) => donor.filter((d) => d.kind === f.kind && JSON.stringify(targetsOf(d)) !== JSON.stringify(targetsOf(f))).map((d) => [i, d] as const));
  if (pairs.length === 0) return null;
  const [i, d] = pick(choice, pairs);
  const f = faults[i];
  return faults.map((g, j) => (j === i ? ({ ...targetsOf(d), atMs: f.atMs, kind: f.kind, durationMs: durationOf(f) } as unknown as Fault) : g));
}

/**
 * One mutant of `faults` (the parent's schedule, left as it is), and the mutation that made it.
 * `donor` is a freshly drawn schedule that add and retarget take faults from. A mutation that
 * cannot apply (no fault to shift, no room to add, no donor fault of the same kind) gives way to
 * one that can: add on an empty schedule, shift on a full one. The result is sorted by time.
 */
export function mutateSchedule(faults: readonly Fault[], donor: readonly Fault[], space: MutationSpace, choice: Choice): { faults: Fault[]; mutation: Mutation } {
  let mutation: Mutation = pick(choice, MUTATIONS);
  const canAdd = donor.length > 0 && faults.length < space.faultsMax;
  if (faults.length === 0) mutation = 'add';
  else if (mutation === 'add' && !canAdd) mutation = 'shift';
  let out: Fault[];
  if (mutation === 'add') out = canAdd ? add([...faults], donor, space, choice) : [...faults];
  else if (mutation === 'retarget') {
    const r = retarget([...faults], donor, choice);
    if (r === null) mutation = 'shift';
    out = r ?? shift([...faults], space, choice);
  } else if (mutation === 'stretch') out = stretch([...faults], space, choice);
  else out = shift([...faults], space, choice);
  return { faults: out.map((f) => clamped(f, space.windowMs)).sort((a, b) => a.atMs - b.atMs), mutation };
}
