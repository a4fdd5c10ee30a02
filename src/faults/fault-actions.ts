// What a fault can do to the world, and how that is undone. Every kind acts only through these
// actions (block or hold a directed link, take a node down, pause it); an ActiveFault performs
// each action and records it, so ending the fault undoes exactly what it did and nothing else.
// Links count their blocks and holds, and nodes remember which faults hold them down or paused,
// so overlapping faults compose: a link or node recovers when every fault holding it has ended.

import type { Topology } from '../net/topology.ts';
import type { NodeDownKind } from '../sim/model.ts';

/** Which layer a fault belongs to: the explicit schedule or seeded background noise. */
export type FaultLayer = 'schedule' | 'noise';

/** A fault of any kind, as code that does not know its kind sees it. */
export interface FaultData {
  readonly atMs: number;
  readonly kind: string;
  readonly durationMs?: number;
}

/** What a lasting fault may do to the world; each action is undone when the fault ends. */
export interface FaultActions {
  readonly topology: Topology;
  /** Drops traffic on the directed link, including messages in flight on it. */
  block(from: number, to: number): void;
  /** Buffers the directed link's traffic; it is delivered in order when the fault ends. */
  hold(from: number, to: number): void;
  /** Takes the node down; it starts again when no fault holds it down. */
  down(node: number, how: NodeDownKind): void;
  /** Stalls the node's process, if it runs; it resumes when no fault holds it paused. */
  pause(node: number): void;
}

/** A fault in force, as an undo kind sees it: the fault and what its actions touched. */
export interface FaultInForce {
  readonly layer: FaultLayer;
  readonly fault: FaultData;
  /** Directed links blocked, as flat [from, to, from, to...]. */
  readonly blockedLinks: readonly number[];
  readonly heldLinks: readonly number[];
  readonly downNodes: readonly number[];
  readonly pausedNodes: readonly number[];
}

/** What the kernel exposes to faults: node lifecycle transitions and held-link release. */
export interface FaultEffects {
  nodeDown(node: number, kind: NodeDownKind): void;
  nodeUp(node: number): void;
  pause(node: number): void;
  resume(node: number): void;
  /** The link is no longer held: send what it buffered. */
  flushHeld(from: number, to: number): void;
  faultStarted(id: number, layer: FaultLayer, fault: FaultData): void;
  faultEnded(id: number): void;
  /** Whether a node's process is running (restart of a running node is crash + start). */
  isUp(node: number): boolean;
}

/** The network's link controls, counted per directed link. */
export interface FaultableLinks {
  block(from: number, to: number): void;
  unblock(from: number, to: number): void;
  hold(from: number, to: number): void;
  /** Returns true when no fault holds the link any more. */
  unhold(from: number, to: number): boolean;
}

/** The world faults act on, with the books of which faults hold each node down or paused. */
export class FaultWorld {
  readonly downBy: number[][];
  readonly pausedBy: number[][];

  constructor(
    readonly topology: Topology,
    readonly links: FaultableLinks,
    readonly effects: FaultEffects,
  ) {
    this.downBy = topology.nodes.map(() => []);
    this.pausedBy = topology.nodes.map(() => []);
  }
}

export class ActiveFault implements FaultActions, FaultInForce {
  readonly blockedLinks: number[] = [];
  readonly heldLinks: number[] = [];
  readonly downNodes: number[] = [];
  readonly pausedNodes: number[] = [];

  constructor(
    readonly id: number,
    readonly layer: FaultLayer,
    readonly fault: FaultData,
    private readonly world: FaultWorld,
  ) {}

  get topology(): Topology {
    return this.world.topology;
  }

  block(from: number, to: number): void {
    this.blockedLinks.push(from, to);
    this.world.links.block(from, to);
  }

  hold(from: number, to: number): void {
    this.heldLinks.push(from, to);
    this.world.links.hold(from, to);
  }

  down(node: number, how: NodeDownKind): void {
    this.downNodes.push(node);
    this.world.downBy[node].push(this.id);
    this.world.effects.nodeDown(node, how);
  }

  pause(node: number): void {
    this.pausedNodes.push(node);
    if (!this.world.effects.isUp(node)) return;
    const by = this.world.pausedBy[node];
    by.push(this.id);
    if (by.length === 1) this.world.effects.pause(node);
  }

  /** Undoes every action: links first, then nodes brought back, then processes resumed. */
  undo(): void {
    const { links, effects, downBy, pausedBy } = this.world;
    for (let i = 0; i < this.blockedLinks.length; i += 2) links.unblock(this.blockedLinks[i], this.blockedLinks[i + 1]);
    for (let i = 0; i < this.heldLinks.length; i += 2)
      if (links.unhold(this.heldLinks[i], this.heldLinks[i + 1])) effects.flushHeld(this.heldLinks[i], this.heldLinks[i + 1]);
    for (const node of this.downNodes) {
      const by = downBy[node];
      by.splice(by.indexOf(this.id), 1);
      if (by.length === 0) effects.nodeUp(node);
    }
    for (const node of this.pausedNodes) {
      const by = pausedBy[node];
      const at = by.indexOf(this.id);
      if (at < 0) continue; // the process died while paused: nothing left to resume
      by.splice(at, 1);
      if (by.length === 0) effects.resume(node);
    }
  }
}
