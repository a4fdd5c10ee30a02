// The split of a check's CPU by kind of thread (worker-thread-cpu.ts): the worker threads named in
// the shared slots, the main thread (the process id) and every other thread; on hand-made
// readings (with a thread that started in between and an unwritten slot that names none), and on
// this process's own /proc.
import { describe, expect, it } from 'vitest';
import { noteThreadId, ownThreadId, threadCpuNow, threadCpuSplit, threadIdSlots } from './worker-thread-cpu.ts';

describe('threadCpuSplit', () => {
  it('counts the named worker threads, the main thread and the rest apart, from the first reading to the second', () => {
    const main = process.pid;
    const before = new Map([
      [main, 100],
      [901, 50], // a V8 helper
      [902, 0], // a worker thread, just started
    ]);
    const after = new Map([
      [main, 130],
      [901, 80],
      [902, 400],
      [903, 250], // a worker thread that started in between
      [904, 5], // a helper that started in between
    ]);
    const slots = threadIdSlots(3); // one slot left unwritten (0): it names no thread
    slots[0] = 902;
    slots[1] = 903;
    expect(threadCpuSplit(before, after, slots)).toEqual({ workers: 650, main: 30, helpers: 35 });
    expect(threadCpuSplit(null, after, slots)).toBeNull();
    expect(threadCpuSplit(before, null, slots)).toBeNull();
  });
});

describe.runIf(process.platform === 'linux')('on Linux', () => {
  it('a thread writes its own id into the first free slot, and never over another', () => {
    const slots = threadIdSlots(2);
    slots[0] = 12345;
    noteThreadId(slots);
    expect([...slots]).toEqual([12345, process.pid]); // the main thread's id is the process id
    noteThreadId(slots); // no free slot: nothing changes
    expect([...slots]).toEqual([12345, process.pid]);
    expect(ownThreadId()).toBe(process.pid);
  });

  it('reads this process threads, the main thread among them, and sees its CPU grow', () => {
    const first = threadCpuNow()!;
    expect(first.has(process.pid)).toBe(true);
    let now = first;
    let x = 0;
    for (let spins = 0; spins < 2000 && now.get(process.pid)! < first.get(process.pid)! + 20; spins++) {
      for (let i = 0; i < 1e6; i++) x += i % 7;
      now = threadCpuNow()!;
    }
    expect(x).toBeGreaterThan(0);
    expect(now.get(process.pid)!).toBeGreaterThanOrEqual(first.get(process.pid)! + 20);
  });
});
