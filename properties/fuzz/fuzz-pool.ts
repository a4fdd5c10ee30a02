// The fuzzer's pool of worker threads, each running ksim's command line in process (fuzz-worker.mjs)
// on one case at a time. A case gets a wall-time bound: a thread that has not answered by then is
// terminated (the case is a hang) and replaced. Each thread has a heap bound (resourceLimits): a
// case that exhausts it kills only its thread (the case is an abort), never the test process.

import { Worker } from 'node:worker_threads';

/** What one case did: an exit code, or "hang" (no answer in time) or "abort" (the thread died). */
export interface CaseResult {
  code: number | 'hang' | 'abort';
  err: string;
  outChars: number;
  wallMs: number;
  /** The thread's V8 heap (total size) after the case: it grows to the largest case run so far. */
  heapBytes: number;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  busy: boolean;
}

interface Job {
  argv: string[];
  timeoutMs: number;
  resolve: (r: CaseResult) => void;
}

const WORKER = new URL('./fuzz-worker.mjs', import.meta.url);

export class FuzzPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 0;

  constructor(
    size: number,
    private readonly caseTimeoutMs: number,
    private readonly heapMb: number,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER, { resourceLimits: { maxOldGenerationSizeMb: this.heapMb }, stdout: true, stderr: true });
    // A case's own output goes to the captured io; anything else a thread prints is dropped.
    worker.stdout.resume();
    worker.stderr.resume();
    const ready = new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    return { worker, ready, busy: false };
  }

  /** Runs `argv` as `ksim argv...` on the next free thread; `timeoutMs` overrides the pool's bound. */
  run(argv: string[], timeoutMs = this.caseTimeoutMs): Promise<CaseResult> {
    return new Promise((resolve) => {
      this.queue.push({ argv, timeoutMs, resolve });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (let i = 0; i < this.slots.length && this.queue.length > 0; i++) {
      if (this.slots[i].busy) continue;
      const job = this.queue.shift()!;
      this.slots[i].busy = true;
      void this.runOn(i, job);
    }
  }

  private async runOn(index: number, job: Job): Promise<void> {
    const slot = this.slots[index];
    await slot.ready;
    const id = this.nextId++;
    const start = performance.now();
    const result = await new Promise<CaseResult>((resolve) => {
      const done = (r: CaseResult) => {
        clearTimeout(timer);
        slot.worker.off('message', onMessage);
        slot.worker.off('error', onError);
        slot.worker.off('exit', onExit);
        resolve(r);
      };
      // The heap of a lost case is unknown: a hang's is not measured, an abort's is the bound.
      const lost = (code: 'hang' | 'abort', err: string) =>
        done({ code, err, outChars: 0, wallMs: performance.now() - start, heapBytes: code === 'abort' ? this.heapMb * 1024 * 1024 : 0 });
      const onMessage = (m: { id: number } & CaseResult) => {
        if (m.id === id) done(m);
      };
      const onError = (e: Error) => lost('abort', `${(e as NodeJS.ErrnoException).code ?? ''} ${e.message}`);
      const onExit = (code: number) => lost('abort', `the thread exited with ${code}`);
      const timer = setTimeout(() => lost('hang', `no answer in ${job.timeoutMs} ms`), job.timeoutMs);
      slot.worker.on('message', onMessage);
      slot.worker.on('error', onError);
      slot.worker.on('exit', onExit);
      slot.worker.postMessage({ id, argv: job.argv });
    });
    if (result.code === 'hang' || result.code === 'abort') {
      await slot.worker.terminate();
      this.slots[index] = this.spawn();
    }
    this.slots[index].busy = false;
    job.resolve(result);
    this.dispatch();
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
