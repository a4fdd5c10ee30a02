// Timers in the kernel: a cancelled timer never fires (also one parked by a pause and re-queued at
// the resume), the timers of a process that went down never fire and leave the queue at once, and
// a stale or repeated cancel does nothing. Cancelled timers are not dispatched events.
import { describe, expect, it } from 'vitest';
import { DEFAULT_NETWORK } from '../net/network-config.ts';
import { Topology } from '../net/topology.ts';
import { NOISE_OFF } from '../faults/noise-config.ts';
import type { Fault } from '../faults/fault.ts';
import type { Model, ModelOutcome, NodeContext } from '../sim/model.ts';
import { SeededChoices } from '../sim/seeded-choices.ts';
import { msToUs } from '../sim/time.ts';
import { DEFAULT_LIMITS } from './run-limits.ts';
import { Simulation, type RunOutcome } from './simulation.ts';

type Tick = { type: 'tick'; label: string };
type Ctx = NodeContext<Tick, Tick>;

/**
 * At each start, sets a timer per entry of `plan` (label -> delay in ms); when a timer fires, cancels
 * the timers its entry in `cancels` names (label -> labels), by the ids the start returned.
 */
class TimerModel implements Model<Tick, Tick> {
  readonly fired: string[] = [];
  private ids = new Map<string, number>();

  constructor(
    private readonly plan: Record<string, number>,
    private readonly cancels: Record<string, string[]> = {},
  ) {}

  onStart(ctx: Ctx): void {
    this.ids = new Map();
    for (const [label, ms] of Object.entries(this.plan)) this.ids.set(label, ctx.setTimer(msToUs(ms), { type: 'tick', label }));
  }

  onTimer(ctx: Ctx, t: Tick): void {
    this.fired.push(`${ctx.nowUs / 1000} ${t.label}`);
    for (const label of this.cancels[t.label] ?? []) {
      ctx.cancelTimer(this.ids.get(label)!);
      ctx.cancelTimer(this.ids.get(label)!); // twice: harmless
    }
    ctx.cancelTimer(this.ids.get(t.label)!); // its own id, already fired: harmless
  }

  onMessage(): void {}
  onDown(): void {}
  finish(): ModelOutcome {
    return { stats: {}, violations: [] };
  }
}

function run(model: TimerModel, faults: Fault[] = []): RunOutcome {
  const sim = new Simulation<Tick, Tick>({
    topology: new Topology([{ name: 'n1', az: 'az1' }]),
    network: DEFAULT_NETWORK,
    choices: new SeededChoices('timers'),
    faults,
    noise: NOISE_OFF,
    limits: DEFAULT_LIMITS,
    durationMs: 1000,
  });
  return sim.run(model);
}

describe('kernel timers', () => {
  it('a cancelled timer never fires and is not a dispatched event', () => {
    const model = new TimerModel({ a: 10, timeout: 30_000, b: 20 }, { a: ['timeout'] });
    const outcome = run(model);
    expect(model.fired).toEqual(['10 a', '20 b']);
    expect(outcome.kernel.timersFired).toBe(2);
    expect(outcome.kernel.timersCancelled).toBe(1);
    // the two timers that fired, nothing else: the cancelled one is no event (the run stops at 1 s)
    expect(outcome.kernel.events).toBe(2);
  });

  it('a timer parked by a pause and re-queued at the resume can still be cancelled', () => {
    // Both are due during the pause and run at its end, in order: a fires first and cancels timeout.
    const model = new TimerModel({ a: 10, timeout: 12 }, { a: ['timeout'] });
    run(model, [{ atMs: 5, kind: 'pause', node: 'n1', durationMs: 25 }]);
    expect(model.fired).toEqual(['30 a']);
  });

  it('the timers of a process that went down never fire; the restarted process sets its own', () => {
    const model = new TimerModel({ a: 50, b: 300 });
    const outcome = run(model, [{ atMs: 100, kind: 'crash', node: 'n1', durationMs: 100 }]);
    // b of the first process (due at 300) died with it at 100; the restart at 200 set a and b again
    expect(model.fired).toEqual(['50 a', '250 a', '500 b']);
    expect(outcome.kernel.timersCancelled).toBe(1);
    expect(outcome.kernel.cancelledPopped).toBe(1);
  });
});
