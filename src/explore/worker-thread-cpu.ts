// Where a `ksim check --workers N` process spends its CPU, by kind of thread: the pool's worker
// threads (the simulation), this main thread (drawing shrink candidates, accepting answers), and
// every other thread of the process, which are V8's (concurrent TurboFan compiles, parallel and
// concurrent GC) and libuv's. A run's CPU and the speed-up over threads hang on that split (issue
// 14): with one worker, V8's helpers run on the second core beside it, so the one-worker rate
// already uses more than one core; with two workers on two cores they compete with the workers.
// The figures are not simulation output: they go only into the CLI's timing fields (cpuMs beside
// them), never into an outcome or a trace.
//
// Read from Linux's /proc: each thread's user and system ticks (utime, stime of
// /proc/self/task/TID/stat). Worker threads find their own id from /proc/thread-self and write it
// into a shared array the main thread gave them (threadIdSlots, noteThreadId). Elsewhere (no
// /proc) every figure is null. Like every src/explore/worker-* file this one is exempt from the
// determinism scan: it reads the clock of the machine, for the CLI.

import * as fs from 'node:fs';

/** CPU milliseconds of a check, by kind of thread. */
export interface ThreadCpuMs {
  workers: number;
  main: number;
  /** Every other thread of the process: V8's compiler and GC helpers, libuv's pool. */
  helpers: number;
}

/** Linux's USER_HZ: the unit of /proc's tick counts (100 on every mainstream kernel). */
const TICKS_PER_SECOND = 100;

/** The id of the calling thread (Linux: the TID in /proc/thread-self), or null where there is no /proc. */
export function ownThreadId(): number | null {
  try {
    return Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return null;
  }
}

/** Shared slots for `threads` worker thread ids (0: not written yet), handed to the pool's threads. */
export function threadIdSlots(threads: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * threads));
}

/** A worker thread writes its id into the first free slot (no-op without /proc or without a free slot). */
export function noteThreadId(slots: Int32Array): void {
  const tid = ownThreadId();
  if (tid === null) return;
  for (let i = 0; i < slots.length; i++) if (Atomics.compareExchange(slots, i, 0, tid) === 0) return;
}

/** CPU milliseconds of each thread of this process by id, now; null where there is no /proc. */
export function threadCpuNow(): Map<number, number> | null {
  let tids: string[];
  try {
    tids = fs.readdirSync('/proc/self/task');
  } catch {
    return null;
  }
  const out = new Map<number, number>();
  for (const tid of tids) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // it ended since the listing
    }
    // the fields after the command name, which is in parentheses and may hold spaces: utime, stime are 14th and 15th of the line
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(Number(tid), ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND);
  }
  return out;
}

/**
 * The CPU spent from `before` (threadCpuNow then) to `after`, split into the worker threads
 * named in `workerIds`, the main thread (whose id is the process id) and the rest. A thread that
 * ended in between is not counted (the pool's threads end after this is read).
 */
export function threadCpuSplit(before: Map<number, number> | null, after: Map<number, number> | null, workerIds: Int32Array): ThreadCpuMs | null {
  if (before === null || after === null) return null;
  const workers = new Set(workerIds);
  const out: ThreadCpuMs = { workers: 0, main: 0, helpers: 0 };
  for (const [tid, ms] of after) {
    const spent = ms - (before.get(tid) ?? 0);
    if (workers.has(tid)) out.workers += spent;
    else if (tid === process.pid) out.main += spent;
    else out.helpers += spent;
  }
  return out;
}
