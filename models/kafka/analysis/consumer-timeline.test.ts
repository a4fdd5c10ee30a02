// The read frontier of ConsumerTimeline (what consumer-causes.ts asks: how far any consumer had
// read a partition by a time), stored compactly: one row per time, 32-bit offsets that widen.

import { describe, expect, it } from 'vitest';
import type { KafkaEvent } from '../kafka-events.ts';
import { ConsumerTimeline } from './consumer-timeline.ts';

const poll = (toOffset: number) => ({ type: 'poll', partition: 'x-0', toOffset }) as unknown as KafkaEvent;

describe('ConsumerTimeline read frontier', () => {
  it('answers the furthest offset read by a time: later polls at one time supersede, lower ones do not count', () => {
    const t = new ConsumerTimeline('__consumer_offsets');
    t.record(100, 0, poll(5));
    t.record(100, 0, poll(8));
    t.record(200, 0, poll(7)); // behind the frontier: no row
    t.record(300, 0, poll(2 ** 40)); // past 32 bits: the column widens
    t.record(400, 0, poll(2 ** 40 + 1));
    expect([t.frontierAt('x-0', 99), t.frontierAt('x-0', 100), t.frontierAt('x-0', 250), t.frontierAt('x-0', 300), t.frontierAt('x-0', 1e9)]).toEqual([0, 8, 8, 2 ** 40, 2 ** 40 + 1]);
    expect(t.frontierAt('y-0', 1e9)).toBe(0);
  });
});
