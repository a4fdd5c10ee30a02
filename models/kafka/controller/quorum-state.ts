// Which controller is active in ZooKeeper mode, modelled at the level of its effects (KRaft's
// KafkaRaftClient election is raft-quorum-state.ts). Controllers heartbeat each other every
// QUORUM_HEARTBEAT_US. A controller "has a majority" while it has heard from enough peers (itself
// included) within QUORUM_TIMEOUT_US. The active controller holds a lease that it
// renews on each tick while it has a majority; another controller with a majority, the lowest-
// numbered one it hears from, takes over only once the lease has expired. So at most one
// controller is active at a time.
//
// Holding the lease is not being able to commit: an active controller cut off from its majority
// commits nothing until the others hear from it again, and the quorum controller waits with what
// it was asked (quorum-controller.ts). A node heard from within FETCHING_WITHIN_US takes a change
// at once (no commit latency is modelled). Its lease runs out QUORUM_TIMEOUT_US after the last tick
// with a majority heard within QUORUM_TIMEOUT_US.
//
// The heartbeats' connections time out after QUORUM_REQUEST_TIMEOUT_US: a controller that has not
// heard from a peer for that long closes its connection to it, so the next heartbeat goes on a new
// one instead of waiting behind TCP's retransmission backoff.

import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaMessage } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

/** Heartbeats between controllers (KRaft: KafkaRaftClient.MAX_FETCH_WAIT_MS, the longest a leader parks a fetch). */
export const QUORUM_HEARTBEAT_US = 500_000;
/** How long an active controller keeps its lease without a majority (KRaft's controller.quorum.fetch.timeout.ms default). */
export const QUORUM_TIMEOUT_US = 2_000_000;
/** A voter heard from within this fetches (MAX_FETCH_WAIT_MS, with 100 ms for the round trip). */
export const FETCHING_WITHIN_US = QUORUM_HEARTBEAT_US + 100_000;
/** KRaft controller.quorum.request.timeout.ms default. */
const QUORUM_REQUEST_TIMEOUT_US = 2_000_000;

/** What a quorum tick decided for a controller: following (or not yet able to act). */
export const FOLLOWING = 0;
/** Still active, lease renewed. */
export const LEADING = 1;
/** Just became active. */
export const ELECTED = 2;

/**
 * Closes the connection to a peer not heard from for the request timeout (at most once per
 * timeout), so the next message goes on a new one; i indexes the (controller, peer) pair.
 */
export function closeIfSilent(ctx: Ctx, peerNode: number, i: number, lastHeardPeerUs: Float64Array, lastClosedUs: Float64Array): void {
  const now = ctx.nowUs;
  if (now - lastHeardPeerUs[i] <= QUORUM_REQUEST_TIMEOUT_US || now - lastClosedUs[i] <= QUORUM_REQUEST_TIMEOUT_US) return;
  ctx.disconnect(peerNode);
  lastClosedUs[i] = now;
}

/** What the quorum controller asks of the quorum, in either metadata mode. */
export interface MetadataQuorum {
  /** The active controller (-1: none). */
  readonly active: number;
  onStart(ctx: Ctx, c: number): void;
  /** c is the active controller (it holds writes it cannot commit yet). */
  isActive(c: number, nowUs: number): boolean;
  /** c is active and a majority takes what it appends. */
  canCommit(c: number, nowUs: number): boolean;
  /** c's periodic tick: FOLLOWING, LEADING or ELECTED. */
  tick(ctx: Ctx, c: number): number;
  /** KRaft: c's current Raft epoch (for the run summary's notes). */
  epochOf?(c: number): number;
}

export class QuorumState implements MetadataQuorum {
  /** The active controller (-1: none) and until when its lease holds. */
  active = -1;
  leaseUntilUs = -1;
  /** lastHeardPeerUs[c * n + peer] (volatile). */
  private readonly lastHeardPeerUs: Float64Array;
  /** lastClosedUs[c * n + peer]: when c last (re)started its connection to peer (volatile). */
  private readonly lastClosedUs: Float64Array;
  private readonly lastBeatUs = new Map<number, number>();

  constructor(
    private readonly n: number,
    private readonly controllerNodes: readonly number[],
  ) {
    this.lastHeardPeerUs = new Float64Array(n * n).fill(-Infinity);
    this.lastClosedUs = new Float64Array(n * n);
  }

  /** Controller c starts: it has heard from nobody but itself, and says so. */
  onStart(ctx: Ctx, c: number): void {
    for (let p = 0; p < this.n; p++) {
      this.lastHeardPeerUs[c * this.n + p] = -Infinity;
      this.lastClosedUs[c * this.n + p] = ctx.nowUs;
    }
    this.lastHeardPeerUs[c * this.n + c] = Infinity;
    this.broadcastHeartbeat(ctx, c);
  }

  onPeerHeartbeat(c: number, peer: number, nowUs: number): void {
    this.lastHeardPeerUs[c * this.n + peer] = nowUs;
  }

  isActive(c: number, nowUs: number): boolean {
    return this.active === c && nowUs <= this.leaseUntilUs;
  }

  /** Active, and a majority of voters fetching: what c appends commits at once. */
  canCommit(c: number, nowUs: number): boolean {
    return this.isActive(c, nowUs) && this.hasMajority(c, nowUs, FETCHING_WITHIN_US);
  }

  /** Controller c's periodic tick: heartbeat peers, then renew, lose or take the lease. */
  tick(ctx: Ctx, c: number): number {
    const now = ctx.nowUs;
    if (now - (this.lastBeatUs.get(c) ?? -Infinity) >= QUORUM_HEARTBEAT_US) this.broadcastHeartbeat(ctx, c);
    const majority = this.hasMajority(c, now, QUORUM_TIMEOUT_US);
    if (this.active === c) {
      if (majority) {
        this.leaseUntilUs = now + QUORUM_TIMEOUT_US;
        return LEADING;
      }
      if (now > this.leaseUntilUs) this.active = -1;
    } else if (this.hasMajority(c, now, FETCHING_WITHIN_US) && (this.active === -1 || now > this.leaseUntilUs) && this.lowestHeard(c, now)) {
      this.active = c;
      this.leaseUntilUs = now + QUORUM_TIMEOUT_US;
      return ELECTED;
    }
    return FOLLOWING;
  }

  private broadcastHeartbeat(ctx: Ctx, c: number): void {
    const now = ctx.nowUs;
    this.lastBeatUs.set(c, now);
    for (let p = 0; p < this.n; p++) {
      if (p === c) continue;
      closeIfSilent(ctx, this.controllerNodes[p], c * this.n + p, this.lastHeardPeerUs, this.lastClosedUs);
      ctx.send(this.controllerNodes[p], { type: 'quorum-heartbeat', controller: c });
    }
  }

  /** Whether c heard from a majority of voters (itself included) within windowUs. */
  private hasMajority(c: number, nowUs: number, windowUs: number): boolean {
    let heard = 0;
    for (let p = 0; p < this.n; p++) if (nowUs - this.lastHeardPeerUs[c * this.n + p] <= windowUs) heard++;
    return heard * 2 > this.n;
  }

  /** The lowest-numbered controller this one hears from (itself included) is the candidate. */
  private lowestHeard(c: number, nowUs: number): boolean {
    for (let p = 0; p < c; p++) if (nowUs - this.lastHeardPeerUs[c * this.n + p] <= QUORUM_TIMEOUT_US) return false;
    return true;
  }
}
