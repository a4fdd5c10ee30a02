// The discrete-event kernel: one virtual clock, one event queue, the network and its TCP transport
// (transport.ts), node lifecycles, faults (explicit schedule and background noise) and the dispatch
// loop that drives a model.
// Everything that happens goes through the queue in (time, seq) order and is reported to the
// event log (hash, and trace lines when tracing), so a seed and a scenario determine the run.

import type { KernelEvent } from '../check/checker.ts';
import { BackgroundNoise } from '../faults/background-noise.ts';
import type { Fault } from '../faults/fault.ts';
import type { FaultEffects, FaultLayer } from '../faults/fault-actions.ts';
import { FaultInjector } from '../faults/fault-injector.ts';
import type { NoiseConfig } from '../faults/noise-config.ts';
import { Network } from '../net/network.ts';
import type { NetworkConfig } from '../net/network-config.ts';
import type { Topology } from '../net/topology.ts';
import { EventDispatch, type EventListener } from './event-dispatch.ts';
import { EventLog, type LineSink } from './event-log.ts';
import { DELIVER, FAULT, FAULT_END, NOISE, TIMER } from './event-kinds.ts';
import { TimerTable } from './timer-table.ts';
import { Transport, type TransportHost } from './transport.ts';
import { KernelContext, type ContextHost } from './kernel-context.ts';
import type { ChoiceSource } from '../sim/choice.ts';
import { CANCELLED, EventQueue, type SimEvent } from '../sim/event-queue.ts';
import type { DisconnectReason, Model, ModelEvent, ModelOutcome, NodeDownKind, Tagged } from '../sim/model.ts';
import { RunLimitGuard, type RunLimits } from './run-limits.ts';
import { msToUs, type TimeUs } from '../sim/time.ts';

export interface SimulationOptions {
  topology: Topology;
  network: NetworkConfig;
  choices: ChoiceSource;
  faults: readonly Fault[];
  noise: NoiseConfig;
  limits: RunLimits;
  /** Stop here; undefined runs until the queue is empty. */
  durationMs?: number;
  lineSink?: LineSink; // receives trace lines (writing or replaying a trace)
  hashed?: boolean; // false: no trace hash (traceHash "unhashed"), for runs judged but never named
}

export type KernelEventListener = (timeUs: TimeUs, event: KernelEvent) => void;

export interface KernelStats {
  events: number;
  virtualUs: TimeUs;
  messagesSent: number;
  messagesDelivered: number;
  /** Dropped because their connection was closed (the only way a message is lost). */
  messagesDropped: number;
  /** Waited for a TCP retransmission: a blocked link, a silent host, or behind such a segment. */
  messagesStalled: number;
  messagesHeld: number;
  /** TCP retransmissions (data and SYN) into loss, blocked links and silent hosts. */
  retransmissions: number;
  connectionsOpened: number;
  connectionsEstablished: number;
  /** Connections the network closed under their initiator: reset, refused, timed out; and those the application closed. */
  connectionsReset: number;
  connectionsRefused: number;
  connectionsTimedOut: number;
  connectionsClosed: number;
  timersFired: number;
  /** Timers cancelled before they fired, or dropped with their process. */
  timersCancelled: number;
  /** Cancelled timers that still reached the top of the queue (a compaction had not removed them yet). */
  cancelledPopped: number;
  /** The event queue's largest length, cancelled entries included. */
  queueLengthMax: number;
  faultsApplied: Record<string, number>;
  modelEvents: number;
}

export interface RunOutcome {
  traceHash: string;
  /** Entries in the event stream (trace lines between header and footer). */
  loggedEvents: number;
  kernel: KernelStats;
  model: ModelOutcome;
  /** Faults aimed at roles, as they fired (FaultInjector.aimed). */
  aimedFaults: readonly string[];
}

export class Simulation<Msg extends Tagged, Timer extends Tagged> implements FaultEffects, TransportHost, ContextHost<Timer> {
  readonly topology: Topology;
  readonly network: Network;
  readonly log: EventLog;
  readonly transport: Transport;
  private readonly queue = new EventQueue();
  private readonly injector: FaultInjector;
  private readonly noise: BackgroundNoise;
  readonly up: Uint8Array;
  readonly paused: Uint8Array;
  private readonly incarnation: Int32Array;
  readonly parked: SimEvent[][];
  private readonly timers = new TimerTable(this.queue);
  private readonly listeners = new EventDispatch();
  private readonly kernelListeners: KernelEventListener[] = [];
  /** fault-start / fault-end waiting for their fault's actions to complete (only with kernel listeners). */
  private readonly pendingFaultEvents: KernelEvent[] = [];
  private readonly ctx: KernelContext<Msg, Timer>;
  private model!: Model<Msg, Timer>;
  private nowUs: TimeUs = 0;
  private dispatched = 0;
  private timersFired = 0;
  private modelEvents = 0;
  private started = false;

  constructor(private readonly options: SimulationOptions) {
    const topo = (this.topology = options.topology);
    this.network = new Network(topo, options.network, options.choices.stream('net'));
    this.log = new EventLog(topo, options.lineSink, options.hashed ?? true);
    this.injector = new FaultInjector(topo, this.network, this);
    this.noise = new BackgroundNoise(options.noise, topo, options.choices.stream('faults.noise'));
    this.up = new Uint8Array(topo.size);
    this.paused = new Uint8Array(topo.size);
    this.incarnation = new Int32Array(topo.size);
    this.parked = topo.nodes.map(() => []);
    this.transport = new Transport(topo, this.network, this.queue, this.log, this);
    this.ctx = new KernelContext(this);
  }

  /**
   * Checkers subscribe here; they observe, they never change the run. With `types`, the listener
   * hears only model events of those types.
   */
  onEvent(listener: EventListener, types?: readonly string[]): void {
    this.listeners.add(listener, types);
  }

  /** Checkers subscribe here to node and fault changes; nothing is built when none does. */
  onKernelEvent(listener: KernelEventListener): void {
    this.kernelListeners.push(listener);
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

  /** Whether a fault stops traffic on the directed link now (blocked or held). */
  isLinkCut(from: number, to: number): boolean {
    return this.network.isImpaired(from, to);
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
    const guard = new RunLimitGuard(opts.limits);
    const queue = this.queue;
    for (;;) {
      const t = queue.peekTimeUs();
      if (t > stopUs || t === Infinity) break;
      guard.check(t, this.nowUs, this.dispatched);
      const ev = queue.pop()!;
      this.nowUs = ev.timeUs;
      this.dispatched++;
      this.dispatch(ev);
    }
    if (stopUs !== Infinity) this.nowUs = stopUs;
    return this.finish();
  }

  private dispatch(ev: SimEvent): void {
    switch (ev.kind) {
      case DELIVER:
        return this.transport.onDeliver(ev);
      case TIMER: {
        const node = ev.node;
        // Dropped at the node's going down (TimerTable.dropNode); this catches one set while down.
        if (ev.incarnation !== this.incarnation[node] || this.up[node] === 0) {
          this.timers.fired(ev);
          return;
        }
        if (this.paused[node] === 1) {
          this.parked[node].push(ev);
          this.timers.park(ev);
          return;
        }
        this.timers.fired(ev);
        const timer = ev.payload as Timer;
        this.timersFired++;
        this.log.timer(this.nowUs, node, timer);
        this.model.onTimer(this.ctx.enter(node, this.nowUs), timer);
        return;
      }
      case FAULT: {
        // Roles (the leader of a partition...) are resolved now, from the model's state.
        const fault = this.injector.aim(ev.payload as Fault, this.nowUs, (ref) => this.roleHolders(ref));
        return fault === null ? undefined : this.applyFault(fault, 'schedule');
      }
      case FAULT_END:
        this.injector.end(ev.payload as number);
        if (this.pendingFaultEvents.length > 0) this.flushFaultEvents();
        return;
      case NOISE: {
        this.applyFault(this.noise.draw(this.nowUs), 'noise');
        this.scheduleNoise(this.nowUs);
        return;
      }
      default:
        return this.transport.dispatch(ev);
    }
  }

  private applyFault(fault: Fault, layer: FaultLayer): void {
    const id = this.injector.apply(fault, layer);
    if (this.pendingFaultEvents.length > 0) this.flushFaultEvents();
    if (id > 0 && 'durationMs' in fault && fault.durationMs !== undefined)
      this.queue.push(this.nowUs + msToUs(fault.durationMs), FAULT_END, -1, -1, 0, id);
  }

  private roleHolders(ref: string): string[] {
    return (this.model.nodesInRole?.(ref.slice(1)) ?? []).map((n) => this.topology.names[n]);
  }

  // ---- TransportHost: the model's handlers for what the network brings ----

  deliver(to: number, from: number, msg: Tagged, connection: number): void {
    this.model.onMessage(this.ctx.enter(to, this.nowUs, connection), from, msg as Msg);
  }

  connected(node: number, peer: number): void {
    this.model.onConnect?.(this.ctx.enter(node, this.nowUs), peer);
  }

  written(node: number, peer: number): void {
    this.model.onWritten?.(this.ctx.enter(node, this.nowUs), peer);
  }

  disconnected(node: number, peer: number, reason: DisconnectReason): void {
    this.model.onDisconnect?.(this.ctx.enter(node, this.nowUs), peer, reason);
  }

  private scheduleNoise(afterUs: TimeUs): void {
    const t = this.noise.nextTimeUs(afterUs);
    if (t !== Infinity) this.queue.push(t, NOISE, -1, -1, 0, null);
  }

  // ---- context operations (called by KernelContext) ----

  /** A model bug, not a network event: fail here, naming it, rather than deep in the transport (the text is built only then). */
  checkPeer(from: number, to: number, what: string, msg: Tagged | null): void {
    if (!(to >= 0 && to < this.topology.size) || to === from)
      throw new Error(
        `node ${this.topology.names[from]} ${what}${msg === null ? '' : ` ${msg.type}`} to node index ${to}, which ${to === from ? 'is itself' : 'does not exist'}`,
      );
  }

  setTimer(node: number, delayUs: TimeUs, timer: Timer): number {
    const at = this.nowUs + (delayUs > 0 ? Math.round(delayUs) : 0);
    return this.timers.set(node, at, this.incarnation[node], timer);
  }

  cancelTimer(id: number): void {
    this.timers.cancel(id);
  }

  emit(node: number, event: ModelEvent): void {
    this.modelEvents++;
    this.log.event(this.nowUs, node, event);
    const ls = this.listeners.of(event.type);
    for (let i = 0; i < ls.length; i++) ls[i](this.nowUs, node, event);
  }

  // ---- FaultEffects ----

  nodeDown(node: number, kind: NodeDownKind): void {
    const wasUp = this.up[node] === 1;
    if (wasUp) {
      this.up[node] = 0;
      this.paused[node] = 0;
      this.incarnation[node]++;
      this.timers.dropNode(node);
      this.parked[node].length = 0;
      this.injector.forgetPauses(node);
    }
    this.transport.processDown(node, kind, wasUp);
    this.log.down(this.nowUs, node, kind);
    this.model.onDown(this.ctx.enterDown(node, this.nowUs), { kind, wasUp });
    if (this.kernelListeners.length > 0) this.kernelEvent({ type: 'node-down', node, kind });
  }

  nodeUp(node: number): void {
    if (this.up[node] === 1) return;
    this.up[node] = 1;
    this.transport.processUp(node);
    this.log.up(this.nowUs, node);
    this.model.onStart(this.ctx.enter(node, this.nowUs));
    if (this.kernelListeners.length > 0) this.kernelEvent({ type: 'node-up', node });
  }

  pause(node: number): void {
    this.paused[node] = 1;
    this.log.pause(this.nowUs, node);
    if (this.kernelListeners.length > 0) this.kernelEvent({ type: 'pause', node });
  }

  resume(node: number): void {
    if (this.up[node] === 0) return;
    this.paused[node] = 0;
    this.log.resume(this.nowUs, node);
    // What queued up while the process was stalled runs now, in arrival order.
    const parked = this.parked[node];
    this.parked[node] = [];
    for (const ev of parked) {
      if (ev.kind === CANCELLED) continue;
      const again = this.queue.push(this.nowUs, ev.kind, ev.node, ev.from, ev.incarnation, ev.payload, ev.ref);
      // a parked timer keeps its id: cancelTimer after the resume must still find it
      if (ev.kind === TIMER) this.timers.requeued(ev, again);
    }
    if (this.kernelListeners.length > 0) this.kernelEvent({ type: 'resume', node });
  }

  linkCleared(from: number, to: number): void {
    this.transport.linkCleared(from, to);
  }

  faultStarted(id: number, layer: FaultLayer, fault: Fault): void {
    this.log.fault(this.nowUs, id, layer, fault);
    if (this.kernelListeners.length > 0) this.pendingFaultEvents.push({ type: 'fault-start', id, layer, fault });
  }

  faultEnded(id: number): void {
    this.log.faultEnd(this.nowUs, id);
    if (this.kernelListeners.length > 0) this.pendingFaultEvents.push({ type: 'fault-end', id });
  }

  private kernelEvent(event: KernelEvent): void {
    const ls = this.kernelListeners;
    for (let i = 0; i < ls.length; i++) ls[i](this.nowUs, event);
  }

  /** Reports fault-start / fault-end once the fault is fully applied or undone, so views show it. */
  private flushFaultEvents(): void {
    const pending = this.pendingFaultEvents.splice(0);
    for (const event of pending) this.kernelEvent(event);
  }

  private finish(): RunOutcome {
    const s = this.transport.stats;
    const kernel: KernelStats = {
      events: this.dispatched,
      virtualUs: this.nowUs,
      messagesSent: s.sent,
      messagesDelivered: s.delivered,
      messagesDropped: s.dropped,
      messagesStalled: s.stalled,
      messagesHeld: s.held,
      retransmissions: s.retransmissions,
      connectionsOpened: s.opened,
      connectionsEstablished: s.established,
      connectionsReset: s.reset,
      connectionsRefused: s.refused,
      connectionsTimedOut: s.timeout,
      connectionsClosed: s.closed,
      timersFired: this.timersFired,
      timersCancelled: this.timers.cancelled,
      cancelledPopped: this.queue.stats.cancelledPopped,
      queueLengthMax: this.queue.stats.lengthMax,
      faultsApplied: Object.fromEntries(this.injector.appliedByKind),
      modelEvents: this.modelEvents,
    };
    const model = this.model.finish(this.nowUs);
    return { traceHash: this.log.traceHash, loggedEvents: this.log.count, kernel, model, aimedFaults: this.injector.aimed };
  }
}
