// The simulated network: per-link latency and random loss, and the link faults (blocked directed
// links for partitions, held links that buffer traffic until released, slowed links that add
// latency). It answers what a packet meets on a link; the kernel's transport (src/kernel/
// transport.ts) turns that into TCP behaviour: a blocked link or a lost packet delays delivery
// until a retransmission gets through, it never drops what a connection carries.
//
// Blocks, holds and added latency are counted per directed link, so overlapping faults (an
// explicit partition and a background-noise isolation, say) compose: the link works again only
// when every fault that cut it has ended, and ending one fault never undoes another.

import { chance, exponential, type Choice } from '../sim/choice.ts';
import type { TimeUs } from '../sim/time.ts';
import type { LinkLatency, NetworkConfig } from './network-config.ts';
import type { Topology } from './topology.ts';

/** Linux's TCP_RTO_MIN: the first retransmission timeout on a low-latency link. */
export const RTO_MIN_US = 200_000;
/** Linux's TCP_RTO_MAX: exponential backoff stops doubling here. */
export const RTO_MAX_US = 120_000_000;
/** Retransmissions of one segment before TCP gives up (tcp_retries2); bounds the loss draws. */
const RETRIES_MAX = 15;

export class Network {
  private readonly n: number;
  private readonly blockCount: Int32Array;
  private readonly holdCount: Int32Array;
  /** blockCount + holdCount per link: one read tells the transport's fast path the link is clean. */
  private readonly impairedCount: Int32Array;
  /** Latency added by slow-link faults per directed link. */
  private readonly addedLatencyUs: Float64Array;
  /** Whether random loss is enabled at all (no draw is made when it is not). */
  readonly lossy: boolean;
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
    this.addedLatencyUs = new Float64Array(n * n);
    this.lossy = config.lossRate > 0;
    this.latencyByLink = new Array(n * n);
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++) this.latencyByLink[a * n + b] = topology.sameAz(a, b) ? config.sameAz : config.crossAz;
  }

  /** Whether any fault blocks or holds the link (then ask which). */
  isImpaired(from: number, to: number): boolean {
    return this.impairedCount[from * this.n + to] > 0;
  }

  /** isImpaired by link index (from * nodes + to), for the transport's hot path. */
  isLinkImpaired(link: number): boolean {
    return this.impairedCount[link] > 0;
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

  /** Returns true when no fault blocks the link any more. */
  unblock(from: number, to: number): boolean {
    if (from === to) return false;
    const i = from * this.n + to;
    if (this.blockCount[i] <= 0) throw new Error(`unblock of a link that is not blocked: ${from}->${to}`);
    this.impairedCount[i]--;
    return --this.blockCount[i] === 0;
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

  /** Adds latency to the directed link until `unslow` takes it away. */
  slow(from: number, to: number, latencyUs: number): void {
    this.addedLatencyUs[from * this.n + to] += latencyUs;
  }

  unslow(from: number, to: number, latencyUs: number): void {
    this.addedLatencyUs[from * this.n + to] -= latencyUs;
  }

  /** One packet's latency on from->to: min + Exponential(mean - min), capped at max, plus what slow-link faults add. */
  latencyUs(from: number, to: number): TimeUs {
    return this.linkLatencyUs(from * this.n + to);
  }

  /** latencyUs by link index (from * nodes + to). */
  linkLatencyUs(link: number): TimeUs {
    const lat = this.latencyByLink[link];
    let latencyUs = lat.latencyUsMin + Math.round(exponential(this.choice, lat.latencyUsMean - lat.latencyUsMin));
    if (latencyUs > lat.latencyUsMax) latencyUs = lat.latencyUsMax;
    return latencyUs + this.addedLatencyUs[link];
  }

  /** True if one packet is lost to random loss (drawn only when lossRate > 0). */
  lost(): boolean {
    return chance(this.choice, this.config.lossRate);
  }

  /**
   * The delay random loss adds to a segment: each lost transmission waits out its retransmission
   * timeout, from RTO_MIN_US doubling up to RTO_MAX_US. Returns the delay; `retransmissions`
   * counts the lost transmissions. At most RETRIES_MAX (tcp_retries2), so a loss rate of 1 ends.
   */
  lossDelayUs(counter: { retransmissions: number }): TimeUs {
    let delayUs = 0;
    let rtoUs = RTO_MIN_US;
    for (let k = 0; k < RETRIES_MAX && this.lost(); k++) {
      delayUs += rtoUs;
      rtoUs = Math.min(2 * rtoUs, RTO_MAX_US);
      counter.retransmissions++;
    }
    return delayUs;
  }
}
