// How `ksim check` explores a model: the config values each generated run samples from, the fault
// kinds it may inject and where, how long the run gets to settle, and the names of the situations
// a run reached (the coverage table). Which violations fail a run is not the model's choice: one
// rule for every command (verdict.ts, --fail-on).

import type fc from 'fast-check';
import type { Fault, NoiseFaultKind } from '../faults/fault.ts';
import type { Split } from '../faults/fault-targets.ts';
import type { RunReport } from './run-report.ts';

/**
 * Config key -> the values exploration may pick (e.g. 'ping.intervalMs': [100, 50, 250]); null
 * keeps the scenario's own value (its default where the scenario leaves the key unset).
 */
export type ConfigSpace = Record<string, readonly unknown[]>;

/**
 * One generated administrative operation, as the scenario's `operations` list states it (plain
 * data: `{ atMs, kind, ...its fields }`); a generated case's operations are merged after the
 * scenario's own.
 */
export interface ExploredOperation {
  atMs: number;
  kind: string;
  [field: string]: unknown;
}

/** Where generated operations may happen, and the draws they share with generated faults. */
export interface OperationSpace {
  /** fast-check itself (models draw through it, as fault kinds do: src/faults/fault-kind.ts). */
  readonly fc: typeof fc;
  /** Operations start in [0, windowMs) and should be over by windowMs (the settle period follows). */
  readonly windowMs: number;
  /** Durations (ms) that matter for the scenario (faultDurationsMs), for operations that last. */
  readonly durationsMs: readonly number[];
  /**
   * Roles the run's role-aimed entries may aim at (some of targetedRoles, about the run's focus:
   * "@leader:orders-0", "@follower:orders-0", "@active-controller"); absent or empty: none. An
   * operation aimed at one names it where it names a node, and the model resolves it when the
   * operation fires. The kinds returned must not depend on them.
   */
  readonly roles?: readonly string[];
}

/** Operation kind -> its arbitrary: one drawn operation, as one or more entries (a close and the start that ends it). */
export type OperationArbitraries = Record<string, fc.Arbitrary<ExploredOperation[]>>;

/**
 * One composite draw, as Jepsen composes nemeses into packages: a fault and the operations that
 * act inside its window, drawn as one unit (placed relative to the fault's start), so a
 * combination that needs all of them is as likely as any one entry. Either part may be empty
 * once shrunk (a composite shrinks to its parts).
 */
export interface CompositeDraw {
  faults: Fault[];
  operations: ExploredOperation[];
}

/** Composite kind -> its arbitrary ("replica cut + leader chain"). */
export type CompositeArbitraries = Record<string, fc.Arbitrary<CompositeDraw>>;

export interface ModelExploration {
  /** Config values each run samples from (first value = where shrinking goes). */
  configSpace: ConfigSpace;
  /**
   * How likely each of a key's candidates is, in the order configSpace lists them (a key not
   * named here: each as likely). A candidate under which the runs test little of what the others
   * test (a flush per message, under which a power loss loses nothing) is drawn less often.
   */
  configWeights?: Readonly<Record<string, readonly number[]>>;
  faultKinds: NoiseFaultKind[];
  /** Node names faults may target (default: every node). */
  faultTargets?(nodeNames: readonly string[]): string[];
  /**
   * Cuts worth trying (a broker from its peers but not from the controllers, say): between fixed
   * nodes of the scenario's layout, or between roles resolved when the fault fires ("@leader:
   * orders-0" from "@followers:orders-0", src/faults/fault-roles.ts; the definition's
   * faultRoles lists them). `config` is the resolved scenario, before any generated setting.
   * Generated cuts draw from these and from blind splits of all nodes, as each run's swarm enables.
   */
  targetedSplits?(config: unknown): Split[];
  /** Roles a one-node fault (a crash, a pause, a held link's end) may aim at instead of a node. */
  targetedRoles?(config: unknown): string[];
  /**
   * The earliest time (ms) anyone can hold `role` in a run of the scenario (the reader of a
   * partition: once its group's first rebalance can have handed it out), or 0. A generated fault
   * aimed at it starts then at the earliest: one before would hit nobody.
   */
  roleHeldFromMs?(config: unknown, role: string): number;
  /**
   * The subjects a role is about besides the one its argument names ("@reader:orders-0" is about
   * orders-0 and the group reading it): a run focused on any of them may aim at it. None: its argument only.
   */
  roleSubjects?(config: unknown, role: string): readonly string[];
  /**
   * Fault durations (ms) that matter for the scenario: just under, just over and far over its own
   * timeouts. Generated faults draw these as often as a blind duration.
   */
  faultDurationsMs?(config: unknown): number[];
  /**
   * The shortest run (ms) in which the scenario's slowest failure detector can act and the cluster
   * settle after it, with why (naming the setting), when the scenario's own durationMs is shorter:
   * `ksim check` then lengthens every generated run to it, unless durationMs is fixed with --set.
   */
  runDurationMsMin?(config: unknown): { durationMs: number; reason: string } | undefined;
  /**
   * Administrative operations `ksim check` may generate alongside faults, per kind (none when
   * absent): each kind is a member of the swarm's subset like a fault kind, its draws shrink away
   * like a fault (fewer, earlier), and they land in the scenario's `operations` list. `config` is
   * the resolved scenario, before any generated setting; a kind the scenario cannot host is left
   * out. Targets should be what matters to the scenario (a partition's preferred leader...).
   */
  operationArbitraries?(config: unknown, space: OperationSpace): OperationArbitraries;
  /**
   * Makes a case's generated operations (in time order) consistent with each other and with the
   * scenario's own (in `config`), as the model's validation demands (each create-partitions of a
   * topic growing it further, say). Runs inside the arbitrary, so the case holds what runs.
   */
  arrangeOperations?(config: unknown, generated: readonly ExploredOperation[]): ExploredOperation[];
  /**
   * Composite kinds (none when absent): a fault aimed at the run's roles with operations acting
   * inside its window, drawn as one entry of the schedule; the swarm enables a subset of them
   * (possibly none) apart from the fault and operation kinds, and shrinking drops their parts.
   * `space.roles` are the roles about the run's focus (every role when it has none); the kinds
   * returned must not depend on them. Their faults use the model's fault kinds and roles, their
   * operations the kinds of operationArbitraries.
   */
  compositeArbitraries?(config: unknown, space: OperationSpace): CompositeArbitraries;
  /**
   * Config keys the scenario itself states (a config map in the scenario, say): like --set
   * keys, they are left out of exploration, so a scenario file means what it says.
   */
  keysSetIn?(raw: Record<string, unknown>): string[];
  /**
   * Keys whose value the model derives from others unless it is set (Kafka's producer turns
   * implicit enable.idempotence off under acks=1): key -> the keys it derives from. When one of
   * those is fixed (by --set or the scenario), the derived key is left out of exploration too, so
   * a pinned value never conflicts with what the user set.
   */
  derivedKeys?: Readonly<Record<string, readonly string[]>>;
  /**
   * Config keys the scenario's model version does not have (say, a key newer than the Kafka
   * version it runs): drawn as before, so the runs of every other search stay what they were, but
   * not applied, since the model refuses a setting it does not have.
   */
  keysAbsentIn?(config: unknown): string[];
  /** Fraction of the run at the end kept free of faults so the system can recover (0..1). */
  settleFraction: number;
  /** Names of the situations a run reached, for the coverage table ("a peer suspected"...). */
  coverage(report: RunReport): string[];
}

/** The keys exploration leaves alone: those fixed, and those the model derives from a fixed one. */
export function keysLeftAlone(exploration: ModelExploration, fixed: readonly string[]): string[] {
  const derived = Object.entries(exploration.derivedKeys ?? {}).filter(([, from]) => from.some((k) => fixed.includes(k)));
  return [...fixed, ...derived.map(([key]) => key)];
}
