// Applies faults to the network and the nodes, and ends them. Every applied fault gets an id and
// remembers exactly what it did (which directed links it blocked or held, which nodes it took down
// or paused), so ending it undoes its own effect and nothing else. Nodes are down while any fault
// holds them down, paused while any fault holds them paused. What each kind does is its
// descriptor's business (kinds/*.ts); the injector only keeps the books.

import type { Topology } from '../net/topology.ts';
import { faultKindOf, type Fault, type FaultLayer } from './fault.ts';
import type { FaultActions, FaultInForce, NodeDownKind, UndoScope } from './fault-kind.ts';

/** What the kernel exposes to the injector: node lifecycle transitions and held-link release. */
export interface FaultEffects {
  nodeDown(node: number, kind: NodeDownKind): void;
  nodeUp(node: number): void;
  pause(node: number): void;
  resume(node: number): void;
  /** The link is no longer held: send what it buffered. */
  flushHeld(from: number, to: number): void;
  faultStarted(id: number, layer: FaultLayer, fault: Fault): void;
  faultEnded(id: number): void;
  /** Whether a node's process is running (restart of a running node is crash + start). */
  isUp(node: number): boolean;
}

/** The network's link controls, counted per directed link so overlapping faults compose. */
export interface FaultableLinks {
  block(from: number, to: number): void;
  unblock(from: number, to: number): void;
  hold(from: number, to: number): void;
  /** Returns true when no fault holds the link any more. */
  unhold(from: number, to: number): boolean;
}

interface ActiveFault extends FaultInForce {
  readonly id: number;
  readonly layer: FaultLayer;
  readonly blocked: number[];
  readonly held: number[];
  readonly down: number[];
  readonly paused: number[];
}

export class FaultInjector {
  private nextId = 1;
  private readonly active = new Map<number, ActiveFault>();
  private readonly downBy: number[][];
  private readonly pausedBy: number[][];
  /** Faults applied so far, by kind, for summaries and coverage. */
  readonly appliedByKind = new Map<string, number>();

  constructor(
    private readonly topology: Topology,
    private readonly links: FaultableLinks,
    private readonly effects: FaultEffects,
  ) {
    this.downBy = topology.nodes.map(() => []);
    this.pausedBy = topology.nodes.map(() => []);
  }

  get activeCount(): number {
    return this.active.size;
  }

  /** Applies a fault now; returns its id (0 for undo kinds, which are not themselves active). */
  apply(fault: Fault, layer: FaultLayer): number {
    this.appliedByKind.set(fault.kind, (this.appliedByKind.get(fault.kind) ?? 0) + 1);
    const kind = faultKindOf(fault.kind);
    if (kind.role === 'undo') {
      this.effects.faultStarted(0, layer, fault);
      kind.undo(fault, this.undoScope(layer));
      return 0;
    }
    const a: ActiveFault = { id: this.nextId++, layer, fault, blocked: [], held: [], down: [], paused: [] };
    this.active.set(a.id, a);
    this.effects.faultStarted(a.id, layer, fault);
    kind.start(fault, this.actionsOf(a));
    return a.id;
  }

  /** Ends a fault if it is still in force (a heal may have ended it already). */
  end(id: number): void {
    const a = this.active.get(id);
    if (!a) return;
    this.active.delete(id);
    this.effects.faultEnded(id);
    for (let i = 0; i < a.blocked.length; i += 2) this.links.unblock(a.blocked[i], a.blocked[i + 1]);
    for (let i = 0; i < a.held.length; i += 2)
      if (this.links.unhold(a.held[i], a.held[i + 1])) this.effects.flushHeld(a.held[i], a.held[i + 1]);
    for (const node of a.down) {
      const by = this.downBy[node];
      by.splice(by.indexOf(id), 1);
      if (by.length === 0) this.effects.nodeUp(node);
    }
    for (const node of a.paused) {
      const by = this.pausedBy[node];
      const at = by.indexOf(id);
      if (at < 0) continue; // the process died while paused: nothing left to resume
      by.splice(at, 1);
      if (by.length === 0) this.effects.resume(node);
    }
  }

  /** A node's process died: pauses on the old process are moot. */
  forgetPauses(node: number): void {
    this.pausedBy[node].length = 0;
  }

  /** The actions of a fault being started, each recorded on it so that ending it undoes them. */
  private actionsOf(a: ActiveFault): FaultActions {
    return {
      topology: this.topology,
      block: (from, to) => {
        a.blocked.push(from, to);
        this.links.block(from, to);
      },
      hold: (from, to) => {
        a.held.push(from, to);
        this.links.hold(from, to);
      },
      down: (node, how) => {
        a.down.push(node);
        this.downBy[node].push(a.id);
        this.effects.nodeDown(node, how);
      },
      pause: (node) => {
        a.paused.push(node);
        if (!this.effects.isUp(node)) return;
        this.pausedBy[node].push(a.id);
        if (this.pausedBy[node].length === 1) this.effects.pause(node);
      },
    };
  }

  private undoScope(layer: FaultLayer): UndoScope {
    return {
      topology: this.topology,
      end: (which) => this.endWhere((f) => f.layer === layer && which(f)),
      isUp: (node) => this.effects.isUp(node),
      crashAndStart: (node) => {
        this.effects.nodeDown(node, 'crash');
        this.effects.nodeUp(node);
      },
    };
  }

  private endWhere(pred: (f: ActiveFault) => boolean): void {
    const ids: number[] = [];
    for (const f of this.active.values()) if (pred(f)) ids.push(f.id);
    for (const id of ids) this.end(id);
  }
}
