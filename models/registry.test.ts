// The model registry as the CLI loads it: every preset (and the default scenario) resolves, and
// its resolved form resolves to itself, so the traces of every preset replay (a replay resolves
// the header's already resolved scenario again). And every model says how to sweep and draw it.
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../src/scenario/resolve-scenario.ts';
import { replayProblem } from '../src/trace/replay.ts';
import { DEFAULT_SCENARIO, MODELS, SCENARIO_PRESETS } from './index.ts';

describe('model registry', () => {
  it.each(Object.entries({ 'the default scenario': DEFAULT_SCENARIO, ...SCENARIO_PRESETS }))(
    'resolves the resolved form of %s to itself, so its traces replay',
    (_name, raw) => {
      expect(replayProblem(resolveScenario(raw, MODELS), MODELS)).toBeUndefined();
    },
  );

  it('gives every model sweep figures and a timeline, and every study a preset', () => {
    for (const m of MODELS) {
      expect(m.sweep, m.name).toBeDefined();
      expect(m.timeline, m.name).toBeDefined();
      for (const study of m.sweep?.studies ?? []) expect(Object.keys(SCENARIO_PRESETS)).toContain(study.scenario);
    }
  });
});
