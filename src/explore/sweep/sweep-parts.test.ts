// The sweep's pure parts on small hand-made inputs: grid parsing and cell order, sharding, cell
// figures (worst run, the model's aggregates in order), spec comparison.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../scenario/user-error.ts';
import { pingDefinition } from '../../scenario/testing/ping-definition.ts';
import { cellFigures, worstRunOf, inSeedOrder, type SweptRun } from './cell-figures.ts';
import { gridCells, parseGrid } from './sweep-grid.ts';
import { parseShard, shardCells } from './sweep-shard.ts';
import { specDifference, SWEEP_SPEC_KIND, type SweepSpec } from './sweep-spec.ts';

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
    // A JSON value with commas is cut apart at them: refused, saying so (it used to reach the scenario check as a string).
    expect(() => parseGrid(['faults=[{"atMs":5000,"kind":"crash"},{"atMs":9000}]'], [])).toThrow(
      /^--grid faults: value "\[\{\\"atMs\\":5000" is cut at a comma: grid values are split at every comma/,
    );
    // Lists without commas inside are whole values.
    expect(parseGrid(['bugs=["ack-before-isr"],["forget-idempotent-dedup"]'], [])[0].values).toEqual(['["ack-before-isr"]', '["forget-idempotent-dedup"]']);
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
  const sweep = pingDefinition.sweep!;
  const run = (seed: string, lost: number, found = 0): SweptRun => ({ seed, traceHash: `h${seed}`, lost, found, violations: 0 });

  it("picks the worst run by the model's ranking figure, ties to the lowest seed, in any input order", () => {
    const runs = [run('10', 5), run('2', 5), run('9', 1), run('1', 0)];
    expect(worstRunOf(inSeedOrder(runs), sweep).seed).toBe('2');
    expect(cellFigures(runs, sweep)).toEqual(cellFigures([...runs].reverse(), sweep));
  });

  it("counts the runs, then aggregates the model's figures in declaration order", () => {
    const f = cellFigures([run('2', 4, 1), run('1', 2, 3)], sweep);
    expect(Object.keys(f)).toEqual(['runs', 'lostMean', 'foundMean', 'violationsMax']);
    expect(f).toEqual({ runs: 2, lostMean: 3, foundMean: 2, violationsMax: null });
  });
});

describe('sweep spec', () => {
  const spec: SweepSpec = {
    kind: SWEEP_SPEC_KIND,
    ksimVersion: '0.1.0',
    source: 'preset x',
    scenarioArg: 'x',
    scenarioName: 'x',
    model: 'ping',
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
