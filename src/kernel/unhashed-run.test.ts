// A run without its trace hash (RunOptions.unhashed, as ksim check's generated runs): the same
// events, trace lines, violations and figures as the hashed run, only no hash; and the hashed run
// of the same scenario still names it by its 16-hex-digit hash, which faults change.
import { describe, expect, it } from 'vitest';
import type { LineSink } from './event-log.ts';
import { MODELS, PING_SCENARIO } from '../scenario/testing/fixture-registry.ts';
import { resolveScenario } from '../scenario/resolve-scenario.ts';
import { runResolved } from '../scenario/run-scenario.ts';

const faults = [
  { atMs: 1000, kind: 'isolate-node', node: 'n2', durationMs: 500 },
  { atMs: 3000, kind: 'crash', node: 'n2', durationMs: 200 },
];

function lines(): { sink: LineSink; seen: string[] } {
  const seen: string[] = [];
  return { sink: { line: (i, text) => void seen.push(`${i} ${text}`) }, seen };
}

describe('unhashed runs', () => {
  it('log the same event stream as hashed ones, with "unhashed" for the hash', () => {
    const res = () => resolveScenario({ ...PING_SCENARIO, faults }, MODELS);
    const a = lines();
    const b = lines();
    const hashed = runResolved(res(), { lineSink: a.sink });
    const unhashed = runResolved(res(), { lineSink: b.sink, unhashed: true });
    expect(hashed.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(unhashed.traceHash).toBe('unhashed');
    expect(b.seen.length).toBeGreaterThan(100);
    expect(b.seen).toEqual(a.seen);
    expect({ ...unhashed, traceHash: 'x' }).toEqual({ ...hashed, traceHash: 'x' });
  });

  it('hashing stays on by default and tells runs apart', () => {
    const plain = runResolved(resolveScenario(PING_SCENARIO, MODELS));
    const faulted = runResolved(resolveScenario({ ...PING_SCENARIO, faults }, MODELS));
    expect(plain.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(faulted.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(faulted.traceHash).not.toBe(plain.traceHash);
  });
});
