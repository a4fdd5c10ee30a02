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

/** Preset, partitions, seed: trace hash (the stream before quiet partitions were skipped, re-recorded when request timeouts became one timer per connection, and when 2.8+ followers truncated on fetch, KAFKA-10554; msk-3az-outage 96 when follower fetches came to end at a batch boundary; rolling-restart 96 when KRaft's controlled-shutdown wait became 5 minutes, its unused timer firing after the run; all but the fault-free ones when controller-side ISR removals gained byController (ISR counts as Kafka's metrics count them)). */
const PINNED: [string, number, string, string][] = [
  ['msk-3az-outage', 96, '1', '35b18f641bd41409'],
  ['apache-defaults', 24, '2', 'de3298ea72eebab4'],
  ['rolling-restart', 96, '1', 'aac6da8a99d936bf'],
  ['check-small', 24, '3', '33cbf29333726ab5'],
  ['study-az-outages', 96, '1', 'e9fc7373a37a0643'],
  ['study-power-loss', 24, '1', '65df7708e995af95'],
  ['study-rack-placement', 96, '2', '6cab9373e9ca3f74'],
  ['study-producer-ordering', 24, '4', '652129e7a58c6108'],
];

describe('trace hashes with many partitions (behaviour pins)', () => {
  for (const [name, partitions, seed, hash] of PINNED)
    it(`${name} with ${partitions} partitions at seed ${seed}`, () => {
      const raw = benchVariant(SCENARIO_PRESETS[name], { partitions });
      expect(runResolved(resolveScenario(raw, MODELS, { seed })).traceHash).toBe(hash);
    });
});
