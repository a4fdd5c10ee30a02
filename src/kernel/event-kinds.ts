// The kinds of event the kernel's queue holds (SimEvent.kind): the run loop's own (timers, faults,
// noise) and the transport's (segments on connection streams, handshake packets, notices).

/** A segment (a message or a close notice) reaches the receiving end of its stream. */
export const DELIVER = 0;
/** A segment parked while its receiver was paused, handled again at resume (already in its socket buffer). */
export const DELIVER_ARRIVED = 1;
export const TIMER = 2;
export const FAULT = 3;
export const FAULT_END = 4;
export const NOISE = 5;
/** A SYN reaches the acceptor's host. */
export const SYN = 6;
/** The SYN-ACK reaches the initiator's host. */
export const SYN_ACK = 7;
/** The RST answering a SYN (nobody listens) reaches the initiator's host. */
export const SYN_REFUSED = 8;
/** The initiator's kernel retransmits an unanswered SYN. */
export const SYN_RETRY = 9;
/** A stalled stream's retransmission (and what waited behind it) reaches the receiver. */
export const RETRANSMIT = 10;
/** A connection notice for the initiator's process (connected, refused, timed out), parked while it is paused. */
export const NOTIFY = 11;
