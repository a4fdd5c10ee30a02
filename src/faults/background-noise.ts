// Draws background-noise faults from the "faults.noise" stream: the time to the next fault, its
// kind, its target and its duration. Every noise fault ends by itself; the kernel schedules the
// ticks and applies what this returns through the fault injector, in the "noise" layer.

import { exponential, pick, type Choice } from '../sim/choice.ts';
import { msToUs, type TimeUs } from '../sim/time.ts';
import type { Topology } from '../net/topology.ts';
import { drawnFaultKindOf, type Fault } from './fault.ts';
import type { NoiseDraw } from './fault-targets.ts';
import type { NoiseConfig } from './noise-config.ts';

export class BackgroundNoise {
  /** The nodes noise may target (every node unless the config names some), the AZs, the stream. */
  private readonly space: NoiseDraw;

  constructor(
    private readonly config: NoiseConfig,
    topology: Topology,
    choice: Choice,
  ) {
    this.space = { nodes: config.nodes ?? [...topology.names], azs: topology.azs, choice };
  }

  get enabled(): boolean {
    return this.config.intervalMsMean > 0 && this.config.kinds.length > 0 && this.space.nodes.length > 0;
  }

  /** Virtual time of the first noise fault after `afterUs`, or Infinity when past the window. */
  nextTimeUs(afterUs: TimeUs): TimeUs {
    const start = Math.max(afterUs, msToUs(this.config.startMs));
    const t = start + Math.max(1, Math.round(exponential(this.space.choice, msToUs(this.config.intervalMsMean))));
    const stop = this.config.stopMs === undefined ? Infinity : msToUs(this.config.stopMs);
    return t > stop ? Infinity : t;
  }

  /** The fault to apply at `nowUs`; it always carries a duration. */
  draw(nowUs: TimeUs): Fault {
    const atMs = nowUs / 1000;
    const durationMs = Math.max(1, Math.round(exponential(this.space.choice, this.config.durationMsMean)));
    const kind = pick(this.space.choice, this.config.kinds);
    return { atMs, kind, ...drawnFaultKindOf(kind).draw.noise(this.space), durationMs } as Fault;
  }
}
