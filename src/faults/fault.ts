// Faults as data. An explicit schedule is a list of these, each at a virtual time; fast-check
// generates and shrinks such lists. Nodes and AZs are named, so a schedule reads like a runbook and
// survives changes to node numbering.
//
// A fault with `durationMs` ends by itself (its effect, and only its effect, is undone). The
// explicit undo kinds (`heal`, `release`, `resume`, `restart`, `az-restore`) undo faults of the
// explicit schedule only: background noise and the schedule never undo each other.
//
// Each kind is one descriptor (kinds/*.ts, see fault-kind.ts); this catalog lists them, and the
// Fault type, the scenario schema, the kind lists and every dispatch on kinds derive from it. The
// order of the list is the order of the kinds in error messages, the JSON Schema and the README.

import { z } from 'zod';
import { faultNameRefs, type NameRef } from './fault-fields.ts';
import type { DrawnFaultKind, LastingFaultKind, UndoFaultKind } from './fault-kind.ts';
import { AZ_FAULTS } from './kinds/az-faults.ts';
import { NETWORK_FAULTS } from './kinds/network-faults.ts';
import { NODE_FAULTS } from './kinds/node-faults.ts';

const CATALOG = [...NETWORK_FAULTS, ...NODE_FAULTS, ...AZ_FAULTS] as const;
type Descriptor = (typeof CATALOG)[number];

type FaultOf<D> = D extends LastingFaultKind<infer F> ? F : D extends UndoFaultKind<infer F> ? F : never;
type DrawnKindOf<D> = D extends DrawnFaultKind<infer F> ? (F extends { kind: infer K } ? K : never) : never;

export type Fault = FaultOf<Descriptor>;
type FaultKind = Fault['kind'];
/** Kinds background noise and `ksim check` may generate (each ends by itself after a duration). */
export type NoiseFaultKind = DrawnKindOf<Descriptor>;

/** A descriptor, as dispatch sees it: its fault is any fault (a descriptor only gets its own kind). */
type AnyFaultKind = LastingFaultKind<any> | UndoFaultKind<any>;

const BY_KIND = new Map<string, AnyFaultKind>(CATALOG.map((d): [string, AnyFaultKind] => [d.kind, d]));

export const FAULT_KINDS = CATALOG.map((d) => d.kind) as readonly FaultKind[];

export const NOISE_FAULT_KINDS = CATALOG.flatMap((d: AnyFaultKind) => (d.role === 'lasting' && d.draw ? [d.kind] : [])) as [
  NoiseFaultKind,
  ...NoiseFaultKind[],
];

export const faultSchema = z.discriminatedUnion(
  'kind',
  CATALOG.map((d) => d.schema) as [z.ZodObject, ...z.ZodObject[]],
);

export function faultKindOf(kind: string): AnyFaultKind {
  const d = BY_KIND.get(kind);
  if (!d) throw new Error(`unknown fault kind "${kind}"`);
  return d;
}

/** The descriptor of a kind noise and `ksim check` generate. */
export function drawnFaultKindOf(kind: NoiseFaultKind): DrawnFaultKind<Fault> {
  return faultKindOf(kind) as DrawnFaultKind<Fault>;
}

/** The node and AZ names a parsed fault refers to, with their paths, for checks against the topology. */
export function faultNameRefsOf(fault: Fault): NameRef[] {
  return faultNameRefs(faultKindOf(fault.kind).schema.shape, fault);
}
