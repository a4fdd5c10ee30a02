// A small sweep result of the ping fixture for the report's tests, built from hand-made runs
// (no simulation): a grid of two timeouts by two intervals, two seeds a cell; the short-timeout
// cells lost peers and saved their worst run's trace, the others lost none.

import { cellResult } from '../../explore/sweep/cell-result.ts';
import { sweepSpecOf } from '../../explore/sweep/resolve-sweep-cells.ts';
import { gridCells } from '../../explore/sweep/sweep-grid.ts';
import { buildSweepResult } from '../../explore/sweep/sweep-outputs.ts';
import type { SweepResult } from '../../explore/sweep/sweep-result.ts';
import { MODELS, PING_SCENARIO } from '../../scenario/testing/fixture-registry.ts';

export function pingSweepResult(): SweepResult {
  const spec = sweepSpecOf(
    {
      raw: PING_SCENARIO,
      source: 'ping fixture',
      scenarioArg: 'ping.json',
      settings: [],
      grid: ['ping.timeoutMs=300,100000', 'ping.intervalMs=50,100'],
      seeds: 2,
      seedBase: 0,
      traces: true,
    },
    MODELS,
  );
  const sweep = MODELS[0].sweep!;
  const cells = gridCells(spec.grid).map((cell) => {
    const lost = cell.cell['ping.timeoutMs'] === '300' ? 4 : 0;
    const runs = ['1', '2'].map((seed) => ({ seed, traceHash: `hash-${cell.index}-${seed}`, lost: lost === 0 ? 0 : lost + Number(seed), found: lost, violations: 0 }));
    return { result: cellResult(spec, cell, runs, sweep), runs };
  });
  return buildSweepResult(spec, cells);
}
