// TimerTable: a timer whose ring slot a younger timer took (more than the ring's span of ids
// later) is still found to cancel, to fire and to drop with its node, and the younger one too.
import { describe, expect, it } from 'vitest';
import { EventQueue, type SimEvent } from '../sim/event-queue.ts';
import { TimerTable } from './timer-table.ts';

/** Sets `n` timers on node 0 at times 1..n (id i+... in order); returns their ids. */
function setMany(table: TimerTable, n: number, node = 0): number[] {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) ids.push(table.set(node, i + 1, 0, { type: 't', i }));
  return ids;
}

function drain(queue: EventQueue, table: TimerTable): SimEvent[] {
  const out: SimEvent[] = [];
  for (let ev = queue.pop(); ev !== undefined; ev = queue.pop()) {
    table.fired(ev);
    out.push(ev);
  }
  return out;
}

// Far more ids than the ring has slots (2^14), so every slot is shared by several pending timers.
const MANY = 3 * (1 << 14) + 5;

describe('TimerTable', () => {
  it('finds every pending timer to cancel when ids outnumber its slots', () => {
    const queue = new EventQueue();
    const table = new TimerTable(queue);
    const ids = setMany(table, MANY);
    // cancel every other timer, the oldest (pushed out of their slots) as well as the youngest
    for (let i = 0; i < ids.length; i += 2) table.cancel(ids[i]);
    for (let i = 0; i < ids.length; i += 2) table.cancel(ids[i]); // twice: harmless
    expect(table.cancelled).toBe(Math.ceil(MANY / 2));
    const fired = drain(queue, table).map((ev) => (ev.payload as { i: number }).i);
    expect(fired).toEqual(ids.map((_, i) => i).filter((i) => i % 2 === 1));
    // all fired or cancelled: nothing left to cancel
    for (const id of ids) table.cancel(id);
    expect(table.cancelled).toBe(Math.ceil(MANY / 2));
  });

  it('a fired timer is gone: cancelling its id later does not touch a younger timer in its slot', () => {
    const queue = new EventQueue();
    const table = new TimerTable(queue);
    const [first] = setMany(table, 1);
    drain(queue, table);
    const younger = setMany(table, MANY);
    table.cancel(first);
    expect(table.cancelled).toBe(0);
    expect(drain(queue, table)).toHaveLength(younger.length);
  });

  it('drops the timers of a node, pushed out of their slots or not, and keeps the others', () => {
    const queue = new EventQueue();
    const table = new TimerTable(queue);
    setMany(table, MANY, 0);
    const kept = setMany(table, 10, 1);
    table.dropNode(0);
    expect(table.cancelled).toBe(MANY);
    expect(drain(queue, table).map((ev) => ev.ref)).toEqual(kept);
  });
});
