// The run's event stream. The kernel reports every dispatched event here; the log numbers it,
// folds it into the run's canonical hash, and, only when a line sink is attached (writing or
// replaying a trace), renders it as one compact JSON line. Rendering is skipped entirely when no
// sink is attached, so an untraced run pays for hashing only.
//
// Line shapes (time in virtual µs, nodes by name):
//   [t,"recv",to,from,msgType]          a message delivered
//   [t,"drop",to,from,msgType,reason]   a message dropped (reason "closed": its connection was closed)
//   [t,"conn",node,peer,what]           node's own connection to peer: "connect" (established),
//                                       "reset", "refused", "timeout" (the network closed it),
//                                       "close" (node's application closed it)
//   [t,"timer",node,timerType]          a timer fired
//   [t,"fault",id,layer,fault]          a fault began (fault is the schedule's data)
//   [t,"end",id]                        a fault ended (its duration ran out or it was undone)
//   [t,"down",node,kind] [t,"up",node] [t,"pause",node] [t,"resume",node]
//   [t,"ev",node,event]                 a model event (append, election, ack...)

import type { Topology } from '../net/topology.ts';
import type { ModelEvent, Tagged } from '../sim/model.ts';
import type { TimeUs } from '../sim/time.ts';
import { NoStreamHash, StreamHash } from './stream-hash.ts';

/** Receives rendered lines: a trace writer, or a replay comparing against a file. */
export interface LineSink {
  line(index: number, text: string): void;
}

const R_RECV = 1;
const R_DROP = 2;
const R_TIMER = 3;
const R_FAULT = 4;
const R_END = 5;
const R_DOWN = 6;
const R_UP = 7;
const R_PAUSE = 8;
const R_RESUME = 9;
const R_EVENT = 10;
const R_CONN = 11;

export class EventLog {
  private readonly hash: StreamHash;
  /** Events logged so far; also the index of the next one. */
  count = 0;

  /** `hashed` false: the run's traceHash is UNHASHED (stream-hash.ts) and hashing costs nothing. */
  constructor(
    private readonly topology: Topology,
    private readonly sink: LineSink | undefined,
    hashed = true,
  ) {
    this.hash = hashed ? new StreamHash() : new NoStreamHash();
  }

  get traceHash(): string {
    return this.hash.digest();
  }

  private begin(code: number, timeUs: TimeUs): void {
    this.hash.small(code);
    this.hash.int(timeUs);
  }

  private out(fields: unknown[]): void {
    this.sink!.line(this.count, JSON.stringify(fields));
  }

  recv(timeUs: TimeUs, to: number, from: number, msg: Tagged): void {
    this.begin(R_RECV, timeUs);
    this.hash.small(to);
    this.hash.small(from);
    this.hash.str(msg.type);
    if (this.sink) this.out([timeUs, 'recv', this.topology.names[to], this.topology.names[from], msg.type]);
    this.count++;
  }

  drop(timeUs: TimeUs, to: number, from: number, msg: Tagged, reason: string): void {
    this.begin(R_DROP, timeUs);
    this.hash.small(to);
    this.hash.small(from);
    this.hash.str(msg.type);
    this.hash.str(reason);
    if (this.sink) this.out([timeUs, 'drop', this.topology.names[to], this.topology.names[from], msg.type, reason]);
    this.count++;
  }

  conn(timeUs: TimeUs, node: number, peer: number, what: string): void {
    this.begin(R_CONN, timeUs);
    this.hash.small(node);
    this.hash.small(peer);
    this.hash.str(what);
    if (this.sink) this.out([timeUs, 'conn', this.topology.names[node], this.topology.names[peer], what]);
    this.count++;
  }

  timer(timeUs: TimeUs, node: number, timer: Tagged): void {
    this.begin(R_TIMER, timeUs);
    this.hash.small(node + 1);
    this.hash.str(timer.type);
    if (this.sink) this.out([timeUs, 'timer', this.topology.names[node], timer.type]);
    this.count++;
  }

  fault(timeUs: TimeUs, id: number, layer: string, fault: object): void {
    this.begin(R_FAULT, timeUs);
    this.hash.small(id);
    this.hash.str(layer);
    this.hash.value(fault);
    if (this.sink) this.out([timeUs, 'fault', id, layer, fault]);
    this.count++;
  }

  faultEnd(timeUs: TimeUs, id: number): void {
    this.begin(R_END, timeUs);
    this.hash.small(id);
    if (this.sink) this.out([timeUs, 'end', id]);
    this.count++;
  }

  down(timeUs: TimeUs, node: number, kind: string): void {
    this.begin(R_DOWN, timeUs);
    this.hash.small(node + 1);
    this.hash.str(kind);
    if (this.sink) this.out([timeUs, 'down', this.topology.names[node], kind]);
    this.count++;
  }

  private nodeOnly(code: number, word: string, timeUs: TimeUs, node: number): void {
    this.begin(code, timeUs);
    this.hash.small(node + 1);
    if (this.sink) this.out([timeUs, word, this.topology.names[node]]);
    this.count++;
  }

  up(timeUs: TimeUs, node: number): void {
    this.nodeOnly(R_UP, 'up', timeUs, node);
  }

  pause(timeUs: TimeUs, node: number): void {
    this.nodeOnly(R_PAUSE, 'pause', timeUs, node);
  }

  resume(timeUs: TimeUs, node: number): void {
    this.nodeOnly(R_RESUME, 'resume', timeUs, node);
  }

  event(timeUs: TimeUs, node: number, ev: ModelEvent): void {
    this.begin(R_EVENT, timeUs);
    this.hash.small(node + 1);
    this.hash.value(ev);
    if (this.sink) this.out([timeUs, 'ev', node < 0 ? null : this.topology.names[node], ev]);
    this.count++;
  }
}
