// Short names for sweep cells, for chart axes and legends: "interval=100 timeout=300". A
// model may abbreviate its long keys (its sweep definition's keyAbbreviations); any other key is
// kept whole so a label never hides which setting it is.

import type { ModelSweep } from '../scenario/model-sweep.ts';
import type { CellResult } from '../explore/sweep/sweep-result.ts';

export function shortKey(key: string, sweep: ModelSweep): string {
  return sweep.keyAbbreviations?.[key] ?? key;
}

/** The cell's grid values in grid order; "(base scenario)" for a sweep without a grid. */
export function cellLabel(cell: CellResult, sweep: ModelSweep): string {
  const parts = Object.entries(cell.cell).map(([key, value]) => `${shortKey(key, sweep)}=${value}`);
  return parts.length > 0 ? parts.join(' ') : '(base scenario)';
}
