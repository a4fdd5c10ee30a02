// Applies faults and ends them. Every applied fault gets an id and becomes an ActiveFault that
// records what it did (fault-actions.ts), so ending it undoes its own effect and nothing else.
// What each kind does is its descriptor's business (kinds/*.ts); the injector dispatches on the
// kind, hands out ids and keeps the set of faults in force, per layer.

import type { Topology } from '../net/topology.ts';
import { faultKindOf, type Fault } from './fault.ts';
import { ActiveFault, FaultWorld, type FaultEffects, type FaultLayer, type FaultableLinks } from './fault-actions.ts';
import type { UndoScope } from './fault-kind.ts';
import { namesRoles, resolveRoles } from './fault-roles.ts';
import { formatTimeUs, type TimeUs } from '../sim/time.ts';

export class FaultInjector {
  private nextId = 1;
  private readonly active = new Map<number, ActiveFault>();
  private readonly world: FaultWorld;
  /** Faults applied so far, by kind, for summaries and coverage. */
  readonly appliedByKind = new Map<string, number>();
  /** Faults aimed at roles, as they fired: "12.000s partition: leader of orders-0 (b2) / followers of orders-0 (b1, b3)". */
  readonly aimed: string[] = [];

  constructor(topology: Topology, links: FaultableLinks, effects: FaultEffects) {
    this.world = new FaultWorld(topology, links, effects);
  }

  get activeCount(): number {
    return this.active.size;
  }

  /** Applies a fault now; returns its id (0 for undo kinds, which are not themselves active). */
  apply(fault: Fault, layer: FaultLayer): number {
    this.appliedByKind.set(fault.kind, (this.appliedByKind.get(fault.kind) ?? 0) + 1);
    const kind = faultKindOf(fault.kind);
    if (kind.role === 'undo') {
      this.world.effects.faultStarted(0, layer, fault);
      kind.undo(fault, this.undoScope(layer));
      return 0;
    }
    const a = new ActiveFault(this.nextId++, layer, fault, this.world);
    this.active.set(a.id, a);
    this.world.effects.faultStarted(a.id, layer, fault);
    kind.start(fault, a);
    return a.id;
  }

  /**
   * The fault as it fires now: its role references (fault-roles.ts) resolved through `holders`
   * (role reference -> node names holding it now); null when it has nothing to act on.
   */
  aim(fault: Fault, nowUs: TimeUs, holders: (ref: string) => readonly string[]): Fault | null {
    const shape = faultKindOf(fault.kind).schema.shape;
    if (!namesRoles(shape, fault)) return fault;
    const r = resolveRoles(shape, fault, holders);
    this.aimed.push(`${formatTimeUs(nowUs)} ${fault.kind}: ${r.named.join(' / ')}${r.fault ? sidesOf(r.fault) : ' (skipped: nothing to act on)'}`);
    return r.fault as Fault | null;
  }

  /** Ends a fault if it is still in force (a heal may have ended it already). */
  end(id: number): void {
    const a = this.active.get(id);
    if (!a) return;
    this.active.delete(id);
    this.world.effects.faultEnded(id);
    a.undo();
  }

  /** A node's process died: pauses on the old process are moot. */
  forgetPauses(node: number): void {
    this.world.pausedBy[node].length = 0;
  }

  private undoScope(layer: FaultLayer): UndoScope {
    const { topology, effects } = this.world;
    return {
      topology,
      end: (which) => this.endWhere((f) => f.layer === layer && which(f)),
      isUp: (node) => effects.isUp(node),
      crashAndStart: (node) => {
        effects.nodeDown(node, 'crash');
        effects.nodeUp(node);
      },
    };
  }

  private endWhere(pred: (f: ActiveFault) => boolean): void {
    const ids: number[] = [];
    for (const f of this.active.values()) if (pred(f)) ids.push(f.id);
    for (const id of ids) this.end(id);
  }
}

/**
 * The sides of a resolved cut, where roles overlap ("@follower:P" is also among "@followers:P"):
 * ", cut [b2] | [b3, b1]" (a node stays on the first side naming it); "" for faults without sides.
 */
function sidesOf(fault: object): string {
  const groups = (fault as { groups?: unknown }).groups;
  if (!Array.isArray(groups)) return '';
  return `, cut ${groups.map((side) => `[${(side as string[]).join(', ')}]`).join(' | ')}`;
}
