// The consumer's assigned partitions grouped by the leader its metadata names, for the Fetcher. A
// fetch round sends one request to each leader with no fetch in flight, listing the fetchable
// partitions it leads (AbstractFetch.prepareFetchRequests); grouped once per change of the
// assignment or of a leader, a round visits the partitions of the leaders it may fetch from rather
// than every assigned partition (issue 15: per-fetch work was proportional to the assignment).
// The assignment is a new array at each change (SubscriptionState); the metadata's leaders change
// in place, so the leaders the groups were built from are kept and compared.

import { NO_LEADER } from '../controller/metadata-image.ts';

export class AssignedByLeader {
  /** Per broker: the assigned slots it leads, in assignment order. */
  readonly slotsOf: number[][];
  /** Assigned slots whose leader is not known, in assignment order. */
  readonly leaderless: number[] = [];
  private assignment: readonly number[] | null = null;
  /** The assigned slots, in assignment order, and the leader each had when grouped. */
  private slots: number[] = [];
  private leadersSeen: number[] = [];

  constructor(brokers: number) {
    this.slotsOf = Array.from({ length: brokers }, () => []);
  }

  /** Regroups if the assignment (global partition indexes) or a leader (per slot) changed since the last call. */
  refresh(assigned: readonly number[], slotOf: Int32Array, leaders: Int32Array): void {
    if (assigned === this.assignment && this.sameLeaders(leaders)) return;
    this.assignment = assigned;
    for (const l of this.slotsOf) l.length = 0;
    this.leaderless.length = 0;
    this.slots = assigned.map((p) => slotOf[p]);
    this.leadersSeen = this.slots.map((s) => leaders[s]);
    for (const s of this.slots) {
      const leader = leaders[s];
      if (leader === NO_LEADER) this.leaderless.push(s);
      else if (leader >= 0 && leader < this.slotsOf.length) this.slotsOf[leader].push(s);
    }
  }

  private sameLeaders(leaders: Int32Array): boolean {
    const { slots, leadersSeen } = this;
    for (let i = 0; i < slots.length; i++) if (leaders[slots[i]] !== leadersSeen[i]) return false;
    return true;
  }
}
