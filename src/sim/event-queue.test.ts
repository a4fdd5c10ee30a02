import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.ts';

describe('EventQueue', () => {
  it('pops by time, and events at the same time in insertion order', () => {
    const q = new EventQueue();
    q.push(5, 0, 0, -1, 0, 'c');
    q.push(1, 0, 0, -1, 0, 'a');
    q.push(5, 0, 0, -1, 0, 'd');
    q.push(3, 0, 0, -1, 0, 'b');
    q.push(5, 0, 0, -1, 0, 'e');
    const out: unknown[] = [];
    while (q.size > 0) out.push(q.pop()!.payload);
    expect(out).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(q.pop()).toBeUndefined();
    expect(q.peekTimeUs()).toBe(Infinity);
  });

  it('any interleaving of pushes and pops always pops the least (time, seq) queued', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(-1)), { maxLength: 300 }), (ops) => {
        const q = new EventQueue();
        const reference: { t: number; s: number }[] = [];
        for (const op of ops) {
          if (op >= 0) {
            reference.push({ t: op, s: q.push(op, 0, 0, -1, 0, null).seq });
          } else if (reference.length > 0) {
            reference.sort((a, b) => a.t - b.t || a.s - b.s);
            const want = reference.shift()!;
            const ev = q.pop()!;
            expect([ev.timeUs, ev.seq]).toEqual([want.t, want.s]);
          }
          expect(q.size).toBe(reference.length);
        }
      }),
    );
  });

  it('a drained queue returns every pushed event exactly once in sorted order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 500 }), (times) => {
        const q = new EventQueue();
        times.forEach((t) => q.push(t, 0, 0, -1, 0, null));
        const out: [number, number][] = [];
        while (q.size > 0) {
          const ev = q.pop()!;
          out.push([ev.timeUs, ev.seq]);
        }
        const expected = times.map((t, i) => [t, i] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(out).toEqual(expected);
      }),
    );
  });
});
