// Draws background-noise faults from the "faults.noise" stream: the time to the next fault, its
// kind, its target and its duration. Every noise fault ends by itself; the kernel schedules the
// ticks and applies what this returns through the fault injector, in the "noise" layer.

import { exponential, pick, type Choice } from '../sim/choice.ts';
import { msToUs, type TimeUs } from '../sim/time.ts';
import type { Topology } from '../net/topology.ts';
import type { Fault } from './fault.ts';
import type { NoiseConfig } from './noise-config.ts';

export class BackgroundNoise {
  private readonly targets: string[];

  constructor(
    private readonly config: NoiseConfig,
    private readonly topology: Topology,
    private readonly choice: Choice,
  ) {
    this.targets = config.nodes ?? [...topology.names];
  }

  get enabled(): boolean {
    return this.config.intervalMsMean > 0 && this.config.kinds.length > 0 && this.targets.length > 0;
  }

  /** Virtual time of the first noise fault after `afterUs`, or Infinity when past the window. */
  nextTimeUs(afterUs: TimeUs): TimeUs {
    const start = Math.max(afterUs, msToUs(this.config.startMs));
    const t = start + Math.max(1, Math.round(exponential(this.choice, msToUs(this.config.intervalMsMean))));
    const stop = this.config.stopMs === undefined ? Infinity : msToUs(this.config.stopMs);
    return t > stop ? Infinity : t;
  }

  /** The fault to apply at `nowUs`; it always carries a duration. */
  draw(nowUs: TimeUs): Fault {
    const c = this.choice;
    const atMs = nowUs / 1000;
    const durationMs = Math.max(1, Math.round(exponential(c, this.config.durationMsMean)));
    const kind = pick(c, this.config.kinds);
    switch (kind) {
      case 'partition': {
        // a random bipartition of the targets, neither side empty
        const shuffled = this.shuffle([...this.targets]);
        const cut = 1 + c.below(Math.max(1, shuffled.length - 1));
        return { atMs, kind, groups: [shuffled.slice(0, cut), shuffled.slice(cut)], durationMs };
      }
      case 'partition-one-way': {
        const shuffled = this.shuffle([...this.targets]);
        const cut = 1 + c.below(Math.max(1, shuffled.length - 1));
        return { atMs, kind, from: shuffled.slice(0, cut), to: shuffled.slice(cut), durationMs };
      }
      case 'isolate-az':
      case 'az-outage':
        return { atMs, kind, az: pick(c, this.topology.azs), durationMs };
      case 'isolate-node':
      case 'crash':
      case 'power-loss':
      case 'disk-loss':
      case 'pause':
        return { atMs, kind, node: pick(c, this.targets), durationMs };
    }
  }

  private shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.choice.below(i + 1);
      const t = xs[i];
      xs[i] = xs[j];
      xs[j] = t;
    }
    return xs;
  }
}
