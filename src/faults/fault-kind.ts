// What a kind of fault is, in one place: its fields (a zod schema; a bad field is a one-line error
// naming it), its row in the README's fault table, and either how it is put in force (a lasting
// fault, which may end by itself after `durationMs`) or which faults it ends (an undo kind), plus,
// for kinds that `ksim check` and background noise may generate, how each draws its targets.
//
// A lasting fault acts only through FaultActions (fault-actions.ts), which records every action so
// that ending the fault undoes exactly that and nothing else. The schema union, the list of kinds,
// the arbitraries, noise and the injector's dispatch all derive from the descriptors (fault.ts).

import { z } from 'zod';
import type fc from 'fast-check';
import type { Topology } from '../net/topology.ts';
import type { FaultActions, FaultData, FaultInForce } from './fault-actions.ts';
import { durationMs, virtualMs } from './fault-fields.ts';
import type { NoiseDraw, TargetSpace } from './fault-targets.ts';

/** The README's row for a kind; an undo kind may share the row of the kind it undoes. */
type FaultDoc = { fields: string; effect: string } | { sameRowAs: string };

/** What an undo kind may do. It sees only faults of its own layer: the schedule never ends noise. */
export interface UndoScope {
  readonly topology: Topology;
  end(which: (f: FaultInForce) => boolean): void;
  isUp(node: number): boolean;
  /** The node's running process dies (its page cache survives) and starts again at once. */
  crashAndStart(node: number): void;
}

/** The fields that say what a fault hits: all but atMs, kind and durationMs. */
type FaultTargets<F> = Omit<F, 'atMs' | 'kind' | 'durationMs'>;

/**
 * Target arbitraries for `ksim check`, handed to each kind by the explorer (src/explore), so that
 * simulation code does not load fast-check.
 */
export interface TargetArbitraries {
  /** fast-check itself, for draws the helpers below do not cover. */
  readonly fc: typeof fc;
  anyNode(space: TargetSpace): fc.Arbitrary<string>;
  anyAz(space: TargetSpace): fc.Arbitrary<string>;
  /**
   * Two non-empty sides to cut apart: a split of all the space's nodes, or one of its targeted
   * splits (either way round), shrinking simply.
   */
  twoSides(space: TargetSpace): fc.Arbitrary<[string[], string[]]>;
}

/** How generated faults of a kind pick their targets; the generator adds atMs and durationMs. */
interface FaultDraw<F> {
  /** For `ksim check`: shrinks as the arbitrary does; undefined when the space cannot host the kind. */
  explore(space: TargetSpace, arb: TargetArbitraries): fc.Arbitrary<FaultTargets<F>> | undefined;
  /** For background noise. */
  noise(draw: NoiseDraw): FaultTargets<F>;
}

interface FaultKindBase {
  readonly kind: string;
  readonly schema: z.ZodObject;
  readonly doc: FaultDoc;
}

export interface LastingFaultKind<F> extends FaultKindBase {
  readonly role: 'lasting';
  start(fault: F, act: FaultActions): void;
  readonly draw?: FaultDraw<F>;
}

/** A lasting kind that `ksim check` and background noise may generate. */
export interface DrawnFaultKind<F> extends LastingFaultKind<F> {
  readonly draw: FaultDraw<F>;
}

export interface UndoFaultKind<F> extends FaultKindBase {
  readonly role: 'undo';
  undo(fault: F, scope: UndoScope): void;
}

type Shape = Record<string, z.ZodType>;

function lastingSchema<const K extends string, S extends Shape>(kind: K, fields: S) {
  return z.strictObject({ atMs: virtualMs, kind: z.literal(kind), ...fields, durationMs });
}

function undoSchema<const K extends string, S extends Shape>(kind: K, fields: S) {
  return z.strictObject({ atMs: virtualMs, kind: z.literal(kind), ...fields });
}

type Lasting<K extends string, S extends Shape> = z.output<ReturnType<typeof lastingSchema<K, S>>>;
type Undo<K extends string, S extends Shape> = z.output<ReturnType<typeof undoSchema<K, S>>>;

interface LastingSpec<F> {
  doc: FaultDoc;
  start(fault: F, act: FaultActions): void;
}

/** A fault that stays in force until it ends: after its optional `durationMs`, or by an undo kind. */
export function lastingFault<const K extends string, S extends Shape>(
  kind: K,
  fields: S,
  spec: LastingSpec<Lasting<K, S>> & { draw: FaultDraw<Lasting<K, S>> },
): DrawnFaultKind<Lasting<K, S>>;
export function lastingFault<const K extends string, S extends Shape>(
  kind: K,
  fields: S,
  spec: LastingSpec<Lasting<K, S>>,
): LastingFaultKind<Lasting<K, S>>;
export function lastingFault<const K extends string, S extends Shape>(
  kind: K,
  fields: S,
  spec: LastingSpec<Lasting<K, S>> & { draw?: FaultDraw<Lasting<K, S>> },
): LastingFaultKind<Lasting<K, S>> {
  return { role: 'lasting', kind, schema: lastingSchema(kind, fields), ...spec };
}

/** A kind that only ends faults in force (heal, release...), of its own layer; it has no duration. */
export function undoFault<const K extends string, S extends Shape>(
  kind: K,
  fields: S,
  spec: { doc: FaultDoc; undo(fault: Undo<K, S>, scope: UndoScope): void },
): UndoFaultKind<Undo<K, S>> {
  return { role: 'undo', kind, schema: undoSchema(kind, fields), ...spec };
}

/** Whether a fault is of the given kind, narrowing it to that kind's fields. */
export function isFaultOf<F>(fault: FaultData, kind: LastingFaultKind<F>): fault is FaultData & F {
  return fault.kind === kind.kind;
}
