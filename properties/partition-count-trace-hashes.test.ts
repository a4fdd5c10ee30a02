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

/** Preset, partitions, seed: trace hash (the stream before quiet partitions were skipped, re-recorded when request timeouts became one timer per connection, and when 2.8+ followers truncated on fetch, KAFKA-10554; msk-3az-outage 96 when follower fetches came to end at a batch boundary; rolling-restart 96 when KRaft's controlled-shutdown wait became 5 minutes, its unused timer firing after the run; all when the clients' Metadata requests began to wait the refresh backoff). */
const PINNED: [string, number, string, string][] = [
  ['msk-3az-outage', 96, '1', 'b5f05500f2642f3a'],
  ['apache-defaults', 24, '2', '89dfe0416563d287'],
  ['rolling-restart', 96, '1', '2d91df13bc2e49f9'],
  ['check-small', 24, '3', 'd3e595cb96200661'],
  ['study-az-outages', 96, '1', '0e964efc1db8ea66'],
  ['study-power-loss', 24, '1', 'ca5c3b7f617577d4'],
  ['study-rack-placement', 96, '2', '1a3fc26b3a7b6c06'],
  ['study-producer-ordering', 24, '4', '5da9c5bd30373d0e'],
];

describe('trace hashes with many partitions (behaviour pins)', () => {
  for (const [name, partitions, seed, hash] of PINNED)
    it(`${name} with ${partitions} partitions at seed ${seed}`, () => {
      const raw = benchVariant(SCENARIO_PRESETS[name], { partitions });
      expect(runResolved(resolveScenario(raw, MODELS, { seed })).traceHash).toBe(hash);
    });
});
