// Applies faults to the network and the nodes, and ends them. Every applied fault gets an id and
// remembers exactly what it did (which directed links it blocked or held, which nodes it took down
// or paused), so ending it undoes its own effect and nothing else. Nodes are down while any fault
// holds them down, paused while any fault holds them paused.

import type { Network } from '../net/network.ts';
import type { Topology } from '../net/topology.ts';
import type { NodeDownKind } from '../sim/model.ts';
import type { Fault, FaultLayer } from './fault.ts';

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

interface ActiveFault {
  id: number;
  layer: FaultLayer;
  fault: Fault;
  /** Directed links blocked, as flat [from, to, from, to...]. */
  blocked: number[];
  held: number[];
  down: number[];
  paused: number[];
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
    private readonly network: Network,
    private readonly effects: FaultEffects,
  ) {
    this.downBy = topology.nodes.map(() => []);
    this.pausedBy = topology.nodes.map(() => []);
  }

  get activeCount(): number {
    return this.active.size;
  }

  /** True while some fault of the layer is in force. */
  hasActive(layer: FaultLayer): boolean {
    for (const f of this.active.values()) if (f.layer === layer) return true;
    return false;
  }

  isDownByFault(node: number): boolean {
    return this.downBy[node].length > 0;
  }

  /** Applies a fault now; returns its id (0 for undo kinds, which are not themselves active). */
  apply(fault: Fault, layer: FaultLayer): number {
    this.appliedByKind.set(fault.kind, (this.appliedByKind.get(fault.kind) ?? 0) + 1);
    const topo = this.topology;
    switch (fault.kind) {
      case 'heal':
        this.logUndo(fault, layer);
        this.endWhere((f) => f.layer === layer && (f.blocked.length > 0 || f.held.length > 0));
        return 0;
      case 'release': {
        this.logUndo(fault, layer);
        const from = topo.index(fault.from);
        const to = topo.index(fault.to);
        this.endWhere((f) => f.layer === layer && f.fault.kind === 'hold' && f.held[0] === from && f.held[1] === to);
        return 0;
      }
      case 'resume': {
        this.logUndo(fault, layer);
        const node = topo.index(fault.node);
        this.endWhere((f) => f.layer === layer && f.fault.kind === 'pause' && f.paused[0] === node);
        return 0;
      }
      case 'az-restore':
        this.logUndo(fault, layer);
        this.endWhere((f) => f.layer === layer && f.fault.kind === 'az-outage' && f.fault.az === fault.az);
        return 0;
      case 'restart': {
        const node = topo.index(fault.node);
        this.logUndo(fault, layer);
        if (this.effects.isUp(node)) {
          // A restart of a running broker: the process dies (page cache survives) and starts again.
          this.effects.nodeDown(node, 'crash');
          this.effects.nodeUp(node);
          return 0;
        }
        this.endWhere((f) => f.layer === layer && f.down.length === 1 && f.down[0] === node);
        return 0;
      }
      default:
        break;
    }

    const a: ActiveFault = { id: this.nextId++, layer, fault, blocked: [], held: [], down: [], paused: [] };
    this.active.set(a.id, a);
    this.effects.faultStarted(a.id, layer, fault);
    const n = topo.size;
    switch (fault.kind) {
      case 'partition': {
        const groupOf = new Int32Array(n).fill(-1);
        fault.groups.forEach((g, gi) => g.forEach((name) => (groupOf[topo.index(name)] = gi)));
        for (let x = 0; x < n; x++)
          for (let y = 0; y < n; y++)
            if (groupOf[x] >= 0 && groupOf[y] >= 0 && groupOf[x] !== groupOf[y]) a.blocked.push(x, y);
        break;
      }
      case 'partition-one-way':
        for (const f of fault.from) for (const t of fault.to) if (f !== t) a.blocked.push(topo.index(f), topo.index(t));
        break;
      case 'isolate-node': {
        const x = topo.index(fault.node);
        for (let y = 0; y < n; y++) if (y !== x) a.blocked.push(x, y, y, x);
        break;
      }
      case 'isolate-az': {
        const inAz = topo.nodesInAz(fault.az);
        for (let y = 0; y < n; y++) {
          if (topo.azOf[y] === fault.az) continue;
          for (const x of inAz) a.blocked.push(x, y, y, x);
        }
        break;
      }
      case 'hold':
        a.held.push(topo.index(fault.from), topo.index(fault.to));
        break;
      case 'crash':
      case 'power-loss':
      case 'disk-loss':
        a.down.push(topo.index(fault.node));
        break;
      case 'az-outage':
        a.down.push(...topo.nodesInAz(fault.az));
        break;
      case 'pause':
        a.paused.push(topo.index(fault.node));
        break;
    }
    for (let i = 0; i < a.blocked.length; i += 2) this.network.block(a.blocked[i], a.blocked[i + 1]);
    for (let i = 0; i < a.held.length; i += 2) this.network.hold(a.held[i], a.held[i + 1]);
    const downKind: NodeDownKind =
      fault.kind === 'crash' || fault.kind === 'disk-loss' ? fault.kind : 'power-loss';
    for (const node of a.down) {
      this.downBy[node].push(a.id);
      this.effects.nodeDown(node, downKind);
    }
    for (const node of a.paused) {
      if (!this.effects.isUp(node)) continue;
      this.pausedBy[node].push(a.id);
      if (this.pausedBy[node].length === 1) this.effects.pause(node);
    }
    return a.id;
  }

  /** Ends a fault if it is still in force (a heal may have ended it already). */
  end(id: number): void {
    const a = this.active.get(id);
    if (!a) return;
    this.active.delete(id);
    this.effects.faultEnded(id);
    for (let i = 0; i < a.blocked.length; i += 2) this.network.unblock(a.blocked[i], a.blocked[i + 1]);
    for (let i = 0; i < a.held.length; i += 2)
      if (this.network.unhold(a.held[i], a.held[i + 1])) this.effects.flushHeld(a.held[i], a.held[i + 1]);
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

  /** Ends every fault still in force (used to let a run settle). */
  endAll(layer?: FaultLayer): void {
    this.endWhere((f) => layer === undefined || f.layer === layer);
  }

  private endWhere(pred: (f: ActiveFault) => boolean): void {
    const ids: number[] = [];
    for (const f of this.active.values()) if (pred(f)) ids.push(f.id);
    for (const id of ids) this.end(id);
  }

  private logUndo(fault: Fault, layer: FaultLayer): void {
    this.effects.faultStarted(0, layer, fault);
  }
}
