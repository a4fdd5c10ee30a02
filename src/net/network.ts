// The simulated network: per-link latency, loss, duplication and reordering, and the link faults
// (blocked directed links for partitions, held links that buffer traffic until released).
// It decides what happens to a message; the kernel schedules the deliveries.
//
// Blocks and holds are counted per directed link, so overlapping faults (an explicit partition
// and a background-noise isolation, say) compose: the link works again only when every fault that
// cut it has ended, and ending one fault never undoes another.

import { chance, exponential, type Choice } from '../sim/choice.ts';
import type { TimeUs } from '../sim/time.ts';
import type { LinkLatency, NetworkConfig } from './network-config.ts';
import type { Topology } from './topology.ts';

export const DROP_PARTITION = 'partition';
export const DROP_LOSS = 'loss';
export const DROP_NODE_DOWN = 'node-down';

interface NetworkStats {
  sent: number;
  delivered: number;
  droppedPartition: number;
  droppedLoss: number;
  droppedNodeDown: number;
  duplicated: number;
  reordered: number;
  held: number;
}

export class Network {
  readonly stats: NetworkStats = {
    sent: 0,
    delivered: 0,
    droppedPartition: 0,
    droppedLoss: 0,
    droppedNodeDown: 0,
    duplicated: 0,
    reordered: 0,
    held: 0,
  };
  private readonly n: number;
  private readonly blockCount: Int32Array;
  private readonly holdCount: Int32Array;
  /** blockCount + holdCount per link: one read tells the kernel's fast path the link is clean. */
  private readonly impairedCount: Int32Array;
  /** Whether random loss / duplication are enabled at all (no draw is made when they are not). */
  readonly lossy: boolean;
  readonly duplicating: boolean;
  /** Latest scheduled delivery per directed link, to keep links FIFO. */
  private readonly lastDeliveryUs: Float64Array;
  private readonly latencyByLink: LinkLatency[];

  constructor(
    readonly topology: Topology,
    readonly config: NetworkConfig,
    private readonly choice: Choice,
  ) {
    const n = (this.n = topology.size);
    this.blockCount = new Int32Array(n * n);
    this.holdCount = new Int32Array(n * n);
    this.impairedCount = new Int32Array(n * n);
    this.lossy = config.lossRate > 0;
    this.duplicating = config.duplicateRate > 0;
    this.lastDeliveryUs = new Float64Array(n * n);
    this.latencyByLink = new Array(n * n);
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++) this.latencyByLink[a * n + b] = topology.sameAz(a, b) ? config.sameAz : config.crossAz;
  }

  /** Whether any fault blocks or holds the link (the kernel then asks which). */
  isImpaired(from: number, to: number): boolean {
    return this.impairedCount[from * this.n + to] > 0;
  }

  isBlocked(from: number, to: number): boolean {
    return this.blockCount[from * this.n + to] > 0;
  }

  isHeld(from: number, to: number): boolean {
    return this.holdCount[from * this.n + to] > 0;
  }

  block(from: number, to: number): void {
    if (from === to) return;
    this.blockCount[from * this.n + to]++;
    this.impairedCount[from * this.n + to]++;
  }

  unblock(from: number, to: number): void {
    if (from === to) return;
    const i = from * this.n + to;
    if (this.blockCount[i] <= 0) throw new Error(`unblock of a link that is not blocked: ${from}->${to}`);
    this.blockCount[i]--;
    this.impairedCount[i]--;
  }

  hold(from: number, to: number): void {
    if (from === to) return;
    this.holdCount[from * this.n + to]++;
    this.impairedCount[from * this.n + to]++;
  }

  /** Returns true when the link is no longer held by any fault. */
  unhold(from: number, to: number): boolean {
    const i = from * this.n + to;
    if (this.holdCount[i] <= 0) throw new Error(`release of a link that is not held: ${from}->${to}`);
    this.impairedCount[i]--;
    return --this.holdCount[i] === 0;
  }

  /** True if the message is lost to random loss (drawn only when lossRate > 0). */
  lost(): boolean {
    return chance(this.choice, this.config.lossRate);
  }

  duplicated(): boolean {
    return chance(this.choice, this.config.duplicateRate);
  }

  /** When a message sent now on from->to arrives. Links are FIFO unless this message reorders. */
  deliveryTimeUs(from: number, to: number, nowUs: TimeUs): TimeUs {
    const link = from * this.n + to;
    const lat = this.latencyByLink[link];
    let latencyUs = lat.latencyUsMin + Math.round(exponential(this.choice, lat.latencyUsMean - lat.latencyUsMin));
    if (latencyUs > lat.latencyUsMax) latencyUs = lat.latencyUsMax;
    let atUs = nowUs + latencyUs;
    const last = this.lastDeliveryUs[link];
    if (atUs < last) {
      if (chance(this.choice, this.config.reorderRate)) {
        this.stats.reordered++;
        return atUs; // overtakes: does not move the FIFO horizon back
      }
      atUs = last;
    }
    this.lastDeliveryUs[link] = atUs;
    return atUs;
  }
}
