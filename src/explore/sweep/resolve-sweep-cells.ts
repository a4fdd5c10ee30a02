// Checks a whole sweep before anything runs: every cell's scenario (base scenario, fixed settings,
// cell settings) must resolve, so an unknown grid key or a bad value is refused at once, as a
// one-line UserError naming the key, rather than in a worker halfway through the sweep.

import { MODELS } from '../../../models/index.ts';
import { resolveScenario } from '../../scenario/resolve-scenario.ts';
import { UserError } from '../../scenario/user-error.ts';
import { gridCells, type GridCell } from './sweep-grid.ts';
import type { SweepSpec } from './sweep-spec.ts';

/** The cells of the sweep, each checked; returns the base scenario's resolved name too. */
export function resolveSweepCells(raw: unknown, spec: Pick<SweepSpec, 'settings' | 'grid'>): { cells: GridCell[]; scenarioName: string } {
  const base = resolveScenario(raw, MODELS, { settings: spec.settings });
  const cells = gridCells(spec.grid);
  for (const cell of cells) {
    try {
      resolveScenario(raw, MODELS, { settings: [...spec.settings, ...cell.settings] });
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      const isGridKey = spec.grid.some((a) => e.message.startsWith(`--set ${a.key}:`));
      const message = isGridKey ? e.message.replace(/^--set /, '--grid ') : e.message;
      throw new UserError(`${message} (in the cell ${cell.settings.join(' ')})`);
    }
  }
  return { cells, scenarioName: base.scenario.name };
}
