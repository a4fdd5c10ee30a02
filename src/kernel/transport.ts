// The kernel's TCP: connections between node processes, as the Linux hosts under Kafka's Java
// clients and servers run them. A connection (connection.ts) belongs to an ordered pair; requests
// go initiator -> acceptor, responses back on the same connection.
//
// - Handshake: `send` on a pair without a connection opens one; its data leaves after the SYN /
//   SYN-ACK round trip. A SYN that meets a blocked or held link, a silent (powered-off) host or
//   random loss is retransmitted at 1 s, 3 s, 7 s... (tcp_syn_retries = 6, giving up after 127 s:
//   `timeout`). A live host where nobody listens (the process is down or stopped listening)
//   answers RST: `refused`.
// - Data: streams are FIFO. A segment that meets a blocked link or a silent host is not lost: TCP
//   retransmits it from an RTO of 200 ms (TCP_RTO_MIN), doubling up to 120 s (TCP_RTO_MAX), and it
//   arrives with the first retransmission after the link heals or the host is back; everything
//   sent behind it waits (head-of-line blocking). The retransmission time is computed when the
//   cause clears, not simulated one timer at a time. A held link delivers what it buffered at its
//   release. Random loss delays a segment by its retransmission timeouts.
// - Closing: a process that dies on a live host, or stops listening, resets every connection it
//   has (the RST follows what it already sent); a powered-off host says nothing, and a peer learns
//   only by its own timeout or when the host is back and answers a retransmission with RST. An
//   application that closes its connection (`disconnect`, an application timeout) loses what it
//   held both ways: what still waited in its send queue is discarded, what comes back is dropped,
//   and its peer is reset. A server may close one client's connection it accepted
//   (`closeAccepted`): the client is reset behind what the server already sent. A segment that
//   reaches a closed side is dropped and answered with RST.
// - Only the initiator is told that the network closed its connection (onDisconnect): Kafka's
//   servers learn nothing useful from it and just drop responses for closed channels.
//
// Simplifications: TCP's own give-up for data (tcp_retries2, about 15 min) is not modelled (every
// Kafka exchange has a shorter application timeout); a SYN over a held link is treated as lost;
// an RST is retransmitted like a FIN when a partition eats it; an application's close is abortive
// (Linux would keep sending a gracefully closed socket's queue for a while, so a timed-out request
// could still reach its server after the partition heals).

import type { Network } from '../net/network.ts';
import { RTO_MAX_US } from '../net/network.ts';
import type { Topology } from '../net/topology.ts';
import type { EventQueue, SimEvent } from '../sim/event-queue.ts';
import type { DisconnectReason, NodeDownKind, SocketWrite, Tagged } from '../sim/model.ts';
import type { TimeUs } from '../sim/time.ts';
import { CLOSE_NOTICE, CONNECTING, Connection, ESTABLISHED, newTransportStats, type Stream, type TransportStats } from './connection.ts';
import type { EventLog } from './event-log.ts';
import { DELIVER, DELIVER_ARRIVED, NOTIFY, RETRANSMIT, SYN, SYN_ACK, SYN_REFUSED, SYN_RETRY } from './event-kinds.ts';
import { Retransmission } from './retransmission.ts';
import { AckSegment, SendBuffer } from './send-buffer.ts';

/** Why a message was dropped (trace `drop` lines): the connection it travelled on was closed. */
const DROP_CLOSED = 'closed';

/** The initial SYN retransmission timeout (Linux TCP_TIMEOUT_INIT). */
const SYN_RTO_US = 1_000_000;
/** tcp_syn_retries: SYN retransmissions before connect() fails with ETIMEDOUT. */
const SYN_RETRIES = 6;

type Notice = 'connect' | DisconnectReason;

/** What the transport needs of the kernel: the clock, node states, and the model's handlers. */
export interface TransportHost {
  readonly now: TimeUs;
  /** 1 while a node's process runs. */
  readonly up: Uint8Array;
  readonly paused: Uint8Array;
  /** Per node, what waits for its process to resume. */
  readonly parked: SimEvent[][];
  /** `connection` is the run-wide id of the connection msg came on. */
  deliver(to: number, from: number, msg: Tagged, connection: number): void;
  connected(node: number, peer: number): void;
  /** A bounded write of node's to peer is complete (sendBounded returned false for it). */
  written(node: number, peer: number): void;
  disconnected(node: number, peer: number, reason: DisconnectReason): void;
}

export class Transport {
  readonly stats: TransportStats = newTransportStats();
  private readonly n: number;
  /** [initiator * n + acceptor]: the initiator's open connection to the acceptor. */
  private readonly conns: (Connection | null)[];
  /** [initiator * n + acceptor]: the connection the acceptor accepted last and still has open. */
  private readonly accepted: (Connection | null)[];
  /** Per node, every connection whose side at the node is open. */
  private connsOf: Connection[][];
  private readonly listening: Uint8Array;
  private readonly hostDown: Uint8Array;
  private readonly stalls: Retransmission;
  private nextConnectionId = 1;

  constructor(
    private readonly topology: Topology,
    private readonly network: Network,
    private readonly queue: EventQueue,
    private readonly log: EventLog,
    private readonly host: TransportHost,
  ) {
    const n = (this.n = topology.size);
    this.conns = new Array(n * n).fill(null);
    this.accepted = new Array(n * n).fill(null);
    this.connsOf = topology.nodes.map(() => []);
    this.listening = new Uint8Array(n).fill(1);
    this.hostDown = new Uint8Array(n);
    this.stalls = new Retransmission(network, queue, host, this.hostDown, this.stats, (st, payload) => this.arrive(st, payload));
  }

  // ---- what a process does ----

  send(from: number, to: number, msg: Tagged): void {
    this.stats.sent++;
    const conn = this.conns[from * this.n + to];
    if (conn === null) this.open(from, to, msg);
    else if (conn.state === CONNECTING) conn.pending!.push(msg);
    else this.transmit(conn.toAcceptor, msg);
  }

  /** send, bounded by the socket's send buffer (send-buffer.ts): whether the write is complete now (else `written` follows). */
  sendBounded(from: number, to: number, msg: Tagged, write: SocketWrite): boolean {
    this.send(from, to, msg);
    const conn = this.conns[from * this.n + to]!;
    return (conn.sendBuffer ??= new SendBuffer(write)).write(msg, write);
  }

  reply(from: number, to: number, msg: Tagged): void {
    this.stats.sent++;
    const conn = this.accepted[to * this.n + from];
    if (conn === null) this.dropped(to, from, msg);
    else this.transmit(conn.toInitiator, msg);
  }

  connect(from: number, to: number): void {
    if (this.conns[from * this.n + to] === null) this.open(from, to, null);
  }

  disconnect(from: number, to: number): void {
    const conn = this.conns[from * this.n + to];
    if (conn === null) return;
    this.closeSide(conn, from, true);
    this.stats.closed++;
    this.log.conn(this.host.now, from, to, 'close');
    if (conn.state !== ESTABLISHED) return;
    // An abortive close: what still waits in the send queue for a retransmission is discarded;
    // the reset goes behind what is already on the wire.
    const out = conn.toAcceptor;
    if (out.backlog !== null) {
      for (const payload of out.backlog) if (payload !== CLOSE_NOTICE) this.dropped(to, from, payload);
      out.backlog = [];
    }
    this.sendNotice(out);
  }

  /**
   * The acceptor `from` closes the connection `to` opened to it (a server closing one client's
   * channel): what `to` sends on it from now on is dropped and answered with RST, and `to` is
   * reset behind what `from` already sent on it.
   */
  closeAccepted(from: number, to: number): void {
    const conn = this.accepted[to * this.n + from];
    if (conn === null) return;
    this.closeSide(conn, from, true);
    this.stats.closed++;
    this.log.conn(this.host.now, from, to, 'close');
    this.sendNotice(conn.toInitiator);
  }

  setListening(node: number, listening: boolean): void {
    this.listening[node] = listening ? 1 : 0;
    if (!listening) this.closeAll(node, true);
  }

  // ---- node lifecycle ----

  /** The node's process is gone: a crash leaves its host up (it resets), a power or disk loss takes the host. */
  processDown(node: number, kind: NodeDownKind, wasUp: boolean): void {
    const hostUp = kind === 'crash';
    if (!hostUp) this.hostDown[node] = 1;
    if (wasUp) this.closeAll(node, hostUp);
  }

  /** A process starts (its host is up again, if it was down): it listens; what waited for the host is retransmitted. */
  processUp(node: number): void {
    this.listening[node] = 1;
    if (this.hostDown[node] === 0) return;
    this.hostDown[node] = 0;
    this.stalls.hostUp(node);
  }

  /** A fault stopped blocking or holding from -> to (another may still): what waited for it may go on. */
  linkCleared(from: number, to: number): void {
    this.stalls.linkCleared(from * this.n + to);
  }

  // ---- events ----

  dispatch(ev: SimEvent): void {
    switch (ev.kind) {
      case DELIVER:
        return this.onDeliver(ev);
      case DELIVER_ARRIVED: {
        // a segment parked at a paused process, read now (bounded streams acknowledge it now if its receive buffer could not)
        const s = ev.ref as Stream;
        const sb = s.conn.sendBuffer;
        if (sb !== null && s === s.conn.toAcceptor && s.conn.acceptorOpen) this.acknowledge(s.conn, sb.read(ev.payload as Tagged));
        return this.arrive(s, ev.payload as Tagged, true);
      }
      case RETRANSMIT:
        return this.stalls.onRetransmit(ev.ref as Stream);
      case SYN:
        return this.onSyn(ev.ref as Connection);
      case SYN_ACK:
        return this.onSynAck(ev.ref as Connection);
      case SYN_REFUSED:
        return this.onSynRefused(ev.ref as Connection);
      case SYN_RETRY:
        return this.onSynRetry(ev.ref as Connection);
      case NOTIFY:
        return this.notify(ev.ref as Connection, ev.payload as Notice);
      default:
        throw new Error(`transport got event kind ${ev.kind}`);
    }
  }

  /** A segment reaches the end of its stream (the hot path: the kernel calls it directly). */
  onDeliver(ev: SimEvent): void {
    const s = ev.ref as Stream;
    if (s.backlog !== null) {
      s.backlog.push(ev.payload as Tagged);
      if (s.backoff) this.stats.stalled++;
      else this.stats.held++;
      return;
    }
    if (this.network.isLinkImpaired(s.link) || this.hostDown[s.to] === 1) return this.stalls.stall(s, ev.payload as Tagged);
    this.arrive(s, ev.payload as Tagged);
  }

  /** A segment reached a working receiver host: handed to the process, parked, or dropped at a closed side (unparked: it was parked already). */
  arrive(s: Stream, payload: Tagged, unparked = false): void {
    const conn = s.conn;
    const to = s.to;
    const sb = conn.sendBuffer;
    if (sb !== null && payload instanceof AckSegment) return this.ackArrived(conn, sb, payload);
    if (!(to === conn.acceptor ? conn.acceptorOpen : conn.initiatorOpen)) {
      if (payload === CLOSE_NOTICE) return;
      this.dropped(to, s.from, payload);
      this.sendNotice(conn.streamFrom(to)); // the host answers RST
      return;
    }
    const paused = this.host.paused[to] === 1;
    if (sb !== null && !unparked && s === conn.toAcceptor) this.acknowledge(conn, sb.arrived(payload, paused));
    if (paused) {
      this.park(DELIVER_ARRIVED, to, s.from, payload, s);
      return;
    }
    if (payload === CLOSE_NOTICE) return this.closeNoticeArrived(s);
    this.stats.delivered++;
    this.log.recv(this.host.now, to, s.from, payload);
    this.host.deliver(to, s.from, payload, conn.id);
  }

  /** The acceptor's host acknowledges a bounded stream's bytes up to `upToBytes` (-1: nothing new). */
  private acknowledge(conn: Connection, upToBytes: number): void {
    if (upToBytes >= 0) this.transmit(conn.toInitiator, new AckSegment(upToBytes));
  }

  /** An acknowledgement reached the writer's host: writes it completes are told to its process (later, if it is paused). */
  private ackArrived(conn: Connection, sb: SendBuffer, ack: AckSegment): void {
    if (!conn.initiatorOpen) return;
    if (this.host.paused[conn.initiator] === 1) return this.park(DELIVER_ARRIVED, conn.initiator, conn.acceptor, ack, conn.toInitiator);
    for (let n = sb.acknowledged(ack.upToBytes); n > 0 && conn.initiatorOpen; n--) this.host.written(conn.initiator, conn.acceptor);
  }

  private closeNoticeArrived(s: Stream): void {
    const conn = s.conn;
    const at = s.to;
    this.closeSide(conn, at, true);
    if (at !== conn.initiator) return; // acceptors are not told
    this.stats.reset++;
    this.log.conn(this.host.now, at, conn.acceptor, 'reset');
    this.host.disconnected(at, conn.acceptor, 'reset');
  }

  // ---- streams (their stalls and retransmissions: retransmission.ts) ----

  private transmit(s: Stream, payload: Tagged): void {
    const net = this.network;
    let at = this.host.now + net.linkLatencyUs(s.link);
    if (net.lossy) at += net.lossDelayUs(this.stats);
    if (at < s.lastArrivalUs) at = s.lastArrivalUs;
    s.lastArrivalUs = at;
    this.queue.push(at, DELIVER, s.to, s.from, 0, payload, s);
  }

  private sendNotice(s: Stream): void {
    if (s.noticeSent) return;
    s.noticeSent = true;
    this.transmit(s, CLOSE_NOTICE);
  }

  // ---- handshake ----

  private open(from: number, to: number, first: Tagged | null): void {
    const conn = new Connection(this.nextConnectionId++, from, to, this.n);
    this.conns[from * this.n + to] = conn;
    this.connsOf[from].push(conn);
    this.stats.opened++;
    if (first !== null) conn.pending!.push(first);
    conn.synRtoUs = SYN_RTO_US;
    conn.synNextUs = this.host.now + SYN_RTO_US;
    this.sendSyn(conn);
  }

  private sendSyn(conn: Connection): void {
    const net = this.network;
    if (net.lossy && net.lost()) return this.synLost(conn);
    this.queue.push(this.host.now + net.latencyUs(conn.initiator, conn.acceptor), SYN, conn.acceptor, conn.initiator, 0, null, conn);
  }

  /** The SYN, its answer or its RST got lost: the initiator's kernel retransmits the SYN on schedule. */
  private synLost(conn: Connection): void {
    if (conn.synRetryScheduled) return;
    conn.synRetryScheduled = true;
    const at = Math.max(this.host.now, conn.synNextUs);
    this.queue.push(at, SYN_RETRY, conn.initiator, conn.acceptor, 0, null, conn);
  }

  private answerSyn(conn: Connection, kind: number): void {
    const net = this.network;
    if (net.lossy && net.lost()) return this.synLost(conn);
    this.queue.push(this.host.now + net.latencyUs(conn.acceptor, conn.initiator), kind, conn.initiator, conn.acceptor, 0, null, conn);
  }

  private onSyn(conn: Connection): void {
    const { initiator, acceptor } = conn;
    if (this.network.isImpaired(initiator, acceptor) || this.hostDown[acceptor] === 1) return this.synLost(conn);
    if (!conn.initiatorOpen || conn.acceptorClosed) return; // the initiator gave up, or a retransmitted SYN of a connection gone
    if (this.host.up[acceptor] === 0 || this.listening[acceptor] === 0) return this.answerSyn(conn, SYN_REFUSED);
    if (!conn.acceptorOpen) {
      conn.acceptorOpen = true;
      this.accepted[initiator * this.n + acceptor] = conn;
      this.connsOf[acceptor].push(conn);
    }
    this.answerSyn(conn, SYN_ACK);
  }

  private onSynAck(conn: Connection): void {
    const { initiator, acceptor } = conn;
    if (this.network.isImpaired(acceptor, initiator)) return this.synLost(conn);
    if (this.hostDown[initiator] === 1) return;
    if (!conn.initiatorOpen) {
      if (conn.acceptorOpen) this.sendNotice(conn.toAcceptor); // nobody wants it any more: RST
      return;
    }
    if (conn.state !== CONNECTING) return; // the answer to a retransmitted SYN
    conn.state = ESTABLISHED;
    this.stats.established++;
    const pending = conn.pending!;
    conn.pending = null;
    for (const msg of pending) this.transmit(conn.toAcceptor, msg);
    this.notify(conn, 'connect');
  }

  private onSynRefused(conn: Connection): void {
    if (this.network.isImpaired(conn.acceptor, conn.initiator)) return this.synLost(conn);
    if (conn.initiatorOpen && conn.state === CONNECTING) this.notify(conn, 'refused');
  }

  private onSynRetry(conn: Connection): void {
    conn.synRetryScheduled = false;
    if (!conn.initiatorOpen || conn.state !== CONNECTING) return;
    if (++conn.synRetries > SYN_RETRIES) return this.notify(conn, 'timeout');
    this.stats.retransmissions++;
    conn.synRtoUs = Math.min(2 * conn.synRtoUs, RTO_MAX_US);
    conn.synNextUs += conn.synRtoUs;
    this.sendSyn(conn);
  }

  /** Tells the initiator's process (later, if it is paused) that its connection is up or failed. */
  private notify(conn: Connection, notice: Notice): void {
    const node = conn.initiator;
    if (this.host.paused[node] === 1) return this.park(NOTIFY, node, conn.acceptor, notice, conn);
    if (!conn.initiatorOpen) return;
    const now = this.host.now;
    if (notice === 'connect') {
      this.log.conn(now, node, conn.acceptor, 'connect');
      return this.host.connected(node, conn.acceptor);
    }
    this.closeSide(conn, node, true);
    this.stats[notice]++;
    this.log.conn(now, node, conn.acceptor, notice);
    this.host.disconnected(node, conn.acceptor, notice);
  }

  // ---- closing ----

  /** Closes node's side of conn; unlist: also take it off the node's list (false when the caller clears that list). */
  private closeSide(conn: Connection, node: number, unlist: boolean): void {
    const pair = conn.initiator * this.n + conn.acceptor;
    if (node === conn.initiator) {
      if (!conn.initiatorOpen) return;
      conn.initiatorOpen = false;
      if (this.conns[pair] === conn) this.conns[pair] = null;
      if (conn.pending !== null) for (const msg of conn.pending) this.dropped(conn.acceptor, node, msg);
      conn.pending = null;
    } else {
      if (!conn.acceptorOpen) return;
      conn.acceptorOpen = false;
      conn.acceptorClosed = true;
      if (this.accepted[pair] === conn) this.accepted[pair] = null;
    }
    if (unlist) {
      const list = this.connsOf[node];
      list.splice(list.indexOf(conn), 1);
    }
  }

  /**
   * Every connection of node closes on its side. On a live host each peer gets an RST behind what
   * was already sent; a host that is gone says nothing and what it still had to retransmit (a
   * stream stalled on a cut link or a silent peer) is lost. What a held link buffered is in the
   * network, not in the host: it is still delivered at the release, to a peer that does not know
   * the sender is gone (KIP-903's stale fetch from a broker that came back empty).
   */
  private closeAll(node: number, hostUp: boolean): void {
    const list = this.connsOf[node];
    this.connsOf[node] = [];
    for (const conn of list) {
      this.closeSide(conn, node, false);
      const out = conn.streamFrom(node);
      if (hostUp) this.sendNotice(out);
      else if (out.backoff) out.backlog = null;
    }
  }

  private dropped(to: number, from: number, msg: Tagged): void {
    this.stats.dropped++;
    this.log.drop(this.host.now, to, from, msg, DROP_CLOSED);
  }

  private park(kind: number, node: number, from: number, payload: unknown, ref: unknown): void {
    this.host.parked[node].push({ timeUs: this.host.now, seq: -1, kind, node, from, incarnation: 0, payload, ref });
  }
}
