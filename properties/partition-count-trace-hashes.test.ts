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

/** Preset, partitions, seed: trace hash (the stream before quiet partitions were skipped, re-recorded when request timeouts became one timer per connection). */
const PINNED: [string, number, string, string][] = [
  ['msk-3az-outage', 96, '1', 'c00a4c186e6a7ad0'],
  ['apache-defaults', 24, '2', '459ef7c0d312fafa'],
  ['rolling-restart', 96, '1', '0fea1ac037d8b056'],
  ['check-small', 24, '3', '9c9c53bea6f6d3b9'],
  ['study-az-outages', 96, '1', '01b44e01dcd49177'],
  ['study-power-loss', 24, '1', 'b55a0c9a0366a40a'],
  ['study-rack-placement', 96, '2', '6f939f2487c0eda5'],
  ['study-producer-ordering', 24, '4', '8783852fcbb06adb'],
];

describe('trace hashes with many partitions (behaviour pins)', () => {
  for (const [name, partitions, seed, hash] of PINNED)
    it(`${name} with ${partitions} partitions at seed ${seed}`, () => {
      const raw = benchVariant(SCENARIO_PRESETS[name], { partitions });
      expect(runResolved(resolveScenario(raw, MODELS, { seed })).traceHash).toBe(hash);
    });
});
