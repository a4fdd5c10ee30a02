// Checks a whole sweep before anything runs: every cell's scenario (base scenario, fixed settings,
// cell settings) must resolve, and to the same model, one that says how to sweep it; so an unknown
// grid key or a bad value is refused at once, as a one-line UserError naming the key, rather than
// in a worker halfway through the sweep. Then states the sweep's spec.

import type { ModelDefinition } from '../../scenario/model-definition.ts';
import type { ModelSweep } from '../../scenario/model-sweep.ts';
import { resolveScenario } from '../../scenario/resolve-scenario.ts';
import { UserError } from '../../scenario/user-error.ts';
import { KSIM_VERSION } from '../../trace/trace-format.ts';
import { gridCells, parseGrid, type GridAxis, type GridCell } from './sweep-grid.ts';
import { canonicalJson, sha256, SWEEP_SPEC_KIND, type SweepSpec } from './sweep-spec.ts';

interface ResolvedSweep {
  cells: GridCell[];
  /** The base scenario's resolved name. */
  scenarioName: string;
  model: string;
  sweep: ModelSweep;
}

/** The cells of the sweep, each checked, with the base scenario's name and its model's sweep definition. */
export function resolveSweepCells(
  raw: unknown,
  spec: { settings: readonly string[]; grid: readonly GridAxis[] },
  models: readonly ModelDefinition[],
): ResolvedSweep {
  const base = resolveScenario(raw, models, { settings: spec.settings });
  const { definition } = base;
  if (!definition.sweep) throw new UserError(`model "${definition.name}" does not say how to sweep it (its definition has no sweep figures)`);
  const cells = gridCells(spec.grid);
  for (const cell of cells) {
    let model: string;
    try {
      model = resolveScenario(raw, models, { settings: [...spec.settings, ...cell.settings] }).definition.name;
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      // The message names the setting the cell made (`--set acks=2: ...`, `--set ack: unknown
      // config key`): a grid axis's is named as the --grid the user typed.
      const isGridKey = spec.grid.some((a) => e.message.startsWith(`--set ${a.key}:`) || e.message.startsWith(`--set ${a.key}=`));
      const message = isGridKey ? e.message.replace(/^--set /, '--grid ') : e.message;
      throw new UserError(`${message} (in the cell ${cell.settings.join(' ')})`);
    }
    if (model !== definition.name)
      throw new UserError(`the cell ${cell.settings.join(' ')} runs model "${model}", not "${definition.name}": a sweep compares one model's configurations`);
  }
  return { cells, scenarioName: base.scenario.name, model: definition.name, sweep: definition.sweep };
}

export interface SweepRequest {
  /** The base scenario, as loaded. */
  raw: unknown;
  /** "preset NAME", "file my.json", "default scenario". */
  source: string;
  /** The --scenario argument as given; null for the default scenario. */
  scenarioArg: string | null;
  settings: string[];
  /** The --grid flags as given. */
  grid: readonly string[];
  seeds: number;
  seedBase: number;
  traces: boolean;
}

/** The spec of the sweep a request describes, checked: every cell resolves. */
export function sweepSpecOf(request: SweepRequest, models: readonly ModelDefinition[]): SweepSpec {
  const grid = parseGrid(request.grid, request.settings);
  const { scenarioName, model } = resolveSweepCells(request.raw, { settings: request.settings, grid }, models);
  return {
    kind: SWEEP_SPEC_KIND,
    ksimVersion: KSIM_VERSION,
    source: request.source,
    scenarioArg: request.scenarioArg,
    scenarioName,
    model,
    scenarioSha256: sha256(canonicalJson(request.raw)),
    settings: request.settings,
    grid,
    seeds: request.seeds,
    seedBase: request.seedBase,
    traces: request.traces,
  };
}
