import { describe, expect, it } from 'vitest';
import { MODELS } from '../scenario/testing/fixture-registry.ts';
import { resolveScenario } from '../scenario/resolve-scenario.ts';
import { runResolved } from '../scenario/run-scenario.ts';
import { RunLimitError } from '../sim/run-limit-error.ts';

const ping = (extra: Record<string, unknown>) => resolveScenario({ model: 'ping', ...extra }, MODELS);

describe('run limits', () => {
  it('eventsMax stops a run with an error naming the limit', () => {
    expect(() => runResolved(ping({ durationMs: 60_000, limits: { eventsMax: 500 } }))).toThrowError(
      /limits\.eventsMax=500/,
    );
  });

  it('a run without a duration that never goes quiet is stopped at virtualMsMax', () => {
    let err: unknown;
    try {
      runResolved(ping({ limits: { virtualMsMax: 2000 } }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RunLimitError);
    expect((err as RunLimitError).limit).toBe('virtualMsMax');
  });

  it('a run that loops without virtual time moving on is stopped at once, not at eventsMax', () => {
    let err: unknown;
    try {
      runResolved(ping({ durationMs: 2000, ping: { intervalMs: 1e-300 } }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RunLimitError);
    expect((err as RunLimitError).limit).toBe('eventsAtOneInstant');
    expect((err as Error).message).toMatch(/1000000 events at t=0\.\d+s without virtual time moving on/);
  });

  it('a run within its limits ends at durationMs', () => {
    const r = runResolved(ping({ durationMs: 2000, limits: { eventsMax: 100_000 } }));
    expect(r.virtualMs).toBe(2000);
    expect(r.events).toBeGreaterThan(0);
  });
});

describe('model errors', () => {
  it('a send to a node that does not exist fails at once, naming the sender and the message', async () => {
    const { Simulation } = await import('./simulation.ts');
    const { DEFAULT_LIMITS } = await import('./run-limits.ts');
    const { Topology } = await import('../net/topology.ts');
    const { DEFAULT_NETWORK } = await import('../net/network-config.ts');
    const { NOISE_OFF } = await import('../faults/noise-config.ts');
    const { SeededChoices } = await import('../sim/seeded-choices.ts');
    const sim = new Simulation({
      topology: new Topology([{ name: 'a', az: 'az1' }]),
      network: DEFAULT_NETWORK,
      choices: new SeededChoices('1'),
      faults: [],
      noise: NOISE_OFF,
      limits: DEFAULT_LIMITS,
      durationMs: 10,
    });
    const model = {
      onStart: (ctx: { send(to: number, m: { type: string }): void }) => ctx.send(-1, { type: 'sync-group' }),
      onMessage() {},
      onTimer() {},
      onDown() {},
      finish: () => ({ stats: {}, violations: [] }),
    };
    expect(() => sim.run(model)).toThrowError(/node a sent sync-group to node index -1/);
  });
});
