// A fixture model for the engine's own tests (scenario, trace, sweep, report, check): every node
// pings every peer each intervalMs (plus a seeded jitter, so seeds give different runs), answers a
// ping with a pong, counts a peer lost when no pong came for timeoutMs and found again when one
// does; each change of the peers a node hears is a "view" event. The all-found checker wants every
// running node to hear every running peer at the end, unless a fault still holds. Two deliberate
// bugs: "never-forgive" (a lost peer stays lost, so all-found fails after a fault) and "assert"
// (the model asserts when it first loses a peer, as a model with a bug in it would).

import type { Checker, RunView } from '../../check/checker.ts';
import type { Choice } from '../../sim/choice.ts';
import type { Model, ModelEvent, ModelOutcome, NodeContext, Violation } from '../../sim/model.ts';
import { msToUs, type TimeUs } from '../../sim/time.ts';

interface PingConfig {
  nodeNames: readonly string[];
  intervalMs: number;
  timeoutMs: number;
  bug?: 'never-forgive' | 'assert';
}

type PingMsg = { type: 'ping' } | { type: 'pong' };
type PingTimer = { type: 'tick' };
type Ctx = NodeContext<PingMsg, PingTimer>;

const PING: PingMsg = { type: 'ping' };
const PONG: PingMsg = { type: 'pong' };
const TICK: PingTimer = { type: 'tick' };

export class PingModel implements Model<PingMsg, PingTimer> {
  private readonly n: number;
  /** lastPongUs[a * n + b]: when a last heard a pong from b. */
  private readonly lastPongUs: Float64Array;
  private readonly lost: Uint8Array;
  private readonly stats = { pings: 0, pongs: 0, lost: 0, found: 0 };

  constructor(
    private readonly config: PingConfig,
    private readonly jitter: Choice,
  ) {
    this.n = config.nodeNames.length;
    this.lastPongUs = new Float64Array(this.n * this.n);
    this.lost = new Uint8Array(this.n * this.n);
  }

  onStart(ctx: Ctx): void {
    for (let b = 0; b < this.n; b++) {
      this.lastPongUs[ctx.node * this.n + b] = ctx.nowUs;
      this.lost[ctx.node * this.n + b] = 0;
    }
    ctx.emit({ type: 'boot' });
    this.schedule(ctx);
  }

  onMessage(ctx: Ctx, from: number, msg: PingMsg): void {
    if (msg.type === 'ping') {
      ctx.reply(from, PONG);
      return;
    }
    const i = ctx.node * this.n + from;
    this.stats.pongs++;
    this.lastPongUs[i] = ctx.nowUs;
    if (this.lost[i] === 1 && this.config.bug !== 'never-forgive') {
      this.lost[i] = 0;
      this.stats.found++;
      ctx.emit({ type: 'found', peer: this.config.nodeNames[from] });
      this.emitView(ctx);
    }
  }

  onTimer(ctx: Ctx): void {
    const a = ctx.node;
    let changed = false;
    for (let b = 0; b < this.n; b++) {
      if (b === a) continue;
      ctx.send(b, PING);
      this.stats.pings++;
      const i = a * this.n + b;
      if (this.lost[i] === 0 && ctx.nowUs - this.lastPongUs[i] > msToUs(this.config.timeoutMs)) {
        if (this.config.bug === 'assert') throw new Error(`ping: assertion failed: ${this.config.nodeNames[a]} lost ${this.config.nodeNames[b]}`);
        this.lost[i] = 1;
        this.stats.lost++;
        changed = true;
        ctx.emit({ type: 'lost', peer: this.config.nodeNames[b] });
      }
    }
    if (changed) this.emitView(ctx);
    this.schedule(ctx);
  }

  onDown(): void {
    // All state is volatile; onStart resets it.
  }

  finish(): ModelOutcome {
    return { stats: { ...this.stats }, violations: [] };
  }

  private schedule(ctx: Ctx): void {
    const intervalUs = msToUs(this.config.intervalMs);
    ctx.setTimer(intervalUs + this.jitter.below(Math.max(1, Math.floor(intervalUs / 10))), TICK);
  }

  /** The peers the node hears, itself first: its view. */
  private emitView(ctx: Ctx): void {
    const members = [this.config.nodeNames[ctx.node]];
    for (let b = 0; b < this.n; b++) if (b !== ctx.node && this.lost[ctx.node * this.n + b] === 0) members.push(this.config.nodeNames[b]);
    ctx.emit({ type: 'view', members });
  }
}

/** all-found: at the end, every running node hears every running peer, unless a fault still holds. */
export class AllFoundChecker implements Checker {
  readonly name = 'all-found';
  private readonly lost = new Map<number, Set<string>>();

  onEvent(_timeUs: TimeUs, node: number, ev: ModelEvent): void {
    if (ev.type === 'boot') this.lost.set(node, new Set());
    else if (ev.type === 'lost') this.lost.get(node)!.add(ev.peer as string);
    else if (ev.type === 'found') this.lost.get(node)!.delete(ev.peer as string);
  }

  finish(run: RunView): Violation[] {
    if (run.faultsActive) return [];
    const out: Violation[] = [];
    for (const [node, peers] of this.lost) {
      if (!run.isUp(node)) continue;
      for (const peer of peers) {
        if (!run.isUp(run.topology.index(peer))) continue;
        out.push({ property: this.name, message: `${run.topology.names[node]} still counts ${peer} lost at the end`, peer });
      }
    }
    return out;
  }
}
