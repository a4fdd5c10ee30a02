// A scriptable model for kernel tests: nodes send the messages a test schedules (requests on their
// own connections, or replies on the peer's) and take the connection actions it schedules
// (disconnect, close an accepted connection, stop or start listening), and record what they receive, their connection events,
// when timers fire, and how they went down or started. It lets a test ask "did a message from a to
// b get through at time t?" without any real protocol in the way.

import { Topology, type NodeSpec } from '../../net/topology.ts';
import { DEFAULT_NETWORK, type NetworkConfig } from '../../net/network-config.ts';
import type { Fault } from '../../faults/fault.ts';
import { NOISE_OFF, type NoiseConfig } from '../../faults/noise-config.ts';
import type { DisconnectReason, Model, ModelOutcome, NodeContext, NodeFailure, SocketWrite } from '../../sim/model.ts';
import { SeededChoices } from '../../sim/seeded-choices.ts';
import { Simulation, type RunOutcome } from '../simulation.ts';
import { DEFAULT_LIMITS, type RunLimits } from '../run-limits.ts';
import type { LineSink } from '../event-log.ts';
import { msToUs } from '../../sim/time.ts';

type ProbeMsg = { type: 'probe'; id: number };
type ProbeTimer =
  | { type: 'send'; to: number; id: number; reply: boolean; bounded: SocketWrite | null }
  | { type: 'tick'; label: string }
  | { type: 'act'; action: ProbeAction['action']; peer: number };

interface Received {
  atUs: number;
  to: string;
  from: string;
  id: number;
}

export interface ProbeSend {
  atMs: number;
  from: string;
  to: string;
  /** true: a reply on to's connection to from (dropped when it has none); else a request on from's own. */
  reply?: boolean;
  /** A write bounded by the socket's buffers (sendBounded): `written` records when it completed. */
  bounded?: SocketWrite;
}

/** A connection action a node takes at a time (peer: for disconnect and connect). */
export interface ProbeAction {
  atMs: number;
  node: string;
  action: 'disconnect' | 'close-accepted' | 'connect' | 'stop-listening' | 'listen';
  peer?: string;
}

interface ConnectionEvent {
  atUs: number;
  node: string;
  peer: string;
  /** 'connect', or why the network closed the node's connection. */
  what: 'connect' | DisconnectReason;
}

/** Sends at the scripted times (scheduled as timers at start, so they die with a crash). */
class ProbeModel implements Model<ProbeMsg, ProbeTimer> {
  readonly received: Received[] = [];
  readonly ticks: { atUs: number; node: string; label: string }[] = [];
  readonly downs: { atUs: number; node: string; failure: NodeFailure }[] = [];
  readonly starts: { atUs: number; node: string }[] = [];
  readonly connections: ConnectionEvent[] = [];
  /** When each bounded send's write completed (µs), by send id. */
  readonly writtenUs = new Map<number, number>();
  /** Per "node>peer", the ids of bounded writes not complete yet, in order. */
  private readonly writing = new Map<string, number[]>();

  constructor(
    private readonly topo: Topology,
    private readonly sends: readonly ProbeSend[],
    private readonly ticksAtMs: readonly { atMs: number; node: string; label: string }[] = [],
    private readonly actions: readonly ProbeAction[] = [],
  ) {}

  onStart(ctx: NodeContext<ProbeMsg, ProbeTimer>): void {
    const me = this.topo.names[ctx.node];
    this.starts.push({ atUs: ctx.nowUs, node: me });
    if (ctx.nowUs > 0) return; // scripted sends are planned once, by the first process
    this.sends.forEach((s, id) => {
      if (s.from === me) ctx.setTimer(msToUs(s.atMs), { type: 'send', to: this.topo.index(s.to), id, reply: s.reply === true, bounded: s.bounded ?? null });
    });
    for (const t of this.ticksAtMs) if (t.node === me) ctx.setTimer(msToUs(t.atMs), { type: 'tick', label: t.label });
    for (const a of this.actions)
      if (a.node === me) ctx.setTimer(msToUs(a.atMs), { type: 'act', action: a.action, peer: a.peer === undefined ? -1 : this.topo.index(a.peer) });
  }

  onMessage(ctx: NodeContext<ProbeMsg, ProbeTimer>, from: number, msg: ProbeMsg): void {
    this.received.push({ atUs: ctx.nowUs, to: this.topo.names[ctx.node], from: this.topo.names[from], id: msg.id });
  }

  onTimer(ctx: NodeContext<ProbeMsg, ProbeTimer>, timer: ProbeTimer): void {
    if (timer.type === 'send') {
      if (timer.reply) ctx.reply(timer.to, { type: 'probe', id: timer.id });
      else if (timer.bounded === null) ctx.send(timer.to, { type: 'probe', id: timer.id });
      else if (ctx.sendBounded(timer.to, { type: 'probe', id: timer.id }, timer.bounded)) this.writtenUs.set(timer.id, ctx.nowUs);
      else this.writingTo(ctx.node, timer.to).push(timer.id);
    } else if (timer.type === 'tick') this.ticks.push({ atUs: ctx.nowUs, node: this.topo.names[ctx.node], label: timer.label });
    else if (timer.action === 'disconnect') ctx.disconnect(timer.peer);
    else if (timer.action === 'close-accepted') ctx.closeAccepted(timer.peer);
    else if (timer.action === 'connect') ctx.connect(timer.peer);
    else ctx.setListening(timer.action === 'listen');
  }

  onWritten(ctx: NodeContext<ProbeMsg, ProbeTimer>, peer: number): void {
    const id = this.writingTo(ctx.node, peer).shift();
    if (id === undefined) throw new Error(`onWritten for ${this.topo.names[ctx.node]} -> ${this.topo.names[peer]} with no write pending`);
    this.writtenUs.set(id, ctx.nowUs);
  }

  private writingTo(node: number, peer: number): number[] {
    const key = `${node}>${peer}`;
    let l = this.writing.get(key);
    if (l === undefined) this.writing.set(key, (l = []));
    return l;
  }

  onConnect(ctx: NodeContext<ProbeMsg, ProbeTimer>, peer: number): void {
    this.connections.push({ atUs: ctx.nowUs, node: this.topo.names[ctx.node], peer: this.topo.names[peer], what: 'connect' });
  }

  onDisconnect(ctx: NodeContext<ProbeMsg, ProbeTimer>, peer: number, reason: DisconnectReason): void {
    this.connections.push({ atUs: ctx.nowUs, node: this.topo.names[ctx.node], peer: this.topo.names[peer], what: reason });
  }

  onDown(ctx: NodeContext<ProbeMsg, ProbeTimer>, failure: NodeFailure): void {
    this.downs.push({ atUs: ctx.nowUs, node: this.topo.names[ctx.node], failure });
  }

  finish(): ModelOutcome {
    return { stats: { received: this.received.length }, violations: [] };
  }

  /** Whether the i-th scripted send arrived. */
  got(i: number): boolean {
    return this.received.some((r) => r.id === i);
  }

  /** When the i-th scripted send arrived (µs), or undefined. */
  arrivalUs(i: number): number | undefined {
    return this.received.find((r) => r.id === i)?.atUs;
  }
}

interface ProbeRun {
  nodes: NodeSpec[];
  sends?: ProbeSend[];
  ticks?: { atMs: number; node: string; label: string }[];
  actions?: ProbeAction[];
  faults?: Fault[];
  noise?: Partial<NoiseConfig>;
  network?: Partial<NetworkConfig>;
  limits?: Partial<RunLimits>;
  durationMs?: number;
  seed?: string;
  lineSink?: LineSink;
}

export function runProbe(r: ProbeRun): { model: ProbeModel; outcome: RunOutcome; sim: Simulation<ProbeMsg, ProbeTimer> } {
  const topology = new Topology(r.nodes);
  const sim = new Simulation<ProbeMsg, ProbeTimer>({
    topology,
    network: { ...DEFAULT_NETWORK, ...r.network },
    choices: new SeededChoices(r.seed ?? '1'),
    faults: r.faults ?? [],
    noise: { ...NOISE_OFF, ...r.noise },
    limits: { ...DEFAULT_LIMITS, ...r.limits },
    durationMs: r.durationMs,
    lineSink: r.lineSink,
  });
  const model = new ProbeModel(topology, r.sends ?? [], r.ticks ?? [], r.actions ?? []);
  const outcome = sim.run(model);
  return { model, outcome, sim };
}
