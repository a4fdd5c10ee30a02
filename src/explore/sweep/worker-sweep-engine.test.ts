// The sweep engine's promise: the same sweep.json whatever the worker count, shard split or
// interruption, and merge refusing shards of different sweeps. A short study scenario keeps it
// quick; acks=1 with unclean election loses records, so worst-run traces are exercised too.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sweepSpecFromOptions, type SweepCommandOptions } from '../../cli/sweep-command.ts';
import { mergeSweepDirs } from './sweep-merge.ts';
import { executeSweep } from './worker-sweep-engine.ts';
import { WHOLE_SWEEP } from './sweep-shard.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-sweep-engine-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const OPTIONS: SweepCommandOptions = {
  scenario: 'study-az-outages',
  // AZ power losses (not the preset's network outages) so that some cells lose records
  set: ['durationMs=6000', 'min.insync.replicas=1', 'noise.kinds=["az-outage"]', 'noise.intervalMsMean=1500'],
  grid: ['acks=1,all', 'unclean.leader.election.enable=false,true'],
  seeds: '4',
};

function read(dir: string, file = 'sweep.json'): string {
  return fs.readFileSync(path.join(dir, file), 'utf8');
}

describe('sweep engine determinism', () => {
  const { spec, raw } = sweepSpecFromOptions(OPTIONS);
  const dir = (name: string) => path.join(tmp, name);
  let reference = '';

  it('gives the same result with 1 and 2 workers', async () => {
    const one = await executeSweep({ spec, raw, outDir: dir('w1'), shard: WHOLE_SWEEP, workers: 1 });
    const two = await executeSweep({ spec, raw, outDir: dir('w2'), shard: WHOLE_SWEEP, workers: 2 });
    expect(one.result?.cells).toHaveLength(4);
    reference = read(dir('w1'));
    expect(read(dir('w2'))).toBe(reference);
    expect(read(dir('w2'), 'sweep.csv')).toBe(read(dir('w1'), 'sweep.csv'));
    expect(two.cellsMissing).toEqual([]);
    // acks=1 with unclean election loses records here, so a worst-run trace was saved and replays
    const lossy = one.result!.cells.filter((c) => c.worst.recordsLost > 0);
    expect(lossy.length).toBeGreaterThan(0);
    for (const c of lossy) expect(fs.existsSync(path.join(dir('w1'), c.worst.tracePath!))).toBe(true);
  });

  it('merges shards 1/2 and 2/2 into the unsharded result', async () => {
    const s1 = await executeSweep({ spec, raw, outDir: dir('s1'), shard: { index: 1, count: 2 }, workers: 2 });
    const s2 = await executeSweep({ spec, raw, outDir: dir('s2'), shard: { index: 2, count: 2 }, workers: 2 });
    expect(s1.cellsMissing).toEqual([1, 3]);
    expect(s2.cellsMissing).toEqual([0, 2]);
    expect(fs.existsSync(path.join(dir('s1'), 'sweep.json'))).toBe(false);
    const merged = mergeSweepDirs([dir('s2'), dir('s1')], dir('merged'));
    expect(merged.cellsMissing).toEqual([]);
    expect(read(dir('merged'))).toBe(reference);
  });

  it('resumes an interrupted sweep without redoing finished cells, to the same result', async () => {
    const first = await executeSweep({ spec, raw, outDir: dir('resume'), shard: WHOLE_SWEEP, workers: 2, stopAfterCells: 1 });
    expect(first.interrupted).toBe(true);
    expect(first.result).toBeUndefined();
    const kept = fs.readdirSync(path.join(dir('resume'), 'cells')).filter((n) => n.endsWith('.json'));
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(kept.length).toBeLessThan(4);
    const second = await executeSweep({ spec, raw, outDir: dir('resume'), shard: WHOLE_SWEEP, workers: 2 });
    expect(second.cellsSkipped).toBe(kept.length);
    expect(second.cellsRun).toBe(4 - kept.length);
    expect(read(dir('resume'))).toBe(reference);
  });

  it('refuses to merge shards of different sweeps, or to reuse a directory for another sweep', async () => {
    const other = sweepSpecFromOptions({ ...OPTIONS, seeds: '2' });
    await executeSweep({ ...other, outDir: dir('other'), shard: { index: 2, count: 2 }, workers: 1 });
    expect(() => mergeSweepDirs([dir('s1'), dir('other')], dir('bad-merge'))).toThrow(/shard of another sweep .*different seed count: 4 vs 2/);
    await expect(executeSweep({ ...other, outDir: dir('w1'), shard: WHOLE_SWEEP, workers: 1 })).rejects.toThrow(/holds another sweep \(different seed count/);
  });
});
