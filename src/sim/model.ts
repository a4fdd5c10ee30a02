// The contract between the kernel and a system under test. A model is plain synchronous code:
// the kernel calls its handlers with a context, and the model acts only through that context
// (send, reply, setTimer, emit). It never sees the queue, the network or the checkers.
//
// Nodes talk over TCP connections, as Kafka's clients and servers do (Java's NetworkClient and
// Selector). A connection belongs to an ordered pair, initiator -> acceptor: requests go on the
// sender's own connection to the peer (`send`, which opens one when none is open), responses on
// the peer's connection to this node (`reply`). Links are FIFO and never lose, duplicate or
// reorder what they carry: a partition, a silent host or random loss delays delivery until TCP
// retransmits (src/kernel/transport.ts). A connection ends when its initiator closes it
// (`disconnect`, an application timeout), when the peer process dies or stops on a live host (a
// reset, learned one latency later), when a rebooted host answers with a reset, or when a connect
// is refused or gives up; the initiator is told (`onDisconnect`), the acceptor is not (Kafka's
// servers just drop responses for closed channels).

import type { TimeUs } from './time.ts';

/** Messages, timers and emitted events are tagged objects; `type` names them in traces. */
export interface Tagged {
  readonly type: string;
}

/** A write bounded by its socket's buffers (NodeContext.sendBounded; the kernel's send-buffer.ts). */
export interface SocketWrite {
  /** The message's size on the wire (bytes). */
  readonly wireBytes: number;
  /** The writer's SO_SNDBUF (bytes; Kafka's send.buffer.bytes, its OS default resolved). */
  readonly sendBufferBytes: number;
  /** The peer's SO_RCVBUF (bytes; a broker's socket.receive.buffer.bytes): what its host takes while its process reads nothing. */
  readonly peerReceiveBufferBytes: number;
}

/** A model event: something that happened inside the system, for traces and checkers. */
export interface ModelEvent extends Tagged {
  readonly [field: string]: unknown;
}

/** What a handler may do. One context object is reused for every dispatch. */
export interface NodeContext<Msg extends Tagged, Timer extends Tagged> {
  /** Virtual time now. */
  readonly nowUs: TimeUs;
  /** The node whose handler runs. */
  readonly node: number;
  /**
   * In onMessage: the run-wide id of the connection the message came on, so an acceptor can tell
   * one connection of a peer from the next (a server's per-connection state); -1 elsewhere.
   */
  readonly connection: number;
  /**
   * A request on this node's connection to `to`, in order after what it sent before. Opens the
   * connection when none is open: the message leaves after the SYN / SYN-ACK round trip.
   */
  send(to: number, msg: Msg): void;
  /**
   * send, as a write bounded by the socket's send buffer (src/kernel/send-buffer.ts): true when
   * the write is complete at once (every byte of it fits in the send buffer); false when it is
   * not yet, and onWritten(peer) follows when it is, unless the connection closes first. For a
   * client that completes a request once it is written (a Kafka produce with acks=0).
   */
  sendBounded(to: number, msg: Msg, write: SocketWrite): boolean;
  /**
   * A response on `to`'s connection to this node (the latest it opened that this node accepted);
   * dropped when there is none open. A response to a request from an older, closed connection
   * therefore reaches `to` on its new one: models match responses to requests by their ids.
   */
  reply(to: number, msg: Msg): void;
  /** Opens this node's connection to `to` if none is open (NetworkClient.initiateConnect); onConnect says when it is up. */
  connect(to: number): void;
  /**
   * Closes this node's connection to `to` (an application timeout): what it held is lost both
   * ways (what still waited to be sent is discarded, what comes back is dropped) and the peer is
   * reset. No onDisconnect follows: the caller knows.
   */
  disconnect(to: number): void;
  /**
   * Closes `to`'s connection to this node, one this node accepted (a server closing one client's
   * channel): what `to` sends on it next is dropped, and `to` is reset (onDisconnect) behind what
   * this node already sent it.
   */
  closeAccepted(to: number): void;
  /**
   * false: the process stops serving on a live host (Kafka's controlled shutdown): every
   * connection it has is reset and new ones are refused until it listens again. A process starts
   * listening.
   */
  setListening(listening: boolean): void;
  /** Schedules a timer on this node; it dies if the process crashes first. Returns its id. */
  setTimer(delayUs: TimeUs, timer: Timer): number;
  cancelTimer(id: number): void;
  emit(event: ModelEvent): void;
}

/**
 * Why the network closed a connection its initiator had open:
 * - `reset`: the peer process died or stopped on a live host, or its rebooted host answered a
 *   retransmission (TCP RST);
 * - `refused`: nobody listens at the peer (its process is down or not listening) on a live host;
 * - `timeout`: the SYN went unanswered through every retransmission (tcp_syn_retries).
 */
export type DisconnectReason = 'reset' | 'refused' | 'timeout';

/** The ways a node goes down: its process dies; its host loses power (page cache gone); its disk is lost too. */
export type NodeDownKind = 'crash' | 'power-loss' | 'disk-loss';

/** How a node went down. Whether it loses unflushed data is the model's business. */
export interface NodeFailure {
  kind: NodeDownKind;
  /** false when the node was already down (a power loss after a crash still loses the page cache). */
  wasUp: boolean;
}

export interface Violation {
  property: string;
  message: string;
  [detail: string]: unknown;
}

export interface ModelOutcome {
  /** Figures for the summary; flat and JSON-serialisable. */
  stats: Record<string, unknown>;
  /** Violations the model itself detects (most checking lives in src/check). */
  violations: Violation[];
  /** Final state for end-of-run analyses (final logs, say); never printed whole. */
  final?: unknown;
  /**
   * Operations aimed at roles, as they fired, in time order, in the form of aimed faults
   * (src/faults/fault-roles.ts): "1.301s controlled-shutdown: leader of orders-1 (b2)".
   */
  aimed?: readonly string[];
}

export interface Model<Msg extends Tagged, Timer extends Tagged> {
  /** The node's process starts: at time 0 and after every restart. */
  onStart(ctx: NodeContext<Msg, Timer>): void;
  onMessage(ctx: NodeContext<Msg, Timer>, from: number, msg: Msg): void;
  onTimer(ctx: NodeContext<Msg, Timer>, timer: Timer): void;
  /**
   * The network closed this node's connection to `peer` (it initiated it); what was in flight on
   * it is lost. Not called for the node's own disconnect. Optional: a model without it just
   * sends again, opening a new connection.
   */
  onDisconnect?(ctx: NodeContext<Msg, Timer>, peer: number, reason: DisconnectReason): void;
  /** A bounded write of this node's to `peer` (sendBounded returned false) is complete, in write order. Optional. */
  onWritten?(ctx: NodeContext<Msg, Timer>, peer: number): void;
  /** This node's connection to `peer` is established (the handshake completed). Optional. */
  onConnect?(ctx: NodeContext<Msg, Timer>, peer: number): void;
  /** The node's process is gone. The context may emit but not send or set timers. */
  onDown(ctx: NodeContext<Msg, Timer>, failure: NodeFailure): void;
  /**
   * The nodes holding a role now, for faults aimed at roles (src/faults/fault-roles.ts): `role`
   * is the reference without its "@" ("leader:orders-0"); [] when nobody holds it or the model
   * does not know it. Reads state only: it must not change the run.
   */
  nodesInRole?(role: string): readonly number[];
  /** Called once when the run ends. */
  finish(nowUs: TimeUs): ModelOutcome;
}
