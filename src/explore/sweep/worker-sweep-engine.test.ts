// The sweep engine's promise: the same sweep.json whatever the worker count, shard split or
// interruption, and merge refusing shards of different sweeps. On the ping fixture, whose worker
// threads load the fixture registry: its scenario isolates a node, so cells with a short timeout
// lose peers (worst-run traces are saved, and replay) and cells with a long one lose none.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MODELS, PING_SCENARIO } from '../../scenario/testing/fixture-registry.ts';
import { replayTrace } from '../../trace/replay.ts';
import { sweepSpecOf, type SweepRequest } from './resolve-sweep-cells.ts';
import { mergeSweepDirs } from './sweep-merge.ts';
import { WHOLE_SWEEP } from './sweep-shard.ts';
import { executeSweep, type SweepProgress, type SweepRegistry } from './worker-sweep-engine.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-sweep-engine-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const REGISTRY: SweepRegistry = { models: MODELS, moduleUrl: new URL('../../scenario/testing/fixture-registry.ts', import.meta.url).href };

const REQUEST: SweepRequest = {
  raw: PING_SCENARIO,
  source: 'ping fixture',
  scenarioArg: 'ping.json',
  settings: ['durationMs=4000'],
  grid: ['ping.timeoutMs=300,100000', 'ping.intervalMs=50,100'],
  seeds: 4,
  seedBase: 0,
  traces: true,
};

function read(dir: string, file = 'sweep.json'): string {
  return fs.readFileSync(path.join(dir, file), 'utf8');
}

describe('sweep engine determinism', () => {
  const spec = sweepSpecOf(REQUEST, MODELS);
  const raw = REQUEST.raw;
  const dir = (name: string) => path.join(tmp, name);
  let reference = '';

  it('gives the same result with 1 and 2 workers', async () => {
    const one = await executeSweep({ spec, registry: REGISTRY, raw, outDir: dir('w1'), shard: WHOLE_SWEEP, workers: 1 });
    const two = await executeSweep({ spec, registry: REGISTRY, raw, outDir: dir('w2'), shard: WHOLE_SWEEP, workers: 2 });
    expect(one.result?.cells).toHaveLength(4);
    reference = read(dir('w1'));
    expect(read(dir('w2'))).toBe(reference);
    expect(read(dir('w2'), 'sweep.csv')).toBe(read(dir('w1'), 'sweep.csv'));
    expect(two.cellsMissing).toEqual([]);
    // A short timeout loses the isolated peer: those worst runs saved their trace, which replays.
    const lossy = one.result!.cells.filter((c) => Number(c.worst.lost) > 0);
    expect(lossy.map((c) => c.cell['ping.timeoutMs'])).toEqual(['300', '300']);
    for (const c of lossy) expect(replayTrace(path.join(dir('w1'), c.worst.tracePath!), MODELS).identical).toBe(true);
    expect(one.result!.cells.filter((c) => c.worst.tracePath === null)).toHaveLength(2);
  });

  it('merges shards 1/2 and 2/2 into the unsharded result', async () => {
    const s1 = await executeSweep({ spec, registry: REGISTRY, raw, outDir: dir('s1'), shard: { index: 1, count: 2 }, workers: 2 });
    const s2 = await executeSweep({ spec, registry: REGISTRY, raw, outDir: dir('s2'), shard: { index: 2, count: 2 }, workers: 2 });
    expect(s1.cellsMissing).toEqual([1, 3]);
    expect(s2.cellsMissing).toEqual([0, 2]);
    expect(fs.existsSync(path.join(dir('s1'), 'sweep.json'))).toBe(false);
    const merged = mergeSweepDirs([dir('s2'), dir('s1')], dir('merged'), MODELS);
    expect(merged.cellsMissing).toEqual([]);
    expect(read(dir('merged'))).toBe(reference);
  });

  it('resumes an interrupted sweep without redoing finished cells, to the same result', async () => {
    // Interrupted (as Ctrl-C does) once the first cell is persisted.
    const interrupt = new AbortController();
    const onProgress = (p: SweepProgress) => void (p.finished && interrupt.abort());
    const first = await executeSweep({ spec, registry: REGISTRY, raw, outDir: dir('resume'), shard: WHOLE_SWEEP, workers: 2, onProgress, signal: interrupt.signal });
    expect(first.interrupted).toBe(true);
    expect(first.result).toBeUndefined();
    const kept = fs.readdirSync(path.join(dir('resume'), 'cells')).filter((n) => n.endsWith('.json'));
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(kept.length).toBeLessThan(4);
    const second = await executeSweep({ spec, registry: REGISTRY, raw, outDir: dir('resume'), shard: WHOLE_SWEEP, workers: 2 });
    expect(second.cellsSkipped).toBe(kept.length);
    expect(second.cellsRun).toBe(4 - kept.length);
    expect(read(dir('resume'))).toBe(reference);
  });

  it('refuses to merge shards of different sweeps, or to reuse a directory for another sweep', async () => {
    const other = sweepSpecOf({ ...REQUEST, seeds: 2 }, MODELS);
    await executeSweep({ spec: other, registry: REGISTRY, raw, outDir: dir('other'), shard: { index: 2, count: 2 }, workers: 1 });
    expect(() => mergeSweepDirs([dir('s1'), dir('other')], dir('bad-merge'), MODELS)).toThrow(/shard of another sweep .*different seed count: 4 vs 2/);
    await expect(executeSweep({ spec: other, registry: REGISTRY, raw, outDir: dir('w1'), shard: WHOLE_SWEEP, workers: 1 })).rejects.toThrow(
      /holds another sweep \(different seed count/,
    );
  });
});
