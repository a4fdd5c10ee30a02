// A TCP connection as the kernel's transport keeps it (transport.ts): an ordered pair, initiator ->
// acceptor, with its handshake state, each side's view (open until that side learns of the close:
// a process that dies closes its side at once, a peer learns from the reset or FIN that reaches it)
// and one byte stream per direction. A stream is FIFO; while a segment on it waits for a
// retransmission (a blocked link, a silent host) or a held link, everything behind it waits in its
// backlog (head-of-line blocking), and a close notice (FIN or RST) travels on it like data. Also
// the transport's counters (TransportStats).

import type { Tagged } from '../sim/model.ts';
import type { SendBuffer } from './send-buffer.ts';
import type { TimeUs } from '../sim/time.ts';

export const CONNECTING = 0;
export const ESTABLISHED = 1;

/** The payload that stands for a FIN or RST on a stream: the receiving side closes. */
export const CLOSE_NOTICE: Tagged = { type: '$close' };

/** One direction of a connection: from -> to. */
export class Stream {
  /** Arrival time of the last segment scheduled on it: later ones never arrive before (FIFO). */
  lastArrivalUs: TimeUs = 0;
  /** Non-null while the stream is stalled: what waits for the next retransmission, in order. */
  backlog: Tagged[] | null = null;
  /** A retransmission that will get through is scheduled (a RETRANSMIT event). */
  retransmitting = false;
  /** The stall met a blocked link or a silent host: retransmissions follow the RTO backoff. */
  backoff = false;
  rtoUs: TimeUs = 0;
  /** When the next retransmission of the stalled segment goes out. */
  nextRetransmitUs: TimeUs = 0;
  /** A FIN or RST was sent on this direction already (one is enough). */
  noticeSent = false;

  constructor(
    readonly conn: Connection,
    readonly from: number,
    readonly to: number,
    /** from * nodes + to: the directed link it crosses. */
    readonly link: number,
  ) {}
}

export class Connection {
  state = CONNECTING;
  initiatorOpen = true;
  /** The acceptor accepted the SYN and has not closed its side since. */
  acceptorOpen = false;
  /** The acceptor's side was open once and is closed now: a late SYN is not accepted again. */
  acceptorClosed = false;
  /** Data sent while connecting; it leaves when the SYN-ACK arrives. */
  pending: Tagged[] | null = [];
  /** SYN retransmission schedule (1 s doubling, tcp_syn_retries). */
  synRetries = 0;
  synRtoUs: TimeUs = 0;
  synNextUs: TimeUs = 0;
  synRetryScheduled = false;
  /** The bound on the initiator's writes that asked for one (sendBounded), null until one does. */
  sendBuffer: SendBuffer | null = null;
  readonly toAcceptor: Stream;
  readonly toInitiator: Stream;

  constructor(
    /** Run-wide sequence number. */
    readonly id: number,
    readonly initiator: number,
    readonly acceptor: number,
    nodes: number,
  ) {
    this.toAcceptor = new Stream(this, initiator, acceptor, initiator * nodes + acceptor);
    this.toInitiator = new Stream(this, acceptor, initiator, acceptor * nodes + initiator);
  }

  /** Whether `node`'s side (node is the initiator or the acceptor) is open. */
  isOpenAt(node: number): boolean {
    return node === this.acceptor ? this.acceptorOpen : this.initiatorOpen;
  }

  /** The stream leaving `node`. */
  streamFrom(node: number): Stream {
    return node === this.initiator ? this.toAcceptor : this.toInitiator;
  }
}

export interface TransportStats {
  sent: number;
  delivered: number;
  /** Messages dropped because their connection was closed (at the receiver, or a reply with none open). */
  dropped: number;
  /** TCP retransmissions (lost to random loss, or sent into a blocked link or a silent host). */
  retransmissions: number;
  /** Messages that waited for a retransmission (a blocked link, a silent host, or behind one). */
  stalled: number;
  /** Messages a held link buffered until its release. */
  held: number;
  opened: number;
  established: number;
  /** Connections the network closed under their initiator, by reason, and those its application closed. */
  reset: number;
  refused: number;
  timeout: number;
  closed: number;
}

export function newTransportStats(): TransportStats {
  return { sent: 0, delivered: 0, dropped: 0, retransmissions: 0, stalled: 0, held: 0, opened: 0, established: 0, reset: 0, refused: 0, timeout: 0, closed: 0 };
}
