// Faults as data. An explicit schedule is a list of these, each at a virtual time; fast-check
// generates and shrinks such lists. Nodes and AZs are named, so a schedule reads like a runbook and
// survives changes to node numbering.
//
// A fault with `durationMs` ends by itself (its effect, and only its effect, is undone). The
// explicit undo kinds (`heal`, `release`, `resume`, `restart`, `az-restore`) undo faults of the
// explicit schedule only: background noise and the schedule never undo each other.

import type { NodeDownKind } from '../sim/model.ts';

export type Fault =
  | { atMs: number; kind: 'partition'; groups: string[][]; durationMs?: number }
  | { atMs: number; kind: 'partition-one-way'; from: string[]; to: string[]; durationMs?: number }
  | { atMs: number; kind: 'isolate-node'; node: string; durationMs?: number }
  | { atMs: number; kind: 'isolate-az'; az: string; durationMs?: number }
  | { atMs: number; kind: 'hold'; from: string; to: string; durationMs?: number }
  | { atMs: number; kind: 'release'; from: string; to: string }
  | { atMs: number; kind: 'heal' }
  | { atMs: number; kind: NodeDownKind; node: string; durationMs?: number }
  | { atMs: number; kind: 'pause'; node: string; durationMs?: number }
  | { atMs: number; kind: 'resume'; node: string }
  | { atMs: number; kind: 'restart'; node: string }
  | { atMs: number; kind: 'az-outage'; az: string; durationMs?: number }
  | { atMs: number; kind: 'az-restore'; az: string };

export type FaultKind = Fault['kind'];

export const FAULT_KINDS: readonly FaultKind[] = [
  'partition',
  'partition-one-way',
  'isolate-node',
  'isolate-az',
  'hold',
  'release',
  'heal',
  'crash',
  'power-loss',
  'disk-loss',
  'pause',
  'resume',
  'restart',
  'az-outage',
  'az-restore',
];

/** Kinds background noise may draw: those that end by themselves after a duration. */
export const NOISE_FAULT_KINDS = [
  'partition',
  'partition-one-way',
  'isolate-node',
  'isolate-az',
  'crash',
  'power-loss',
  'disk-loss',
  'pause',
  'az-outage',
] as const satisfies readonly FaultKind[];
export type NoiseFaultKind = (typeof NOISE_FAULT_KINDS)[number];

/** Which layer a fault belongs to: the explicit schedule or seeded background noise. */
export type FaultLayer = 'schedule' | 'noise';
