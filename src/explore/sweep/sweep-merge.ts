// `ksim sweep merge DIR... --out DIR`: puts the shards of one sweep back together. Every input
// directory must hold the same spec (same ksim version, scenario, settings, grid, seeds, trace
// saving); a cell found in two inputs must be identical there. The cells and their worst-run
// traces are copied into the output directory (a sweep directory like any other, so a merge can
// also complete an unfinished sweep by running it there), and the final outputs are written when
// every cell is present: byte for byte what an unsharded sweep writes.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelDefinition } from '../../scenario/model-definition.ts';
import type { ModelSweep } from '../../scenario/model-sweep.ts';
import { UserError } from '../../scenario/user-error.ts';
import type { SweepResult } from './sweep-result.ts';
import { checkInputFile } from '../../files/input-file.ts';
import { copyFileAtomic } from '../../files/output-file.ts';
import { openSweepDir, readCells, readSpec, writeCell, type PersistedCell } from './cell-store.ts';
import { cellCount } from './sweep-grid.ts';
import { buildSweepResult, writeSweepOutputs, type WrittenOutputs } from './sweep-outputs.ts';
import type { VerdictClass } from '../../scenario/verdict.ts';
import { specDifference, type SweepSpec } from './sweep-spec.ts';

interface MergeOutcome {
  spec: SweepSpec;
  sweep: ModelSweep;
  cells: number;
  cellsMissing: number[];
  result?: SweepResult;
  outputs?: WrittenOutputs;
}

export function mergeSweepDirs(inputs: readonly string[], outDir: string, models: readonly ModelDefinition[], failOn?: readonly VerdictClass[]): MergeOutcome {
  if (inputs.length === 0) throw new UserError('sweep merge: name at least one shard directory');
  let spec: SweepSpec | undefined;
  let first = '';
  const merged = new Map<number, { cell: PersistedCell; dir: string }>();
  for (const dir of inputs) {
    const s = readSpec(dir);
    if (!s) throw new UserError(`sweep merge: "${dir}" is not a sweep directory (no sweep-spec.json)`);
    if (!spec) {
      spec = s;
      first = dir;
    } else {
      const why = specDifference(spec, s);
      if (why) throw new UserError(`sweep merge: "${dir}" is a shard of another sweep than "${first}" (${why})`);
    }
    for (const [index, cell] of readCells(dir, s)) {
      const earlier = merged.get(index);
      if (earlier && JSON.stringify(earlier.cell) !== JSON.stringify(cell))
        throw new UserError(`sweep merge: cell ${index} differs between "${earlier.dir}" and "${dir}"`);
      if (!earlier) merged.set(index, { cell, dir });
    }
  }
  const sweep = models.find((m) => m.name === spec!.model)?.sweep;
  if (!sweep) throw new UserError(`sweep merge: "${first}" is a sweep of model "${spec!.model}", which this ksim cannot sweep`);
  openSweepDir(outDir, spec!);
  const indices = [...merged.keys()].sort((a, b) => a - b);
  for (const index of indices) {
    const { cell, dir } = merged.get(index)!;
    const trace = cell.result.worst.tracePath;
    if (trace !== null && path.resolve(dir) !== path.resolve(outDir)) {
      const from = path.join(dir, trace);
      if (!fs.existsSync(from)) throw new UserError(`sweep merge: "${from}" is missing (cell ${index}'s worst-run trace)`);
      checkInputFile(from, `cell ${index}'s worst-run trace "${from}"`, Number.MAX_SAFE_INTEGER);
      const to = path.join(outDir, trace);
      if (path.relative(path.join(outDir, 'traces'), to).startsWith('..') || path.isAbsolute(trace))
        throw new UserError(`sweep merge: cell ${index} in "${dir}" names its trace "${trace}", outside the sweep's traces/ directory`);
      copyFileAtomic(from, to);
    }
    writeCell(outDir, cell);
  }
  const total = cellCount(spec!.grid);
  const all = readCells(outDir, spec!);
  const cellsMissing = Array.from({ length: total }, (_, i) => i).filter((i) => !all.has(i));
  const outcome: MergeOutcome = { spec: spec!, sweep, cells: all.size, cellsMissing };
  if (cellsMissing.length === 0) {
    outcome.result = buildSweepResult(spec!, [...all.values()], failOn);
    outcome.outputs = writeSweepOutputs(outDir, outcome.result, sweep);
  }
  return outcome;
}
