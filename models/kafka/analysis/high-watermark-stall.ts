// When a partition's leader could not commit: its high watermark stood still, with records above
// it, for longer than a replicating follower ever leaves it. Partition.maybeIncrementLeaderHW moves
// the high watermark to the least log end offset of the ISR, at each fetch of the follower that
// holds it back. A follower that replicates sends its next fetch as soon as the last one is
// answered; the leader parks a fetch for at most replica.fetch.wait.max.ms and answers it as soon
// as data arrives (DelayedFetch), and a failed fetch is retried after replica.fetch.backoff.ms. So
// while records wait, the high watermark of a leader whose ISR members all fetch moves at least
// every fetch round trip, however slow the links, and never stands still longer than
// replica.fetch.wait.max.ms + replica.fetch.backoff.ms but for a round trip longer than that. One
// that stands still longer waits on an ISR member that is not fetching: down, cut off, waiting out
// a connection to a leader that restarted (replica.socket.timeout.ms), not yet told who leads, or
// (from Kafka 3.7, KAFKA-15583) the ISR is below min.insync.replicas. Until the leader drops that
// member from the ISR (replica.lag.time.max.ms) or it fetches again, no acks=all write, offset
// commit or new record for readers can complete: the partition stalls though it is led.
//
// A stall runs from the moment the high watermark stopped with records above it (its last move,
// or the append of the oldest record waiting, whichever is later) to the moment it moved again,
// leadership moved (what the leader held may never commit), or the run ended (open at the end).
// A link that is only slow makes commits slow, not stalled: that shows in produce latency.

import type { TimeUs } from '../../../src/sim/time.ts';
import { NumberQueue } from './number-queue.ts';

/** Receives one stall: [startUs, endUs], open when the run ended inside it. */
type StallListener = (startUs: TimeUs, endUs: TimeUs, openAtEnd: boolean) => void;

export class HighWatermarkStall {
  /** Flat pairs (end offset, append time µs) of the leader's appends above its high watermark, oldest first. */
  private readonly pending = new NumberQueue();
  /** The leader whose appends are pending (-1: none). */
  private leaderNode = -1;
  /** When that leader's high watermark last moved (-1: not since it led). */
  private lastMoveUs = -1;

  constructor(
    /** replica.fetch.wait.max.ms + replica.fetch.backoff.ms in µs: a high watermark still longer than this with records above it stalled. */
    private readonly boundUs: TimeUs,
    private readonly onStall: StallListener,
  ) {}

  /** The controller's current leader, on `node`, appended records up to endOffset (exclusive). */
  onLeaderAppend(timeUs: TimeUs, node: number, endOffset: number): void {
    if (node !== this.leaderNode) {
      this.end(timeUs, false);
      this.leaderNode = node;
    }
    this.pending.push2(endOffset, timeUs);
  }

  /** The leader on `node` moved its high watermark to hw. */
  onLeaderHighWatermark(timeUs: TimeUs, node: number, hw: number): void {
    if (node !== this.leaderNode) return;
    this.reportFreeze(timeUs, false);
    this.lastMoveUs = timeUs;
    const { items, end } = this.pending;
    let head = this.pending.head;
    while (head < end && items[head] <= hw) head += 2;
    this.pending.consumedTo(head);
  }

  /** The leader on `node` no longer leads (resigned, went down, or the controller chose another). */
  onLeadershipEnd(timeUs: TimeUs, node: number): void {
    if (node === this.leaderNode) this.end(timeUs, false);
  }

  /** The run ended: a stall still running is reported open. */
  close(endUs: TimeUs): void {
    this.end(endUs, true);
  }

  /** Reports the freeze that ends at timeUs if records were waiting and it lasted past the bound. */
  private reportFreeze(timeUs: TimeUs, atEnd: boolean): void {
    if (this.pending.isEmpty) return;
    const frozenSinceUs = Math.max(this.lastMoveUs, this.pending.items[this.pending.head + 1]);
    if (timeUs - frozenSinceUs > this.boundUs) this.onStall(frozenSinceUs, timeUs, atEnd);
  }

  private end(timeUs: TimeUs, atEnd: boolean): void {
    this.reportFreeze(timeUs, atEnd);
    this.pending.clear();
    this.leaderNode = -1;
    this.lastMoveUs = -1;
  }
}
