// RequestDeadlineTimers on its own: one timer per connection, armed at the earliest deadline,
// re-armed only for an earlier one; takeDue hands out what is past its deadline, earliest first,
// and arms the timer for the rest.

import { describe, expect, it } from 'vitest';
import { RecordingContext } from '../testing/recording-context.ts';
import type { KafkaTimer } from '../timers.ts';
import { RequestDeadlineTimers } from './request-deadline-timers.ts';

const TIMERS: KafkaTimer[] = [0, 1].map((broker) => ({ type: 'request-timeout', broker }));

describe('RequestDeadlineTimers', () => {
  it('arms one timer per connection, at the earliest deadline; a later deadline arms nothing, an earlier one re-arms', () => {
    const ctx = new RecordingContext();
    const timers = new RequestDeadlineTimers(2, TIMERS);
    timers.arm(ctx, 0, 30);
    timers.arm(ctx, 0, 40);
    timers.arm(ctx, 1, 35);
    expect(ctx.timers.map((t) => [t.timer, t.atUs])).toEqual([
      [TIMERS[0], 30],
      [TIMERS[1], 35],
    ]);
    timers.arm(ctx, 0, 20);
    expect([...ctx.cancelled]).toEqual([1]);
    expect(ctx.timers.at(-1)!.atUs).toBe(20);
    timers.fired(0);
    timers.arm(ctx, 0, 50); // unarmed after firing: any deadline arms it
    expect(ctx.timers.at(-1)!.atUs).toBe(50);
    timers.clear(); // a new process: no timer of the old one counts
    timers.arm(ctx, 1, 60);
    expect(ctx.timers.at(-1)!.atUs).toBe(60);
  });

  it('takeDue returns what is past its deadline, earliest first and in order among equals, and arms for the rest', () => {
    const ctx = new RecordingContext();
    const timers = new RequestDeadlineTimers(2, TIMERS);
    const waiting = [
      { name: 'a', deadlineUs: 20 },
      { name: 'b', deadlineUs: 10 },
      { name: 'c', deadlineUs: 40 },
      { name: 'd', deadlineUs: 10 },
    ];
    ctx.nowUs = 20;
    expect(timers.takeDue(ctx, 1, waiting).map((w) => w.name)).toEqual(['b', 'd', 'a']);
    expect(waiting.map((w) => w.name)).toEqual(['c']);
    expect(ctx.timers.map((t) => [t.timer, t.atUs])).toEqual([[TIMERS[1], 40]]);
    ctx.nowUs = 40;
    expect(timers.takeDue(ctx, 1, waiting).map((w) => w.name)).toEqual(['c']);
    expect(ctx.timers).toHaveLength(1); // nothing left: not armed again
  });
});
