// Seeded background noise: faults that arrive at exponential intervals, each ending after an
// exponential duration. Noise draws from its own stream ("faults.noise") and cannot shrink; keep
// faults that matter in the explicit schedule.

import type { NoiseFaultKind } from './fault.ts';

export interface NoiseConfig {
  /** Mean time between noise faults; 0 turns noise off. */
  intervalMsMean: number;
  durationMsMean: number;
  kinds: NoiseFaultKind[];
  /** Nodes noise may target (default: every node). */
  nodes?: string[];
  /** Noise window, so a run can settle after it. */
  startMs: number;
  stopMs?: number;
}

export const NOISE_OFF: NoiseConfig = {
  intervalMsMean: 0,
  durationMsMean: 1000,
  kinds: ['partition', 'isolate-node', 'crash', 'pause'],
  startMs: 0,
};
