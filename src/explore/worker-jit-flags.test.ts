// The V8 tier-up threshold a check's pool sets (worker-jit-flags.ts): the doubled budget by
// default, nothing with KSIM_JIT_TUNING=0, and that the check pool sets it before its threads start.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as v8 from 'node:v8';
import { tuneJitForPools } from './worker-jit-flags.ts';

vi.mock('node:v8', async (importOriginal) => ({ ...(await importOriginal<typeof import('node:v8')>()), setFlagsFromString: vi.fn() }));

afterEach(() => {
  vi.unstubAllEnvs();
  vi.mocked(v8.setFlagsFromString).mockClear();
});

describe('tuneJitForPools', () => {
  it("doubles V8's interrupt budget (Node 20's default 67584)", () => {
    const set: string[] = [];
    expect(tuneJitForPools((f) => void set.push(f))).toBe('--interrupt-budget=135168');
    expect(set).toEqual(['--interrupt-budget=135168']);
  });

  it('sets nothing with KSIM_JIT_TUNING=0', () => {
    vi.stubEnv('KSIM_JIT_TUNING', '0');
    const set: string[] = [];
    expect(tuneJitForPools((f) => void set.push(f))).toBeNull();
    expect(set).toEqual([]);
  });

  it("is V8's own setter by default, called when a check pool is made", async () => {
    const { checkPool } = await import('./worker-check-engine.ts');
    const pool = checkPool(1, new URL('../../models/index.ts', import.meta.url).href, { raw: {}, settings: [] });
    try {
      expect(vi.mocked(v8.setFlagsFromString).mock.calls).toEqual([['--interrupt-budget=135168']]);
    } finally {
      await pool.destroy();
    }
  });
});
