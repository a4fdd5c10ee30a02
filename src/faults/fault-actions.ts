// What a fault can do to the world, and how that is undone. Every kind acts only through these
// actions (block, hold or slow a directed link, take a node down, pause it); an ActiveFault performs
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
  /** Cuts the directed link: what crosses it is lost (TCP retransmits it once the link is back). */
  block(from: number, to: number): void;
  /** Buffers the directed link's traffic; it is delivered in order when the fault ends. */
  hold(from: number, to: number): void;
  /** Adds latency to the directed link (µs). */
  slow(from: number, to: number, latencyUs: number): void;
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
  /** Directed links slowed, as flat [from, to, latencyUs, ...]. */
  readonly slowedLinks: readonly number[];
  readonly downNodes: readonly number[];
  readonly pausedNodes: readonly number[];
}

/** What the kernel exposes to faults: node lifecycle transitions and held-link release. */
export interface FaultEffects {
  nodeDown(node: number, kind: NodeDownKind): void;
  nodeUp(node: number): void;
  pause(node: number): void;
  resume(node: number): void;
  /** A fault stopped blocking or holding the link (others may still): what waited for it may go on. */
  linkCleared(from: number, to: number): void;
  faultStarted(id: number, layer: FaultLayer, fault: FaultData): void;
  faultEnded(id: number): void;
  /** Whether a node's process is running (restart of a running node is crash + start). */
  isUp(node: number): boolean;
}

/** The network's link controls, counted per directed link. */
export interface FaultableLinks {
  block(from: number, to: number): void;
  /** Returns true when no fault blocks the link any more. */
  unblock(from: number, to: number): boolean;
  hold(from: number, to: number): void;
  /** Returns true when no fault holds the link any more. */
  unhold(from: number, to: number): boolean;
  slow(from: number, to: number, latencyUs: number): void;
  unslow(from: number, to: number, latencyUs: number): void;
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
  readonly slowedLinks: number[] = [];
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

  slow(from: number, to: number, latencyUs: number): void {
    this.slowedLinks.push(from, to, latencyUs);
    this.world.links.slow(from, to, latencyUs);
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
    for (let i = 0; i < this.blockedLinks.length; i += 2)
      if (links.unblock(this.blockedLinks[i], this.blockedLinks[i + 1])) effects.linkCleared(this.blockedLinks[i], this.blockedLinks[i + 1]);
    for (let i = 0; i < this.heldLinks.length; i += 2)
      if (links.unhold(this.heldLinks[i], this.heldLinks[i + 1])) effects.linkCleared(this.heldLinks[i], this.heldLinks[i + 1]);
    for (let i = 0; i < this.slowedLinks.length; i += 3) links.unslow(this.slowedLinks[i], this.slowedLinks[i + 1], this.slowedLinks[i + 2]);
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
