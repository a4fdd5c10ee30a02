// Operations aimed at roles: a controlled shutdown whose `broker` is "@leader:orders-0" or
// "@follower:orders-0" stops whoever holds the role when the operation fires, as a fault aimed at
// a role hits it (src/faults/fault-roles.ts), read from the same committed metadata
// (exploration/kafka-roles.ts: the active controller's PartitionRegistration). An operator does
// this by hand: kafka-topics --describe, then stop the broker it names as the leader.
//
// Every broker arms the operation's timer (it cannot know beforehand whether it will hold the
// role); the first of them to fire resolves the role once, for all, and only the holder acts. A
// holder that is down then (crashed, or already stopped) does nothing, as a controlled shutdown
// naming a down broker does nothing. The resolution is logged as faults' are ("1.301s
// controlled-shutdown: leader of orders-1 (b2)"), for the run's summary and the counterexample.

import { describeRole } from '../../src/faults/fault-roles.ts';
import { formatTimeUs, type TimeUs } from '../../src/sim/time.ts';

/** Who holds a role now, as node indexes ("leader:orders-0", without the "@"); [] when nobody does. */
type RoleHolders = (role: string) => readonly number[];

export class OperationAim {
  /** Operation index -> the broker index it resolved to (-1: nobody held the role). */
  private readonly resolved = new Map<number, number>();
  /** The aimed operations as they fired: "1.301s controlled-shutdown: leader of orders-1 (b2)". */
  readonly lines: string[] = [];
  /** Set by the model once its controllers exist. */
  holders: RoleHolders = () => [];

  constructor(
    /** Node index -> broker index (-1: not a broker). */
    private readonly brokerOfNode: (node: number) => number,
    private readonly brokerNames: readonly string[],
  ) {}

  /**
   * Whether broker `broker` is the one operation `operation` (kind `kind`, aimed at `ref`) acts on:
   * resolved at its first call, the same answer for every broker after.
   */
  isTarget(operation: number, kind: string, ref: string, broker: number, nowUs: TimeUs): boolean {
    let target = this.resolved.get(operation);
    if (target === undefined) {
      const node = this.holders(ref.slice(1))[0];
      target = node === undefined ? -1 : this.brokerOfNode(node);
      this.resolved.set(operation, target);
      const who = target < 0 ? 'nobody' : this.brokerNames[target];
      this.lines.push(`${formatTimeUs(nowUs)} ${kind}: ${describeRole(ref)} (${who})${target < 0 ? ' (skipped: nothing to act on)' : ''}`);
    }
    return target === broker;
  }
}
