// Write unavailability of one partition, from the controller's decisions as the model reports them
// (election and isr-shrink/isr-expand events). Two disjoint kinds of time are summed:
//
// - offline: the partition has no leader. Starts at an election whose leader is null, ends at the
//   next election that names a leader.
// - ISR below min.insync.replicas: the partition has a leader but |ISR| < min.insync.replicas, so an
//   acks=all produce fails with NOT_ENOUGH_REPLICAS. (It is only a write outage for acks=all
//   producers; the summary says whether the topic has one.)
//
// Time is counted from the partition's first election (before it the partition does not exist yet)
// to the end of the run; an interval still open at the end is closed at the run's end time and
// flagged. ISR changes stamped with an older leader epoch than the current one are stale (a deposed
// leader's request) and ignored. What this cannot see: a leader that has died but is not yet fenced
// still counts as available, since the controller has not acted yet.

import type { ElectionEvent, IsrChangeEvent } from '../kafka-events.ts';
import type { TimeUs } from '../../../src/sim/time.ts';

export class PartitionAvailability {
  private started = false;
  private sinceUs: TimeUs = 0;
  private leader: string | null = null;
  private leaderEpoch = -1;
  private isrSize = 0;
  offlineUs: TimeUs = 0;
  isrBelowMinUs: TimeUs = 0;
  /** Times the partition went from having a leader (or not existing) to having none. */
  offlineSpells = 0;
  isrBelowMinSpells = 0;

  constructor(
    readonly partition: string,
    readonly minInsyncReplicas: number,
  ) {}

  onElection(timeUs: TimeUs, ev: ElectionEvent): void {
    const wasOffline = this.started && this.leader === null;
    const wasBelowMin = this.isBelowMin();
    this.accrue(timeUs);
    this.started = true;
    this.leader = ev.leader;
    this.leaderEpoch = Math.max(this.leaderEpoch, ev.leaderEpoch);
    this.isrSize = ev.isr.length;
    if (this.leader === null && !wasOffline) this.offlineSpells++;
    if (this.isBelowMin() && !wasBelowMin) this.isrBelowMinSpells++;
  }

  onIsrChange(timeUs: TimeUs, ev: IsrChangeEvent): void {
    if (ev.leaderEpoch < this.leaderEpoch) return;
    const wasBelowMin = this.isBelowMin();
    this.accrue(timeUs);
    this.leaderEpoch = ev.leaderEpoch;
    this.isrSize = ev.isr.length;
    if (this.isBelowMin() && !wasBelowMin) this.isrBelowMinSpells++;
  }

  /** Closes the open interval at the end of the run. Call once. */
  close(endUs: TimeUs): void {
    this.accrue(endUs);
  }

  get offlineAtEnd(): boolean {
    return this.started && this.leader === null;
  }

  get isrBelowMinAtEnd(): boolean {
    return this.isBelowMin();
  }

  private isBelowMin(): boolean {
    return this.started && this.leader !== null && this.isrSize < this.minInsyncReplicas;
  }

  private accrue(timeUs: TimeUs): void {
    if (this.started) {
      const elapsedUs = Math.max(0, timeUs - this.sinceUs);
      if (this.leader === null) this.offlineUs += elapsedUs;
      else if (this.isrSize < this.minInsyncReplicas) this.isrBelowMinUs += elapsedUs;
    }
    this.sinceUs = timeUs;
  }
}
