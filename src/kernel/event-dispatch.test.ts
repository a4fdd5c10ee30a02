// The checker dispatch table: a listener with declared types hears only those, one without hears
// everything, and within a type listeners keep their subscription order.
import { describe, expect, it } from 'vitest';
import { EventDispatch } from './event-dispatch.ts';

describe('EventDispatch', () => {
  it('routes each event type to the listeners that declared it and to those that take every type, in subscription order', () => {
    const heard: string[] = [];
    const d = new EventDispatch();
    const listener = (name: string) => (_t: number, _n: number, ev: { type: string }) => heard.push(`${name}:${ev.type}`);
    d.add(listener('appends'), ['append']);
    d.add(listener('all'), undefined);
    d.add(listener('hw-and-appends'), ['hw', 'append']);
    for (const type of ['append', 'hw', 'send', 'append'])
      for (const l of d.of(type)) l(0, 0, { type });
    expect(heard).toEqual([
      'appends:append', 'all:append', 'hw-and-appends:append',
      'all:hw', 'hw-and-appends:hw',
      'all:send',
      'appends:append', 'all:append', 'hw-and-appends:append',
    ]);
  });

  it('an event of a type nobody declared reaches no typed listener', () => {
    const d = new EventDispatch();
    d.add(() => {}, ['append']);
    expect(d.of('send')).toEqual([]);
    expect(d.of('append')).toHaveLength(1);
  });
});
