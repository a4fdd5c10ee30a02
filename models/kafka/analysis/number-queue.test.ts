// NumberQueue keeps its store when emptied and drops a long consumed prefix: neither may lose,
// repeat or reorder what is still queued.
import { describe, expect, it } from 'vitest';
import { NumberQueue } from './number-queue.ts';

const queued = (q: NumberQueue) => q.items.slice(q.head, q.end);

describe('NumberQueue', () => {
  it('starts over when emptied, without reading what was there before', () => {
    const q = new NumberQueue();
    q.push2(1, 10);
    q.push2(2, 20);
    q.consumedTo(4);
    expect(q.isEmpty).toBe(true);
    q.push2(3, 30);
    expect(queued(q)).toEqual([3, 30]);
    q.clear();
    expect(queued(q)).toEqual([]);
    q.push4(4, 40, 400, 4000);
    expect(queued(q)).toEqual([4, 40, 400, 4000]);
  });

  it('drops a long consumed prefix and keeps the rest in order', () => {
    const q = new NumberQueue();
    for (let i = 0; i < 3000; i++) q.push2(i, -i);
    q.consumedTo(1000); // past the threshold but not half the queue: only skipped
    expect(q.head).toBe(1000);
    q.consumedTo(4000); // 2000 rows consumed, more than half the queue: compacted
    expect(q.head).toBe(0);
    expect(queued(q)).toEqual(Array.from({ length: 2000 }, (_, k) => (k % 2 === 0 ? 2000 + k / 2 : -(2000 + (k - 1) / 2))));
    q.push2(3000, -3000);
    expect(queued(q).slice(-2)).toEqual([3000, -3000]);
    q.consumedTo(10); // a short prefix is only skipped
    expect(q.head).toBe(10);
    expect(queued(q)[0]).toBe(2005);
  });
});
