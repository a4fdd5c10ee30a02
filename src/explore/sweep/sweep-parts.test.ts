// The sweep's pure parts on small hand-made inputs: grid parsing and cell order, sharding, cell
// figures (worst run, percentiles, nulls), spec comparison.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../scenario/user-error.ts';
import { cellFigures, worstRunOf, inSeedOrder } from './cell-figures.ts';
import type { RunFigures } from './run-figures.ts';
import { gridCells, parseGrid } from './sweep-grid.ts';
import { parseShard, shardCells } from './sweep-shard.ts';
import { specDifference, SWEEP_SPEC_KIND, type SweepSpec } from './sweep-spec.ts';

function run(seed: string, recordsLost: number, extra: Partial<RunFigures> = {}): RunFigures {
  return {
    seed,
    traceHash: `h${seed}`,
    recordsLost,
    breaches: 0,
    permitted: recordsLost > 0 ? 1 : 0,
    recordsDuplicated: 0,
    recordsReordered: 0,
    partitions: 2,
    unavailabilityMs: [],
    produceLatencyMsP50: 5,
    produceLatencyMsP99: 50,
    produceLatencyMsMax: 100,
    consumer: null,
    ...extra,
  };
}

describe('sweep grid', () => {
  it('enumerates cells in grid order, first key slowest', () => {
    const grid = parseGrid(['acks=1,all', 'min.insync.replicas=1,2,3'], []);
    const cells = gridCells(grid);
    expect(cells.map((c) => c.settings.join(' '))).toEqual([
      'acks=1 min.insync.replicas=1',
      'acks=1 min.insync.replicas=2',
      'acks=1 min.insync.replicas=3',
      'acks=all min.insync.replicas=1',
      'acks=all min.insync.replicas=2',
      'acks=all min.insync.replicas=3',
    ]);
    expect(cells[4].cell).toEqual({ acks: 'all', 'min.insync.replicas': '2' });
  });

  it('refuses bad syntax, repeated keys and keys also fixed with --set', () => {
    expect(() => parseGrid(['acks'], [])).toThrow(/--grid "acks": expected key=v1,v2/);
    expect(() => parseGrid(['acks=1,,all'], [])).toThrow(/--grid acks: empty value/);
    expect(() => parseGrid(['acks=1,1'], [])).toThrow(/listed twice/);
    expect(() => parseGrid(['acks=1', 'acks=all'], [])).toThrow(/given twice/);
    expect(() => parseGrid(['acks=1,all'], ['acks=0'])).toThrow(UserError);
  });
});

describe('sweep shards', () => {
  it('deals cells round-robin, disjoint and complete', () => {
    expect(shardCells(7, parseShard('1/3'))).toEqual([0, 3, 6]);
    expect(shardCells(7, parseShard('3/3'))).toEqual([2, 5]);
    const all = [1, 2, 3].flatMap((i) => shardCells(7, { index: i, count: 3 })).sort();
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(() => parseShard('0/2')).toThrow(UserError);
    expect(() => parseShard('3/2')).toThrow(UserError);
    expect(() => parseShard('1-2')).toThrow(/expected i\/n/);
  });
});

describe('cell figures', () => {
  it('picks the worst run by records lost, ties to the lowest seed, in any input order', () => {
    const runs = [run('10', 5), run('2', 5), run('9', 1), run('1', 0)];
    expect(worstRunOf(inSeedOrder(runs)).seed).toBe('2');
    expect(cellFigures(runs)).toEqual(cellFigures([...runs].reverse()));
  });

  it('averages over runs, includes unaffected partitions in unavailability, keeps consumer figures null without consumers', () => {
    const f = cellFigures([
      run('1', 4, { unavailabilityMs: [1000] }),
      run('2', 0, { produceLatencyMsP50: null, produceLatencyMsP99: null, produceLatencyMsMax: null }),
      run('3', 2, { produceLatencyMsP50: 7, produceLatencyMsMax: 300 }),
    ]);
    expect(f.runs).toBe(3);
    expect(f.runsWithLoss).toBe(2);
    expect(f.recordsLostMean).toBe(2);
    expect(f.recordsLostMax).toBe(4);
    expect(f.permitted).toBe(2);
    // 6 partition-runs, one with 1000 ms
    expect(f.unavailabilityMsMean).toBe(166.667);
    expect(f.unavailabilityMsP99).toBe(1000);
    // median of the runs that acknowledged anything: p50s [5, 7] -> nearest rank 5
    expect(f.produceLatencyMsP50).toBe(5);
    expect(f.produceLatencyMsMax).toBe(300);
    expect(f.consumerDuplicatesMean).toBeNull();
    expect(f.rebalanceMsMean).toBeNull();
    expect(f.endToEndLatencyMsP50).toBeNull();
  });

  it('averages consumer figures over the runs that had consumers', () => {
    const consumer = { duplicates: 3, gaps: 1, rebalanceMs: 200, endToEndLatencyMsP50: null, endToEndLatencyMsP99: null };
    const f = cellFigures([run('1', 0, { consumer }), run('2', 0, { consumer: { ...consumer, duplicates: 1 } })]);
    expect(f.consumerDuplicatesMean).toBe(2);
    expect(f.consumerGapsMean).toBe(1);
    expect(f.rebalanceMsMean).toBe(200);
    expect(f.endToEndLatencyMsP99).toBeNull();
  });
});

describe('sweep spec', () => {
  const spec: SweepSpec = {
    kind: SWEEP_SPEC_KIND,
    ksimVersion: '0.1.0',
    source: 'preset x',
    scenarioArg: 'x',
    scenarioName: 'x',
    scenarioSha256: 'abc',
    settings: [],
    grid: [{ key: 'acks', values: ['1', 'all'] }],
    seeds: 10,
    seedBase: 0,
    traces: true,
  };
  it('names the first difference', () => {
    expect(specDifference(spec, { ...spec })).toBeNull();
    expect(specDifference(spec, { ...spec, seeds: 11 })).toMatch(/different seed count: 10 vs 11/);
    expect(specDifference(spec, { ...spec, ksimVersion: '0.2.0' })).toMatch(/different ksim version/);
    expect(specDifference(spec, { ...spec, grid: [{ key: 'acks', values: ['1'] }] })).toMatch(/different grid/);
  });
});
