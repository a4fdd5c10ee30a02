// When a partition's leader could not commit: records its current leader appended that the high
// watermark did not pass within replica.fetch.wait.max.ms. A follower that replicates always has
// a fetch parked at the leader or on its way, and the leader answers a parked fetch as soon as
// data arrives (DelayedFetch, completed by the append), so with every ISR member fetching, the
// high watermark passes a record within about one round trip (Partition.maybeIncrementLeaderHW
// moves it to the least log end offset of the ISR). A record still above the high watermark after
// replica.fetch.wait.max.ms waits on an ISR member that is not fetching: down, cut off, waiting
// out a connection to a leader that restarted (replica.socket.timeout.ms), not yet told who leads,
// or (from Kafka 3.7, KAFKA-15583) the ISR is below min.insync.replicas. Until the leader drops
// that member from the ISR (replica.lag.time.max.ms) or it fetches again, no acks=all write,
// offset commit or new record for readers can complete: the partition stalls though it is led.
//
// A stall runs from the append of the oldest record that waited past the bound to the moment it
// ended: the high watermark passed it, leadership moved (what the leader held may never commit),
// or the run ended (open at the end).

import type { TimeUs } from '../../../src/sim/time.ts';

/** Receives one stall: [startUs, endUs], open when the run ended inside it. */
type StallListener = (startUs: TimeUs, endUs: TimeUs, openAtEnd: boolean) => void;

const COMPACT_AT = 1024;

export class HighWatermarkStall {
  /** Flat pairs (end offset, append time µs) of the leader's appends above its high watermark, oldest first from `head`. */
  private pending: number[] = [];
  private head = 0;
  /** The leader whose appends are pending (-1: none). */
  private leaderNode = -1;

  constructor(
    /** replica.fetch.wait.max.ms in µs: a record committed later than this after its append stalled. */
    private readonly boundUs: TimeUs,
    private readonly onStall: StallListener,
  ) {}

  /** The controller's current leader, on `node`, appended records up to endOffset (exclusive). */
  onLeaderAppend(timeUs: TimeUs, node: number, endOffset: number): void {
    if (node !== this.leaderNode) {
      this.end(timeUs, false);
      this.leaderNode = node;
    }
    this.pending.push(endOffset, timeUs);
  }

  /** The leader on `node` moved its high watermark to hw. */
  onLeaderHighWatermark(timeUs: TimeUs, node: number, hw: number): void {
    if (node !== this.leaderNode || this.head === this.pending.length || this.pending[this.head] > hw) return;
    // The oldest record committed now: the one that waited longest.
    const oldestAppendUs = this.pending[this.head + 1];
    while (this.head < this.pending.length && this.pending[this.head] <= hw) this.head += 2;
    if (this.head === this.pending.length) {
      this.pending.length = 0;
      this.head = 0;
    } else if (this.head >= COMPACT_AT && this.head * 2 >= this.pending.length) {
      // Under steady load something is always pending: drop the committed prefix now and then.
      this.pending.splice(0, this.head);
      this.head = 0;
    }
    if (timeUs - oldestAppendUs > this.boundUs) this.onStall(oldestAppendUs, timeUs, false);
  }

  /** The leader on `node` no longer leads (resigned, went down, or the controller chose another). */
  onLeadershipEnd(timeUs: TimeUs, node: number): void {
    if (node === this.leaderNode) this.end(timeUs, false);
  }

  /** The run ended: a stall still running is reported open. */
  close(endUs: TimeUs): void {
    this.end(endUs, true);
  }

  private end(timeUs: TimeUs, atEnd: boolean): void {
    if (this.head < this.pending.length) {
      const oldestAppendUs = this.pending[this.head + 1];
      if (timeUs - oldestAppendUs > this.boundUs) this.onStall(oldestAppendUs, timeUs, atEnd);
    }
    this.pending.length = 0;
    this.head = 0;
    this.leaderNode = -1;
  }
}
