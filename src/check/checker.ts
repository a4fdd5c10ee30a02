// The checker interface. A checker observes a run: it sees every model event as it is emitted
// (cheap invariants go here), the kernel's own changes (nodes going down and up, pauses, faults
// starting and ending) with a read-only view of the kernel's state, and gets one look at the end
// (analyses over the whole history). Checkers never change a run: turning one on or off does not
// change which events happen, and the kernel view has no operation that acts on the run.

import type { FaultData, FaultLayer } from '../faults/fault-actions.ts';
import type { Topology } from '../net/topology.ts';
import type { ModelEvent, ModelOutcome, NodeDownKind, Violation } from '../sim/model.ts';
import type { TimeUs } from '../sim/time.ts';

/** What a checker may read once the run is over. */
export interface RunView {
  nowUs: TimeUs;
  topology: Topology;
  isUp(node: number): boolean;
  /** Whether some fault was still in force when the run ended. */
  faultsActive: boolean;
  model: ModelOutcome;
}

/** The kernel's state as a checker may read it during the run (never change it). */
export interface KernelView {
  readonly topology: Topology;
  /** Whether the node's process runs (started and not down). */
  isUp(node: number): boolean;
  /** Whether the node's process is stalled (a pause fault); false for a node that is down. */
  isPaused(node: number): boolean;
  /**
   * Whether a fault stops traffic on the directed link now: blocked (a partition, an isolation) or
   * held (nothing arrives until released). A link that is only slow is not cut.
   */
  isLinkCut(from: number, to: number): boolean;
}

/**
 * A change the kernel made, delivered after the kernel (and the model, for node-down and node-up)
 * handled it, so the KernelView already shows it. node-down is reported for every take-down (also
 * of a node already down: a power loss after a crash), node-up at every process start (every node
 * starts at time 0). A fault's own node changes arrive as they happen, then its fault-start or
 * fault-end once all its actions are applied or undone (links included). Undo kinds (heal,
 * restart...) report fault-start with id 0, then a fault-end per fault they end.
 */
export type KernelEvent =
  | { readonly type: 'node-down'; readonly node: number; readonly kind: NodeDownKind }
  | { readonly type: 'node-up'; readonly node: number }
  | { readonly type: 'pause'; readonly node: number }
  | { readonly type: 'resume'; readonly node: number }
  | { readonly type: 'fault-start'; readonly id: number; readonly layer: FaultLayer; readonly fault: FaultData }
  | { readonly type: 'fault-end'; readonly id: number };

export interface Checker {
  /** Property family, e.g. "lost-write". */
  readonly name: string;
  /**
   * True for an observer that never reports violations (a run summary, a coverage record): its
   * name is not a property, so flags that name properties (`ksim check --property`) do not offer it.
   */
  readonly observer?: boolean;
  /** Called once before the run starts, with the view to read during it. */
  attach?(kernel: KernelView): void;
  /**
   * The model event types (ModelEvent.type) onEvent reads; omitted, it gets every event. The kernel
   * dispatches by type, so a per-record event reaches only the checkers that read it.
   */
  readonly eventTypes?: readonly string[];
  onEvent?(timeUs: TimeUs, node: number, event: ModelEvent): void;
  /** Kernel changes, in the order they happen; the kernel builds them only when some checker listens. */
  onKernelEvent?(timeUs: TimeUs, event: KernelEvent): void;
  finish(run: RunView): Violation[];
  /**
   * Why the checker could not judge its property on this run (one phrase: "the last fault heals
   * at 19.2 s, ..."), read once after finish; null or absent when it judged it. A property not
   * judged is neither a pass nor a violation: summaries say so, and it never fails a run.
   */
  notJudged?(): string | null;
  /**
   * Figures the checker computed (a run summary, say), read once after finish. They land in the
   * run report under the checker's name, for summaries and --json; the run itself is untouched.
   */
  summary?(): object | undefined;
}
