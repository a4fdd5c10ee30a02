// Behaviour pins for many partitions: the presets whose first topic has 24 or 96 partitions give
// the trace hashes recorded here (the preset pins only cover their own 6). Per-partition work of
// the broker (fetch sessions' quiet partitions, broker/fetch-session.ts) is skipped where it
// changes nothing; these runs, with many partitions per session and the presets' faults, show
// the event stream is the same as when every partition was served on every fetch.
import { describe, expect, it } from 'vitest';
import { MODELS, SCENARIO_PRESETS } from '../models/index.ts';
import { benchVariant } from '../src/cli/bench-variant.ts';
import { resolveScenario } from '../src/scenario/resolve-scenario.ts';
import { runResolved } from '../src/scenario/run-scenario.ts';

/** Preset, partitions, seed: trace hash (recorded before quiet partitions were skipped). */
const PINNED: [string, number, string, string][] = [
  ['msk-3az-outage', 96, '1', 'd94dcbd5b2af4c07'],
  ['apache-defaults', 24, '2', '4c90d0dee78dff0d'],
  ['rolling-restart', 96, '1', '59f32c5597ffd099'],
  ['check-small', 24, '3', 'e517eb4b460e4208'],
  ['study-az-outages', 96, '1', '908d526d9d7a2a9c'],
  ['study-power-loss', 24, '1', 'b5c49995f15021e3'],
  ['study-rack-placement', 96, '2', 'be2568a7d7e8bca2'],
  ['study-producer-ordering', 24, '4', 'b67eb772e52d436f'],
];

describe('trace hashes with many partitions (behaviour pins)', () => {
  for (const [name, partitions, seed, hash] of PINNED)
    it(`${name} with ${partitions} partitions at seed ${seed}`, () => {
      const raw = benchVariant(SCENARIO_PRESETS[name], { partitions });
      expect(runResolved(resolveScenario(raw, MODELS, { seed })).traceHash).toBe(hash);
    });
});
