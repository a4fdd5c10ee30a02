// A heartbeat failure detector: the smallest real model that exercises the kernel's network and
// faults. Every node sends a heartbeat to every other node each intervalMs and suspects a peer it
// has not heard from for suspectAfterMs. It is the kernel's test fixture (and the bench's
// workload), not part of the Kafka product.
//
// `bug: "sticky-suspicion"` makes suspicions permanent, so the eventual-trust checker has a
// broken model to catch; `bug: "assert-on-suspect"` fails an assertion at the first suspicion, as a
// model with a bug in it would, so the CLI's report of an internal error (exit 3) can be tested.

import type { Model, ModelOutcome, NodeContext, NodeFailure } from '../../src/sim/model.ts';
import { msToUs } from '../../src/sim/time.ts';

interface HeartbeatConfig {
  nodeNames: readonly string[];
  intervalMs: number;
  suspectAfterMs: number;
  bug?: 'sticky-suspicion' | 'assert-on-suspect';
}

type HeartbeatMsg = { type: 'heartbeat' };
type HeartbeatTimer = { type: 'beat' } | { type: 'check' };
type Ctx = NodeContext<HeartbeatMsg, HeartbeatTimer>;

const HEARTBEAT: HeartbeatMsg = { type: 'heartbeat' };
const BEAT: HeartbeatTimer = { type: 'beat' };
const CHECK: HeartbeatTimer = { type: 'check' };

export class HeartbeatModel implements Model<HeartbeatMsg, HeartbeatTimer> {
  private readonly n: number;
  private readonly intervalUs: number;
  private readonly suspectAfterUs: number;
  /** lastHeardUs[a * n + b]: when a last heard from b (volatile: reset on restart). */
  private readonly lastHeardUs: Float64Array;
  private readonly suspects: Uint8Array;
  private suspicions = 0;
  private recoveries = 0;
  private heartbeatsReceived = 0;
  private restarts = 0;

  constructor(private readonly config: HeartbeatConfig) {
    this.n = config.nodeNames.length;
    this.intervalUs = msToUs(config.intervalMs);
    this.suspectAfterUs = msToUs(config.suspectAfterMs);
    this.lastHeardUs = new Float64Array(this.n * this.n);
    this.suspects = new Uint8Array(this.n * this.n);
  }

  onStart(ctx: Ctx): void {
    const a = ctx.node;
    if (ctx.nowUs > 0) this.restarts++;
    for (let b = 0; b < this.n; b++) {
      this.lastHeardUs[a * this.n + b] = ctx.nowUs;
      this.suspects[a * this.n + b] = 0;
    }
    ctx.emit({ type: 'boot' });
    ctx.setTimer(this.intervalUs, BEAT);
    ctx.setTimer(this.intervalUs, CHECK);
  }

  onMessage(ctx: Ctx, from: number): void {
    const i = ctx.node * this.n + from;
    this.heartbeatsReceived++;
    this.lastHeardUs[i] = ctx.nowUs;
    if (this.suspects[i] === 1 && this.config.bug !== 'sticky-suspicion') {
      this.suspects[i] = 0;
      this.recoveries++;
      ctx.emit({ type: 'trust', peer: this.config.nodeNames[from] });
    }
  }

  onTimer(ctx: Ctx, timer: HeartbeatTimer): void {
    const a = ctx.node;
    if (timer.type === 'beat') {
      for (let b = 0; b < this.n; b++) if (b !== a) ctx.send(b, HEARTBEAT);
      ctx.setTimer(this.intervalUs, BEAT);
      return;
    }
    for (let b = 0; b < this.n; b++) {
      const i = a * this.n + b;
      if (b === a || this.suspects[i] === 1) continue;
      if (ctx.nowUs - this.lastHeardUs[i] > this.suspectAfterUs) {
        if (this.config.bug === 'assert-on-suspect')
          throw new Error(`heartbeat: assertion failed: ${this.config.nodeNames[a]} suspects ${this.config.nodeNames[b]}`);
        this.suspects[i] = 1;
        this.suspicions++;
        ctx.emit({ type: 'suspect', peer: this.config.nodeNames[b] });
      }
    }
    ctx.setTimer(this.intervalUs, CHECK);
  }

  onDown(_ctx: Ctx, _failure: NodeFailure): void {
    // All of a node's state is volatile; onStart resets it.
  }

  finish(): ModelOutcome {
    return {
      stats: {
        heartbeatsReceived: this.heartbeatsReceived,
        suspicions: this.suspicions,
        recoveries: this.recoveries,
        restarts: this.restarts,
      },
      violations: [],
    };
  }
}
