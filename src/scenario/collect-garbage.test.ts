import { describe, expect, it } from 'vitest';
import { collectAfterSimulation, LONG_RUN_EVENTS } from './collect-garbage.ts';

/** A WeakRef to an ArrayBuffer nothing else holds (made in its own job: a WeakRef keeps its target for the job that made it). */
async function unreachableBuffer(): Promise<WeakRef<ArrayBuffer>> {
  const ref = new WeakRef(new ArrayBuffer(8 << 20));
  await new Promise((resolve) => setTimeout(resolve, 0));
  return ref;
}

describe('collectAfterSimulation', () => {
  it('frees what nothing holds any more after a long run', async () => {
    const ref = await unreachableBuffer();
    expect(collectAfterSimulation(LONG_RUN_EVENTS)).toBe(true);
    expect(ref.deref() === undefined).toBe(true); // not toBeUndefined: a failure would print 8 MB
  });

  it('leaves a short run alone (a major GC would cost more than it holds)', async () => {
    expect(collectAfterSimulation(LONG_RUN_EVENTS - 1)).toBe(false);
  });

  it('leaves --expose-gc as it was', () => {
    collectAfterSimulation(LONG_RUN_EVENTS);
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
  });
});
