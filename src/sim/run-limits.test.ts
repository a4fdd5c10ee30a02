import { describe, expect, it } from 'vitest';
import { MODELS } from '../../models/index.ts';
import { resolveScenario } from '../scenario/resolve-scenario.ts';
import { runResolved } from '../scenario/run-scenario.ts';
import { RunLimitError } from './run-limit-error.ts';

const heartbeat = (extra: Record<string, unknown>) => resolveScenario({ model: 'heartbeat', ...extra }, MODELS);

describe('run limits', () => {
  it('eventsMax stops a run with an error naming the limit', () => {
    expect(() => runResolved(heartbeat({ durationMs: 60_000, limits: { eventsMax: 500 } }))).toThrowError(
      /limits\.eventsMax=500/,
    );
  });

  it('a run without a duration that never goes quiet is stopped at virtualMsMax', () => {
    let err: unknown;
    try {
      runResolved(heartbeat({ limits: { virtualMsMax: 2000 } }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RunLimitError);
    expect((err as RunLimitError).limit).toBe('virtualMsMax');
  });

  it('a run within its limits ends at durationMs', () => {
    const r = runResolved(heartbeat({ durationMs: 2000, limits: { eventsMax: 100_000 } }));
    expect(r.virtualMs).toBe(2000);
    expect(r.events).toBeGreaterThan(0);
  });
});
