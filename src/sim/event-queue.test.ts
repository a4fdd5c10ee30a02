import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue, type SimEvent } from './event-queue.ts';

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

  it('cancelled events never pop, and the live ones pop in (time, seq) order through compactions', () => {
    let compactions = 0;
    fc.assert(
      fc.property(
        // push a time, pop (-1), or cancel the k-th oldest still queued (-2 - k)
        fc.array(
          fc.oneof(
            { arbitrary: fc.integer({ min: 0, max: 50 }), weight: 6 },
            { arbitrary: fc.constant(-1), weight: 1 },
            { arbitrary: fc.integer({ min: -40, max: -2 }), weight: 4 },
          ),
          { minLength: 100, maxLength: 1000 },
        ),
        (ops) => {
          const q = new EventQueue(4);
          const queued: SimEvent[] = [];
          for (const op of ops) {
            if (op >= 0) {
              queued.push(q.push(op, 0, 0, -1, 0, `e${op}`));
            } else if (op === -1) {
              queued.sort((a, b) => a.timeUs - b.timeUs || a.seq - b.seq);
              const want = queued.shift();
              const ev = q.pop();
              expect(ev).toBe(want);
            } else if (queued.length > 0) {
              const [ev] = queued.splice((-2 - op) % queued.length, 1);
              q.cancel(ev);
              q.cancel(ev); // twice is harmless
            }
            expect(q.size).toBe(queued.length);
            expect(q.peekTimeUs()).toBe(queued.length === 0 ? Infinity : Math.min(...queued.map((e) => e.timeUs)));
          }
          compactions += q.stats.compactions;
        },
      ),
    );
    expect(compactions).toBeGreaterThan(0);
  });

  it('a set-and-cancel timeout per request keeps the heap at the live events, not the cancelled ones', () => {
    const q = new EventQueue();
    let t = 0;
    // 20,000 requests: each schedules a 30 s timeout and its response 1 ms later, which cancels it.
    for (let i = 0; i < 20_000; i++) {
      const timeout = q.push(t + 30_000_000, 2, 0, -1, 0, 'timeout');
      q.push(t + 1000, 0, 0, -1, 0, 'response');
      const response = q.pop()!;
      if (response.payload !== 'response') throw new Error(`popped ${String(response.payload)}`);
      t = response.timeUs;
      q.cancel(timeout);
    }
    expect(q.size).toBe(0);
    expect(q.stats.cancelledPopped).toBe(0);
    expect(q.pop()).toBeUndefined();
    expect(q.stats.cancelled).toBe(20_000);
    // compaction runs once the cancelled entries outnumber the live ones (and pass 256)
    expect(q.stats.lengthMax).toBeLessThanOrEqual(258);
    expect(q.stats.compactions).toBeGreaterThan(60);
  });
});
