// A run that throws is marked with the run it came from; a user's mistake (a run limit) is not.
import { describe, expect, it } from 'vitest';
import { RunLimitError } from '../sim/run-limit-error.ts';
import { addReproduction, crashedRunOf } from './crashed-run.ts';
import { resolveScenario } from './resolve-scenario.ts';
import { runResolved } from './run-scenario.ts';
import { MODELS, PING_SCENARIO } from './testing/fixture-registry.ts';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('crashed runs', () => {
  it("marks a model's assertion with the scenario, model and seed, unchanged otherwise", () => {
    const e = thrown(() => runResolved(resolveScenario(PING_SCENARIO, MODELS, { settings: ['ping.bug="assert"'], seed: '9' })));
    expect((e as Error).message).toMatch(/^ping: assertion failed: n\d lost n\d$/);
    expect(crashedRunOf(e)).toEqual({ scenario: 'ping', model: 'ping', seed: '9', reproduce: [] });
    addReproduction(e, 'ksim run --seed 9');
    expect(crashedRunOf(e)?.reproduce).toEqual(['ksim run --seed 9']);
  });

  it('leaves a run limit (a user error) unmarked', () => {
    const e = thrown(() => runResolved(resolveScenario(PING_SCENARIO, MODELS, { settings: ['limits.eventsMax=50'] })));
    expect(e).toBeInstanceOf(RunLimitError);
    expect(crashedRunOf(e)).toBeUndefined();
  });
});
