// The context a model's handlers act through (NodeContext): one object, re-pointed at the node
// and time of each dispatch, that turns a handler's sends, replies, connection actions, timers and
// events into the kernel's (simulation.ts). A handler of a node that is down may only emit.

import type { ModelEvent, NodeContext, SocketWrite, Tagged } from '../sim/model.ts';
import type { TimeUs } from '../sim/time.ts';
import type { Transport } from './transport.ts';

/** What the context needs of the simulation. */
export interface ContextHost<Timer extends Tagged> {
  readonly transport: Transport;
  /** Throws when `to` is no other node of the topology (a model bug). */
  checkPeer(from: number, to: number, what: string, msg: Tagged | null): void;
  setTimer(node: number, delayUs: TimeUs, timer: Timer): number;
  cancelTimer(id: number): void;
  emit(node: number, event: ModelEvent): void;
}

/** The one context object handed to model handlers; re-pointed at each dispatch. */
export class KernelContext<Msg extends Tagged, Timer extends Tagged> implements NodeContext<Msg, Timer> {
  nowUs: TimeUs = 0;
  node = -1;
  connection = -1;
  private down = false;

  constructor(private readonly sim: ContextHost<Timer>) {}

  enter(node: number, nowUs: TimeUs, connection = -1): this {
    this.node = node;
    this.nowUs = nowUs;
    this.connection = connection;
    this.down = false;
    return this;
  }

  enterDown(node: number, nowUs: TimeUs): this {
    this.enter(node, nowUs).down = true;
    return this;
  }

  send(to: number, msg: Msg): void {
    this.live('send');
    this.sim.checkPeer(this.node, to, 'sent', msg);
    this.sim.transport.send(this.node, to, msg);
  }

  sendBounded(to: number, msg: Msg, write: SocketWrite): boolean {
    this.live('send');
    this.sim.checkPeer(this.node, to, 'sent', msg);
    return this.sim.transport.sendBounded(this.node, to, msg, write);
  }

  reply(to: number, msg: Msg): void {
    this.live('reply');
    this.sim.checkPeer(this.node, to, 'replied', msg);
    this.sim.transport.reply(this.node, to, msg);
  }

  connect(to: number): void {
    this.live('connect');
    this.sim.checkPeer(this.node, to, 'connected', null);
    this.sim.transport.connect(this.node, to);
  }

  disconnect(to: number): void {
    this.live('disconnect');
    this.sim.checkPeer(this.node, to, 'disconnected', null);
    this.sim.transport.disconnect(this.node, to);
  }

  closeAccepted(to: number): void {
    this.live('close an accepted connection');
    this.sim.checkPeer(this.node, to, 'closed', null);
    this.sim.transport.closeAccepted(this.node, to);
  }

  setListening(listening: boolean): void {
    this.live('stop or start listening');
    this.sim.transport.setListening(this.node, listening);
  }

  private live(what: string): void {
    if (this.down) throw new Error(`node ${this.node} is down and cannot ${what}`);
  }

  setTimer(delayUs: TimeUs, timer: Timer): number {
    this.live('set timers');
    return this.sim.setTimer(this.node, delayUs, timer);
  }

  cancelTimer(id: number): void {
    this.sim.cancelTimer(id);
  }

  emit(event: ModelEvent): void {
    this.sim.emit(this.node, event);
  }
}
