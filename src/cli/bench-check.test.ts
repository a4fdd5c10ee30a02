// The bench's `ksim check` figures from hand-made check samples: the span after each worker's
// warm-up is the full check minus the short one, pair by pair, and the idle-machine speed-up is
// read from CPU a run by kind of thread.

import { describe, expect, it } from 'vitest';
import { checkFigures, idleSpeedUp, type CheckSample } from './bench-check.ts';

function sample(runsDone: number, wallMs: number, cpuMs: number, byThread: CheckSample['byThread']): CheckSample {
  return { wallMs, runsPerSec: (1000 * runsDone) / wallMs, cpuMs, byThread, runsDone, output: '{}', found: false };
}

describe('checkFigures', () => {
  it('takes the short check (warm-up) off the full one, pair by pair', () => {
    // 100 warm-up runs in 10 s, then 500 more in 25 s: 20 runs/s after warm-up, not 600/35
    const full = [sample(600, 35_000, 24_000, { workers: 18_000, helpers: 5_800, main: 200 })];
    const short = [sample(100, 10_000, 6_000, { workers: 4_000, helpers: 1_950, main: 50 })];
    const f = checkFigures(full, short);
    expect(f.runsPerSec).toBeCloseTo(600 / 35);
    expect(f.warmUpRunsPerSec).toBeCloseTo(10);
    expect(f.afterRunsPerSec).toBeCloseTo(20);
    expect(f.afterCpuMsPerRun).toBeCloseTo(36);
    expect(f.afterByThread).toEqual({ workers: 28, helpers: 7.7, main: 0.3 });
    expect(f.byThread).toEqual({ workers: 30, helpers: 5_800 / 600, main: 200 / 600 });
  });

  it('takes medians over pairs, each pair against its own short check', () => {
    const full = [sample(600, 30_000, 1, null), sample(600, 60_000, 1, null), sample(600, 35_000, 1, null)];
    const short = [sample(100, 5_000, 0, null), sample(100, 10_000, 0, null), sample(100, 10_000, 0, null)];
    // after warm-up: 500 runs in 25 s, 50 s, 25 s
    expect(checkFigures(full, short).afterRunsPerSec).toBeCloseTo(20);
    expect(checkFigures(full, short).afterByThread).toBeNull();
  });
});

describe('idleSpeedUp', () => {
  it('is twice the one-worker thread CPU over the two-worker process CPU, a run', () => {
    expect(idleSpeedUp({ workers: 25 }, 40)).toBeCloseTo(1.25);
    expect(idleSpeedUp(null, 40)).toBeNull();
  });
});
