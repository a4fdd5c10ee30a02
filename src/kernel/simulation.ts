// The discrete-event kernel: one virtual clock, one event queue, the network, node lifecycles,
// faults (explicit schedule and background noise) and the dispatch loop that drives a model.
// Everything that happens goes through the queue in (time, seq) order and is reported to the
// event log (hash, and trace lines when tracing), so a seed and a scenario determine the run.

import { BackgroundNoise } from '../faults/background-noise.ts';
import type { Fault } from '../faults/fault.ts';
import type { FaultEffects, FaultLayer } from '../faults/fault-actions.ts';
import { FaultInjector } from '../faults/fault-injector.ts';
import type { NoiseConfig } from '../faults/noise-config.ts';
import { DROP_LOSS, DROP_NODE_DOWN, DROP_PARTITION, Network } from '../net/network.ts';
import type { NetworkConfig } from '../net/network-config.ts';
import type { Topology } from '../net/topology.ts';
import { EventLog, type LineSink } from './event-log.ts';
import type { ChoiceSource } from '../sim/choice.ts';
import { EventQueue, type SimEvent } from '../sim/event-queue.ts';
import type { Model, ModelEvent, ModelOutcome, NodeContext, NodeDownKind, Tagged } from '../sim/model.ts';
import { RunLimitError } from '../sim/run-limit-error.ts';
import { formatTimeUs, msToUs, type TimeUs } from '../sim/time.ts';

const DELIVER = 0;
const DELIVER_ARRIVED = 1; // parked during a pause: already in the node's socket buffer
const TIMER = 2;
const FAULT = 3;
const FAULT_END = 4;
const NOISE = 5;

export interface RunLimits {
  /** Dispatched events allowed before the run is stopped as a runaway. */
  eventsMax: number;
  /** Virtual time allowed; a run without a duration must go quiet before it. */
  virtualMsMax: number;
}

export const DEFAULT_LIMITS: RunLimits = { eventsMax: 50_000_000, virtualMsMax: 24 * 3600 * 1000 };

/**
 * Events dispatched at one virtual microsecond, one after another, before the run is stopped as
 * stuck: a timer or a message loop that takes no virtual time (a zero interval or timeout in the
 * scenario) would otherwise spin until eventsMax, minutes of wall time later.
 */
const EVENTS_AT_ONE_INSTANT_MAX = 1_000_000;

export interface SimulationOptions {
  topology: Topology;
  network: NetworkConfig;
  choices: ChoiceSource;
  faults: readonly Fault[];
  noise: NoiseConfig;
  limits: RunLimits;
  /** Stop here; undefined runs until the queue is empty. */
  durationMs?: number;
  /** Receives trace lines (writing or replaying a trace). */
  lineSink?: LineSink;
}

export type EventListener = (timeUs: TimeUs, node: number, event: ModelEvent) => void;

export interface KernelStats {
  events: number;
  virtualUs: TimeUs;
  messagesSent: number;
  messagesDelivered: number;
  messagesDroppedPartition: number;
  messagesDroppedLoss: number;
  messagesDroppedNodeDown: number;
  messagesDuplicated: number;
  messagesReordered: number;
  messagesHeld: number;
  timersFired: number;
  faultsApplied: Record<string, number>;
  modelEvents: number;
}

export interface RunOutcome {
  traceHash: string;
  /** Entries in the event stream (trace lines between header and footer). */
  loggedEvents: number;
  kernel: KernelStats;
  model: ModelOutcome;
}

interface HeldMessage {
  from: number;
  to: number;
  msg: Tagged;
}

export class Simulation<Msg extends Tagged, Timer extends Tagged> implements FaultEffects {
  readonly topology: Topology;
  readonly network: Network;
  readonly log: EventLog;
  private readonly queue = new EventQueue();
  private readonly injector: FaultInjector;
  private readonly noise: BackgroundNoise;
  private readonly up: Uint8Array;
  private readonly paused: Uint8Array;
  private readonly incarnation: Int32Array;
  private readonly parked: SimEvent[][];
  private readonly heldBuffers = new Map<number, HeldMessage[]>();
  private readonly cancelled = new Set<number>();
  private readonly listeners: EventListener[] = [];
  private readonly ctx: KernelContext<Msg, Timer>;
  private model!: Model<Msg, Timer>;
  private nowUs: TimeUs = 0;
  private dispatched = 0;
  /** Events dispatched at the current virtual time so far (EVENTS_AT_ONE_INSTANT_MAX). */
  private eventsAtInstant = 0;
  private timersFired = 0;
  private modelEvents = 0;
  private started = false;

  constructor(private readonly options: SimulationOptions) {
    const topo = (this.topology = options.topology);
    this.network = new Network(topo, options.network, options.choices.stream('net'));
    this.log = new EventLog(topo, options.lineSink);
    this.injector = new FaultInjector(topo, this.network, this);
    this.noise = new BackgroundNoise(options.noise, topo, options.choices.stream('faults.noise'));
    this.up = new Uint8Array(topo.size);
    this.paused = new Uint8Array(topo.size);
    this.incarnation = new Int32Array(topo.size);
    this.parked = topo.nodes.map(() => []);
    this.ctx = new KernelContext(this);
  }

  /** Checkers subscribe here; they observe, they never change the run. */
  onEvent(listener: EventListener): void {
    this.listeners.push(listener);
  }

  get now(): TimeUs {
    return this.nowUs;
  }

  isUp(node: number): boolean {
    return this.up[node] === 1;
  }

  isPaused(node: number): boolean {
    return this.paused[node] === 1;
  }

  /** Whether any fault (explicit or noise) is still in force. */
  get faultsActive(): boolean {
    return this.injector.activeCount > 0;
  }

  /** Runs the model to the end of the scenario and returns what happened. */
  run(model: Model<Msg, Timer>): RunOutcome {
    if (this.started) throw new Error('a Simulation runs once');
    this.started = true;
    this.model = model;
    const opts = this.options;
    for (const f of opts.faults) this.queue.push(msToUs(f.atMs), FAULT, -1, -1, 0, f);
    if (this.noise.enabled) this.scheduleNoise(0);
    for (let node = 0; node < this.topology.size; node++) this.nodeUp(node);

    const stopUs = opts.durationMs === undefined ? Infinity : msToUs(opts.durationMs);
    const virtualUsMax = msToUs(opts.limits.virtualMsMax);
    const eventsMax = opts.limits.eventsMax;
    const queue = this.queue;
    for (;;) {
      const t = queue.peekTimeUs();
      if (t > stopUs || t === Infinity) break;
      if (t > virtualUsMax) {
        throw new RunLimitError(
          'virtualMsMax',
          `run stopped: virtual time passed limits.virtualMsMax=${opts.limits.virtualMsMax} with events still queued; ` +
            `set durationMs or raise limits.virtualMsMax`,
        );
      }
      if (this.dispatched >= eventsMax) {
        throw new RunLimitError(
          'eventsMax',
          `run stopped: limits.eventsMax=${eventsMax} events reached at t=${formatTimeUs(this.nowUs)}; ` +
            `raise limits.eventsMax or shorten durationMs`,
        );
      }
      const ev = queue.pop()!;
      if (ev.timeUs !== this.nowUs) this.eventsAtInstant = 0;
      else if (++this.eventsAtInstant > EVENTS_AT_ONE_INSTANT_MAX)
        throw new RunLimitError(
          'eventsAtOneInstant',
          `run stopped: ${EVENTS_AT_ONE_INSTANT_MAX} events at t=${formatTimeUs(ev.timeUs)} without virtual time moving on; ` +
            `something in the scenario loops in no time (an interval, a timeout or a latency of zero?)`,
        );
      this.nowUs = ev.timeUs;
      this.dispatched++;
      this.dispatch(ev);
    }
    if (stopUs !== Infinity) this.nowUs = stopUs;
    return this.finish();
  }

  private dispatch(ev: SimEvent): void {
    switch (ev.kind) {
      case DELIVER: {
        const to = ev.node;
        const from = ev.from;
        const msg = ev.payload as Msg;
        if (this.up[to] === 0) return this.dropped(to, from, msg, DROP_NODE_DOWN);
        if (this.network.isImpaired(from, to)) {
          if (this.network.isBlocked(from, to)) return this.dropped(to, from, msg, DROP_PARTITION);
          return this.holdMessage(from, to, msg);
        }
        if (this.paused[to] === 1) {
          ev.kind = DELIVER_ARRIVED;
          this.parked[to].push(ev);
          return;
        }
        return this.deliver(to, from, msg);
      }
      case DELIVER_ARRIVED:
        if (this.up[ev.node] === 0) return this.dropped(ev.node, ev.from, ev.payload as Msg, DROP_NODE_DOWN);
        if (this.paused[ev.node] === 1) {
          this.parked[ev.node].push(ev);
          return;
        }
        return this.deliver(ev.node, ev.from, ev.payload as Msg);
      case TIMER: {
        const node = ev.node;
        if (ev.incarnation !== this.incarnation[node] || this.up[node] === 0) return;
        if (this.cancelled.size > 0 && this.cancelled.delete(ev.seq)) return;
        if (this.paused[node] === 1) {
          this.parked[node].push(ev);
          return;
        }
        const timer = ev.payload as Timer;
        this.timersFired++;
        this.log.timer(this.nowUs, node, timer);
        this.model.onTimer(this.ctx.enter(node, this.nowUs), timer);
        return;
      }
      case FAULT:
        return this.applyFault(ev.payload as Fault, 'schedule');
      case FAULT_END:
        this.injector.end(ev.payload as number);
        return;
      case NOISE: {
        this.applyFault(this.noise.draw(this.nowUs), 'noise');
        this.scheduleNoise(this.nowUs);
        return;
      }
      default:
        throw new Error(`unknown event kind ${ev.kind}`);
    }
  }

  private applyFault(fault: Fault, layer: FaultLayer): void {
    const id = this.injector.apply(fault, layer);
    if (id > 0 && 'durationMs' in fault && fault.durationMs !== undefined)
      this.queue.push(this.nowUs + msToUs(fault.durationMs), FAULT_END, -1, -1, 0, id);
  }

  private deliver(to: number, from: number, msg: Msg): void {
    this.network.stats.delivered++;
    this.log.recv(this.nowUs, to, from, msg);
    this.model.onMessage(this.ctx.enter(to, this.nowUs), from, msg);
  }

  private dropped(to: number, from: number, msg: Tagged, reason: string): void {
    const s = this.network.stats;
    if (reason === DROP_NODE_DOWN) s.droppedNodeDown++;
    else if (reason === DROP_PARTITION) s.droppedPartition++;
    else s.droppedLoss++;
    this.log.drop(this.nowUs, to, from, msg, reason);
  }

  private holdMessage(from: number, to: number, msg: Tagged): void {
    this.network.stats.held++;
    const link = from * this.topology.size + to;
    let buf = this.heldBuffers.get(link);
    if (!buf) this.heldBuffers.set(link, (buf = []));
    buf.push({ from, to, msg });
  }

  private scheduleNoise(afterUs: TimeUs): void {
    const t = this.noise.nextTimeUs(afterUs);
    if (t !== Infinity) this.queue.push(t, NOISE, -1, -1, 0, null);
  }

  // ---- context operations (called by KernelContext) ----

  send(from: number, to: number, msg: Msg): void {
    // A model bug, not a network event: fail here, naming it, rather than deep in the network.
    if (!(to >= 0 && to < this.topology.size)) throw new Error(`node ${this.topology.names[from]} sent ${msg.type} to node index ${to}, which does not exist`);
    const net = this.network;
    net.stats.sent++;
    if (net.isImpaired(from, to) && net.isBlocked(from, to)) return this.dropped(to, from, msg, DROP_PARTITION);
    if (net.lossy && net.lost()) return this.dropped(to, from, msg, DROP_LOSS);
    if (net.isImpaired(from, to)) return this.holdMessage(from, to, msg);
    this.queue.push(net.deliveryTimeUs(from, to, this.nowUs), DELIVER, to, from, 0, msg);
    if (net.duplicating && net.duplicated()) {
      net.stats.duplicated++;
      this.queue.push(net.deliveryTimeUs(from, to, this.nowUs), DELIVER, to, from, 0, msg);
    }
  }

  setTimer(node: number, delayUs: TimeUs, timer: Timer): number {
    const at = this.nowUs + (delayUs > 0 ? Math.round(delayUs) : 0);
    return this.queue.push(at, TIMER, node, -1, this.incarnation[node], timer).seq;
  }

  cancelTimer(id: number): void {
    if (id >= 0 && id < this.queue.seqNext) this.cancelled.add(id);
  }

  emit(node: number, event: ModelEvent): void {
    this.modelEvents++;
    this.log.event(this.nowUs, node, event);
    const ls = this.listeners;
    for (let i = 0; i < ls.length; i++) ls[i](this.nowUs, node, event);
  }

  // ---- FaultEffects ----

  nodeDown(node: number, kind: NodeDownKind): void {
    const wasUp = this.up[node] === 1;
    if (wasUp) {
      this.up[node] = 0;
      this.paused[node] = 0;
      this.incarnation[node]++;
      this.parked[node].length = 0;
      this.injector.forgetPauses(node);
    }
    this.log.down(this.nowUs, node, kind);
    this.model.onDown(this.ctx.enterDown(node, this.nowUs), { kind, wasUp });
  }

  nodeUp(node: number): void {
    if (this.up[node] === 1) return;
    this.up[node] = 1;
    this.log.up(this.nowUs, node);
    this.model.onStart(this.ctx.enter(node, this.nowUs));
  }

  pause(node: number): void {
    this.paused[node] = 1;
    this.log.pause(this.nowUs, node);
  }

  resume(node: number): void {
    if (this.up[node] === 0) return;
    this.paused[node] = 0;
    this.log.resume(this.nowUs, node);
    // What queued up while the process was stalled runs now, in arrival order.
    const parked = this.parked[node];
    this.parked[node] = [];
    for (const ev of parked) this.queue.push(this.nowUs, ev.kind, ev.node, ev.from, ev.incarnation, ev.payload);
  }

  flushHeld(from: number, to: number): void {
    const link = from * this.topology.size + to;
    const buf = this.heldBuffers.get(link);
    if (!buf) return;
    this.heldBuffers.delete(link);
    for (const h of buf)
      this.queue.push(this.network.deliveryTimeUs(h.from, h.to, this.nowUs), DELIVER, h.to, h.from, 0, h.msg);
  }

  faultStarted(id: number, layer: FaultLayer, fault: Fault): void {
    this.log.fault(this.nowUs, id, layer, fault);
  }

  faultEnded(id: number): void {
    this.log.faultEnd(this.nowUs, id);
  }

  private finish(): RunOutcome {
    const s = this.network.stats;
    const kernel: KernelStats = {
      events: this.dispatched,
      virtualUs: this.nowUs,
      messagesSent: s.sent,
      messagesDelivered: s.delivered,
      messagesDroppedPartition: s.droppedPartition,
      messagesDroppedLoss: s.droppedLoss,
      messagesDroppedNodeDown: s.droppedNodeDown,
      messagesDuplicated: s.duplicated,
      messagesReordered: s.reordered,
      messagesHeld: s.held,
      timersFired: this.timersFired,
      faultsApplied: Object.fromEntries(this.injector.appliedByKind),
      modelEvents: this.modelEvents,
    };
    const model = this.model.finish(this.nowUs);
    return { traceHash: this.log.traceHash, loggedEvents: this.log.count, kernel, model };
  }
}

/** The one context object handed to model handlers; re-pointed at each dispatch. */
class KernelContext<Msg extends Tagged, Timer extends Tagged> implements NodeContext<Msg, Timer> {
  nowUs: TimeUs = 0;
  node = -1;
  private down = false;

  constructor(private readonly sim: Simulation<Msg, Timer>) {}

  enter(node: number, nowUs: TimeUs): this {
    this.node = node;
    this.nowUs = nowUs;
    this.down = false;
    return this;
  }

  enterDown(node: number, nowUs: TimeUs): this {
    this.enter(node, nowUs);
    this.down = true;
    return this;
  }

  send(to: number, msg: Msg): void {
    if (this.down) throw new Error(`node ${this.node} is down and cannot send`);
    this.sim.send(this.node, to, msg);
  }

  setTimer(delayUs: TimeUs, timer: Timer): number {
    if (this.down) throw new Error(`node ${this.node} is down and cannot set timers`);
    return this.sim.setTimer(this.node, delayUs, timer);
  }

  cancelTimer(id: number): void {
    this.sim.cancelTimer(id);
  }

  emit(event: ModelEvent): void {
    this.sim.emit(this.node, event);
  }
}
