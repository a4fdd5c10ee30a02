// A socket's send buffer bound (SO_SNDBUF), for the writes of one connection that ask for it
// (NodeContext.sendBounded): an application's write is complete once its last byte fits in the
// send buffer, i.e. once the bytes written before it that the peer has not acknowledged, plus its
// own, are at most the buffer's size. The peer's host acknowledges a segment when it arrives, or,
// while its process is paused (it reads nothing), as long as the segment fits in its receive
// buffer (SO_RCVBUF): beyond that the receive window is shut and the rest is acknowledged when
// the process reads it. Acknowledgements travel back on the connection's other stream
// (transport.ts sends an AckSegment), so a cut or a silent host holds them as it holds data.
//
// Why it matters: a Kafka client whose request expects no response (a produce with acks=0)
// completes the request once the request is written to the socket (NetworkClient
// .handleCompletedSends, Selector / KafkaChannel.write), and sends nothing more to that broker
// until it is (InFlightRequests.canSendMore). Toward a cut link or a silent host the send buffer
// fills and the producer stalls; without the bound it would "complete" every send.
//
// Simplifications: a write is on the wire as soon as it is made (TCP would hold the part that
// does not fit yet; the flow is the same one stalled stream); Linux doubles SO_SNDBUF for its
// bookkeeping and the payload that fits is about the configured size, which is what is used.

import type { SocketWrite, Tagged } from '../sim/model.ts';

/** The acknowledgement of every byte of a bounded stream up to `upToBytes`, on its way back to the writer. */
export class AckSegment implements Tagged {
  readonly type = '$ack';
  constructor(readonly upToBytes: number) {}
}

interface TrackedWrite {
  readonly msg: Tagged;
  readonly bytes: number;
  /** The stream's byte count at the write's last byte. */
  readonly endBytes: number;
  /** Acknowledged when it reached a paused receiver (it fit in the receive buffer). */
  absorbed: boolean;
}

/** The bounded writes of one stream (initiator -> acceptor) and their acknowledgements. */
export class SendBuffer {
  sendBufferBytes: number;
  receiveBufferBytes: number;
  private sentBytes = 0;
  private ackedBytes = 0;
  /** Writes on the wire, not yet at the peer's host, in order. */
  private readonly onWire: TrackedWrite[] = [];
  /** Writes at a paused peer, not yet read, in order. */
  private readonly unread: TrackedWrite[] = [];
  private unreadAbsorbedBytes = 0;
  /** End byte counts of writes not complete yet, in order. */
  private readonly incomplete: number[] = [];

  constructor(write: SocketWrite) {
    this.sendBufferBytes = write.sendBufferBytes;
    this.receiveBufferBytes = write.peerReceiveBufferBytes;
  }

  /** A write of msg: whether it is complete at once (else `acknowledged` will count it, in order). */
  write(msg: Tagged, write: SocketWrite): boolean {
    this.sendBufferBytes = write.sendBufferBytes;
    this.receiveBufferBytes = write.peerReceiveBufferBytes;
    this.sentBytes += write.wireBytes;
    this.onWire.push({ msg, bytes: write.wireBytes, endBytes: this.sentBytes, absorbed: false });
    if (this.incomplete.length === 0 && this.sentBytes - this.ackedBytes <= this.sendBufferBytes) return true;
    this.incomplete.push(this.sentBytes);
    return false;
  }

  /**
   * msg reached the peer's host (paused: its process reads nothing now). Returns the byte count
   * the host acknowledges now, or -1 (nothing new: msg is not a bounded write, or it waits in a
   * full receive buffer).
   */
  arrived(msg: Tagged, paused: boolean): number {
    if (this.onWire.length === 0 || this.onWire[0].msg !== msg) return -1;
    const w = this.onWire.shift()!;
    if (!paused) return w.endBytes;
    const fits = (this.unread.length === 0 || this.unread[this.unread.length - 1].absorbed) && this.unreadAbsorbedBytes + w.bytes <= this.receiveBufferBytes;
    w.absorbed = fits;
    if (fits) this.unreadAbsorbedBytes += w.bytes;
    this.unread.push(w);
    return fits ? w.endBytes : -1;
  }

  /** The paused peer's process reads msg now: the byte count acknowledged now, or -1. */
  read(msg: Tagged): number {
    if (this.unread.length === 0 || this.unread[0].msg !== msg) return -1;
    const w = this.unread.shift()!;
    if (w.absorbed) {
      this.unreadAbsorbedBytes -= w.bytes;
      return -1;
    }
    return w.endBytes;
  }

  /** An acknowledgement reached the writer: how many of its incomplete writes are complete now. */
  acknowledged(upToBytes: number): number {
    if (upToBytes > this.ackedBytes) this.ackedBytes = upToBytes;
    let completed = 0;
    while (this.incomplete.length > 0 && this.incomplete[0] - this.ackedBytes <= this.sendBufferBytes) {
      this.incomplete.shift();
      completed++;
    }
    return completed;
  }
}
